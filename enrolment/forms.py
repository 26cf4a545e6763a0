"""Forms of the enrolment pages (validation of input only; rules live in the services)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import no_bidi_controls
from courses.models import Level
from enrolment.models import Enrolment
from people.models import TimeOfDay
from people.phones import phone_field_clean
from people.pickers import LearnerChoiceField
from people.rules import birth_date_problem


class RegisterForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[no_bidi_controls]
    )
    last_name = forms.CharField(label=_("Last name"), max_length=100, validators=[no_bidi_controls])
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        problem = birth_date_problem(born, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return born

    def clean_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("phone", ""))

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("email")):
            raise forms.ValidationError(_("Give a phone number or an e-mail address."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Login code"), max_length=40)


class LearnerChoiceForm(forms.Form):
    learner = LearnerChoiceField(label=_("Learner"), queryset=None)
    confirm_late_entry = forms.BooleanField(
        label=_("I confirm the late entry into the running module"), required=False
    )

    def __init__(self, *args, learners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners


class WithdrawForm(forms.Form):
    # no reason is preselected: staff choose one on purpose
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("– choose a reason –")), *Enrolment.WithdrawalReason.choices],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class TransferForm(forms.Form):
    # no course is preselected
    to_course = forms.ModelChoiceField(
        label=_("To course"), queryset=None, empty_label=_("– choose a course –")
    )

    def __init__(self, *args, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_course"].queryset = courses


class SlotForm(forms.Form):
    location = forms.ModelChoiceField(label=_("Location"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100, initial=10)
    tester = forms.ModelChoiceField(label=_("Tester"), queryset=None, required=False)

    def __init__(self, *args, locations=None, testers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["tester"].queryset = testers


class ResultForm(forms.Form):
    level_reached = forms.ChoiceField(label=_("Level reached"), choices=Level.choices)
    recommended_module = forms.ModelChoiceField(label=_("Recommended start module"), queryset=None)
    placed_module = forms.ModelChoiceField(
        label=_("Placed in module (if different)"), queryset=None, required=False
    )
    deviation_reason = forms.CharField(
        label=_("Reason for a different placement"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, modules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommended_module"].queryset = modules
        self.fields["placed_module"].queryset = modules
        self.fields["recommended_module"].label_from_instance = _module_label
        self.fields["placed_module"].label_from_instance = _module_label


def _module_label(module) -> str:
    return f"{module.course_type.name} · {module.name}"


class WishForm(forms.Form):
    times_of_day = forms.MultipleChoiceField(
        label=_("Times of day"),
        choices=TimeOfDay.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
