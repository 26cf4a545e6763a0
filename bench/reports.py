"""Attendance report on 1,000,000 register rows: time and peak memory (target ≤ 3 s, ≤ 1 GB).

``python -m bench reports [--rows 1000000] [--postgres] [--keep]``

Seeds a throw-away database (a fresh SQLite file, or the PostgreSQL database ``lb_reports_bench``
with ``--postgres``): one provider, 400 courses of 20 learners with 125 course days each
(sessions and enrolments through ``bulk_create``, the register rows by ``executemany`` /
``COPY`` in chunks), then builds the attendance report of the provider over the last twelve
months three ways (per course, per module, per learner group) and prints wall time and peak
memory. Peak memory is measured in a second run under ``tracemalloc`` (Python and numpy
allocations; tracemalloc slows the run, so the time is taken without it) and as the process's
maximum resident set size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/lb_reports_bench"
TARGET_SECONDS = 3.0
TARGET_BYTES = 1024**3
LEARNERS_PER_COURSE = 20
DAYS_PER_COURSE = 125  # 25 weeks Mon–Fri, 5 UE a day: modules 1–6 and a bit


def _recreate_postgres(url: str) -> None:
    import psycopg

    admin, name = url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres(url: str) -> None:
    import psycopg

    admin, name = url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _weekdays(start: dt.date, n: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def seed(rows: int) -> dict:
    """Bulk-seed ``rows`` register rows; returns what the report needs (the provider id)."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from attendance.models import AttendanceRecord
    from courses.models import Course, CourseType, Session
    from enrolment.models import Enrolment
    from people.models import Learner, Location, Organisation, Role, User

    per_course = LEARNERS_PER_COURSE * DAYS_PER_COURSE
    n_courses = max(1, rows // per_course)
    today = timezone.localdate()
    first_start = today - dt.timedelta(days=330)
    rng = np.random.default_rng(7)

    with transaction.atomic():
        provider = Organisation.objects.create(name="Bench-Träger", kind="provider")
        staff = User.objects.create(username="bench-staff")
        staff.memberships.create(organisation=provider, role=Role.STAFF)
        locations = [
            Location.objects.create(organisation=provider, name=f"Standort {i}", town=f"Ort {i}")
            for i in range(13)
        ]
        ctype = CourseType.objects.current().get(code="general")
        modules = list(ctype.modules.order_by("order"))
        courses = Course.objects.bulk_create(
            Course(
                provider=provider,
                location=locations[i % len(locations)],
                course_type=ctype,
                first_module=modules[0],
                capacity=25,
                status="running",
                title=f"Kurs {i:04d}",
                start_date=first_start + dt.timedelta(weeks=i % 20),
            )
            for i in range(n_courses)
        )
        sessions = []
        for course in courses:
            for k, day in enumerate(_weekdays(course.start_date, DAYS_PER_COURSE)):
                sessions.append(
                    Session(
                        course=course,
                        module=modules[min(k // 20, len(modules) - 1)],
                        date=day,
                        start_time=dt.time(8, 30),
                        end_time=dt.time(12, 45),
                        ue=5,
                    )
                )
        Session.objects.bulk_create(sessions, batch_size=5000)
        learners = Learner.objects.bulk_create(
            (
                Learner(
                    provider=provider,
                    first_name="L",
                    last_name=str(i),
                    date_of_birth=dt.date(1990, 1, 1),
                    preferred_language=["ar", "uk", "fa", "tr"][i % 4],
                    registered_on=first_start - dt.timedelta(days=30),
                )
                for i in range(n_courses * LEARNERS_PER_COURSE)
            ),
            batch_size=5000,
        )
        enrolments = Enrolment.objects.bulk_create(
            (
                Enrolment(
                    learner=learners[c * LEARNERS_PER_COURSE + j],
                    course=course,
                    module=modules[0],
                    status="enrolled",
                )
                for c, course in enumerate(courses)
                for j in range(LEARNERS_PER_COURSE)
            ),
            batch_size=5000,
        )
    session_ids = np.array(
        Session.objects.filter(course__provider=provider)
        .order_by("course_id", "date")
        .values_list("pk", flat=True)
    ).reshape(n_courses, DAYS_PER_COURSE)
    enrolment_ids = np.array([e.pk for e in enrolments]).reshape(n_courses, LEARNERS_PER_COURSE)

    # Every concrete column of the register, in table order: defaults for the ones we do not vary.
    template = AttendanceRecord(method="teacher", recorded_at=timezone.now())
    fields = [f for f in AttendanceRecord._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    base = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    at = {
        name: columns.index(name) for name in ("session_id", "enrolment_id", "code", "ue_attended")
    }
    codes = np.array(["X", "E", "U", "P"])
    inserted = 0
    chunk_courses = 40
    vendor = connection.vendor
    for c0 in range(0, n_courses, chunk_courses):
        s = session_ids[c0 : c0 + chunk_courses]
        e = enrolment_ids[c0 : c0 + chunk_courses]
        sess = np.repeat(s, LEARNERS_PER_COURSE, axis=0).ravel()
        enr = np.repeat(e, DAYS_PER_COURSE, axis=1).ravel()
        code = codes[rng.choice(4, size=sess.size, p=[0.85, 0.07, 0.05, 0.03])]
        ue = np.where((code == "X") | (code == "P"), 5, 0)
        batch = []
        for sid, eid, cd, u in zip(
            sess.tolist(), enr.tolist(), code.tolist(), ue.tolist(), strict=True
        ):
            row = list(base)
            row[at["session_id"]] = sid
            row[at["enrolment_id"]] = eid
            row[at["code"]] = cd
            row[at["ue_attended"]] = u
            batch.append(row)
        with transaction.atomic(), connection.cursor() as cur:
            table = AttendanceRecord._meta.db_table
            if vendor == "postgresql":
                cols = ", ".join(f'"{c}"' for c in columns)
                with cur.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cols = ", ".join(f'"{c}"' for c in columns)
                cur.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', batch)
        inserted += len(batch)
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return {"provider_id": provider.pk, "staff": staff, "rows": inserted, "courses": n_courses}


def run_report(staff, group_by: str):
    from django.utils import timezone

    from reports.access import report_scope
    from reports.frames import Filters, attendance

    scope = report_scope(user=staff)
    filters = Filters.default(timezone.localdate(), group_by=group_by)
    return attendance(scope, filters)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench reports", description=__doc__)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--postgres", action="store_true", help=f"use {PG_URL}")
    p.add_argument("--keep", action="store_true", help="keep the SQLite file")
    p.add_argument("--reuse", metavar="PATH", help="time again on a SQLite file kept with --keep")
    args = p.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="lbreports-bench-"))
    os.environ["LB_TESTING"] = "1"  # development secrets; nothing else differs for this bench
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.reuse:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = where = args.reuse
    elif args.postgres:
        os.environ["DATABASE_URL"] = PG_URL
        _recreate_postgres(PG_URL)
        where = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        where = os.environ["SQLITE_PATH"]
    try:
        if args.reuse:
            return _measure(args, where)
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=os.environ.copy(),
            check=True,
        )
        t_migrate = time.perf_counter() - t0
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        t0 = time.perf_counter()
        info = seed(args.rows)
        t_seed = time.perf_counter() - t0
        print(
            f"database {where}: migrate {t_migrate:.1f} s, seeded {info['rows']:,} register rows"
            f" ({info['courses']} courses) in {t_seed:.1f} s",
            flush=True,
        )

        return _measure(args, where, info["staff"])
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                _drop_postgres(PG_URL)
        if not args.keep and not args.reuse:
            shutil.rmtree(tmp, ignore_errors=True)
        elif not args.postgres and not args.reuse:
            print(f"kept {where} (time again with --reuse {where})")


def _measure(args, where: str, staff=None) -> int:
    if staff is None:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from people.models import User

        staff = User.objects.get(username="bench-staff")
    run_report(staff, "course")  # warm-up: imports, connection, caches
    ok = True
    for group_by in ("course", "module", "obligation"):
        t0 = time.perf_counter()
        result = run_report(staff, group_by)
        elapsed = time.perf_counter() - t0
        tracemalloc.start()
        run_report(staff, group_by)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ok &= elapsed <= TARGET_SECONDS and peak <= TARGET_BYTES
        print(
            f"attendance report by {group_by:<10} {len(result.df):>4} rows,"
            f" rate {result.totals['rate_pct']} %: {elapsed:6.2f} s,"
            f" peak traced {peak / 2**20:7.1f} MiB"
            f" (target ≤ {TARGET_SECONDS:.0f} s, ≤ {TARGET_BYTES // 2**20} MiB)",
            flush=True,
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"process max RSS (seeding included) {rss:.0f} MiB; load average {load} on")
    print(f"{os.cpu_count()} CPUs (times grow with a busy machine); {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1
