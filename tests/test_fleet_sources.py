"""Many satellites meet the other sources: published trajectories, element histories and their manoeuvres."""

from __future__ import annotations

import warnings
from datetime import timedelta

import pytest
from click.testing import CliRunner

import isspass
from conftest import DATA
from isspass.cli import cli
from isspass.errors import ManoeuvreWarning
from isspass.oem import read_oem
from isspass.trajectory_policy import load_trajectory

VISUAL = DATA / "visual-2026-02-22.tle"
ZURICH = isspass.Observer(47.37, 8.54, 410)
SYDNEY = isspass.Observer(-33.87, 151.21)


@pytest.fixture(scope="module")
def trajectory() -> isspass.TrajectorySatellite:
    return load_trajectory(read_oem(DATA / "nasa-iss-oem-2025-02-26-trimmed.xml.gz"))


@pytest.fixture(scope="module")
def tiangong() -> isspass.Satellite:
    return isspass.load_satellite(elements=VISUAL, satellite=48274)


def test_a_trajectory_in_a_sequence_gives_the_passes_it_gives_alone(trajectory):
    start = trajectory.ephemeris.start + timedelta(days=1)
    for observer in (ZURICH, SYDNEY):
        alone = isspass.find_passes(observer, start, 2, satellite=trajectory, visible_only=False)
        together = isspass.find_passes(observer, start, 2, satellite=[trajectory], visible_only=False)
        assert alone and len(together) == len(alone)
        for a, b in zip(alone, together, strict=True):
            assert a.type is b.type and a.satellite == b.satellite == isspass.SatelliteId("ISS", 25544)
            assert abs((a.rise.time - b.rise.time).total_seconds()) < 1e-3
            assert abs((a.set.time - b.set.time).total_seconds()) < 1e-3
            assert a.timing_uncertainty_s == pytest.approx(b.timing_uncertainty_s, abs=1e-6)


def test_a_trajectory_that_does_not_cover_the_window_is_left_out_of_several(trajectory, tiangong):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        passes = isspass.find_passes(
            SYDNEY, tiangong.epoch, 3, satellite=[trajectory, tiangong], visible_only=False
        )
    assert passes and {p.satellite.norad_id for p in passes} == {48274}
    skipped = [w for w in caught if issubclass(w.category, isspass.SatelliteSkippedWarning)]
    assert len(skipped) == 1 and "not the window" in str(skipped[0].message)
    with pytest.raises(isspass.TrajectoryCoverageError):  # alone, it is refused as before
        isspass.find_passes(SYDNEY, tiangong.epoch, 3, satellite=trajectory)


def test_several_satellites_carry_their_history_drag_and_manoeuvre_warnings():
    sets = isspass.read_elements(DATA / "iss-2025-autumn-history.tle")
    newest = max(sets, key=lambda e: e.epoch)
    start = newest.epoch + timedelta(hours=1)
    policy = isspass.ElementPolicy(offline=True)
    alone = isspass.choose_satellite(25544, elements=sets, start=start, policy=policy, days=20)
    assert alone.satellite.history_drag is not None
    named = isspass.choose_satellites([25544, "all"], elements=sets, start=start, policy=policy, days=20)
    everything = isspass.choose_satellites(["all"], elements=sets, start=start, policy=policy)
    assert named.satellites == (alone.satellite,)
    assert everything.satellites[0].elements == alone.satellite.elements
    assert everything.satellites[0].history_drag == alone.satellite.history_drag
    said = [str(w) for w in named.warnings if isinstance(w, ManoeuvreWarning)]
    assert said and said == [str(w) for w in alone.warnings if isinstance(w, ManoeuvreWarning)]

def test_the_command_line_predicts_several_from_elements_only():
    runner = CliRunner()
    args = ["--lat", "-33.87", "--lon", "151.21", "--tle", str(VISUAL), "--satellite", "25544",
            "--satellite", "48274", "--start", "2026-02-22", "--days", "2", "--offline"]  # fmt: skip
    for extra in (["--source", "oem"], ["--oem", str(DATA / "nasa-iss-oem-2025-02-26-trimmed.xml.gz")]):
        refused = runner.invoke(cli, [*args, *extra])
        assert refused.exit_code == 2 and refused.stdout == ""
        assert "predicts one satellite, not several" in refused.stderr
    line = runner.invoke(cli, [*args, "--format", "line"])
    assert line.exit_code == 0 and line.stdout.startswith(("CSS ", "ISS ")) and line.stdout.count("\n") == 1
