"""Forms of the directory: the public search and the staff's entry of a location."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.languages import ISO_639_1, language_code
from courses.models import CourseType, Programme
from people.models import Location, OpeningHours, Service
from people.models.directory import POSTCODE_PREFIX
from referrals.directory.selectors import normalised_postcode

ANY = _("Any")


class DirectorySearchForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", ANY), *((code, code) for code in ISO_639_1)],
    )
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", ANY), *Service.choices]
    )

    def clean_postcode(self) -> str:
        text = self.cleaned_data["postcode"]
        postcode = normalised_postcode(text)
        if text.strip() and not postcode:
            raise forms.ValidationError(_("Enter a postcode: five digits, e.g. 25421."))
        return postcode


class CommaListField(forms.CharField):
    """A list typed as words separated by commas or spaces (shown the same way)."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [part for part in text.replace(";", ",").replace(",", " ").split() if part]


class LanguagesField(CommaListField):
    def clean(self, value) -> list[str]:
        codes, unknown = [], []
        for word in super().clean(value):
            code = language_code(word)
            (codes if code else unknown).append(code or word)
        if unknown:
            raise forms.ValidationError(
                _("Unknown language: %(words)s. Write ISO 639-1 codes such as ar, fa, uk."),
                params={"words": ", ".join(unknown)},
            )
        return codes


class PostcodesField(CommaListField):
    def clean(self, value) -> list[str]:
        words = super().clean(value)
        wrong = [w for w in words if not POSTCODE_PREFIX.match(w)]
        if wrong:
            raise forms.ValidationError(
                _("Not a postcode or its first 2 to 5 digits: %(words)s."),
                params={"words": ", ".join(wrong)},
            )
        return words


class LocationDirectoryForm(forms.ModelForm):
    languages = LanguagesField(
        label=_("Languages spoken besides German"),
        required=False,
        help_text=_("ISO 639-1 codes or names, separated by commas, e.g. ar, fa, uk, Türkisch."),
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        required=False,
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    course_types = forms.MultipleChoiceField(
        label=_("Course types offered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Also when no such course is in the catalogue now; current courses count on their own."
        ),
    )
    served_postcodes = PostcodesField(
        label=_("Postcodes served"),
        required=False,
        help_text=_(
            "Whole postcodes or their first digits, e.g. 25421, 25462, 254 (every 254xx). "
            "The directory lists this location first for these postcodes."
        ),
    )

    class Meta:
        model = Location
        fields = (
            "in_directory",
            "phone",
            "step_free",
            "lift",
            "accessible_toilet",
            "childcare",
            "languages",
            "services",
            "course_types",
            "served_postcodes",
            "directory_note",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = (
            CourseType.objects.current()
            .filter(programme__kind=Programme.Kind.COURSES)
            .order_by("programme__name", "name")
            .values_list("code", "name")
        )
        self.fields["course_types"].choices = list(current)


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ("weekday", "opens", "closes", "note")
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


OpeningHoursFormSet = forms.inlineformset_factory(
    Location, OpeningHours, form=OpeningHoursForm, extra=3, can_delete=True
)
