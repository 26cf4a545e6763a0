"""Background tasks of the internships app (Django tasks framework)."""

from __future__ import annotations

from django.tasks import task


@task()
def placements_advance_task() -> dict[str, int]:
    """Daily: start agreed placements whose first day has come, complete finished ones."""
    from internships.services import placements_advance

    return placements_advance()
