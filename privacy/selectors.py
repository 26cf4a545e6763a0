"""Reads for data protection: everything stored about a learner (the data package), the privacy
notice of a provider, restricted learners, holds and the deletion log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from people.models import Learner, Organisation, Role, User
from privacy.classes import info
from privacy.declarations import Declared, about_learners
from privacy.models import DeletionLog, LegalHold, PrivacySettings
from privacy.services.settings import ClassPeriod, class_periods

PACKAGE_FORMAT = "lernbruecke.data-package/1"

#: Stored, but never put into a package: secrets and hashes (a login code's hash, a card's
#: token, a webhook secret) and binary files (the certificate PDF itself).
NOT_SHOWN = frozenset({"code_hash", "token", "secret", "password", "sha256"})


def _value(field: models.Field, value: Any, related: dict) -> Any:
    """A field's value as plain JSON: choices by their label, relations by their name."""
    if value is None:
        return None
    if field.is_relation:
        obj = related.get((field.related_model, value))
        return str(obj) if obj is not None else value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return value


def _shown(model: type[models.Model], skip: str | None) -> list[models.Field]:
    fields = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in NOT_SHOWN or isinstance(f, models.BinaryField):
            continue
        if skip and f.name == skip:
            continue  # the link back to the learner: it is them
        fields.append(f)
    return fields


def _related_names(fields: list[models.Field], rows: list[dict]) -> dict:
    """The names of every related object the rows point at, one query per related model."""
    wanted: dict[type[models.Model], set] = {}
    for f in fields:
        if f.is_relation and f.related_model is not None:
            ids = {row[f.attname] for row in rows if row[f.attname] is not None}
            if ids:
                wanted.setdefault(f.related_model, set()).update(ids)
    found = {}
    for model, ids in wanted.items():
        forward = [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]
        manager = model._base_manager.select_related(*forward) if forward else model._base_manager
        for pk, obj in manager.in_bulk(list(ids)).items():
            found[(model, pk)] = obj
    return found


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    labels: dict[str, str]
    records: list[dict[str, Any]]


def _section(d: Declared, learner: Learner) -> Section | None:
    path = d.retention.learner
    rows = list(
        d.model._base_manager.filter(**{path or "pk": learner.pk})
        .order_by("pk")
        .values(*[f.attname for f in d.model._meta.concrete_fields])
    )
    if not rows:
        return None
    skip = path if path and "__" not in path else None
    fields = _shown(d.model, skip)
    related = _related_names(fields, rows)
    records = [{f.name: _value(f, row[f.attname], related) for f in fields} for row in rows]
    return Section(
        key=d.model._meta.label_lower.replace(".", "_"),
        title=str(d.model._meta.verbose_name_plural),
        labels={f.name: str(f.verbose_name) for f in fields},
        records=records,
    )


def _column(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column, not a reverse relation
    return field


def _login_section(user: User | None) -> Section | None:
    if user is None:
        return None
    names = ["username", "first_name", "last_name", "email", "preferred_language"]
    names += ["date_joined", "last_login"]
    fields = [_column(User, n) for n in names]
    return Section(
        key="login",
        title=str(_("Login")),
        labels={f.name: str(f.verbose_name) for f in fields},
        records=[{f.name: _value(f, getattr(user, f.attname), {}) for f in fields}],
    )


def learner_data_package(learner: Learner, *, language: str | None = None) -> dict[str, Any]:
    """Everything stored about the learner, as plain JSON (Art. 15 and 20 GDPR).

    Built from the models' retention declarations: every model with rows about a learner
    contributes a section, so a new model is in the package the day it declares its class.
    Keys are the field names (English, stable for machines); every section carries the labels
    in the package's language (the learner's by default) for people. Secrets, hashes and PDF
    files are left out; the learner's Jobcenter access log is in it (who read what).
    """
    language = language or learner.preferred_language
    with translation.override(language):
        sections: list[Section] = []
        seen = set()
        for d in sorted(about_learners(), key=lambda d: d.model is not Learner):
            if d.model in seen:
                continue
            seen.add(d.model)
            section = _section(d, learner)
            if section is not None:
                sections.append(section)
        login = _login_section(learner.user)
        if login is not None:
            sections.insert(1, login)
        provider = learner.provider
        return {
            "format": PACKAGE_FORMAT,
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "language": language,
            "controller": _controller(provider),
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "labels": s.labels,
                    "records": s.records,
                }
                for s in sections
            ],
        }


def _controller(provider: Organisation) -> dict[str, str]:
    settings = privacy_settings(provider)
    return {
        "name": provider.name,
        "email": provider.email,
        "phone": provider.phone,
        "law": str(provider.get_data_protection_regime_display()),
        "data_protection_officer": settings.dpo_name,
        "data_protection_officer_email": settings.dpo_email,
    }


def privacy_settings(provider: Organisation) -> PrivacySettings:
    """The provider's settings (unsaved empty ones when none were entered)."""
    found = PrivacySettings.objects.filter(provider=provider).first()
    return found or PrivacySettings(provider=provider)


# --- the privacy notice -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeClass:
    name: str
    period: str
    runs_from: str
    legal_duty: bool


@dataclass(frozen=True)
class Notice:
    provider: Organisation
    settings: PrivacySettings
    classes: list[NoticeClass]


def privacy_notice(provider: Organisation, *, on: date | None = None) -> Notice:
    """What the learner's privacy page shows: who is responsible, the law, the data-protection
    officer, how long what is kept (the provider's periods in force)."""
    on = on or timezone.localdate()
    classes = []
    for item in class_periods(provider=provider, on=on):
        described = info(item.key)
        if not described.for_learners or item.period is None:
            continue
        classes.append(
            NoticeClass(
                str(described.name),
                item.period.label(),
                str(described.runs_from),
                item.rule.legal_duty,
            )
        )
    return Notice(provider, privacy_settings(provider), classes)


def provider_class_periods(provider: Organisation, *, on: date) -> list[ClassPeriod]:
    return class_periods(provider=provider, on=on)


# --- staff and the data-protection officer ------------------------------------------------------


def privacy_provider_ids(user: User) -> list[int]:
    """Providers whose data-protection pages the user may open: staff and the DPO."""
    ids = user.provider_ids(role=Role.STAFF)
    for pk in user.provider_ids(role=Role.DATA_PROTECTION_OFFICER):
        if pk not in ids:
            ids.append(pk)
    return ids


def restricted_learners(user: User) -> QuerySet[Learner]:
    """Learners restricted after an erasure request, for the DPO of their provider only."""
    ids = user.provider_ids(role=Role.DATA_PROTECTION_OFFICER)
    return (
        Learner.all_objects.filter(provider_id__in=ids, restricted_at__isnull=False)
        .select_related("provider")
        .order_by("-restricted_at", "pk")
    )


def legal_holds_for(provider_ids: list[int]) -> QuerySet[LegalHold]:
    return (
        LegalHold.objects.filter(provider_id__in=provider_ids)
        .select_related("provider", "course", "course__course_type", "course__location")
        .order_by("-ends_on", "-pk")
    )


def deletion_log_for(provider_ids: list[int], *, limit: int = 50) -> QuerySet[DeletionLog]:
    return DeletionLog.objects.filter(provider_id__in=provider_ids).order_by("-at", "-pk")[:limit]
