"""PDFs a caseworker may download, built by the apps that own them.

The proof of registration (Anmeldebestätigung) belongs to enrolment, the participation
certificate to certificates; this module only finds their builders, so the portal links a
document exactly when its builder exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from enrolment.models import Enrolment


@dataclass(frozen=True)
class Document:
    kind: str
    part: str  # the link scope part the document reveals
    build: Callable[[Enrolment], bytes]


# Enrolment states for which each document exists.
STATUSES = {
    "registration": {Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED},
    "participation": {
        Enrolment.Status.ENROLLED,
        Enrolment.Status.COMPLETED,
        Enrolment.Status.WITHDRAWN,
    },
}


def registration_from_template(enrolment: Enrolment) -> bytes:
    """The Anmeldebestätigung from the enrolment app's own template (same context as its view);
    used until enrolment offers a service function for it."""
    from django.utils import timezone

    from core.pdf import render_pdf

    return render_pdf(
        "enrolment/confirmation_pdf.html",
        {
            "enrolment": enrolment,
            "learner": enrolment.learner,
            "course": enrolment.course,
            "today": timezone.localdate(),
        },
        language="de",
    )


def _template_builder() -> Callable[[Enrolment], bytes]:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("enrolment/confirmation_pdf.html")
    except TemplateDoesNotExist as exc:
        raise ImportError("no enrolment confirmation template") from exc
    return registration_from_template


# kind -> (link part, candidate "module:function" builders taking the enrolment)
CANDIDATES: dict[str, tuple[str, list[str]]] = {
    "registration": (
        "enrolments",
        [
            "enrolment.services:registration_pdf_for_enrolment",
            "jobcenter.documents:_template_builder()",
        ],
    ),
    "participation": ("attendance", ["certificates.services:participation_pdf_for_enrolment"]),
}


def _resolve(paths: list[str]) -> Callable[[Enrolment], bytes] | None:
    for dotted in paths:
        module_name, _, func = dotted.partition(":")
        try:
            found = getattr(import_module(module_name), func.removesuffix("()"))
            return found() if func.endswith("()") else found
        except (ImportError, AttributeError):
            continue
    return None


def available() -> dict[str, Document]:
    found: dict[str, Document] = {}
    for kind, (part, paths) in CANDIDATES.items():
        build = _resolve(paths)
        if build is not None:
            found[kind] = Document(kind=kind, part=part, build=build)
    return found
