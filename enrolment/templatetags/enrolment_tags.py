from django import template

from enrolment.models import Enrolment
from people.models import Role

register = template.Library()


@register.simple_tag
def enrolment_state(course, user) -> dict:
    """What the course page may offer this visitor: register, apply, status, or staff link."""
    if not user.is_authenticated:
        return {"role": "anonymous"}
    if course.provider_id in user.provider_ids(role=Role.STAFF):
        return {"role": "staff"}
    learner = getattr(user, "learner", None)
    if learner is None:
        return {"role": "other"}
    if learner.provider_id != course.provider_id:
        return {"role": "other_provider"}
    mine = Enrolment.objects.active().filter(course=course, learner=learner).first()
    return {"role": "learner", "enrolment": mine}
