"""Referral pages: the sender's (a counsellor's own referrals, a caseworker's Jobcenter's) and the
receiving staff's inbox. The sender sees status and dates, never attendance or the receiver's
notes; the receiver sees the person's data only as far as the consent (or obligation) allows.
Outsiders get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.links import absolute
from core.qr import qr_data_uri
from people.models import Role
from referrals import access, selectors, services
from referrals.directory.views import chosen_place
from referrals.forms import CloseForm, DeclineForm, MatchForm, NoteForm, ReferralForm
from referrals.models import ITEM_FIELDS, DataItem, Status

LIST_LIMIT = 200


def _error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


# --- sender ------------------------------------------------------------------------------------


def _log_reads(request: HttpRequest, organisation, reads: list[services.Read]) -> None:
    services.referral_reads_log(
        reads=reads,
        user=request.user,
        organisation=organisation,
        method=request.method or "GET",
        path=request.path,
    )


@never_cache
@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    organisation = access.sender_organisation_for(user=request.user)
    referrals = list(selectors.sent_by(request.user).order_by("-sent_at", "-pk")[:LIST_LIMIT])
    _log_reads(request, organisation, [services.Read(r, STATUS_READ) for r in referrals])
    return render(
        request,
        "referrals/list.html",
        {"organisation": organisation, "referrals": referrals},
    )


#: What a sender reads of a referral: how far it got at the receiver (and, with the person's
#: consent, the course and its dates).
STATUS_READ = ("referral.status",)
PROGRESS_READ = ("referral.status", "referral.progress")
#: The session key under which a new consent code waits to be shown to the sender, once.
CODE_SESSION_KEY = "referrals.consent_code.{pk}"


def _keep_code(request: HttpRequest, referral_pk: int, code: str) -> None:
    request.session[CODE_SESSION_KEY.format(pk=referral_pk)] = code


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    organisation = access.sender_organisation_for(user=request.user)
    initial, place = chosen_place(request, organisation)  # picked in the network directory
    form = ReferralForm(request.POST or None, sender_organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = None
        if data["consent_method"]:
            consent = services.ConsentInput(
                items=frozenset(data["consent_items"]), method=data["consent_method"]
            )
        try:
            referral = services.referral_create(
                sender_organisation=organisation,
                sender=request.user,
                receiver=data["receiver"],
                purpose=data["purpose"],
                course_type_code=data["course_type_code"] or "",
                course=data["course"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                email=data["email"],
                languages=data["languages"],
                level=data["level"] or "",
                obligation=data["obligation"] or "",
                customer_number=data["customer_number"],
                note=data["note"],
                consent=consent,
                # the form's one-time token: a second submission (double click, reload, back
                # and send again) finds the first referral instead of sending another
                client_reference=form.client_reference(),
                receiver_location=data["receiver_location"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if not referral.was_created:
                messages.info(request, _("This referral had already been sent."))
            else:
                messages.success(request, _("The referral was sent."))
                if referral.consent_code:
                    _keep_code(request, referral.pk, referral.consent_code)
            return redirect("referrals-detail", referral.pk)
    return render(
        request, "referrals/new.html", {"organisation": organisation, "form": form, "place": place}
    )


@never_cache
@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = access.referral_for_sender(user=request.user, pk=pk)
    progress = selectors.progress_for_sender(referral)
    _log_reads(
        request,
        referral.sender_organisation,
        [services.Read(referral, PROGRESS_READ if progress else STATUS_READ)],
    )
    pending = referral.pending_consent()
    code = request.session.pop(CODE_SESSION_KEY.format(pk=referral.pk), "") if pending else ""
    confirm_url = absolute(reverse("referrals-confirm")) if pending else ""
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "consents": list(referral.consents.all()),
            "progress": progress,
            "close_form": CloseForm(),
            "can_close": referral.status != Status.CLOSED,
            "pending": pending,
            "code": code,
            "confirm_url": confirm_url,
            "code_qr": qr_data_uri(absolute(reverse("referrals-confirm-code", args=[code])))
            if code
            else "",
        },
    )


@login_required
@require_POST
def consent_code_new(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    """A new code for the person (the first expired or got lost); the old one stops working."""
    referral = access.referral_for_sender(user=request.user, pk=pk)
    consent = get_object_or_404(referral.consents.all(), pk=consent_pk)
    try:
        code = services.consent_code_issue(consent=consent, by=request.user)
    except DomainError as exc:
        _error(request, exc)
    else:
        _keep_code(request, referral.pk, code)
    return redirect("referrals-detail", referral.pk)


@login_required
@require_POST
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = access.referral_for_sender(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.referral_close(
                referral=referral, by=request.user, outcome=form.cleaned_data["outcome"]
            )
            messages.success(request, _("The referral was closed."))
        except DomainError as exc:
            _error(request, exc)
    return redirect("referrals-detail", referral.pk)


@login_required
@require_POST
def consent_revoke(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    referral = access.referral_for_sender(user=request.user, pk=pk)
    consent = get_object_or_404(referral.consents.all(), pk=consent_pk)
    services.consent_revoke(consent=consent, by=request.user)
    messages.success(request, _("The consent was revoked; the receiver no longer sees the data."))
    return redirect("referrals-detail", referral.pk)


# --- receiver ----------------------------------------------------------------------------------


@never_cache
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    ids = access.receiving_provider_ids(user=request.user)
    referrals = selectors.inbox(ids).order_by("-sent_at", "-pk")
    stalled = request.GET.get("stalled") == "1"
    if stalled:
        referrals = referrals.filter(stalled_at__isnull=False).exclude(status=Status.CLOSED)
    rows = [(r, r.shared_items()) for r in referrals[:LIST_LIMIT]]
    # one access log entry per receiving provider whose referrals were shown
    by_receiver: dict[int, list[services.Read]] = {}
    for r, items in rows:
        read = services.Read(r, services.received_fields(r, items, detail=False))
        by_receiver.setdefault(r.receiver_id, []).append(read)
    for reads in by_receiver.values():
        _log_reads(request, reads[0].referral.receiver, reads)
    return render(request, "referrals/inbox.html", {"rows": rows, "stalled": stalled})


def _person(referral, items) -> list[tuple[str, object]]:
    """(label, value) of the personal fields the receiver may see now."""
    from referrals.models import Referral

    shown = []
    for item, names in ITEM_FIELDS.items():
        if item not in items:
            continue
        for name in names:
            value = getattr(referral, name)
            if name == "level":
                value = referral.get_level_display()
            if value:
                shown.append((Referral._meta.get_field(name).verbose_name, value))
    return shown


@never_cache
@login_required
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = access.referral_for_receiver(user=request.user, pk=pk)
    items = referral.shared_items()
    candidates = selectors.duplicate_candidates(referral) if referral.learner_id is None else []
    _log_reads(
        request,
        referral.receiver,
        [services.Read(referral, services.received_fields(referral, items, detail=True))],
    )
    return render(
        request,
        "referrals/inbox_detail.html",
        {
            "referral": referral,
            "items": items,
            "person": _person(referral, items),
            "withheld": DataItem.IDENTITY not in items,
            "pending": referral.pending_consent() is not None,
            "candidates": candidates,
            "match_form": MatchForm(candidates=candidates),
            "decline_form": DeclineForm(),
            "note_form": NoteForm(initial={"receiver_note": referral.receiver_note}),
            "close_form": CloseForm(),
        },
    )


@login_required
@require_POST
def inbox_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    referral = access.referral_for_receiver(user=request.user, pk=pk)
    user = request.user
    try:
        if action == "accept":
            services.referral_accept(referral=referral, by=user)
            messages.success(request, _("The referral was accepted."))
        elif action == "decline":
            form = DeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a reason from the list."))
            else:
                services.referral_decline(referral=referral, by=user, **form.cleaned_data)
                messages.success(request, _("The referral was declined."))
        elif action == "match":
            form = MatchForm(request.POST, candidates=selectors.duplicate_candidates(referral))
            if form.is_valid():
                services.referral_match(
                    referral=referral, learner=form.cleaned_data["learner"], by=user
                )
                messages.success(request, _("The referral was matched to the learner."))
            else:
                messages.error(request, _("Choose one of the proposed learners."))
        elif action == "create-learner":
            services.referral_learner_create(
                referral=referral, by=user, not_a_duplicate=request.POST.get("confirm") == "1"
            )
            messages.success(request, _("A learner record was created from the referral."))
        elif action == "revoke":
            # the person may withdraw consent at the receiver too
            consent = referral.active_consent()
            if consent is not None:
                services.consent_revoke(consent=consent, by=user)
                messages.success(request, _("The consent was revoked."))
        elif action == "note":
            form = NoteForm(request.POST)
            if form.is_valid():
                services.referral_note(referral=referral, by=user, **form.cleaned_data)
        elif action == "close":
            form = CloseForm(request.POST)
            if form.is_valid():
                services.referral_close(
                    referral=referral, by=user, outcome=form.cleaned_data["outcome"]
                )
        else:
            from django.http import Http404

            raise Http404
    except DomainError as exc:
        _error(request, exc)
    return redirect("referrals-inbox-detail", referral.pk)


# --- reports -----------------------------------------------------------------------------------


def _period(request: HttpRequest):
    from django.utils import timezone

    from core.report_pages import requested_period
    from referrals.reports import Period

    return requested_period(request, Period.last_twelve_months(timezone.localdate()), Period)


@never_cache
@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    from core.report_pages import report_table
    from referrals.reports import REPORTS

    scope = access.report_scope(user=request.user, wanted=request.GET.get("scope"))
    period = _period(request)
    shown = [report_table(report, report.build(scope, period)) for report in REPORTS.values()]
    return render(
        request,
        "referrals/reports.html",
        {
            "reports": shown,
            "period": period,
            "scope": scope,
            "scope_param": "network" if scope.network else "",
            "may_switch": bool(request.user.provider_ids(role=Role.STAFF))
            and access.may_see_network_reports(request.user),
        },
    )


@never_cache
@login_required
def report_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    from django.http import Http404

    from core.report_pages import EXPORT_FORMATS, report_download
    from referrals.reports import REPORTS

    scope = access.report_scope(user=request.user, wanted=request.GET.get("scope"))
    report = REPORTS.get(slug)
    if report is None or fmt not in EXPORT_FORMATS:
        raise Http404
    df = report.build(scope, _period(request))
    return report_download(request, report, df, fmt=fmt, name=f"vermittlungen-{slug}")
