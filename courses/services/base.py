"""What every course service shares: the rule error they raise."""

from __future__ import annotations

from core.errors import DomainError


class CourseError(DomainError):
    pass
