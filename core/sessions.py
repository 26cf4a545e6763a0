"""Database sessions whose read is compiled once (every logged-in request reads its session)."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from core.prepared import Prepared


def _session(*, session_key: str) -> QuerySet[Session]:
    return Session.objects.filter(session_key=session_key)


_SESSION = Prepared(_session, strs=("session_key",))


class SessionStore(db.SessionStore):
    """Django's database session store; only the lookup by key runs as a prepared read.

    The expiry is checked on the row, not in SQL, so the statement has one parameter and stays
    the same on every request; an expired session is treated as missing, as Django does.
    """

    def _get_session_from_db(self) -> Session | None:
        if self.session_key:
            rows = _SESSION.objects(session_key=self.session_key)
            if rows and rows[0].expire_date > timezone.now():
                return rows[0]
        self._session_key = None
        return None
