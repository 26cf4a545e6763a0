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


@pytest.fixture(autouse=True)
def _public_dns(monkeypatch):
    """No DNS here: names under example.org resolve to a public address, IP literals to
    themselves (core.net.resolve is the one place names are resolved)."""
    import ipaddress

    from core import net

    def resolve(host, port):
        if host.endswith("example.org"):
            return [ipaddress.ip_address("93.184.215.14")]
        return [ipaddress.ip_address(host.strip("[]"))]

    monkeypatch.setattr(net, "resolve", resolve)
