"""Internships API: thin views over the same services and selectors as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from internships import services
from internships.access import placement_for_staff, placements_for_staff
from internships.models import Placement
from internships.selectors import placement_clashes


class PlacementOutput(serializers.ModelSerializer):
    learner_name = serializers.CharField(source="learner.full_name")
    employer_name = serializers.CharField(source="employer.name")

    class Meta:
        model = Placement
        fields = [
            "id",
            "learner",
            "learner_name",
            "employer",
            "employer_name",
            "type",
            "status",
            "start_date",
            "end_date",
            "weekdays",
            "daily_hours",
            "daily_start",
            "daily_end",
            "hours_per_week",
            "paid",
            "outcome",
        ]


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=Placement.Status.values, description="Only this status."
            )
        ]
    )
)
class PlacementListView(generics.ListAPIView):
    """Placements at employers of the caller's providers; filter with ?status=."""

    serializer_class = PlacementOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Placement.objects.none()
        qs = placements_for_staff(user=self.request.user).order_by("-start_date", "pk")
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return qs


class ClashOutput(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    course_id = serializers.IntegerField()
    course = serializers.CharField()


class ClashListOutput(serializers.Serializer):
    results = ClashOutput(many=True)


class PlacementClashesView(APIView):
    """Course sessions the placement clashes with (empty for in-course internships)."""

    @extend_schema(responses=ClashListOutput)
    def get(self, request, pk: int):
        placement = placement_for_staff(user=request.user, pk=pk)
        clashes = [] if placement.type == Placement.Type.IN_COURSE else placement_clashes(placement)
        return Response({"results": ClashOutput(clashes, many=True).data})


class PlacementAgreeView(APIView):
    """Agree a proposed placement; 409 with code ``clash`` while it clashes with course days."""

    @extend_schema(request=None, responses=PlacementOutput)
    def post(self, request, pk: int):
        placement = placement_for_staff(user=request.user, pk=pk)
        services.placement_agree(placement=placement, by=request.user)
        return Response(PlacementOutput(placement_for_staff(user=request.user, pk=pk)).data)
