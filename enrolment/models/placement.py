"""Placement tests: the slots a provider offers, the bookings and the results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import CourseType, Level, Module
from people.models import Learner, Location, Organisation


class PlacementSlot(models.Model):
    """A placement test (Einstufungstest) appointment with room for ``capacity`` learners."""

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="placement_slots",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=10)
    tester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tester"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placement_slots",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The appointment itself (the tester is a user with an account of their own).
    personal_data = False

    class Meta:
        verbose_name = _("placement test slot")
        verbose_name_plural = _("placement test slots")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="placement_slot_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.start_time:%H:%M} · {self.location}"


class PlacementBooking(models.Model):
    slot = models.ForeignKey(
        PlacementSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="bookings"
    )
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="placement_bookings",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The placement test paper: 3 years after the end of the test year.
    retention = Retention(
        "placement_tests",
        runs_from="slot__date",
        provider="slot__provider",
        learner="learner",
        duty_where=Q(result__isnull=False),  # a booking without a result holds no paper
    )

    class Meta:
        verbose_name = _("placement test booking")
        verbose_name_plural = _("placement test bookings")
        ordering = ["slot", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "learner"], name="placement_booking_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.slot}"


class PlacementResult(models.Model):
    """What the test showed, and where staff placed the learner (a deviation needs a reason)."""

    booking = models.OneToOneField(
        PlacementBooking,
        verbose_name=_("booking"),
        on_delete=models.CASCADE,
        related_name="result",
    )
    level_reached = models.CharField(_("level reached"), max_length=4, choices=Level.choices)
    recommended_course_type = models.ForeignKey(
        CourseType,
        verbose_name=_("recommended course type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recommended_module = models.ForeignKey(
        Module,
        verbose_name=_("recommended start module"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_course_type = models.ForeignKey(
        CourseType,
        verbose_name=_("placed in course type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_module = models.ForeignKey(
        Module, verbose_name=_("placed in start module"), on_delete=models.PROTECT, related_name="+"
    )
    deviation_reason = models.TextField(_("reason for a different placement"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    retention = Retention(
        "placement_tests",
        follows="booking",
        learner="booking__learner",
        provider="booking__slot__provider",
    )

    class Meta:
        verbose_name = _("placement test result")
        verbose_name_plural = _("placement test results")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(placed_module=models.F("recommended_module"))
                    & Q(placed_course_type=models.F("recommended_course_type"))
                )
                | ~Q(deviation_reason=""),
                name="placement_deviation_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.booking.learner} · {self.level_reached}"

    @property
    def deviates(self) -> bool:
        return (
            self.placed_module_id != self.recommended_module_id
            or self.placed_course_type_id != self.recommended_course_type_id
        )
