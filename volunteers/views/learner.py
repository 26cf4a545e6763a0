"""The learner's page about language buddies: agree or say no to a proposed buddy, and withdraw
consent at any time (the volunteer then no longer sees them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from volunteers import access, services
from volunteers.languages import language_label
from volunteers.models import Tandem, VolunteerLanguage
from volunteers.selectors import learner_level, with_level_facts
from volunteers.views.public import language_choices


@login_required
def buddy(request: HttpRequest) -> HttpResponse:
    learner = getattr(request.user, "learner", None)
    if learner is None:
        raise Http404
    learner = with_level_facts(type(learner).objects.filter(pk=learner.pk)).get()
    tandems = list(
        Tandem.objects.filter(learner=learner)
        .exclude(status=Tandem.Status.ENDED, consent_given_at__isnull=True)
        .select_related("volunteer__user")
        .prefetch_related(
            Prefetch(
                "volunteer__languages", queryset=VolunteerLanguage.objects.order_by("language")
            )
        )
        .order_by("-proposed_at", "-pk")[:10]
    )
    for tandem in tandems:
        tandem.volunteer_languages = [
            language_label(lang.language) for lang in tandem.volunteer.languages.all()
        ]
    return render(
        request,
        "volunteers/buddy.html",
        {
            "learner": learner,
            "level": learner_level(learner),
            "tandems": tandems,
            "page_languages": language_choices(),
        },
    )


@login_required
@require_POST
def buddy_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    tandem = access.learner_tandem(user=request.user, pk=pk)
    try:
        if action == "agree":
            services.tandem_consent_give(
                tandem=tandem, method=Tandem.ConsentMethod.ACCOUNT, by=request.user
            )
            messages.success(request, _("Thank you. Your language buddy will contact you."))
        elif action == "decline":
            services.tandem_consent_decline(tandem=tandem, by=request.user)
            messages.success(request, _("All right. We will not pass on anything about you."))
        elif action == "withdraw":
            services.tandem_consent_withdraw(tandem=tandem, by=request.user)
            messages.success(
                request,
                _("Your consent is withdrawn. The volunteer no longer sees anything about you."),
            )
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("volunteers-buddy")
