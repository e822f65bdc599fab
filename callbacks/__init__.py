"""Thin Dash callbacks, one module per page (plus the shell); each reads a ViewState and calls dashboard/."""

from __future__ import annotations

import dash
from flask import Flask

from dashboard.prepared import Prepared


def register_callbacks(app: dash.Dash, prepared: Prepared) -> None:
    """Attach every callback of every page to ``app``, then guard them all (``callbacks.guard``)."""
    from callbacks import atlas, guard, shell

    shell.register(app)
    atlas.register(app, prepared)
    from callbacks import exports

    exports.register(app, prepared)
    from callbacks import presentation

    presentation.register(app, prepared)
    # Last, so every callback registered above is covered, whatever module it comes from.
    guard.guard_callbacks(app)
    if isinstance(app.server, Flask):
        guard.guard_requests(app.server, app.config.routes_pathname_prefix)
