"""Forms of the internship pages; the services do the checking."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Level
from internships.models import WEEKDAY_NAMES, Employer, InternshipWish, Placement
from internships.services import EDITABLE_FIELDS
from people.models import Learner
from people.pickers import LearnerChoiceField

WEEKDAY_CHOICES = [(i, name) for i, name in enumerate(WEEKDAY_NAMES)]


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = [
            "name",
            "sector",
            "street",
            "postcode",
            "town",
            "contact_name",
            "contact_email",
            "contact_phone",
            "places_offered",
            "min_level",
            "active",
            "notes",
        ]


class PlacementForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("working days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
    )

    class Meta:
        model = Placement
        fields = ["learner", *EDITABLE_FIELDS]
        field_classes = {"learner": LearnerChoiceField}
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "daily_start": TimeInput,
            "daily_end": TimeInput,
        }

    def __init__(self, *args, learners, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners
        self.fields["employer"].queryset = employers
        if self.instance.pk:
            self.fields["learner"].disabled = True


class EvaluationForm(forms.Form):
    midterm_evaluation = forms.CharField(
        label=_("mid-term evaluation"), widget=forms.Textarea, required=False
    )
    final_evaluation = forms.CharField(
        label=_("final evaluation"), widget=forms.Textarea, required=False
    )
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=[("", "—"), *Placement.Outcome.choices], required=False
    )


class WishForm(forms.ModelForm):
    learner = LearnerChoiceField(label=_("learner"), queryset=Learner.objects.none())
    language_level = forms.ChoiceField(
        label=_("German level"), choices=[("", "—"), *Level.choices], required=False
    )

    class Meta:
        model = InternshipWish
        fields = ["learner", "sector", "language_level", "town", "postcode", "notes"]

    def __init__(self, *args, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners
