"""The PDF library is warmed up before serving: in the gunicorn master and in run_worker."""

import sys

import pytest
from django.core.management import call_command


def test_warm_up_loads_weasyprint_and_renders():
    from core.pdf import warm_up

    assert warm_up() > 0
    assert "weasyprint" in sys.modules


@pytest.mark.parametrize(
    ("args", "env", "warmed"),
    [((), "1", True), (("--no-pdf-warmup",), "1", False), ((), "0", False)],
)
def test_run_worker_warms_up_then_runs_db_worker(monkeypatch, settings, args, env, warmed):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from django_tasks_db.management.commands.db_worker import Command as DbWorker

    calls = []
    monkeypatch.setenv("PDF_WARMUP", env)
    monkeypatch.setattr("core.pdf.warm_up", lambda: calls.append("warm") or 0.1)
    monkeypatch.setattr(
        DbWorker, "handle", lambda self, *a, **kw: calls.append(("run", kw["batch"]))
    )
    call_command("run_worker", "--batch", *args, verbosity=0)
    assert calls == (["warm"] if warmed else []) + [("run", True)]


def test_gunicorn_config_warms_in_the_master(monkeypatch):
    import logging

    from config import gunicorn

    calls = []
    monkeypatch.setattr("core.pdf.warm_up", lambda: calls.append("warm") or 0.1)

    class Server:
        log = logging.getLogger("test")

    monkeypatch.setenv("PDF_WARMUP", "0")
    gunicorn.when_ready(Server())
    assert calls == []
    monkeypatch.setenv("PDF_WARMUP", "1")
    gunicorn.when_ready(Server())
    assert calls == ["warm"]
