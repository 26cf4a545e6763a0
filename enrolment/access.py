"""The doors to enrolment objects: staff of the provider, or the learner themself; 404 otherwise."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.retention import unrestricted
from enrolment.models import Enrolment, PlacementBooking, PlacementResult, PlacementSlot
from people.access import staff_provider_ids
from people.models import Learner, User


def enrolment_for_staff(*, user: User, pk: int) -> Enrolment:
    qs = unrestricted(Enrolment.objects.filter(course__provider_id__in=staff_provider_ids(user)))
    return get_object_or_404(qs.select_related("learner", "course", "module"), pk=pk)


def learner_of(user: User) -> Learner:
    """The learner record behind a learner's login; 404 for anyone else."""
    learner = getattr(user, "learner", None) if user.is_authenticated else None
    if learner is None:
        raise Http404
    return learner


def enrolment_for_learner(*, user: User, pk: int) -> Enrolment:
    learner = learner_of(user)
    return get_object_or_404(
        Enrolment.objects.filter(learner=learner).select_related(
            "learner", "course__location", "course__course_type", "course__provider", "module"
        ),
        pk=pk,
    )


def enrolment_for_user(*, user: User, pk: int) -> Enrolment:
    """Staff of the course's provider, or the learner it belongs to."""
    qs = unrestricted(Enrolment.objects).select_related(
        "learner", "course__location", "course__course_type", "course__provider", "module"
    )
    learner = getattr(user, "learner", None) if user.is_authenticated else None
    enrolment = qs.filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    if enrolment.course.provider_id in staff_provider_ids(user):
        return enrolment
    if learner is not None and enrolment.learner_id == learner.pk:
        return enrolment
    raise Http404


def slot_for_staff(*, user: User, pk: int) -> PlacementSlot:
    return get_object_or_404(
        PlacementSlot.objects.filter(provider_id__in=staff_provider_ids(user)).select_related(
            "location", "tester", "provider"
        ),
        pk=pk,
    )


def booking_for_staff(*, user: User, pk: int) -> PlacementBooking:
    return get_object_or_404(
        unrestricted(
            PlacementBooking.objects.filter(slot__provider_id__in=staff_provider_ids(user))
        ).select_related("slot", "learner"),
        pk=pk,
    )


def result_for_staff(*, user: User, pk: int) -> PlacementResult:
    return get_object_or_404(
        unrestricted(
            PlacementResult.objects.filter(booking__slot__provider_id__in=staff_provider_ids(user))
        ).select_related(
            "booking__learner",
            "booking__slot",
            "placed_module",
            "placed_course_type",
            "recommended_module",
            "recommended_course_type",
        ),
        pk=pk,
    )
