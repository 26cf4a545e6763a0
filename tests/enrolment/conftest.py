import pytest


@pytest.fixture
def small_course(world):
    """Provider a's course with capacity 2 (offers, not auto-enrol)."""
    course = world.a.course
    course.capacity = 2
    course.save(update_fields=["capacity"])
    return course
