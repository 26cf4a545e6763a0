"""The doors to volunteer records. Staff of the provider coordinate its volunteers; a volunteer
sees their own profile, shifts and the tandems whose learner consented; a learner sees their own
tandems. Everyone else gets 404, so a foreign record cannot be told from a missing one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.retention import unrestricted
from courses.models import Session
from people.models import Role, User
from volunteers.models import (
    Activity,
    ActivitySignup,
    HoursEntry,
    Shift,
    ShiftAssignment,
    Tandem,
    TandemCheckin,
    Volunteer,
    VolunteeringProof,
)


def coordinated_provider_ids(user: User) -> list[int]:
    """Providers whose volunteer work the user coordinates: where they are staff."""
    return user.provider_ids(role=Role.STAFF) if user.is_authenticated else []


def require_coordinator(user: User) -> list[int]:
    ids = coordinated_provider_ids(user)
    if not ids:
        raise Http404
    return ids


# --- staff ------------------------------------------------------------------------------------


def volunteers_for_staff(*, user: User) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(provider_id__in=coordinated_provider_ids(user)).select_related(
        "user", "provider"
    )


def volunteer_for_staff(*, user: User, pk: int) -> Volunteer:
    return get_object_or_404(volunteers_for_staff(user=user), pk=pk)


def activity_for_staff(*, user: User, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.filter(
            course__provider_id__in=coordinated_provider_ids(user)
        ).select_related("course__location", "course__provider"),
        pk=pk,
    )


def session_for_staff(*, user: User, pk: int) -> Session:
    """A date of an activity of the user's providers."""
    return get_object_or_404(
        Session.objects.filter(
            course__provider_id__in=coordinated_provider_ids(user),
            course__volunteer_activity__isnull=False,
        ).select_related("course"),
        pk=pk,
    )


def shift_for_staff(*, user: User, pk: int) -> Shift:
    return get_object_or_404(
        Shift.objects.filter(
            activity__course__provider_id__in=coordinated_provider_ids(user)
        ).select_related("session", "activity__course"),
        pk=pk,
    )


def assignment_for_staff(*, user: User, pk: int) -> ShiftAssignment:
    return get_object_or_404(
        ShiftAssignment.objects.filter(
            volunteer__provider_id__in=coordinated_provider_ids(user)
        ).select_related("shift__session", "volunteer__user"),
        pk=pk,
    )


def tandem_for_staff(*, user: User, pk: int) -> Tandem:
    """Tandems of the user's providers (not those of a restricted learner: the DPO's only)."""
    return get_object_or_404(
        unrestricted(
            Tandem.objects.filter(provider_id__in=coordinated_provider_ids(user))
        ).select_related("volunteer__user", "learner"),
        pk=pk,
    )


def hours_for_staff(*, user: User) -> QuerySet[HoursEntry]:
    return HoursEntry.objects.filter(volunteer__provider_id__in=coordinated_provider_ids(user))


# --- the volunteer ----------------------------------------------------------------------------


def own_profiles(*, user: User) -> QuerySet[Volunteer]:
    """The user's volunteer profiles (any status), with their provider."""
    if not user.is_authenticated:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(user_id=user.pk).select_related("provider", "user")


def own_profile(*, user: User, pk: int) -> Volunteer:
    return get_object_or_404(own_profiles(user=user), pk=pk)


def own_active_profiles(*, user: User) -> QuerySet[Volunteer]:
    return own_profiles(user=user).filter(status=Volunteer.Status.ACTIVE)


def shift_for_volunteer(*, user: User, pk: int) -> Shift:
    """A shift of a provider the user actively volunteers for."""
    providers = own_active_profiles(user=user).values("provider_id")
    return get_object_or_404(
        Shift.objects.filter(activity__course__provider_id__in=providers).select_related(
            "session", "activity__course"
        ),
        pk=pk,
    )


def own_assignment(*, user: User, pk: int) -> ShiftAssignment:
    return get_object_or_404(
        ShiftAssignment.objects.filter(volunteer__user_id=user.pk).select_related(
            "shift__session", "volunteer"
        ),
        pk=pk,
    )


def own_tandem(*, user: User, pk: int) -> Tandem:
    """A tandem of the volunteer whose learner consented (and has not withdrawn)."""
    return get_object_or_404(
        unrestricted(Tandem.objects.visible_to_volunteer())
        .filter(volunteer__user_id=user.pk)
        .select_related("learner", "volunteer"),
        pk=pk,
    )


def own_checkin(*, user: User, pk: int) -> TandemCheckin:
    return get_object_or_404(
        TandemCheckin.objects.filter(
            tandem__in=unrestricted(Tandem.objects.visible_to_volunteer()).filter(
                volunteer__user_id=user.pk
            )
        ).select_related("tandem"),
        pk=pk,
    )


def own_proof(*, user: User, pk: int) -> VolunteeringProof:
    return get_object_or_404(
        VolunteeringProof.objects.filter(volunteer__user_id=user.pk).select_related("document"),
        pk=pk,
    )


def proof_for_staff(*, user: User, pk: int) -> VolunteeringProof:
    return get_object_or_404(
        VolunteeringProof.objects.filter(
            volunteer__provider_id__in=coordinated_provider_ids(user)
        ).select_related("document"),
        pk=pk,
    )


# --- the learner ------------------------------------------------------------------------------


def learner_tandem(*, user: User, pk: int) -> Tandem:
    """One of the learner's own tandems (the learner record linked to the user's login)."""
    return get_object_or_404(
        Tandem.objects.filter(learner__user_id=user.pk).select_related("volunteer__user"), pk=pk
    )


def own_signup(*, user: User, pk: int) -> ActivitySignup:
    return get_object_or_404(ActivitySignup.objects.filter(learner__user_id=user.pk), pk=pk)
