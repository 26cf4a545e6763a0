"""The retention job on a backlog: anonymise 200,000 register rows (and their enrolments and
learners) in one run, then a second run that finds nothing. Target: ≥ 2,000 rows a second for the
first run, ≤ 5 s for the second.

``python -m bench retention [--rows 200000] [--postgres] [--keep]``

Seeds a throw-away database with the register of ``bench reports`` (400 courses of 20 learners
and 125 course days per 1,000,000 rows, courses started within the last year; every row with a
note and the user who recorded it), then runs
``retention_run`` for a day six years on, when every course's five years are over: every row is
anonymised in batches, each batch its own transaction. It prints the rows per kind of record, the
wall time and the rate; then the second run's time (nothing due: the idempotent case every
following day meets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.reports import PG_URL as REPORTS_PG_URL
from bench.reports import _drop_postgres, _recreate_postgres, seed

ROOT = Path(__file__).resolve().parent.parent
PG_URL = REPORTS_PG_URL.replace("lb_reports_bench", "lb_retention_bench")
TARGET_ROWS_PER_SECOND = 2_000
TARGET_SECOND_RUN = 5.0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench retention", description=__doc__)
    p.add_argument("--rows", type=int, default=200_000)
    p.add_argument("--postgres", action="store_true", help=f"use {PG_URL}")
    p.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = p.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="lbretention-bench-"))
    os.environ["LB_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.postgres:
        os.environ["DATABASE_URL"] = PG_URL
        _recreate_postgres(PG_URL)
        where = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = where = str(tmp / "bench.sqlite3")
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=os.environ.copy(),
            check=True,
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection
        from django.utils import timezone

        from privacy.services.retention import retention_run

        t0 = time.perf_counter()
        info = seed(args.rows)
        print(
            f"database {where}: seeded {info['rows']:,} register rows in "
            f"{time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        # Give every row something to clear, as a register in use has (notes, who recorded it).
        from attendance.models import AttendanceRecord
        from enrolment.models import Enrolment

        AttendanceRecord.objects.update(note="kam später", recorded_by=info["staff"])
        Enrolment.objects.update(created_by=info["staff"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        day = timezone.localdate() + dt.timedelta(days=6 * 366)
        t0 = time.perf_counter()
        report = retention_run(today=day, dry_run=False)
        first = time.perf_counter() - t0
        for line in report.lines:
            print(f"  {line.key:<20} {line.model:<30} {line.action:<11} {line.count:>9,}")
        rate = report.total / first if first else float("inf")
        t0 = time.perf_counter()
        again = retention_run(today=day, dry_run=False)
        second = time.perf_counter() - t0
        ok = rate >= TARGET_ROWS_PER_SECOND and second <= TARGET_SECOND_RUN and not again.lines
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"first run: {report.total:,} rows in {first:.1f} s = {rate:,.0f} rows/s"
            f" (target ≥ {TARGET_ROWS_PER_SECOND:,}); second run: {second:.2f} s, "
            f"{again.total} rows (target ≤ {TARGET_SECOND_RUN:.0f} s, 0 rows); "
            f"load average {load}; {'OK' if ok else 'MISSED'}",
            flush=True,
        )
        return 0 if ok else 1
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                _drop_postgres(PG_URL)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif not args.postgres:
            print(f"kept {where}")
