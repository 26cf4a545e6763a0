"""One error shape for the API, a CSP on every page, and the plain JSON floor view."""

import pytest
from django.urls import path
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.errors import ConflictError, DomainError


class _Input(serializers.Serializer):
    date_of_birth = serializers.DateField()
    participants = serializers.ListField(child=serializers.DictField(), min_length=1)


@api_view(["POST"])
@permission_classes([AllowAny])
def _validate(request):
    _Input(data=request.data).is_valid(raise_exception=True)
    return Response({})


@api_view(["POST"])
@permission_classes([AllowAny])
def _domain(request):
    if request.data.get("conflict"):
        raise ConflictError("Der Kurs ist voll.", code="course_full")
    raise DomainError("Grund fehlt.", code="reason_required", field="reason")


urlpatterns = [path("validate/", _validate), path("domain/", _domain)]


@pytest.mark.urls(__name__)
def test_validation_errors_name_the_fields(api_client):
    r = api_client.post("/validate/", {"date_of_birth": "31.02.1990"}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"date_of_birth", "participants"}
    assert body["detail"]


@pytest.mark.urls(__name__)
def test_domain_errors_keep_their_code_and_field(api_client):
    r = api_client.post("/domain/", {}, format="json")
    assert r.status_code == 400
    assert r.json() == {
        "code": "reason_required",
        "detail": "Grund fehlt.",
        "fields": {"reason": ["Grund fehlt."]},
    }
    r = api_client.post("/domain/", {"conflict": True}, format="json")
    assert r.status_code == 409
    assert r.json()["code"] == "course_full"


def test_healthz_is_plain_json(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    r = client.get("/login/")
    assert r.status_code == 200
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"
