"""Staff: a course's enrolment list, enrol, withdraw and transfer with confirmation and undo, the start watch, login code sheets."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.qr import qr_svg
from courses.access import course_for_staff, courses_for_staff
from courses.models import Course
from enrolment import access, forms, selectors, services
from enrolment.models import Enrolment
from enrolment.views.base import _fail, staff_required
from people.access import learner_for_staff
from people.models import Learner, Role, User

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
                for overlap in selectors.timetable_overlaps(learner=e.learner, course=course):
                    messages.warning(
                        request,
                        _(
                            "%(learner)s is also enrolled in %(course)s at the same time "
                            "(%(slot)s). A learner can be in one room only: check the timetables."
                        )
                        % {"learner": e.learner, "course": overlap.course, "slot": overlap.times},
                    )
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
