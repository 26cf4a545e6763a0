"""Heavy libraries load where they are used, not with the URLs (every worker loads the URLs at
start; issue 16: a worker started at 169 MiB because pandas, numpy and openpyxl came with them)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["pandas", "numpy", "openpyxl", "matplotlib", "weasyprint"]

PROBE = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def test_loading_the_urls_imports_no_heavy_library():
    # A fresh interpreter: this test process has imported them all through other tests.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("LB_TESTING", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_lazy_xlsx_format_round_trips():
    """django-import-export's XLSX format works through the lazy tablib stand-in."""
    import tablib
    from import_export.formats import base_formats

    from core.tabular import LazyFormat

    fmt = base_formats.XLSX()
    assert isinstance(fmt.get_format(), LazyFormat)
    assert fmt.get_extension() == "xlsx" and fmt.can_import() and fmt.can_export()
    data = tablib.Dataset(["Haus", "Pinneberg"], headers=["name", "town"])
    content = fmt.export_data(data)
    back = fmt.create_dataset(content)
    assert back.headers == ["name", "town"] and back[0] == ("Haus", "Pinneberg")
    assert tablib.Dataset().load(content, format="xlsx")[0] == ("Haus", "Pinneberg")
