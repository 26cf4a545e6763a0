from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import ngettext
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


#: Learners' languages in which the login page also names the code entry (a phone set to German
#: still shows "I have a code" in the learner's own language).
CODE_ENTRY_LANGUAGES = ("de", "ar", "fa", "uk", "tr", "ru", "en")
#: Translated in the catalogue of the code login page (learner_area), which owns the words.
CODE_ENTRY_MSGID = "I have a code"


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = translation.get_language()
        entries = []
        for code in CODE_ENTRY_LANGUAGES:
            if code == current:
                continue
            with translation.override(code):
                entries.append(
                    {
                        "code": code,
                        "label": translation.gettext(CODE_ENTRY_MSGID),
                        "dir": "rtl" if translation.get_language_bidi() else "ltr",
                    }
                )
        context["code_entries"] = entries
        return context


def login_locked(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer when an account or an address has too many failed logins: the login
    page again, with one message that reads the same whether the account exists (no
    enumeration), and 429."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = ngettext(
        "Too many failed attempts to log in. Please wait %(minutes)d minute and try again.",
        "Too many failed attempts to log in. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}
    view = LoginView()
    view.setup(request)
    context = view.get_context_data(form=AuthenticationForm(request), locked=message)
    response = view.response_class(
        request=request, template=[view.template_name], context=context, status=429
    )
    response["Retry-After"] = str(minutes * 60)
    return response.render()


def csrf_failure(request, reason: str = ""):
    """A form sent too late or twice: say what to do, in the page's language (never the reason)."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
