"""Site-wide error pages in the visitor's language, right to left where the language is."""

import pytest
from django.test import Client
from django.urls import path


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom)]


@pytest.mark.parametrize(
    ("language", "title", "direction"),
    [
        ("de", "Seite nicht gefunden", "ltr"),
        ("ar", "الصفحة غير موجودة", "rtl"),
        ("fa", "صفحه پیدا نشد", "rtl"),
    ],
)
def test_404_in_the_visitors_language(db, client, language, title, direction):
    r = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 404
    html = r.content.decode()
    assert title in html
    assert f'dir="{direction}"' in html


def test_403_page_is_translated(db, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.utils import translation
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("uk"):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Не дозволено" in response.content.decode()


@pytest.mark.urls(__name__)
def test_500_page_says_what_to_do_in_the_visitors_language(db):
    client = Client(raise_request_exception=False)
    r = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="tr")
    assert r.status_code == 500
    assert "Bir şeyler ters gitti" in r.content.decode()
    assert "a bug" not in r.content.decode()
