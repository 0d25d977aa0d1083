"""Time and peak memory of isspass for many observers (visible passes, 10 days, ISS), against a baseline.

Each measurement runs in a fresh process, so that its peak memory is its own; the same random
observers every time. Two ways to ask: ``objects`` (``find_passes_many``: a list of Pass objects
per observer) and ``table`` (``find_pass_table``: one columnar PassTable, what ``isspass batch``
writes from). Given the ``src`` directory of another checkout (e.g. the pinned baseline:
``git archive d756d5d | tar -x -C /tmp/base``), its object API is measured in the same run,
alternating with this tree's, and the ratio printed. Best of ``--repeat``.

Run: python benchmarks/many_observers.py                       # 1, 1,000 and 10,000 observers
     python benchmarks/many_observers.py 100 5000 --baseline /tmp/base/src --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from datetime import datetime, timezone
import numpy as np
import isspass
n, api = int(sys.argv[1]), sys.argv[2]
satellite = isspass.load_satellite(elements=isspass.bundled_elements())
rng = np.random.default_rng(2026)
lat, lon = rng.uniform(-60, 60, n), rng.uniform(-180, 180, n)
places = [isspass.Observer(float(a), float(b)) for a, b in zip(lat, lon)]
start = datetime(2026, 9, 24, tzinfo=timezone.utc)
isspass.find_passes(isspass.Observer(0, 0), start, 0.1, satellite=satellite)  # warm the ephemeris
t = time.perf_counter()
if api == "table":
    table = isspass.find_pass_table(places, start, 10, satellite=satellite)
    count = len(table)
else:
    count = sum(map(len, isspass.find_passes_many(places, start, 10, satellite=satellite)))
seconds = time.perf_counter() - t
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "passes": count, "peak_mb": peak_mb}))
"""

HERE = str(Path(__file__).resolve().parents[1] / "src")


def measure(n: int, api: str, src: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=src)
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), api], capture_output=True, text=True,
                         check=True, env=env)  # fmt: skip
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1, 1000, 10000])
    parser.add_argument("--baseline", help="the src directory of another checkout, measured in the same run")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"{'observers':>10} {'api':>8} {'seconds':>9} {'ms/observer':>12} {'passes':>8} {'peak MB':>8}"
          + (f" {'baseline s':>11} {'MB':>6} {'ratio':>7}" if args.baseline else ""))  # fmt: skip
    for n in args.sizes:
        best: dict[str, dict[str, float]] = {}
        runs = [("objects", HERE), ("table", HERE)] + ([("baseline", args.baseline)] if args.baseline else [])
        for _ in range(args.repeat):
            for name, src in runs:
                r = measure(n, "objects" if name == "baseline" else name, src)
                if name not in best or r["seconds"] < best[name]["seconds"]:
                    best[name] = r
        for api in ("objects", "table"):
            r = best[api]
            line = (f"{n:>10} {api:>8} {r['seconds']:>9.3f} {r['seconds'] / n * 1000:>12.3f} "
                    f"{r['passes']:>8} {r['peak_mb']:>8.0f}")  # fmt: skip
            if args.baseline:
                b = best["baseline"]
                if b["passes"] != r["passes"]:
                    line += f"  (baseline found {b['passes']} passes)"
                line += f" {b['seconds']:>11.3f} {b['peak_mb']:>6.0f} {b['seconds'] / r['seconds']:>6.2f}x"
            print(line, flush=True)


if __name__ == "__main__":
    main()
