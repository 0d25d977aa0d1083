"""Many observers in one process against worker processes and a Dask LocalCluster, same run.

Random observers, the ISS on the bundled elements, 10 days, visible passes; prints each
time and its ratio to one process, and checks the results are identical.

Run: python benchmarks/workers.py [observers] [workers]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timezone

import isspass


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    rng = random.Random(14)
    observers = [isspass.Observer(rng.uniform(-60, 60), rng.uniform(-180, 180)) for _ in range(count)]
    iss = isspass.load_satellite(elements=isspass.bundled_elements())
    start = datetime(2026, 9, 24, tzinfo=timezone.utc)

    def timed(**how: object) -> tuple[float, list[list[isspass.Pass]]]:
        t = time.perf_counter()
        result = isspass.find_passes_many(observers, start, 10, satellite=iss, **how)  # type: ignore[arg-type]
        return time.perf_counter() - t, result

    one_s, one = timed()
    print(f"{count} observers x 10 days, one process: {one_s:.2f} s")
    many_s, many = timed(workers=workers)
    print(f"  workers={workers}: {many_s:.2f} s, {one_s / many_s:.2f}x; identical: {many == one}")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
    with cluster, Client(cluster) as client:
        dask_s, on_dask = timed(client=client)
    print(f"  Dask LocalCluster ({workers} processes): {dask_s:.2f} s, {one_s / dask_s:.2f}x; "
          f"identical: {on_dask == one}")  # fmt: skip


if __name__ == "__main__":
    main()
