"""The learner's pages: home, timetable and calendar feed, attendance, offers, documents and who
saw their data. Every page goes through ``access.learner_page``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from attendance.services import cards_ensure
from billing.letters import receipt_number
from billing.letters import receipt_pdf as billing_receipt_pdf
from billing.models import ContributionPayment
from core.errors import DomainError
from core.pdf import render_pdf
from core.qr import qr_data_uri
from enrolment import services as enrolment_services
from jobcenter.selectors import external_reads_for_learner
from jobcenter.templatetags.jobcenter_tags import labels
from learner_area import selectors, services
from learner_area.access import enrolment_of, learner_page
from learner_area.calendar import calendar_bytes
from learner_area.models import CalendarFeed
from people.models import Learner


@learner_page
def home(request: HttpRequest, learner: Learner) -> HttpResponse:
    page = selectors.home_page(learner=learner)
    return render(request, "learner_area/home.html", {"page": page, "learner": learner})


@learner_page
def timetable(request: HttpRequest, learner: Learner) -> HttpResponse:
    page = selectors.timetable_page(learner=learner)
    feed_url = (
        request.build_absolute_uri(reverse("learner-calendar-feed", args=[page.feed.token]))
        if page.feed
        else ""
    )
    return render(request, "learner_area/timetable.html", {"page": page, "feed_url": feed_url})


@learner_page
@require_POST
def calendar_reset(request: HttpRequest, learner: Learner) -> HttpResponse:
    if request.POST.get("action") == "stop":
        services.calendar_feed_stop(learner=learner)
        messages.success(request, _("The calendar link is switched off."))
    else:
        services.calendar_feed_reset(learner=learner)
        messages.success(
            request, _("Your new calendar link is ready. The old link no longer works.")
        )
    return redirect(reverse("learner-timetable") + "#calendar")


@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The phone's calendar subscribes to this URL: no login, the secret token is the credential;
    an unknown or reset token gets 404."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("learner"), token=token)
    learner = feed.learner
    with translation.override(learner.preferred_language or "de"):
        body = calendar_bytes(
            selectors.calendar_sessions(learner=learner), host=request.get_host().split(":")[0]
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lernbruecke.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@learner_page
def attendance(request: HttpRequest, learner: Learner) -> HttpResponse:
    rows = selectors.attendance_page(learner=learner)
    return render(request, "learner_area/attendance.html", {"rows": rows})


@learner_page
def offers(request: HttpRequest, learner: Learner) -> HttpResponse:
    page = selectors.offers_page(learner=learner)
    return render(request, "learner_area/offers.html", {"page": page})


@learner_page
@require_POST
def offer_answer(request: HttpRequest, learner: Learner, pk: int, answer: str) -> HttpResponse:
    """Take or decline an offered place: the same services staff use on the phone."""
    if answer not in ("accept", "decline"):
        raise Http404
    enrolment = enrolment_of(learner, pk)
    try:
        if answer == "accept":
            enrolment_services.offer_accept(enrolment=enrolment, by=request.user)
            messages.success(request, _("You have taken the place. Welcome to the course!"))
            return redirect("learner-home")
        enrolment_services.offer_decline(enrolment=enrolment, by=request.user)
        messages.success(request, _("You have declined the place."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("learner-offers")


@learner_page
def documents(request: HttpRequest, learner: Learner) -> HttpResponse:
    page = selectors.documents_page(learner=learner)
    return render(request, "learner_area/documents.html", {"page": page})


@learner_page
def card_pdf(request: HttpRequest, learner: Learner) -> HttpResponse:
    """The learner's own card (the renderer staff print with); a first card is issued here."""
    card = cards_ensure(learners=[learner], by=request.user)[0]
    pdf = render_pdf(
        "attendance/pdf/cards.html",
        {
            "cards": [
                {"card": card, "learner": learner, "qr": qr_data_uri(card.qr_content, box_size=6)}
            ],
            "provider": learner.provider,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="learner-card.pdf"'
    return response


@learner_page
def receipt_pdf(request: HttpRequest, learner: Learner, pk: int) -> HttpResponse:
    """The receipt of one of the learner's own payments (another's is not found: 404)."""
    payment = get_object_or_404(
        ContributionPayment.objects.filter(enrolment__learner=learner), pk=pk
    )
    response = HttpResponse(bytes(billing_receipt_pdf(payment)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_number(payment)}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@learner_page
def data_access(request: HttpRequest, learner: Learner) -> HttpResponse:
    """Who outside the provider read the learner's data: organisation, date, purpose."""
    reads = external_reads_for_learner(learner)
    rows = [{"read": read, "labels": labels(read.fields)} for read in reads]
    return render(request, "learner_area/data_access.html", {"rows": rows})
