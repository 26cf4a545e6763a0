"""Background work of the register: the nightly alert evaluation."""

from __future__ import annotations

from django.tasks import task

from attendance import services


@task
def evaluate_alerts_nightly() -> int:
    """Evaluate every provider's alert rules for running courses (sign-off evaluates at once;
    this catches rules changed during the day). Returns how many alerts were raised."""
    return services.evaluate_all_alerts()
