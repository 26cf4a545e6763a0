"""Check-in benchmark: learners scanning the session QR, against the /healthz floor.

``python -m bench checkin [--learners 500] [--burst-seconds 60] [--concurrency 8] [--postgres]``

Seeds one running course with a session happening now and 2 × ``--learners`` enrolled learners,
each with a logged-in session cookie (as on their phone); the bench holds the app's
``SECRET_KEY`` and signs a fresh token for every request. Two phases:

1. *throughput*: the first half of the learners check in as fast as the app allows
   (closed loop, ``--concurrency`` in flight, like the floor), bounded by ``--burst-seconds``;
   its requests/s divided by the floor's is the ratio. Floor and check-ins alternate in
   ``ROUNDS`` rounds, so both are measured on the same (drifting) machine; the ratio is the
   median of the rounds' ratios.
2. *burst*: the other half arrive spread evenly over ``--burst-seconds`` (open loop: "500
   learners within 60 s"), a tenth of them scan twice; p99 and errors are taken from here.

Duplicates: records beyond one per learner, plus second scans answered as a new check-in.
Targets: ratio ≥ 0.25, p99 ≤ 50 ms, zero errors, zero duplicates.

Uses ``bench/common.py`` (gunicorn, 2 sync workers, throw-away database, floor, report); the
check-in needs a cookie per request, so the load loops here are small variants of its ``load``.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import tempfile
import threading
import time

from bench import common

PORT = 8300
TARGET_RATIO = 0.25
TARGET_P99_MS = 50.0
SEED_FILE = "LB_BENCH_CHECKIN_FILE"
#: Extra learners whose check-ins warm each worker up (templates, catalogues), as the floor's
#: warm-up requests do; they are not measured.
WARMUP = 20
#: The throughput phase alternates floor and check-ins in this many rounds (see
#: ``common.interleave``).
ROUNDS = 5


def seed() -> None:
    """One provider, one course, a session around now, N learners with session cookies."""
    import datetime as dt
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from courses.models import Course, CourseType, Session
    from courses.services import course_create
    from enrolment.models import Enrolment
    from people.models import Learner, Location, Organisation, User

    n = 2 * int(os.environ.get("LB_BENCH_LEARNERS", "500")) + WARMUP
    provider = Organisation.objects.create(name="Bench-Träger", kind=Organisation.Kind.PROVIDER)
    location = Location.objects.create(organisation=provider, name="Haus", town="Pinneberg")
    ctype = CourseType.objects.current().get(code="job_bsk")
    now = timezone.localtime()
    today = now.date()
    course = course_create(
        provider=provider,
        location=location,
        course_type=ctype,
        start_date=today + dt.timedelta(days=400),
        slots=[{"weekday": 0, "start_time": dt.time(9), "end_time": dt.time(12), "ue": 4}],
        status=Course.Status.RUNNING,
        capacity=25,
    )
    start = max(
        dt.datetime.combine(today, dt.time(0, 0)),
        now.replace(tzinfo=None) - dt.timedelta(minutes=10),
    )
    end = min(
        dt.datetime.combine(today, dt.time(23, 59)),
        now.replace(tzinfo=None) + dt.timedelta(hours=3),
    )
    session = Session.objects.create(
        course=course,
        module=course.first_module,
        date=today,
        start_time=start.time().replace(second=0, microsecond=0),
        end_time=end.time().replace(second=0, microsecond=0),
        ue=4,
    )
    users = User.objects.bulk_create(
        User(username=f"bench-learner-{i}", password="!", first_name="L", last_name=str(i))
        for i in range(n)
    )
    users = list(User.objects.filter(username__startswith="bench-learner-").order_by("pk"))
    learners = Learner.objects.bulk_create(
        Learner(
            provider=provider,
            user=u,
            first_name="L",
            last_name=u.last_name,
            date_of_birth=dt.date(1990, 1, 1),
        )
        for u in users
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            learner=learner,
            course=course,
            module=course.first_module,
            status=Enrolment.Status.ENROLLED,
            start_date=today - dt.timedelta(days=1),
        )
        for learner in learners
    )
    backend = "django.contrib.auth.backends.ModelBackend"  # axes' backend only guards logins
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    with open(os.environ[SEED_FILE], "w") as fh:
        json.dump({"session": session.pk, "cookies": cookies}, fh)


def _count_records(app: common.App, session_id: int) -> tuple[int, int]:
    code = (
        "import django; django.setup();"
        "from attendance.models import AttendanceRecord as R;"
        f"q=R.objects.filter(session_id={session_id});"
        "print(q.count(), q.values('enrolment_id').distinct().count())"
    )
    done = subprocess.run(
        [common.PYTHON, "-c", code], cwd=common.ROOT, env=app.env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    out = done.stdout.split()
    return int(out[-2]), int(out[-1])


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def burst(port, jobs, *, token_for, concurrency: int, limit_seconds: float):
    """Send every (cookie, second_scan) job once; returns the Result and the duplicates seen."""
    result = common.Result(name="check-in (session QR)", path="/checkin/<id>/?t=…")
    lock = threading.Lock()
    queue = iter(jobs)
    duplicates = [0]
    stop_at = time.monotonic() + limit_seconds

    def worker():
        latencies, errors, first, dup = [], 0, "", 0
        while time.monotonic() < stop_at:
            with lock:
                job = next(queue, None)
            if job is None:
                break
            cookie, again = job
            path = token_for()
            t0 = time.perf_counter()
            try:
                status, body = _get(port, path, cookie)
                created = b'data-code="checked_in"' in body
                ok = status == 200 and (created or b'data-code="already_checked_in"' in body)
                if again and created:
                    dup += 1
                if not ok and not first:
                    first = f"HTTP {status}: {body[-300:]!r}"
            except OSError as exc:
                ok, first = False, first or repr(exc)
            elapsed = time.perf_counter() - t0
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            result.first_error = result.first_error or first
            duplicates[0] += dup

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - t0
    return result, duplicates[0]


class CheckinApp(common.App):
    """The shared runner, plus ``collectstatic``: the check-in answers with a page, and with
    DEBUG off the manifest storage needs the collected files (as in production)."""

    def prepare(self) -> None:
        super().prepare()
        self._run(common.PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0")


def paced(port, jobs, *, token_for, seconds: float, max_in_flight: int = 64):
    """Open loop: job i starts at i * seconds / len(jobs), whatever the answers before it."""
    from concurrent.futures import ThreadPoolExecutor

    result = common.Result(name="check-in burst (paced)", path="/checkin/<id>/?t=…")
    lock = threading.Lock()
    duplicates = [0]
    gap = seconds / max(1, len(jobs))
    t_start = time.monotonic()

    def one(job):
        cookie, again = job
        t0 = time.perf_counter()
        first = ""
        try:
            status, body = _get(port, token_for(), cookie)
            created = b'data-code="checked_in"' in body
            ok = status == 200 and (created or b'data-code="already_checked_in"' in body)
            if not ok:
                first = f"HTTP {status}: {body[-300:]!r}"
        except OSError as exc:
            ok, created, first = False, False, repr(exc)
        elapsed = time.perf_counter() - t0
        with lock:
            if ok:
                result.latencies.append(elapsed)
            else:
                result.errors += 1
                result.first_error = result.first_error or first
            if again and created:
                duplicates[0] += 1

    with ThreadPoolExecutor(max_workers=max_in_flight) as pool:
        for i, job in enumerate(jobs):
            delay = t_start + i * gap - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, job)
    result.seconds = time.monotonic() - t_start
    return result, duplicates[0]


def main(argv: list[str]) -> int:
    p = common.parser("check-in burst", default_port=PORT, default_pg_db="lb_attend_bench")
    p.add_argument("--learners", type=int, default=500)
    p.add_argument("--burst-seconds", type=float, default=60.0)
    args = p.parse_args(argv)
    fd, seed_path = tempfile.mkstemp(prefix="lb-checkin-", suffix=".json")
    os.close(fd)
    os.environ[SEED_FILE] = seed_path
    os.environ["LB_BENCH_LEARNERS"] = str(args.learners)
    try:
        with CheckinApp(args, seed="bench.checkin:seed") as app:
            with open(seed_path) as fh:
                data = json.load(fh)
            session_id, cookies = data["session"], data["cookies"]

            from django.core import signing

            from attendance import tokens

            signer = signing.Signer(
                key=app.env["SECRET_KEY"], salt=tokens._SESSION_SALT, fallback_keys=[]
            )

            def token_for() -> str:
                slot = int(time.time() // tokens.ROTATE_SECONDS)
                return f"/checkin/{session_id}/?t=" + signer.sign(f"{session_id}.{slot}")

            status, body = _get(app.port, token_for(), "")  # logged out: off to the login page
            assert status == 302, (status, body[:200])
            warm, cookies = cookies[:WARMUP], cookies[WARMUP:]
            for c in warm:  # like the floor's warm-up: first requests per worker not measured
                _get(app.port, token_for(), c)
            half = len(cookies) // 2
            fast, spread = cookies[:half], cookies[half:]
            chunk = -(-len(fast) // ROUNDS)
            dup_fast = 0

            def fast_round(i: int) -> common.Result:
                nonlocal dup_fast
                result, dup = burst(
                    app.port,
                    [(c, False) for c in fast[i * chunk : (i + 1) * chunk]],
                    token_for=token_for,
                    concurrency=args.concurrency,
                    limit_seconds=args.burst_seconds / ROUNDS,
                )
                dup_fast += dup
                return result

            floor, checkin = common.interleave(
                ROUNDS,
                lambda i: app.load(
                    "/healthz", seconds=args.seconds / ROUNDS, warmup=20 if i == 0 else 0
                ),
                fast_round,
            )
            # a tenth scan a second time, 40 arrivals (about 2 s) after their first scan
            jobs = []
            for i, c in enumerate(spread):
                jobs.append((c, False))
                if i >= 40 and (i - 40) % 10 == 0:
                    jobs.append((spread[i - 40], True))
            paced_result, dup_paced = paced(
                app.port, jobs, token_for=token_for, seconds=args.burst_seconds
            )
            dup_answers = dup_fast + dup_paced
            records, distinct = _count_records(app, session_id)
    finally:
        os.unlink(seed_path)
    common.report([floor, checkin, paced_result], floor=floor, target={checkin.name: TARGET_RATIO})
    ratio = common.ratio(checkin, floor)
    duplicates = (records - distinct) + dup_answers
    p99 = paced_result.pct(99)
    errors = checkin.errors + paced_result.errors
    print(
        f"learners {len(cookies)} ({checkin.count} fast in {checkin.seconds:.1f} s, "
        f"{paced_result.count} paced over {paced_result.seconds:.1f} s), "
        f"records {records}, duplicates {duplicates}"
    )
    verdict = (
        ratio >= TARGET_RATIO
        and p99 <= TARGET_P99_MS
        and errors == 0
        and duplicates == 0
        and records == len(cookies) + WARMUP
    )
    print(
        f"targets: ratio {ratio:.2f} (≥ {TARGET_RATIO}), burst p99 {p99:.1f} ms "
        f"(≤ {TARGET_P99_MS:.0f}), errors {errors} (0), duplicates {duplicates} (0): "
        + ("ok" if verdict else "MISSED")
    )
    return common.exit_code([floor, checkin, paced_result]) or (0 if verdict else 1)
