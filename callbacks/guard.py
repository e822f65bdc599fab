"""The callbacks' boundary: what the browser sends is untrusted and may have any JSON type.

Two layers. The coercion helpers (``as_dict``, ``as_str`` …) turn a wrong type into the empty
value, as ``ViewState.from_query`` does for a broken link, so a callback falls back to its
default view. ``guard_callbacks`` wraps every registered server callback once: whatever a
malformed request still makes a callback raise becomes ``PreventUpdate`` (HTTP 204, the page
keeps what it shows) and a one-line warning in the log – never a 500 with a traceback.
``guard_requests`` does the same for what fails before a callback runs (a body that is no
callback request, an unknown output) and caps the request body size.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from typing import Any

import dash
import flask
from dash.exceptions import PreventUpdate
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger(__name__)

#: Largest request body accepted (a callback request of this app is a few KB; the grid's
#: ``virtualRowData`` of 10,000 areas about 600 KB).
MAX_BODY_BYTES = 1024 * 1024
#: At most this many items are read from a list sent by the browser.
MAX_ITEMS = 20_000
#: Longest text read from the browser (URL search, text fields).
MAX_TEXT = 10_000
UPDATE_ROUTE = "_dash-update-component"


def as_dict(value: object) -> dict:
    """A JSON object, else ``{}``."""
    return value if isinstance(value, dict) else {}


def as_str(value: object, limit: int = MAX_TEXT) -> str:
    """A string (cut to ``limit``), else ``""``; numbers are not taken for text."""
    return value[:limit] if isinstance(value, str) else ""


def as_int(value: object) -> int | None:
    """A whole number (not a bool), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def as_bool(value: object) -> bool:
    return value is True


def as_list(value: object, limit: int = MAX_ITEMS) -> list:
    """A JSON array (first ``limit`` items), else ``[]``."""
    return value[:limit] if isinstance(value, list) else []


def as_list_of_str(value: object, limit: int = MAX_ITEMS) -> list[str]:
    """The strings of a JSON array (other items dropped), else ``[]``."""
    return [v[:MAX_TEXT] for v in as_list(value, limit) if isinstance(v, str)]


def as_list_of_dict(value: object, limit: int = MAX_ITEMS) -> list[dict]:
    """The objects of a JSON array (other items dropped), else ``[]``."""
    return [v for v in as_list(value, limit) if isinstance(v, dict)]


def as_scalar_text(value: object) -> str | None:
    """An id-like value (string or whole number) as text, else None (dicts, lists, floats)."""
    if isinstance(value, str):
        return value[:MAX_TEXT]
    number = as_int(value)
    return None if number is None else str(number)


def safe_callback(func: Callable, name: str) -> Callable:
    """``func`` with every exception but ``PreventUpdate`` turned into ``PreventUpdate`` (logged)."""

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PreventUpdate:
            raise
        except Exception as exc:  # malformed input: ignore the event, keep the page as it is
            _log_refusal(f"callback {name} ignored a malformed request", exc)
            raise PreventUpdate from None

    guarded.__dash_guarded__ = True  # type: ignore[attr-defined]
    return guarded


def guard_callbacks(app: dash.Dash) -> int:
    """Wrap every server callback of ``app`` (once); returns how many are guarded.

    Dash's own wrapper is wrapped, so wrong argument counts and output shapes are covered too.
    """
    count = 0
    for key, spec in app.callback_map.items():
        func = spec.get("callback")
        if func is None:
            continue  # clientside: runs in the browser only
        if not getattr(func, "__dash_guarded__", False):
            spec["callback"] = safe_callback(func, key[:80])
        count += 1
    return count


def guard_requests(server: flask.Flask, prefix: str = "/") -> None:
    """Cap the body size (413) and answer a request that is no valid callback call with 400.

    Only the callback route is guarded this way; every other error keeps Flask's handling.
    """
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    route = prefix + UPDATE_ROUTE
    endpoint = next((rule.endpoint for rule in server.url_map.iter_rules() if rule.rule == route), None)
    if endpoint is None or getattr(server.view_functions[endpoint], "__dash_guarded__", False):
        return
    dispatch = server.view_functions[endpoint]

    @functools.wraps(dispatch)
    def guarded_dispatch(*args: Any, **kwargs: Any) -> Any:
        try:
            return dispatch(*args, **kwargs)
        except (PreventUpdate, RequestEntityTooLarge):
            raise
        except HTTPException as exc:  # no JSON, wrong content type
            return _refused("Anfrage ist kein gültiger Callback-Aufruf", exc.code or 400)
        except Exception as exc:  # not an object, unknown output, broken structure: refused, not a crash
            _log_refusal("refused a malformed callback request", exc)
            return _refused("Anfrage ist kein gültiger Callback-Aufruf", 400)

    guarded_dispatch.__dash_guarded__ = True  # type: ignore[attr-defined]
    server.view_functions[endpoint] = guarded_dispatch

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(_exc: RequestEntityTooLarge) -> flask.Response:
        return _refused(f"Anfrage zu groß (höchstens {MAX_BODY_BYTES // 1024} KB)", 413)


def _log_refusal(what: str, exc: Exception) -> None:
    """One warning line; the traceback only at debug level (a real bug shows up there)."""
    log.warning("%s: %s: %s", what, type(exc).__name__, str(exc)[:200])
    log.debug("traceback of the refused request", exc_info=exc)


def _refused(message: str, status: int) -> flask.Response:
    response = flask.jsonify({"error": message})
    response.status_code = status
    return response
