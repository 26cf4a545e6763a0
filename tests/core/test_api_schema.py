"""The OpenAPI schema generates, validates, and without warnings (ours and everyone's)."""

from __future__ import annotations

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """(schema, problems): every warning and error drf-spectacular reported."""
    with django_db_blocker.unblock():
        GENERATOR_STATS.reset()
        with GENERATOR_STATS.silence():
            schema = SchemaGenerator().get_schema(request=None, public=True)
        problems = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        GENERATOR_STATS.reset()
    return schema, problems


def test_schema_is_valid_openapi(generated):
    schema, _ = generated
    validate_schema(schema)
    assert "/api/v1/courses/" in schema["paths"]


def test_courses_api_documents_filters_and_writes(generated):
    schema, _ = generated
    listing = schema["paths"]["/api/v1/courses/"]
    params = {p["name"] for p in listing["get"]["parameters"]}
    assert params >= {
        "level",
        "course_type",
        "location",
        "town",
        "time_of_day",
        "start_from",
        "start_to",
        "childcare",
        "free_seats",
        "provider",
        "page",
        "page_size",
    }
    assert "post" in listing
    assert "patch" in schema["paths"]["/api/v1/courses/{id}/"]


def test_courses_views_generate_without_warnings(generated):
    _, problems = generated
    ours = [p for p in problems if "courses/" in p or "Level" in p or "CourseStatus" in p]
    assert ours == []


def test_schema_generates_without_any_warnings(generated):
    _, problems = generated
    assert problems == [], "\n".join(problems)
