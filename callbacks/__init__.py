"""Thin Dash callbacks, one module per page (plus the shell); each reads a ViewState and calls dashboard/."""

from __future__ import annotations

import dash
from flask import Flask

from dashboard.prepared import Prepared


def register_callbacks(app: dash.Dash, prepared: Prepared) -> None:
    """Attach every callback of every page to ``app``, then guard them all (``callbacks.guard``)."""
    from callbacks import atlas, exports, funding, guard, presentation, shell
    from callbacks import profile as profile_pages

    shell.register(app)
    atlas.register(app, prepared)
    funding.register(app, prepared)
    profile_pages.register(app, prepared)
    exports.register(app, prepared)
    presentation.register(app, prepared)
    # Last, so every callback registered above is covered, whatever module it comes from.
    guard.guard_callbacks(app)
    if isinstance(app.server, Flask):
        guard.guard_requests(app.server, app.config.routes_pathname_prefix)
