"""Referral API for Jobcenters (API key): send a referral, idempotent on the client's own
reference, read its status and dates, and list the providers it may refer to.

The Jobcenter sees of its referral what any sender sees: status and dates, the reason of a
decline and the outcome; never the receiver's notes or attendance. Another Jobcenter's referral
answers 404, as an unknown one does. Every response is written to the Jobcenter access log
(``JobcenterAPIView``).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from courses.models import Course, Level
from jobcenter.api import ERRORS, ErrorOutput, IsoDateField, JobcenterAPIView, enum_field
from people.models import Location, Organisation
from referrals import selectors, services
from referrals.models import (
    Consent,
    DataItem,
    DeclineReason,
    Obligation,
    Outcome,
    Purpose,
    Referral,
    Status,
)

# --- input ------------------------------------------------------------------------------------


class ConsentInput(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.ChoiceField(choices=DataItem.choices),
        min_length=1,
        help_text="What the person agreed to share with the receiver; `identity` is required.",
    )
    method = serializers.ChoiceField(choices=Consent.Method.choices)


class ReferralInput(serializers.Serializer):
    client_reference = serializers.CharField(
        max_length=60,
        help_text="Your own reference. Sending it again returns the first referral (200) and "
        "changes nothing.",
    )
    receiver = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="Id of a provider of your network (`GET /api/v1/referrals/receivers/`).",
    )
    receiver_location = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="Optional: id of one of the receiving provider's locations (the place the "
        "person should go to). A location of another provider answers 400 "
        "`foreign_location` naming the field `receiver_location`.",
    )
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    course_type = serializers.SlugField(max_length=40, required=False, default="")
    course = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = IsoDateField()
    phone = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    languages = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, default="", allow_blank=True
    )
    obligation = serializers.ChoiceField(
        choices=Obligation.choices,
        required=False,
        default="",
        allow_blank=True,
        help_text="`jobcenter`: the client is obliged by your Jobcenter; then no consent is "
        "needed and the obligation is the legal basis.",
    )
    customer_number = serializers.CharField(
        max_length=30, required=False, default="", allow_blank=True
    )
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    consent = ConsentInput(
        required=False,
        allow_null=True,
        default=None,
        help_text="Required unless `obligation` is `jobcenter`.",
    )


# --- output -----------------------------------------------------------------------------------


class ReferralOutput(serializers.Serializer):
    id = serializers.IntegerField()
    client_reference = serializers.CharField()
    receiver = serializers.IntegerField(source="receiver_id")
    receiver_location = serializers.IntegerField(source="receiver_location_id", allow_null=True)
    purpose = enum_field(Purpose.values)
    status = enum_field(Status.values)
    stalled = serializers.SerializerMethodField()
    decline_reason = enum_field([*DeclineReason.values, ""])
    outcome = enum_field([*Outcome.values, ""])
    sent_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    declined_at = serializers.DateTimeField(allow_null=True)
    test_booked_at = serializers.DateTimeField(allow_null=True)
    waiting_listed_at = serializers.DateTimeField(allow_null=True)
    enrolled_at = serializers.DateTimeField(allow_null=True)
    course_started_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    consent_pending = serializers.SerializerMethodField(
        help_text="A `login_code` consent the person has not confirmed yet: until then the "
        "receiving provider sees none of the person's data."
    )
    consent_code = serializers.CharField(
        help_text="Only in the answer that created a referral with a `login_code` consent: "
        "the code the person confirms with at `/referrals/confirm/` (not stored, never shown "
        "again). Empty otherwise."
    )

    def get_stalled(self, obj: Referral) -> bool:
        return obj.stalled_at is not None and obj.status != Status.CLOSED

    def get_consent_pending(self, obj: Referral) -> bool:
        return obj.pending_consent() is not None


class ReceiverOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _errors(*codes: int) -> dict:
    more = {
        404: OpenApiResponse(ErrorOutput, description="Unknown, or another sender's referral."),
        409: OpenApiResponse(ErrorOutput, description="The request clashes with the state."),
    }
    return {code: ERRORS.get(code) or more[code] for code in codes}


# --- views ------------------------------------------------------------------------------------


class ReferralListView(JobcenterAPIView):
    @extend_schema(
        operation_id="referrals_create",
        summary="Refer a client to a provider of the network (idempotent on client_reference)",
        description="Errors carry a stable `code`: `consent_required`, `not_consented`, "
        "`consent_identity_required`, `foreign_receiver`, `foreign_location`, `foreign_course`, "
        "`course_type_required`, `birth_date`, `invalid`. With the consent method "
        "`login_code` the consent is pending until the person confirms it with the "
        "`consent_code` of the answer.",
        request=ReferralInput,
        responses={
            201: ReferralOutput,
            200: OpenApiResponse(ReferralOutput, description="Repeat of a client_reference."),
            **_errors(400, 401, 429),
        },
        tags=["referrals"],
    )
    def post(self, request):
        data = ReferralInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        jobcenter = Organisation.objects.get(pk=request.user.jobcenter_id)
        receiver = Organisation.objects.filter(
            pk=values["receiver"], kind=Organisation.Kind.PROVIDER
        ).first()
        course = Course.objects.filter(pk=values["course"]).first() if values["course"] else None
        location = None
        if values["receiver_location"]:
            # an unknown id and another provider's location get the same answer
            location = Location.objects.filter(pk=values["receiver_location"]).first() or Location(
                pk=0, organisation_id=0
            )
        consent = values["consent"]
        referral = services.referral_create(
            sender_organisation=jobcenter,
            sender=None,
            # an unknown id and a provider outside the network get the same answer
            receiver=receiver or Organisation(pk=0, kind=Organisation.Kind.PROVIDER),
            purpose=values["purpose"],
            course_type_code=values["course_type"],
            course=course,
            first_name=values["first_name"],
            last_name=values["last_name"],
            date_of_birth=values["date_of_birth"],
            phone=values["phone"],
            email=values["email"],
            languages=values["languages"],
            level=values["level"],
            obligation=values["obligation"],
            customer_number=values["customer_number"],
            note=values["note"],
            client_reference=values["client_reference"],
            receiver_location=location,
            consent=services.ConsentInput(
                items=frozenset(consent["items"]), method=consent["method"]
            )
            if consent
            else None,
        )
        code = status.HTTP_201_CREATED if referral.was_created else status.HTTP_200_OK
        return Response(ReferralOutput(referral).data, status=code)


class ReferralDetailView(JobcenterAPIView):
    @extend_schema(
        operation_id="referrals_status",
        summary="Status and dates of one of your referrals",
        parameters=[OpenApiParameter("referral_id", int, OpenApiParameter.PATH)],
        responses={200: ReferralOutput, **_errors(401, 404, 429)},
        tags=["referrals"],
    )
    def get(self, request, referral_id: int):
        referral = get_object_or_404(
            Referral.objects.filter(sender_organisation_id=request.user.jobcenter_id)
            .select_related("sender_organisation")
            .prefetch_related("consents"),
            pk=referral_id,
        )
        # the status is read about the person: logged like the portal's read of it
        self.share(request, [services.status_read_record(referral)])
        return Response(ReferralOutput(referral).data)


class ReceiverListView(JobcenterAPIView):
    @extend_schema(
        operation_id="referrals_receivers",
        summary="Providers of your network you may refer to",
        responses={200: ReceiverOutput(many=True), **_errors(401, 429)},
        tags=["referrals"],
    )
    def get(self, request):
        jobcenter = Organisation.objects.get(pk=request.user.jobcenter_id)
        receivers = selectors.receivers_for(jobcenter).only("id", "name")
        return Response(ReceiverOutput(receivers, many=True).data)
