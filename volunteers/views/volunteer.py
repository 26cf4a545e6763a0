"""The volunteer's own pages (phone first, in the learners' languages): home with requirements,
shifts and language buddies; free shifts; a tandem; the profile; the yearly record and proof."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from volunteers import access, services
from volunteers.forms import CheckinAnswerForm, MeetingForm, VolunteerProfileForm
from volunteers.models import HoursEntry, Volunteer
from volunteers.selectors import (
    buddies_for,
    buddy_for,
    current_rules,
    my_shifts,
    open_shifts,
    requirement_states,
    yearly_record,
)
from volunteers.services.base import today
from volunteers.views.common import pdf_response
from volunteers.views.public import language_choices


def _profiles(request: HttpRequest) -> list[Volunteer]:
    profiles = list(access.own_profiles(user=request.user))
    if not profiles:
        raise Http404
    return profiles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profiles = _profiles(request)
    day = today()
    rules = current_rules(day)
    for profile in profiles:
        profile.states = (
            requirement_states(volunteer=profile, on=day, rules=rules)
            if profile.status in (Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED)
            else []
        )
    minutes = {
        row["status"]: row["total"]
        for row in HoursEntry.objects.filter(volunteer__user=request.user, date__year=day.year)
        .values("status")
        .annotate(total=Sum("minutes"))
        .order_by()
    }
    return render(
        request,
        "volunteers/home.html",
        {
            "profiles": profiles,
            "shifts": my_shifts(user=request.user, today=day),
            "free_shifts": open_shifts(user=request.user, today=day).count(),
            "buddies": buddies_for(request.user),
            "approved_hours": round(minutes.get(HoursEntry.Status.APPROVED, 0) / 60, 1),
            "pending_hours": round(minutes.get(HoursEntry.Status.PENDING, 0) / 60, 1),
            "year": day.year,
            "today": day,
            "page_languages": language_choices(),
        },
    )


@login_required
def shifts(request: HttpRequest) -> HttpResponse:
    _profiles(request)
    return render(
        request,
        "volunteers/shifts.html",
        {
            "shifts": open_shifts(user=request.user, today=today()),
            "page_languages": language_choices(),
        },
    )


@login_required
@require_POST
def shift_claim(request: HttpRequest, pk: int) -> HttpResponse:
    shift = access.shift_for_volunteer(user=request.user, pk=pk)
    volunteer = access.own_active_profiles(user=request.user).get(
        provider_id=shift.activity.course.provider_id
    )
    try:
        services.shift_claim(shift=shift, volunteer=volunteer, by=request.user)
        messages.success(request, _("The shift is yours. Thank you!"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("volunteers-shifts")
    return redirect("volunteers-home")


@login_required
@require_POST
def shift_release(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.own_assignment(user=request.user, pk=pk)
    try:
        services.shift_release(assignment=assignment, by=request.user)
        messages.success(request, _("You gave the shift back."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("volunteers-home")


@login_required
def tandem(request: HttpRequest, pk: int) -> HttpResponse:
    """One language buddy: first name, languages, level, contact; log a meeting; answer."""
    the_tandem = access.own_tandem(user=request.user, pk=pk)
    buddy = buddy_for(request.user, the_tandem)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tandem_meeting_log(
                tandem=the_tandem,
                day=form.cleaned_data["date"],
                minutes=form.cleaned_data["minutes"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Meeting saved. Thank you!"))
            return redirect("volunteers-tandem", pk=the_tandem.pk)
    return render(
        request,
        "volunteers/tandem.html",
        {
            "buddy": buddy,
            "form": form,
            "answer_form": CheckinAnswerForm(),
            "page_languages": language_choices(),
        },
    )


@login_required
@require_POST
def checkin_answer(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = access.own_checkin(user=request.user, pk=pk)
    form = CheckinAnswerForm(request.POST)
    if form.is_valid():
        services.tandem_checkin_answer(
            checkin=checkin,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, _("Thank you for your answer."))
    else:
        messages.error(request, _("Please choose an answer."))
    return redirect("volunteers-tandem", pk=checkin.tandem_id)


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = access.own_profile(user=request.user, pk=pk)
    form = VolunteerProfileForm(request.POST or None, volunteer=volunteer)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_profile_save(volunteer=volunteer, profile=form.profile())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("volunteers-home")
    return render(
        request,
        "volunteers/profile.html",
        {"volunteer": volunteer, "form": form, "page_languages": language_choices()},
    )


@login_required
def record(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    volunteer = access.own_profile(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/record.html",
        {
            "record": yearly_record(volunteer, year),
            "volunteer": volunteer,
            "proofs": volunteer.proofs.filter(year=year, document__revoked_at__isnull=True),
            "years": range(today().year, max(volunteer.applied_at.year, today().year - 5) - 1, -1),
            "page_languages": language_choices(),
        },
    )


@login_required
@require_POST
def proof_issue(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The volunteer asks for their proof of the year (from staff-approved hours only)."""
    volunteer = access.own_profile(user=request.user, pk=pk)
    try:
        proof = services.proof_issue(volunteer=volunteer, year=year, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("volunteers-record", pk=pk, year=year)
    return redirect("volunteers-proof-pdf", pk=proof.pk)


@login_required
def proof_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    proof = access.own_proof(user=request.user, pk=pk)
    return pdf_response(bytes(proof.document.pdf), f"ehrenamtsnachweis-{proof.year}.pdf")
