"""Authentication backend: Django's ModelBackend with a compiled-once user read."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from core.prepared import Prepared
from people.models import User


def _user(*, user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk=user_id)


_USER = Prepared(_user, ints=("user_id",))


class UserBackend(ModelBackend):
    """Logs in as ModelBackend does; the user of a session (read on every logged-in request)
    is loaded by a prepared read."""

    def get_user(self, user_id: int) -> User | None:
        rows = _USER.objects(user_id=user_id)
        if not rows:
            return None
        return rows[0] if self.user_can_authenticate(rows[0]) else None
