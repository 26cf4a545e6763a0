from django import forms
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    customer_number = forms.CharField(label=_("Customer number"), max_length=30)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
