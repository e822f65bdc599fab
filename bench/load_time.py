"""Cold and warm load time of a bundle (load + validate + publish).

Cold: a fresh Python process (imports included) loading the bundle once.
Warm: the same process loading it again (file cache and imports warm).
Usage: .venv/bin/python bench/load_time.py [DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys, time
t0 = time.perf_counter()
from dashboard.bundle import load_bundle
from dashboard.publish import publish
t1 = time.perf_counter()
b = load_bundle(sys.argv[1])
t2 = time.perf_counter()
p = publish(b)
t3 = time.perf_counter()
print(f"{t1-t0:.4f} {t2-t1:.4f} {t3-t2:.4f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", nargs="?", default=str(ROOT / "geodata" / "staedteregion-aachen"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cold = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", CHILD, args.data_dir], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
        cold.append(tuple(float(x) for x in out))
    sys.path.insert(0, str(ROOT))
    from dashboard.bundle import load_bundle
    from dashboard.publish import publish

    load_bundle(args.data_dir)
    warm = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        b = load_bundle(args.data_dir)
        t1 = time.perf_counter()
        publish(b)
        warm.append((t1 - t0, time.perf_counter() - t1))

    med = statistics.median
    print(f"bundle: {args.data_dir} ({args.repeat} runs each, medians)")
    print(f"cold: imports {med(c[0] for c in cold):.2f} s, load+validate {med(c[1] for c in cold):.2f} s, "
          f"publish {med(c[2] for c in cold):.2f} s, total {med(sum(c) for c in cold):.2f} s")
    print(f"warm: load+validate {med(w[0] for w in warm):.2f} s, publish {med(w[1] for w in warm):.2f} s, "
          f"total {med(sum(w) for w in warm):.2f} s")


if __name__ == "__main__":
    main()
