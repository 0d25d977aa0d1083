"""Many observers in one process against worker processes and a Dask LocalCluster, same run.

Random observers, the ISS on the bundled elements, 10 days, visible passes; prints each
time and its ratio to one process, and checks the results are identical: the object API
(Pass objects), the columnar API (pass tables), and the ``isspass batch`` command writing CSV.

Run: python benchmarks/workers.py [observers] [workers]
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
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

    def tables(**how: object) -> tuple[float, float, float, isspass.PassTable]:
        """Wall time, this process's CPU time and its (finished) workers' CPU time, and the table."""
        before, children = _cpu()
        t = time.perf_counter()
        table = isspass.find_pass_table(observers, start, 10, satellite=iss, **how)  # type: ignore[arg-type]
        wall = time.perf_counter() - t
        after, children_after = _cpu()
        return wall, after - before, children_after - children, table

    one_t, one_cpu, _, table = tables()
    print(f"pass tables, one process: {one_t:.2f} s, {one_cpu:.2f} s CPU ({one_s / one_t:.2f}x the objects)")
    many_t, parent_cpu, workers_cpu, many_table = tables(workers=workers)
    same = many_table.to_passes() == table.to_passes()
    print(f"  workers={workers}: {many_t:.2f} s, {one_t / many_t:.2f}x; identical: {same}")
    # On a machine whose cores are shared, wall time says little; CPU time says where the work went.
    free = one_cpu / max(parent_cpu, workers_cpu / workers)
    print(f"  CPU: parent {parent_cpu:.2f} s, workers {workers_cpu:.2f} s in all; on {workers} free cores "
          f"that is {free:.2f}x one process (one-process CPU / the busiest share)")  # fmt: skip
    _batch_command(observers, workers)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
    with cluster, Client(cluster) as client:
        dask_s, on_dask = timed(client=client)
    print(f"  Dask LocalCluster ({workers} processes): {dask_s:.2f} s, {one_s / dask_s:.2f}x; "
          f"identical: {on_dask == one}")  # fmt: skip


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process, and of its finished child processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _batch_command(observers: list[isspass.Observer], workers: int) -> None:
    """``isspass batch`` end to end (start-up, search, CSV to a file): one process against workers."""
    with tempfile.TemporaryDirectory() as folder:
        places = os.path.join(folder, "places.csv")
        with open(places, "w", encoding="utf-8") as handle:
            handle.write("name,lat,lon\n")
            rows = (f"p{k},{o.latitude_deg:.4f},{o.longitude_deg:.4f}\n" for k, o in enumerate(observers))
            handle.writelines(rows)

        def run(*extra: str) -> tuple[float, bytes]:
            out = os.path.join(folder, f"out{len(extra)}.csv")
            command = [sys.executable, "-m", "isspass", "batch", places, "--start", "2026-09-24",
                       "--days", "10", "--offline", "--output", out, *extra]  # fmt: skip
            t = time.perf_counter()
            subprocess.run(command, check=True)
            elapsed = time.perf_counter() - t
            with open(out, "rb") as handle:
                return elapsed, handle.read()

        one_s, one = run()
        print(f"isspass batch (CSV), one process: {one_s:.2f} s")
        many_s, many = run("--workers", str(workers))
        print(f"  --workers {workers}: {many_s:.2f} s, {one_s / many_s:.2f}x; identical bytes: {many == one}")


if __name__ == "__main__":
    main()
