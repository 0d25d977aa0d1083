"""Wall time of the command a person types, offline, on the bundled elements.

Runs ``isspass --lat 47.37 --lon 8.54 --start 2026-09-24 --offline`` several times in
fresh processes and prints the best and the median, and ``python -c "import isspass"``
for comparison (the floor of any run).

``--help`` and ``--version`` are timed too; given the ``src`` directory of another checkout
(e.g. ``git archive d756d5d | tar -x -C /tmp/base``), its figures are measured in the same
run and the ratios printed.

Run: python benchmarks/cli_startup.py [repeats] [baseline-src]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMAND = [str(Path(sys.executable).parent / "isspass"), "--lat", "47.37", "--lon", "8.54",
           "--start", "2026-09-24", "--offline"]  # fmt: skip


def timed(command: list[str], repeats: int, src: str | None = None) -> list[float]:
    env = dict(os.environ, PYTHONPATH=src) if src else None
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    python = timed([sys.executable, "-c", "pass"], repeats)
    imports = timed([sys.executable, "-c", "import isspass.cli"], repeats)
    full = timed(COMMAND, repeats)
    for name, times in (
        ("python -c pass", python),
        ("import isspass.cli", imports),
        ("isspass (10 days)", full),
    ):
        print(f"{name:>20}: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    baseline = sys.argv[2] if len(sys.argv) > 2 else None
    run = [sys.executable, "-c", "import sys; from isspass.cli import main; sys.argv[0] = 'isspass'; main()"]
    for flag in ("--help", "--version"):
        mine = min(timed([*run, flag], repeats))
        line = f"{'isspass ' + flag:>20}: best {mine:.3f} s"
        if baseline:
            theirs = min(timed([*run, flag], repeats, baseline))
            line += f"; baseline {theirs:.3f} s, {theirs / mine:.2f}x faster"
        print(line)


if __name__ == "__main__":
    main()
