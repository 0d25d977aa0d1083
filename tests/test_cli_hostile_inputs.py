"""The installed command reading what it is handed: endless devices, random bytes, sparse and
huge files, FIFOs, directories, closed stdin, and config files that are not what they seem.

The window starts now, so that a run that wrongly fell back to the cache would ask the test
server: every case checks it saw no request and that nothing was cached.
"""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from gp_server import GPServer
from hostile_cli import DATA, ZURICH, World, device, fails, succeeds

BUNDLED_TLE = (DATA / "iss-2026-history.tle").read_bytes()
NOW = (*ZURICH, "--days", "1")
NEAR_EPOCH = (*ZURICH, "--start", "2026-09-24", "--days", "1")


@pytest.fixture
def world(tmp_path):
    with GPServer() as server:
        world = World(tmp_path)
        world.env["ISSPASS_ELEMENTS_URL"] = server.url
        yield world
        assert server.requests == [] and world.snapshot() == {}


def places(world: World, content: bytes, name: str = "places.csv") -> str:
    path = world.root / name
    path.write_bytes(content)
    return str(path)


# --------------------------------------------------------------------------- --tle


def test_tle_from_a_zero_device_twin(world):
    zero = device(world.root / "zero", 5)
    ran = world.run(*NOW, "--tle", str(zero))
    fails(ran, 4, f"{zero}: larger than the 32 MiB limit")
    assert ran.seconds < 5


def test_tle_from_a_random_device_twin(world):
    urandom = device(world.root / "urandom", 9)
    ran = world.run(*NOW, "--tle", str(urandom))
    fails(ran, 4, f"{urandom}: larger than the 32 MiB limit")
    assert ran.seconds < 5


def test_tle_of_random_bytes(world):
    noise = world.root / "noise.tle"
    noise.write_bytes(bytes(range(256)) * 64 + os.urandom(4096))
    fails(world.run(*NOW, "--tle", str(noise)), 4, f"{noise}: binary data, not an element file")


def test_tle_a_sparse_four_gigabyte_file_is_refused_from_its_size(world):
    sparse = world.root / "sparse.tle"
    subprocess.run(["truncate", "-s", "4G", str(sparse)], check=True)
    ran = world.run(*NOW, "--tle", str(sparse))
    fails(ran, 4, f"{sparse}: larger than the 32 MiB limit")
    assert ran.seconds < 5  # a generous bound for a loaded machine: reading 4 GiB takes far longer


def test_tle_a_33_mib_file_of_real_elements_is_refused_fast(world):
    big = world.root / "catalogue.tle"
    copies = (33 << 20) // len(BUNDLED_TLE) + 1
    big.write_bytes(BUNDLED_TLE * copies)
    ran = world.run(*NOW, "--tle", str(big))
    fails(ran, 4, f"{big}: larger than the 32 MiB limit")
    assert ran.seconds < 5  # a generous bound for a loaded machine


def test_tle_a_fifo_whose_writer_sends_garbage_and_leaves(world):
    """A FIFO nobody writes to is waited on for 60 s (inputs.INPUT_TIMEOUT_S, not configurable,
    covered in test_inputs); here a writer comes, sends garbage and closes."""
    fifo = world.root / "elements.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", 'printf "hello\\033[2J\\nworld\\n" > "$1"', "sh", str(fifo)])
    try:
        fails(world.run(*NOW, "--tle", str(fifo)), 4, f"{fifo}, line 1: not a TLE line: 'hello\\x1b[2J'")
    finally:
        writer.kill()
        writer.wait()


def test_tle_a_fifo_whose_writer_sends_elements(world):
    fifo = world.root / "elements.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", 'cat "$1" > "$2"', "sh", str(DATA / "iss-omm.json"), str(fifo)])
    try:
        report = json.loads(succeeds(world.run(*NEAR_EPOCH, "--format", "json", "--tle", str(fifo))))
    finally:
        writer.kill()
        writer.wait()
    assert report["satellite"]["source"] == str(fifo) and report["passes"]


def test_tle_a_directory(world):
    fails(world.run(*NOW, "--tle", str(world.root)), 4, f"{world.root}: is a directory")


def test_tle_an_omm_file_whose_name_steers_the_terminal(world):
    record = json.loads((DATA / "iss-omm.json").read_text())[0]
    record["OBJECT_NAME"] = "ISS\x1b]0;owned\x07\x1b[2J\u009b31m\u202e"
    hostile = world.root / "hostile.json"
    hostile.write_text(json.dumps([record], ensure_ascii=False))
    error = fails(world.run(*NOW, "--tle", str(hostile)), 4, f"{hostile}, record 1: OBJECT_NAME 'ISS\\x1b]0;")
    assert error.endswith("is not a short line of text")


# --------------------------------------------------------------------------- stdin


def test_tle_stdin_from_a_zero_device_twin(world):
    with open(device(world.root / "zero", 5), "rb") as zero:
        ran = world.run(*NOW, "--tle", "-", stdin=zero)
    fails(ran, 4, "stdin: larger than the 32 MiB limit")
    assert ran.seconds < 5


def test_tle_stdin_at_its_end_at_once(world):
    fails(world.run(*NOW, "--tle", "-", stdin=subprocess.DEVNULL), 4, "stdin: no element sets found")


def test_tle_stdin_a_pipe_whose_writer_has_gone(world):
    read_end, write_end = os.pipe()
    os.close(write_end)
    try:
        ran = world.run(*NOW, "--tle", "-", stdin=read_end)
    finally:
        os.close(read_end)
    fails(ran, 4, "stdin: no element sets found")


def test_tle_stdin_closed(world):
    fails(world.run(*NOW, "--tle", "-", shell_redirect="<&-"), 3, "stdin is closed: no elements to read")


# --------------------------------------------------------------------------- batch


def test_batch_from_a_zero_device_twin(world):
    zero = device(world.root / "zero", 5)
    ran = world.run("batch", str(zero))
    fails(ran, 2, f"{zero}, line 1: longer than the 64 KiB limit")
    assert ran.seconds < 5


def test_batch_a_field_of_200_kib(world):
    path = places(world, b"name,lat,lon\n" + b"x" * (200 << 10) + b",47.37,8.54\nZurich,47.37,8.54\n")
    fails(world.run("batch", path), 2, f"{path}, line 2: longer than the 64 KiB limit")


def test_batch_stdin_closed_asks_for_locations(world):
    error = fails(world.run("batch", "-", shell_redirect="<&-"), 2, "stdin is closed: no locations to read")
    assert "element" not in error


def test_batch_stdin_from_a_zero_device_twin(world):
    with open(device(world.root / "zero", 5), "rb") as zero:
        fails(world.run("batch", "-", stdin=zero), 2, "stdin, line 1: longer than the 64 KiB limit")


# --------------------------------------------------------------------------- the config file


def test_config_a_zero_device_twin(world):
    zero = device(world.root / "zero", 5)
    ran = world.run(*NOW, env={"ISSPASS_CONFIG": str(zero)})
    fails(ran, 7, f"config file {zero}: larger than the 1 MiB limit")
    assert ran.seconds < 5


def test_config_named_but_missing(world):
    missing = world.root / "nope.toml"
    fails(
        world.run(*NOW, env={"ISSPASS_CONFIG": str(missing)}),
        7,
        f"config file {missing}: no such file (named by ISSPASS_CONFIG)",
    )


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("all = 0\n", "all must be true or false, not 0"),
        ("lat = true\n", "lat must be a single number or text, not True"),
        ("days = [1]\n", "days must be a single number or text, not [1]"),
        ("[batch]\ndays = {a=1}\n", "[batch] days must be a single number or text, not {'a': 1}"),
        ("lat = 47.37\nlon = 8.54\n[batch]\nall = 'yes'\n", "[batch] all must be true or false, not 'yes'"),
        ("lat = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply to be a config file"),
        ("lat" + ".x" * 100_000 + " = 1\n", "more than 1000 dotted keys or decimal points"),
        ("lat = 47\n\x1b[2J = 1\n", "not valid TOML (Invalid statement (at line 2, column 1))"),
    ],
    ids=["all-0", "lat-true", "days-list", "batch-days-table", "batch-all-text", "nested", "dotted", "esc"],
)
@pytest.mark.parametrize("subcommand", [(), ("batch", "-")], ids=["main", "batch"])
def test_config_values_of_the_wrong_shape(world, content, fragment, subcommand):
    world.config.write_text(content)
    started = time.monotonic()
    ran = world.run(*subcommand, *NOW)
    fails(ran, 7, f"config file {world.config}: {fragment}")
    assert time.monotonic() - started < 5


def test_config_shows_settings_from_outside_inert(world):
    config = world.root / "config\x1b[31m.toml"
    config.write_text("tz = 'Europe/Zurich'\n")
    env = {"ISSPASS_CONFIG": str(config), "ISSPASS_TLE": "\x1b]0;owned\x07", "ISSPASS_SATELLITE": "\u202eabc"}
    out = succeeds(world.run("config", env=env)).decode()
    assert f"config file: {world.root}/config\\x1b[31m.toml  (set ISSPASS_CONFIG" in out
    assert "tle = \\x1b]0;owned\\x07  [environment ISSPASS_TLE]" in out
    assert "satellite = \\u202eabc  [environment ISSPASS_SATELLITE]" in out
