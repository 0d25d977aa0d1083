"""Running the installed command in a process of its own, in a private and hostile world.

Each run gets a fresh environment built from nothing (no proxies, no user settings): a
private home, config file and cache, and an elements URL that is a closed port unless the
test names its own server. ``fails`` and ``succeeds`` check what a cron job would mail.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
DATA = Path(__file__).parent / "data"
#: Nothing listens on the discard port of 127.0.0.1: a refused connection, never the internet.
CLOSED_URL = "http://127.0.0.1:9/gp.php"
ZURICH = ("--lat", "47.37", "--lon", "8.54")
NEAR_EPOCH = ("--start", "2026-09-24", "--days", "1")
OMM_RECORD = json.loads((DATA / "iss-omm.json").read_text())[0]
HOUR = 3600.0
DAY = 86400.0
#: Characters that steer a terminal or reorder text: ESC, BEL, CSI (C1, and a raw 0x9b byte
#: as it decodes with surrogateescape), the right-to-left override.
STEERING = ("\x1b", "\x07", "\x9b", "\udc9b", "\u202e")


@dataclass(frozen=True)
class Ran:
    """What a run left: its exit code, stdout's bytes, stderr's bytes and its wall time."""

    code: int
    out: bytes
    err_bytes: bytes
    seconds: float

    @property
    def err(self) -> str:
        return self.err_bytes.decode("utf-8", "replace")

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


class World:
    """A private home, config file and cache for the command; ``env`` is what each run gets."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.config = root / "config.toml"
        self.config.write_bytes(b"")
        self.cache = root / "cache"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(SRC),
            "HOME": str(self.home),
            "LC_ALL": "C.UTF-8",
            "ISSPASS_CONFIG": str(self.config),
            "ISSPASS_CACHE_DIR": str(self.cache),
            "ISSPASS_ELEMENTS_URL": CLOSED_URL,
            "ISSPASS_OEM_URL": "none",  # no trajectory fetch: never a server outside this machine
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "isspass", *args]

    def run(
        self,
        *args: str,
        stdin: int | object = subprocess.DEVNULL,
        stdout: int | object = subprocess.PIPE,
        env: dict[str, str | None] | None = None,
        shell_redirect: str = "",
        timeout: float = 60.0,
    ) -> Ran:
        """Run ``isspass ARGS``; ``shell_redirect`` (e.g. ``>&-``) is applied by a shell."""
        command = self.command(*args)
        if shell_redirect:
            command = ["/bin/sh", "-c", f'exec "$@" {shell_redirect}', "sh", *command]
        merged = {**self.env, **(env or {})}
        environment = {key: value for key, value in merged.items() if value is not None}
        started = time.monotonic()
        done = subprocess.run(
            command,
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=environment,
            timeout=timeout,
            check=False,
        )
        out = done.stdout if isinstance(done.stdout, bytes) else b""
        return Ran(done.returncode, out, done.stderr, time.monotonic() - started)

    def popen(self, *args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(*args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**self.env, **(env or {})},
            **kwargs,  # type: ignore[arg-type]
        )

    # ---- the cache, as an earlier run would have left it

    def cache_holds(self, epoch: datetime, fetched_ago_s: float) -> None:
        """ISS elements of ``epoch`` in the cache, last fetched ``fetched_ago_s`` seconds ago."""
        self.cache.mkdir(exist_ok=True)
        (self.cache / "25544.json").write_bytes(omm_at(epoch))
        fetched = time.time() - fetched_ago_s
        entry = {"last_success": fetched, "last_attempt": fetched, "failures": 0, "last_error": None}
        (self.cache / "state.json").write_text(json.dumps({"25544": entry}))

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the cache and its bytes (the lock file aside: it only ever holds nothing)."""
        if not self.cache.is_dir():
            return {}
        return {
            str(p.relative_to(self.cache)): p.read_bytes()
            for p in sorted(self.cache.rglob("*"))
            if p.is_file() and p.name != ".lock"
        }

    def state(self) -> dict:
        return json.loads((self.cache / "state.json").read_text())


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def omm(**fields: object) -> bytes:
    return json.dumps([{**OMM_RECORD, **fields}]).encode()


def omm_at(epoch: datetime, **fields: object) -> bytes:
    return omm(EPOCH=epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"), **fields)


# --------------------------------------------------------------------------- what a cron job mails


def inert_bytes(data: bytes) -> bool:
    """Whether ``data`` holds none of the :data:`STEERING` characters."""
    text = data.decode("utf-8", "surrogateescape")
    return not any(char in text for char in STEERING)


def _clean(ran: Ran) -> None:
    assert "Traceback" not in ran.err and b"Traceback" not in ran.out, ran.err
    assert inert_bytes(ran.err_bytes) and inert_bytes(ran.out), (ran.err, ran.out[:300])


def _warnings(lines: list[str], expected: tuple[str, ...]) -> None:
    assert len(lines) == len(expected), lines
    for line, fragment in zip(lines, expected, strict=True):
        assert line.startswith("isspass: warning: ") and fragment in line, (line, fragment)


def fails(ran: Ran, code: int, *fragments: str, warnings: tuple[str, ...] = (), stdout: bytes = b"") -> str:
    """Exit ``code``, the ``warnings`` (fragments, in order) and then exactly one error line."""
    _clean(ran)
    assert ran.code == code, (ran.code, ran.err)
    assert ran.out == stdout, ran.out[:300]
    lines = ran.lines
    assert lines, "no message at all"
    _warnings(lines[:-1], warnings)
    error = lines[-1]
    assert error.startswith("isspass: ") and not error.startswith("isspass: warning:"), error
    for fragment in fragments:
        assert fragment in error, (fragment, error)
    return error


def succeeds(ran: Ran, *warnings: str) -> bytes:
    """Exit 0, exactly the ``warnings`` on stderr (fragments, in order); returns stdout."""
    _clean(ran)
    assert ran.code == 0, (ran.code, ran.err)
    _warnings(ran.lines, warnings)
    return ran.out


def device(path: Path, minor: int) -> Path:
    """A twin of /dev/null (minor 3), /dev/zero (5), /dev/full (7) or /dev/urandom (9)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating device files needs root")
    return path
