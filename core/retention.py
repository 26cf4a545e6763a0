"""How long a model's rows are kept: the retention declaration every model of the project makes.

Each concrete model of the project's apps says, in its own ``models.py``, one of two things::

    class LoginCode(models.Model):
        retention = Retention("login_codes", runs_from="expires_at",
                              provider="learner__provider", learner="learner")

    class CourseType(models.Model):
        personal_data = False

``retention`` may also be a tuple of declarations: the first decides the row's fate; a later one
clears some fields earlier (check-in metadata on an attendance record) or covers part of the
rows (revoked learner cards, while active ones follow the learner). The key names a retention
class; its period, the date it runs from and its legal source are dated rule data in the
``privacy`` app (``privacy.RetentionRule``), so a law change is a new row, not a code change.
``privacy`` reads the declarations of every model (a test fails on a model that declares
nothing) and its daily job deletes or anonymises what is due. ``core`` imports no app: the
declaration only names fields, and ``restricted_at`` is the one field it knows the learner
model carries (a learner whose data is restricted after an erasure request).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

#: The learner's field that marks a restricted record (hidden from everyone but the DPO).
RESTRICTED_FIELD = "restricted_at"


@dataclass(frozen=True)
class Retention:
    """One retention declaration of a model.

    ``key``        the retention class (a key of ``privacy.RetentionRule``).
    ``runs_from``  the date or time the period runs from: a field path, an expression, or a
                   callable returning one (for expressions that need other models). Rows where
                   it is NULL are not due (the event has not happened yet). ``None`` for rows
                   that follow their owner (``follows``).
    ``provider``   path to the provider (per-provider periods and legal holds); None when the
                   rows belong to no provider (the default period applies).
    ``learner``    path to the learner the rows are about ("" on the learner model itself);
                   erasure, data packages, holds on a learner and restriction use it.
    ``course``     path to the course (legal holds on a course).
    ``anonymise``  None: due rows are deleted. A mapping: due rows are kept and these fields
                   set (reports keep their counts, rates and UE totals). A row whose constant
                   values already match counts as done, so a second run changes nothing.
    ``where``      only rows matching this Q (or a callable returning it) can be due.
    ``follows``    the foreign key to the owner whose fate the rows share: they are anonymised
                   (``anonymise``) or deleted when the owner is, and leave with it (CASCADE).
    ``minimise``   fields cleared when the row is kept, restricted, after an erasure request.
    ``duty_where`` with a class that is a legal duty to keep: only rows matching this are under
                   the duty (an erasure request deletes the others at once); default all.
    ``after_dependants``  due only once every row about the learner in the other classes is
                   due or done (the learner record itself: the name stays while any record that
                   needs it is kept).
    """

    key: str
    runs_from: str | Any | Callable[[], Any] | None = None
    provider: str | None = None
    learner: str | None = None
    course: str | None = None
    anonymise: Mapping[str, Any] | None = None
    where: Q | Callable[[], Q] | None = None
    follows: str | None = None
    minimise: Mapping[str, Any] | None = field(default=None)
    duty_where: Q | Callable[[], Q] | None = None
    after_dependants: bool = False

    def anchor(self) -> Any:
        value = self.runs_from() if callable(self.runs_from) else self.runs_from
        return models.F(value) if isinstance(value, str) else value

    def condition(self) -> Q:
        value = self.where() if callable(self.where) else self.where
        return value if value is not None else Q()


def declarations(model: type[models.Model]) -> tuple[Retention, ...]:
    """The model's retention declarations (empty for ``personal_data = False`` or none)."""
    value = model.__dict__.get("retention")
    if value is None:
        return ()
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def declares(model: type[models.Model]) -> bool:
    """Whether the model made its declaration in its own class body (not only inherited)."""
    return "retention" in model.__dict__ or model.__dict__.get("personal_data") is False


def learner_path(model: type[models.Model]) -> str | None:
    """The path from the model to the learner its rows are about, from its declarations."""
    for item in declarations(model):
        if item.learner is not None:
            return item.learner
    return None


def visible_learner_q(path: str | None) -> Q:
    """Rows whose learner is not restricted (``path`` from the row to the learner)."""
    if path is None:
        return Q()
    return Q(
        **{f"{path}__{RESTRICTED_FIELD}__isnull" if path else f"{RESTRICTED_FIELD}__isnull": True}
    )


def unrestricted[M: models.Model](qs: QuerySet[M] | models.Manager[M]) -> QuerySet[M]:
    """``qs`` without the rows about a restricted learner.

    The doors of staff pages, the API and the admin pass their querysets through here, so a
    learner restricted after an erasure request disappears everywhere at once.
    """
    return qs.filter(visible_learner_q(learner_path(qs.model)))
