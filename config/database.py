"""The database configuration from the environment: one place, whichever way SQLite is named.

SQLite (the default file, ``SQLITE_PATH`` or ``DATABASE_URL=sqlite:///…``) always gets the WAL
journal, IMMEDIATE transactions and a busy timeout, so concurrent writers wait instead of failing
with "database is locked". Any other ``DATABASE_URL`` (PostgreSQL) is taken as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url

SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}


def database_from_env(environ: Mapping[str, str], *, base_dir: Path) -> dict[str, Any]:
    """The ``DATABASES["default"]`` entry for this environment."""
    url = environ.get("DATABASE_URL", "")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60)
    else:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": environ.get("SQLITE_PATH", str(base_dir / "db.sqlite3")),
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Keep connections: opening one (with the PRAGMAs) costs milliseconds a request.
        config["CONN_MAX_AGE"] = int(environ.get("CONN_MAX_AGE", "60"))
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config
