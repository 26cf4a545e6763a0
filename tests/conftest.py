import pytest

from tests.factories import build_world


@pytest.fixture
def world(db):
    """Two providers, each with staff, teachers, a course and learners; two Jobcenters."""
    return build_world()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def on_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…)")


@pytest.fixture(autouse=True)
def _forget_cached_content_types():
    """A transactional test's flush and restore can give content types new ids: forget old ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and login-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
