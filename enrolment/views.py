"""Enrolment pages: registration from the catalogue, the proof of registration, staff screens
(the learner's own pages are in ``learner_area``)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.params import id_or_404
from core.pdf import render_pdf
from core.qr import qr_svg
from core.ratelimit import over_limit
from core.retention import unrestricted
from courses.access import course_for_staff, courses_for_staff
from courses.models import Course, Module
from enrolment import access, forms, selectors, services
from enrolment.models import Enrolment
from people.access import learner_for_staff
from people.models import Learner, Location, Role, User


def staff_required(view):
    """Logged in and staff of at least one provider; others get 404."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.provider_ids(role=Role.STAFF):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


# --- learner side -------------------------------------------------------------------------------


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    learner = access.learner_of(request.user)
    course = get_object_or_404(
        Course.objects.public().filter(provider_id=learner.provider_id), pk=pk
    )
    try:
        services.application_create(course=course, learner=learner)
        messages.success(
            request, _("Your application was sent. The course office will contact you.")
        )
    except DomainError as exc:
        _fail(request, exc)
    return redirect("learner-home")


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register from the catalogue (name, birth date, phone or e-mail, language) and apply."""
    course = get_object_or_404(Course.objects.public().select_related("provider"), pk=pk)
    if request.user.is_authenticated and getattr(request.user, "learner", None):
        return redirect("course-detail", pk=pk)
    form = forms.RegisterForm(
        request.POST or None, initial={"preferred_language": translation.get_language()}
    )
    if request.method == "POST" and _registration_limited(request):
        # per address and per identity (name and birth date), so neither a flood from one
        # address nor one identity sent from many creates learners in bulk
        form.add_error(None, _("Too many attempts. Please try again in a minute."))
        return render(
            request, "enrolment/register.html", {"form": form, "course": course}, status=429
        )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.learner_register(provider=course.provider, **form.cleaned_data)
            if registration.is_new:
                services.application_create(course=course, learner=registration.learner)
            else:  # the same answer as for a new registration: nothing tells who is registered
                _application_quietly(course=course, learner=registration.learner)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(
                request, _("You are registered. The course office will confirm your application.")
            )
            if registration.is_new:  # a known person's account is never handed to this phone
                _login(request, registration.learner.user)
            return redirect("learner-home")
    return render(request, "enrolment/register.html", {"form": form, "course": course})


def _application_quietly(*, course: Course, learner: Learner) -> None:
    """The application of an already registered person (staff see it); a refusal (already
    applied, already enrolled) is not shown, as it would tell a stranger about the person."""
    try:
        with transaction.atomic():
            services.application_create(course=course, learner=learner)
    except DomainError:
        pass


def _registration_limited(request: HttpRequest) -> bool:
    identity = "|".join(
        request.POST.get(field, "") for field in ("first_name", "last_name", "date_of_birth")
    )
    return over_limit(request, scope="register", identity=identity)


def _login(request: HttpRequest, user: User) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.set_expiry(settings.SESSION_COOKIE_AGE)  # this phone stays logged in


def confirmation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Anmeldebestätigung for the Jobcenter: the learner's own, or staff of the provider."""
    if not request.user.is_authenticated:
        raise Http404
    enrolment = access.enrolment_for_user(user=request.user, pk=pk)
    if enrolment.status not in (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED):
        raise Http404
    pdf = render_pdf(
        "enrolment/confirmation_pdf.html",
        {
            "enrolment": enrolment,
            "learner": enrolment.learner,
            "course": enrolment.course,
            "today": timezone.localdate(),
        },
        language="de",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="anmeldebestaetigung-{enrolment.pk}.pdf"'
    return response


# --- staff: courses -----------------------------------------------------------------------------


@staff_required
def staff_course(request: HttpRequest, pk: int) -> HttpResponse:
    """A course with its enrolled, offered, applying and waiting learners, and the actions."""
    course = course_for_staff(user=request.user, pk=pk)
    enrolments = list(selectors.course_enrolments(course=course))
    by_status: dict[str, list[Enrolment]] = {}
    for enrolment in enrolments:
        by_status.setdefault(enrolment.status, []).append(enrolment)
    active = {e.learner_id for e in enrolments if e.status in Enrolment.ACTIVE_STATUSES}
    today = timezone.localdate()
    ended_today = [e for e in by_status.get("withdrawn", []) if e.ended_on == today]
    # a transfer out of this course is taken back at the new place
    moved_to = {
        e.transferred_from_id: e
        for e in Enrolment.objects.filter(
            transferred_from__in=[e.pk for e in ended_today], status=Enrolment.Status.ENROLLED
        ).select_related("course")
    }
    undo_rows = []
    for e in ended_today:
        target = moved_to.get(e.pk, e)
        if services.undo_problem(target) is None:
            undo_rows.append((e, target))
    for e in by_status.get("enrolled", []):
        e.undoable = bool(
            e.transferred_from_id
            and timezone.localdate(e.created_at) == today
            and services.undo_problem(e) is None
        )
    learners = Learner.objects.filter(provider_id=course.provider_id).exclude(pk__in=active)
    return render(
        request,
        "enrolment/staff_course.html",
        {
            "course": course,
            "by_status": by_status,
            "enrolled": by_status.get("enrolled", []),
            "offered": by_status.get("offered", []),
            "applied": by_status.get("applied", []),
            "waiting": selectors.waiting_entries(course),
            "seats_left": selectors.seats_left(course),
            "enrol_form": forms.LearnerChoiceForm(learners=learners),
            "undo_rows": undo_rows,
        },
    )


@staff_required
@require_POST
def staff_course_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    course = course_for_staff(user=request.user, pk=pk)
    form = forms.LearnerChoiceForm(
        request.POST, learners=Learner.objects.filter(provider_id=course.provider_id)
    )
    if form.is_valid():
        try:
            action = request.POST.get("action", "enrol")
            if action == "waitlist":
                services.waitlist_join(
                    course=course, learner=form.cleaned_data["learner"], by=request.user
                )
            else:
                e = services.enrolment_create(
                    course=course,
                    learner=form.cleaned_data["learner"],
                    by=request.user,
                    confirm_late_entry=form.cleaned_data["confirm_late_entry"],
                )
                messages.success(request, e.get_status_display())
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Choose a learner."))
    return redirect("enrolment-staff-course", pk=course.pk)


def _transfer_targets(user: User, enrolment: Enrolment):
    return (
        courses_for_staff(user=user)
        .filter(provider_id=enrolment.course.provider_id, status__in=selectors.ENROLLABLE_STATUSES)
        .exclude(pk=enrolment.course_id)
        .select_related("location", "course_type")
        .order_by("start_date", "title")
    )


@staff_required
def staff_enrolment_confirm(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The confirmation step of a withdrawal or transfer: names learner and course, nothing
    preselected; the form posts to ``staff_enrolment_action`` with ``confirmed``."""
    if action not in ("withdraw", "transfer"):
        raise Http404
    enrolment = access.enrolment_for_staff(user=request.user, pk=pk)
    if enrolment.status not in Enrolment.ACTIVE_STATUSES:
        raise Http404
    form = (
        forms.WithdrawForm()
        if action == "withdraw"
        else forms.TransferForm(courses=_transfer_targets(request.user, enrolment))
    )
    return render(
        request,
        "enrolment/staff_confirm.html",
        {"enrolment": enrolment, "course": enrolment.course, "action": action, "form": form},
    )


def _done_message(enrolment: Enrolment, action: str, to_course: Course | None = None) -> str:
    names = {"learner": str(enrolment.learner), "course": str(enrolment.course)}
    if action == "withdraw":
        return _("%(learner)s was withdrawn from %(course)s.") % names
    if action == "transfer":
        return _("%(learner)s was transferred from %(course)s to %(to)s.") % {
            **names,
            "to": str(to_course),
        }
    return _("Taken back: %(learner)s is in %(course)s again.") % names


@staff_required
@require_POST
def staff_enrolment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    enrolment = access.enrolment_for_staff(user=request.user, pk=pk)
    if action in ("withdraw", "transfer") and not request.POST.get("confirmed"):
        # one click never withdraws or transfers: the confirmation page comes first
        return redirect("enrolment-staff-confirm", pk=enrolment.pk, action=action)
    try:
        if action == "withdraw":
            form = forms.WithdrawForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a reason for leaving."))
                return redirect("enrolment-staff-confirm", pk=enrolment.pk, action=action)
            services.enrolment_withdraw(enrolment=enrolment, by=request.user, **form.cleaned_data)
            messages.success(request, _done_message(enrolment, action))
            return redirect("enrolment-staff-course", pk=enrolment.course_id)
        elif action == "undo":
            if enrolment.status == Enrolment.Status.ENROLLED and enrolment.transferred_from_id:
                old = services.enrolment_transfer_undo(enrolment=enrolment, by=request.user)
            else:
                old = services.enrolment_withdraw_undo(enrolment=enrolment, by=request.user)
            messages.success(request, _done_message(old, action))
            return redirect("enrolment-staff-course", pk=old.course_id)
        elif action == "confirm":
            services.application_confirm(
                enrolment=enrolment,
                by=request.user,
                confirm_late_entry=bool(request.POST.get("confirm_late_entry")),
            )
        elif action == "transfer":
            form = forms.TransferForm(
                request.POST,
                courses=courses_for_staff(user=request.user).filter(
                    provider_id=enrolment.course.provider_id
                ),
            )
            if not form.is_valid():
                messages.error(request, _("Choose a course."))
                return redirect("enrolment-staff-confirm", pk=enrolment.pk, action=action)
            services.enrolment_transfer(
                enrolment=enrolment,
                to_course=form.cleaned_data["to_course"],
                by=request.user,
                confirm_late_entry=bool(request.POST.get("confirm_late_entry")),
            )
            messages.success(
                request, _done_message(enrolment, action, form.cleaned_data["to_course"])
            )
            return redirect("enrolment-staff-course", pk=enrolment.course_id)
        elif action in ("accept", "decline"):
            fn = services.offer_accept if action == "accept" else services.offer_decline
            fn(enrolment=enrolment, by=request.user)
        else:
            raise Http404
        messages.success(request, _("Saved."))
    except DomainError as exc:
        _fail(request, exc)
        if action in ("withdraw", "transfer") and enrolment.status in Enrolment.ACTIVE_STATUSES:
            return redirect("enrolment-staff-confirm", pk=enrolment.pk, action=action)
    return redirect("enrolment-staff-course", pk=enrolment.course_id)


@staff_required
def start_watch_page(request: HttpRequest) -> HttpResponse:
    rows = selectors.start_watch(provider_ids=request.user.provider_ids(role=Role.STAFF))
    return render(request, "enrolment/start_watch.html", {"rows": rows})


# --- staff: learner accounts --------------------------------------------------------------------


@staff_required
@require_POST
def login_code_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a new one-time code (older ones stop working) and show the printable sheet."""
    learner = learner_for_staff(user=request.user, pk=pk)
    row, plain = services.login_code_issue(learner=learner, by=request.user)
    url = request.build_absolute_uri(reverse("code-login-link", kwargs={"code": plain}))
    with translation.override(learner.preferred_language):
        sheet_heading = _("Your login for the course app")
    return render(
        request,
        "enrolment/login_code_sheet.html",
        {
            "learner": learner,
            "code": plain,
            "row": row,
            "qr": qr_svg(url),
            "url": url,
            "sheet_heading": sheet_heading,
        },
    )


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


# --- staff: import ------------------------------------------------------------------------------


@staff_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a learner file: the dry run shows what would happen, row by row."""
    from people.models import Organisation

    providers = Organisation.objects.filter(pk__in=request.user.provider_ids(role=Role.STAFF))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        provider = get_object_or_404(providers, pk=request.POST.get("provider") or providers[0].pk)
        upload = form.cleaned_data["file"]
        try:
            batch, _summary = services.learner_import_preview(
                provider=provider, by=request.user, file_name=upload.name, content=upload.read()
            )
            return redirect("enrolment-import-batch", pk=batch.pk)
        except DomainError as exc:
            form.add_error("file", exc.message)
    return render(request, "enrolment/import_upload.html", {"form": form, "providers": providers})


@staff_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    from enrolment.models import LearnerImport

    batch = get_object_or_404(
        LearnerImport.objects.filter(provider_id__in=request.user.provider_ids(role=Role.STAFF)),
        pk=pk,
    )
    if request.method == "POST":
        try:
            summary = services.learner_import_run(
                batch=batch, by=request.user, only_valid=bool(request.POST.get("only_valid"))
            )
            messages.success(
                request,
                _("Imported: %(new)s new, %(update)s updated.")
                % {"new": summary["new"], "update": summary["update"]},
            )
        except DomainError as exc:
            _fail(request, exc)
        return redirect("enrolment-import-batch", pk=batch.pk)
    summary = batch.summary
    rows = summary.get("rows", [])
    sections = [
        (kind, title, [r for r in rows if r["kind"] == kind])
        for kind, title in (
            ("invalid", _("Rows with problems")),
            ("changed", _("Known learners with changes")),
            ("new", _("New learners")),
            ("unchanged", _("Unchanged (left as they are)")),
        )
    ]
    return render(
        request,
        "enrolment/import_batch.html",
        {
            "batch": batch,
            "summary": summary,
            "sections": [
                (k, t, r[:PREVIEW_ROWS], len(r), max(0, len(r) - PREVIEW_ROWS))
                for k, t, r in sections
            ],
        },
    )


#: Rows listed per section of an import preview (the counts cover all).
PREVIEW_ROWS = 2000
