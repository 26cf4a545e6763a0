from django.conf import settings
from django.utils import translation


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "LANGUAGE_BIDI": translation.get_language_bidi(),
    }
