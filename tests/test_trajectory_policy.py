"""Choosing the source: NASA's trajectory when it covers the window, else elements, warning of manoeuvres.

The library (``choose_source``, ``find_passes``) and the command line (``--oem``, ``--source``,
the cache) choose alike.
"""

from __future__ import annotations

import gzip
import json
import re
import warnings
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

import isspass
from conftest import DATA
from isspass.cli import cli
from isspass.errors import CacheWarning, TrajectoryCoverageError, TrajectoryError, TrajectoryMissingError
from isspass.formats import pass_to_dict
from isspass.oem import parse_oem

UTC = timezone.utc
XML = DATA / "nasa-iss-oem-2025-02-26-trimmed.xml.gz"
KVN_TEXT = gzip.decompress((DATA / "nasa-iss-oem-2025-02-26-trimmed.kvn.gz").read_bytes()).decode()
ISSUE_TLE = """\
ISS (ZARYA)
1 25544U 98067A   25059.54152977  .00022226  00000-0  40176-3 0  9996
2 25544  51.6353 125.1519 0006135 326.8326  33.2278 15.49597200498316
"""
ZURICH = isspass.Observer(47.37, 8.54)
COVERED = datetime(2025, 2, 28, 12, tzinfo=UTC)  # + 1 day: inside the trajectory
REBOOST_ROW = " Reboost               061:06:00:00.000             0.6     424.0     413.0"
#: The trimmed trajectory with a planned reboost at 2025-03-02 06:00 UTC in its event summary.
WITH_REBOOST = KVN_TEXT.replace("COMMENT 91P Dock", f"COMMENT {REBOOST_ROW}\nCOMMENT 91P Dock", 1)


@pytest.fixture
def cache_dir(no_user_state_no_network):
    path = no_user_state_no_network / "cache"
    path.mkdir()
    return path


@pytest.fixture
def cached(cache_dir):
    """NASA's trajectory in the test's cache, as ``isspass update`` leaves it (gzip is accepted too)."""
    (cache_dir / "25544.oem").write_bytes(XML.read_bytes())
    return cache_dir / "25544.oem"


def _policy():
    return isspass.ElementPolicy(offline=True)


def _tle():
    return isspass.parse_elements(ISSUE_TLE, "issue")


# --------------------------------------------------------------------------- the library


def test_a_cached_trajectory_that_covers_the_window_is_chosen_and_searched(cached):
    end = COVERED + timedelta(days=1)
    choice = isspass.choose_source(start=COVERED, end=end, policy=_policy())
    sat = choice.satellite
    assert isinstance(sat, isspass.TrajectorySatellite) and sat.norad_id == 25544
    assert sat.source == f"OEM cache ({cached})" and sat.standard_magnitude == -1.8
    assert "created 2025-02-26 18:18 UTC by JSC" in choice.reason and choice.warnings == ()
    # find_passes without a satellite asks the same policy.
    implicit = isspass.find_passes(ZURICH, COVERED, 1, visible_only=False, offline=True)
    explicit = isspass.find_passes(
        ZURICH, COVERED, 1, satellite=isspass.load_trajectory(XML), visible_only=False
    )
    assert implicit == explicit and len(implicit) >= 4


def test_given_elements_win_over_the_cache_and_a_given_trajectory_over_both(cached):
    end = COVERED + timedelta(days=1)
    choice = isspass.choose_source(elements=_tle(), start=COVERED, end=end, policy=_policy())
    assert isinstance(choice.satellite, isspass.Satellite) and choice.satellite.elements.source == "issue"
    choice = isspass.choose_source(elements=_tle(), oem=XML, start=COVERED, end=end, policy=_policy())
    assert isinstance(choice.satellite, isspass.TrajectorySatellite)
    # Forced: elements, even though the cached trajectory covers the window.
    choice = isspass.choose_source(
        elements=_tle(), start=COVERED, end=end, policy=_policy(), source="elements"
    )
    assert isinstance(choice.satellite, isspass.Satellite)


def test_a_window_the_trajectory_does_not_cover_falls_back_to_elements(cached):
    start = datetime(2025, 3, 1, 12, tzinfo=UTC)  # the trajectory ends 2025-03-02 11:58
    choice = isspass.choose_source(
        elements=_tle(), start=start, end=start + timedelta(days=2), policy=_policy()
    )
    assert isinstance(choice.satellite, isspass.Satellite) and choice.warnings == ()
    with pytest.raises(
        TrajectoryCoverageError, match=r"covers 2025-02-27 00:01 to 2025-03-02 11:58 UTC, not"
    ):
        isspass.choose_source(start=start, end=start + timedelta(days=2), policy=_policy(), source="oem")
    # A trajectory given explicitly that does not cover the window: said so, then elements.
    choice = isspass.choose_source(
        elements=_tle(), oem=XML, start=start, end=start + timedelta(days=2), policy=_policy()
    )
    (warning,) = choice.warnings
    assert isinstance(warning, isspass.TrajectoryWarning) and "does not cover the window" in str(warning)


def test_planned_manoeuvres_elements_cannot_know_are_warned_of(cache_dir):
    (cache_dir / "25544.oem").write_text(WITH_REBOOST)
    start = datetime(2025, 3, 1, 12, tzinfo=UTC)
    choice = isspass.choose_source(
        elements=_tle(), start=start, end=start + timedelta(days=2), policy=_policy()
    )
    (warning,) = choice.warnings
    assert isinstance(warning, isspass.ManoeuvreWarning)
    assert "plans Reboost at 2025-03-02 06:00 UTC, 0.6 m/s: predictions from elements after that time" in str(
        warning
    )
    # A window that ends before the reboost, or elements made after it, get no warning.
    before = isspass.choose_source(
        elements=_tle(), start=start, end=start + timedelta(hours=12), policy=_policy()
    )
    assert before.warnings == ()
    newer = _tle()[0]
    from dataclasses import replace

    newer = replace(newer, epoch=datetime(2025, 3, 2, 7, tzinfo=UTC))
    after = isspass.choose_source(
        elements=[newer], start=start, end=start + timedelta(days=2), policy=_policy()
    )
    assert after.warnings == ()
    # The library emits it as a warnings.warn category, like the others.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        choice.emit()
    assert [type(w.message) for w in caught] == [isspass.ManoeuvreWarning]


def test_no_usable_trajectory(cache_dir):
    with pytest.raises(TrajectoryMissingError, match=r"no cached trajectory .*isspass update"):
        isspass.choose_source(start=COVERED, end=COVERED, policy=_policy(), source="oem")
    (cache_dir / "25544.oem").write_bytes(b"CCSDS_OEM_VERS = 2.0\nCREATION_DATE = garbage\n")
    choice = isspass.choose_source(elements=_tle(), start=COVERED, end=COVERED, policy=_policy())
    (warning,) = choice.warnings
    assert isinstance(warning, CacheWarning) and "ignoring the cached trajectory" in str(warning)
    assert "line 2: CREATION_DATE: 'garbage' is not a time" in str(warning)
    # Another object's trajectory in the cache is not the ISS's.
    (cache_dir / "25544.oem").write_text(KVN_TEXT.replace("OBJECT_ID = 1998-067-A", "OBJECT_ID = 1990-037-B"))
    choice = isspass.choose_source(elements=_tle(), start=COVERED, end=COVERED, policy=_policy())
    assert "it is not the ISS's" in str(choice.warnings[0])


def test_loading_a_trajectory_says_which_satellite_it_is():
    other = parse_oem(
        KVN_TEXT.replace("OBJECT_ID = 1998-067-A", "OBJECT_ID = 1990-037-B").encode(), "hst.oem"
    )
    with pytest.raises(
        TrajectoryError, match="of 1990-037-B; say which satellite that is by its NORAD number"
    ):
        isspass.load_trajectory(other)
    hst = isspass.load_trajectory(other, 20580)
    assert hst.norad_id == 20580 and hst.standard_magnitude == 2.2
    with pytest.raises(TrajectoryError, match="the trajectory is the ISS's, not that of satellite '20580'"):
        isspass.load_trajectory(XML, "20580")
    assert isspass.load_trajectory(XML, "ISS (ZARYA)", standard_magnitude=-2.0).standard_magnitude == -2.0


# --------------------------------------------------------------------------- the command line


def _run(*args: str):
    return CliRunner().invoke(cli, ["--lat", "47.37", "--lon", "8.54", "--offline", *args])


def test_command_line_and_library_choose_the_same_trajectory(cached):
    result = _run("--start", COVERED.isoformat(), "--days", "1", "--all", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    sat = doc["satellite"]
    assert sat["source"] == f"OEM cache ({cached})" and sat["epoch"] == "2025-02-26T18:18:07.830Z"
    assert (
        sat["trajectory"]["created"] == "2025-02-26T18:18:07.830Z"
        and sat["trajectory"]["originator"] == "JSC"
    )
    assert sat["trajectory"]["start"] == "2025-02-27T00:01:00Z"
    library = isspass.find_passes(ZURICH, COVERED, 1, visible_only=False, offline=True)
    assert doc["passes"] == [pass_to_dict(p) for p in library]
    text = _run("--start", COVERED.isoformat(), "--days", "1.5").stdout
    assert f"Trajectory: OEM cache ({cached}), created 2025-02-26T18:18:07.830Z by JSC" in text
    assert "Planned: 91P Dock 2025-03-01 23:03 UTC" in text


def test_oem_file_and_source_options(tmp_path, cached):
    given = tmp_path / "iss.txt"
    given.write_text(KVN_TEXT)
    doc = json.loads(
        _run("--oem", str(given), "--start", COVERED.isoformat(), "--days", "1", "--format", "json").stdout
    )
    assert doc["satellite"]["source"] == f"OEM {given}"
    tle = tmp_path / "iss.tle"
    tle.write_text(ISSUE_TLE)
    forced = _run(
        "--source", "elements", "--tle", str(tle), "--start", COVERED.isoformat(), "--format", "json"
    )
    assert json.loads(forced.stdout)["satellite"]["trajectory"] is None
    late = _run("--source", "oem", "--start", "2025-03-02", "--days", "1")
    assert (
        late.exit_code == 2
        and late.stderr.startswith("isspass: OEM cache (")
        and "not the window" in late.stderr
    )
    bad = tmp_path / "bad.oem"
    bad.write_text(KVN_TEXT.replace("REF_FRAME = EME2000", "REF_FRAME = ITRF"))
    broken = _run("--oem", str(bad), "--start", COVERED.isoformat())
    assert broken.exit_code == 4
    assert (
        broken.stderr
        == f"isspass: {bad}, line 9: REF_FRAME ITRF is not supported (EME2000, GCRF, ICRF, TEME)\n"
    )
    missing = _run("--oem", str(tmp_path / "absent.oem"), "--start", COVERED.isoformat())
    assert missing.exit_code == 3 and "no such file" in missing.stderr
    wrong = _run("--source", "nasa")
    assert wrong.exit_code == 2 and "'nasa' is not one of 'auto', 'elements', 'oem'" in wrong.stderr


def test_command_line_warns_of_a_planned_reboost_when_predicting_from_elements(cache_dir, tmp_path):
    (cache_dir / "25544.oem").write_text(WITH_REBOOST)
    tle = tmp_path / "iss.tle"
    tle.write_text(ISSUE_TLE)
    result = _run("--tle", str(tle), "--start", "2025-03-01T12:00Z", "--days", "2")
    assert result.exit_code == 0
    assert result.stderr == (
        "isspass: warning: NASA's trajectory (created 2025-02-26 18:18 UTC) plans Reboost at "
        "2025-03-02 06:00 UTC, 0.6 m/s: predictions from elements after that time will be off, "
        "by minutes after a reboost\n"
    )
    assert "Elements: " in result.stdout


def test_source_and_oem_come_from_the_config_file_and_environment(
    cached, no_user_state_no_network, monkeypatch
):
    (no_user_state_no_network / "config.toml").write_text('source = "elements"\n')
    shown = CliRunner().invoke(cli, ["config"]).stdout
    assert (
        "source = elements  [config file]" in shown
        and "oem-url = none  [environment ISSPASS_OEM_URL]" in shown
    )
    result = _run("--start", COVERED.isoformat(), "--days", "1")  # elements forced: the bundled set is stale
    assert result.exit_code == 5
    monkeypatch.setenv("ISSPASS_SOURCE", "auto")
    assert _run("--start", COVERED.isoformat(), "--days", "1", "--format", "json").exit_code == 0


def test_batch_predicts_from_the_trajectory(cached, tmp_path):
    places = tmp_path / "places.csv"
    places.write_text("name,lat,lon\nZurich,47.37,8.54\nTokyo,35.68,139.69\n")
    result = CliRunner().invoke(
        cli, ["batch", str(places), "--start", COVERED.isoformat(), "--days", "1", "--all", "--offline"]
    )
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    assert len(rows) >= 8 and {row.split(",")[0] for row in rows} == {"Zurich", "Tokyo"}


def test_elements_command_shows_the_cached_trajectory_and_its_events(cached):
    result = CliRunner().invoke(cli, ["elements"])
    assert result.exit_code == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if "trajectory created" in line]
    assert "trajectory created 2025-02-26 18:18 UTC by JSC" in line
    assert "covering 2025-02-27 00:01 to 2025-03-02 11:58 UTC (1261 vectors)" in line and str(cached) in line
    assert "planned: 2025-03-01 23:03:50 UTC  91P Dock  0 m/s" in result.stdout
    assert "planned: 2025-03-12 23:48:54 UTC  Crew10 Launch  0 m/s" in result.stdout


def test_the_readme_example_runs(monkeypatch):
    from pathlib import Path

    root = Path(__file__).parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    start = readme.index("### NASA's trajectory")
    section = readme[start : readme.index("\n### ", start + 1)]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    monkeypatch.chdir(root)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert isinstance(namespace["iss"], isspass.TrajectorySatellite) and namespace["p"].visible


def test_the_page_charts_and_tracks_of_a_trajectory(tmp_path):
    """Every renderer takes a trajectory as it takes elements: the page, the chart, the track."""
    start = "2025-02-27T06:00Z"
    args = ["--lat", "47.37", "--lon", "8.54", "--oem", str(XML), "--start", start, "--days", "1", "--all"]
    page = CliRunner().invoke(cli, [*args, "--format", "html"], catch_exceptions=False)
    assert page.exit_code == 0, page.stderr
    rows = re.findall(r"<tr", page.stdout)
    assert page.stdout.count("<svg") == len(rows) - 1 > 0  # one chart per pass (and the header row)
    assert "<dt>Trajectory</dt>" in page.stdout and "<dt>Planned</dt>" in page.stdout
    chart = tmp_path / "pass.svg"
    drawn = CliRunner().invoke(cli, ["chart", *args, "-o", str(chart)], catch_exceptions=False)
    assert drawn.exit_code == 0 and "<svg" in chart.read_text() and "<polyline" in chart.read_text()
    trajectory = isspass.load_trajectory(XML)
    zurich = isspass.Observer(47.37, 8.54)
    (first, *_) = isspass.find_passes(
        zurich, datetime(2025, 2, 27, 6, tzinfo=timezone.utc), 1, satellite=trajectory, visible_only=False
    )
    track = isspass.pass_track(first, zurich, trajectory, step_s=5)
    assert abs(track.altitude_deg.max() - first.culmination.altitude_deg) < 1e-5  # as for elements
    assert track.start == first.rise.time and track.offset_s[0] == 0
    assert abs(track.altitude_deg[0] - first.rise.altitude_deg) < 1e-5
