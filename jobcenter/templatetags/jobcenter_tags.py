"""``{% load jobcenter_tags %}{% learner_access_log learner %}``: the learner's own view of who
at a Jobcenter read which of their data (DESIGN.md §3)."""

from django import template
from django.utils.translation import gettext_lazy as _

from jobcenter.selectors import access_log_for_learner

register = template.Library()

FIELD_LABELS = {
    "customer_number": _("customer number"),
    "found": _("whether you are registered"),
    "enrolments": _("your courses and their dates"),
    "attendance": _("your attendance figures"),
    "proper_participation": _("whether you take part regularly"),
    "internships": _("your internships"),
    "event": _("a notice about a change"),
    "pdf.registration": _("proof of registration"),
    "pdf.participation": _("participation certificate"),
    "referral.identity": _("your name and date of birth"),
    "referral.contact": _("your phone number and e-mail address"),
    "referral.languages": _("the languages you speak"),
    "referral.level": _("your German level"),
    "referral.note": _("the note your counsellor wrote"),
    "referral.status": _("how far your referral has got"),
    "referral.progress": _("your course and its dates"),
}


def labels(fields: list[str]) -> list[str]:
    out: list[str] = []
    for name in fields:
        label = FIELD_LABELS.get(name) or FIELD_LABELS.get(name.partition(".")[0])
        if label and label not in out:
            out.append(label)
    return out


@register.inclusion_tag("jobcenter/learner_access_log.html")
def learner_access_log(learner):
    rows = list(access_log_for_learner(learner))
    for row in rows:
        row.labels = labels(row.fields)
    return {"access_log": rows}


@register.filter
def enrolment_status(value: str) -> str:
    """The enrolment status in the reader's language (the API keeps the raw value)."""
    from enrolment.models import Enrolment

    return str(Enrolment.Status(value).label) if value in Enrolment.Status.values else value


@register.filter
def placement_status(value: str) -> str:
    """The internship status in the reader's language (the API keeps the raw value)."""
    from internships.models import Placement

    return str(Placement.Status(value).label) if value in Placement.Status.values else value
