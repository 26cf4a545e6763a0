"""Directory pages: the public search (no login, public facts only), and the staff's pages for
their own locations' entries. A counsellor or caseworker sees a "refer here" link on the places
of the providers they may refer to, which opens the new-referral form with that provider."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from people.models import Location, Organisation, Role, Weekday
from people.services import OpeningPeriod, location_directory_update
from referrals import access as referral_access
from referrals.directory import access, selectors
from referrals.directory.forms import (
    DirectorySearchForm,
    LocationDirectoryForm,
    OpeningHoursFormSet,
)
from referrals.selectors import receivers_for


def _referable_provider_ids(request: HttpRequest) -> set[int]:
    """Providers the signed-in user may refer to (none for the public)."""
    if not request.user.is_authenticated or not referral_access.may_refer(request.user):
        return set()
    organisation = referral_access.sender_organisation_for(user=request.user)
    return set(receivers_for(organisation).values_list("pk", flat=True))


def directory_page(request: HttpRequest) -> HttpResponse:
    """Every listed location of the network's providers, nearest to the postcode first."""
    form = DirectorySearchForm(request.GET or None)
    query = form.cleaned_data if form.is_valid() else {}
    result = selectors.directory(
        postcode=query.get("postcode", ""),
        language=query.get("language", ""),
        service=query.get("service", ""),
    )
    chosen_language = query.get("language", "")
    options = list(result.languages)
    if chosen_language and chosen_language not in {lang.code for lang in options}:
        options.append(selectors.language_label(chosen_language))
    return render(
        request,
        "referrals/directory/list.html",
        {
            "form": form,
            "result": result,
            "postcode": query.get("postcode", ""),
            "chosen_language": chosen_language,
            "language_options": options,
            "referable": _referable_provider_ids(request),
            "weekdays": dict(Weekday.choices),
            "is_staff": bool(
                request.user.is_authenticated and request.user.provider_ids(role=Role.STAFF)
            ),
        },
    )


@never_cache
@login_required
def location_list(request: HttpRequest) -> HttpResponse:
    locations = access.editable_locations(user=request.user).order_by(
        "organisation__name", "town", "name"
    )
    return render(request, "referrals/directory/locations.html", {"locations": locations})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    location = access.location_for_staff(user=request.user, pk=pk)
    form = LocationDirectoryForm(request.POST or None, instance=location)
    hours = OpeningHoursFormSet(request.POST or None, instance=location, prefix="hours")
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        periods = [
            OpeningPeriod(
                weekday=row["weekday"],
                opens=row["opens"],
                closes=row["closes"],
                note=row.get("note", ""),
            )
            for row in hours.cleaned_data
            if row and not row.get("DELETE")
        ]
        try:
            location_directory_update(
                location=location,
                values={name: form.cleaned_data[name] for name in form.Meta.fields},
                hours=periods,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The directory entry was saved."))
            return redirect("directory-locations")
    return render(
        request,
        "referrals/directory/edit.html",
        {"location": location, "form": form, "hours": hours},
    )


def chosen_place(
    request: HttpRequest, organisation: Organisation
) -> tuple[dict[str, int], Location | None]:
    """The provider and location a sender picked in the directory ("refer here"), as the
    new-referral form's initial receiver and the place shown above it; ignored unless the
    sender may refer to that provider."""
    location_id = request.GET.get("location", "")
    if request.method != "GET" or not location_id.isdigit():
        return {}, None
    location = (
        Location.objects.filter(pk=int(location_id), organisation__in=receivers_for(organisation))
        .select_related("organisation")
        .first()
    )
    if location is None:
        return {}, None
    return {"receiver": location.organisation_id, "receiver_location": location.pk}, location
