"""Who may act for a Jobcenter, and the links between a Jobcenter and a learner (legal basis, consent)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, DomainError, PermissionDeniedError
from jobcenter.models import (
    ConsentScope,
    JobcenterLink,
)
from people.models import Entitlement, Learner, Organisation, Role, User


def require_jobcenter(jobcenter: Organisation) -> None:
    if jobcenter.kind != Organisation.Kind.JOBCENTER:
        raise DomainError(_("This organisation is not a Jobcenter."), code="not_a_jobcenter")


@transaction.atomic
def link_create(
    *,
    learner: Learner,
    jobcenter: Organisation,
    customer_number: str,
    basis: str,
    by: User | None,
    obligation: Entitlement | None = None,
    consent_given_on: date | None = None,
    consent_scope: str = "",
) -> JobcenterLink:
    """Record that ``jobcenter`` knows the learner under ``customer_number`` and why it may see data.

    Obligation: there must be an obligation of this learner issued by this Jobcenter (the
    reporting duty). Consent: the date and scope must be recorded. One open link per learner
    and Jobcenter; the learner row is locked so two clicks cannot create two.
    """
    require_jobcenter(jobcenter)
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if by is not None and learner.provider_id not in by.provider_ids(role=Role.STAFF):
        raise PermissionDeniedError(
            _("Only staff of the learner's provider may link them."), code="not_staff"
        )
    customer_number = (customer_number or "").strip()
    if not customer_number:
        raise DomainError(_("Enter the customer number."), code="required", field="customer_number")
    if basis == JobcenterLink.Basis.OBLIGATION:
        if (
            obligation is None
            or obligation.learner_id != learner.pk
            or obligation.kind != Entitlement.Kind.OBLIGATION
            or obligation.jobcenter_id != jobcenter.pk
        ):
            raise DomainError(
                _("A reporting duty needs an obligation of this learner by this Jobcenter."),
                code="no_obligation",
                field="obligation",
            )
        consent_given_on, consent_scope = None, ""
    elif basis == JobcenterLink.Basis.CONSENT:
        if consent_given_on is None:
            raise DomainError(
                _("Enter the date of the consent."), code="required", field="consent_given_on"
            )
        if consent_given_on > timezone.localdate():
            raise DomainError(
                _("The consent date cannot be in the future."),
                code="future_consent",
                field="consent_given_on",
            )
        if consent_scope not in ConsentScope.values:
            raise DomainError(
                _("Choose what the consent covers."), code="required", field="consent_scope"
            )
        obligation = None
    else:
        raise DomainError(_("Choose a legal basis."), code="invalid_basis", field="basis")
    if JobcenterLink.objects.filter(
        learner=learner, jobcenter=jobcenter, ended_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise ConflictError(
            _("The learner is already linked to this Jobcenter."), code="already_linked"
        )
    return JobcenterLink.objects.create(
        learner=learner,
        jobcenter=jobcenter,
        customer_number=customer_number,
        basis=basis,
        obligation=obligation,
        consent_given_on=consent_given_on,
        consent_scope=consent_scope,
        consent_recorded_by=by if basis == JobcenterLink.Basis.CONSENT else None,
        created_by=by,
    )


@transaction.atomic
def consent_revoke(*, link: JobcenterLink, by: User | None) -> JobcenterLink:
    """The learner withdraws consent: from this moment the Jobcenter sees nothing through it.

    Every read filters on ``revoked_at``, so the effect is immediate (no cache to expire).
    """
    link = JobcenterLink.objects.select_for_update().get(pk=link.pk)
    if by is not None and link.learner.provider_id not in by.provider_ids(role=Role.STAFF):
        raise PermissionDeniedError(
            _("Only staff of the learner's provider may change this."), code="not_staff"
        )
    if link.basis != JobcenterLink.Basis.CONSENT:
        raise DomainError(
            _("A reporting duty cannot be revoked; end the link instead."), code="not_consent"
        )
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


@transaction.atomic
def link_end(*, link: JobcenterLink, by: User | None) -> JobcenterLink:
    """End a link (the learner is no longer a client of that Jobcenter); effective at once."""
    link = JobcenterLink.objects.select_for_update().get(pk=link.pk)
    if by is not None and link.learner.provider_id not in by.provider_ids(role=Role.STAFF):
        raise PermissionDeniedError(
            _("Only staff of the learner's provider may change this."), code="not_staff"
        )
    if link.ended_at is None:
        link.ended_at = timezone.now()
        link.save(update_fields=["ended_at"])
    return link
