import pytest
from django.urls import reverse

PAGES = [
    "learner-home",
    "learner-timetable",
    "learner-attendance",
    "learner-absence",
    "learner-offers",
    "learner-documents",
    "learner-data-access",
    "learner-password",
]


@pytest.mark.parametrize("name", PAGES)
def test_smoke(me, client, name):
    client.force_login(me.user)
    r = client.get(reverse(name))
    assert r.status_code == 200, r.content[:2000]
