"""Demo data of billing: the InGe outbox (``billing.inge.demo``)."""

from __future__ import annotations

from billing.inge import demo as inge_demo


def seed(ctx) -> None:
    inge_demo.seed(ctx)
