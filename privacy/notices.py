"""The standard texts per data-protection law (GDPR, DSG-EKD, KDG): the legal basis, where to
complain, and the heading of the record of processing activities.

Learner-facing texts are translated into the learners' languages. A provider adds its own
wording in ``Organisation.legal_basis_text`` and names its data-protection officer and
supervisory authority in ``PrivacySettings``; these texts are what holds for every provider
under the same law.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from people.models import Organisation

Regime = Organisation.DataProtectionRegime


@dataclass(frozen=True)
class LawText:
    law: Promise  # the law's name
    basis: Promise  # why the provider may process the learner's data
    authority: Promise  # where to complain when the provider names no authority
    record_heading: Promise  # the record of processing activities (staff-facing)


LAW_TEXTS: dict[str, LawText] = {
    Regime.GDPR: LawText(
        _("General Data Protection Regulation (GDPR)"),
        _(
            "We process your data to organise your course, to bill it with BAMF and to meet "
            "our reporting duties (Art. 6(1)(b) and (c) GDPR). We share data with the Jobcenter "
            "only where the law requires it or where you agreed (Art. 6(1)(a) GDPR). Health "
            "data, such as a medical certificate, we use only to excuse an absence (Art. 9(2) "
            "GDPR)."
        ),
        _("The data protection commissioner of your federal state."),
        _("Record of processing activities (Art. 30 GDPR)"),
    ),
    Regime.DSG_EKD: LawText(
        _("Church Data Protection Act of the Protestant Church in Germany (DSG-EKD)"),
        _(
            "We are a Protestant institution: the DSG-EKD applies instead of the GDPR and gives "
            "you the same rights. We process your data to organise your course, to bill it "
            "with BAMF and to meet our reporting duties (§ 6 DSG-EKD). We share data with the "
            "Jobcenter only where the law requires it or where you agreed. Health data, such "
            "as a medical certificate, we use only to excuse an absence (§ 13 DSG-EKD)."
        ),
        _("The data protection supervisor of the Protestant Church (EKD)."),
        _("Record of processing activities (§ 31 DSG-EKD)"),
    ),
    Regime.KDG: LawText(
        _("Catholic Data Protection Act (KDG)"),
        _(
            "We are a Catholic institution: the KDG applies instead of the GDPR and gives you "
            "the same rights. We process your data to organise your course, to bill it with "
            "BAMF and to meet our reporting duties (§ 6 KDG). We share data with the Jobcenter "
            "only where the law requires it or where you agreed. Health data, such as a medical "
            "certificate, we use only to excuse an absence (§ 11 KDG)."
        ),
        _("The data protection supervisor of the Catholic diocese."),
        _("Record of processing activities (§ 31 KDG)"),
    ),
}


def law_text(regime: str) -> LawText:
    return LAW_TEXTS.get(regime, LAW_TEXTS[Regime.GDPR])


#: The rights every learner has, under each of the three laws (the same rights by name).
RIGHTS = [
    _("You can see all data we store about you and take a copy (download below)."),
    _("You can have wrong data corrected."),
    _("You can have your data erased, as far as no law obliges us to keep it."),
    _("You can have the use of your data restricted."),
    _("You can object to the use of your data."),
    _("You can withdraw a consent at any time, for example for the Jobcenter."),
    _("You can complain to the supervisory authority."),
]
