"""Staff pages of the teachers' BAMF admissions (the number the InGe course reports name): the
list per provider, add and change.

Only the provider's staff: everyone else (another provider's staff, teachers, learners,
Jobcenter caseworkers, volunteers) gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.inge import services
from billing.inge.access import admission_for_staff, admission_provider, admissions_for_staff
from billing.models import TeacherAdmission
from core.errors import DomainError
from people.models import Organisation, Role, User


class AdmissionForm(forms.ModelForm):
    teacher = forms.ModelChoiceField(queryset=User.objects.none(), label=gettext_lazy("Teacher"))

    class Meta:
        model = TeacherAdmission
        fields = ["teacher", "number", "admitted_on", "expires_on"]
        widgets = {
            "admitted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, provider: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = (
            User.objects.filter(memberships__organisation=provider, memberships__role=Role.TEACHER)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["teacher"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        admitted, expires = data.get("admitted_on"), data.get("expires_on")
        if admitted and expires and expires < admitted:
            self.add_error("expires_on", _("The admission cannot end before it was granted."))
        return data


def _staff_only(request: HttpRequest) -> list[int]:
    ids = request.user.provider_ids(role=Role.STAFF)
    if not ids:
        raise Http404
    return ids


@login_required
def admission_list(request: HttpRequest) -> HttpResponse:
    """Every admission of the user's providers, grouped by provider (three queries)."""
    provider_ids = _staff_only(request)
    providers = list(Organisation.objects.filter(pk__in=provider_ids).order_by("name"))
    by_provider: dict[int, list[TeacherAdmission]] = {p.pk: [] for p in providers}
    for admission in admissions_for_staff(user=request.user).order_by(
        "teacher__last_name", "teacher__first_name", "pk"
    ):
        by_provider[admission.provider_id].append(admission)
    return render(
        request,
        "billing/admissions.html",
        {"groups": [(p, by_provider[p.pk]) for p in providers]},
    )


@login_required
def admission_add(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    provider = admission_provider(
        user=request.user, pk=request.POST.get("provider") or request.GET.get("provider")
    )
    return _edit(request, provider, TeacherAdmission(provider=provider))


@login_required
def admission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    admission = admission_for_staff(user=request.user, pk=pk)
    return _edit(request, admission.provider, admission)


def _edit(request: HttpRequest, provider: Organisation, admission: TeacherAdmission):
    form = AdmissionForm(request.POST or None, instance=admission, provider=provider)
    if request.method == "POST" and form.is_valid():
        try:
            services.admission_save(admission=form.save(commit=False))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The admission is saved."))
            return redirect("billing-admissions")
    return render(
        request,
        "billing/admission_form.html",
        {"form": form, "provider": provider, "admission": admission},
        status=400 if form.errors else 200,
    )
