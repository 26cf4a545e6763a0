"""Enrolment API: thin views over the services; errors map to {"code","detail","fields"}."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.access import course_for_staff
from courses.models import Course, CourseType, Level, Module
from enrolment import access, selectors, services
from enrolment.models import Enrolment, WaitlistWish
from people.access import learner_for_staff
from people.models import Learner, Location, TimeOfDay


class EnrolmentRecordOutput(serializers.ModelSerializer):
    learner_name = serializers.CharField(source="learner.full_name", read_only=True)
    module_name = serializers.CharField(source="module.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "learner",
            "learner_name",
            "course",
            "module",
            "module_name",
            "status",
            "start_date",
            "ended_on",
            "offer_expires_at",
            "withdrawal_reason",
            "created_at",
        ]


class WaitingEntryOutput(serializers.Serializer):
    position = serializers.IntegerField()
    learner = serializers.IntegerField(source="learner.pk")
    learner_name = serializers.CharField(source="learner.full_name")
    enrolment = serializers.SerializerMethodField()
    wish = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()

    def get_enrolment(self, entry) -> int | None:
        return entry.enrolment.pk if entry.enrolment else None

    def get_wish(self, entry) -> int | None:
        return entry.wish.pk if entry.wish else None

    def get_reason(self, entry) -> str:
        return entry.reason()


class WaitingPositionOutput(serializers.Serializer):
    status = serializers.CharField()
    position = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()


class EnrolRequestInput(serializers.Serializer):
    learner = serializers.IntegerField()
    module = serializers.IntegerField(required=False)
    confirm_late_entry = serializers.BooleanField(default=False)


class WithdrawInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Enrolment.WithdrawalReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TransferInput(serializers.Serializer):
    to_course = serializers.IntegerField(required=False)
    module = serializers.IntegerField(required=False)
    confirm_late_entry = serializers.BooleanField(default=False)


def _learner(request, course: Course, pk: int) -> Learner:
    return get_object_or_404(Learner, pk=pk, provider_id=course.provider_id)


def _module(course: Course, pk: int | None) -> Module | None:
    if pk is None:
        return None
    return get_object_or_404(Module, pk=pk, course_type_id=course.course_type_id)


def _out(enrolment: Enrolment, created: bool | None = None) -> Response:
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response(EnrolmentRecordOutput(enrolment).data, status=code)


class EnrolView(APIView):
    """Staff enrol a learner (or put them on the waiting list when full). A repeat returns the
    existing enrolment with 200."""

    @extend_schema(request=EnrolRequestInput, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        course = course_for_staff(user=request.user, pk=pk)
        data = EnrolRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = services.enrolment_create(
            course=course,
            learner=_learner(request, course, data.validated_data["learner"]),
            module=_module(course, data.validated_data.get("module")),
            by=request.user,
            confirm_late_entry=data.validated_data["confirm_late_entry"],
        )
        return _out(enrolment, enrolment.was_created)


class WaitlistJoinView(APIView):
    @extend_schema(request=EnrolRequestInput, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        course = course_for_staff(user=request.user, pk=pk)
        data = EnrolRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = services.waitlist_join(
            course=course,
            learner=_learner(request, course, data.validated_data["learner"]),
            by=request.user,
        )
        return _out(enrolment, enrolment.was_created)


class ApplyView(APIView):
    """A learner applies for a public course of their provider; a repeat returns 200."""

    @extend_schema(request=None, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        learner = access.learner_of(request.user)
        course = get_object_or_404(
            Course.objects.public().filter(provider_id=learner.provider_id), pk=pk
        )
        enrolment = services.application_create(course=course, learner=learner)
        return _out(enrolment, enrolment.was_created)


class CourseEnrolmentsView(APIView):
    @extend_schema(request=None, responses=EnrolmentRecordOutput(many=True))
    def get(self, request, pk: int):
        course = course_for_staff(user=request.user, pk=pk)
        qs = selectors.course_enrolments(course=course)
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        return Response(EnrolmentRecordOutput(qs, many=True).data)


class CourseWaitingListView(APIView):
    @extend_schema(request=None, responses=WaitingEntryOutput(many=True))
    def get(self, request, pk: int):
        course = course_for_staff(user=request.user, pk=pk)
        return Response(WaitingEntryOutput(selectors.waiting_entries(course), many=True).data)


class EnrolmentDetailView(APIView):
    @extend_schema(request=None, responses=EnrolmentRecordOutput)
    def get(self, request, pk: int):
        enrolment = access.enrolment_for_user(user=request.user, pk=pk)
        return _out(enrolment)


class PositionView(APIView):
    """Where a waiting enrolment stands, and why."""

    @extend_schema(request=None, responses=WaitingPositionOutput)
    def get(self, request, pk: int):
        enrolment = access.enrolment_for_user(user=request.user, pk=pk)
        entry = selectors.waitlist_position(enrolment)
        if entry is None:
            return Response({"status": enrolment.status, "position": None, "reason": ""})
        return Response(
            {"status": enrolment.status, "position": entry.position, "reason": entry.reason()}
        )


class WithdrawView(APIView):
    """Staff withdraw an enrolment; a learner may withdraw their own. Repeats change nothing."""

    @extend_schema(request=WithdrawInput, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        enrolment = access.enrolment_for_user(user=request.user, pk=pk)
        data = WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = services.enrolment_withdraw(
            enrolment=enrolment, by=request.user, **data.validated_data
        )
        return _out(enrolment)


class TransferView(APIView):
    @extend_schema(request=TransferInput, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        enrolment = access.enrolment_for_staff(user=request.user, pk=pk)
        data = TransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        to_pk = data.validated_data.get("to_course")
        to_course = course_for_staff(user=request.user, pk=to_pk) if to_pk else enrolment.course
        new = services.enrolment_transfer(
            enrolment=enrolment,
            to_course=to_course,
            module=_module(to_course, data.validated_data.get("module")),
            by=request.user,
            confirm_late_entry=data.validated_data["confirm_late_entry"],
        )
        return _out(new)


class UndoView(APIView):
    """Staff take back today's withdrawal (this enrolment) or transfer (this is the new place);
    answers with the enrolment that holds the place again."""

    @extend_schema(request=None, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        enrolment = access.enrolment_for_staff(user=request.user, pk=pk)
        if enrolment.status == Enrolment.Status.ENROLLED and enrolment.transferred_from_id:
            return _out(services.enrolment_transfer_undo(enrolment=enrolment, by=request.user))
        return _out(services.enrolment_withdraw_undo(enrolment=enrolment, by=request.user))


class ConfirmApplicationView(APIView):
    @extend_schema(request=None, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        enrolment = access.enrolment_for_staff(user=request.user, pk=pk)
        if enrolment.status != Enrolment.Status.APPLIED:
            return _out(enrolment)  # already confirmed: a retry changes nothing
        return _out(services.application_confirm(enrolment=enrolment, by=request.user))


class OfferAcceptView(APIView):
    @extend_schema(request=None, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        enrolment = access.enrolment_for_user(user=request.user, pk=pk)
        return _out(services.offer_accept(enrolment=enrolment, by=request.user))


class OfferDeclineView(APIView):
    @extend_schema(request=None, responses=EnrolmentRecordOutput)
    def post(self, request, pk: int):
        enrolment = access.enrolment_for_user(user=request.user, pk=pk)
        return _out(services.offer_decline(enrolment=enrolment, by=request.user))


class MyEnrolmentsView(APIView):
    @extend_schema(request=None, responses=EnrolmentRecordOutput(many=True))
    def get(self, request):
        try:
            learner = access.learner_of(request.user)
        except Http404:
            return Response([])
        return Response(
            EnrolmentRecordOutput(selectors.learner_enrolments(learner=learner), many=True).data
        )


class WishInput(serializers.Serializer):
    course_type = serializers.IntegerField(required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False, default="")
    module_order = serializers.IntegerField(required=False, min_value=1)
    locations = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    times_of_day = serializers.ListField(
        child=serializers.ChoiceField(choices=TimeOfDay.choices), required=False, default=list
    )
    needs_childcare = serializers.BooleanField(default=False)


class WishOutput(serializers.ModelSerializer):
    class Meta:
        model = WaitlistWish
        fields = [
            "id",
            "learner",
            "course_type",
            "level",
            "module_order",
            "locations",
            "times_of_day",
            "needs_childcare",
            "status",
            "created_at",
        ]


class WishCreateView(APIView):
    """Staff put a learner on the waiting list for any course that fits the wish; a fitting
    course with a free seat is offered at once."""

    @extend_schema(request=WishInput, responses=WishOutput)
    def post(self, request, pk: int):
        learner = learner_for_staff(user=request.user, pk=pk)
        data = WishInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        course_type = None
        if values.pop("course_type", None):
            course_type = get_object_or_404(CourseType, pk=data.validated_data["course_type"])
        locations = list(
            Location.objects.filter(
                pk__in=values.pop("locations"), organisation_id=learner.provider_id
            )
        )
        if len(locations) != len(set(data.validated_data["locations"])):
            raise Http404
        wish = services.wish_create(
            learner=learner,
            course_type=course_type,
            locations=locations,
            by=request.user,
            **values,
        )
        return Response(WishOutput(wish).data, status=status.HTTP_201_CREATED)
