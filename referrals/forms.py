"""Forms of the referral pages; the services check every rule again."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course, CourseType, Level
from people.models import Learner, Location, Organisation
from referrals.models import Consent, DataItem, DeclineReason, Obligation, Outcome, Purpose


class PlaceChoiceField(forms.ModelChoiceField):
    """A location named with its provider: the list holds the places of every receiver."""

    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.organisation.name}: {obj.address_line}"


class ReferralForm(forms.Form):
    receiver = forms.ModelChoiceField(
        label=_("Receiving provider"), queryset=Organisation.objects.none()
    )
    receiver_location = PlaceChoiceField(
        label=_("Location"),
        required=False,
        queryset=Location.objects.none(),
        help_text=_("Where the person should go, if it matters (the network directory's place)."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    course_type_code = forms.ChoiceField(
        label=_("Course type"), required=False, help_text=_("For “a course of a type and level”.")
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        required=False,
        queryset=Course.objects.none(),
        help_text=_("For “a specific course”."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False)
    level = forms.ChoiceField(
        label=_("German level, if known"),
        required=False,
        choices=[("", "–"), *Level.choices],
    )
    obligation = forms.ChoiceField(
        label=_("Obligation"), required=False, choices=Obligation.choices
    )
    customer_number = forms.CharField(
        label=_("Jobcenter customer number"), max_length=30, required=False
    )
    note = forms.CharField(
        label=_("Note the person agreed to share"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_items = forms.MultipleChoiceField(
        label=_("The person agrees to share"),
        required=False,
        choices=DataItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_method = forms.ChoiceField(
        label=_("Consent recorded"),
        required=False,
        choices=[("", _("no consent (Jobcenter obligation)")), *Consent.Method.choices],
    )

    #: One token per form shown; sent again (double click, reload, back and send), it finds the
    #: referral the first submission made (``referral_create`` is idempotent on it).
    submission = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sender_organisation: Organisation, **kwargs):
        from referrals.selectors import receivers_for

        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4().hex)
        receivers = receivers_for(sender_organisation)
        self.fields["receiver"].queryset = receivers
        self.fields["receiver_location"].queryset = (
            Location.objects.filter(organisation__in=receivers)
            .select_related("organisation")
            .order_by("organisation__name", "name", "pk")
        )
        self.fields["course"].queryset = Course.objects.filter(
            provider__in=receivers, status__in=[Course.Status.OPEN, Course.Status.PLANNED]
        ).select_related("provider", "course_type")
        codes = sorted(set(CourseType.objects.current().values_list("code", "name")))
        self.fields["course_type_code"].choices = [("", "–"), *codes]
        if sender_organisation.kind != Organisation.Kind.JOBCENTER:
            self.fields["obligation"].choices = [
                c for c in Obligation.choices if c[0] != Obligation.JOBCENTER
            ]

    def client_reference(self) -> str:
        token = self.cleaned_data.get("submission") or ""
        return f"{FORM_REFERENCE_PREFIX}{token}" if token else ""


#: The client reference of a referral sent through the page: the form's token.
FORM_REFERENCE_PREFIX = "form-"


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    receiver_note = forms.CharField(
        label=_("Internal note (not shown to the sender)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)


class MatchForm(forms.Form):
    learner = forms.ModelChoiceField(label=_("Learner"), queryset=Learner.objects.none())

    def __init__(self, *args, candidates: list[Learner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = Learner.objects.filter(pk__in=[c.pk for c in candidates])


class NoteForm(forms.Form):
    receiver_note = forms.CharField(
        label=_("Internal note (not shown to the sender)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
