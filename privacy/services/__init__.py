"""Every write about data protection: the retention job, erasure on request, provider periods.

``from privacy.services import retention_run`` and the like keep working whichever module of
the package a function lives in.
"""

from privacy.services.erasure import ErasurePlan, ErasureResult, erasure_plan, learner_erase
from privacy.services.retention import RetentionLine, RetentionReport, retention_run
from privacy.services.settings import check_provider_period, effective_period, provider_period_set

__all__ = [
    "ErasurePlan",
    "ErasureResult",
    "RetentionLine",
    "RetentionReport",
    "check_provider_period",
    "effective_period",
    "erasure_plan",
    "learner_erase",
    "provider_period_set",
    "retention_run",
]
