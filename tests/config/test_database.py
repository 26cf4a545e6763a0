"""SQLite gets the same tuning whichever way it is chosen (default path or DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

from config.database import database_from_env


def _pragmas(config):
    handler = ConnectionHandler({"default": config})
    connection = handler["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            busy = cursor.fetchone()[0]
        return journal, busy, connection.transaction_mode
    finally:
        connection.close()


@pytest.mark.parametrize("way", ["SQLITE_PATH", "DATABASE_URL"])
def test_sqlite_is_tuned_both_ways(tmp_path: Path, way, django_db_blocker):
    path = tmp_path / "lb.sqlite3"
    environ = (
        {"SQLITE_PATH": str(path)}
        if way == "SQLITE_PATH"
        else {"DATABASE_URL": f"sqlite:///{path}"}
    )
    config = database_from_env(environ, base_dir=tmp_path)
    assert config["NAME"] == str(path)
    with django_db_blocker.unblock():
        pragmas = _pragmas(config)
    assert pragmas == ("wal", 20000, "IMMEDIATE")


def test_postgres_url_is_taken_as_given(tmp_path):
    config = database_from_env({"DATABASE_URL": "postgres://u@db:5432/lb"}, base_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert "init_command" not in config.get("OPTIONS", {})
