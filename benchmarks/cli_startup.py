"""Wall time of the command a person types, offline, on the bundled elements.

Runs ``isspass --lat 47.37 --lon 8.54 --start 2026-09-24 --offline`` several times in
fresh processes and prints the best and the median, and ``python -c "import isspass"``
for comparison (the floor of any run).

Run: python benchmarks/cli_startup.py [repeats]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMAND = [str(Path(sys.executable).parent / "isspass"), "--lat", "47.37", "--lon", "8.54",
           "--start", "2026-09-24", "--offline"]  # fmt: skip


def timed(command: list[str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
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


if __name__ == "__main__":
    main()
