"""Forms of the volunteers pages; the services do the checking."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from people.models import Location, Organisation
from volunteers.languages import Language, LanguageLevel
from volunteers.models import (
    Activity,
    AllowanceKind,
    ConductCheck,
    ContactChannel,
    Skill,
    Tandem,
    TandemCheckin,
    VolunteerRole,
    Weekday,
)
from volunteers.services import LanguageEntry, Profile, Window

LANGUAGE_ROWS = 4
WINDOW_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ProfileFields(forms.Form):
    """What a volunteer tells about themselves: roles, languages, times, skills, contact."""

    roles = forms.MultipleChoiceField(
        label=_("What would you like to do?"),
        choices=VolunteerRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    town = forms.CharField(label=_("Town"), max_length=100, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        help_text=_("Only needed for certificates of trainings."),
    )
    skills = forms.MultipleChoiceField(
        label=_("What can you do well?"),
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills_note = forms.CharField(label=_("Anything else?"), max_length=300, required=False)
    motivation = forms.CharField(
        label=_("A few words about you (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = [("", "—"), *Language.choices]
        levels = [("", "—"), *LanguageLevel.choices]
        for i in range(LANGUAGE_ROWS):
            self.fields[f"language_{i}"] = forms.ChoiceField(
                label=_("Language"), choices=languages, required=False
            )
            self.fields[f"level_{i}"] = forms.ChoiceField(
                label=_("How well?"), choices=levels, required=False
            )
        days = [("", "—"), *Weekday.choices]
        for i in range(WINDOW_ROWS):
            self.fields[f"weekday_{i}"] = forms.TypedChoiceField(
                label=_("Day"), choices=days, coerce=int, required=False, empty_value=None
            )
            self.fields[f"from_{i}"] = forms.TimeField(
                label=_("from"), required=False, widget=TimeInput()
            )
            self.fields[f"until_{i}"] = forms.TimeField(
                label=_("until"), required=False, widget=TimeInput()
            )

    def language_rows(self):
        return [(self[f"language_{i}"], self[f"level_{i}"]) for i in range(LANGUAGE_ROWS)]

    def window_rows(self):
        return [
            (self[f"weekday_{i}"], self[f"from_{i}"], self[f"until_{i}"])
            for i in range(WINDOW_ROWS)
        ]

    def clean(self):
        data = super().clean()
        for i in range(LANGUAGE_ROWS):
            if bool(data.get(f"language_{i}")) != bool(data.get(f"level_{i}")):
                self.add_error(f"level_{i}", _("Choose a language and how well you speak it."))
        for i in range(WINDOW_ROWS):
            parts = [data.get(f"weekday_{i}"), data.get(f"from_{i}"), data.get(f"until_{i}")]
            filled = [p is not None for p in parts]
            if any(filled) and not all(filled):
                self.add_error(f"until_{i}", _("Give the day, and the time from and until."))
            elif all(filled) and parts[2] <= parts[1]:
                self.add_error(f"until_{i}", _("The end must be after the start."))
        return data

    def profile(self, location_ids=()) -> Profile:
        data = self.cleaned_data
        return Profile(
            roles=data["roles"],
            languages=[
                LanguageEntry(data[f"language_{i}"], data[f"level_{i}"])
                for i in range(LANGUAGE_ROWS)
                if data.get(f"language_{i}")
            ],
            availability=[
                Window(data[f"weekday_{i}"], data[f"from_{i}"], data[f"until_{i}"])
                for i in range(WINDOW_ROWS)
                if data.get(f"weekday_{i}") is not None
            ],
            skills=data.get("skills") or [],
            skills_note=data.get("skills_note", ""),
            phone=data.get("phone", ""),
            postcode=data.get("postcode", ""),
            town=data.get("town", ""),
            date_of_birth=data.get("date_of_birth"),
            motivation=data.get("motivation", ""),
            location_ids=location_ids,
        )

    @classmethod
    def initial_for(cls, volunteer) -> dict:
        initial = {
            "roles": volunteer.roles,
            "skills": volunteer.skills,
            **{
                name: getattr(volunteer, name)
                for name in (
                    "phone",
                    "postcode",
                    "town",
                    "date_of_birth",
                    "skills_note",
                    "motivation",
                )
            },
        }
        for i, lang in enumerate(volunteer.languages.all()[:LANGUAGE_ROWS]):
            initial[f"language_{i}"], initial[f"level_{i}"] = lang.language, lang.level
        for i, w in enumerate(volunteer.availability.all()[:WINDOW_ROWS]):
            initial[f"weekday_{i}"], initial[f"from_{i}"], initial[f"until_{i}"] = (
                w.weekday,
                w.start_time,
                w.end_time,
            )
        return initial


class SignupForm(ProfileFields):
    providers = forms.ModelMultipleChoiceField(
        label=_("Where would you like to volunteer?"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(
        label=_("Password for your account"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters."),
    )
    privacy = forms.BooleanField(
        label=_(
            "I agree that the organisations I chose store these details to arrange my "
            "volunteering, and I may withdraw this at any time."
        )
    )

    field_order = ["providers", "first_name", "last_name", "email", "password"]

    def __init__(self, *args, logged_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.PROVIDER
        ).order_by("name")
        if logged_in:
            for name in ("first_name", "last_name", "email", "password"):
                del self.fields[name]


class VolunteerProfileForm(ProfileFields):
    """The volunteer (or staff) change a profile; places come from the profile's provider."""

    locations = forms.ModelMultipleChoiceField(
        label=_("Places I can get to"),
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, volunteer, **kwargs):
        kwargs.setdefault("initial", {}).update(self.initial_for(volunteer))
        kwargs["initial"]["locations"] = list(
            volunteer.reachable_locations.values_list("pk", flat=True)
        )
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = Location.objects.filter(
            organisation_id=volunteer.provider_id
        )

    def profile(self, location_ids=()) -> Profile:
        return super().profile([loc.pk for loc in self.cleaned_data.get("locations") or []])


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600, initial=60)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class CheckinAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Are you still meeting?"),
        choices=TandemCheckin.Answer.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


# --- staff ------------------------------------------------------------------------------------


class ConductCheckForm(forms.Form):
    inspected_on = forms.DateField(
        label=_("inspected on"), widget=DateInput(), initial=timezone.localdate
    )
    result = forms.ChoiceField(label=_("result"), choices=ConductCheck.Result.choices)


class RequirementForm(forms.Form):
    code = forms.ChoiceField(label=_("requirement"))
    fulfilled_on = forms.DateField(
        label=_("fulfilled on"), widget=DateInput(), initial=timezone.localdate
    )
    training_course = forms.ModelChoiceField(
        label=_("training course"), queryset=Course.objects.none(), required=False
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, rules, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(r.code, r.name) for r in rules]
        self.fields["training_course"].queryset = courses


class HoursForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    activity = forms.ModelChoiceField(
        label=_("activity"), queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class DeclarationForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2013, max_value=2100)
    kind = forms.ChoiceField(label=_("allowance"), choices=AllowanceKind.choices)
    other_payers_amount = forms.DecimalField(
        label=_("used with other payers (€)"),
        min_value=Decimal("0"),
        decimal_places=2,
        initial=Decimal("0.00"),
    )


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("allowance"), choices=AllowanceKind.choices)
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput(), initial=timezone.localdate)
    amount = forms.DecimalField(label=_("amount (€)"), min_value=Decimal("0.01"), decimal_places=2)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    confirm_over_limit = forms.BooleanField(
        label=_("Pay even though the year's limit is exceeded"), required=False
    )


class ExpenseForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput(), initial=timezone.localdate)
    amount = forms.DecimalField(label=_("amount (€)"), min_value=Decimal("0.01"), decimal_places=2)
    purpose = forms.CharField(label=_("purpose"), max_length=300)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Activity.Kind.choices)
    role = forms.ChoiceField(label=_("volunteer role"), choices=VolunteerRole.choices)
    location = forms.ModelChoiceField(label=_("location"), queryset=Location.objects.none())
    first_date = forms.DateField(label=_("first date"), widget=DateInput())
    start_time = forms.TimeField(label=_("start"), widget=TimeInput())
    end_time = forms.TimeField(label=_("end"), widget=TimeInput())
    weekly_until = forms.DateField(
        label=_("repeat weekly until"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: a single date."),
    )
    volunteers_needed = forms.IntegerField(
        label=_("volunteers needed per date"), min_value=1, max_value=50, initial=2
    )
    learner_signup = forms.BooleanField(label=_("learners sign up"), required=False)
    learner_places = forms.IntegerField(
        label=_("places for learners per date"), min_value=1, max_value=200, required=False
    )
    is_public = forms.BooleanField(
        label=_("shown to learners ('Practise German')"), required=False, initial=True
    )
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("add weekly dates until"), widget=DateInput())


class CancelDateForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class ProposeForm(forms.Form):
    learner = forms.IntegerField(widget=forms.HiddenInput)
    contact_channel = forms.ChoiceField(
        label=_("agreed contact channel"), choices=ContactChannel.choices
    )
    contact_detail = forms.CharField(
        label=_("contact the learner agreed to share"), max_length=200, required=False
    )
    meeting_times = forms.CharField(label=_("agreed meeting times"), max_length=200, required=False)


class StaffConsentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("consent given"),
        choices=[c for c in Tandem.ConsentMethod.choices if c[0] != Tandem.ConsentMethod.ACCOUNT],
    )


class EndTandemForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("reason for ending"),
        choices=[
            c
            for c in Tandem.EndReason.choices
            if c[0] not in (Tandem.EndReason.CONSENT_WITHDRAWN, Tandem.EndReason.DECLINED)
        ],
    )
