"""BAMF claims of 400 modules with 25 learners each, from the register of ``bench reports``:
target ≤ 3 s, and a query count independent of the number of modules and learners.

``python -m bench billing [--courses 400] [--postgres] [--keep]``

Seeds a throw-away database with the register of ``bench reports`` (courses of 125 course days,
here with 25 learners each: 400 courses are 1,250,000 register rows), then computes the claim of
the first module (Kursabschnitt 1, 100 UE, finished) of every course with
``billing.selectors.compute_claims`` and prints wall time, query count and totals. The queries
are counted again for a tenth of the modules: the two counts must be equal. Exits non-zero when
the time or the query count misses.

Then the revenue report (``billing.selectors.revenue`` and the frames, charts and XLSX of
``billing.reports``) over every module of those courses — about seven a course, all without an
issued claim. Cold: no stored figures, so every module is computed from the register (the heavy
path; page target ≤ 20 s). Warm: the second load, reading the figures the first one stored
(page target ≤ 3 s). The XLSX download is timed apart. Each with the same query count for a tenth of the courses, and the same figures warm as
cold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench.reports as register
from bench.reports import _drop_postgres, _recreate_postgres

ROOT = Path(__file__).resolve().parent.parent
PG_URL = register.PG_URL.replace("lb_reports_bench", "lb_billing_bench")
TARGET_SECONDS = 3.0
#: The revenue report page over all modules of the 400 courses (2,800 modules, 1,250,000
#: rows): figures, frames and charts (the XLSX is a download of its own, timed apart). Warm — the figures of every module stored and fresh, the everyday
#: load of a staff page — reads them instead of the register.
REVENUE_WARM_TARGET_SECONDS = 3.0
#: Cold — nothing stored: the first load after the deploy, or after a new rule version, which
#: makes every module's figures stale at once — computes every module from the register in one
#: batch. Rare (and the daily job ``billing.revenue_figures`` computes stale figures before the
#: office opens), but it must still finish inside a web request's timeout (30 s) with room.
REVENUE_COLD_TARGET_SECONDS = 20.0
LEARNERS = 25


def _claims(pairs):
    """The claims, their wall time, and (in a second run: counting queries slows SQLite, whose
    debug cursor quotes every parameter) the number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from billing.selectors import compute_claims

    t0 = time.perf_counter()
    claims = compute_claims(pairs)
    elapsed = time.perf_counter() - t0
    with CaptureQueriesContext(connection) as queries:
        compute_claims(pairs)
    return claims, elapsed, len(queries.captured_queries)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench billing", description=__doc__)
    p.add_argument("--courses", type=int, default=400)
    p.add_argument("--postgres", action="store_true", help=f"use {PG_URL}")
    p.add_argument("--keep", action="store_true", help="keep the SQLite file")
    p.add_argument("--reuse", metavar="PATH", help="time again on a SQLite file kept with --keep")
    args = p.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="lbbilling-bench-"))
    os.environ["LB_TESTING"] = "1"
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
        os.environ["SQLITE_PATH"] = where = str(tmp / "bench.sqlite3")
    try:
        if args.reuse:
            return _measure(provider_id=None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=os.environ.copy(),
            check=True,
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        register.LEARNERS_PER_COURSE = LEARNERS
        t0 = time.perf_counter()
        info = register.seed(args.courses * LEARNERS * register.DAYS_PER_COURSE)
        print(
            f"database {where}: seeded {info['rows']:,} register rows ({info['courses']} courses"
            f" of {LEARNERS} learners) in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        return _measure(provider_id=info["provider_id"])
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                _drop_postgres(PG_URL)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif not args.postgres and not args.reuse:
            print(f"kept {where} (time again with --reuse {where})")


def _measure(*, provider_id: int | None) -> int:
    if provider_id is None:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
    from courses.models import Course

    courses = Course.objects.select_related("first_module").order_by("pk")
    if provider_id is not None:
        courses = courses.filter(provider_id=provider_id)
    pairs = [(course, course.first_module) for course in courses]
    _claims(pairs[:5])  # warm-up: imports, connection, caches
    claims, elapsed, queries = _claims(pairs)
    _few, _t, few_queries = _claims(pairs[: max(1, len(pairs) // 10)])
    learners = sum(len(c.learners) for c in claims)
    total = sum(c.reimbursement for c in claims)
    billable = sum(c.billable_ue for c in claims)
    finished = sum(1 for c in claims if c.finished)
    ok = elapsed <= TARGET_SECONDS and queries == few_queries and finished == len(claims)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{len(claims)} claims ({finished} modules finished), {learners:,} learner lines,"
        f" {billable:,} billable UE, {total:,} €: {elapsed:.2f} s (target ≤"
        f" {TARGET_SECONDS:.0f} s); {queries} queries (for a tenth of the modules:"
        f" {few_queries}); load average {load}; {'OK' if ok else 'MISSED'}",
        flush=True,
    )
    revenue_ok = _measure_revenue(provider_id)
    return 0 if ok and revenue_ok else 1


def _revenue(courses, period, *, cold: bool):
    """The report's figures, the page built from them (both: a page load), and apart the XLSX
    download: seconds. ``cold`` first drops every stored module figure, so every module is
    computed from the register."""
    from billing import reports
    from billing.models import ModuleFigures
    from billing.selectors.revenue import revenue_modules

    if cold:
        ModuleFigures.objects.all().delete()
    t0 = time.perf_counter()
    revenue = revenue_modules(courses=courses, period=period)
    figures = time.perf_counter() - t0
    reports.page(revenue)
    page = time.perf_counter() - t0
    t1 = time.perf_counter()
    reports.to_xlsx(revenue)
    return revenue, figures, page, time.perf_counter() - t1


def _revenue_queries(courses, period, *, cold: bool) -> int:
    """The report's queries, in a run of their own (counting slows SQLite)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from billing.models import ModuleFigures
    from billing.selectors.revenue import revenue_modules

    if cold:
        ModuleFigures.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        revenue_modules(courses=courses, period=period)
    return len(queries.captured_queries)


def _measure_revenue(provider_id: int | None) -> bool:
    import datetime as dt

    from billing.selectors.revenue import Period
    from courses.models import Course

    courses = Course.objects.order_by("pk")
    if provider_id is not None:
        courses = courses.filter(provider_id=provider_id)
    period = Period(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    ids = list(courses.values_list("pk", flat=True))
    tenth = Course.objects.filter(pk__in=ids[: max(1, len(ids) // 10)])
    _revenue(tenth, period, cold=True)  # warm-up: pandas, matplotlib, openpyxl
    revenue, cold_figures, cold_page, cold_xlsx = _revenue(courses, period, cold=True)
    again, warm_figures, warm_page, warm_xlsx = _revenue(courses, period, cold=False)
    queries = {
        (scope, cold): _revenue_queries(qs, period, cold=cold)
        for scope, qs in (("all", courses), ("tenth", tenth))
        for cold in (True, False)
    }
    expected = sum(m.expected for m in revenue.modules)
    lost = sum(m.lost_ue for m in revenue.modules)
    same = [(m.expected, m.expected_contributions, m.billable_ue) for m in revenue.modules] == [
        (m.expected, m.expected_contributions, m.billable_ue) for m in again.modules
    ]
    ok = (
        cold_page <= REVENUE_COLD_TARGET_SECONDS
        and warm_page <= REVENUE_WARM_TARGET_SECONDS
        and queries[("all", True)] == queries[("tenth", True)]
        and queries[("all", False)] == queries[("tenth", False)]
        and same
        and not revenue.problem
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"revenue report: {len(revenue.modules):,} modules of {len(ids)} courses, expected"
        f" {expected:,} €, {lost:,} UE lost to unexcused absence;"
        f" cold (every module computed): figures {cold_figures:.2f} s, page"
        f" {cold_page:.2f} s (target ≤ {REVENUE_COLD_TARGET_SECONDS:.0f} s), XLSX after it"
        f" {cold_xlsx:.2f} s,"
        f" {queries[('all', True)]} queries (a tenth of the courses:"
        f" {queries[('tenth', True)]});"
        f" warm (stored figures): figures {warm_figures:.2f} s, page"
        f" {warm_page:.2f} s (target ≤ {REVENUE_WARM_TARGET_SECONDS:.0f} s), XLSX after it"
        f" {warm_xlsx:.2f} s,"
        f" {queries[('all', False)]} queries (a tenth: {queries[('tenth', False)]});"
        f" same figures warm as cold: {'yes' if same else 'NO'}; load average {load};"
        f" {'OK' if ok else 'MISSED'}",
        flush=True,
    )
    return ok
