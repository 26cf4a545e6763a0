"""The catalogue's filters: one FilterSet shared by the public page and the API."""

from __future__ import annotations

import copy

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from courses.models import CourseType, Level, Programme
from courses.selectors import (
    catalogue_base,
    catalogue_locations,
    catalogue_providers,
    covering_level,
)
from people.models import TimeOfDay


def course_type_choices() -> list[tuple[str, str]]:
    return list(
        CourseType.objects.current()
        .filter(programme__kind=Programme.Kind.COURSES)
        .order_by("programme__name", "name")
        .values_list("code", "name")
    )


def town_choices() -> list[tuple[str, str]]:
    towns = catalogue_locations().order_by("town").values_list("town", flat=True).distinct()
    return [(t, t) for t in towns]


ANY = _("Any")


def date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class CatalogueFilter(django_filters.FilterSet):
    """Filters of the public course catalogue (apply to ``selectors.catalogue_base()``)."""

    level = django_filters.ChoiceFilter(
        label=_("Level"),
        choices=Level.choices,
        empty_label=ANY,
        method="filter_level",
        help_text=_("CEFR level or sub-level; a main level such as A1 matches A1.1 and A1.2."),
    )
    course_type = django_filters.ChoiceFilter(
        label=_("Course type"),
        field_name="course_type__code",
        choices=course_type_choices,
        empty_label=ANY,
        help_text=_("Code of the course type, e.g. general, literacy, bsk_b2."),
    )
    location = django_filters.ModelChoiceFilter(
        label=_("Location"),
        queryset=catalogue_locations(),
        field_name="location",
        empty_label=ANY,
    )
    town = django_filters.ChoiceFilter(
        label=_("Town"), field_name="location__town", choices=town_choices, empty_label=ANY
    )
    time_of_day = django_filters.ChoiceFilter(
        label=_("Time of day"), choices=TimeOfDay.choices, empty_label=ANY
    )
    start_from = django_filters.DateFilter(
        label=_("Starts on or after"),
        field_name="start_date",
        lookup_expr="gte",
        widget=date_input(),
    )
    start_to = django_filters.DateFilter(
        label=_("Starts on or before"),
        field_name="start_date",
        lookup_expr="lte",
        widget=date_input(),
    )
    childcare = django_filters.BooleanFilter(label=_("Childcare offered"), field_name="childcare")
    free_seats = django_filters.BooleanFilter(label=_("Free seats only"), method="filter_free")
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"),
        queryset=catalogue_providers(),
        field_name="provider",
        empty_label=ANY,
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As FilterSet.__init__, but django-filter deep-copies every filter per request
        # (querysets, choices, lazy labels: about a millisecond); these filters keep no
        # per-request state besides ``model`` and ``parent``, so a shallow copy will do.
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset if queryset is not None else catalogue_base()
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = self.queryset.model
            filter_.parent = self
            if filter_.method:  # rebind the method wrapper to this copy
                filter_.method = filter_.method

    @classmethod
    def is_filtering(cls, params) -> bool:
        """Whether the query asks for any filter (an unfiltered listing skips the form)."""
        return any(params.get(name) not in (None, "") for name in cls.base_filters)

    def filter_level(self, queryset, name, value):
        return covering_level(queryset, value) if value else queryset

    def filter_free(self, queryset, name, value):
        return queryset.filter(seats_left__gt=0) if value else queryset
