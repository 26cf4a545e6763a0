"""The expected figures of a module as the revenue report last computed them from the register."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Module


class ModuleFigures(models.Model):
    """What the register said of one module of one course when the revenue report last computed
    it (``billing.selectors.revenue``): the expected reimbursement, own contributions and billable
    UE (of a module not issued yet: an issued claim has its lines), and the UE lost to unexcused
    absence. A copy to spare recomputing every module on every load, never a figure of its own.

    The copy holds while nothing it was computed from changed: ``changed_at`` is set after the
    commit of every change to the module's register, sign-offs, course days, enrolments, the
    learners' exemptions and travel applications (``billing.signals``), and the copy counts only
    when computed after that, up to the same day (a running module grows daily) and by the same
    rule versions (``rules_key``). A row may be only a mark (``computed_at`` empty): a change
    arrived before anything was computed, so a computation already under way cannot pass for
    fresh."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="+"
    )
    reimbursement = models.DecimalField(
        _("reimbursement"), max_digits=10, decimal_places=2, default=0
    )
    own_contribution = models.DecimalField(
        _("own contributions"), max_digits=10, decimal_places=2, default=0
    )
    billable_ue = models.DecimalField(_("billable UE"), max_digits=9, decimal_places=2, default=0)
    lost_ue = models.DecimalField(
        _("UE lost to unexcused absence"), max_digits=9, decimal_places=2, default=0
    )
    until = models.DateField(_("computed up to"), null=True, blank=True)
    rules_key = models.CharField(max_length=64, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("inputs changed at"), null=True, blank=True)

    # Sums per module, about no one: they go with the course (or module).
    personal_data = False

    class Meta:
        verbose_name = _("stored module figures")
        verbose_name_plural = _("stored module figures")
        constraints = [
            models.UniqueConstraint(fields=["course", "module"], name="billing_figures_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.module_id}"
