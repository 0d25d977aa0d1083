"""Worker processes with one BLAS thread each against worker processes with BLAS's default
(a thread per core each), and against one process, all in the same run.

Random observers, the ISS on the bundled elements, 10 days, visible passes, as pass tables;
each configuration runs in a fresh interpreter, in turn, ``rounds`` times, and the best wall
time (and the CPU time of that run, workers included) is kept. Workers with BLAS's default
threads are what ``workers=`` gave before; the environment variable a user sets still wins,
which is how that configuration is obtained here.

Run: python benchmarks/worker_threads.py [observers] [workers] [rounds]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

_CHILD = r"""
import json, random, resource, sys, time
from datetime import datetime, timezone
import isspass

def main():
    count, workers = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(14)
    observers = [isspass.Observer(rng.uniform(-60, 60), rng.uniform(-180, 180)) for _ in range(count)]
    iss = isspass.load_satellite(elements=isspass.bundled_elements())
    start = datetime(2026, 9, 24, tzinfo=timezone.utc)
    isspass.find_pass_table(observers[:64], start, 10, satellite=iss)  # loads what the search loads
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    table = isspass.find_pass_table(observers, start, 10, satellite=iss, workers=workers)
    wall = time.perf_counter() - t
    own2, children2 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(b, f) - getattr(a, f) for a, b in ((own, own2), (children, children2))
              for f in ("ru_utime", "ru_stime"))
    print(json.dumps({"wall": wall, "cpu": cpu, "rows": len(table)}))

if __name__ == "__main__":
    main()
"""


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    cores = str(len(os.sched_getaffinity(0)))
    unset = {name: None for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    configurations = {
        "one process (BLAS default threads)": (1, unset),
        "one process, OPENBLAS_NUM_THREADS=1": (1, dict(unset, OPENBLAS_NUM_THREADS="1")),
        f"workers={workers}, one BLAS thread each (now)": (workers, unset),
        f"workers={workers}, BLAS default threads each (before)": (
            workers,
            dict(unset, OPENBLAS_NUM_THREADS=cores),
        ),
    }
    best: dict[str, dict[str, float]] = {}
    for _ in range(rounds):
        for label, (processes, variables) in configurations.items():
            result = _run(count, processes, variables)
            if label not in best or result["wall"] < best[label]["wall"]:
                best[label] = result
    one = best["one process (BLAS default threads)"]
    print(f"{count} observers x 10 days, pass tables, best of {rounds} (wall; CPU with its workers):")
    for label, result in best.items():
        print(f"  {label}: {result['wall']:.2f} s, {result['cpu']:.2f} s CPU; "
              f"{one['wall'] / result['wall']:.2f}x one process; {result['rows']:.0f} rows")  # fmt: skip


def _run(count: int, workers: int, variables: dict[str, str | None]) -> dict[str, float]:
    env = {name: value for name, value in os.environ.items() if name not in variables}
    env.update({name: value for name, value in variables.items() if value is not None})
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(count), str(workers)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
