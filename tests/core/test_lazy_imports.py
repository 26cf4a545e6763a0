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


def test_xlsx_format_round_trips_after_the_shielded_probe():
    """django-import-export offers XLSX and it works: tablib's own format is back under its key
    once the availability probe is done (the probe's stand-in answers nothing else)."""
    import tablib
    from import_export.formats import base_formats
    from tablib.formats import registry

    from core.tabular import ProbeAnswer

    assert base_formats.XLSX in base_formats.DEFAULT_FORMATS
    assert base_formats.XLSX in base_formats.BINARY_FORMATS
    fmt = base_formats.XLSX()
    assert not isinstance(registry.get_format("xlsx"), ProbeAnswer)
    assert not isinstance(registry.get_format("yaml"), ProbeAnswer)
    assert fmt.get_extension() == "xlsx" and fmt.can_import() and fmt.can_export()
    data = tablib.Dataset(["Haus", "Pinneberg"], headers=["name", "town"])
    content = fmt.export_data(data)
    back = fmt.create_dataset(content)
    assert back.headers == ["name", "town"] and back[0] == ("Haus", "Pinneberg")
    assert tablib.Dataset().load(content, format="xlsx")[0] == ("Haus", "Pinneberg")
    assert tablib.Dataset().load(content)[0] == ("Haus", "Pinneberg")  # detection
