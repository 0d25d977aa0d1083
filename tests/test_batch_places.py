"""A batch's places are read while they are searched: bad rows reported as they come, places
forgotten once written, and a file that breaks part way stops the batch with nothing replaced."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from isspass.batch_places import PlaceStream
from isspass.cli import cli
from isspass.locations import iter_locations

WINDOW = ["--start", "2026-09-24", "--days", "1", "--offline"]


def _lines(count: int, read: list[int], bad_every: int = 0):
    yield "name,lat,lon\n"
    for k in range(count):
        read.append(k)
        yield f"p{k},abc,1\n" if bad_every and k % bad_every == 0 else f"p{k},{k % 80},{k % 360 - 180}\n"


def test_places_are_read_when_asked_for_and_forgotten_when_released():
    read: list[int] = []
    reported = []
    stream = PlaceStream(iter_locations(_lines(10_000, read, bad_every=7)), reported.append, ValueError)
    assert stream.first().name == "p1" and len(read) == 2 and [e.line for e in reported] == [2]
    observers = stream.observers()
    taken = [next(observers) for _ in range(300)]
    assert taken[0].latitude_deg == 1 and len(read) < 360  # the 300 places and the bad rows among them
    stream.release(256)
    assert sorted(stream.held) == list(range(256, 300))
    assert stream.zone(299) == stream.zones[299]
    rest = list(observers)
    assert len(taken) + len(rest) == stream.read == 10_000 - len(reported)
    assert stream.skipped == len(reported) == len(range(0, 10_000, 7))
    stream.release(stream.read)
    assert stream.held == {} and stream.zones == {}


def test_a_file_the_csv_reader_gives_up_on_is_refused_with_its_message():
    quoted_on = ["x" * 60_000 + "\n"] * 3  # an unterminated quote runs past the csv module's field limit
    lines = iter(["name,lat,lon\n", "A,1,2\n", "B,3,4\n", '"C,5,6\n', *quoted_on])
    stream = PlaceStream(
        iter_locations(lines), lambda error: None, lambda message: click.BadParameter(message)
    )
    assert stream.first().name == "A"
    with pytest.raises(click.BadParameter, match="line"):
        stream.all()


def test_a_file_that_breaks_past_the_first_chunks_stops_the_batch_and_replaces_nothing(tmp_path):
    rows = [f"p{k},{k % 80},{k % 360 - 180}" for k in range(600)]
    rows.insert(550, "far," + "x" * (70 << 10) + ",1")  # over the 64 KiB line limit
    places = tmp_path / "places.csv"
    places.write_text("name,lat,lon\n" + "\n".join(rows) + "\n")
    target = tmp_path / "passes.csv"
    target.write_text("before\n")
    result = CliRunner().invoke(cli, ["batch", str(places), *WINDOW, "--output", str(target)])
    assert result.exit_code == 2
    assert f"{places}, line 552: longer than the 64 KiB limit" in result.stderr.strip().splitlines()[-1]
    assert target.read_text() == "before\n"
