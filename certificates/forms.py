"""Forms of the certificate pages; the services do the checking."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Module

LANGUAGE_CHOICES = [("", _("German only")), ("en", "English"), ("ar", "العربية")]


class IssueForm(forms.Form):
    learner = forms.IntegerField(widget=forms.HiddenInput)
    module = forms.ModelChoiceField(
        label=_("Module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=_("whole course"),
    )
    language = forms.ChoiceField(
        label=_("Second language"), choices=LANGUAGE_CHOICES, required=False
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = course.course_type.modules.all()


class BatchForm(forms.Form):
    module = forms.ModelChoiceField(
        label=_("Module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=_("whole course"),
    )
    language = forms.ChoiceField(
        label=_("Second language"), choices=LANGUAGE_CHOICES, required=False
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = course.course_type.modules.all()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=250)
