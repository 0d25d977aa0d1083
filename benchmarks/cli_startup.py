"""Wall time of the command a person types, offline, on the bundled elements, against a baseline.

Runs each command several times in fresh processes and prints the best and the median:
``python -c pass`` and ``import isspass.cli`` (the floor of any run), the prediction
``isspass --lat 47.37 --lon 8.54 --start 2026-09-24 --offline`` (10 days) as typed, which
looks the place's time zone up, the same with ``--tz Europe/Zurich``, which does not, and
``--help`` and ``--version``.

Given the ``src`` directory of another checkout (e.g. ``git archive 601c293 | tar -x -C
/tmp/base``), its figures are measured in the same run, each of its runs alternating with
one of this checkout's, and the ratios printed (best against best); the predictions' outputs
are compared too. Both sides run with their bytecode compiled and cached, as an installed
package does (in a temporary directory: the first run of each command compiles and is not
counted). The least CPU time (user + system) of any run is printed too: on a busy machine it
varies less than the wall time.

Run: python benchmarks/cli_startup.py [repeats] [baseline-src]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")
_SCRIPT = Path(sys.executable).parent / "isspass"
# The console script when installed (what a person runs), else the same entry point.
ISSPASS = [str(_SCRIPT)] if _SCRIPT.exists() else [
    sys.executable, "-c", "import sys; from isspass.cli import main; sys.argv[0] = 'isspass'; main()"
]  # fmt: skip
PREDICTION = ["--lat", "47.37", "--lon", "8.54", "--start", "2026-09-24", "--offline"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import isspass.cli": [sys.executable, "-c", "import isspass.cli"],
    "isspass --lat --lon": [*ISSPASS, *PREDICTION],
    "isspass --lat --lon --tz": [*ISSPASS, *PREDICTION, "--tz", "Europe/Zurich"],
    "isspass --help": [*ISSPASS, "--help"],
    "isspass --version": [*ISSPASS, "--version"],
}
#: The commands whose output must not depend on the checkout.
SAME_OUTPUT = ("isspass --lat --lon", "isspass --lat --lon --tz")


def environment(src: str, pycache: str) -> dict[str, str]:
    """Run against ``src``, bytecode cached under ``pycache`` (one directory per checkout)."""
    env = dict(os.environ, PYTHONPATH=src, PYTHONPYCACHEPREFIX=pycache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    """Wall time and CPU time (user + system, seconds) of one run, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stdout


def _figures(wall: list[float], cpu: list[float]) -> str:
    """Best and median wall time, and the best CPU time (steadier than wall time on a busy machine)."""
    return f"best {min(wall):.3f} s, median {statistics.median(wall):.3f} s (CPU best {min(cpu):.3f} s)"


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    baseline = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as cache:
        sides = {"this": environment(SRC, f"{cache}/this")}
        if baseline:
            sides["baseline"] = environment(str(Path(baseline).resolve()), f"{cache}/baseline")
        for name, command in COMMANDS.items():
            compared = sides if name != "python -c pass" else {"this": sides["this"]}
            outputs = {side: run(command, env)[2] for side, env in compared.items()}  # compiles: not counted
            times: dict[str, list[float]] = {side: [] for side in compared}
            cpu: dict[str, list[float]] = {side: [] for side in compared}
            for _ in range(repeats):  # alternating, so that a busy machine slows both sides alike
                for side, env in compared.items():
                    wall, used, _ = run(command, env)
                    times[side].append(wall)
                    cpu[side].append(used)
            line = f"{name:>26}: {_figures(times['this'], cpu['this'])}"
            if "baseline" in times:
                theirs, mine = min(times["baseline"]), min(times["this"])
                baseline_figures = _figures(times["baseline"], cpu["baseline"])
                line += f"; baseline {baseline_figures}, {theirs / mine:.2f}x faster"
                if name in SAME_OUTPUT:
                    line += ", same output" if outputs["this"] == outputs["baseline"] else ", OUTPUT DIFFERS"
            print(line, flush=True)


if __name__ == "__main__":
    main()
