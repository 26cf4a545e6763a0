"""Volunteers API: thin views over the same services and selectors as the pages.

A volunteer lists free shifts and claims one; staff list their providers' volunteers and see
the tandem suggestions for one, with the reasons. Outsiders get 404.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from volunteers import access, services
from volunteers.models import Shift, Volunteer
from volunteers.selectors import open_shifts, tandem_suggestions
from volunteers.services.base import today


class ShiftOutput(serializers.ModelSerializer):
    activity = serializers.CharField(source="activity.title")
    provider = serializers.IntegerField(source="activity.course.provider_id")
    place = serializers.CharField(source="activity.course.location.name")
    date = serializers.DateField(source="session.date")
    start_time = serializers.TimeField(source="session.start_time")
    end_time = serializers.TimeField(source="session.end_time")
    free_places = serializers.SerializerMethodField()

    class Meta:
        model = Shift
        fields = [
            "id",
            "activity",
            "provider",
            "place",
            "date",
            "start_time",
            "end_time",
            "task",
            "places",
            "free_places",
        ]

    def get_free_places(self, shift) -> int:
        return shift.places - shift.taken


class OpenShiftsView(generics.ListAPIView):
    """Shifts with free places at the providers the caller actively volunteers for."""

    serializer_class = ShiftOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Shift.objects.none()
        return open_shifts(user=self.request.user, today=today())


class ClaimOutput(serializers.Serializer):
    assignment = serializers.IntegerField()
    shift = serializers.IntegerField()


class ClaimShiftView(APIView):
    """Take a place on a shift (409 ``shift_full`` or a ``requirement_*`` code when refused)."""

    @extend_schema(request=None, responses={201: ClaimOutput})
    def post(self, request, pk: int):
        shift = access.shift_for_volunteer(user=request.user, pk=pk)
        volunteer = access.own_active_profiles(user=request.user).get(
            provider_id=shift.activity.course.provider_id
        )
        assignment = services.shift_claim(shift=shift, volunteer=volunteer, by=request.user)
        return Response({"assignment": assignment.pk, "shift": shift.pk}, status=201)


class VolunteerOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")
    languages = serializers.SerializerMethodField()

    class Meta:
        model = Volunteer
        fields = ["id", "name", "provider", "status", "roles", "start_date", "languages"]

    def get_languages(self, volunteer) -> list[dict]:
        return [{"language": x.language, "level": x.level} for x in volunteer.languages.all()]


class VolunteerListView(generics.ListAPIView):
    """Volunteers of the caller's providers (staff); filter with ?status=."""

    serializer_class = VolunteerOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Volunteer.objects.none()
        if not access.coordinated_provider_ids(self.request.user):
            raise Http404
        qs = access.volunteers_for_staff(user=self.request.user).prefetch_related("languages")
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return qs.order_by("pk")


class ReasonOutput(serializers.Serializer):
    code = serializers.CharField()
    points = serializers.IntegerField()
    text = serializers.CharField()


class SuggestionOutput(serializers.Serializer):
    learner = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    score = serializers.IntegerField()
    reasons = ReasonOutput(many=True)


class SuggestionListOutput(serializers.Serializer):
    results = SuggestionOutput(many=True)


class SuggestionsView(APIView):
    """Learners suggested as the volunteer's language buddy, best first, with the reasons."""

    @extend_schema(responses=SuggestionListOutput)
    def get(self, request, pk: int):
        volunteer = access.volunteer_for_staff(user=request.user, pk=pk)
        rows = tandem_suggestions(volunteer)
        return Response(
            {
                "results": [
                    {
                        "learner": r.learner.pk,
                        "first_name": r.learner.first_name,
                        "last_name": r.learner.last_name,
                        "score": r.score,
                        "reasons": [x.as_dict() for x in r.reasons],
                    }
                    for r in rows
                ]
            }
        )
