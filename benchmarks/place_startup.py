"""What naming a place costs: wall time of --place against the same command with --lat/--lon.

Runs each command several times in fresh processes (interleaved), offline on the bundled elements, and
prints the best and the median and the ratio to the coordinates run (the peer); also
``isspass --help``, which must stay fast (the place table is read only when a place is named).

Run: python benchmarks/place_startup.py [repeats]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ISSPASS = str(Path(sys.executable).parent / "isspass")
WINDOW = ["--start", "2026-09-24", "--offline"]
COMMANDS = {
    "--lat 47.3667 --lon 8.55": [ISSPASS, "--lat", "47.3667", "--lon", "8.55", *WINDOW],
    "--place Zurich": [ISSPASS, "--place", "Zurich", *WINDOW],
    "--place München": [ISSPASS, "--place", "München", *WINDOW],  # not a place's own name: the slow path
    "--place Zurich --format line": [ISSPASS, "--place", "Zurich", "--format", "line", *WINDOW],
    "places Springfield": [ISSPASS, "places", "Springfield"],
    "--help": [ISSPASS, "--help"],
}


def timed(command: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    results: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(repeats):  # interleaved, so that a busy machine slows every command alike
        for name, command in COMMANDS.items():
            results[name].append(timed(command))
    peer = statistics.median(results["--lat 47.3667 --lon 8.55"])
    for name, times in results.items():
        median = statistics.median(times)
        ratio = median / peer
        print(f"{name:>30}: best {min(times):.3f} s, median {median:.3f} s, {ratio:.2f}× the coordinates")


if __name__ == "__main__":
    main()
