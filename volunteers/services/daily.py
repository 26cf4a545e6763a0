"""The daily round of volunteer work: reminders before a requirement expires (to the volunteer
and the coordinators, once per record), the "still meeting?" question and the stalled-tandem
flag. Run by the ``volunteers_daily`` task or management command; idempotent within a day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from volunteers.models import RequirementRecord, Volunteer, VolunteerPolicy
from volunteers.services.base import mail_after_commit, now, today
from volunteers.services.profiles import coordinator_ids
from volunteers.services.tandems import tandems_review

DEFAULT_REMIND_DAYS = VolunteerPolicy._meta.get_field("remind_days_before").default


@dataclass(frozen=True)
class DailyResult:
    reminders: int
    checkins_asked: int
    tandems_flagged: int


@transaction.atomic
def requirement_reminders_send(*, on: date | None = None) -> int:
    """Remind volunteers (and their coordinators) of requirements that expire within the
    provider's reminder time, or have expired, unless a newer record replaced them. Each
    record is reminded of once; returns how many records were."""
    on = on or today()
    windows = dict(VolunteerPolicy.objects.values_list("provider_id", "remind_days_before"))
    longest = max([DEFAULT_REMIND_DAYS, *windows.values()])
    newer = RequirementRecord.objects.filter(
        volunteer=OuterRef("volunteer"),
        code=OuterRef("code"),
        fulfilled_on__gt=OuterRef("fulfilled_on"),
    )
    due = (
        RequirementRecord.objects.select_for_update(of=("self",))
        .filter(
            reminded_at__isnull=True,
            expires_on__isnull=False,
            expires_on__lte=on + timedelta(days=longest),
            volunteer__status__in=[Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED],
        )
        .exclude(Exists(newer))
        .select_related("volunteer")
        .order_by("pk")
    )
    by_volunteer: dict[int, list[int]] = defaultdict(list)
    by_provider: dict[int, list[int]] = defaultdict(list)
    reminded = []
    for record in due:
        provider_id = record.volunteer.provider_id
        expires_on = record.expires_on
        assert expires_on is not None  # filtered above
        if expires_on > on + timedelta(days=windows.get(provider_id, DEFAULT_REMIND_DAYS)):
            continue
        reminded.append(record.pk)
        by_volunteer[record.volunteer.user_id].append(record.pk)
        by_provider[provider_id].append(record.pk)
    RequirementRecord.objects.filter(pk__in=reminded).update(reminded_at=now())
    for user_id, ids in by_volunteer.items():
        mail_after_commit(
            kind="requirement_expiring", user_ids=[user_id], context={"record_ids": ids}
        )
    for provider_id, ids in by_provider.items():
        mail_after_commit(
            kind="staff_requirements_expiring",
            user_ids=coordinator_ids(provider_id),
            context={"record_ids": ids},
        )
    return len(reminded)


def volunteers_daily(*, on: date | None = None) -> DailyResult:
    on = on or today()
    reminders = requirement_reminders_send(on=on)
    tandems = tandems_review(on=on)
    return DailyResult(reminders, tandems.asked, tandems.flagged)
