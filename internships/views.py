"""Staff pages for internships, and the supervisor's weekly confirmation page (no account)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.links import absolute
from internships import services
from internships.access import (
    employer_for_staff,
    employers_for_staff,
    placement_for_staff,
    placements_for_staff,
    wishes_for_staff,
)
from internships.forms import EmployerForm, EvaluationForm, PlacementForm, WishForm
from internships.models import Placement
from internships.selectors import (
    internship_suggestions,
    placement_clashes,
    placement_week,
    week_of,
)
from people.access import learners_for_staff, require_staff, staff_provider


@login_required
def placement_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    qs = placements_for_staff(user=request.user)
    status = request.GET.get("status", "")
    if status in Placement.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "internships/placement_list.html",
        {"placements": qs[:200], "status": status, "statuses": Placement.Status.choices},
    )


@login_required
def employer_list(request: HttpRequest) -> HttpResponse:
    provider = staff_provider(request.user)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_save(provider=provider, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Employer saved."))
            return redirect("internships-employers")
    return render(
        request,
        "internships/employer_list.html",
        {"employers": employers_for_staff(user=request.user), "form": form},
    )


@login_required
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = employer_for_staff(user=request.user, pk=pk)
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        services.employer_save(
            provider=employer.provider, employer=employer, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Employer saved."))
        return redirect("internships-employers")
    return render(request, "internships/employer_edit.html", {"form": form, "employer": employer})


def _placement_form(request, instance=None):
    return PlacementForm(
        request.POST or None,
        instance=instance,
        learners=learners_for_staff(user=request.user),
        employers=employers_for_staff(user=request.user).filter(active=True),
    )


@login_required
def placement_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = _placement_form(request)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        learner, employer = data.pop("learner"), data.pop("employer")
        try:
            placement = services.placement_create(
                learner=learner, employer=employer, by=request.user, **data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("internships-placement", pk=placement.pk)
    return render(request, "internships/placement_form.html", {"form": form})


@login_required
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_for_staff(user=request.user, pk=pk)
    form = _placement_form(request, instance=placement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("learner", None)
        try:
            services.placement_update(placement=placement, by=request.user, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("internships-placement", pk=placement.pk)
    return render(
        request, "internships/placement_form.html", {"form": form, "placement": placement}
    )


def _week_links(request, placement: Placement) -> list[dict]:
    today = timezone.localdate()
    first = week_of(max(placement.start_date, min(today, placement.end_date)))
    weeks = [first - timedelta(days=7), first]
    links = []
    for monday in weeks:
        if monday + timedelta(days=6) < placement.start_date or monday > placement.end_date:
            continue
        token = services.supervisor_week_token(placement=placement, monday=monday)
        links.append(
            {
                "monday": monday,
                "url": absolute(reverse("internships-week", args=[token])),
            }
        )
    return links


@login_required
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_for_staff(user=request.user, pk=pk)
    clashes = []
    if placement.type != Placement.Type.IN_COURSE and placement.status == "proposed":
        clashes = placement_clashes(placement)
    show_links = placement.status in (Placement.Status.AGREED, Placement.Status.RUNNING)
    return render(
        request,
        "internships/placement_detail.html",
        {
            "placement": placement,
            "clashes": clashes,
            "week_links": _week_links(request, placement) if show_links else [],
            "days": placement.days.all(),
            "documents": placement.documents.defer("pdf").order_by("-issued_at"),
            "evaluation_form": EvaluationForm(
                initial={
                    "midterm_evaluation": placement.midterm_evaluation,
                    "final_evaluation": placement.final_evaluation,
                    "outcome": placement.outcome,
                }
            ),
        },
    )


@login_required
@require_POST
def placement_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    placement = placement_for_staff(user=request.user, pk=pk)
    try:
        if action == "agree":
            services.placement_agree(placement=placement, by=request.user)
        elif action == "start":
            services.placement_start(placement=placement, by=request.user)
        elif action == "complete":
            services.placement_complete(
                placement=placement, by=request.user, outcome=request.POST.get("outcome", "")
            )
        elif action == "abort":
            services.placement_abort(
                placement=placement, by=request.user, reason=request.POST.get("reason", "")
            )
        elif action == "evaluate":
            form = EvaluationForm(request.POST)
            if form.is_valid():
                services.placement_evaluate(
                    placement=placement, by=request.user, **form.cleaned_data
                )
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("internships-placement", pk=placement.pk)


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = WishForm(request.POST or None, learners=learners_for_staff(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        learner = data.pop("learner")
        services.internship_wish_save(learner=learner, by=request.user, **data)
        messages.success(request, _("Wish saved."))
        return redirect("internships-suggestions")
    return render(
        request,
        "internships/suggestions.html",
        {
            "suggestions": internship_suggestions(user=request.user),
            "wishes": wishes_for_staff(user=request.user).filter(active=True),
            "form": form,
        },
    )


# Supervisor page (public, signed link) ------------------------------------------------------


def _week_placement(token: str) -> tuple[Placement | None, date | None, str]:
    try:
        placement_id, monday = services.supervisor_week_from_token(token)
    except signing.SignatureExpired:
        return None, None, "expired"
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return None, None, "invalid"
    placement = get_object_or_404(
        Placement.objects.select_related("learner", "employer"), pk=placement_id
    )
    return placement, monday, ""


def supervisor_week(request: HttpRequest, token: str) -> HttpResponse:
    """The supervisor sees this intern's working days of one week and confirms them."""
    placement, monday, problem = _week_placement(token)
    if problem == "expired":
        return render(request, "internships/week_expired.html", status=410)
    if problem:
        raise Http404
    days = placement_week(placement, monday)
    error = ""
    if request.method == "POST":
        submitted = {}
        for entry in days:
            key = entry["date"].isoformat()
            present = request.POST.get(f"present-{key}") == "1"
            try:
                hours = Decimal(request.POST.get(f"hours-{key}") or 0)
            except InvalidOperation:
                hours = Decimal(0)
            submitted[entry["date"]] = {
                "present": present,
                "hours": hours,
                "note": request.POST.get(f"note-{key}", ""),
            }
        try:
            services.placement_week_confirm(
                placement=placement,
                monday=monday,
                days=submitted,
                confirmed_by_name=request.POST.get("name", "") or placement.supervisor_name,
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Thank you. The week is confirmed."))
            return redirect("internships-week", token=token)
    return render(
        request,
        "internships/week.html",
        {
            "placement": placement,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "days": days,
            "error": error,
            "default_hours": placement.daily_hours,
        },
    )
