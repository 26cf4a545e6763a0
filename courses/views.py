"""Public pages: the course catalogue and a course's page (no login needed)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from courses.filters import CatalogueFilter
from courses.selectors import catalogue_base, visible_course

PAGE_SIZE = 20

# Labels defined in other apps that the public pages show: listed here so that makemessages
# picks them up for this app's (learner-facing, Arabic) catalogue.
SHOWN_LABELS = (_("Morning"), _("Afternoon"), _("Evening"))


def catalogue(request: HttpRequest) -> HttpResponse:
    """Published courses with the catalogue filters, a page at a time."""
    filters = CatalogueFilter(request.GET or None, queryset=catalogue_base())
    paginator = Paginator(filters.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # The filters fold away on a phone, so the courses come first; set filters stay in view.
    active_filters = sum(1 for name in filters.form.fields if request.GET.get(name))
    return render(
        request,
        "courses/catalogue.html",
        {
            "filters": filters,
            "form": filters.form,
            "page_obj": page,
            "courses": page.object_list,
            "active_filters": active_filters,
        },
    )


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One course: provider, place, timetable, modules, dates and seats left."""
    course = visible_course(user=request.user, pk=pk)
    modules = course.modules_to_teach()
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "modules": modules,
            "total_ue": sum(m.ue for m in modules),
            "timetable": list(course.timetable.all()),
        },
    )
