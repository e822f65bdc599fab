"""A content fingerprint of published data: equal on every worker and instance serving one bundle.

Background jobs of several app instances share one job folder; their result keys carry this
fingerprint so that a request against one bundle can never read a file built from another.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from dashboard.publish import Published


def published_fingerprint(published: Published) -> str:
    """SHA-256 over the bundle's title, its areas and every published cell (values, statuses, years)."""
    digest = hashlib.sha256(published.config.title.encode("utf-8", "surrogatepass"))
    for frame in (published.areas.drop(columns="geometry", errors="ignore"), published.cells):
        digest.update(b"\0")
        digest.update(",".join(map(str, frame.columns)).encode("utf-8", "surrogatepass"))
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    if published.applications is not None:
        digest.update(b"\0applications")
        digest.update(pd.util.hash_pandas_object(published.applications, index=False).to_numpy().tobytes())
    return digest.hexdigest()
