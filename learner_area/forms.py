"""Forms of the learner pages: input checks only (the rules live in the services)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import AbsenceReport

#: Photo from the phone camera, or a PDF (the service checks the content and the size).
EVIDENCE_WIDGET = forms.FileInput(
    attrs={"accept": "image/*,application/pdf", "capture": "environment"}
)


class AbsenceReportForm(forms.Form):
    first_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last_day = forms.DateField(
        label=_("Last day (if more than one day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.ChoiceField(
        label=_("Why?"), choices=AbsenceReport.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)
    evidence = forms.FileField(
        label=_("Photo or PDF (optional), for example a doctor's note"),
        required=False,
        widget=EVIDENCE_WIDGET,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"first_day": timezone.localdate()})
        super().__init__(*args, **kwargs)


class EvidenceForm(forms.Form):
    evidence = forms.FileField(label=_("Photo or PDF"), widget=EVIDENCE_WIDGET)
