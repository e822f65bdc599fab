#!/usr/bin/env bash
# Set up (first time) and start the dashboard on the bundled demo data at http://127.0.0.1:8050.
# Extra arguments go to app.py, e.g. ./run.sh --data /path/to/bundle --port 8060
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh runtime
exec .venv/bin/python app.py "$@"
