"""Domain errors: one base class with a stable ``code``; the API maps them to HTTP once."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was not met.

    ``code`` is stable (clients and tests match on it); ``message`` is translated for people;
    ``field`` names the input that caused it, when there is one.
    """

    status_code = 400

    def __init__(
        self, message: str, *, code: str, field: str | None = None, status: int | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        if status is not None:
            self.status_code = status

    def __str__(self) -> str:
        return str(self.message)


class ConflictError(DomainError):
    """The request clashes with the current state (a full slot, a locked day)."""

    status_code = 409


class PermissionDeniedError(DomainError):
    status_code = 403
