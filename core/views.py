from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Plain Django JSON view: liveness probe and the benchmark floor."""
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    """Send each person where their work is."""
    user = request.user
    if not user.is_authenticated:
        return redirect("catalogue")
    from people.selectors import home_url_for

    return redirect(home_url_for(user))


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True
