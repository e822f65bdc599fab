"""Deterministic generator of the StädteRegion Aachen demo bundle (real geometry, synthetic values).

Run ``python -m dashboard.demo [--out DIR] [--src DIR]``; the committed bundle lives in
``geodata/staedteregion-aachen``.
"""

from dashboard.demo.generate import DEFAULT_OUT, DEFAULT_SRC, SEED, Summary, generate_bundle

__all__ = ["DEFAULT_OUT", "DEFAULT_SRC", "SEED", "Summary", "generate_bundle"]
