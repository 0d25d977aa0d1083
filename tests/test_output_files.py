"""Output files (``--output FILE``): symlinks, devices, FIFOs, modes, read-only and full targets."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from isspass import storage
from isspass.errors import OutputError
from isspass.storage import atomic_write, open_output, write_output

NEW = b"BEGIN:VCALENDAR\r\nnew\r\nEND:VCALENDAR\r\n"
OLD = b"BEGIN:VCALENDAR\r\nold\r\nEND:VCALENDAR\r\n"


@pytest.fixture(autouse=True)
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _existing(path: Path, mode: int, content: bytes = OLD) -> Path:
    path.write_bytes(content)
    os.chmod(path, mode)
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _no_temp_files(*directories: Path) -> bool:
    return not [p for d in directories for p in d.iterdir() if p.name.endswith(".tmp")]


def _device(path: Path, minor: int) -> Path:
    """A twin of /dev/null (minor 3) or /dev/full (minor 7) in a test directory."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating device files needs root")
    return path


# --------------------------------------------------------------------------- regular files


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask, expected):
    os.umask(umask)
    write_output(tmp_path / "passes.ics", NEW)
    assert (tmp_path / "passes.ics").read_bytes() == NEW
    assert _mode(tmp_path / "passes.ics") == expected
    assert _no_temp_files(tmp_path)


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o640, 0o664, 0o666, 0o200])
def test_an_existing_file_keeps_its_mode(tmp_path, mode):
    target = _existing(tmp_path / "passes.ics", mode)
    write_output(target, NEW)
    os.chmod(target, 0o600)  # so that a 0o200 file can be read back
    assert target.read_bytes() == NEW
    target.chmod(mode)
    assert _mode(target) == mode


def test_the_replacement_is_a_new_inode_and_atomic(tmp_path):
    target = _existing(tmp_path / "passes.ics", 0o644)
    before = os.stat(target).st_ino
    with open_output(target) as handle:
        handle.write("first half\n")
        assert target.read_bytes() == OLD  # readers see the old file until the block ends
        handle.write("second half\n")
    assert target.read_text() == "first half\nsecond half\n"
    assert os.stat(target).st_ino != before
    assert _no_temp_files(tmp_path)


def test_setuid_bits_are_not_carried_over(tmp_path):
    target = _existing(tmp_path / "tool", 0o4755)
    write_output(target, NEW)
    assert _mode(target) == 0o755


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_root_keeps_the_owner_of_a_user_file(tmp_path):
    target = _existing(tmp_path / "passes.ics", 0o644)
    os.chown(target, 12345, 23456)
    write_output(target, NEW)
    status = os.stat(target)
    assert (status.st_uid, status.st_gid, target.read_bytes()) == (12345, 23456, NEW)


def test_streamed_text_output(tmp_path):
    with open_output(tmp_path / "passes.csv") as handle:
        for i in range(1000):
            handle.write(f"row {i}\r\n")
    assert (tmp_path / "passes.csv").read_bytes() == b"".join(b"row %d\r\n" % i for i in range(1000))


def test_an_exception_inside_the_block_passes_through_and_keeps_the_file(tmp_path):
    target = _existing(tmp_path / "passes.csv", 0o644)
    with pytest.raises(KeyError, match="observer"), open_output(target) as handle:
        handle.write("half a file")
        raise KeyError("observer")
    assert target.read_bytes() == OLD and _mode(target) == 0o644
    assert _no_temp_files(tmp_path)


def test_the_cache_keeps_its_private_files(tmp_path):
    atomic_write(tmp_path / "25544.json", b"{}")
    assert _mode(tmp_path / "25544.json") == 0o600


# --------------------------------------------------------------------------- symlinks


def test_a_symlink_is_written_through_and_stays_a_symlink(tmp_path):
    elsewhere = tmp_path / "calendars"
    elsewhere.mkdir()
    real = _existing(elsewhere / "iss.ics", 0o644)
    link = tmp_path / "iss.ics"
    link.symlink_to(Path("calendars") / "iss.ics")
    write_output(link, NEW)
    assert link.is_symlink() and os.readlink(link) == str(Path("calendars") / "iss.ics")
    assert real.read_bytes() == NEW and _mode(real) == 0o644
    assert _no_temp_files(tmp_path, elsewhere)


def test_a_chain_of_symlinks_reaches_the_file(tmp_path):
    real = _existing(tmp_path / "real.ics", 0o640)
    (tmp_path / "one").symlink_to(real)
    (tmp_path / "two").symlink_to(tmp_path / "one")
    write_output(tmp_path / "two", NEW)
    assert (tmp_path / "two").is_symlink() and (tmp_path / "one").is_symlink()
    assert real.read_bytes() == NEW and _mode(real) == 0o640


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "iss.ics"
    link.symlink_to(tmp_path / "made.ics")
    write_output(link, NEW)
    assert link.is_symlink() and (tmp_path / "made.ics").read_bytes() == NEW
    assert _mode(tmp_path / "made.ics") == 0o644


def test_a_symlink_loop_is_a_clean_error(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(OutputError) as caught:
        write_output(tmp_path / "a", NEW)
    assert str(caught.value) == f"cannot write {tmp_path / 'a'}: Too many levels of symbolic links"


def test_a_symlink_to_a_read_only_file_is_refused(tmp_path):
    real = _existing(tmp_path / "real.ics", 0o444)
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(OutputError, match=r": it is read-only \(mode 0444\)$"):
        write_output(tmp_path / "link", NEW)
    assert real.read_bytes() == OLD and (tmp_path / "link").is_symlink()


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555, 0o000])
def test_a_read_only_file_is_refused_and_left_alone(tmp_path, mode):
    target = _existing(tmp_path / "passes.ics", mode)
    before = os.stat(target)
    with pytest.raises(OutputError) as caught:
        write_output(target, NEW)
    assert str(caught.value) == f"cannot write {target}: it is read-only (mode {mode:04o})"
    after = os.stat(target)
    same = ("st_ino", "st_mode", "st_size", "st_mtime_ns")
    assert [getattr(after, name) for name in same] == [getattr(before, name) for name in same]
    target.chmod(0o600)
    assert target.read_bytes() == OLD
    assert _no_temp_files(tmp_path)


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(OutputError) as caught:
        write_output(tmp_path / "no" / "such" / "passes.ics", NEW)
    assert str(caught.value) == (
        f"cannot write {tmp_path}/no/such/passes.ics: no such directory {tmp_path}/no/such"
    )


def test_a_file_where_the_directory_should_be(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError) as caught:
        write_output(tmp_path / "plain" / "passes.ics", NEW)
    assert str(caught.value) == f"cannot write {tmp_path}/plain/passes.ics: Not a directory"


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(OutputError) as caught:
        write_output(tmp_path, NEW)
    assert str(caught.value) == f"cannot write {tmp_path}: it is a directory"
    assert list(tmp_path.iterdir()) == []


def test_an_empty_name_is_refused():
    with pytest.raises(OutputError, match=r"^cannot write to a file with an empty name$"):
        write_output("", NEW)


def test_a_hostile_path_is_shown_inert(tmp_path):
    hostile = tmp_path / "\x1b[2J\x1b]0;pwned\x07" / "out.ics"
    with pytest.raises(OutputError) as caught:
        write_output(hostile, NEW)
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message
    assert "\\x1b[2J\\x1b]0;pwned\\x07/out.ics: no such directory" in message
    assert "\n" not in message


# --------------------------------------------------------------------------- devices and FIFOs


def test_a_device_is_written_into_and_stays_a_device(tmp_path):
    null = _device(tmp_path / "null", 3)
    write_output(null, NEW * 10_000)
    with open_output(null) as handle:
        handle.write("streamed\n" * 10_000)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_symlink_to_a_device(tmp_path):
    null = _device(tmp_path / "null", 3)
    (tmp_path / "out").symlink_to(null)
    write_output(tmp_path / "out", NEW)
    assert stat.S_ISCHR(os.lstat(null).st_mode) and (tmp_path / "out").is_symlink()


def test_a_full_device_is_a_clean_error(tmp_path):
    full = _device(tmp_path / "full", 7)
    with pytest.raises(OutputError) as caught:
        write_output(full, NEW)
    assert str(caught.value) == f"cannot write {full}: No space left on device"
    with pytest.raises(OutputError) as caught, open_output(full) as handle:
        handle.write("x" * 100_000)  # more than the buffer: fails inside the block
    assert str(caught.value) == f"cannot write {full}: No space left on device"
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_a_fifo_with_a_reader_gets_the_bytes(tmp_path):
    fifo = tmp_path / "passes.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_output(fifo, NEW)
        assert os.read(reader, 1 << 16) == NEW
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["passes.fifo"]


def test_a_fifo_without_a_reader_is_given_up_in_bounded_time(tmp_path):
    fifo = tmp_path / "passes.fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(OutputError) as caught:
        write_output(fifo, NEW, fifo_wait_s=0.3)
    elapsed = time.monotonic() - started
    assert str(caught.value) == f"cannot write {fifo}: no reader opened the FIFO within 0.3 s"
    assert 0.3 <= elapsed < 1.0
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_the_default_fifo_wait_is_documented():
    assert storage.FIFO_WAIT_S == 10.0


def test_a_fifo_whose_reader_leaves_is_a_clean_error(tmp_path):
    fifo = tmp_path / "passes.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    with pytest.raises(OutputError) as caught, open_output(fifo, "wb") as handle:
        os.close(reader)
        handle.write(b"x" * 100_000)
    assert str(caught.value) == f"cannot write {fifo}: Broken pipe"


def test_a_unix_socket_is_a_clean_error(tmp_path):
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OutputError) as caught:
            write_output(path, NEW)
    assert str(caught.value) == f"cannot write {path}: No such device or address"


# --------------------------------------------------------------------------- full disks


def _disk_full_after(monkeypatch, limit_bytes: int) -> None:
    """Writes beneath the output handle fail with ENOSPC once ``limit_bytes`` are written."""
    written = [0]

    class FullDisk(io.FileIO):
        def write(self, data):
            if written[0] + len(data) > limit_bytes:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written[0] += len(data)
            return super().write(data)

    class Sink(storage._Sink, FullDisk):
        pass

    monkeypatch.setattr(storage, "_Sink", Sink)


def test_a_full_disk_keeps_the_previous_file(tmp_path, monkeypatch):
    target = _existing(tmp_path / "passes.ics", 0o644)
    _disk_full_after(monkeypatch, 1000)
    with pytest.raises(OutputError) as caught:
        write_output(target, b"x" * 100_000)
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == OLD and _mode(target) == 0o644
    assert _no_temp_files(tmp_path)


def test_a_full_disk_at_the_last_flush_keeps_the_previous_file(tmp_path, monkeypatch):
    target = _existing(tmp_path / "passes.ics", 0o644)
    _disk_full_after(monkeypatch, 2)
    with pytest.raises(OutputError) as caught, open_output(target) as handle:
        handle.write("short")  # buffered: the failure comes when the block ends
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == OLD and _no_temp_files(tmp_path)


def test_a_full_disk_while_streaming_keeps_the_previous_file(tmp_path, monkeypatch):
    target = _existing(tmp_path / "passes.csv", 0o644)
    _disk_full_after(monkeypatch, 50_000)
    rows = 0
    with pytest.raises(OutputError) as caught, open_output(target) as handle:
        for i in range(100_000):
            handle.write(f"row {i}\n")
            rows += 1
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert rows < 100_000  # the error stopped the loop
    assert target.read_bytes() == OLD and _no_temp_files(tmp_path)


@contextlib.contextmanager
def _tiny_filesystem(where: Path, size_kib: int):
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)],
        capture_output=True,
        timeout=10,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], capture_output=True, timeout=10, check=False)


def test_a_really_full_filesystem_keeps_the_previous_file(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    with _tiny_filesystem(tmp_path / "small", 64) as small:
        target = _existing(small / "passes.ics", 0o644, OLD * 100)
        with pytest.raises(OutputError) as caught:
            write_output(target, b"x" * 200_000)
        assert str(caught.value) == f"cannot write {target}: No space left on device"
        assert target.read_bytes() == OLD * 100 and _mode(target) == 0o644
        assert _no_temp_files(small)
