"""Two app processes on loopback against one PostgreSQL and one Redis give the same answers
(issue 16: no state in a web process). No container needed: two gunicorn processes on two free
ports share the test database (committed data: a transactional test) and a Redis database.

Proves: a login on one is valid on the other; a rate limit counts requests to both; concurrent
check-ins of one learner through both leave one record; a task queued by one is done by a
worker process (``manage.py run_worker --batch``).

Redis: ``LB_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/14``, flushed); skipped when it
does not answer, and on SQLite.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("LB_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "Zwei-Prozesse-1"
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn"]
WORKER = [sys.executable, "manage.py", "run_worker", "--no-pdf-warmup"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# -- a tiny HTTP client with a cookie jar -------------------------------------------------------
class Browser:
    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, *, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            conn.close()

    def login(self, port: int, username: str) -> int:
        status, page = self.request(port, "GET", "/login/")
        assert status == 200
        token = TOKEN.search(page.decode()).group(1)
        form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        status, _ = self.request(
            port,
            "POST",
            "/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status


# -- the processes --------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


@pytest.fixture
def app_env(on_postgres, redis_url, transactional_db):
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {k: v for k, v in os.environ.items() if k not in {"LB_TESTING", "TASKS_IMMEDIATE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",  # development secret key (the test's too: it signs the check-in token)
        DATABASE_URL=f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=redis_url,
        VERIFY_RATE="5/h",
        PDF_WARMUP="0",
        LOG_LEVEL="ERROR",
        GUNICORN_ACCESS_LOG="",
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.fixture
def two_apps(app_env, tmp_path):
    ports = [_free_port(), _free_port()]
    procs = []
    for n, port in enumerate(ports):
        log = open(tmp_path / f"app{n}.log", "wb")  # noqa: SIM115 - closed with the process
        procs.append(
            subprocess.Popen(
                [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", "1", "config.wsgi"],
                cwd=ROOT,
                env=app_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    try:
        deadline = time.monotonic() + 90
        for proc, port in zip(procs, ports, strict=True):
            while True:
                assert proc.poll() is None, (tmp_path / "app0.log").read_text()[-2000:]
                try:
                    if Browser().request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the app processes did not start"
                time.sleep(0.2)
        yield ports
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _with_password(user):
    from core.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def _session_now(course):
    from courses.models import Session

    now = timezone.localtime()
    today = now.date()
    start = max(
        dt.datetime.combine(today, dt.time(0, 0)),
        now.replace(tzinfo=None) - dt.timedelta(minutes=10),
    )
    end = min(
        dt.datetime.combine(today, dt.time(23, 59)),
        now.replace(tzinfo=None) + dt.timedelta(hours=3),
    )
    return Session.objects.create(
        course=course,
        module=course.first_module,
        date=today,
        start_time=start.time().replace(second=0, microsecond=0),
        end_time=end.time().replace(second=0, microsecond=0),
        ue=4,
    )


def test_two_app_processes_share_logins_limits_records_and_tasks(two_apps, app_env, world):
    from django_tasks_db.models import DBTaskResult

    from attendance import tokens
    from attendance.models import AttendanceRecord
    from enrolment.models import Enrolment
    from tests.factories import LearnerFactory, UserFactory, make_course

    a_port, b_port = two_apps
    a = world.a

    # 1. A login on one process is valid on the other (sessions in the database).
    learner = LearnerFactory(provider=a.provider, user=_with_password(UserFactory()))
    phone = Browser()
    assert phone.login(a_port, learner.user.username) == 302
    assert Browser().request(b_port, "GET", "/api/v1/me/enrolments/")[0] == 403
    status, _ = phone.request(b_port, "GET", "/api/v1/me/enrolments/")
    assert status == 200

    # 2. A rate limit counts the requests to both (counters in Redis): 5 per hour here.
    codes = [
        Browser().request((a_port, b_port)[n % 2], "GET", "/verify/UNKNOWN-CODE")[0]
        for n in range(6)
    ]
    assert 429 not in codes[:5], codes
    assert codes[5] == 429, codes

    # 3. Concurrent check-ins of one learner through both processes leave one record.
    today = timezone.localdate()
    course = make_course(
        provider=a.provider,
        location=a.location,
        start=today - dt.timedelta(days=7),
        status="running",
        type_code="job_bsk",
    )
    session = _session_now(course)
    enrolment = Enrolment.objects.create(
        learner=learner,
        course=course,
        module=course.first_module,
        status=Enrolment.Status.ENROLLED,
        start_date=today - dt.timedelta(days=7),
    )
    path = f"/checkin/{session.pk}/?" + urlencode({"t": tokens.session_token(session.pk)})
    n = 8
    barrier = threading.Barrier(n)
    answers: list = []

    def scan(i: int) -> None:
        barrier.wait(timeout=30)
        mine = Browser()
        mine.cookies = dict(phone.cookies)
        answers.append(mine.request((a_port, b_port)[i % 2], "GET", path)[0])

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert answers == [200] * n
    assert AttendanceRecord.objects.filter(enrolment=enrolment, session=session).count() == 1

    # 4. A task queued by one process is done by a worker process (the queue in PostgreSQL).
    _with_password(a.staff)
    office = Browser()
    assert office.login(b_port, a.staff.username) == 302
    other = LearnerFactory(provider=a.provider)
    status, body = office.request(
        b_port,
        "POST",
        f"/api/v1/courses/{a.course.pk}/enrol/",
        body=f'{{"learner": {other.pk}}}',
        headers={"Content-Type": "application/json", "X-CSRFToken": office.cookies["csrftoken"]},
    )
    assert status == 201, body[:500]
    queued = list(DBTaskResult.objects.filter(status="READY").values_list("pk", flat=True))
    assert queued, "the enrolment queued no task"
    subprocess.run(
        [*WORKER, "--batch", "--no-reload", "--no-startup-delay", "-v", "0"],
        cwd=ROOT,
        env=app_env,
        check=True,
        timeout=120,
    )
    done = dict(DBTaskResult.objects.filter(pk__in=queued).values_list("task_path", "status"))
    assert set(done.values()) == {"SUCCESSFUL"}, done
