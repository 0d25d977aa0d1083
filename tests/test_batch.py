"""isspass batch: many named places from a CSV, bad rows reported, CSV or JSON Lines out."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import isspass
from isspass.cli import cli
from isspass.locations import read_locations

GOOD = "name,lat,lon,elevation_m\nZurich,47.37,8.54,400\nSydney,-33.87,151.21,\nQuito,-0.18,-78.47,2850\n"
WINDOW = ["--start", "2026-09-24", "--days", "3", "--offline"]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def places(tmp_path) -> Path:
    path = tmp_path / "places.csv"
    path.write_text(GOOD)
    return path


def _expected(visible_only: bool = True) -> list[list[isspass.Pass]]:
    observers = [
        isspass.Observer(47.37, 8.54, 400),
        isspass.Observer(-33.87, 151.21),
        isspass.Observer(-0.18, -78.47, 2850),
    ]
    start = datetime(2026, 9, 24, tzinfo=timezone.utc)
    return isspass.find_passes_many(observers, start, 3, visible_only=visible_only)


def test_csv_rows_match_the_library(places):
    result = run("batch", str(places), *WINDOW)
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = _expected()
    assert len(rows) == sum(map(len, expected)) > 0
    names = ["Zurich", "Sydney", "Quito"]
    flat = [(names[i], p) for i, passes in enumerate(expected) for p in passes]
    for row, (name, p) in zip(rows, flat, strict=True):
        assert row["name"] == name
        assert row["type"] == "visible"
        assert row["appears_utc"][:19] == p.appears.time.strftime("%Y-%m-%dT%H:%M:%S")
    zurich = [r for r in rows if r["name"] == "Zurich"]
    assert zurich[0]["timezone"] == "Europe/Zurich" and zurich[0]["appears_local"].endswith("+02:00")


def test_json_lines_and_all_passes(places):
    result = run("batch", str(places), *WINDOW, "--format", "jsonl", "--all")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == sum(map(len, _expected(visible_only=False)))
    assert {r["type"] for r in records} >= {"visible", "daylight", "unlit"}
    assert records[0]["name"] == "Zurich" and records[0]["line"] == 2
    assert records[0]["observer"]["timezone"] == "Europe/Zurich"


def test_options_before_or_after_batch_and_filters(places):
    after = run("batch", str(places), *WINDOW, "--min-peak", "40", "--format", "jsonl")
    before = run("--min-peak", "40", "batch", str(places), *WINDOW, "--format", "jsonl")
    assert after.stdout == before.stdout
    peaks = [json.loads(line)["culmination"]["altitude"] for line in after.stdout.splitlines()]
    assert peaks and min(peaks) >= 40
    everything = run("batch", str(places), *WINDOW, "--format", "jsonl").stdout.splitlines()
    assert len(everything) > len(peaks)


def test_bad_rows_are_reported_and_the_rest_processed(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "name,lat,lon,elevation_m\n"
        "Zurich,47.37,8.54,400\n"
        "Nowhere,abc,8,0\n"
        "\n"
        "Short,1\n"
        "Pole,95,0,0\n"
        "Sky,10,20,nan\n"
        "Quito,-0.18,-78.47,2850\n"
    )
    result = run("batch", str(path), *WINDOW, "--all")
    assert result.exit_code == 8
    lines = result.stderr.strip().splitlines()
    assert lines[:4] == [
        f"isspass: {path}, line 3: lat 'abc' is not a number; skipped",
        f"isspass: {path}, line 5: 2 fields, expected 4; skipped",
        f"isspass: {path}, line 6: latitude 95 is outside -90..90 degrees; skipped",
        f"isspass: {path}, line 7: elevation_m must be finite, not nan; skipped",
    ]
    assert lines[-1] == "isspass: 4 of 6 location rows were skipped"
    names = {row["name"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert names == {"Zurich", "Quito"}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "the file is empty"),
        ("place,latitude,longitude\nZ,1,2\n", "no 'name' column"),
        ("name,lat,lon\nZ,abc,1\n", "no valid locations"),
    ],
)
def test_unusable_files_exit_2(tmp_path, content, fragment):
    path = tmp_path / "places.csv"
    path.write_text(content)
    result = run("batch", str(path), *WINDOW)
    assert result.exit_code == 2
    assert fragment in result.stderr.strip().splitlines()[-1]


def test_missing_file_and_stdin(tmp_path):
    missing = run("batch", str(tmp_path / "nope.csv"), *WINDOW)
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    piped = run("batch", "-", *WINDOW, input=GOOD)
    assert piped.exit_code == 0 and piped.stdout.count("\n") > 1


def test_output_file(places, tmp_path):
    target = tmp_path / "out.csv"
    result = run("batch", str(places), *WINDOW, "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text().startswith("name,latitude,longitude")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "places.csv"]


def test_stale_and_element_errors_apply(places, tmp_path):
    stale = run("batch", str(places), "--start", "2026-12-01", "--offline")
    assert stale.exit_code == 5
    bad = tmp_path / "bad.tle"
    bad.write_text("garbage\n")
    assert run("batch", str(places), *WINDOW, "--tle", str(bad)).exit_code == 4


def test_read_locations_defaults():
    locations, errors = read_locations("Name, Lat, Lon\nA,1,2\n")
    assert errors == [] and locations[0].observer == isspass.Observer(1, 2, 0)


def _run_with_stderr_on(terminal: bool, places: Path) -> str:
    script = Path(sys.executable).parent / "isspass"
    command = [str(script), "batch", str(places), *WINDOW]
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, check=True).stderr
    main, secondary = pty.openpty()
    try:
        process = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=secondary, check=True)
        assert process.returncode == 0
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(main)


def test_progress_bar_only_on_a_terminal(places):
    assert _run_with_stderr_on(False, places) == ""
    shown = _run_with_stderr_on(True, places)
    assert "observers" in shown and "100%" in shown
