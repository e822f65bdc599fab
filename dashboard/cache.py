"""The prepared cache: a ``Prepared`` object pickled on disk, so a warm start skips load, publish and prepare.

The key is a hash of every input file of the bundle (names and bytes) and of the code version
(every ``dashboard/`` source file): a changed bundle or a changed program rebuilds the entry, a
stale one is never read. Only published data is stored — ``Prepared`` holds the suppressed,
published values and the prepared geometry; the raw bundle never reaches it (docs/performance.md).

``SOZIALRAUM_CACHE`` chooses the folder (``off`` / ``0`` disables the cache); the default is
``$XDG_CACHE_HOME/sozialraum-monitor`` or else ``.cache/`` in the repository. The folder must be
writable only by the app's user: a pickle is code to whoever can write it.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from dashboard.prepared import Prepared, load_prepared

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent
#: Bump to drop every entry written by an older layout of the cache itself.
FORMAT = "1"
DISABLED = {"", "0", "off", "no", "false"}
T = TypeVar("T")


def cache_dir(setting: str | None = None) -> Path | None:
    """The cache folder from ``setting`` (or ``$SOZIALRAUM_CACHE``); None when disabled."""
    value = os.environ.get("SOZIALRAUM_CACHE") if setting is None else setting
    if value is not None:
        return None if value.strip().lower() in DISABLED else Path(value).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "sozialraum-monitor" if xdg else REPO / ".cache"


def _hash_files(digest: hashlib._Hash, root: Path, files: list[Path]) -> None:
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


def code_version() -> str:
    """Hash of the dashboard package's sources: any code change invalidates every entry."""
    digest = hashlib.sha256(FORMAT.encode())
    _hash_files(digest, PACKAGE, [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".toml",
                                                                                               ".json", ".csv")
                                  and "__pycache__" not in p.parts])
    digest.update(f"{sys.version_info[:2]}".encode())
    return digest.hexdigest()


def cache_key(data_dir: str | Path) -> str:
    """Hash of the bundle's files (names and contents) and of the code version."""
    root = Path(data_dir).resolve()
    digest = hashlib.sha256(code_version().encode())
    _hash_files(digest, root, [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")])
    return digest.hexdigest()


def source_version(paths: list[Path]) -> str:
    """Hash of the Python sources under ``paths`` (files or folders), for artefacts built by other code."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in paths:
        files = [p for p in path.rglob("*.py") if "__pycache__" not in p.parts] if path.is_dir() else [path]
        _hash_files(digest, REPO, files)
    return digest.hexdigest()


def cached_artefact(data_dir: str | Path, name: str, version: str, build: Callable[[], T],
                    folder: Path | None = None, setting: str | None = None) -> T:
    """Something derived from a bundle and from code outside ``dashboard/`` (``version``), cached
    next to its prepared entry under the same rules: a changed bundle, package or ``version``
    rebuilds it; an unreadable entry or folder only costs the time to build it.
    """
    folder = folder if folder is not None else cache_dir(setting)
    if folder is None:
        return build()
    key = hashlib.sha256(f"{cache_key(data_dir)}\0{name}\0{version}".encode()).hexdigest()[:32]
    path = folder / f"{_entry_prefix(data_dir)}.{name}-{key}.artefact"
    if path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)  # noqa: S301 - written by this app into its own folder
        except Exception:  # noqa: BLE001 - a damaged entry is rebuilt, never fatal
            pass
    value = build()
    try:
        _write_replacing(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), path,
                         f"{_entry_prefix(data_dir)}.{name}-*.artefact")
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # not cacheable here: built again at the next start
    return value


def _write_replacing(data: bytes, path: Path, siblings: str) -> None:
    """Write atomically (temp file + rename), then drop the older entries matching ``siblings``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(data)
    os.replace(handle.name, path)
    for old in path.parent.glob(siblings):
        if old != path:
            old.unlink(missing_ok=True)


def _entry_prefix(data_dir: str | Path) -> str:
    return hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:12]


def entry_path(data_dir: str | Path, folder: Path) -> Path:
    return folder / f"{_entry_prefix(data_dir)}-{cache_key(data_dir)[:32]}.pickle"


def load_cached(data_dir: str | Path, folder: Path | None = None, setting: str | None = None) -> tuple[Prepared, str]:
    """The Prepared object of a bundle and where it came from: 'hit', 'built' or 'off'.

    A missing, unreadable or stale entry is rebuilt (``load_prepared``, BundleError as usual);
    a cache folder that cannot be written only costs the next start its speed.
    """
    folder = folder if folder is not None else cache_dir(setting)
    if folder is None:
        return load_prepared(data_dir), "off"
    path = entry_path(data_dir, folder)
    if path.is_file():
        try:
            with path.open("rb") as handle:
                prepared = pickle.load(handle)  # noqa: S301 - written by this app into its own folder
            if isinstance(prepared, Prepared):
                return prepared, "hit"
        except Exception:  # noqa: BLE001 - a damaged entry is rebuilt, never fatal
            pass
    prepared = load_prepared(data_dir)
    _store(prepared, path)
    return prepared, "built"


def read_only(mapping: dict) -> MappingProxyType:
    """Rebuilds a read-only mapping when an entry is loaded."""
    return MappingProxyType(mapping)


def _mapping_proxy(proxy: MappingProxyType) -> tuple:
    return read_only, (dict(proxy),)


def _dumps(prepared: Prepared) -> bytes:
    """Pickle with read-only mappings (the bundle config) stored as their dicts."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _mapping_proxy}
    pickler.dump(prepared)
    return buffer.getvalue()


def _store(prepared: Prepared, path: Path) -> None:
    """Write atomically (temp file + rename) and drop older entries of the same bundle folder."""
    try:
        _write_replacing(_dumps(prepared), path, f"{path.name.split('-', 1)[0]}-*.pickle")
    except OSError as error:
        sys.stderr.write(f"Cache {path.parent} nicht beschreibbar ({error.strerror}); Start ohne Cache.\n")
