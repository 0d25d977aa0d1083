"""Batch output written from a PassTable: the same bytes as rendering each Pass, and a Parquet
file that reads back with pyarrow to what the CSV says."""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timezone

import numpy as np
import pytest
from click.testing import CliRunner

import isspass
from isspass.cli import cli
from isspass.formats import batch_csv_row, batch_json_line
from isspass.locations import Location
from isspass.table_formats import LocalTimes, iso_utc_strings, select_rows, table_csv, table_json_lines

# New Zealand and Chile change their clocks inside this window; Europe on its last day.
START = datetime(2026, 9, 24, 22, 30, tzinfo=timezone.utc)
ZONES = ["Pacific/Auckland", "America/Santiago", "Europe/Zurich", "Asia/Kolkata", "UTC", "America/St_Johns"]


def _places(count: int, seed: int) -> list[Location]:
    rng = random.Random(seed)
    names = ["=HYPERLINK(1)", "Zürich, \"old town\"", "+41", "plain", "-3", "a\x1bb"]
    return [
        Location(
            line=k + 2,
            name=names[k % len(names)] + str(k),
            observer=isspass.Observer(rng.uniform(-60, 60), rng.uniform(-180, 180), rng.uniform(0, 2000)),
            timezone=ZONES[k % len(ZONES)],
        )
        for k in range(count)
    ]


@pytest.mark.parametrize("visible_only", [True, False])
def test_table_writers_give_the_bytes_of_the_pass_renderers(iss, visible_only):
    places = _places(36, 2 if visible_only else 3)
    observers = [p.observer for p in places]
    table = isspass.find_pass_table(observers, START, 33, satellite=iss, visible_only=visible_only)
    zones = [p.timezone for p in places]
    passes = table.to_passes()
    assert len(passes) > 100
    owners = table.observer.tolist()
    times = LocalTimes()
    pairs = list(zip(owners, passes, strict=True))
    expected_csv = "".join(batch_csv_row(places[k], zones[k], p) for k, p in pairs)
    expected_jsonl = "".join(batch_json_line(places[k], zones[k], p) for k, p in pairs)
    assert table_csv(table, places, zones, times) == expected_csv
    assert table_json_lines(table, places, zones, times) == expected_jsonl


def test_utc_strings_round_to_the_millisecond_half_even():
    from isspass.formats import iso_utc

    rng = np.random.default_rng(3)
    base = 1_790_000_000_000_000
    micro = np.concatenate([
        base + rng.integers(0, 10**11, 3000),
        base + np.array([0, 500, 1500, 2500, 999_500, 999_499, 999_999, 1_000_000, 1_000_500]),
    ])  # fmt: skip
    expected = [
        iso_utc(datetime.fromtimestamp(m // 10**6, tz=timezone.utc).replace(microsecond=int(m % 10**6)))
        for m in micro.tolist()
    ]
    assert iso_utc_strings(micro) == expected


def test_select_rows_as_the_options_say(iss):
    table = isspass.find_pass_table(
        [p.observer for p in _places(10, 4)], START, 5, satellite=iss, visible_only=False
    )
    high = select_rows(table, 40.0, None)
    assert len(high) == sum(p.culmination.altitude_deg >= 40 for p in table.to_passes()) > 0
    bright = select_rows(table, None, -1.0)
    assert [p.id for p in bright.to_passes()] == [
        p.id for p in table.to_passes() if p.magnitude is not None and p.magnitude < -1.0
    ]


def _locations_file(tmp_path, count: int):
    rng = random.Random(8)
    rows = [f"p{k},{rng.uniform(-60, 60):.4f},{rng.uniform(-180, 180):.4f},{rng.uniform(0, 2000):.0f}"
            for k in range(count)]  # fmt: skip
    path = tmp_path / "places.csv"
    path.write_text("name,lat,lon,elevation_m\n" + "\n".join(rows) + "\n")
    return path


WINDOW = ["--start", "2026-09-24", "--days", "2", "--offline", "--all"]


def test_parquet_reads_back_as_the_csv_says(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    places = _locations_file(tmp_path, 40)
    runner = CliRunner()
    made = runner.invoke(cli, ["batch", str(places), *WINDOW], catch_exceptions=False)
    assert made.exit_code == 0
    out = tmp_path / "passes.parquet"
    asked = ["batch", str(places), "--format", "parquet", "--output", str(out), *WINDOW]
    written = runner.invoke(cli, asked, catch_exceptions=False)
    assert written.exit_code == 0, written.output
    rows = list(csv.DictReader(io.StringIO(made.output)))
    table = pq.read_table(out).to_pylist()
    assert len(table) == len(rows) > 50
    for row, got in zip(rows, table, strict=True):
        assert got["name"] == row["name"] and got["id"] == row["id"] and got["type"] == row["type"]
        assert got["norad_id"] == int(row["norad_id"]) and got["satellite"] == row["satellite"]
        assert got["latitude"] == float(row["latitude"]) and got["timezone"] == row["timezone"]
        assert f"{got['duration_s']:.1f}" == row["duration_s"]
        for event in ("rise", "culmination", "set", "appears", "highest", "disappears"):
            if row[f"{event}_utc"] == "":
                assert got[f"{event}_utc"] is None and got[f"{event}_altitude"] is None
                continue
            shown = datetime.fromisoformat(row[f"{event}_utc"].replace("Z", "+00:00"))
            assert abs((got[f"{event}_utc"] - shown).total_seconds()) <= 0.0005
            assert f"{got[f'{event}_altitude']:.2f}" == row[f"{event}_altitude"]
            assert f"{got[f'{event}_azimuth']:.2f}" == row[f"{event}_azimuth"]
        magnitude = "" if got["magnitude"] is None else f"{got['magnitude']:.2f}"
        assert magnitude == row["magnitude"]


def test_parquet_needs_a_file(tmp_path):
    places = _locations_file(tmp_path, 2)
    result = CliRunner().invoke(cli, ["batch", str(places), "--format", "parquet", *WINDOW])
    assert result.exit_code == 2
    assert "--output" in result.output


def test_parquet_gathers_chunks_of_places_into_row_groups(tmp_path, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    from isspass.table_formats import ParquetWriter

    places = _locations_file(tmp_path, 600)  # three chunks of the command's 256 places

    def written(name: str):
        out = tmp_path / name
        asked = ["batch", str(places), "--format", "parquet", "--output", str(out), *WINDOW]
        assert CliRunner().invoke(cli, asked, catch_exceptions=False).exit_code == 0
        return pq.ParquetFile(out)

    whole = written("whole.parquet")
    monkeypatch.setattr(ParquetWriter, "ROW_GROUP_ROWS", 500)
    grouped = written("grouped.parquet")
    sizes = [grouped.metadata.row_group(k).num_rows for k in range(grouped.num_row_groups)]
    assert whole.num_row_groups == 1 and len(sizes) >= 2
    assert min(sizes[:-1]) >= 500 and sum(sizes) == whole.metadata.num_rows > 1000
    assert grouped.read().equals(whole.read())
