import pytest
from django.core.cache import cache

from tests.jobcenter.helpers import api_key, scenario


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def jc(world):
    """The scenario plus an API key for each Jobcenter."""
    s = scenario(world)
    s.world = world
    s.key = api_key(world.jobcenter)
    s.other_key = api_key(world.other_jobcenter)
    return s
