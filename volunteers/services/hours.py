"""Hours: staff add and decide them; the yearly proof of volunteering is issued as a verifiable
document of the certificates app (its code and QR lead to ``/verify/<code>``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Kind
from certificates.rendering import verify_url
from certificates.services import certificate_revoke, document_issue_rendered
from core.pdf import render_pdf
from core.qr import qr_data_uri
from people.models import User
from volunteers.models import Activity, HoursEntry, Volunteer, VolunteeringProof
from volunteers.selectors.records import proof_facts_name, yearly_record
from volunteers.services.base import VolunteerError, now, today


@transaction.atomic
def hours_add(
    *,
    volunteer: Volunteer,
    day: date,
    minutes: int,
    description: str,
    by: User,
    activity: Activity | None = None,
) -> HoursEntry:
    """Staff enter hours done outside shifts and tandems (an event, accompanying someone)."""
    if day > today():
        raise VolunteerError(
            _("The date cannot be in the future."), code="future_date", field="date"
        )
    if not 1 <= minutes <= 24 * 60:
        raise VolunteerError(
            _("Give the time in minutes (up to a day)."),
            code="minutes_out_of_range",
            field="minutes",
        )
    if activity is not None and activity.course.provider_id != volunteer.provider_id:
        raise VolunteerError(
            _("The activity belongs to another provider."),
            code="foreign_activity",
            field="activity",
        )
    if not description.strip() and activity is None:
        raise VolunteerError(
            _("Say what the time was for."), code="description_required", field="description"
        )
    return HoursEntry.objects.create(
        volunteer=volunteer,
        date=day,
        minutes=minutes,
        source=HoursEntry.Source.OTHER,
        activity=activity,
        description=description.strip(),
    )


@transaction.atomic
def hours_decide(
    *, entries: Iterable[HoursEntry], approve: bool, by: User, reason: str = ""
) -> int:
    """Approve or (with a reason) reject hours waiting for a decision; returns how many changed.
    Decided hours stay as decided."""
    if not approve and not reason.strip():
        raise VolunteerError(
            _("Give a reason for not approving."), code="reason_required", field="reason"
        )
    ids = [e.pk for e in entries]
    return HoursEntry.objects.filter(pk__in=ids, status=HoursEntry.Status.PENDING).update(
        status=HoursEntry.Status.APPROVED if approve else HoursEntry.Status.REJECTED,
        decided_at=now(),
        decided_by=by,
        reject_reason="" if approve else reason.strip(),
    )


def _proof_pdf(*, volunteer: Volunteer, record, code: str, issued_on: date) -> bytes:
    url = verify_url(code)
    return render_pdf(
        "volunteers/pdf/proof.html",
        {
            "volunteer": volunteer,
            "provider": volunteer.provider,
            "record": record,
            "code": code,
            "verify_url": url,
            "qr": qr_data_uri(url, box_size=4),
            "issued_on": issued_on,
        },
        language="de",
    )


@transaction.atomic
def proof_issue(*, volunteer: Volunteer, year: int, by: User | None) -> VolunteeringProof:
    """Issue the proof of volunteering for a year: approved hours by activity and trainings.

    It is a document of the certificates app: immutable, with a verification code and QR that
    ``/verify/<code>`` answers for. Issuing again for the same year (more hours were approved)
    revokes the earlier proof.
    """
    volunteer = Volunteer.objects.select_related("user", "provider").get(pk=volunteer.pk)
    if year > today().year:
        raise VolunteerError(_("This year has not begun."), code="future_year", field="year")
    record = yearly_record(volunteer, year)
    if record.is_empty:
        raise VolunteerError(
            _("There are no approved hours or trainings in this year."), code="nothing_to_prove"
        )
    previous = (
        VolunteeringProof.objects.filter(
            volunteer=volunteer, year=year, document__revoked_at__isnull=True
        )
        .select_related("document")
        .first()
    )
    issued_on = timezone.localdate()
    document = document_issue_rendered(
        provider=volunteer.provider,
        kind=Kind.VOLUNTEERING,
        facts={
            "name": proof_facts_name(volunteer),
            "date_from": date(year, 1, 1).isoformat(),
            "date_to": min(date(year, 12, 31), issued_on).isoformat(),
        },
        render=lambda code: _proof_pdf(
            volunteer=volunteer, record=record, code=code, issued_on=issued_on
        ),
        by=by,
        previous=previous.document if previous else None,
    )
    if previous is not None:
        certificate_revoke(
            document=previous.document,
            by=by,
            reason=_("Replaced by a new proof for the same year."),
        )
    return VolunteeringProof.objects.create(volunteer=volunteer, year=year, document=document)
