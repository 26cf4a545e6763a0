import pytest

from tests.courses.catalogue_data import build_catalogue


@pytest.fixture
def catalogue(db):
    """Five public courses (two providers, three towns) and three that must stay hidden."""
    return build_catalogue()
