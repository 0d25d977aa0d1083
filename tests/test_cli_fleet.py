"""Several satellites on the command line: the Satellite column, JSON, CSV, iCalendar, and isspass tonight."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import DATA
from gp_answers import group_answer
from isspass import read_elements
from isspass.cli import cli

VISUAL = DATA / "visual-2026-02-22.tle"
SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "json-schema-v1.json").read_text())
ZURICH = ["--lat", "47.37", "--lon", "8.54"]
#: Sydney sees both space stations in these days (Tiangong, at 41.5°, stays low from Zurich).
SYDNEY = ["--lat", "-33.87", "--lon", "151.21"]
TWO = ["--tle", str(VISUAL), "--satellite", "25544", "--satellite", "CSS (TIANHE)"]
WINDOW = ["--start", "2026-02-22", "--days", "3"]


def run(*args: str, **env: str):
    result = CliRunner().invoke(cli, list(args), env={"ISSPASS_NOW": "2026-02-22T12:00:00Z", **env})
    assert result.exit_code == 0, result.stderr
    return result


def test_text_table_with_a_satellite_column():
    lines = run(*SYDNEY, *TWO, *WINDOW).stdout.splitlines()
    assert lines[0] == "2 satellites over 33.8700° S, 151.2100° E, 0 m"
    assert lines[1] == (
        f"Elements: {VISUAL}, epochs 2026-02-21 18:22 to 2026-02-22 03:53 UTC "
        "(the window starts 0.2 to 0.6 days before the epochs)"
    )
    head = lines[4]
    assert head.split()[:5] == ["Date", "Time", "Length", "Mag", "Satellite"]
    rows = lines[5:]
    names = {row[head.index("Satellite") :].split("  ")[0].strip() for row in rows}
    assert names == {"ISS (ZARYA)", "CSS (TIANHE)"}
    times = [datetime.strptime(row[:20], "%a %d %b  %H:%M:%S") for row in rows]
    assert times == sorted(times)
    # One satellite: the table of old, without the column.
    one = run(*SYDNEY, "--tle", str(VISUAL), "--satellite", "48274", *WINDOW).stdout.splitlines()
    assert one[0].startswith("CSS (TIANHE) (NORAD 48274) over") and "Satellite" not in one[4]


def test_json_validates_with_each_pass_naming_its_satellite():
    several = json.loads(run(*SYDNEY, *TWO, *WINDOW, "--format", "json", "--all").stdout)
    jsonschema.validate(several, SCHEMA)
    assert [s["norad_id"] for s in several["satellites"]] == [25544, 48274]
    assert several["satellite"] == several["satellites"][0]
    assert {p["satellite"]["norad_id"] for p in several["passes"]} == {25544, 48274}
    for p in several["passes"]:
        assert p["id"].startswith(f"{p['satellite']['norad_id']}-")
    one = json.loads(run(*ZURICH, "--start", "2026-09-24", "--days", "3", "--format", "json").stdout)
    jsonschema.validate(one, SCHEMA)
    assert "satellites" not in one and {p["satellite"]["name"] for p in one["passes"]} == {"ISS (ZARYA)"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**one, "schema_version": 2}, SCHEMA)  # the schema can fail


def test_csv_and_calendar_name_each_satellite():
    rows = list(csv.DictReader(io.StringIO(run(*SYDNEY, *TWO, *WINDOW, "--format", "csv").stdout)))
    assert {(r["satellite"], r["norad_id"]) for r in rows} == {
        ("ISS (ZARYA)", "25544"),
        ("CSS (TIANHE)", "48274"),
    }
    assert all(r["id"].startswith(r["norad_id"] + "-") for r in rows)
    ics = run(*SYDNEY, *TWO, *WINDOW, "--format", "ics").stdout
    summaries = [line for line in ics.splitlines() if line.startswith("SUMMARY:")]
    assert any(s.startswith("SUMMARY:ISS (ZARYA) visible") for s in summaries)
    assert any(s.startswith("SUMMARY:CSS (TIANHE) visible") for s in summaries)
    assert len(summaries) == len(rows)


def test_satellites_from_the_environment_and_all_of_a_file():
    given = ["--tle", str(VISUAL), *WINDOW, "--format", "json"]
    both = json.loads(run(*ZURICH, *given, ISSPASS_SATELLITE="ISS (ZARYA),48274").stdout)
    assert [s["name"] for s in both["satellites"]] == ["ISS (ZARYA)", "CSS (TIANHE)"]
    every = ["--tle", str(VISUAL), "--satellite", "all", "--start", "2026-02-22", "--days", "0.5"]
    everything = json.loads(run(*ZURICH, *every, "--format", "json").stdout)
    assert len(everything["satellites"]) == 149 and len(everything["passes"]) > 20
    jsonschema.validate(everything, SCHEMA)


# --------------------------------------------------------------------------- tonight


def test_tonight_without_cached_groups_predicts_the_iss_and_says_how_to_get_more():
    result = run("tonight", *ZURICH, "--offline", "--start", "2026-09-24T12:00")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ISS (ZARYA) (NORAD 25544) over")
    assert "2026-09-24 12:00 to 2026-09-25 12:00 Europe/Zurich" in lines[2]
    assert "brighter than magnitude 3.5" in lines[2]
    assert lines[-1] == (
        "No satellite groups are cached: this is the ISS alone. For every bright satellite, run "
        "'isspass update --group visual --group stations' once a day."
    )
    assert any("ISS" not in line and "19:4" in line for line in lines[5:-2])  # Thu 24 Sep 19:43:56
    assert result.stderr == ""


@pytest.fixture
def cached_groups(cache):
    cache.directory.mkdir(parents=True, exist_ok=True)
    visual = read_elements(VISUAL)
    (cache.directory / "group-visual.json").write_bytes(group_answer(visual))
    stations = [e for e in visual if e.norad_id in (25544, 48274, 66515)]
    (cache.directory / "group-stations.json").write_bytes(group_answer(stations))
    return cache


def test_tonight_every_bright_satellite_of_the_cached_groups(cached_groups):
    result = run("tonight", *ZURICH, "--offline")
    lines = result.stdout.splitlines()
    assert lines[0] == "149 satellites over 47.3700° N, 8.5400° E, 0 m"  # the stations are in visual too
    assert lines[1].startswith("Elements: the cached groups visual and stations, epochs 2026-02-21")
    assert "2026-02-22 13:00 to 2026-02-23 12:00 Europe/Zurich" in lines[2]
    rows = lines[5:]
    assert len(rows) > 10
    mags = [float(row[30:36]) for row in rows]
    assert all(m < 3.5 for m in mags)
    times = [datetime.strptime(row[:20], "%a %d %b  %H:%M:%S") for row in rows]
    assert times == sorted(times)
    assert any("ISS (ZARYA)" in row for row in rows)
    doc = json.loads(run("tonight", *ZURICH, "--offline", "--format", "json").stdout)
    jsonschema.validate(doc, SCHEMA)
    assert len(doc["passes"]) == len(rows) and doc["criteria"]["brighter_than"] == 3.5
    fainter = run("tonight", *ZURICH, "--offline", "--brighter-than", "5").stdout.splitlines()
    assert len(fainter) > len(lines)


def test_the_readme_shows_what_tonight_prints(cached_groups):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**Tonight.**") :]
    shown = section[section.index("```text\n") + 8 : section.index("```\n", section.index("```text"))]
    printed = run("tonight", *ZURICH, "--offline", ISSPASS_NOW="2026-02-22T15:00:00Z").stdout
    assert printed.startswith(shown) and len(printed.splitlines()) == len(shown.splitlines()) + 24
