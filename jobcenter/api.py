"""Jobcenter API: verification, participant lookup, event feed, webhooks (API-key clients).

Every response, whatever its status, is written to the access log with each lookup and learner
record it returned (``JobcenterAPIView.finalize_response``).
"""

from __future__ import annotations

import re
from datetime import date

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from internships.models import Placement
from jobcenter import selectors, services
from jobcenter.authentication import ApiKeyAuthentication, IsJobcenterClient, JobcenterThrottle
from jobcenter.models import AccessLogEntry, WebhookDelivery

MAX_PARTICIPANTS = 1000
BIGINT_MAX = 2**63 - 1
JOBCENTER_STATUSES = ["waitlisted", "offered", "enrolled", "completed", "withdrawn"]


# --- input ------------------------------------------------------------------------------------


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IsoDateField(serializers.DateField):
    """``YYYY-MM-DD`` only; parsed with ``date.fromisoformat`` (a bulk request has 1,000)."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return super().to_internal_value(value)


class ParticipantInput(serializers.Serializer):
    customer_number = serializers.CharField(max_length=30, trim_whitespace=True)
    date_of_birth = IsoDateField()


class VerificationInput(serializers.Serializer):
    participants = serializers.ListField(
        child=ParticipantInput(), min_length=1, max_length=MAX_PARTICIPANTS
    )


def _plain_participant(item: object) -> tuple[str, date] | None:
    """``ParticipantInput``'s result for the plain case (ASCII strings, ISO date), else None."""
    if not isinstance(item, dict):
        return None
    number, born = item.get("customer_number"), item.get("date_of_birth")
    if not (isinstance(number, str) and isinstance(born, str) and number.isascii()):
        return None
    number = number.strip()
    if not number or len(number) > 30 or "\x00" in number or not ISO_DATE.fullmatch(born):
        return None
    try:
        return number, date.fromisoformat(born)
    except ValueError:
        return None


def verification_input(data: object) -> list[tuple[str, date]]:
    """The (customer number, date of birth) pairs of a verification request.

    Well-formed input (the normal case) is read directly, since running a nested serializer for
    1,000 participants costs more than answering them; anything else goes through
    ``VerificationInput``, which gives the same result and the field errors.
    """
    items = data.get("participants") if isinstance(data, dict) else None
    if isinstance(items, list) and 1 <= len(items) <= MAX_PARTICIPANTS:
        plain = [_plain_participant(item) for item in items]
        if None not in plain:
            return plain
    serializer = VerificationInput(data=data)
    serializer.is_valid(raise_exception=True)
    return [
        (p["customer_number"], p["date_of_birth"])
        for p in serializer.validated_data["participants"]
    ]


class FeedQuery(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, max_value=BIGINT_MAX, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)


class WebhookInput(serializers.Serializer):
    url = serializers.URLField(max_length=500)


def enum_field(values: list[str], **kwargs) -> serializers.CharField:
    """A string with a fixed set of values, documented inline (no shared enum component whose
    name could collide with other apps' ``status`` enums)."""

    @extend_schema_field({"type": "string", "enum": list(values)})
    class EnumField(serializers.CharField):
        pass

    return EnumField(**kwargs)


# --- output (documents the contract; views render the selector's dicts directly) -----------


class AttendanceOutput(serializers.Serializer):
    ue_held = serializers.IntegerField()
    ue_attended = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    rate = serializers.FloatField(allow_null=True, help_text="Share of held UE attended, 0–1.")
    unexcused_days = serializers.IntegerField()
    last_attended = serializers.DateField(allow_null=True)


class EnrolmentOutput(serializers.Serializer):
    course_type = serializers.CharField(help_text="Code of the course type, e.g. `general`.")
    provider = serializers.CharField()
    location = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    ue_per_week = serializers.IntegerField()
    status = enum_field(
        JOBCENTER_STATUSES,
        help_text="An application awaiting confirmation reads as `waitlisted`.",
    )
    attendance = AttendanceOutput(
        allow_null=True, help_text="Null when the legal basis does not cover attendance."
    )
    proper_participation = serializers.BooleanField(
        allow_null=True,
        help_text="Against the Jobcenter's configured threshold; null before any UE was held.",
    )


class InternshipOutput(serializers.Serializer):
    employer = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False
    )
    status = enum_field(Placement.Status.values)


class ParticipantResult(serializers.Serializer):
    customer_number = serializers.CharField()
    found = serializers.BooleanField(
        help_text="False for an unknown number, a wrong date of birth and a client without a "
        "valid link alike."
    )
    enrolments = EnrolmentOutput(many=True)
    internships = InternshipOutput(many=True)


class VerificationOutput(serializers.Serializer):
    results = ParticipantResult(many=True)


class EventOutput(serializers.Serializer):
    id = serializers.IntegerField(
        help_text="Stable event id. Referral notices (`referral_*`) number their own ids; "
        "`cursor` is unique across the whole feed."
    )
    cursor = serializers.IntegerField(help_text="Feed position of this event.")
    type = enum_field([*(str(t) for t in selectors.FEED_TYPES), *selectors.NOTICE_TYPES])
    occurred_at = serializers.DateTimeField()
    customer_number = serializers.CharField(
        help_text="Your customer number of the client (for a referral: the one you sent, "
        "may be empty)."
    )
    data = serializers.DictField(
        help_text="Learner events: course or employer facts and dates; `reason_category` for "
        "withdrawals. Referral notices (`referral_sent`, `referral_accepted`, "
        "`referral_declined`, `referral_test_booked`, `referral_waiting_listed`, "
        "`referral_enrolled`, `referral_course_started`, `referral_closed`), only about "
        "referrals your Jobcenter sent: `referral_id`, `client_reference`, `status`, `date` "
        "(ISO date of the step), `decline_reason` (declined) and `outcome` (closed) as the "
        "codes of `GET /api/v1/referrals/{referral_id}/`. Never attendance or the receiving "
        "provider's notes."
    )


class FeedOutput(serializers.Serializer):
    results = EventOutput(many=True)
    next_cursor = serializers.IntegerField(help_text="Pass as `after` in the next request.")
    has_more = serializers.BooleanField()


class WebhookOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    created_at = serializers.DateTimeField()


class WebhookCreatedOutput(WebhookOutput):
    secret = serializers.CharField(help_text="HMAC-SHA256 signing secret, shown only once.")


class DeliveryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    webhook = serializers.IntegerField(source="webhook_id")
    event_id = serializers.IntegerField(
        source="subject_id", help_text="The feed item's id (a learner event or a notice)."
    )
    event_type = serializers.CharField(source="subject_type")
    status = enum_field(WebhookDelivery.Status.values)
    attempts = serializers.IntegerField()
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


ERRORS = {
    400: OpenApiResponse(ErrorOutput, description="Malformed input; `fields` names the fields."),
    401: OpenApiResponse(ErrorOutput, description="Missing, wrong or revoked API key."),
    429: OpenApiResponse(ErrorOutput, description="Rate limit; see `Retry-After`."),
}


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


# --- views ------------------------------------------------------------------------------------


class JobcenterAPIView(APIView):
    """API-key authenticated, throttled per Jobcenter, every response logged."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsJobcenterClient]
    throttle_classes = [JobcenterThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        raw = request._request
        client = getattr(raw, "jobcenter_client", None)
        services.access_log_write(
            channel=AccessLogEntry.Channel.API,
            method=request.method,
            # the path only: a query string may carry a birth date (the deprecated lookup)
            path=raw.path[:300],
            status_code=response.status_code,
            records=getattr(raw, "jobcenter_shared", ()) if response.status_code < 400 else (),
            jobcenter_id=client.jobcenter_id if client else None,
            api_key_id=client.api_key_id if client else None,
            key_prefix=getattr(raw, "jobcenter_key_prefix", ""),
        )
        return response

    def share(self, request, records) -> None:
        request._request.jobcenter_shared = records


class VerificationView(JobcenterAPIView):
    @extend_schema(
        operation_id="jobcenter_verifications",
        summary="Verify enrolment and participation of up to 1,000 clients",
        request=VerificationInput,
        responses={200: VerificationOutput, **_errors(400, 401, 429)},
        tags=["jobcenter"],
    )
    def post(self, request):
        participants = verification_input(request.data)
        answer = selectors.verification_results(
            jobcenter_id=request.user.jobcenter_id, participants=participants
        )
        self.share(request, answer.shared)
        return Response({"results": answer.results})


class ParticipantLookupInput(serializers.Serializer):
    date_of_birth = IsoDateField()


class ParticipantView(JobcenterAPIView):
    """One client. The birth date travels in the body (POST) or the ``X-Date-Of-Birth`` header,
    never in the URL, where proxies and server logs would keep it."""

    @extend_schema(
        operation_id="jobcenter_participant_lookup",
        summary="One client by customer number and date of birth (birth date in the body)",
        parameters=[OpenApiParameter("customer_number", str, OpenApiParameter.PATH)],
        request=ParticipantLookupInput,
        responses={200: ParticipantResult, **_errors(400, 401, 429)},
        tags=["jobcenter"],
    )
    def post(self, request, customer_number: str):
        born = request.data.get("date_of_birth") if isinstance(request.data, dict) else None
        return self.answer(request, customer_number, born)

    @extend_schema(
        operation_id="jobcenter_participant",
        summary="One client by customer number; date of birth in the X-Date-Of-Birth header",
        parameters=[
            OpenApiParameter("customer_number", str, OpenApiParameter.PATH),
            OpenApiParameter(
                "X-Date-Of-Birth",
                OpenApiTypes.DATE,
                OpenApiParameter.HEADER,
                required=False,
                description="YYYY-MM-DD",
            ),
            OpenApiParameter(
                "date_of_birth",
                OpenApiTypes.DATE,
                required=False,
                deprecated=True,
                description="Deprecated: use POST or the X-Date-Of-Birth header. Kept for one "
                "release for existing clients.",
            ),
        ],
        responses={200: ParticipantResult, **_errors(400, 401, 429)},
        tags=["jobcenter"],
    )
    def get(self, request, customer_number: str):
        born = request.headers.get("X-Date-Of-Birth") or request.query_params.get("date_of_birth")
        return self.answer(request, customer_number, born)

    def answer(self, request, customer_number: str, born: object) -> Response:
        ask = {"customer_number": customer_number, "date_of_birth": born}
        plain = _plain_participant(ask)
        if plain is None:  # the serializer gives the same result, and the field errors
            data = ParticipantInput(data=ask)
            data.is_valid(raise_exception=True)
            plain = data.validated_data["customer_number"], data.validated_data["date_of_birth"]
        answer = selectors.verification_results(
            jobcenter_id=request.user.jobcenter_id, participants=[plain]
        )
        self.share(request, answer.shared)
        return Response(answer.results[0])


class EventsView(JobcenterAPIView):
    @extend_schema(
        operation_id="jobcenter_events",
        summary="Events of this Jobcenter's linked clients, oldest first",
        description="Store `next_cursor` and pass it as `after`: no event is missed or repeated.",
        parameters=[FeedQuery],
        responses={200: FeedOutput, **_errors(400, 401, 429)},
        tags=["jobcenter"],
    )
    def get(self, request):
        query = FeedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.feed_sequence()
        page = selectors.feed_events(
            jobcenter_id=request.user.jobcenter_id,
            after=query.validated_data["after"],
            limit=query.validated_data["limit"],
        )
        self.share(request, page.shared)
        return Response(
            {"results": page.events, "next_cursor": page.next_cursor, "has_more": page.has_more}
        )


class WebhookListView(JobcenterAPIView):
    @extend_schema(
        operation_id="jobcenter_webhooks_list",
        summary="Registered webhooks",
        responses={200: WebhookOutput(many=True), **_errors(401, 429)},
        tags=["jobcenter"],
    )
    def get(self, request):
        hooks = selectors.webhooks_for_jobcenter(request.user.jobcenter_id)
        return Response(WebhookOutput(hooks, many=True).data)

    @extend_schema(
        operation_id="jobcenter_webhooks_create",
        summary="Register an HTTPS URL for signed event notifications",
        request=WebhookInput,
        responses={201: WebhookCreatedOutput, **_errors(400, 401, 429)},
        tags=["jobcenter"],
    )
    def post(self, request):
        data = WebhookInput(data=request.data)
        data.is_valid(raise_exception=True)
        from people.models import Organisation

        jobcenter = Organisation.objects.get(pk=request.user.jobcenter_id)
        hook = services.webhook_register(jobcenter=jobcenter, url=data.validated_data["url"])
        return Response(WebhookCreatedOutput(hook).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(JobcenterAPIView):
    @extend_schema(
        operation_id="jobcenter_webhooks_delete",
        summary="Stop notifications to a webhook",
        parameters=[OpenApiParameter("webhook_id", int, OpenApiParameter.PATH)],
        responses={204: None, 404: OpenApiResponse(ErrorOutput), **_errors(401, 429)},
        tags=["jobcenter"],
    )
    def delete(self, request, webhook_id: int):
        hook = get_object_or_404(
            selectors.webhooks_for_jobcenter(request.user.jobcenter_id), pk=webhook_id
        )
        services.webhook_deactivate(webhook=hook)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(JobcenterAPIView):
    @extend_schema(
        operation_id="jobcenter_webhook_deliveries",
        summary="Delivery log of this Jobcenter's webhooks (latest 200)",
        responses={200: DeliveryOutput(many=True), **_errors(401, 429)},
        tags=["jobcenter"],
    )
    def get(self, request):
        deliveries = selectors.deliveries_for_jobcenter(request.user.jobcenter_id)[:200]
        return Response(DeliveryOutput(deliveries, many=True).data)
