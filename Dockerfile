# Sozialraum-Monitor: production image (gunicorn), demo bundle by default.
# Chromium is included because kaleido renders chart images (PNG/SVG/PPTX export) with it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    SOZIALRAUM_DATA=/app/geodata/staedteregion-aachen
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py ./
COPY dashboard ./dashboard
COPY layouts ./layouts
COPY callbacks ./callbacks
COPY assets ./assets
COPY geodata ./geodata
RUN useradd --create-home monitor
USER monitor
EXPOSE 8050
# Mount another bundle and set SOZIALRAUM_DATA to serve it; the app checks it at start-up.
CMD ["gunicorn", "--bind", "0.0.0.0:8050", "--workers", "2", "--timeout", "120", "app:server"]
