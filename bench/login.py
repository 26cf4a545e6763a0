"""Login burst: a class of 25 learners logs in at once (9:00) against two gunicorn workers on
PostgreSQL; target p99 ≤ 1 s.

``python -m bench login [--learners 25] [--rounds 3] [--workers 2] [--sqlite]``

Seeds ``--learners`` users with passwords hashed by the configured first hasher (Argon2id,
``core.hashers``). Each round, every learner first opens the login page (untimed: it is on
their phone before the class starts), then all of them submit the form at the same moment
(a barrier); the time from sending the POST to the redirect (302, session cookie set) is one
login. Rounds start with fresh clients; django-axes counts nothing (every login succeeds).
Figures: p50, p99 and max per round and over all rounds; the verdict is the p99 over all
rounds against the target, with no failed login. PostgreSQL by default (``--sqlite`` for the
embedded database).
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench import common

PORT = 8600
TARGET_P99_S = 1.0
PASSWORD = "Kurs-Anmeldung-9:00"
WARMUP_USERS = 4
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def seed() -> None:
    import os

    from django.contrib.auth.hashers import make_password

    from people.models import User

    n = int(os.environ.get("LB_BENCH_LEARNERS", "25")) + WARMUP_USERS
    # one hash for all (the cost of verifying is what is measured, not of seeding)
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        User(username=f"bench-login-{i}", password=password, first_name="L", last_name=str(i))
        for i in range(n)
    )
    print(f"seeded {n} users; hash {password.split('$')[0:4]}")


@dataclass
class Client:
    username: str
    cookies: dict[str, str]
    token: str = ""


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
    return found


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def open_page(port: int, username: str) -> Client:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/login/", headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET /login/ answered {response.status}")
        match = TOKEN.search(body)
        if not match:
            raise RuntimeError("no CSRF token on the login page")
        return Client(username, _cookies(response), match.group(1).decode())
    finally:
        conn.close()


def submit(port: int, client: Client) -> tuple[float, str]:
    """POST the login form; (seconds, "" or what went wrong)."""
    from urllib.parse import urlencode

    body = urlencode(
        {
            "csrfmiddlewaretoken": client.token,
            "username": client.username,
            "password": PASSWORD,
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t0 = time.perf_counter()
    try:
        conn.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Host": "127.0.0.1",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": _cookie_header(client.cookies),
            },
        )
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - t0
        if response.status != 302 or "sessionid" not in _cookies(response):
            return elapsed, f"HTTP {response.status}"
        return elapsed, ""
    except OSError as exc:
        return time.perf_counter() - t0, repr(exc)
    finally:
        conn.close()


def burst(port: int, clients: list[Client]) -> tuple[list[float], list[str]]:
    barrier = threading.Barrier(len(clients))
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(client: Client) -> None:
        barrier.wait()
        seconds, problem = submit(port, client)
        with lock:
            (errors.append(problem) if problem else latencies.append(seconds))

    threads = [threading.Thread(target=one, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (their threads included)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main(argv: list[str]) -> int:
    import os

    p = common.parser(
        "25 learners log in at once", default_port=PORT, default_pg_db="lb_login_bench"
    )
    p.set_defaults(postgres=True)
    p.add_argument("--sqlite", dest="postgres", action="store_false", help="embedded database")
    p.add_argument("--learners", type=int, default=25)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args(argv)
    os.environ["LB_BENCH_LEARNERS"] = str(args.learners)
    every: list[float] = []
    failures: list[str] = []
    with common.App(args, seed="bench.login:seed", pages=True) as app:
        print(f"{args.workers} gunicorn workers; {os.cpu_count()} cores; load {os.getloadavg()}")
        # warm each worker up (templates, the hasher's library) with logins not measured
        for i in range(WARMUP_USERS):
            submit(app.port, open_page(app.port, f"bench-login-{args.learners + i}"))
        assert app.proc is not None
        from bench.memory import children

        workers = children(app.proc.pid)
        cpu = 0.0
        print(f"{'round':<6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'ok':>4} {'failed':>6}")
        for r in range(args.rounds):
            clients = [open_page(app.port, f"bench-login-{i}") for i in range(args.learners)]
            time.sleep(0.5)
            before = cpu_seconds(workers)
            latencies, errors = burst(app.port, clients)
            cpu += cpu_seconds(workers) - before
            every += latencies
            failures += errors
            print(
                f"{r + 1:<6} {pct(latencies, 50) * 1000:>8.0f} {pct(latencies, 99) * 1000:>8.0f} "
                f"{max(latencies, default=0) * 1000:>8.0f} {len(latencies):>4} {len(errors):>6}"
            )
    p99 = pct(every, 99)
    print(
        f"{'all':<6} {pct(every, 50) * 1000:>8.0f} {p99 * 1000:>8.0f} "
        f"{max(every, default=0) * 1000:>8.0f} {len(every):>4} {len(failures):>6}"
    )
    if failures:
        print(f"first failure: {failures[0]}")
    per_login = cpu / max(1, len(every) + len(failures))
    queue = -(-args.learners // args.workers)  # logins one worker serves in a burst
    print(
        f"server CPU per login {per_login * 1000:.0f} ms (workers' user+system time); with "
        f"{args.workers} free cores the last of {args.learners} would finish after about "
        f"{queue * per_login * 1000:.0f} ms; load average now {os.getloadavg()[0]:.1f}"
    )
    ok = p99 <= TARGET_P99_S and not failures
    print(
        f"verdict: p99 {p99 * 1000:.0f} ms for {args.learners} simultaneous logins on "
        f"{args.workers} workers (target ≤ {TARGET_P99_S * 1000:.0f} ms) "
        + ("ok" if ok else "MISS")
    )
    return 0 if ok else 1
