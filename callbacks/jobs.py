"""The job manager of the background callbacks (slide deck, funding report), bound to its app.

Jobs run in a child process and leave their result in one diskcache folder per machine, so a
job started by one worker can be polled by another.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Callable

import dash

from dashboard.fingerprint import published_fingerprint
from dashboard.prepared import Prepared


class AppJobManager(dash.DiskcacheManager):
    """A ``DiskcacheManager`` that runs only its own app's functions, under keys of its own bundle.

    Dash registers every background function in every manager of the process, keyed by the
    function's source and output id. A second app built in the same process (tests, a script that
    serves two bundles) would replace this app's function with its own, and this app's jobs would
    then run on the other app's data: the first registration after construction wins here.
    Result keys also carry the bundle's fingerprint, so instances of different bundles sharing the
    job folder never read each other's files.
    """

    def __init__(self, cache: object, scope: Callable[[], str], expire: int) -> None:
        self._accepting = False  # the base class registers every function known so far: none is ours
        super().__init__(cache, expire=expire)
        self._accepting = True
        self._scope = functools.cache(scope)

    def register(self, key: str, fn: Callable, progress: bool) -> None:
        if self._accepting and key not in self.func_registry:
            super().register(key, fn, progress)

    def build_cache_key(self, fn: Callable, args: object, cache_args_to_ignore: object, triggered: object) -> str:
        base = super().build_cache_key(fn, args, cache_args_to_ignore, triggered)
        return hashlib.sha256(f"{self._scope()}\0{base}".encode()).hexdigest()


def job_folder() -> str:
    """``$SOZIALRAUM_JOBS``, or one folder in the system's temporary directory."""
    return os.environ.get("SOZIALRAUM_JOBS") or os.path.join(tempfile.gettempdir(), "sozialraum-monitor-jobs")


def background_manager(prepared: Prepared) -> AppJobManager:
    """A job manager for one background callback of the app serving ``prepared``."""
    import diskcache

    return AppJobManager(diskcache.Cache(job_folder()), lambda: published_fingerprint(prepared.published),
                         expire=600)
