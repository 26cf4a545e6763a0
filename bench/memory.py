"""Memory of a fresh web worker after loading the URLs and serving a page (target ≤ 100 MiB),
and what the PDF warm-up changes: the first PDF a worker serves, and the worker's memory.

``python -m bench memory [--workers 1] [--target-mib 100] [--postgres]``

Starts the app under gunicorn (production settings and ``config/gunicorn.py``, via
``bench/common.py``; one sync worker by default, so every request lands in the worker
measured) twice: without the PDF warm-up (``PDF_WARMUP=0``) and with it (the default). Each
time it reads the worker's memory from ``/proc`` after each step:

1. ``/healthz``: Django set up, the URLconf loaded (a plain JSON view);
2. ``/courses/``: one page (the public catalogue: database, templates, translations);
3. ``/login/`` and ``/api/v1/courses/``: a form page and the API, for the record;
4. ``/me/data/``: a learner's data package as PDF (WeasyPrint), first and second time.

Memory is RSS (what the target is about), PSS (shared pages split among the processes that
share them: the master's warmed-up WeasyPrint is shared by all workers) and USS (the worker's
own pages: what one more worker costs). The verdict is the RSS after step 2 *without* the
warm-up (the application's own footprint: issue 16 measured 169 MiB there) against
``--target-mib``, plus no heavy library in a bare interpreter that only loads the URLconf
(``tests/core/test_lazy_imports.py``); a miss exits non-zero. The PDF figures are reported
(first PDF in a fresh worker with and without warm-up).
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from bench import common

PORT = 8500
TARGET_MIB = 100.0
HEAVY = ["pandas", "numpy", "openpyxl", "matplotlib", "weasyprint"]
STEPS = [
    ("URLs loaded (/healthz)", ["/healthz"]),
    ("one page (/courses/)", ["/courses/"]),
    ("login page and API", ["/login/", "/api/v1/courses/"]),
]
VERDICT_STEP = 1
PDF_PATH = "/me/data/"
SEED_FILE = "LB_BENCH_MEMORY_FILE"

PROBE = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(json.dumps({{"rss_kib": rss, "heavy": sorted(m for m in {HEAVY!r} if m in sys.modules)}}))
"""


def memory_mib(pid: int) -> tuple[float, float, float]:
    """RSS, PSS and USS (private pages) of a process, in MiB."""
    kib: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        kib[key] = int(rest.split()[0])
    uss = kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0)
    return kib["Rss"] / 1024, kib["Pss"] / 1024, uss / 1024


def seed() -> None:
    """One provider and one learner with a logged-in session (the cookie goes to a file)."""
    import datetime as dt
    import json
    import os
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from people.models import Learner, Organisation, User

    provider = Organisation.objects.create(name="Bench-Träger", kind=Organisation.Kind.PROVIDER)
    user = User.objects.create_user("bench-learner", first_name="Lina", last_name="Bench")
    Learner.objects.create(
        provider=provider,
        user=user,
        first_name="Lina",
        last_name="Bench",
        date_of_birth=dt.date(1990, 1, 1),
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    with open(os.environ[SEED_FILE], "w") as fh:
        json.dump({"cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}"}, fh)


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    t0 = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(), time.perf_counter() - t0
    finally:
        conn.close()


def children(pid: int) -> list[int]:
    """The gunicorn workers: the master's child processes."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def bare_interpreter(app: common.App) -> dict:
    done = subprocess.run(
        [common.PYTHON, "-c", PROBE],
        cwd=common.ROOT,
        env=app.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(app: common.App, cookie: str, *, warm: bool) -> dict:
    """Start gunicorn (with or without the warm-up), walk the steps, stop it."""
    app.env["PDF_WARMUP"] = "1" if warm else "0"
    t0 = time.perf_counter()
    app.start()
    boot = time.perf_counter() - t0
    assert app.proc is not None
    workers = children(app.proc.pid)
    label = "with PDF warm-up" if warm else "without PDF warm-up"
    print(
        f"--- {label}: gunicorn ready in {boot:.1f} s; master {memory_mib(app.proc.pid)[0]:.1f} MiB"
    )
    print(f"  {'step':<30} {'RSS':>7} {'PSS':>7} {'USS':>7}   (MiB, worst worker)")
    out: dict = {"steps": [], "pdf": []}
    try:
        for name, paths in STEPS:
            # a few requests per worker, so every worker serves each path (sync workers take
            # turns on the listening socket)
            for _ in range(4 * len(workers)):
                for path in paths:
                    status, body, _s = get(app.port, path)
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
            time.sleep(0.2)
            figures = [memory_mib(pid) for pid in workers]
            worst = tuple(max(f[i] for f in figures) for i in range(3))
            out["steps"].append(worst)
            print(f"  {name:<30} {worst[0]:>7.1f} {worst[1]:>7.1f} {worst[2]:>7.1f}")
        for _n in range(2):
            status, body, seconds = get(app.port, PDF_PATH, cookie)
            if status != 200 or not body.startswith(b"%PDF"):
                raise RuntimeError(f"{PDF_PATH} answered {status}: {body[:200]!r}")
            out["pdf"].append(seconds)
        figures = [memory_mib(pid) for pid in workers]
        worst = tuple(max(f[i] for f in figures) for i in range(3))
        print(f"  {'after two PDFs':<30} {worst[0]:>7.1f} {worst[1]:>7.1f} {worst[2]:>7.1f}")
        print(f"  PDF {PDF_PATH}: first {out['pdf'][0]:.2f} s, second {out['pdf'][1]:.2f} s")
    finally:
        app.stop()
    return out


def main(argv: list[str]) -> int:
    p = common.parser(
        "memory of a fresh web worker", default_port=PORT, default_pg_db="lb_memory_bench"
    )
    p.set_defaults(workers=1)
    p.add_argument("--target-mib", type=float, default=TARGET_MIB)
    args = p.parse_args(argv)
    seed_file = tempfile.NamedTemporaryFile(suffix=".json", delete=False)  # noqa: SIM115
    os.environ[SEED_FILE] = seed_file.name
    app = common.App(args, seed="bench.memory:seed", pages=True)
    try:
        app.prepare()
        with open(seed_file.name) as fh:
            cookie = json.load(fh)["cookie"]
        cold = run(app, cookie, warm=False)
        warm = run(app, cookie, warm=True)
        bare = bare_interpreter(app)
    finally:
        app.__exit__(None, None, None)
        os.unlink(seed_file.name)
    print(
        f"bare interpreter, django.setup() + URLconf: {bare['rss_kib'] / 1024:.1f} MiB; "
        f"heavy libraries imported: {', '.join(bare['heavy']) or 'none'}"
    )
    rss = cold["steps"][VERDICT_STEP][0]
    extra = warm["steps"][VERDICT_STEP]
    print(
        f"PDF warm-up: first PDF {cold['pdf'][0]:.2f} s -> {warm['pdf'][0]:.2f} s; worker after "
        f"one page RSS {rss:.1f} -> {extra[0]:.1f} MiB, USS "
        f"{cold['steps'][VERDICT_STEP][2]:.1f} -> {extra[2]:.1f} MiB"
    )
    ok = rss <= args.target_mib and not bare["heavy"]
    print(
        f"verdict: worker after one page {rss:.1f} MiB RSS (target ≤ {args.target_mib:.0f} MiB) "
        + ("ok" if ok else "MISS")
    )
    return 0 if ok else 1
