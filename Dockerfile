# Sozialraum-Monitor: production image (gunicorn), demo bundle by default.
# Chromium is included because kaleido renders chart images (PNG/SVG/PPTX export) with it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    SOZIALRAUM_DATA=/app/geodata/staedteregion-aachen \
    SOZIALRAUM_BIND=0.0.0.0:8050 \
    SOZIALRAUM_WORKERS=2 \
    SOZIALRAUM_CACHE=/cache
# Debian's chromium is not pinned: security updates of the browser matter more than a fixed version.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py gunicorn.conf.py ./
COPY dashboard ./dashboard
COPY layouts ./layouts
COPY callbacks ./callbacks
COPY assets ./assets
COPY geodata ./geodata
RUN useradd --create-home --uid 10001 monitor \
 && mkdir -p /cache /data && chown monitor /cache
USER 10001
# Real bundles: mount them at /data (read-only is fine) and set SOZIALRAUM_DATA=/data.
# The prepared cache (published data only) lives in /cache; a volume keeps warm starts fast.
VOLUME ["/cache"]
EXPOSE 8050
# The slim image has no curl: Python asks /healthz (bundle loaded, title, number of areas).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ['SOZIALRAUM_BIND'].rsplit(':', 1)[1]; sys.exit(urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status != 200)"]
# Mount another bundle and set SOZIALRAUM_DATA to serve it. gunicorn.conf.py loads it once in the
# master (preload_app): a broken bundle stops the container with the German problem list.
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
