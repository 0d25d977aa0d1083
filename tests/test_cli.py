"""The command line: every option and format, the errors and their exit codes, config, DST."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import isspass
from conftest import HA_TLE
from isspass import cli as cli_module
from isspass.cli import cli

ZURICH = ["--lat", "47.37", "--lon", "8.54"]
NEAR_EPOCH = ["--start", "2026-09-24"]


@pytest.fixture
def isolated_settings(no_user_state_no_network):
    """The test's private config file (see conftest: nothing of the user's leaks in)."""
    return no_user_state_no_network / "config.toml"


def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def one_line_error(result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("isspass: ")
    for fragment in fragments:
        assert fragment in lines[0]


# --------------------------------------------------------------------------- main job


def test_text_table_for_people():
    result = run(*ZURICH, *NEAR_EPOCH)
    assert result.exit_code == 0
    assert result.stderr == ""  # nothing on stderr when all is well
    lines = result.stdout.splitlines()
    assert lines[0] == "ISS (ZARYA) (NORAD 25544) over 47.3700° N, 8.5400° E, 0 m"
    assert lines[1].startswith("Elements: bundled, epoch 2026-09-24T03:24:21.453Z")
    assert "Europe/Zurich (CEST)" in lines[2]
    # Passes more than ~3 days after the epoch are uncertain by a second or more: a Timing column.
    assert lines[4].split() == ["Date", "Time", "Length", "Mag", "From", "Highest", "To", "Timing"]
    rows = lines[5:]
    expected = isspass.find_passes(
        isspass.Observer(47.37, 8.54), datetime.fromisoformat("2026-09-24T00:00+02:00"), 10
    )
    assert len(rows) == len(expected) > 3
    # Thu 24 Sep  19:43:56   6m 39s  -3.5   10° WNW   19:47:16  57° NNE    10° E
    first = expected[0]
    local = first.appears.time.astimezone(isspass.formats.ZoneInfo("Europe/Zurich"))
    assert rows[0].startswith(f"{local:%a %d %b}  {local:%H:%M:%S}")
    assert f"{first.magnitude:.1f}" in rows[0] and first.highest.direction in rows[0]
    assert "±" not in rows[0]
    last = expected[-1]
    assert last.timing_uncertainty_s > 1 and rows[-1].endswith(f"±{last.timing_uncertainty_s:.0f} s")


def test_no_passes_is_one_line_and_quiet_if_none_prints_nothing():
    far_north = ["--lat", "80", "--lon", "8", *NEAR_EPOCH]
    result = run(*far_north)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "No visible passes of ISS (ZARYA) in this window."
    quiet = run(*far_north, "--quiet-if-none")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    with_passes = run(*ZURICH, *NEAR_EPOCH, "--quiet-if-none")
    assert "Highest" in with_passes.stdout


def test_all_passes_with_types():
    result = run(*ZURICH, *NEAR_EPOCH, "--days", "1.5", "--all")
    assert result.exit_code == 0
    types = [line.split()[-1] for line in result.stdout.splitlines()[5:]]
    assert {"visible", "daylight"} <= set(types)
    assert set(types) <= {"visible", "daylight", "unlit"}


def _json(*args: str) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_schema():
    doc = _json(*ZURICH, "--elevation", "400", *NEAR_EPOCH, "--days", "3", "--all")
    assert doc["schema_version"] == 1
    assert doc["observer"] == {
        "latitude": 47.37,
        "longitude": 8.54,
        "elevation_m": 400.0,
        "timezone": "Europe/Zurich",
    }
    sat = doc["satellite"]
    assert sat["name"] == "ISS (ZARYA)" and sat["norad_id"] == 25544 and sat["source"] == "bundled"
    assert sat["epoch"] == "2026-09-24T03:24:21.453Z"
    assert sat["element_age_days"] == pytest.approx(
        -(2 * 3600 + 3 * 3600 + 24 * 60 + 21.45) / 86400, abs=1e-3
    )
    assert doc["window"] == {"start": "2026-09-23T22:00:00Z", "end": "2026-09-26T22:00:00Z"}
    assert doc["criteria"]["min_elevation"] == 10 and doc["criteria"]["visible_only"] is False
    kinds = {p["type"] for p in doc["passes"]}
    assert {"visible", "daylight"} <= kinds
    for p in doc["passes"]:
        assert p["visible"] == (p["type"] == "visible")
        for name in ("rise", "culmination", "set"):
            point = p[name]
            assert point["time"].endswith("Z")
            datetime.fromisoformat(point["time"].replace("Z", "+00:00"))
            assert set(point) >= {"time", "altitude", "azimuth", "direction", "magnitude", "sun_altitude"}
        if p["type"] == "visible":
            assert p["magnitude"] is not None and p["visible_duration_s"] > 0
            assert p["appears"]["time"] <= p["highest"]["time"] <= p["disappears"]["time"]
        if p["type"] == "unlit":
            assert p["appears"] is None and p["magnitude"] is None


def test_json_agrees_with_the_library():
    doc = _json(*ZURICH, *NEAR_EPOCH, "--days", "2")
    passes = isspass.find_passes(
        isspass.Observer(47.37, 8.54), datetime.fromisoformat("2026-09-24T00:00+02:00"), 2
    )
    assert [p["highest"]["altitude"] for p in doc["passes"]] == [
        round(p.highest.altitude_deg, 2) for p in passes
    ]


def test_min_peak_and_brighter_than_filter():
    everything = _json(*ZURICH, *NEAR_EPOCH)["passes"]
    high = _json(*ZURICH, *NEAR_EPOCH, "--min-peak", "40")["passes"]
    bright = _json(*ZURICH, *NEAR_EPOCH, "--brighter-than", "-3")["passes"]
    assert high == [p for p in everything if p["culmination"]["altitude"] >= 40] and high
    assert bright == [p for p in everything if p["magnitude"] < -3] and bright
    assert len(high) < len(everything) and len(bright) < len(everything)


@pytest.mark.parametrize(
    ("value", "expected"), [("civil", -6), ("nautical", -12), ("astronomical", -18), ("-9.5", -9.5)]
)
def test_twilight_values(value, expected):
    assert _json(*ZURICH, *NEAR_EPOCH, "--days", "1", "--twilight", value)["criteria"]["twilight"] == expected


def test_min_elevation_changes_the_passes():
    low = _json(*ZURICH, *NEAR_EPOCH, "--days", "2", "--all", "--min-elevation", "0")
    high = _json(*ZURICH, *NEAR_EPOCH, "--days", "2", "--all", "--min-elevation", "30")
    assert len(low["passes"]) > len(high["passes"]) > 0
    assert all(p["rise"]["altitude"] == pytest.approx(30, abs=0.01) for p in high["passes"])


def test_csv_rows_and_times():
    result = run(*ZURICH, *NEAR_EPOCH, "--days", "3", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    doc = _json(*ZURICH, *NEAR_EPOCH, "--days", "3")
    assert len(rows) == len(doc["passes"]) > 0
    for row, p in zip(rows, doc["passes"], strict=True):
        assert row["appears_utc"] == p["appears"]["time"]
        local = datetime.fromisoformat(row["appears_local"])
        assert local.utcoffset().total_seconds() == 7200
        assert row["type"] == "visible" and row["highest_direction"] == p["highest"]["direction"]


def _ics_events(*args: str):
    from icalendar import Calendar

    result = run(*args, "--format", "ics")
    assert result.exit_code == 0, result.stderr
    return [c for c in Calendar.from_ical(result.stdout).walk() if c.name == "VEVENT"]


def test_ics_events_and_stable_uids():
    events = _ics_events(*ZURICH, *NEAR_EPOCH, "--days", "3")
    doc = _json(*ZURICH, *NEAR_EPOCH, "--days", "3")
    assert len(events) == len(doc["passes"]) > 0
    for event, p in zip(events, doc["passes"], strict=True):
        start = event.decoded("dtstart")
        assert start.isoformat().replace("+00:00", "Z")[:19] == p["appears"]["time"][:19]
        assert "Appears" in str(event["description"]) and p["highest"]["direction"] in str(event["summary"])
    again = _ics_events(*ZURICH, *NEAR_EPOCH, "--days", "3")
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in again]
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_ics_uids_survive_fresher_elements(tmp_path, history):
    """The same passes predicted from two element sets two days apart keep their UIDs."""
    older, newer = history[-3], history[-2]  # epochs 2026-09-14 and 2026-09-16
    uids = []
    for elements in (older, newer):
        path = tmp_path / f"{elements.epoch:%j}.tle"
        path.write_text(f"{elements.line1}\n{elements.line2}\n")
        events = _ics_events(*ZURICH, "--start", "2026-09-17", "--days", "3", "--tle", str(path))
        uids.append([str(e["uid"]) for e in events])
    assert uids[0] == uids[1] and uids[0]


def test_output_file_is_written_atomically(tmp_path):
    target = tmp_path / "passes.json"
    target.write_text("old")
    result = run(*ZURICH, *NEAR_EPOCH, "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["passes"]
    assert [p.name for p in tmp_path.iterdir()] == ["passes.json"]  # no temp files left
    bad = run(*ZURICH, *NEAR_EPOCH, "--output", str(tmp_path / "missing" / "x.txt"))
    one_line_error(bad, 1, "cannot write")


def test_tz_override_and_start_forms():
    utc = _json(*ZURICH, "--start", "2026-09-24", "--tz", "UTC", "--days", "1")
    assert utc["observer"]["timezone"] == "UTC"
    assert utc["window"]["start"] == "2026-09-24T00:00:00Z"
    local = _json(*ZURICH, "--start", "2026-09-24T18:30", "--days", "1")
    assert local["window"]["start"] == "2026-09-24T16:30:00Z"
    zulu = _json(*ZURICH, "--start", "2026-09-24T18:30Z", "--days", "1")
    assert zulu["window"]["start"] == "2026-09-24T18:30:00Z"
    offset = _json(*ZURICH, "--start", "2026-09-24T18:30-05:00", "--days", "0.5")
    assert offset["window"] == {"start": "2026-09-24T23:30:00Z", "end": "2026-09-25T11:30:00Z"}


def test_default_start_is_now():
    result = run(*ZURICH, "--days", "0.1", "--format", "json", "--allow-stale")
    assert result.exit_code == 0
    start = datetime.fromisoformat(json.loads(result.stdout)["window"]["start"].replace("Z", "+00:00"))
    assert abs((datetime.now(start.tzinfo) - start).total_seconds()) < 120


# --------------------------------------------------------------------------- DST


def _local_offsets(*args: str) -> list[float]:
    result = run(*ZURICH, *args, "--format", "csv", "--all")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    return [
        (datetime.fromisoformat(r["rise_local"]).utcoffset().total_seconds() / 3600, r["rise_utc"])
        for r in rows
    ]


def test_dst_end_in_october():
    """Europe/Zurich leaves summer time at 01:00 UTC on 25 October 2026."""
    offsets = _local_offsets("--start", "2026-10-24", "--days", "2")
    assert {o for o, _ in offsets} == {2.0, 1.0}
    for offset, utc in offsets:
        assert offset == (2.0 if utc < "2026-10-25T01:00:00Z" else 1.0)
    text = run(*ZURICH, "--start", "2026-10-24", "--days", "2")
    assert "Europe/Zurich (CEST/CET)" in text.stdout


def test_dst_start_in_march():
    """Europe/Zurich enters summer time at 01:00 UTC on 29 March 2026 (old elements, allowed)."""
    result = run(*ZURICH, "--start", "2026-03-28", "--days", "2", "--all", "--allow-stale", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr.count("\n") == 1 and "days before their epoch" in result.stderr
    offsets = _local_offsets("--start", "2026-03-28", "--days", "2", "--allow-stale")
    assert {o for o, _ in offsets} == {1.0, 2.0}
    for offset, utc in offsets:
        assert offset == (1.0 if utc < "2026-03-29T01:00:00Z" else 2.0)
    local = _json(*ZURICH, "--start", "2026-03-29T03:00", "--days", "0.1", "--allow-stale")
    assert local["window"]["start"] == "2026-03-29T01:00:00Z"


# --------------------------------------------------------------------------- elements


def test_tle_file_stdin_satellite_and_std_mag(tmp_path):
    path = tmp_path / "ha.tle"
    path.write_text(HA_TLE)
    args = ["--lat", "47.3744", "--lon", "8.5410", "--start", "2022-01-22T12:00", "--days", "1"]
    from_file = _json(*args, "--tle", str(path))
    assert from_file["satellite"]["source"] == str(path)
    assert [p["highest"]["time"][:19] for p in from_file["passes"]] == [
        "2022-01-22T17:17:42",
        "2022-01-22T18:52:53",
    ]
    from_stdin = run(*args, "--tle", "-", "--format", "json", input=HA_TLE)
    assert json.loads(from_stdin.stdout)["passes"] == from_file["passes"]
    dimmer = _json(*args, "--tle", str(path), "--std-mag", "2.2")
    assert dimmer["passes"][0]["magnitude"] == pytest.approx(
        from_file["passes"][0]["magnitude"] + 4.0, abs=0.01
    )


def test_one_bad_entry_refuses_the_whole_file(tmp_path):
    lines = HA_TLE.splitlines()
    path = tmp_path / "two.tle"
    path.write_text(f"ISS (ZARYA)\n{lines[0]}\n{lines[1]}\nTWIN\n{lines[0]}\n{lines[1][:68]}0\n")
    one_line_error(run(*ZURICH, "--tle", str(path)), 4, "two.tle, line 6", "checksum")


def test_satellite_by_name_and_number(tmp_path):
    from sgp4.io import compute_checksum as tle_checksum

    def renumber(line: str, number: str) -> str:
        line = line[:2] + number + line[7:68]
        return line + str(tle_checksum(line))

    lines = HA_TLE.splitlines()
    other = [renumber(lines[0], "99999"), renumber(lines[1], "99999")]
    path = tmp_path / "two.tle"
    path.write_text(f"ISS (ZARYA)\n{lines[0]}\n{lines[1]}\nTWIN\n{other[0]}\n{other[1]}\n")
    args = [*ZURICH, "--start", "2022-01-22", "--days", "1", "--tle", str(path)]
    assert _json(*args)["satellite"]["norad_id"] == 25544
    twin = _json(*args, "--satellite", "twin")
    assert twin["satellite"]["norad_id"] == 99999 and twin["satellite"]["standard_magnitude"] is None
    assert all(p["magnitude"] is None for p in twin["passes"])
    assert _json(*args, "--satellite", "99999")["satellite"]["name"] == "TWIN"
    one_line_error(run(*args, "--satellite", "12345"), 3, "12345")


def test_stale_elements_warn_then_refuse():
    warned = run(*ZURICH, "--start", "2026-10-01", "--days", "1")
    assert warned.exit_code == 0
    assert warned.stderr.startswith("isspass: warning: elements for ISS (ZARYA) are 6.8 days old")
    assert warned.stderr.count("\n") == 1
    fresh = run(*ZURICH, "--start", "2026-09-26", "--days", "1")
    assert fresh.stderr == ""
    one_line_error(run(*ZURICH, "--start", "2026-11-01"), 5, "37.8 days old", "--allow-stale")
    allowed = run(*ZURICH, "--start", "2026-11-01", "--allow-stale")
    assert allowed.exit_code == 0 and "warning" in allowed.stderr


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--lat", "abc", "--lon", "8"], "'abc' is not a number"),
        (["--lat", "nan", "--lon", "8"], "not a finite number"),
        (["--lat", "inf", "--lon", "8"], "not a finite number"),
        (["--lat", "-inf", "--lon", "8"], "not a finite number"),
        (["--lat", "90.5", "--lon", "8"], "outside -90..90"),
        (["--lat", "47", "--lon", "400"], "outside -180..360"),
        (["--lat", "47", "--lon", "NaN"], "not a finite number"),
        (["--lat", "47", "--lon", "8", "--elevation", "1e9"], "outside -500..9000"),
        (["--lat", "47", "--lon", "8", "--elevation", "x"], "not a number"),
        (["--lat", "47", "--lon", "8", "--days", "0"], "longer than 0 days"),
        (["--lat", "47", "--lon", "8", "--days", "-2"], "outside 0..60"),
        (["--lat", "47", "--lon", "8", "--days", "1e12"], "outside 0..60"),
        (["--lat", "47", "--lon", "8", "--days", "inf"], "not a finite number"),
        (["--lat", "47", "--lon", "8", "--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--lat", "47", "--lon", "8", "--start", "yesterday"], "'yesterday' is not an ISO 8601"),
        (["--lat", "47", "--lon", "8", "--start", "2026-13-01"], "not an ISO 8601"),
        (["--lat", "47", "--lon", "8", "--start", "2026-02-30T10:00"], "not an ISO 8601"),
        (["--lat", "47", "--lon", "8", "--start", "9999-01-01"], "outside 1900..2100"),
        (["--lat", "47", "--lon", "8", "--twilight", "dusk"], "not a number"),
        (["--lat", "47", "--lon", "8", "--twilight", "5"], "outside -90..0"),
        (["--lat", "47", "--lon", "8", "--format", "xml"], "xml"),
        (["--lon", "8"], "no location"),
        (["--lat", "47", "--lon", "8", "--bogus"], "--bogus"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args, fragment):
    one_line_error(run(*args), 2, fragment)


def _tle_file(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "elements.tle"
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("content", "code", "fragment"),
    [
        (b"", 4, "no element sets found"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", 4, "binary data"),
        (HA_TLE.encode()[:100], 4, "line 2: element line 2 has 30 characters"),
        (HA_TLE.encode().replace(b"9996", b"9995"), 4, "line 1: checksum is '5', the line sums to 6"),
        (b"No GP data found\n", 4, "not a TLE line"),
    ],
    ids=["empty", "binary", "truncated", "bad checksum", "no GP data"],
)
def test_bad_element_files(tmp_path, content, code, fragment):
    one_line_error(run(*ZURICH, "--tle", _tle_file(tmp_path, content)), code, fragment)


def test_missing_element_file(tmp_path):
    one_line_error(run(*ZURICH, "--tle", str(tmp_path / "nope.tle")), 3, "nope.tle: no such file")


def test_stdin_empty():
    one_line_error(run(*ZURICH, "--tle", "-", input=""), 4, "stdin: no element sets found")


def test_read_stdin_when_there_is_none(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(isspass.errors.ElementsMissingError, match="stdin is closed"):
        cli_module._read_stdin()


def test_stdin_closed_in_a_real_process():
    """``isspass --tle - <&-``: the shell closes stdin."""
    script = Path(sys.executable).parent / "isspass"
    result = subprocess.run(
        [str(script), *ZURICH, "--tle", "-"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 4 and "stdin: no element sets found" in result.stderr
    closed = subprocess.run(
        f"'{script}' --lat 47 --lon 8 --tle - <&-", shell=True, capture_output=True, text=True, check=False
    )
    assert closed.returncode == 3, closed.stderr
    assert closed.stderr.strip() == "isspass: stdin is closed: no elements to read"


# --------------------------------------------------------------------------- configuration


def test_config_file_environment_and_command_line_precedence(isolated_settings):
    isolated_settings.write_text('lat = 47.37\nlon = 8.54\nmin-elevation = 20\ntz = "UTC"\ndays = 2\n')
    doc = _json(*NEAR_EPOCH)
    assert doc["observer"]["latitude"] == 47.37 and doc["criteria"]["min_elevation"] == 20
    assert doc["observer"]["timezone"] == "UTC"
    env = _json_env({"ISSPASS_MIN_ELEVATION": "30"}, *NEAR_EPOCH)
    assert env["criteria"]["min_elevation"] == 30
    line = _json_env({"ISSPASS_MIN_ELEVATION": "30"}, *NEAR_EPOCH, "--min-elevation", "40")
    assert line["criteria"]["min_elevation"] == 40

    shown = run("config", env={"ISSPASS_MIN_ELEVATION": "30"}).stdout
    assert f"config file: {isolated_settings}" in shown
    assert "lat = 47.37  [config file]" in shown
    assert "min-elevation = 30.0  [environment ISSPASS_MIN_ELEVATION]" in shown
    assert "twilight = -6.0  [default]" in shown
    assert "min-elevation = 50.0  [command line]" in run("--min-elevation", "50", "config").stdout


def _json_env(env: dict[str, str], *args: str) -> dict:
    result = run(*args, "--format", "json", env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("lat = ", "not valid TOML"),
        ("latitude = 47\n", "unknown setting 'latitude'"),
        ("lat = 'north'\nlon = 8\n", "'north' is not a number"),
        ("lat = 47\nlon = 8\nstart = '2026-01-01'\n", "unknown setting 'start'"),
    ],
)
def test_bad_config_file(isolated_settings, content, fragment):
    isolated_settings.write_text(content)
    one_line_error(run(*NEAR_EPOCH), 7, str(isolated_settings), fragment)


def test_bad_environment_variable():
    one_line_error(run(env={"ISSPASS_LAT": "north"}), 7, "ISSPASS_LAT", "not a number")


def test_version_and_help():
    assert run("--version").stdout.strip() == f"isspass, version {isspass.__version__}"
    helped = run("--help").stdout
    for option in ("--lat", "--min-peak", "--twilight", "--quiet-if-none", "--allow-stale", "Exit codes"):
        assert option in helped


# --------------------------------------------------------------------------- installed


def test_installed_console_script():
    script = Path(sys.executable).parent / "isspass"
    assert script.exists()
    result = subprocess.run(
        [str(script), *ZURICH, *NEAR_EPOCH, "--days", "3"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stderr == ""
    assert "Highest" in result.stdout and "ISS (ZARYA)" in result.stdout


# --------------------------------------------------------------------------- options declared once


def _help_records(command, ctx_parent=None):
    import click

    ctx = click.Context(command, info_name=command.name, parent=ctx_parent)
    return {
        p.name: (p.get_help_record(ctx), p.envvar, p.default, p.type.name)
        for p in command.params
        if isinstance(p, click.Option) and p.name != "help"
    }


@pytest.mark.parametrize("subcommand", ["batch", "update"])
def test_subcommands_share_the_main_commands_option_declarations(subcommand):
    import click

    main = _help_records(cli)
    parent = click.Context(cli, info_name="isspass")
    sub = _help_records(cli.commands[subcommand], parent)
    shared = set(main) & set(sub)
    if subcommand == "update":
        shared.discard("satellite")  # update's --satellite is its own: NORAD numbers to fetch, repeatable
    assert len(shared) >= (14 if subcommand == "batch" else 2)
    for name in sorted(shared):
        assert sub[name] == main[name], name
    # ...and the rendered help text agrees line for line on each shared option.
    main_help = run("--help").stdout
    sub_help = run(subcommand, "--help").stdout
    for name in sorted(shared):
        flag = "--" + name.replace("_", "-")
        assert _help_block(main_help, flag) == _help_block(sub_help, flag), flag


def _help_block(text: str, flag: str) -> str:
    lines = text.splitlines()
    names = [line.strip().removeprefix("-o, ").split(" ")[0] for line in lines]
    start = names.index(flag)
    block = [lines[start].strip()]
    for line in lines[start + 1 :]:
        if line.strip().startswith("-") or not line.startswith("    "):
            break
        block.append(line.strip())
    return " ".join(" ".join(block).split())


def test_options_after_the_subcommand_win_and_before_it_still_count(tmp_path):
    places = tmp_path / "places.csv"
    places.write_text("name,lat,lon\nZurich,47.37,8.54\n")
    base = ["--start", "2026-09-24", "--offline"]
    after = run("batch", str(places), *base, "--days", "1", "--format", "jsonl")
    before = run(*base, "--days", "1", "batch", str(places), "--format", "jsonl")
    both = run(*base, "--days", "5", "batch", str(places), "--days", "1", "--format", "jsonl")
    assert after.exit_code == before.exit_code == both.exit_code == 0, (after.stderr, before.stderr)
    assert after.stdout == before.stdout == both.stdout and after.stdout.count("\n") >= 1
    env = run("batch", str(places), *base, "--format", "jsonl", env={"ISSPASS_DAYS": "1"})
    assert env.stdout == after.stdout
    # update takes the network options after its name too.
    offline = run("update", "--offline")
    one_line_error(offline, 6, "network use is disabled")
