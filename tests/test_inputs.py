"""Bounded input: element-sized files, config files, stdin and line streams against hostile sources."""

from __future__ import annotations

import functools
import io
import itertools
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isspass import config as config_module
from isspass.cli import cli
from isspass.config import load_config
from isspass.errors import ConfigError, ElementsError, ElementsMissingError, IsspassError
from isspass.inputs import (
    CONFIG_LIMIT_BYTES,
    ELEMENTS_LIMIT_BYTES,
    LINE_LIMIT_BYTES,
    amount,
    iter_file_lines_bounded,
    iter_lines_bounded,
    read_file_bounded,
    read_stream_bounded,
)
from isspass.locations import read_locations

TLE = b"ISS (ZARYA)\n1 25544U 98067A   26267.14191496  .00009634  00000+0  18116-3 0  9999\n"


def _elements(path, **kw):
    return read_file_bounded(
        path, ELEMENTS_LIMIT_BYTES, "element file", error=ElementsError, missing_error=ElementsMissingError,
        **kw,
    )  # fmt: skip


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "in.fifo"
    os.mkfifo(path)
    return path


def _write_later(path: Path, pieces: list[bytes], pause_s: float) -> threading.Thread:
    """A writer that opens ``path`` and sends ``pieces`` ``pause_s`` apart; it gives up when nobody reads."""

    def write() -> None:
        try:
            fd = os.open(path, os.O_WRONLY)  # blocks until the reader opens: the reader always does
        except OSError:
            return
        try:
            for piece in pieces:
                time.sleep(pause_s)
                os.write(fd, piece)
        except OSError:  # the reader gave up: EPIPE
            pass
        finally:
            os.close(fd)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_the_caps():
    assert (ELEMENTS_LIMIT_BYTES, CONFIG_LIMIT_BYTES, LINE_LIMIT_BYTES) == (32 << 20, 1 << 20, 64 << 10)
    assert [amount(n) for n in (32 << 20, 1 << 20, 64 << 10, 1000, 3 << 30)] == [
        "32 MiB", "1 MiB", "64 KiB", "1000 bytes", "3 GiB"
    ]  # fmt: skip


# --------------------------------------------------------------------------- files


def test_a_file_within_the_cap(tmp_path):
    (tmp_path / "iss.tle").write_bytes(TLE)
    assert _elements(tmp_path / "iss.tle") == TLE
    assert read_file_bounded(tmp_path / "iss.tle", len(TLE), "element file") == TLE


def test_one_byte_over_the_cap(tmp_path):
    (tmp_path / "iss.tle").write_bytes(TLE)
    with pytest.raises(ElementsError) as caught:
        read_file_bounded(tmp_path / "iss.tle", len(TLE) - 1, "element file", error=ElementsError)
    assert str(caught.value) == f"element file {tmp_path}/iss.tle: larger than the {len(TLE) - 1} bytes limit"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_are_refused_quickly(device):
    started = time.monotonic()
    with pytest.raises(ElementsError) as caught:
        _elements(device)
    assert str(caught.value) == f"element file {device}: larger than the 32 MiB limit"
    assert time.monotonic() - started < 2.0


def test_a_symlink_to_dev_zero(tmp_path):
    (tmp_path / "iss.tle").symlink_to("/dev/zero")
    with pytest.raises(ElementsError, match=r"iss\.tle: larger than the 32 MiB limit$"):
        _elements(tmp_path / "iss.tle")


def test_a_sparse_file_of_eight_gigabytes_is_refused_from_its_size(tmp_path):
    sparse = tmp_path / "huge.tle"
    with open(sparse, "wb") as handle:
        handle.truncate(8 << 30)
    started = time.monotonic()
    with pytest.raises(ElementsError) as caught:
        _elements(sparse)
    assert str(caught.value) == f"element file {sparse}: larger than the 32 MiB limit"
    assert time.monotonic() - started < 0.2


def test_dev_null_is_empty():
    assert _elements("/dev/null") == b""


def test_a_missing_file_raises_the_missing_error(tmp_path):
    with pytest.raises(ElementsMissingError) as caught:
        _elements(tmp_path / "nope.tle")
    assert str(caught.value) == f"element file {tmp_path}/nope.tle: no such file"
    with pytest.raises(ConfigError, match=r"nope\.toml: no such file$"):
        read_file_bounded(tmp_path / "nope.toml", 10, "config file", error=ConfigError)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(ElementsError) as caught:
        _elements(tmp_path)
    assert type(caught.value) is ElementsError
    assert str(caught.value) == f"element file {tmp_path}: is a directory"


def test_a_nul_in_the_name_is_a_clean_error():
    with pytest.raises(ElementsError) as caught:
        _elements("iss\x00.tle")
    assert str(caught.value) == "element file iss\\x00.tle: cannot read (embedded null byte)"


def test_a_hostile_name_is_shown_inert(tmp_path):
    with pytest.raises(ElementsMissingError) as caught:
        _elements(tmp_path / "\x1b]0;pwned\x07\u202e.tle")
    assert str(caught.value).endswith("/\\x1b]0;pwned\\x07\\u202e.tle: no such file")


def test_a_fifo_without_a_writer_is_given_up_in_bounded_time(fifo):
    started = time.monotonic()
    with pytest.raises(ElementsError) as caught:
        _elements(fifo, timeout_s=0.3)
    elapsed = time.monotonic() - started
    assert str(caught.value) == (
        f"element file {fifo}: nothing arrived within 0.3 s (is anything writing to it?)"
    )
    assert 0.3 <= elapsed < 1.0


def test_a_fifo_with_a_writer(fifo):
    writer = _write_later(fifo, [TLE[:10], TLE[10:]], 0.05)
    assert _elements(fifo, timeout_s=5) == TLE
    writer.join(5)


def test_a_trickling_fifo_is_cut_off_at_the_deadline(fifo):
    writer = _write_later(fifo, [b"1"] * 100, 0.05)
    started = time.monotonic()
    with pytest.raises(ElementsError, match=r"in\.fifo: did not end within 0\.5 s \(\d+ bytes read\)$"):
        _elements(fifo, timeout_s=0.5)
    assert time.monotonic() - started < 1.0
    writer.join(10)
    assert not writer.is_alive()


def test_a_flooding_fifo_is_cut_off_at_the_cap(fifo):
    writer = _write_later(fifo, [b"x" * 65536] * 100, 0.0)
    with pytest.raises(ElementsError) as caught:
        read_file_bounded(fifo, 1 << 20, "element file", error=ElementsError, timeout_s=5)
    assert str(caught.value) == f"element file {fifo}: larger than the 1 MiB limit"
    writer.join(5)
    assert not writer.is_alive()


# --------------------------------------------------------------------------- streams


def test_a_stream_within_the_cap():
    assert read_stream_bounded(io.BytesIO(TLE), 1000, "stdin") == TLE
    assert read_stream_bounded(io.StringIO("ISS"), 1000, "stdin") == b"ISS"


def test_a_stream_over_the_cap():
    with pytest.raises(ElementsError) as caught:
        read_stream_bounded(io.BytesIO(b"x" * 1001), 1000, "stdin", error=ElementsError)
    assert str(caught.value) == "stdin: larger than the 1000 bytes limit"


def test_a_closed_stream_is_refused():
    closed = io.BytesIO(b"x")
    closed.close()
    for stream in (closed, None):
        with pytest.raises(ElementsMissingError) as caught:
            read_stream_bounded(stream, 10, "stdin", error=ElementsMissingError)
        assert str(caught.value) == "stdin is closed"


def test_stdin_from_dev_zero_is_refused_quickly():
    started = time.monotonic()
    with open("/dev/zero", "rb") as stdin, pytest.raises(ElementsError) as caught:
        read_stream_bounded(stdin, ELEMENTS_LIMIT_BYTES, "stdin", error=ElementsError)
    assert str(caught.value) == "stdin: larger than the 32 MiB limit"
    assert time.monotonic() - started < 2.0


def test_stdin_from_a_sparse_file_is_refused_from_its_size(tmp_path):
    with open(tmp_path / "huge", "wb") as handle:
        handle.truncate(8 << 30)
    with open(tmp_path / "huge", "rb") as stdin, pytest.raises(ElementsError, match="32 MiB limit"):
        read_stream_bounded(stdin, ELEMENTS_LIMIT_BYTES, "stdin", error=ElementsError)


def test_a_pipe_that_ends():
    read_end, write_end = os.pipe()
    os.write(write_end, TLE)
    os.close(write_end)
    with open(read_end, "rb") as stdin:
        assert read_stream_bounded(stdin, 1000, "stdin") == TLE


def test_a_pipe_that_never_ends_is_given_up():
    read_end, write_end = os.pipe()
    os.write(write_end, b"1 25544U")
    started = time.monotonic()
    try:
        with open(read_end, "rb") as stdin, pytest.raises(ElementsError) as caught:
            read_stream_bounded(stdin, 1000, "stdin", error=ElementsError, timeout_s=0.3)
    finally:
        os.close(write_end)
    assert str(caught.value) == "stdin: did not end within 0.3 s (8 bytes read)"
    assert time.monotonic() - started < 1.0


def test_an_empty_pipe_that_never_ends_is_given_up():
    read_end, write_end = os.pipe()
    try:
        with open(read_end, "rb") as stdin, pytest.raises(ElementsError) as caught:
            read_stream_bounded(stdin, 1000, "stdin", error=ElementsError, timeout_s=0.2)
    finally:
        os.close(write_end)
    assert str(caught.value) == "stdin: nothing arrived within 0.2 s (is anything writing to it?)"


# --------------------------------------------------------------------------- lines


def test_lines_keep_their_ends_and_drop_the_bom():
    data = b'\xef\xbb\xbfname,lat,lon\r\n"Zur\nich",47.37,8.54\nlast,1,2'
    assert list(iter_lines_bounded(io.BytesIO(data), "locations.csv")) == [
        "name,lat,lon\r\n", '"Zur\n', 'ich",47.37,8.54\n', "last,1,2"
    ]  # fmt: skip


def test_a_line_at_the_cap_passes_and_one_byte_more_does_not():
    at_cap = b"a\n" + b"x" * 100 + b"\nz\n"
    assert len(list(iter_lines_bounded(io.BytesIO(at_cap), "x", limit_bytes=100))) == 3
    with pytest.raises(ValueError) as caught:
        stream = io.BytesIO(b"a\n" + b"x" * 101 + b"\nz\n")
        list(iter_lines_bounded(stream, "x", limit_bytes=100, error=ValueError))
    assert str(caught.value) == "x, line 2: longer than the 100 bytes limit"


def test_a_line_without_end_from_dev_zero():
    started = time.monotonic()
    with open("/dev/zero", "rb") as stream, pytest.raises(ValueError) as caught:
        list(iter_lines_bounded(stream, "locations", error=ValueError))
    assert str(caught.value) == "locations, line 1: longer than the 64 KiB limit"
    assert time.monotonic() - started < 1.0


def test_bytes_that_are_not_utf8_name_the_line():
    with pytest.raises(ValueError) as caught:
        list(iter_lines_bounded(io.BytesIO(b"a\nb\n\xff\xfe\n"), "locations.csv", error=ValueError))
    assert str(caught.value) == "locations.csv, line 3: not UTF-8 text"


def test_many_lines_stream_without_a_whole_file_cap():
    class Rows(io.RawIOBase):
        """200 000 rows, made as they are read (14 MB that never exist at once)."""

        def __init__(self) -> None:
            self.rows = (b"place %06d,47.37,8.54\n" % i for i in range(200_000))

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return b"".join(itertools.islice(self.rows, 1000))

    count = sum(1 for _ in iter_lines_bounded(Rows(), "locations"))
    assert count == 200_000


def test_a_silent_pipe_names_the_line_it_waits_for():
    read_end, write_end = os.pipe()
    os.write(write_end, b"name,lat,lon\nA,1,2\n")
    try:
        with open(read_end, "rb") as stream, pytest.raises(ValueError) as caught:
            list(iter_lines_bounded(stream, "stdin", error=ValueError, idle_timeout_s=0.2))
    finally:
        os.close(write_end)
    assert str(caught.value) == "stdin, line 3: nothing arrived for 0.2 s"


def test_file_lines(tmp_path, fifo):
    (tmp_path / "places.csv").write_bytes(b"name,lat,lon\nA,1,2\n")
    assert list(iter_file_lines_bounded(tmp_path / "places.csv", "")) == ["name,lat,lon\n", "A,1,2\n"]
    with pytest.raises(ValueError, match=r"nope\.csv: no such file$"):
        list(iter_file_lines_bounded(tmp_path / "nope.csv", "", error=ValueError))
    with pytest.raises(ValueError, match=r"is a directory$"):
        list(iter_file_lines_bounded(tmp_path, "", error=ValueError))
    with pytest.raises(ValueError, match=r"in\.fifo, line 1: nothing arrived for 0\.2 s$"):
        list(iter_file_lines_bounded(fifo, "", error=ValueError, idle_timeout_s=0.2))


def test_locations_from_streamed_lines():
    lines = iter_lines_bounded(io.BytesIO(b'name,lat,lon\nA,1,2\n"B\nC",3,4\nD,x\x1b[2J,5\n'), "locations")
    places, errors = read_locations(lines)
    assert [(p.line, p.name) for p in places] == [(2, "A"), (4, "B\\x0aC")]  # names are made inert
    assert [(e.line, e.message) for e in errors] == [(5, "lat 'x\\x1b[2J' is not a number")]


def test_an_unterminated_quote_is_a_clean_error():
    lines = iter_lines_bounded(io.BytesIO(b'name,lat,lon\n"A,1,2\n' + b"x,1,2\n" * 30_000), "locations")
    with pytest.raises(ValueError, match=r"^line \d+: field larger than field limit \(131072\)$"):
        read_locations(lines)


# --------------------------------------------------------------------------- the config file


def test_config_named_by_the_environment_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("ISSPASS_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert str(caught.value) == f"config file {tmp_path}/missing.toml: no such file (named by ISSPASS_CONFIG)"
    result = CliRunner().invoke(cli, ["config"])
    assert result.exit_code == 7
    assert result.stderr == f"isspass: {caught.value}\n"


def test_config_at_the_default_location_may_be_absent(tmp_path, monkeypatch):
    monkeypatch.delenv("ISSPASS_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert not config_module.config_path().exists()
    assert load_config() == {}


def test_config_given_as_a_path_must_exist(tmp_path):
    with pytest.raises(ConfigError, match=r"^config file .*/none\.toml: no such file$"):
        load_config(tmp_path / "none.toml")


def test_config_over_a_mebibyte_is_refused(tmp_path):
    big = tmp_path / "config.toml"
    big.write_bytes(b"# padding\n" * 110_000)
    with pytest.raises(ConfigError) as caught:
        load_config(big)
    assert str(caught.value) == f"config file {big}: larger than the 1 MiB limit"


def test_config_from_dev_zero_or_a_directory(tmp_path):
    with pytest.raises(ConfigError, match=r"^config file /dev/zero: larger than the 1 MiB limit$"):
        load_config(Path("/dev/zero"))
    with pytest.raises(ConfigError, match=r"is a directory$"):
        load_config(tmp_path)


def test_config_fifo_without_a_writer(fifo, monkeypatch):
    quick = functools.partial(read_file_bounded, timeout_s=0.2)
    monkeypatch.setattr(config_module, "read_file_bounded", quick)
    started = time.monotonic()
    with pytest.raises(ConfigError, match=r"nothing arrived within 0\.2 s"):
        load_config(fifo)
    assert time.monotonic() - started < 1.0


def test_config_still_reads_settings(tmp_path):
    (tmp_path / "c.toml").write_bytes(b'lat = 47.37\ntz = "Europe/Zurich"\n[batch]\nmin-elevation = 5\n')
    settings = {"lat": 47.37, "tz": "Europe/Zurich", "batch": {"min_elevation": 5}}
    assert load_config(tmp_path / "c.toml") == settings


# --------------------------------------------------------------------------- random bytes


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.integers(min_value=0, max_value=2000))
def test_random_bytes_through_the_stream_reader(data, limit):
    try:
        got = read_stream_bounded(io.BytesIO(data), limit, "stdin", error=ValueError)
    except ValueError as exc:
        assert len(data) > limit and str(exc) == f"stdin: larger than the {amount(limit)} limit"
    else:
        assert len(data) <= limit and got == data


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000), st.integers(min_value=0, max_value=2000))
def test_random_bytes_through_the_file_reader(tmp_path, data, limit):
    path = tmp_path / "random.bin"
    path.write_bytes(data)
    try:
        assert read_file_bounded(path, limit, "f", error=ValueError) == data and len(data) <= limit
    except ValueError as exc:
        assert len(data) > limit and str(exc).endswith("limit")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.integers(min_value=1, max_value=300))
def test_random_bytes_through_the_line_reader(data, limit):
    try:
        lines = list(iter_lines_bounded(io.BytesIO(data), "x", limit_bytes=limit, error=IsspassError))
    except IsspassError as exc:
        assert "longer than the" in str(exc) or "not UTF-8 text" in str(exc)
        return
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    assert "".join(lines).encode("utf-8") == body
    assert all(len(line.rstrip("\n").encode("utf-8")) <= limit for line in lines)
    assert all(line.endswith("\n") for line in lines[:-1])
