"""Shared benchmark runner: a throw-away database, the app under gunicorn, a bounded load.

A benchmark module does roughly::

    from bench import common

    def main(argv):
        args = common.parser("my bench", default_port=8100).parse_args(argv)
        with common.App(args, seed="bench.mybench:seed") as app:
            floor = app.load("/healthz")
            mine = app.load("/api/v1/things/")
        common.report([floor, mine], floor=floor)
        return common.exit_code([floor, mine])

The app runs with production settings (``DEBUG`` off, whitenoise, no debug toolbar) on
127.0.0.1 with 2 sync gunicorn workers. The database is a fresh SQLite file in a temporary
folder (WAL, as configured in settings), or PostgreSQL with ``--postgres`` / ``DATABASE_URL``.
``migrate`` runs first, then the ``seed`` callable (``"module:function"``) inside Django.
The load is bounded: a fixed number of seconds (or requests) per endpoint, at most
``--concurrency`` requests in flight; each request opens a new connection (sync workers close
them anyway). Figures: requests/s, p50, p99 (ms), errors, and the ratio to the floor
(``/healthz``, a plain Django JSON view).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/{name}"


def parser(
    description: str, *, default_port: int, default_pg_db: str = "lb_bench"
) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=description)
    p.add_argument("--seconds", type=float, default=5.0, help="load per endpoint (default 5 s)")
    p.add_argument("--requests", type=int, default=0, help="or a fixed number of requests")
    p.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument("--port", type=int, default=default_port)
    p.add_argument(
        "--postgres",
        action="store_true",
        help=f"use PostgreSQL ({DEFAULT_PG.format(name=default_pg_db)}, recreated)",
    )
    p.add_argument("--pg-db", default=default_pg_db, help=argparse.SUPPRESS)
    p.add_argument("--keep", action="store_true", help="keep the SQLite folder for inspection")
    return p


def static_root() -> Path:
    """Collected static files for benchmarks that serve pages, kept in ``bench/results/``
    (ignored by git) under a key of the static sources and the locked dependencies."""
    import hashlib

    digest = hashlib.sha256((ROOT / "uv.lock").read_bytes())
    for folder in [*sorted(ROOT.glob("*/static")), ROOT / "static"]:
        if ".venv" in folder.parts:
            continue
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                digest.update(
                    f"{f.relative_to(ROOT)}:{f.stat().st_size}:{f.stat().st_mtime_ns}".encode()
                )
    return ROOT / "bench" / "results" / f"static-{digest.hexdigest()[:12]}"


@dataclass
class Result:
    name: str
    path: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    #: Requests/s of each round, when measured in rounds (``interleave``).
    round_rps: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def absorb(self, other: Result) -> Result:
        """Add another measurement of the same endpoint (a later round) to this one."""
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.seconds += other.seconds
        self.first_error = self.first_error or other.first_error
        return self

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(q) - 1] * 1000


class App:
    """Context manager: prepare the database, start gunicorn, stop it (and clean up) on exit."""

    def __init__(
        self, args: argparse.Namespace, *, seed: str | None = None, pages: bool = False
    ) -> None:
        self.args = args
        self.seed = seed
        #: HTML pages are served: collect the static files (the manifest the production
        #: storage needs) into the temporary folder first.
        self.pages = pages
        self.port = args.port
        self.tmp = Path(tempfile.mkdtemp(prefix="lb-bench-"))
        self.proc: subprocess.Popen | None = None
        self.env = self._env()

    # -- setup ---------------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("LB_TESTING", "DJANGO_SETTINGS_MODULE"):
            env.pop(name, None)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(60),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            LOG_LEVEL="ERROR",
            GUNICORN_ACCESS_LOG="",
            TASKS_IMMEDIATE="1",
            PYTHONPATH=str(ROOT),
        )
        if self.args.postgres:
            env["DATABASE_URL"] = DEFAULT_PG.format(name=self.args.pg_db)
        if not env.get("DATABASE_URL"):
            env["SQLITE_PATH"] = str(self.tmp / "bench.sqlite3")
        if self.pages:
            env["STATIC_ROOT"] = str(static_root())
        return env

    @property
    def database(self) -> str:
        return self.env.get("DATABASE_URL") or f"sqlite:{self.env['SQLITE_PATH']}"

    def _run(self, *cmd: str) -> None:
        subprocess.run(cmd, cwd=ROOT, env=self.env, check=True)

    def _recreate_postgres(self) -> None:
        import psycopg

        url = self.env["DATABASE_URL"]
        name = url.rsplit("/", 1)[1].split("?")[0]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def prepare(self) -> None:
        if self.args.postgres:
            self._recreate_postgres()
        print(f"database: {self.database}", flush=True)
        self._run(PYTHON, "manage.py", "migrate", "--no-input", "-v", "0")
        if self.pages and not (static_root() / "staticfiles.json").exists():
            # minutes on a busy machine (whitenoise compresses every file): once per version
            print(f"collecting static files into {static_root()} …", flush=True)
            self._run(PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0")
        if self.seed:
            module, func = self.seed.split(":")
            self._run(
                PYTHON,
                "-c",
                "import django, importlib; django.setup(); "
                f"importlib.import_module({module!r}).{func}()",
            )
        self.analyze()

    def analyze(self) -> None:
        """PostgreSQL: refresh table statistics, as autovacuum does on a database in use.

        Run after seeding (without statistics the planner guesses on freshly filled tables)
        and by a benchmark between phases that insert many rows: where autovacuum is off (as
        on this project's development machines), plans PostgreSQL keeps in long-lived
        connections would otherwise stay those for the near-empty tables (a foreign-key check
        of the access log then scanned the whole table once per row). ANALYZE also makes the
        server drop plans it keeps for the analysed tables.
        """
        if not self.database.startswith("postgres"):
            return
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("ANALYZE")

    def start(self) -> None:
        log = open(self.tmp / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "-c",
                "python:config.gunicorn",
                "config.wsgi:application",
                "--workers",
                str(self.args.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.tmp / 'gunicorn.log'}")
            try:
                status, _ = request(self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 120 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self) -> App:
        try:
            self.prepare()
            self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        if self.args.keep:
            print(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- load ----------------------------------------------------------------------------
    def load(
        self,
        path: str | Callable[[int], str],
        *,
        name: str | None = None,
        warmup: int = 20,
        seconds: float | None = None,
    ) -> Result:
        """Load ``path`` for ``--seconds`` (or ``seconds``, or ``--requests``) with
        ``--concurrency`` in flight.

        ``path`` may be a function of the request number (e.g. to defeat a cache).
        """
        for i in range(warmup):
            request(self.port, path if isinstance(path, str) else path(-1 - i))
        return load(
            self.port,
            path,
            name=name or str(path),
            seconds=self.args.seconds if seconds is None else seconds,
            requests=self.args.requests,
            concurrency=self.args.concurrency,
        )


def interleave(rounds: int, *phases: Callable[[int], Result]) -> list[Result]:
    """Run the phases in turn, ``rounds`` times (A B A B …), and add up each phase's rounds.

    A shared machine's speed drifts by tens of percent within a minute; measured back to back
    in one block each, the floor and the endpoint would see different machines. Alternating
    short rounds lets both see the same drift, so their ratio stays put.
    """
    totals: list[Result | None] = [None] * len(phases)
    per_round: list[list[float]] = [[] for _ in phases]
    for i in range(rounds):
        for n, phase in enumerate(phases):
            result = phase(i)
            per_round[n].append(result.rps)
            totals[n] = result if totals[n] is None else totals[n].absorb(result)
    for total, rps in zip(totals, per_round, strict=True):
        if total is not None:
            total.round_rps = rps
    return [t for t in totals if t is not None]


def ratio(result: Result, floor: Result) -> float:
    """Requests/s relative to the floor: the median of the rounds' ratios when both were
    measured in the same rounds (a stall in one round, e.g. a lost SYN that costs a second,
    then moves the figure neither way), else the ratio of the totals."""
    if result is floor:
        return 1.0
    pairs = list(zip(result.round_rps, floor.round_rps, strict=False))
    if pairs and len(result.round_rps) == len(floor.round_rps):
        return statistics.median(r / f for r, f in pairs if f)
    return result.rps / floor.rps if floor.rps else float("nan")


def request(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/json", "Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(
    port: int,
    path: str | Callable[[int], str],
    *,
    name: str,
    seconds: float = 5.0,
    requests: int = 0,
    concurrency: int = 8,
) -> Result:
    """Closed-loop load: ``concurrency`` threads, each sending the next request when one ends."""
    result = Result(name=name, path=path if isinstance(path, str) else name)
    lock = threading.Lock()
    budget = [requests]
    counter = itertools.count()
    stop_at = time.monotonic() + seconds

    def more() -> bool:
        if requests:
            with lock:
                if budget[0] <= 0:
                    return False
                budget[0] -= 1
                return True
        return time.monotonic() < stop_at

    def worker() -> None:
        latencies: list[float] = []
        errors, first = 0, ""
        while more():
            target = path if isinstance(path, str) else path(next(counter))
            t0 = time.perf_counter()
            try:
                status, body = request(port, target)
                ok = 200 <= status < 300
                if not ok and not first:
                    first = f"HTTP {status}: {body[:200]!r}"
            except OSError as exc:
                ok = False
                first = first or repr(exc)
            elapsed = time.perf_counter() - t0
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            result.first_error = result.first_error or first

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - t0
    return result


def paced(
    call: Callable[[int], str], *, name: str, rate: float, seconds: float, max_in_flight: int = 64
) -> Result:
    """Open loop: request ``n`` starts at ``n / rate`` seconds, whatever the answers before it
    (as independent clients arrive), so latency is measured without the client's own queue.
    ``call(n)`` sends request ``n`` and returns "" when it succeeded, else what went wrong."""
    from concurrent.futures import ThreadPoolExecutor

    result = Result(name=name, path=name)
    lock = threading.Lock()
    total = max(1, int(rate * seconds))
    t_start = time.monotonic()

    def one(n: int) -> None:
        t0 = time.perf_counter()
        try:
            problem = call(n)
        except OSError as exc:
            problem = repr(exc)
        elapsed = time.perf_counter() - t0
        with lock:
            if problem:
                result.errors += 1
                result.first_error = result.first_error or problem
            else:
                result.latencies.append(elapsed)

    with ThreadPoolExecutor(max_workers=max_in_flight) as pool:
        for n in range(total):
            delay = t_start + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, n)
    result.seconds = time.monotonic() - t_start
    return result


def report(results: list[Result], *, floor: Result, target: dict[str, float] | None = None) -> None:
    """Print one line per endpoint and its ratio to the floor (and the target, when given)."""
    target = target or {}
    print(
        f"{'endpoint':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'n':>7} "
        f"{'errors':>6} {'ratio':>6} {'target':>7}"
    )
    for r in results:
        share = ratio(r, floor)
        goal = target.get(r.name)
        verdict = "" if goal is None else (f"≥{goal:.2f} " + ("ok" if share >= goal else "LOW"))
        print(
            f"{r.name:<40} {r.rps:>8.1f} {r.pct(50):>8.1f} {r.pct(99):>8.1f} "
            f"{max(r.latencies, default=0) * 1000:>8.1f} {r.count:>7} "
            f"{r.errors:>6} {share:>6.2f} {verdict:>7}"
        )
        if r is not floor and r.round_rps and len(r.round_rps) == len(floor.round_rps):
            shares = " ".join(
                f"{e / f:.2f}" for e, f in zip(r.round_rps, floor.round_rps, strict=True) if f
            )
            print(f"    ratio per round: {shares}")
        if r.first_error:
            print(f"    first error: {r.first_error}")


def exit_code(results: list[Result]) -> int:
    """Non-zero when any request failed (a benchmark of errors measures nothing)."""
    return 1 if any(r.errors for r in results) else 0
