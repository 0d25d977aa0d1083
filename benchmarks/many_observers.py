"""Time and peak memory of isspass for many observers (visible passes, 10 days, ISS).

Each size runs in a fresh process so that its peak memory is its own.

Run: python benchmarks/many_observers.py            # 1, 1,000 and 10,000 observers
     python benchmarks/many_observers.py 100 5000
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
from datetime import datetime, timezone
import numpy as np
import isspass
n = int(sys.argv[1])
satellite = isspass.load_satellite(elements=isspass.bundled_elements())
rng = np.random.default_rng(2026)
lat, lon = rng.uniform(-60, 60, n), rng.uniform(-180, 180, n)
places = [isspass.Observer(float(a), float(b)) for a, b in zip(lat, lon)]
start = datetime(2026, 9, 24, tzinfo=timezone.utc)
isspass.find_passes(isspass.Observer(0, 0), start, 0.1, satellite=satellite)  # warm the ephemeris
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
passes = isspass.find_passes_many(places, start, 10, satellite=satellite)
seconds = time.perf_counter() - t
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"n": n, "seconds": seconds, "passes": sum(map(len, passes)), "peak_mb": peak_mb}))
"""


def main() -> None:
    sizes = [int(x) for x in sys.argv[1:]] or [1, 1000, 10000]
    print(f"{'observers':>10} {'seconds':>9} {'ms/observer':>12} {'visible passes':>15} {'peak RSS MB':>12}")
    for n in sizes:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(n)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout)
        per = r["seconds"] / n * 1000
        print(f"{n:>10} {r['seconds']:>9.2f} {per:>12.2f} {r['passes']:>15} {r['peak_mb']:>12.0f}")


if __name__ == "__main__":
    main()
