"""Certificates: one participation certificate (target ≤ 0.5 s) and a 25-learner course batch as
one PDF (target ≤ 5 s).

``python -m bench certificates [--repeat 3]``

Seeds a throw-away SQLite database (migrations, then one provider, a running course with 25
enrolled learners and their register), then times the services directly, as the background task
would run them: ``certificate_issue`` for one learner and ``certificate_batch_run`` for the whole
course. WeasyPrint is warmed up once first (its import and font loading take a few seconds and
happen once per worker process); the figures are the best and the median of ``--repeat`` runs,
in wall time and in the process's CPU time (on a shared, busy machine the CPU time is the fairer
figure; the load average is printed alongside).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_ONE = 0.5
TARGET_BATCH = 5.0
LEARNERS = 25


def _setup_django(db_path: str) -> None:
    os.environ["LB_TESTING"] = "1"
    os.environ["SQLITE_PATH"] = db_path
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed():
    import datetime as dt
    from decimal import Decimal

    from attendance.models import AttendanceRecord
    from certificates.services import exam_result_record
    from courses.models import CourseType
    from courses.services import course_create
    from enrolment.models import Enrolment
    from people.models import Learner, Location, Membership, Organisation, Role, User

    provider = Organisation.objects.create(name="Bench-Träger", kind="provider")
    location = Location.objects.create(organisation=provider, name="Haus", town="Pinneberg")
    staff = User.objects.create_user("bench-staff")
    Membership.objects.create(user=staff, organisation=provider, role=Role.STAFF)
    course = course_create(
        provider=provider,
        location=location,
        course_type=CourseType.objects.current().get(code="general"),
        start_date=dt.date(2026, 1, 5),
        slots=[
            {"weekday": d, "start_time": dt.time(8, 30), "end_time": dt.time(12, 45), "ue": 5}
            for d in range(5)
        ],
        status="running",
    )
    sessions = list(course.sessions.held().order_by("date"))
    records = []
    for i in range(LEARNERS):
        learner = Learner.objects.create(
            provider=provider,
            first_name=f"Vorname{i}",
            last_name=f"Nachname{i}",
            date_of_birth=dt.date(1990, 1, 1) + dt.timedelta(days=i * 97),
        )
        enrolment = Enrolment.objects.create(
            learner=learner,
            course=course,
            module=course.first_module,
            status="enrolled",
            start_date=course.start_date,
        )
        for j, session in enumerate(sessions):
            code = "E" if j % 23 == 5 else "U" if j % 37 == 7 else "X"
            records.append(
                AttendanceRecord(
                    session=session,
                    enrolment=enrolment,
                    code=code,
                    ue_attended=Decimal(session.ue if code == "X" else 0),
                    method="teacher",
                )
            )
        exam_result_record(
            learner=learner,
            exam="dtz",
            taken_on=dt.date(2026, 7, 10),
            result="B1",
            level="B1",
            by=staff,
            course=course,
        )
    AttendanceRecord.objects.bulk_create(records, batch_size=2000)
    return staff, course


CPU: dict[int, list[float]] = {}


def _time(fn, repeat: int) -> list[float]:
    """Wall times of ``repeat`` runs; the process CPU times go to ``CPU`` (same list order)."""
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU[id(times)] = cpu
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench certificates")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(str(Path(tmp) / "bench.sqlite3"))
        from certificates.models import CertificateBatch
        from certificates.services import certificate_batch_run, certificate_issue

        staff, course = _seed()
        learner = course.enrolments.first().learner
        started = time.perf_counter()
        certificate_issue(kind="participation", learner=learner, course=course, by=staff)
        print(f"warm-up (WeasyPrint import, fonts): {time.perf_counter() - started:.2f} s")

        one = _time(
            lambda: certificate_issue(
                kind="participation", learner=learner, course=course, by=staff
            ),
            args.repeat,
        )
        one_bilingual = _time(
            lambda: certificate_issue(
                kind="participation", learner=learner, course=course, by=staff, language="ar"
            ),
            args.repeat,
        )

        def batch() -> None:
            run = CertificateBatch.objects.create(
                provider_id=course.provider_id, course=course, created_by=staff, total=LEARNERS
            )
            run = certificate_batch_run(batch=run)
            assert run.status == "done" and run.done == LEARNERS, run.error

        batches = _time(batch, args.repeat)
        pages = None
        try:
            import io

            from pypdf import PdfReader

            pdf = CertificateBatch.objects.filter(status="done").last().pdf
            pages = len(PdfReader(io.BytesIO(bytes(pdf))).pages)
        except ImportError:
            pass

    def line(label: str, values: list[float], target: float) -> bool:
        best, median = min(values), statistics.median(values)
        cpu = statistics.median(CPU[id(values)])
        ok = median <= target
        print(
            f"{label}: wall best {best:.2f} s, median {median:.2f} s; CPU median {cpu:.2f} s "
            f"(target ≤ {target:g} s) {'OK' if ok else 'OVER'}"
        )
        return ok

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min): {load:.2f} on {os.cpu_count()} CPUs")
    ok = line("one certificate (German)", one, TARGET_ONE)
    line("one certificate (German + Arabic)", one_bilingual, TARGET_ONE)
    ok &= line(f"course batch of {LEARNERS} as one PDF", batches, TARGET_BATCH)
    if pages is not None:
        print(f"batch PDF pages: {pages}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
