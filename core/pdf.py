"""PDF documents from HTML templates (WeasyPrint). Fonts come from the system (DejaVu, Noto).

WeasyPrint is imported where a PDF is made, never with the URLs; its start-up (the import,
Pango, fontconfig's font list: seconds on a busy machine) is paid once per process by
``warm_up()``, which the gunicorn configuration (``config/gunicorn.py``) runs in the master
before the web workers fork and ``manage.py run_worker`` runs before taking tasks, so the first
certificate or register does not pay it inside a request.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

#: A page in the fonts, weights and scripts the documents use (Latin and Arabic, bold, a table,
#: a PNG image as the QR codes are), so the fonts are found and loaded once.
WARM_UP_HTML = """<!doctype html><html><head><style>
@page { size: A4; margin: 10mm; @bottom-center { content: counter(page); } }
body { font-family: "DejaVu Sans", "Noto Naskh Arabic", "Noto Sans"; font-size: 9pt; }
h1 { font-size: 14pt; } td { border: 1px solid #999; }
</style></head><body><h1>Teilnahmebescheinigung</h1>
<p>Ä Ö Ü ß é — <b>fett</b> <i>kursiv</i></p><p dir="rtl" lang="ar">شهادة مشاركة</p>
<table><tr><th>UE</th><td>100</td></tr></table>
<img alt="" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==">
</body></html>"""


def render_pdf(
    template_name: str, context: dict[str, Any], *, language: str | None = None
) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango and takes a moment

    with translation.override(language or translation.get_language()):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=".").write_pdf()


def warm_up() -> float:
    """Import WeasyPrint and render one small page (fonts, Pango, the PDF writer); returns the
    seconds it took. Needs no settings: it may run before Django is set up. A failure is
    logged, not raised (the first document then pays the start-up, as without warm-up)."""
    started = time.perf_counter()
    try:
        from weasyprint import HTML

        HTML(string=WARM_UP_HTML).write_pdf()
    except Exception:  # warming is an optimisation: never stop a worker for it
        logger.exception("PDF warm-up failed")
    return time.perf_counter() - started
