"""Entry point for ``python -m dashboard``."""

import os
import sys

from dashboard.cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader went away (e.g. `| head`): no traceback; detach stdout so the exit flush is quiet.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    code = 0
except KeyboardInterrupt:
    code = 130
sys.exit(code)
