"""Manoeuvres in the element policy: the window's side, one warning line, the JSON header, `elements`."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

import isspass
from conftest import DATA
from isspass.cache import ElementCache
from isspass.cli import cli
from isspass.errors import ManoeuvreWarning
from isspass.freshness import timing_uncertainty_s
from isspass.history import element_history

HISTORY_FILE = str(DATA / "iss-2026-history.tle")
ZURICH = ["--lat", "47.37", "--lon", "8.54"]
OBSERVER = isspass.Observer(47.37, 8.54)


def run(*args: str):
    return CliRunner().invoke(cli, [*ZURICH, *args], catch_exceptions=False)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def sets_2026():
    return sorted(isspass.read_elements(DATA / "iss-2026-history.tle"), key=lambda e: e.epoch)


@pytest.fixture
def cached_history(cache, sets_2026):
    """The 2026 sets in the cache, as if fetched one by one (the July one is then over 60 days old)."""
    for elements in sets_2026:
        text = f"{elements.name}\n{elements.line1}\n{elements.line2}\n"
        cache.store(25544, text.encode(), "tle", elements.epoch)
    return cache


def test_a_history_file_gives_the_set_after_the_reboost(sets_2026):
    """2026-08-29 is nearer the 08-25 set, but the ISS was reboosted on 08-27: the 09-03 set predicts it."""
    result = run("--tle", HISTORY_FILE, "--start", "2026-08-29", "--days", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["satellite"]["epoch"].startswith("2026-09-03T04:13")
    choice = isspass.choose_satellite(elements=HISTORY_FILE, start=utc(2026, 8, 29), days=2)
    assert choice.satellite.epoch == sets_2026[7].epoch
    assert "the nearer set of 2026-08-25 15:51 UTC is across a manoeuvre" in choice.reason
    sat = isspass.load_satellite(elements=HISTORY_FILE, start=utc(2026, 8, 29))
    assert sat.epoch == sets_2026[7].epoch
    # Before the reboost the nearest set is the 08-25 one, and it is used.
    before = isspass.choose_satellite(elements=HISTORY_FILE, start=utc(2026, 8, 26), days=1)
    assert before.satellite.epoch == sets_2026[6].epoch


def test_a_window_across_the_reboost_says_so_in_one_line():
    result = run("--tle", HISTORY_FILE, "--start", "2026-08-26", "--days", "3", "--format", "json")
    assert result.exit_code == 0
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        "isspass: warning: elements for ISS (ZARYA) (epoch 2026-08-25 15:51 UTC) predate the manoeuvre "
        "around 2026-08-27 16:"
    )
    assert "raised the orbit by about 1.2" in line and "moved passes by 4.6 min" in line
    doc = json.loads(result.stdout)
    assert doc["warnings"] == [{"kind": "manoeuvre", "message": line.removeprefix("isspass: warning: ")}]
    # A window that ends before the reboost needs no warning.
    quiet = run("--tle", HISTORY_FILE, "--start", "2026-08-26", "--days", "1")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_the_library_warns_from_the_cached_history(cached_history, sets_2026):
    with pytest.warns(ManoeuvreWarning, match="predate the manoeuvre around 2026-08-27"):
        passes = isspass.find_passes(OBSERVER, utc(2026, 8, 26), 3, offline=True)
    assert passes
    choice = isspass.choose_satellite(
        start=utc(2026, 8, 29), days=2, policy=isspass.ElementPolicy(offline=True)
    )
    assert choice.satellite.epoch == sets_2026[7].epoch and choice.warnings != ()
    assert choice.satellite.elements.source.startswith("cache (")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # after the reboost, from the right side: nothing to say…
        isspass.find_passes(OBSERVER, utc(2026, 9, 3, 6), 1, offline=True)


def test_a_window_far_past_the_newest_elements_says_so():
    """The bundled set is the newest known: a window ending 12.8 days after it is warned about."""
    result = run("--start", "2026-09-24", "--days", "13", "--offline", "--format", "json")
    assert result.exit_code == 0
    (line,) = result.stderr.splitlines()
    assert line == (
        "isspass: warning: the window ends 12.8 days after the newest elements for ISS (ZARYA) "
        "(epoch 2026-09-24 03:24 UTC): a manoeuvre since then would not be known, and would move "
        "later passes by minutes"
    )
    assert [w["kind"] for w in json.loads(result.stdout)["warnings"]] == ["manoeuvre"]
    assert run("--start", "2026-09-24", "--days", "12", "--offline").stderr == ""
    # Elements already warned about as old are not warned about twice.
    old = run("--start", "2026-09-28", "--days", "10", "--offline")
    assert old.stderr.count("\n") == 1 and "3.8 days old" in old.stderr


def test_json_warnings_are_empty_when_all_is_well():
    result = run("--start", "2026-09-24", "--days", "2", "--offline", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["warnings"] == []


def test_passes_carry_the_band_of_their_history(sets_2026):
    start = utc(2026, 9, 17)
    sat = isspass.load_satellite(elements=HISTORY_FILE, start=start)
    history = element_history(sets_2026)
    drag = history.drag_before(sat.epoch)
    assert sat.history_drag == drag is not None
    passes = isspass.find_passes(OBSERVER, start, 6, satellite=sat, visible_only=False)
    assert passes
    for p in passes:
        band = timing_uncertainty_s(sat.elements, p.culmination.time, drag)
        assert p.timing_uncertainty_s == pytest.approx(band, rel=1e-9)
    alone = isspass.load_satellite(elements=[sat.elements])
    assert alone.history_drag is None
    last = passes[-1].culmination.time
    assert timing_uncertainty_s(sat.elements, last) != pytest.approx(passes[-1].timing_uncertainty_s)


def test_elements_lists_each_history_and_its_manoeuvres(cached_history, sets_2026):
    result = CliRunner().invoke(cli, ["elements"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    kept = [e for e in sets_2026 if e.epoch >= sets_2026[-1].epoch - timedelta(days=60)]
    span = f"{kept[0].epoch:%Y-%m-%d} to 2026-09-24"
    assert f" 25544  history: {len(kept)} sets, {span}; 1 manoeuvre detected" in lines
    (manoeuvre,) = [line for line in lines if "manoeuvre around" in line]
    assert manoeuvre.startswith(" 25544  manoeuvre around 2026-08-27 16:")
    assert manoeuvre.endswith("(between the sets of 2026-08-25 15:51 and 2026-09-03 04:13 UTC)")
    assert ElementCache().problems() == []
