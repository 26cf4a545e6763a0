"""Forms of the course admin. Every write goes through ``courses.services``; before anything is
saved the same service call runs once inside a savepoint that is rolled back (``dry_run``), so
its rule errors show up as form errors instead of a crash."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from courses.models import Course
from courses.services import (
    DESCRIPTION_TRANSLATIONS,
    UPDATABLE_FIELDS,
    course_create,
    course_update,
)
from people.models import User

# Course fields handed to ``course_create`` as they are.
CREATE_FIELDS = (
    "title",
    "room",
    "bamf_course_number",
    "format",
    "childcare",
    "status",
    "is_published",
    *DESCRIPTION_TRANSLATIONS,
    "waitlist_auto_enrol",
)
SLOT_FIELDS = ("weekday", "start_time", "end_time", "ue")


class _Rollback(Exception):
    pass


def dry_run(fn) -> Exception | None:
    """Run ``fn`` in a savepoint that is always rolled back; return its rule error, if any."""
    try:
        with transaction.atomic():
            fn()
            raise _Rollback
    except _Rollback:
        return None
    except (DomainError, ValidationError) as error:
        return error


def save_course(form: forms.ModelForm, timetable: TimetableFormSet, *, by: User | None) -> Course:
    """Create the course through ``course_create`` or change it through ``course_update``."""
    data = form.cleaned_data
    slots = timetable.slot_data()
    if form.instance.pk is None:
        return course_create(
            provider=data["provider"],
            location=data["location"],
            course_type=data["course_type"],
            start_date=data["start_date"],
            slots=slots,
            first_module=data.get("first_module"),
            capacity=data.get("capacity") or None,
            teachers=data.get("teachers") or (),
            by=by,
            confirm_plan=bool(data.get("confirm_plan")),
            **{name: data[name] for name in CREATE_FIELDS if name in data},
        )
    changes = {
        name: data[name] for name in form.changed_data if name in UPDATABLE_FIELDS and name in data
    }
    if "teachers" in changes:
        changes["teachers"] = list(changes["teachers"])
    if timetable.has_changed():
        changes["slots"] = slots
    if not changes:
        return form.instance
    return course_update(
        course=form.instance, by=by, confirm_plan=bool(data.get("confirm_plan")), **changes
    )


class CourseAdminForm(forms.ModelForm):
    confirm_plan = forms.BooleanField(
        label=_("Save this plan even though it looks wrong"),
        required=False,
        help_text=_(
            "Asked when the planned end date is far away or the UE a week are unusual; tick it "
            "only after checking the timetable."
        ),
    )

    class Meta:
        model = Course
        fields = (  # the admin's fieldsets narrow this further
            "provider",
            "location",
            "course_type",
            "first_module",
            "title",
            "room",
            "bamf_course_number",
            "status",
            "is_published",
            "start_date",
            "capacity",
            "format",
            "childcare",
            "teachers",
            "waitlist_auto_enrol",
            *DESCRIPTION_TRANSLATIONS,
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The timetable formset checks the whole course through the service; it finds the
        # course form through the shared instance.
        self.instance._admin_form = self
        if "capacity" in self.fields and self.instance.pk is None:
            self.fields["capacity"].required = False
            self.fields["capacity"].initial = None
            self.fields["capacity"].help_text = _(
                "Empty: the course type's group size (25, literacy courses 16)."
            )
        if "first_module" in self.fields and self.instance.pk is None:
            self.fields["first_module"].required = False
            self.fields["first_module"].help_text = _(
                "Empty: the course type's first Kursabschnitt."
            )


class TimetableFormSet(BaseInlineFormSet):
    def slot_data(self) -> list[dict]:
        return [
            {name: form.cleaned_data[name] for name in SLOT_FIELDS}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        course_form = getattr(self.instance, "_admin_form", None)
        if course_form is None or not course_form.is_valid():
            return
        error = dry_run(lambda: save_course(course_form, self, by=None))
        if error is None:
            return
        if isinstance(error, DomainError):
            problems = {error.field or "": [error.message]}
        else:
            problems = getattr(error, "message_dict", {"": error.messages})
        leftover = []
        for field, messages_ in problems.items():
            if field in course_form.fields:
                for message in messages_:
                    course_form.add_error(field, message)
            else:
                leftover.extend(messages_)
        raise ValidationError(
            leftover or gettext("The course was not saved; see the errors above.")
        )


class CancelSessionsForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancellation"),
        max_length=200,
        help_text=_("For example: teacher ill, room not available."),
    )
