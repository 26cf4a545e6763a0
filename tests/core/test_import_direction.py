"""Imports flow one way (DESIGN §4): an app imports only apps of a lower layer, never upward.

A lower app that must tell a higher one something sends a signal or writes an outbox event.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

#: The layers, lowest first. An app may import any app of a strictly lower layer.
LAYERS: dict[str, int] = {
    "core": 0,
    "people": 1,
    "courses": 2,
    "enrolment": 3,
    "attendance": 4,
    "internships": 5,
    # certificates issue internship certificates; the Jobcenter reports internship days
    "certificates": 6,
    "jobcenter": 6,
    "reports": 6,
    # volunteers' proof is a certificate; billing prints with the register and certificates
    "volunteers": 7,
    "billing": 7,
    "referrals": 7,
    # composed on top of everything: the learner's own pages and the retention of every model
    "learner_area": 8,
    "privacy": 8,
    "config": 9,
}


def project_apps() -> list[str]:
    names = {
        config.name.split(".")[0]
        for config in django_apps.get_app_configs()
        if Path(config.path).parent == ROOT
    }
    return sorted(names | {"core", "config"})


def imported_apps(app: str, known: set[str]) -> dict[str, str]:
    """Every other project app imported by ``app`` (at module level or inside functions)."""
    found: dict[str, str] = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in known and top != app:
                    found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_app_has_a_layer():
    missing = [app for app in project_apps() if app not in LAYERS]
    assert missing == [], f"give these apps a layer in LAYERS: {missing}"


@pytest.mark.parametrize("app", project_apps())
def test_imports_flow_one_way(app):
    known = set(project_apps())
    upward = {
        target: where
        for target, where in imported_apps(app, known).items()
        if LAYERS.get(target, 99) >= LAYERS.get(app, -1)
    }
    assert upward == {}, f"{app} imports apps of its own or a higher layer: {upward}"


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The walker itself finds an import inside a function (the kind that hides from a reader)."""
    package = tmp_path / "courses"
    package.mkdir()
    (package / "hidden.py").write_text("def f():\n    from enrolment import services\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert imported_apps("courses", {"courses", "enrolment"}) == {
        "enrolment": "courses/hidden.py:2"
    }
