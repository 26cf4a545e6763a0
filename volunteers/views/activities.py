"""Coordinators' pages for activities: create a language café (homework help, an event), see its
dates and which shifts are filled, assign volunteers, confirm who was there, cancel a date. The
check-in QR of a date is the attendance app's QR screen for that session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.params import id_or_404
from core.retention import unrestricted
from people.models import Location, Organisation
from volunteers import access, services
from volunteers.forms import ActivityForm, CancelDateForm, ExtendForm
from volunteers.models import Activity, ActivitySignup, Shift, ShiftAssignment, Volunteer
from volunteers.selectors.staff import shifts_with_counts
from volunteers.services.base import today


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    ids = access.require_coordinator(request.user)
    locations = Location.objects.filter(organisation_id__in=ids).select_related("organisation")
    form = ActivityForm(request.POST or None, locations=locations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        location = data.pop("location")
        try:
            activity = services.activity_create(
                provider=Organisation.objects.get(pk=location.organisation_id),
                location=location,
                by=request.user,
                **data,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Activity created with its dates."))
            return redirect("volunteers-staff-activity", pk=activity.pk)
    activities = (
        Activity.objects.filter(course__provider_id__in=ids)
        .select_related("course__location")
        .annotate(dates=Count("course__sessions", filter=Q(course__sessions__date__gte=today())))
        .order_by("-course__end_date", "pk")
    )
    return render(
        request,
        "volunteers/staff/activity_list.html",
        {"activities": activities[:100], "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.activity_for_staff(user=request.user, pk=pk)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.activity_dates_extend(activity=activity, until=form.cleaned_data["until"])
        except DomainError as exc:
            form.add_error("until", exc.message)
        else:
            messages.success(request, _("%(n)s dates added.") % {"n": n})
            return redirect("volunteers-staff-activity", pk=activity.pk)
    shifts = shifts_with_counts(
        Shift.objects.filter(activity=activity, session__date__gte=today())
    ).select_related("session")
    signups = dict(
        ActivitySignup.objects.filter(
            session__course=activity.course, cancelled_at__isnull=True, session__date__gte=today()
        )
        .values_list("session_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "volunteers/staff/activity.html",
        {
            "activity": activity,
            "shifts": shifts.order_by("session__date", "session__start_time")[:60],
            "signups": signups,
            "form": form,
        },
    )


@login_required
def date_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One date: its shifts with who took them (check in by hand), learners signed up, the QR."""
    session = access.session_for_staff(user=request.user, pk=pk)
    shifts = list(
        Shift.objects.filter(session=session).prefetch_related(
            Prefetch(
                "assignments",
                queryset=ShiftAssignment.objects.filter(
                    status=ShiftAssignment.Status.CLAIMED
                ).select_related("volunteer__user"),
                to_attr="claims",
            )
        )
    )
    activity = session.course.volunteer_activity
    volunteers = Volunteer.objects.active().filter(provider_id=session.course.provider_id)
    return render(
        request,
        "volunteers/staff/date.html",
        {
            "session": session,
            "activity": activity,
            "shifts": shifts,
            "volunteers": volunteers.select_related("user"),
            "signups": unrestricted(
                ActivitySignup.objects.filter(session=session, cancelled_at__isnull=True)
            ).select_related("learner"),
            "cancel_form": CancelDateForm(),
        },
    )


@login_required
@require_POST
def date_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    session = access.session_for_staff(user=request.user, pk=pk)
    try:
        if action == "assign":
            shift = get_object_or_404(
                Shift, session=session, pk=id_or_404(request.POST.get("shift"))
            )
            volunteer = get_object_or_404(
                access.volunteers_for_staff(user=request.user),
                pk=id_or_404(request.POST.get("volunteer")),
            )
            services.shift_claim(shift=shift, volunteer=volunteer, by=request.user)
        elif action == "cancel":
            form = CancelDateForm(request.POST)
            reason = form.data.get("reason", "")
            services.activity_date_cancel(session=session, reason=reason, by=request.user)
        else:
            raise Http404
        messages.success(request, _("Done."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("volunteers-staff-date", pk=session.pk)


@login_required
@require_POST
def assignment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assignment = access.assignment_for_staff(user=request.user, pk=pk)
    try:
        if action == "checkin":
            services.shift_checkin_by_staff(assignment=assignment, by=request.user)
        elif action == "release":
            services.shift_release(assignment=assignment, by=request.user)
        else:
            raise Http404
        messages.success(request, _("Done."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("volunteers-staff-date", pk=assignment.shift.session_id)
