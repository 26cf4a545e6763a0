"""Staff: placement-test slots and results."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.params import id_or_404
from core.retention import unrestricted
from courses.access import course_for_staff
from courses.models import Module
from enrolment import access, forms, selectors, services
from enrolment.models import Enrolment
from enrolment.views.base import _fail, staff_required
from people.models import Learner, Location, Role, User

# --- staff: placement tests ---------------------------------------------------------------------


def _staff_locations(user: User):
    return Location.objects.filter(organisation_id__in=user.provider_ids(role=Role.STAFF))


def _staff_testers(user: User):
    return User.objects.filter(
        memberships__organisation_id__in=user.provider_ids(role=Role.STAFF)
    ).distinct()


@staff_required
def slots(request: HttpRequest) -> HttpResponse:
    form = forms.SlotForm(
        request.POST or None,
        locations=_staff_locations(request.user),
        testers=_staff_testers(request.user),
    )
    if request.method == "POST" and form.is_valid():
        location = form.cleaned_data["location"]
        try:
            slot = services.placement_slot_create(
                provider=location.organisation, by=request.user, **form.cleaned_data
            )
            return redirect("enrolment-slot", pk=slot.pk)
        except DomainError as exc:
            _fail(request, exc)
    slot_list = selectors.placement_slots_for_staff(user=request.user).filter(
        date__gte=timezone.localdate()
    )
    return render(request, "enrolment/slots.html", {"form": form, "slots": slot_list})


def _result_form(data=None, auto_id="id_%s"):
    from courses.models import CourseType

    modules = Module.objects.filter(
        course_type__in=CourseType.objects.current(), kind=Module.Kind.LANGUAGE
    ).select_related("course_type")
    return forms.ResultForm(data, modules=modules, auto_id=auto_id)


@staff_required
def slot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    slot = access.slot_for_staff(user=request.user, pk=pk)
    if request.method == "POST":
        learner = get_object_or_404(
            Learner, pk=request.POST.get("learner") or 0, provider_id=slot.provider_id
        )
        try:
            services.placement_book(slot=slot, learner=learner, by=request.user)
            messages.success(request, _("Booked."))
        except DomainError as exc:
            _fail(request, exc)
        return redirect("enrolment-slot", pk=slot.pk)
    return _slot_page(request, slot)


def _slot_page(request: HttpRequest, slot, bound: dict | None = None) -> HttpResponse:
    """The slot with its bookings; ``bound`` maps a booking id to its result form as posted, so
    a result with an error comes back with the values entered and the error at the field."""
    bound = bound or {}
    bookings = list(
        unrestricted(slot.bookings.all()).select_related("learner", "result__placed_module")
    )
    for booking in bookings:
        if not hasattr(booking, "result"):
            booking.form = bound.get(booking.pk) or _result_form(auto_id=f"b{booking.pk}_%s")
    booked = [b.learner_id for b in bookings]
    learners = Learner.objects.filter(provider_id=slot.provider_id).exclude(pk__in=booked)
    return render(
        request,
        "enrolment/slot_detail.html",
        {
            "slot": slot,
            "bookings": bookings,
            "full": len(booked) >= slot.capacity,
            "book_form": forms.LearnerChoiceForm(learners=learners, auto_id="book-%s"),
        },
    )


@staff_required
@require_POST
def record_result(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access.booking_for_staff(user=request.user, pk=pk)
    form = _result_form(request.POST, auto_id=f"b{booking.pk}_%s")
    if form.is_valid():
        try:
            result = services.placement_result_record(
                booking=booking, by=request.user, **form.cleaned_data
            )
            return redirect("enrolment-result", pk=result.pk)
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
    # back to the slot with what was entered and the errors at the fields
    messages.error(request, _("The result was not saved: see the form below."))
    return _slot_page(request, booking.slot, bound={booking.pk: form})


@staff_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A result with the matching open courses (seats left) and one-step enrol or wait."""
    result = access.result_for_staff(user=request.user, pk=pk)
    if request.method == "POST":
        course = None
        if request.POST.get("course"):
            course = course_for_staff(user=request.user, pk=id_or_404(request.POST.get("course")))
        try:
            outcome = services.enrol_from_result(result=result, course=course, by=request.user)
            if isinstance(outcome, Enrolment):
                messages.success(request, outcome.get_status_display())
            else:
                messages.success(request, _("The learner waits for any fitting course."))
        except DomainError as exc:
            _fail(request, exc)
        return redirect("enrolment-result", pk=result.pk)
    return render(
        request,
        "enrolment/result_detail.html",
        {
            "result": result,
            "learner": result.booking.learner,
            "courses": selectors.matching_courses(result=result),
            "enrolments": selectors.learner_enrolments(learner=result.booking.learner),
        },
    )
