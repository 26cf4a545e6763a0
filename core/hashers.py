"""Argon2id with the work factor OWASP names as its minimum (19 MiB, 2 passes, 1 lane).

Django's own Argon2 defaults (100 MiB, 2 passes, 8 lanes) cost about 0.4 s of wall time a login on
this project's two-core machines: a class of 25 logging in at 9:00 on two workers then waits
about five seconds for the last one (``./dev bench login``). The OWASP Password Storage Cheat
Sheet's minimum, "Argon2id with 19 MiB of memory, an iteration count of 2 and 1 degree of
parallelism", costs about 50 ms. ``ARGON2_MEMORY_KIB``, ``ARGON2_TIME_COST`` and
``ARGON2_PARALLELISM`` raise it where the hardware allows. The algorithm name stays
``argon2``: existing hashes verify, and Django re-hashes them with these parameters at the next
login (``must_update``).
"""

from __future__ import annotations

import os

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    time_cost = _env_int("ARGON2_TIME_COST", 2)
    memory_cost = _env_int("ARGON2_MEMORY_KIB", 19 * 1024)
    parallelism = _env_int("ARGON2_PARALLELISM", 1)
