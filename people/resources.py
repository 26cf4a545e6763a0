"""Import and export of locations (django-import-export), and the base of provider imports.

File format (CSV or XLSX, first row = column names):

============  ========  =====================================================================
column        required  meaning
============  ========  =====================================================================
provider      no        the provider's name or short name; staff of one provider leave it
                        out (their provider is used); a provider that is not the importing
                        user's own is rejected
name          yes       the location's name, unique per provider: the key, so importing the
                        same file again updates instead of duplicating
street        no        street and number
postcode      no        postcode
town          yes       town
state         no        federal state code (SH, HH, …) or name; default SH
step_free     no        ja/nein (also yes/no, 1/0, x)
============  ========  =====================================================================

An import is all or nothing: the preview lists every row's errors in plain words, and a file
with any bad row writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources

from people.models import FederalState, Location, Organisation, Role, User

TRUE_WORDS = {"1", "x", "ja", "j", "yes", "y", "true", "wahr"}
FALSE_WORDS = {"", "0", "nein", "n", "no", "false", "falsch", "-"}


def cell_text(value: Any) -> str:
    """A cell as stripped text (XLSX cells may be numbers or dates)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("“%(value)s” is not yes or no (write ja or nein).") % {"value": value})


def parse_date(value: Any) -> date:
    """A date from an XLSX date cell, ``2026-03-02`` or ``02.03.2026``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date (write it as 02.03.2026 or 2026-03-02).") % {"value": value}
    )


def choice_lookup(choices, languages=("de", "en")) -> dict[str, str]:
    """Map codes and their labels (in German and English, lower-cased) to the code."""
    lookup: dict[str, str] = {}
    for code, label in choices:
        lookup[str(code).lower()] = code
        for lang in languages:
            with translation.override(lang):
                lookup[str(label).lower()] = code
    return lookup


def yes_no(value: bool) -> str:
    return "ja" if value else "nein"


class ProviderResource(resources.ModelResource):
    """Base of imports into one provider's data.

    The resource knows the importing ``user``; each row's provider is the user's own (staff of
    one provider) or the one named in the ``provider`` column, which must be among the user's.
    Rows are found by a natural key inside that provider only, so another provider's rows can be
    neither read nor changed. Every import runs in a transaction that is rolled back when any row
    is invalid.
    """

    provider_column = "provider"
    provider_attribute = "provider"

    def __init__(self, user: User | None = None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._providers: list[Organisation] | None = None

    # -- providers -----------------------------------------------------------------------------
    def allowed_providers(self) -> list[Organisation]:
        if self._providers is None:
            qs = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
            user = self.user
            if user is None or not user.is_active:
                qs = qs.none()
            elif not user.is_superuser:
                qs = qs.filter(pk__in=user.provider_ids(role=Role.STAFF))
            self._providers = list(qs.order_by("name"))
        return self._providers

    def provider_for_row(self, row) -> Organisation:
        """The row's provider, or a ValidationError in plain words."""
        allowed = self.allowed_providers()
        named = cell_text(row.get(self.provider_column))
        if named:
            for provider in allowed:
                if named.lower() in {provider.name.lower(), provider.short_name.lower()}:
                    return provider
            raise ValidationError(
                {
                    self.provider_column: _(
                        "Provider “%(name)s” is unknown or not yours: you can import only "
                        "into your own provider."
                    )
                    % {"name": named}
                }
            )
        if len(allowed) == 1:
            return allowed[0]
        if not allowed:
            raise ValidationError(
                {NON_FIELD_ERRORS: _("You are not staff of any provider and cannot import.")}
            )
        raise ValidationError(
            {
                self.provider_column: _(
                    "Name the provider in the column “%(column)s” (you work for several)."
                )
                % {"column": self.provider_column}
            }
        )

    # -- the import ----------------------------------------------------------------------------
    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """All or nothing: a transaction, rolled back on any error or invalid row."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def key_filter(self, row) -> Q | None:
        """Q that finds the row's existing object inside its provider (None: always new)."""
        raise NotImplementedError

    def get_instance(self, instance_loader, row):
        try:
            provider = self.provider_for_row(row)
        except ValidationError:
            return None  # reported by import_instance
        key = self.key_filter(row)
        if key is None:
            return None
        return (
            self.get_queryset()
            .filter(**{self.provider_attribute: provider})
            .filter(key)
            .order_by("pk")
            .first()
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing row whose values are all unchanged is skipped (re-import is a no-op)."""
        if import_validation_errors:
            return False
        return instance.pk is not None and not getattr(instance, "_import_changes", True)

    def collect(self, errors: dict[str, list[str]], column: str, fn, *args):
        """Run a cell parser, filing its ValueError under ``column``."""
        try:
            return fn(*args)
        except ValueError as e:
            errors.setdefault(column, []).append(str(e))
        except ValidationError as e:
            for key, messages in e.message_dict.items():
                errors.setdefault(key, []).extend(messages)
        return None


class LocationResource(ProviderResource):
    provider_attribute = "organisation"
    provider = fields.Field(column_name="provider", readonly=True)

    class Meta:
        model = Location
        fields = ("provider", "name", "street", "postcode", "town", "state", "step_free")
        export_order = fields
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_html_diff = False

    def get_queryset(self) -> QuerySet[Location]:
        return Location.objects.select_related("organisation")

    def key_filter(self, row) -> Q | None:
        name = cell_text(row.get("name"))
        return Q(name__iexact=name) if name else None

    def dehydrate_provider(self, obj: Location) -> str:
        return obj.organisation.name if obj.organisation_id else ""

    def dehydrate_step_free(self, obj: Location) -> str:
        return yes_no(obj.step_free)

    def import_instance(self, instance: Location, row, **kwargs) -> None:
        errors: dict[str, list[str]] = {}
        provider = self.collect(errors, "provider", self.provider_for_row, row)
        values: dict[str, Any] = {}
        name = cell_text(row.get("name"))
        if not name:
            errors.setdefault("name", []).append(_("The location needs a name."))
        values["name"] = name
        for column in ("street", "postcode", "town"):
            if column in row:
                values[column] = cell_text(row.get(column))
        if cell_text(row.get("state")):
            states = choice_lookup(FederalState.choices)
            state = states.get(cell_text(row.get("state")).lower())
            if state is None:
                errors.setdefault("state", []).append(
                    _("“%(value)s” is not a German federal state (write SH, HH, …).")
                    % {"value": row.get("state")}
                )
            values["state"] = state or instance.state
        if "step_free" in row:
            step_free = self.collect(errors, "step_free", parse_bool, row.get("step_free"))
            if step_free is not None:
                values["step_free"] = step_free
        if provider is not None and instance.pk is None:
            instance.organisation = provider
        changes = {k: v for k, v in values.items() if getattr(instance, k) != v}
        for key, value in changes.items():
            setattr(instance, key, value)
        instance._import_changes = bool(changes)
        if errors:
            raise ValidationError(errors)
