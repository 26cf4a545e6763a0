from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from core.navigation import nav_links


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "LANGUAGE_BIDI": translation.get_language_bidi(),
        "UI_LANGUAGES": settings.UI_LANGUAGES,
        "nav_links": SimpleLazyObject(lambda: nav_links(user) if user is not None else []),
    }
