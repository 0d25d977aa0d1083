"""Pre-screening peaks that cannot be visible: the visible passes are exactly the same."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

import isspass
from isspass.search import passes as passes_module
from isspass.search.prescreen import (
    SUN_MARGIN_DEG,
    horizon_bounds,
    in_one_shadow,
    sun_always_above,
)
from isspass.search.roots import Intervals
from isspass.search.track import Track
from isspass.sky import Sites, sun_altitude_deg

SOLSTICE_JUNE = datetime(2026, 6, 20, tzinfo=timezone.utc)
SOLSTICE_DECEMBER = datetime(2026, 12, 21, tzinfo=timezone.utc)
EQUINOX = datetime(2026, 9, 24, tzinfo=timezone.utc)


def _observers(count: int, seed: int) -> list[isspass.Observer]:
    """Random places at every latitude, with the polar and twilight-band latitudes always in."""
    rng = np.random.default_rng(seed)
    edges = [89.9, -89.9, 80.0, -80.0, 66.5, -66.5, 60.0, -60.0, 51.6, -51.6, 48.5, -48.5]
    lat = np.concatenate([rng.uniform(-90, 90, count - len(edges)), edges])
    lon = rng.uniform(-180, 180, lat.size)
    elev = rng.uniform(0, 4000, lat.size)
    return [isspass.Observer(float(a), float(b), float(c)) for a, b, c in zip(lat, lon, elev, strict=True)]


def _search(monkeypatch, screened, *args, **kwargs):
    monkeypatch.setattr(passes_module, "PRESCREEN", screened)
    return isspass.find_passes_many(*args, **kwargs)


@pytest.mark.parametrize(
    "start", [SOLSTICE_JUNE, SOLSTICE_DECEMBER, EQUINOX], ids=["june", "december", "equinox"]
)
@pytest.mark.parametrize("min_elevation_deg", [0.0, 10.0, 30.0])
def test_visible_passes_identical_with_and_without_prescreen(monkeypatch, iss, start, min_elevation_deg):
    observers = _observers(200, seed=int(start.month * 100 + min_elevation_deg))
    for twilight_deg in (-3.0, -6.0, -18.0):
        settings = dict(satellite=iss, min_elevation_deg=min_elevation_deg, twilight_deg=twilight_deg)
        plain = _search(monkeypatch, False, observers, start, 2, **settings)
        screened = _search(monkeypatch, True, observers, start, 2, **settings)
        assert screened == plain
        if min_elevation_deg < 30.0:
            assert sum(map(len, plain)) > 50


def test_twilight_edges_identical(monkeypatch, iss):
    """Twilights in small steps, so that some passes sit right at the edge of the dark sky."""
    observers = _observers(60, seed=11)
    for twilight_deg in np.linspace(-12.0, 0.0, 9):
        settings = dict(satellite=iss, twilight_deg=float(twilight_deg))
        plain = _search(monkeypatch, False, observers, EQUINOX, 2, **settings)
        screened = _search(monkeypatch, True, observers, EQUINOX, 2, **settings)
        assert screened == plain


def test_prescreen_drops_passes_that_are_not_visible(monkeypatch, iss):
    """With the screen, fewer passes reach refinement; none of the dropped ones was visible."""
    observers = _observers(40, seed=5)
    sites = Sites.from_geodetic(
        [o.latitude_deg for o in observers],
        [o.longitude_deg for o in observers],
        [o.elevation_m for o in observers],
    )
    track = Track.build(iss, EQUINOX, 2 * 86400.0)
    every, _, _ = passes_module._passes_above(track, sites, 10.0)
    kept, _, _ = passes_module._passes_above(track, sites, 10.0, -6.0)
    assert kept.peak.size < 0.8 * every.peak.size
    visible = _search(monkeypatch, False, observers, EQUINOX, 2, satellite=iss, min_elevation_deg=10.0)
    assert sum(map(len, visible)) > 0
    kept_peaks = set(zip(kept.owner.tolist(), kept.peak.round(3).tolist(), strict=True))
    t0 = EQUINOX.timestamp()
    for index, found in enumerate(visible):
        for p in found:
            culmination = round(p.culmination.time.timestamp() - t0, 3)
            assert any(o == index and abs(peak - culmination) < 0.01 for o, peak in kept_peaks)


def test_horizon_bounds_enclose_the_pass():
    grid = np.arange(20.0) * 10.0
    z = np.cos((grid - 100.0) / 30.0)[None, :] - 0.5  # one pass above the horizon, 68.6…131.4 s
    lo, hi = horizon_bounds(grid, z, np.array([0]), np.array([int(np.argmax(z[0]))]))
    inside = grid[z[0] >= 0]
    assert lo[0] < inside.min() and hi[0] > inside.max()
    assert z[0, grid == lo[0]] < 0 and z[0, grid == hi[0]] < 0
    always_up = np.ones((1, 20))  # no sample below the horizon: bounded by the grid's ends
    lo, hi = horizon_bounds(grid, always_up, np.array([0]), np.array([10]))
    assert (lo[0], hi[0]) == (grid[0], grid[-1])


def test_in_one_shadow():
    shadow = Intervals(
        np.zeros(2, np.intp), np.array([10.0, 50.0]), np.zeros(2), np.array([30.0, 80.0]), np.zeros(2)
    )
    lo = np.array([12.0, 5.0, 25.0, 52.0, 90.0, 10.0])
    hi = np.array([28.0, 20.0, 55.0, 79.0, 95.0, 20.0])
    assert in_one_shadow(lo, hi, shadow).tolist() == [True, False, False, True, False, False]
    empty = Intervals(*(np.zeros(0, t) for t in (np.intp, float, float, float, float)))
    assert not in_one_shadow(lo, hi, empty).any()


def test_sun_always_above_is_true_only_when_the_sun_stays_up(iss):
    """Checked against the Sun's altitude every 10 s over each interval, at all latitudes."""
    rng = np.random.default_rng(3)
    count = 400
    sites = Sites.from_geodetic(rng.uniform(-90, 90, count), rng.uniform(-180, 180, count), np.zeros(count))
    sun = Track.build(iss, SOLSTICE_JUNE, 86400.0).orbit.sun
    lo = rng.uniform(0.0, 80000.0, count)
    hi = lo + rng.uniform(0.0, 3600.0, count)
    owner = np.arange(count)
    for twilight_deg in (-18.0, -6.0, -3.0, 0.0):
        above = sun_always_above(sites, sun, owner, lo, hi, twilight_deg)
        assert 0 < above.sum() < count
        for k in np.flatnonzero(above):
            s = np.linspace(lo[k], hi[k], max(2, int((hi[k] - lo[k]) / 10.0)))
            low = sun_altitude_deg(sites.take(np.full(s.size, k)), sun, s).min()
            assert low >= twilight_deg + SUN_MARGIN_DEG
