"""A million observers × 1 day on a Dask LocalCluster, through ``isspass batch --scheduler``.

Writes a CSV of random observers, starts a LocalCluster of worker processes (one thread each),
runs the command against its scheduler with the output in a file (CSV or Parquet), and prints
the wall time, the rows written, the peak memory (RSS) and CPU time of the command, of this
process (a LocalCluster keeps its scheduler and nannies here) and of every worker; then the
same command in one process on the first ``subset`` places: the rate of one core, same run.

Run: python benchmarks/cluster.py [observers] [workers] [csv|parquet] [subset]
(Dask's nannies give their workers MALLOC_TRIM_THRESHOLD_=65536 unless told otherwise; run with
DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON="{'MALLOC_TRIM_THRESHOLD_': None}" to leave glibc's default.)
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time

WINDOW = ("--start", "2026-09-24", "--days", "1", "--offline")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    fmt = sys.argv[3] if len(sys.argv) > 3 else "csv"
    subset = min(count, int(sys.argv[4]) if len(sys.argv) > 4 else 20_000)
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as folder:
        places = os.path.join(folder, "places.csv")
        _write_places(places, count)
        print(f"{count:,} observers x 1 day, {workers} Dask worker processes x 1 thread, {fmt} to a file")
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        )
        with cluster, Client(cluster) as client:
            out = os.path.join(folder, f"passes.{fmt}")
            address = cluster.scheduler_address
            wall, command_cpu, command_rss = _batch(folder, places, out, fmt, "--scheduler", address)
            rows = _rows(out, fmt)
            work = client.run(_usage)
            trim = set(client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values())
        size_mb = os.path.getsize(out) / 2**20
        rate = count / wall
        print(f"  wall {wall:.1f} s, {rows:,} rows written ({size_mb:.0f} MB): {rate:,.0f} observers/s")
        own_rss, own_cpu = _usage()
        print(f"  peak RSS: command {command_rss:.0f} MB ({command_cpu:.1f} s CPU), "
              f"scheduler and nannies {own_rss:.0f} MB ({own_cpu:.1f} s CPU, places file too)")  # fmt: skip
        print(f"  the workers' MALLOC_TRIM_THRESHOLD_: {', '.join(map(str, trim))}")
        workers_cpu = 0.0
        for worker, (rss, cpu) in sorted(work.items()):
            workers_cpu += cpu
            print(f"  worker {worker}: peak RSS {rss:.0f} MB, {cpu:.1f} s CPU")
        print(f"  workers' CPU in all {workers_cpu:.1f} s: {count / workers_cpu:,.0f} observers/CPU s")

        head = os.path.join(folder, "head.csv")
        with open(places, encoding="utf-8") as source, open(head, "w", encoding="utf-8") as target:
            target.writelines(line for _, line in zip(range(subset + 1), source, strict=False))
        one_wall, one_cpu, one_rss = _batch(folder, head, os.path.join(folder, f"head.{fmt}"), fmt)
        per_core = subset / one_cpu
        print(f"one process, first {subset:,} observers: wall {one_wall:.1f} s, {one_cpu:.1f} s CPU, "
              f"peak RSS {one_rss:.0f} MB: {per_core:,.0f} observers per CPU second")  # fmt: skip
        print(f"  the cluster's wall-clock rate: {count / wall / per_core:.2f}x one busy core's; its workers "
              f"did {count / workers_cpu / per_core:.2f}x one process's work per CPU second")  # fmt: skip


def _write_places(path: str, count: int) -> None:
    """Random observers over the inhabited latitudes, written as they are drawn."""
    rng = random.Random(14)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("name,lat,lon,elevation_m\n")
        for start in range(0, count, 10_000):
            handle.writelines(
                f"p{k},{rng.uniform(-60, 60):.4f},{rng.uniform(-180, 180):.4f},{rng.uniform(0, 2000):.0f}\n"
                for k in range(start, min(count, start + 10_000))
            )


def _batch(folder: str, places: str, out: str, fmt: str, *extra: str) -> tuple[float, float, float]:
    """``isspass batch`` on ``places``: its wall time, CPU seconds and peak RSS (MB).

    The peak is the command's own high-water mark, read while it runs: the one its exit
    reports would count this (larger) process, whose memory it shared until its exec.
    """
    env = dict(os.environ, ISSPASS_CACHE_DIR=os.path.join(folder, "cache"))  # the bundled elements
    command = [sys.executable, "-m", "isspass", "batch", places, *WINDOW, "--format", fmt, "--output", out]
    t = time.perf_counter()
    process = subprocess.Popen([*command, *extra], env=env)
    peak_kb = 0
    while True:
        peak_kb = max(peak_kb, _high_water_kb(process.pid))
        finished, status, usage = os.wait4(process.pid, os.WNOHANG)
        if finished:
            break
        time.sleep(0.05)
    wall = time.perf_counter() - t
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"isspass batch failed with exit code {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024


def _high_water_kb(pid: int) -> int:
    """The peak resident memory of a running process (Linux's VmHWM), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _usage() -> tuple[float, float]:
    """This process's peak RSS (MB) and CPU seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_maxrss / 1024, own.ru_utime + own.ru_stime


def _rows(path: str, fmt: str) -> int:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1


if __name__ == "__main__":
    main()
