"""Root URLs. Every app owns its ``urls.py`` (pages) and ``api_urls.py`` (``/api/v1/``)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views

APPS = [
    "people",
    "courses",
    "enrolment",
    "attendance",
    "internships",
    "certificates",
    "volunteers",
    "billing",
    "referrals",
    "jobcenter",
    "reports",
    "learner_area",
    "privacy",
]

api_v1 = [path("", include(f"{app}.api_urls")) for app in APPS]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", core_views.healthz, name="healthz"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

urlpatterns += [
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    *[path("", include(f"{app}.urls")) for app in APPS],
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
