"""Certificates API: thin views over the same services and selectors as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from certificates import services
from certificates.access import document_for_staff, documents_for_staff
from certificates.models import Document, Kind
from certificates.selectors import verification_lookup
from courses.access import courses_for_staff
from people.access import learners_for_staff


class DocumentOutput(serializers.ModelSerializer):
    learner_name = serializers.CharField(source="learner.full_name")
    revoked = serializers.BooleanField(source="is_revoked")
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "learner",
            "learner_name",
            "course",
            "module",
            "placement",
            "language",
            "version",
            "previous",
            "code",
            "sha256",
            "issued_at",
            "revoked",
            "revoked_at",
            "revoke_reason",
            "verify_url",
        ]

    def get_verify_url(self, obj) -> str:
        from certificates.rendering import verify_url

        return verify_url(obj.code)


class IssueInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[Kind.PARTICIPATION])
    learner = serializers.IntegerField()
    course = serializers.IntegerField()
    module = serializers.IntegerField(required=False, allow_null=True)
    language = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("course", int, description="Only documents of this course.")]
    )
)
class DocumentListView(generics.ListAPIView):
    """Issued documents of the caller's providers (newest first); POST issues one."""

    serializer_class = DocumentOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Document.objects.none()
        qs = documents_for_staff(user=self.request.user)
        course = self.request.query_params.get("course")
        if course and course.isdigit():
            qs = qs.filter(course_id=int(course))
        return qs

    @extend_schema(request=IssueInput, responses={201: DocumentOutput})
    def post(self, request):
        data = IssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        course = get_object_or_404(courses_for_staff(user=request.user), pk=v["course"])
        learner = get_object_or_404(learners_for_staff(user=request.user), pk=v["learner"])
        module = None
        if v.get("module"):
            module = get_object_or_404(course.course_type.modules.all(), pk=v["module"])
        document = services.certificate_issue(
            kind=v["kind"],
            learner=learner,
            course=course,
            module=module,
            by=request.user,
            language=v.get("language") or None,
        )
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=250)


class DocumentRevokeView(APIView):
    """Revoke a document (staff of its provider), with a reason."""

    @extend_schema(request=ReasonInput, responses=DocumentOutput)
    def post(self, request, pk: int):
        document = document_for_staff(user=request.user, pk=pk)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.certificate_revoke(
            document=document, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(DocumentOutput(document_for_staff(user=request.user, pk=pk)).data)


class VerifyOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["valid", "revoked"])
    name = serializers.CharField()
    kind = serializers.CharField()
    course_type = serializers.CharField()
    date_from = serializers.CharField()
    date_to = serializers.CharField()


class VerifyView(APIView):
    """Public and rate-limited: the facts a reader needs to trust a document, nothing more."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verify"

    @extend_schema(responses=VerifyOutput)
    def get(self, request, code: str):
        document = verification_lookup(code)
        if document is None:
            return Response(
                {"code": "unknown", "detail": "Unknown code.", "fields": {}},
                status=status.HTTP_404_NOT_FOUND,
            )
        facts = document.facts
        return Response(
            {
                "status": "revoked" if document.is_revoked else "valid",
                "name": facts.get("name", ""),
                "kind": document.kind,
                "course_type": facts.get("course_type", ""),
                "date_from": facts.get("date_from", ""),
                "date_to": facts.get("date_to", ""),
            }
        )
