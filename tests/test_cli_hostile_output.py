"""The installed command writing where it is told: symlinks, devices, FIFOs, modes, full and closed stdout.

Each case runs ``isspass`` (and ``isspass batch``) in a process of its own and checks the exit
code, the one line on stderr, and what became of the file it was pointed at.
"""

from __future__ import annotations

import os
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from gp_server import GPServer
from hostile_cli import NEAR_EPOCH, ZURICH, Ran, World, device, fails, succeeds

#: The bundled elements and a window long past: a run that never needs the network.
MAIN = (*ZURICH, *NEAR_EPOCH)
PLACES = "name,lat,lon\nZurich,47.37,8.54\nBerlin,52.52,13.40\n"
OLD = b"the previous report\n"
#: storage.FIFO_WAIT_S: how long an output FIFO may go without a reader (not configurable).
FIFO_WAIT_S = 10.0


@pytest.fixture
def world(tmp_path: Path):
    """A private world whose elements URL is a live test server: no run may ask it anything."""
    with GPServer() as server:
        world = World(tmp_path)
        world.env["ISSPASS_ELEMENTS_URL"] = server.url
        yield world
        assert server.requests == []


@pytest.fixture(params=["main", "batch"])
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


def command(world: World, kind: str, *extra: str) -> list[str]:
    """The main command's or batch's arguments for the same quiet, offline-by-date run."""
    if kind == "main":
        return [*MAIN, *extra]
    places = world.root / "places.csv"
    places.write_text(PLACES)
    return ["batch", str(places), *NEAR_EPOCH, *extra]


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What each kind of run prints on stdout: the bytes every output file must then hold."""
    reference = World(tmp_path_factory.mktemp("reference"))
    found = {kind: succeeds(reference.run(*command(reference, kind))) for kind in ("main", "batch")}
    assert found["main"].startswith(b"ISS (ZARYA)") and found["batch"].startswith(b"name,latitude,")
    return found


def run(world: World, kind: str, *extra: str, **kwargs: object) -> Ran:
    ran = world.run(*command(world, kind, *extra), **kwargs)  # type: ignore[arg-type]
    assert world.snapshot() == {}  # a window in the past: no refresh, nothing cached
    return ran


def existing(path: Path, mode: int, content: bytes = OLD) -> Path:
    path.write_bytes(content)
    os.chmod(path, mode)
    return path


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --------------------------------------------------------------------------- symlinks


def test_a_symlink_to_a_file_updates_the_target_and_keeps_the_link(world, kind, expected):
    target = existing(world.root / "passes.txt", 0o640)
    link = world.root / "latest"
    link.symlink_to(target)
    assert succeeds(run(world, kind, "--output", str(link))) == b""
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == expected[kind] and mode_of(target) == 0o640


def test_a_dangling_symlink_creates_its_target(world, kind, expected):
    link = world.root / "latest"
    link.symlink_to(world.root / "not-yet.txt")
    succeeds(run(world, kind, "--output", str(link)))
    assert link.is_symlink() and (world.root / "not-yet.txt").read_bytes() == expected[kind]


def test_a_symlink_to_a_directory_is_refused(world, kind):
    directory = world.root / "reports"
    directory.mkdir()
    existing(directory / "keep.txt", 0o644)
    link = world.root / "latest"
    link.symlink_to(directory)
    fails(run(world, kind, "--output", str(link)), 1, f"cannot write {link}: it is a directory")
    assert link.is_symlink() and os.listdir(directory) == ["keep.txt"]
    assert (directory / "keep.txt").read_bytes() == OLD


# --------------------------------------------------------------------------- devices and FIFOs


def test_a_null_device_twin_is_written_into_and_stays_a_device(world, kind):
    null = device(world.root / "null", 3)
    succeeds(run(world, kind, "--output", str(null)))
    status = os.stat(null)
    assert stat.S_ISCHR(status.st_mode) and status.st_rdev == os.makedev(1, 3)


def test_a_full_device_twin_is_a_clean_error(world, kind):
    full = device(world.root / "full", 7)
    fails(run(world, kind, "--output", str(full)), 1, f"cannot write {full}: No space left on device")
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_a_fifo_with_a_reader_gets_the_report(world, kind, expected):
    fifo = world.root / "passes.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        succeeds(run(world, kind, "--output", str(fifo)))
        received, _ = reader.communicate(timeout=10)
    finally:
        reader.kill()
        reader.wait()
    assert received == expected[kind] and stat.S_ISFIFO(os.stat(fifo).st_mode)


# --------------------------------------------------------------------------- regular files and directories


@pytest.mark.parametrize("mode", [0o644, 0o600])
def test_a_regular_file_is_replaced_and_keeps_its_mode(world, kind, expected, mode):
    target = existing(world.root / "passes.txt", mode)
    succeeds(run(world, kind, "--output", str(target)))
    assert target.read_bytes() == expected[kind] and mode_of(target) == mode
    assert [p.name for p in world.root.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("mode", [0o644, 0o600])
def test_an_ics_file_keeps_its_mode(world, mode):
    target = existing(world.root / "iss.ics", mode)
    succeeds(world.run(*MAIN, "--format", "ics", "--output", str(target)))
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n") and mode_of(target) == mode


def test_a_read_only_file_is_refused_and_left_alone(world, kind):
    target = existing(world.root / "passes.txt", 0o444)
    fails(run(world, kind, "--output", str(target)), 1, f"cannot write {target}: it is read-only (mode 0444)")
    assert target.read_bytes() == OLD and mode_of(target) == 0o444


def test_a_missing_directory_is_named(world, kind):
    target = world.root / "no-such-dir" / "passes.txt"
    fails(run(world, kind, "--output", str(target)), 1, f"no such directory {target.parent}")
    assert not target.parent.exists()


def test_a_directory_is_refused(world, kind):
    directory = world.root / "reports"
    directory.mkdir()
    existing(directory / "keep.txt", 0o644)
    fails(run(world, kind, "--output", str(directory)), 1, f"cannot write {directory}: it is a directory")
    assert os.listdir(directory) == ["keep.txt"] and (directory / "keep.txt").read_bytes() == OLD


# --------------------------------------------------------------------------- stdout itself


def test_stdout_on_a_full_device(world, kind):
    with open(device(world.root / "full", 7), "wb") as full:
        ran = run(world, kind, stdout=full)
    fails(ran, 1, "cannot write to standard output (No space left on device)")


def test_stdout_closed(world, kind):
    fails(run(world, kind, shell_redirect=">&-"), 1, "cannot write to standard output: it is closed")


def test_stdout_a_pipe_nobody_reads_any_more(world, kind):
    """``isspass … | head -1``: the reader has had what it wanted; no message, success."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        ran = run(world, kind, stdout=write_end)
    finally:
        os.close(write_end)
    assert (ran.code, ran.err) == (0, "")


@pytest.mark.parametrize("args", [["elements"], ["config"], ["--help"], ["--version"], ["batch", "--help"]])
def test_what_the_other_commands_print_on_a_full_device(world, args):
    with open(device(world.root / "full", 7), "wb") as full:
        ran = world.run(*args, stdout=full)
    fails(ran, 1, "cannot write to standard output (No space left on device)")


# --------------------------------------------------------------------------- a FIFO nobody reads


@pytest.fixture(scope="module", autouse=True)
def unread_fifos(tmp_path_factory: pytest.TempPathFactory):
    """Both commands writing into a FIFO nobody opens, started with the module: the wait
    (storage.FIFO_WAIT_S, 10 s, not configurable) passes in the background of its other tests."""
    world = World(tmp_path_factory.mktemp("unread-fifo"))
    runs = {}
    try:
        for kind in ("main", "batch"):
            fifo = world.root / f"{kind}.fifo"
            os.mkfifo(fifo)
            runs[kind] = (fifo, Timed(world.popen(*command(world, kind, "--output", str(fifo)))))
        yield runs
    finally:
        for _, timed in runs.values():
            timed.process.kill()
            timed.process.communicate()


class Timed:
    """A process and how long it ran, measured by a thread that waits for its end."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.started = time.monotonic()
        self.ended: list[float] = []
        waiter = threading.Thread(target=lambda: (process.wait(), self.ended.append(time.monotonic())))
        waiter.daemon = True
        waiter.start()

    def result(self, timeout_s: float) -> Ran:
        out, err = self.process.communicate(timeout=timeout_s)
        for _ in range(100):
            if self.ended:
                break
            time.sleep(0.01)
        return Ran(self.process.returncode, out, err, self.ended[0] - self.started)


def test_a_fifo_without_a_reader_is_given_up_after_a_bounded_wait(unread_fifos):
    for fifo, timed in unread_fifos.values():
        ran = timed.result(FIFO_WAIT_S + 20)
        fails(ran, 1, f"cannot write {fifo}: no reader opened the FIFO within {FIFO_WAIT_S:g} s")
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert FIFO_WAIT_S <= ran.seconds < FIFO_WAIT_S + 8
