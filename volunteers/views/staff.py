"""Coordinators' pages (provider staff): the overview with the four figures, volunteers and their
records (requirements, hours, allowances, proofs), tandem matching and tandems, hours to approve.
Scoped to the user's providers; outsiders get 404."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.params import int_in_range
from core.retention import unrestricted
from courses.models import Course
from volunteers import access, services
from volunteers.forms import (
    ConductCheckForm,
    DeclarationForm,
    EndTandemForm,
    ExpenseForm,
    HoursForm,
    PaymentForm,
    ProposeForm,
    RequirementForm,
    StaffConsentForm,
    VolunteerProfileForm,
)
from volunteers.models import (
    Activity,
    AllowanceKind,
    HoursEntry,
    RequirementKind,
    Tandem,
    Volunteer,
)
from volunteers.selectors import (
    coming_week,
    current_rules,
    expiring_requirements,
    requirement_states,
    tandem_suggestions,
    tandems_at_risk,
    training_enrolments,
    unfilled_shifts,
    waiting_without_buddy,
    yearly_record,
)
from volunteers.selectors import (
    overview as overview_figures,
)
from volunteers.selectors.records import VOLUNTEERING_PROGRAMME
from volunteers.services.allowances import allowance_standing
from volunteers.services.base import today
from volunteers.services.requirements import label_for
from volunteers.views.common import pdf_response

LIST_LIMIT = 20


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    ids = access.require_coordinator(request.user)
    day = today()
    start, end = coming_week(day)
    return render(
        request,
        "volunteers/staff/overview.html",
        {
            "figures": overview_figures(provider_ids=ids, today=day),
            "shifts": unfilled_shifts(provider_ids=ids, start=start, end=end)[:LIST_LIMIT],
            "requirements": [
                (record, label_for(record.code, day))
                for record in expiring_requirements(provider_ids=ids, on=day)[:LIST_LIMIT]
            ],
            "at_risk": tandems_at_risk(provider_ids=ids)[:LIST_LIMIT],
            "waiting": waiting_without_buddy(provider_ids=ids)[:LIST_LIMIT],
            "applications": Volunteer.objects.filter(
                provider_id__in=ids, status=Volunteer.Status.APPLIED
            ).select_related("user", "provider")[:LIST_LIMIT],
            "today": day,
        },
    )


@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    access.require_coordinator(request.user)
    qs = access.volunteers_for_staff(user=request.user)
    status = request.GET.get("status", "")
    if status in Volunteer.Status.values:
        qs = qs.filter(status=status)
    qs = qs.annotate(
        tandems_running=Count("tandems", filter=Q(tandems__status=Tandem.Status.ACTIVE))
    ).prefetch_related("languages")
    return render(
        request,
        "volunteers/staff/volunteer_list.html",
        {"volunteers": qs[:200], "status": status, "statuses": Volunteer.Status.choices},
    )


def _training_courses(volunteer: Volunteer):
    return Course.objects.filter(
        provider_id=volunteer.provider_id, course_type__programme__code=VOLUNTEERING_PROGRAMME
    ).exclude(course_type__code="volunteer_activity")


def _detail_context(request: HttpRequest, volunteer: Volunteer, **forms) -> dict:
    day = today()
    rules = current_rules(day)
    year = int_in_range(request.GET.get("year"), low=2000, high=2100, default=day.year)
    standings = [
        (label, allowance_standing(volunteer=volunteer, kind=kind, year=year))
        for kind, label in AllowanceKind.choices
    ]
    return {
        "volunteer": volunteer,
        "states": requirement_states(
            volunteer=volunteer, on=day, roles=volunteer.roles, rules=rules
        ),
        "conduct_checks": volunteer.conduct_checks.all()[:5],
        "records": volunteer.requirement_records.select_related("training_course")[:20],
        "tandems": unrestricted(volunteer.tandems.all())
        .select_related("learner")
        .order_by("-proposed_at")[:20],
        "assignments": volunteer.shift_assignments.select_related(
            "shift__session", "shift__activity__course"
        ).order_by("-shift__session__date")[:20],
        "hours": volunteer.hours.select_related("activity__course")[:30],
        "record": yearly_record(volunteer, year),
        "year": year,
        "standings": standings,
        "declarations": volunteer.allowance_declarations.all()[:10],
        "payments": volunteer.allowance_payments.all()[:20],
        "expenses": volunteer.expenses.all()[:20],
        "proofs": volunteer.proofs.select_related("document")[:10],
        "trainings": training_enrolments(volunteer),
        "profile_form": forms.get("profile_form") or VolunteerProfileForm(volunteer=volunteer),
        "conduct_form": forms.get("conduct_form") or ConductCheckForm(),
        "requirement_form": forms.get("requirement_form")
        or RequirementForm(
            rules=[r for r in rules if r.kind != RequirementKind.CONDUCT_CERTIFICATE],
            courses=_training_courses(volunteer),
        ),
        "hours_form": forms.get("hours_form")
        or HoursForm(activities=Activity.objects.filter(course__provider_id=volunteer.provider_id)),
        "declaration_form": forms.get("declaration_form")
        or DeclarationForm(initial={"year": year}),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "expense_form": forms.get("expense_form") or ExpenseForm(),
        "today": day,
    }


@login_required
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = access.volunteer_for_staff(user=request.user, pk=pk)
    return render(request, "volunteers/staff/volunteer.html", _detail_context(request, volunteer))


def _form_action(request, volunteer, name, form, run, message) -> HttpResponse:
    """Validate ``form``, call ``run(data)``; errors go back to the page with the form."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, message)
            return redirect("volunteers-staff-volunteer", pk=volunteer.pk)
    context = _detail_context(request, volunteer, **{name: form})
    return render(request, "volunteers/staff/volunteer.html", context, status=400)


@login_required
@require_POST
def volunteer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    volunteer = access.volunteer_for_staff(user=request.user, pk=pk)
    by = request.user
    post = request.POST
    simple = {
        "accept": lambda: services.volunteer_accept(volunteer=volunteer, by=by),
        "decline": lambda: services.volunteer_decline(
            volunteer=volunteer, by=by, note=post.get("note", "")
        ),
        "pause": lambda: services.volunteer_pause(volunteer=volunteer, by=by),
        "end": lambda: services.volunteer_end(volunteer=volunteer, by=by),
        "proof": lambda: services.proof_issue(
            volunteer=volunteer, year=int(post.get("year") or today().year), by=by
        ),
    }
    if action in simple:
        try:
            simple[action]()
            messages.success(request, _("Done."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("volunteers-staff-volunteer", pk=volunteer.pk)
    if action == "profile":
        form = VolunteerProfileForm(post, volunteer=volunteer)
        return _form_action(
            request,
            volunteer,
            "profile_form",
            form,
            lambda d: services.volunteer_profile_save(volunteer=volunteer, profile=form.profile()),
            _("Profile saved."),
        )
    if action == "conduct":
        return _form_action(
            request,
            volunteer,
            "conduct_form",
            ConductCheckForm(post),
            lambda d: services.conduct_check_record(volunteer=volunteer, by=by, **d),
            _("Inspection recorded (the document itself is not stored)."),
        )
    if action == "requirement":
        rules = [r for r in current_rules(today()) if r.kind != RequirementKind.CONDUCT_CERTIFICATE]
        return _form_action(
            request,
            volunteer,
            "requirement_form",
            RequirementForm(post, rules=rules, courses=_training_courses(volunteer)),
            lambda d: services.requirement_record(volunteer=volunteer, by=by, **d),
            _("Requirement recorded."),
        )
    if action == "hours":
        activities = Activity.objects.filter(course__provider_id=volunteer.provider_id)
        return _form_action(
            request,
            volunteer,
            "hours_form",
            HoursForm(post, activities=activities),
            lambda d: services.hours_add(
                volunteer=volunteer,
                day=d["date"],
                minutes=d["minutes"],
                description=d["description"],
                activity=d["activity"],
                by=by,
            ),
            _("Hours added; approve them in the hours list."),
        )
    if action == "declare":
        return _form_action(
            request,
            volunteer,
            "declaration_form",
            DeclarationForm(post),
            lambda d: services.allowance_declare(volunteer=volunteer, by=by, **d),
            _("Declaration recorded."),
        )
    if action == "pay":
        return _form_action(
            request,
            volunteer,
            "payment_form",
            PaymentForm(post),
            lambda d: services.allowance_pay(volunteer=volunteer, by=by, **d),
            _("Payment recorded."),
        )
    if action == "expense":
        return _form_action(
            request,
            volunteer,
            "expense_form",
            ExpenseForm(post),
            lambda d: services.expense_record(volunteer=volunteer, by=by, **d),
            _("Expense recorded."),
        )
    raise Http404


@login_required
def proof_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    proof = access.proof_for_staff(user=request.user, pk=pk)
    return pdf_response(bytes(proof.document.pdf), f"ehrenamtsnachweis-{proof.year}.pdf")


@login_required
def matches(request: HttpRequest, pk: int) -> HttpResponse:
    """Suggested learners for the volunteer, best first, each with its reasons; propose one."""
    volunteer = access.volunteer_for_staff(user=request.user, pk=pk)
    rows = tandem_suggestions(volunteer)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next((r for r in rows if r.learner.pk == data["learner"]), None)
        if chosen is None:
            raise Http404
        try:
            tandem = services.tandem_propose(
                volunteer=volunteer,
                learner=chosen.learner,
                contact_channel=data["contact_channel"],
                contact_detail=data["contact_detail"],
                meeting_times=data["meeting_times"],
                reasons=list(chosen.reasons),
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Proposed. It starts when the learner consents."))
            return redirect("volunteers-staff-tandem", pk=tandem.pk)
    return render(
        request,
        "volunteers/staff/matches.html",
        {"volunteer": volunteer, "rows": rows, "form": form},
    )


@login_required
def tandem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = access.tandem_for_staff(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/staff/tandem.html",
        {
            "tandem": tandem,
            "meetings": tandem.meetings.all()[:30],
            "checkins": tandem.checkins.all()[:10],
            "consent_form": StaffConsentForm(),
            "end_form": EndTandemForm(),
        },
    )


@login_required
@require_POST
def tandem_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    tandem = access.tandem_for_staff(user=request.user, pk=pk)
    try:
        if action == "consent":
            form = StaffConsentForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Say how the consent was given."), code="method_required")
            services.tandem_consent_give(
                tandem=tandem, method=form.cleaned_data["method"], by=request.user
            )
        elif action == "decline":
            services.tandem_consent_decline(tandem=tandem, by=request.user)
        elif action == "withdraw":
            services.tandem_consent_withdraw(tandem=tandem, by=request.user)
        elif action == "end":
            form = EndTandemForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Choose a reason."), code="reason_required")
            services.tandem_end(tandem=tandem, reason=form.cleaned_data["reason"], by=request.user)
        else:
            raise Http404
        messages.success(request, _("Done."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("volunteers-staff-tandem", pk=tandem.pk)


@login_required
def hours(request: HttpRequest) -> HttpResponse:
    """Hours waiting for approval (oldest first); approve or reject several at once."""
    access.require_coordinator(request.user)
    qs = access.hours_for_staff(user=request.user)
    if request.method == "POST":
        chosen = list(qs.filter(pk__in=request.POST.getlist("entry")))
        try:
            n = services.hours_decide(
                entries=chosen,
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
            messages.success(request, _("%(n)s entries decided.") % {"n": n})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("volunteers-staff-hours")
    pending = (
        qs.filter(status=HoursEntry.Status.PENDING)
        .select_related("volunteer__user", "activity__course", "tandem_meeting")
        .order_by("date", "pk")
    )
    recent = (
        qs.exclude(status=HoursEntry.Status.PENDING)
        .filter(decided_at__date__gte=today() - timedelta(days=14))
        .select_related("volunteer__user", "activity__course")
        .order_by("-decided_at")[:LIST_LIMIT]
    )
    return render(
        request, "volunteers/staff/hours.html", {"pending": pending[:200], "recent": recent}
    )
