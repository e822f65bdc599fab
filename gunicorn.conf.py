"""gunicorn settings for the Sozialraum-Monitor: ``gunicorn app:server`` (or ``gunicorn -c gunicorn.conf.py``).

The bundle is loaded, validated and published once, in the master, before any worker forks
(``preload_app``): the workers share it copy-on-write, and a broken or missing bundle stops
gunicorn with the German problem list and exit code 1 instead of a loop of failing workers
while the port stays open. Environment: ``SOZIALRAUM_DATA`` (bundle folder, default the demo),
``SOZIALRAUM_BIND`` (default ``127.0.0.1:8050``), ``SOZIALRAUM_WORKERS`` (default 2).
"""

from __future__ import annotations

import os

wsgi_app = "app:server"
bind = [os.environ.get("SOZIALRAUM_BIND") or "127.0.0.1:8050"]
workers = int(os.environ.get("SOZIALRAUM_WORKERS") or 2)
preload_app = True
# An image export (kaleido) may take a few seconds; nothing legitimate takes two minutes.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Requests' own limits (the body is capped by the app, MAX_CONTENT_LENGTH = 1 MB).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Workers are recycled now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
