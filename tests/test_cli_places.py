"""--place, `place` in the config file and in batch files, and `isspass places`."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

import isspass
from isspass.cli import cli

WINDOW = ["--start", "2026-09-24", "--days", "3", "--offline"]


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _json(*args: str, env: dict[str, str] | None = None) -> dict:
    result = run(*args, *WINDOW, "--format", "json", env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_place_is_its_coordinates_and_its_zone():
    zurich = isspass.find_place("Zurich")
    doc = _json("--place", "Zurich", "--elevation", "410")
    assert doc["observer"] == {
        "latitude": zurich.latitude_deg,
        "longitude": zurich.longitude_deg,
        "elevation_m": 410.0,
        "timezone": "Europe/Zurich",
        "place": "Zürich, CH-ZH",
    }
    by_coordinates = _json("--lat", str(zurich.latitude_deg), "--lon", str(zurich.longitude_deg),
                           "--elevation", "410")  # fmt: skip
    assert doc["passes"] == by_coordinates["passes"] and doc["passes"]
    text = run("--place", "zürich", *WINDOW).stdout.splitlines()
    assert text[0] == "ISS (ZARYA) (NORAD 25544) over Zürich, CH-ZH: 47.3667° N, 8.5500° E, 0 m"


def test_the_places_own_zone_is_used_unless_tz_is_given():
    assert _json("--place", "Tokyo")["observer"]["timezone"] == "Asia/Tokyo"
    assert _json("--place", "Tokyo", "--tz", "UTC")["observer"]["timezone"] == "UTC"


def test_an_ambiguous_name_says_which_place_and_how_to_list_them():
    result = run("--place", "Springfield", *WINDOW)
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    chosen = isspass.find_places("Springfield")[0]
    assert lines[0].startswith(f"ISS (ZARYA) (NORAD 25544) over {chosen.label}: ")
    count = len(isspass.find_places("Springfield"))
    assert lines[1] == (
        f"(the most populous of {count} places matching 'Springfield'; "
        "'isspass places Springfield' lists them)"
    )
    assert lines[2].startswith("Elements: ")
    qualified = _json("--place", "Springfield, US-IL")["observer"]
    assert qualified["place"] == "Springfield, US-IL" and qualified["latitude"] == pytest.approx(
        39.8, abs=0.1
    )


def test_places_lists_the_candidates_most_populous_first():
    result = run("places", "Springfield", "--limit", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    found = isspass.find_places("Springfield")
    assert lines[0] == f"{len(found)} places match 'Springfield'; --place takes the first:"
    for line, place in zip(lines[1:4], found[:3], strict=True):
        assert line.startswith(place.label) and place.timezone in line and f"{place.population:,}" in line
        assert f"{abs(place.longitude_deg):.4f}° W" in line
    assert lines[4] == f"... and {len(found) - 3} more (--limit {len(found)} lists them all)"
    one = run("places", "Zürich").stdout.splitlines()
    assert one[0] == "1 place matches 'Zürich':" and len(one) == 2


def test_unknown_places_are_one_line_with_suggestions_exit_2():
    for args in (["--place", "Zurck", *WINDOW], ["places", "Zurck"]):
        result = run(*args)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == "isspass: unknown place 'Zurck'; did you mean: Zürich, CH-ZH; Urk, NL?\n"


def test_explicit_coordinates_win_over_a_place(isolated_config):
    both = _json("--place", "Zurich", "--lat", "40.71", "--lon", "-74.01")
    assert both["observer"]["latitude"] == 40.71 and "place" not in both["observer"]
    assert both["observer"]["timezone"] == "America/New_York"
    # A place in the config file gives way to coordinates typed...
    isolated_config.write_text('place = "Zurich"\n')
    assert _json()["observer"]["place"] == "Zürich, CH-ZH"
    typed = _json("--lat", "40.71", "--lon", "-74.01")
    assert typed["observer"]["latitude"] == 40.71 and "place" not in typed["observer"]
    # ...and a place typed wins over coordinates in the config file or the environment.
    isolated_config.write_text("lat = 40.71\nlon = -74.01\n")
    assert _json("--place", "Tokyo")["observer"]["place"] == "Tokyo, JP"
    assert _json(env={"ISSPASS_PLACE": "Tokyo"})["observer"]["place"] == "Tokyo, JP"
    assert _json("--lat", "1", "--lon", "2", env={"ISSPASS_PLACE": "Tokyo"})["observer"]["latitude"] == 1
    # Both in the file: the coordinates, as on the command line.
    isolated_config.write_text('place = "Tokyo"\nlat = 40.71\nlon = -74.01\n')
    assert _json()["observer"]["latitude"] == 40.71


def test_an_unknown_place_in_the_config_file_or_environment_is_a_configuration_error(isolated_config):
    isolated_config.write_text('place = "Zurck"\n')
    result = run(*WINDOW)
    assert result.exit_code == 7 and result.stdout == ""
    assert result.stderr.startswith(f"isspass: config file {isolated_config}: place: unknown place 'Zurck'")
    isolated_config.write_text("")
    env = run(*WINDOW, env={"ISSPASS_PLACE": "Zurck"})
    assert env.exit_code == 7 and "environment variable ISSPASS_PLACE: unknown place" in env.stderr


def test_subcommands_find_the_place_of_the_config_file_or_the_main_command(isolated_config):
    isolated_config.write_text('place = "Zurich"\n')
    tonight = run("tonight", "--start", "2026-09-24T12:00", "--offline", "--format", "json")
    assert tonight.exit_code == 0, tonight.stderr
    assert json.loads(tonight.stdout)["observer"]["place"] == "Zürich, CH-ZH"
    chart = run("--place", "Tokyo", "chart", *WINDOW)
    assert chart.exit_code == 0, chart.stderr
    assert chart.stdout.startswith("<svg") or chart.stdout.startswith("<?xml")
    typed = run("tonight", "--place", "Tokyo", "--start", "2026-09-24T12:00", "--offline", "--format", "json")
    assert json.loads(typed.stdout)["observer"]["place"] == "Tokyo, JP"
    isolated_config.write_text('place = "Zurck"\n')
    wrong = run("tonight", "--offline")
    assert wrong.exit_code == 7 and "config file" in wrong.stderr and "unknown place 'Zurck'" in wrong.stderr


def test_no_location_names_both_ways():
    result = run(*WINDOW)
    assert result.exit_code == 2 and "give --place, or --lat and --lon" in result.stderr


@pytest.fixture
def isolated_config(no_user_state_no_network):
    return no_user_state_no_network / "config.toml"


# --------------------------------------------------------------------------- batch files


def test_batch_rows_by_place_are_the_places_coordinates_and_zones(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "name,lat,lon,place,elevation_m\n"
        'Home,,,"Zurich, CH",400\n'
        "Office,40.71,-74.01,Tokyo,\n"  # coordinates on the row win over its place
        "Far,,,Tokyo,\n"
        "Nowhere,,,Zurck,\n"
        "Blank,,,,\n"
    )
    result = run("batch", str(path), *WINDOW, "--format", "jsonl", "--all")
    assert result.exit_code == 8
    assert result.stderr.splitlines() == [
        f"isspass: {path}, line 5: place: unknown place 'Zurck'; did you mean: Zürich, CH-ZH; Urk, NL?"
        "; skipped",
        f"isspass: {path}, line 6: no lat/lon and no place; skipped",
        "isspass: 2 of 5 location rows were skipped",
    ]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    observers = {r["name"]: r["observer"] for r in records}
    zurich, tokyo = isspass.find_place("Zurich"), isspass.find_place("Tokyo")
    assert observers["Home"] == {"latitude": zurich.latitude_deg, "longitude": zurich.longitude_deg,
                                 "elevation_m": 400.0, "timezone": "Europe/Zurich"}  # fmt: skip
    assert observers["Office"]["latitude"] == 40.71 and observers["Office"]["timezone"] == "America/New_York"
    assert observers["Far"]["timezone"] == "Asia/Tokyo"
    expected = isspass.find_passes(tokyo.observer(), datetime(2026, 9, 24, tzinfo=timezone.utc), 3,
                                   visible_only=False)  # fmt: skip
    far = [r for r in records if r["name"] == "Far"]
    assert [r["culmination"]["time"] for r in far] == [p.to_dict()["culmination"]["time"] for p in expected]


def test_batch_name_and_place_only(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("name,place\nA,Zurich\nB,São Paulo\nC,\n")
    result = run("batch", str(path), *WINDOW, "--all")
    assert result.exit_code == 8 and "line 4: place is empty; skipped" in result.stderr
    zones = {row["name"]: row["timezone"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert zones == {"A": "Europe/Zurich", "B": "America/Sao_Paulo"}


def test_the_console_script_finds_places_too():
    """The installed command (a process of its own, which tunes the garbage collector) prints the same."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "isspass"
    args = ["--place", "Zurich", *WINDOW, "--format", "line"]
    result = subprocess.run([str(script), *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == run(*args).stdout and result.stdout.startswith("ISS in ")
