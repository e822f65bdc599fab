"""One warm kaleido renderer per process: Debian's chromium, started once, MathJax off.

Without a kept browser every image starts one (about 3 s); with it a slide map takes well under
a second. Kaleido's sync server is per process and not safe for concurrent calls, so calls are
serialised with a lock; a forked child (a background callback) starts its own (``_forget_parent_browser``).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from dataclasses import dataclass, field

FORMATS = ("png", "svg", "pdf")


@dataclass
class Renderer:
    """Turns a plotly figure dict into PNG, SVG or PDF bytes with a browser kept running."""

    pid: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        import kaleido

        if self.pid == os.getpid():
            return
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        self.pid = os.getpid()
        atexit.register(self.stop)

    def stop(self) -> None:
        import kaleido

        if self.pid == os.getpid():
            try:
                kaleido.stop_sync_server(silence_warnings=True)
            except Exception:  # noqa: BLE001 - the browser may be gone already at exit
                pass
            self.pid = 0

    def render(self, figure: dict, fmt: str, width: int | None = None, height: int | None = None) -> bytes:
        """Bytes of ``figure`` as ``fmt``; the size defaults to the figure's layout size."""
        import kaleido

        if fmt not in FORMATS:
            raise ValueError(f"unknown image format: {fmt}")
        layout = figure.get("layout", {})
        opts = {"format": fmt, "width": width or layout.get("width") or 1920,
                "height": height or layout.get("height") or 1080, "scale": 1}
        with self.lock:
            self.start()
            try:
                return kaleido.calc_fig_sync(figure, opts=opts)
            except Exception:  # noqa: BLE001 - a crashed browser: start a fresh one and try once more
                self.stop()
                self.start()
                return kaleido.calc_fig_sync(figure, opts=opts)


_RENDERER = Renderer()


def _forget_parent_browser() -> None:
    """In a forked child (a background job): no browser of its own yet, and a lock nobody holds.

    The child inherits kaleido's "running" flag of the parent's server but not its thread (calls
    would wait forever), and the lock as it was at the fork: held, if another thread of the
    parent was rendering then.
    """
    _RENDERER.lock = threading.Lock()
    _RENDERER.pid = 0
    kaleido = sys.modules.get("kaleido")
    if kaleido is not None:
        kaleido._global_server._initialized = False  # noqa: SLF001


os.register_at_fork(after_in_child=_forget_parent_browser)


def renderer() -> Renderer:
    """The process's renderer (created at import, started on first use)."""
    return _RENDERER
