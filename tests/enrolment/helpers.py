"""Helpers for enrolment tests."""

import datetime as dt

from django.utils import timezone

from enrolment import services
from enrolment.models import Enrolment
from people.models import Entitlement
from tests.factories import EntitlementFactory, LearnerFactory, make_course


def learner(provider, **kw):
    return LearnerFactory(provider=provider, **kw)


def obliged(provider, **kw):
    lr = LearnerFactory(provider=provider, **kw)
    EntitlementFactory(
        learner=lr,
        kind=Entitlement.Kind.OBLIGATION,
        authority=Entitlement.Authority.IMMIGRATION_OFFICE,
    )
    return lr


def enrol(course, lr, by=None, **kw):
    return services.enrolment_create(course=course, learner=lr, by=by, **kw)


def fill(course, n, by=None):
    return [enrol(course, LearnerFactory(provider=course.provider), by=by) for _ in range(n)]


def running_course(provider, days_ago=10, **kw):
    return make_course(
        provider=provider,
        start=timezone.localdate() - dt.timedelta(days=days_ago),
        status="running",
        **kw,
    )


__all__ = ["Enrolment", "enrol", "fill", "learner", "obliged", "running_course"]
