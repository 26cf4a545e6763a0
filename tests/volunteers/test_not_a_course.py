"""Volunteering activities run as courses, but the course office does not count them as such:
no seats on the dashboard, no rows in the reports, no course type in the catalogue filter."""

import pytest

from courses.filters import course_type_choices
from courses.models import Course
from reports.access import Scope
from reports.selectors import free_seats_by_location

pytestmark = pytest.mark.django_db


def test_a_language_cafe_is_not_a_course_offering(vw):
    cafe = vw.activity.course
    language_courses = Course.objects.filter(
        location=cafe.location, course_type__programme__code__in=["integration", "bsk"]
    ).exclude(pk=cafe.pk)
    row = next(
        r
        for r in free_seats_by_location(provider_ids=[cafe.provider_id])["rows"]
        if r["location_id"] == cafe.location_id
    )
    assert row["courses"] == language_courses.count() == 1
    assert row["capacity"] == vw.a.course.capacity

    codes = {code for code, _name in course_type_choices()}
    assert cafe.course_type.code not in codes
    assert "general" in codes

    scope = Scope(kind="staff", provider_ids=(cafe.provider_id,))
    assert set(scope.courses().values_list("pk", flat=True)) == {vw.a.course.pk}
