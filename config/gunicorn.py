"""gunicorn settings: ``gunicorn -c python:config.gunicorn config.wsgi`` (command-line options
override these; the container image and the benchmarks use this file).

``PDF_WARMUP`` (default on): the master imports WeasyPrint and renders one small page before it
forks the workers (``when_ready`` runs before the first worker starts), so no worker pays the PDF
library's start-up (1.4–2.1 s, issue 16) inside the first certificate or register it serves,
and the workers share those pages with the master (copy-on-write) instead of each loading
them. The master does not import the Django application (no ``preload_app``), so code changes
still reach workers that are restarted with HUP.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Only the reverse proxy in front (deploy/compose.yaml) reaches the containers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "" : none


def _enabled(name: str, default: bool = True) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def when_ready(server) -> None:
    if not _enabled("PDF_WARMUP"):
        return
    from core.pdf import warm_up

    seconds = warm_up()
    server.log.info("PDF library warmed up in %.2f s (before the workers fork)", seconds)
