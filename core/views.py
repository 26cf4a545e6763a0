from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from core.navigation import nav_links


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Plain Django JSON view: liveness probe and the benchmark floor."""
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    """Send each person where their work is: the first place their navigation offers (learners
    their courses, staff the dashboard, teachers their teaching …), else the catalogue."""
    links = nav_links(request.user)
    return redirect(links[0].url if links else "catalogue")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
