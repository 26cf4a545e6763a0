"""Report filters: period, location, course type (and the attendance grouping)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CourseType
from people.models import Location
from reports.access import Scope

if TYPE_CHECKING:  # reports.frames loads pandas: imported where a report is built
    from reports.frames import Filters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), required=False, empty_label=_("All")
    )
    course_type = forms.ChoiceField(label=_("Course type"), required=False)
    group_by = forms.ChoiceField(label=_("Group by"), required=False)

    def __init__(self, *args, scope: Scope, with_grouping: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        locations = Location.objects.filter(organisation_id__in=scope.provider_ids)
        if scope.course_ids is not None:
            locations = locations.filter(courses__in=scope.course_ids).distinct()
        self.fields["location"].queryset = locations.order_by("town", "name")
        types = (
            CourseType.objects.order_by("code", "-valid_from")
            .values_list("code", "name")
            .distinct()
        )
        seen: dict[str, str] = {}
        for code, name in types:
            seen.setdefault(code, name)
        self.fields["course_type"].choices = [
            ("", _("All")),
            *sorted(seen.items(), key=lambda x: x[1]),
        ]
        if with_grouping:
            from reports.frames import GROUPINGS

            self.fields["group_by"].choices = [(k, v) for k, v in GROUPINGS.items()]
        else:
            del self.fields["group_by"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        if start and end and (end - start).days > 366 * 5:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        return data

    def filters(self, today: dt.date | None = None) -> Filters:
        """The filters (defaults for what was left empty; call after ``is_valid()``)."""
        from reports.frames import Filters

        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or Filters.default(date_to).date_from
        location = data.get("location")
        return Filters(
            date_from=date_from,
            date_to=date_to,
            location_id=location.pk if location else None,
            course_type=data.get("course_type") or None,
            group_by=data.get("group_by") or "course",
        )
