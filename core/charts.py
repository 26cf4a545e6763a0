"""What every chart of the project shares: a matplotlib figure as an inline SVG, and the picture
shown when there is nothing to draw. matplotlib is imported here only when a chart is drawn."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def svg_uri(fig: Figure) -> str:
    """The figure as a ``data:`` URI (SVG), for an ``<img>`` under a strict CSP."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def empty_chart(message: str | None = None) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 1.2))
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message or _("No data for this period."), ha="center", va="center")
    return svg_uri(fig)
