"""Thin Dash callbacks, one module per page (plus the shell); each reads a ViewState and calls dashboard/."""

from __future__ import annotations

import dash

from dashboard.prepared import Prepared


def register_callbacks(app: dash.Dash, prepared: Prepared) -> None:
    """Attach every callback of every page to ``app``."""
    from callbacks import atlas, shell

    shell.register(app)
    atlas.register(app, prepared)
