"""Courses API: the public catalogue (read-only, anyone) and staff create/update per provider."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from courses.access import course_for_staff
from courses.filters import CatalogueFilter
from courses.models import Course, CourseType, Module, TimetableSlot
from courses.selectors import (
    catalogue_base,
    catalogue_cards,
    course_detail_qs,
    current_course_types,
    visible_course,
)
from courses.services import course_create, course_update
from people.models import Location, Organisation, Role, User


class CataloguePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class IsProviderStaffToWrite(permissions.BasePermission):
    """Anyone reads; only staff of a provider write (what they may change is scoped per object)."""

    message = _("Only a provider's staff may change courses.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.provider_ids(role=Role.STAFF))


# ---- output ------------------------------------------------------------------------------


class CourseTypeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProviderRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LocationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    town = serializers.CharField()


class LocationAddressSerializer(LocationRefSerializer):
    street = serializers.CharField()
    postcode = serializers.CharField()
    state = serializers.CharField()
    step_free = serializers.BooleanField()


class CourseListSerializer(serializers.ModelSerializer):
    course_type = CourseTypeRefSerializer()
    provider = ProviderRefSerializer()
    location = LocationRefSerializer()
    start_level = serializers.SerializerMethodField()
    target_level = serializers.CharField(source="course_type.target_level")
    seats_left = serializers.IntegerField()

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "course_type",
            "provider",
            "location",
            "start_level",
            "target_level",
            "time_of_day",
            "start_date",
            "end_date",
            "ue_per_week",
            "format",
            "childcare",
            "status",
            "capacity",
            "seats_left",
        ]

    def get_start_level(self, course: Course) -> str:
        """Target level of the first module (blank when the module names none)."""
        return course.first_module.target_level


class SlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimetableSlot
        fields = ["weekday", "start_time", "end_time", "ue"]

    def validate(self, attrs):
        if attrs["end_time"] <= attrs["start_time"]:
            raise serializers.ValidationError({"end_time": _("The end must be after the start.")})
        return attrs


class ModuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Module
        fields = ["id", "order", "name", "kind", "ue", "target_level"]


class CourseDetailSerializer(CourseListSerializer):
    location = LocationAddressSerializer()
    timetable = SlotSerializer(many=True)
    modules = serializers.SerializerMethodField()
    total_ue = serializers.IntegerField()
    bamf_course_number = serializers.CharField()

    class Meta(CourseListSerializer.Meta):
        fields = [
            *CourseListSerializer.Meta.fields,
            "description",
            "bamf_course_number",
            "timetable",
            "modules",
            "total_ue",
            "is_published",
        ]

    @extend_schema_field(ModuleSerializer(many=True))
    def get_modules(self, course: Course) -> list[dict]:
        return ModuleSerializer(course.modules_to_teach(), many=True).data


class CourseTypeSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.name")
    modules = ModuleSerializer(many=True)
    total_ue = serializers.IntegerField()

    class Meta:
        model = CourseType
        fields = [
            "code",
            "name",
            "programme",
            "valid_from",
            "max_group_size",
            "min_participants",
            "entry_level",
            "target_level",
            "final_exam",
            "modules",
            "total_ue",
        ]


# ---- input -------------------------------------------------------------------------------


class _ScopedInput(serializers.Serializer):
    """Related objects are offered only from the requesting staff member's providers."""

    def _staff_provider_ids(self) -> list[int]:
        return self.context["request"].user.provider_ids(role=Role.STAFF)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" not in self.context:
            return
        ids = self._staff_provider_ids()
        if "provider" in self.fields:
            self.fields["provider"].queryset = Organisation.objects.filter(pk__in=ids)
        self.fields["location"].queryset = Location.objects.filter(organisation_id__in=ids)
        self.fields["teachers"].child_relation.queryset = User.objects.filter(
            memberships__organisation_id__in=ids, memberships__role=Role.TEACHER
        ).distinct()


class CourseCreateSerializer(_ScopedInput):
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Needed only when you are staff of more than one provider."),
    )
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.none())
    course_type = serializers.SlugRelatedField(
        slug_field="code", queryset=CourseType.objects.current()
    )
    first_module = serializers.PrimaryKeyRelatedField(queryset=Module.objects.all(), required=False)
    start_date = serializers.DateField()
    timetable = SlotSerializer(many=True, allow_empty=False)
    capacity = serializers.IntegerField(min_value=1, max_value=25, required=False)
    teachers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), many=True, required=False
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    bamf_course_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    format = serializers.ChoiceField(choices=Course.Format.choices, required=False)
    childcare = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(choices=Course.Status.choices, required=False)
    is_published = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    waitlist_auto_enrol = serializers.BooleanField(required=False)
    confirm_plan = serializers.BooleanField(
        default=False,
        help_text=_(
            "A plan that looks wrong (an end date years away, too few UE a week) is refused "
            "with code implausible_plan; send true to save it anyway."
        ),
    )

    def validate(self, attrs):
        ids = self._staff_provider_ids()
        if "provider" not in attrs:
            if len(ids) != 1:
                raise serializers.ValidationError(
                    {"provider": _("Name the provider: you are staff of several.")}
                )
            attrs["provider"] = Organisation.objects.get(pk=ids[0])
        return attrs


class CourseUpdateSerializer(_ScopedInput):
    confirm_plan = serializers.BooleanField(
        default=False,
        help_text=_("true: save a new timetable or start date even if the plan looks wrong."),
    )
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.none(), required=False)
    start_date = serializers.DateField(required=False)
    timetable = SlotSerializer(many=True, allow_empty=False, required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=25, required=False)
    teachers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), many=True, required=False
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    bamf_course_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    format = serializers.ChoiceField(choices=Course.Format.choices, required=False)
    childcare = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(choices=Course.Status.choices, required=False)
    is_published = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    waitlist_auto_enrol = serializers.BooleanField(required=False)


# ---- views -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The public course catalogue"),
    retrieve=extend_schema(summary="One course with its timetable and modules"),
)
class CourseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Published courses for everyone; staff also see and change their own provider's courses."""

    permission_classes = [IsProviderStaffToWrite]
    filterset_class = CatalogueFilter
    pagination_class = CataloguePagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action == "list":
            return catalogue_base()
        return course_detail_qs()

    def list(self, request, *args, **kwargs):
        """The catalogue page by page, micro-cached per query for a few seconds."""
        ttl = catalogue_cache_seconds()
        key = (
            "catalogue:api:"
            + hashlib.sha256(f"{get_language()}?{request.GET.urlencode()}".encode()).hexdigest()
        )
        data = cache.get(key) if ttl else None
        if data is None:
            qs = self.get_queryset()
            if CatalogueFilter.is_filtering(request.query_params):
                qs = self.filter_queryset(qs)
            page = self.paginate_queryset(catalogue_cards(qs))
            data = self.paginator.get_paginated_response([course_card(row) for row in page]).data
            if ttl:
                cache.set(key, data, ttl)
        return Response(data)

    def get_object(self):
        return visible_course(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "list":
            return CourseListSerializer
        if self.action == "create":
            return CourseCreateSerializer
        if self.action == "partial_update":
            return CourseUpdateSerializer
        return CourseDetailSerializer

    def _detail(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        course = get_object_or_404(course_detail_qs(), pk=pk)
        return Response(CourseDetailSerializer(course).data, status=status_code)

    @extend_schema(request=CourseCreateSerializer, responses={201: CourseDetailSerializer})
    def create(self, request):
        data = CourseCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["slots"] = fields.pop("timetable")
        course = course_create(by=request.user, **fields)
        return self._detail(course.pk, status.HTTP_201_CREATED)

    @extend_schema(request=CourseUpdateSerializer, responses={200: CourseDetailSerializer})
    def partial_update(self, request, pk=None):
        course = course_for_staff(user=request.user, pk=pk)
        data = CourseUpdateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "timetable" in changes:
            changes["slots"] = changes.pop("timetable")
        course_update(course=course, by=request.user, **changes)
        return self._detail(course.pk)


def course_card(row: dict) -> dict:
    """One catalogue row (``selectors.catalogue_cards``) in the shape of ``CourseListSerializer``."""
    return {
        "id": row["id"],
        "title": row["title"],
        "course_type": {"code": row["course_type__code"], "name": row["course_type__name"]},
        "provider": {"id": row["provider_id"], "name": row["provider__name"]},
        "location": {
            "id": row["location_id"],
            "name": row["location__name"],
            "town": row["location__town"],
        },
        "start_level": row["first_module__target_level"],
        "target_level": row["course_type__target_level"],
        "time_of_day": row["time_of_day"],
        "start_date": row["start_date"].isoformat(),
        "end_date": row["end_date"].isoformat() if row["end_date"] else None,
        "ue_per_week": row["ue_per_week"],
        "format": row["format"],
        "childcare": row["childcare"],
        "status": row["status"],
        "capacity": row["capacity"],
        "seats_left": row["seats_left"],
    }


def catalogue_cache_seconds() -> int:
    """How long a catalogue listing may be served from the cache (0: never).

    Seats left may lag by at most this long; enrolling re-checks seats under a row lock, so a
    stale figure can never over-book a course. Off in tests unless a test turns it on.
    """
    return settings.CATALOGUE_CACHE_SECONDS


class CourseTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Course types as the rules stand today, with their modules (UE and target levels)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = CourseTypeSerializer
    lookup_field = "code"
    filter_backends: list = []

    def get_queryset(self):
        return current_course_types().prefetch_related("modules")
