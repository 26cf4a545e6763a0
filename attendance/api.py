"""Attendance API: thin views over the same services and selectors as the pages."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance import access, selectors, services, tokens
from attendance.models import AbsenceReason, AlertRule, Code
from attendance.participants import ParticipantCheckin
from core.errors import DomainError
from people.models import Role


class RecordOutput(serializers.Serializer):
    enrolment = serializers.IntegerField(source="enrolment.pk")
    learner = serializers.IntegerField(source="enrolment.learner_id")
    name = serializers.CharField(source="learner.full_name")
    code = serializers.CharField()
    method = serializers.SerializerMethodField()
    arrived_at = serializers.SerializerMethodField()
    left_at = serializers.SerializerMethodField()
    certificate_requested = serializers.SerializerMethodField()

    def get_method(self, row) -> str | None:
        return row.record.method if row.record else None

    def get_arrived_at(self, row) -> str | None:
        r = row.record
        return r.arrived_at.strftime("%H:%M") if r and r.arrived_at else None

    def get_left_at(self, row) -> str | None:
        r = row.record
        return r.left_at.strftime("%H:%M") if r and r.left_at else None

    def get_certificate_requested(self, row) -> bool:
        return bool(row.record and row.record.certificate_requested)


class RegisterOutput(serializers.Serializer):
    session = serializers.IntegerField()
    date = serializers.DateField()
    locked = serializers.BooleanField()
    results = RecordOutput(many=True)


class RegisterView(APIView):
    """The day's list for a session (teachers of the course, staff of its provider)."""

    @extend_schema(responses=RegisterOutput)
    def get(self, request, pk: int):
        session = access.session_for_teacher(user=request.user, pk=pk)
        rows = selectors.register_rows(session=session)
        return Response(
            {
                "session": session.pk,
                "date": session.date,
                "locked": selectors.is_locked(session),
                "results": RecordOutput(rows, many=True).data,
            }
        )


class RecordInput(serializers.Serializer):
    enrolment = serializers.IntegerField()
    code = serializers.ChoiceField(choices=Code.choices, required=False)
    absence_reason = serializers.SlugRelatedField(
        slug_field="code", queryset=AbsenceReason.objects.all(), required=False, allow_null=True
    )
    arrived_at = serializers.TimeField(required=False, allow_null=True)
    left_at = serializers.TimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RecordSetOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.ChoiceField(choices=Code.choices)
    ue_attended = serializers.DecimalField(max_digits=4, decimal_places=2)
    certificate_requested = serializers.BooleanField()


class RecordSetView(APIView):
    """Set one learner's code for the day; after sign-off only staff, with a reason."""

    @extend_schema(request=RecordInput, responses=RecordSetOutput)
    def post(self, request, pk: int):
        session = access.session_for_teacher(user=request.user, pk=pk)
        data = RecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enrolment = access.enrolment_in_session(session=session, pk=values.pop("enrolment"))
        record = services.record_set(
            session=session, enrolment=enrolment, by=request.user, **values
        )
        return Response(
            {
                "id": record.pk,
                "code": record.code,
                "ue_attended": str(record.ue_attended),
                "certificate_requested": record.certificate_requested,
            }
        )


class SignOutput(serializers.Serializer):
    session = serializers.IntegerField()
    signed_at = serializers.DateTimeField()


class SignView(APIView):
    """Sign the day's register off (teachers of the course, staff of its provider)."""

    @extend_schema(request=None, responses={201: SignOutput})
    def post(self, request, pk: int):
        session = access.session_for_teacher(user=request.user, pk=pk)
        signoff = services.day_sign(session=session, by=request.user)
        return Response({"session": session.pk, "signed_at": signoff.signed_at}, status=201)


class CardInput(serializers.Serializer):
    card = serializers.CharField(max_length=200)


class CardCheckinOutput(serializers.Serializer):
    code = serializers.CharField(help_text="`checked_in` (201) or `already_checked_in` (200).")
    name = serializers.CharField()
    record = serializers.IntegerField()


class CardCheckinView(APIView):
    """A learner card scanned on the teacher's device."""

    @extend_schema(request=CardInput, responses={200: CardCheckinOutput, 201: CardCheckinOutput})
    def post(self, request, pk: int):
        session = access.session_for_teacher(user=request.user, pk=pk)
        data = CardInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.card_checkin(
            session=session, token=data.validated_data["card"], by=request.user
        )
        learner = result.record.enrolment.learner
        return Response(
            {
                "code": "checked_in" if result.created else "already_checked_in",
                "name": learner.full_name,
                "record": result.record.pk,
            },
            status=201 if result.created else 200,
        )


class TokenOutput(serializers.Serializer):
    url = serializers.CharField()
    svg = serializers.CharField()
    expires_in = serializers.IntegerField()
    rotate_seconds = serializers.IntegerField()


class TokenView(APIView):
    """A fresh session QR for the teacher's screen (polled by attendance-qr.js)."""

    @extend_schema(request=None, responses=TokenOutput)
    def get(self, request, pk: int):
        session = access.session_for_teacher(user=request.user, pk=pk)
        from attendance.views import checkin_url
        from core.qr import qr_svg

        slot = tokens.current_slot()
        url = checkin_url(session.pk, slot=slot)
        response = Response(
            {
                "url": url,
                "svg": qr_svg(url, box_size=12),
                "expires_in": tokens.seconds_left(slot),
                "rotate_seconds": tokens.ROTATE_SECONDS,
            }
        )
        response["Cache-Control"] = "no-store"
        return response


class CheckinInput(serializers.Serializer):
    token = serializers.CharField(max_length=300)


class CheckinOutput(serializers.Serializer):
    code = serializers.CharField(help_text="`checked_in` (201) or `already_checked_in` (200).")
    record = serializers.IntegerField()


class CheckinView(APIView):
    """A learner's check-in by session QR, for app-like clients (the page does the same)."""

    @extend_schema(request=CheckinInput, responses={200: CheckinOutput, 201: CheckinOutput})
    def post(self, request, pk: int):
        data = CheckinInput(data=request.data)
        data.is_valid(raise_exception=True)
        lang = request.user.preferred_language or translation.get_language()
        with translation.override(lang):
            try:
                tokens.verify_session_token(data.validated_data["token"], session_id=pk)
            except tokens.TokenError as exc:
                from attendance.views import TOKEN_MESSAGES

                raise DomainError(TOKEN_MESSAGES[exc.code](), code=exc.code) from exc
            result = services.checkin_record(
                session_id=pk, user=request.user, at=datetime.fromtimestamp(tokens.clock(), tz=UTC)
            )
        return Response(
            {
                "code": "checked_in" if result.created else "already_checked_in",
                # someone other than a learner (a volunteer on a shift): their app's record
                "record": result.record_id
                if isinstance(result, ParticipantCheckin)
                else result.record.pk,
            },
            status=201 if result.created else 200,
        )


class AlertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.ChoiceField(choices=AlertRule.Kind.choices)
    learner = serializers.IntegerField()
    name = serializers.CharField()
    course = serializers.IntegerField()
    dates = serializers.ListField(child=serializers.DateField())
    rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    raised_at = serializers.DateTimeField()
    notified_authority = serializers.BooleanField()


class AlertListOutput(serializers.Serializer):
    results = AlertOutput(many=True)


class AlertsView(APIView):
    """Open alerts of the caller's providers (staff), newest first, at most 200."""

    @extend_schema(responses=AlertListOutput)
    def get(self, request):
        provider_ids = request.user.provider_ids(role=Role.STAFF)
        if not provider_ids:
            raise PermissionDenied
        qs = selectors.open_alerts(provider_ids=provider_ids)[:200]
        return Response(
            {
                "results": [
                    {
                        "id": a.pk,
                        "rule": a.rule.kind,
                        "learner": a.enrolment.learner_id,
                        "name": a.enrolment.learner.full_name,
                        "course": a.enrolment.course_id,
                        "dates": a.dates,
                        "rate": str(a.rate) if a.rate is not None else None,
                        "raised_at": a.raised_at,
                        "notified_authority": a.notified_authority,
                    }
                    for a in qs
                ]
            }
        )
