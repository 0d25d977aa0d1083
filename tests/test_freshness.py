"""Element age: the warning / refusal policy, the timing band by hand, and Molczan's estimate before it."""

from __future__ import annotations

from datetime import timedelta

import pytest

import isspass
from isspass.freshness import (
    TIMING_BAND,
    check_age,
    molczan_uncertainty_s,
    timing_band_s,
    timing_uncertainty_s,
)


@pytest.fixture(scope="module")
def bundled():
    (elements,) = isspass.bundled_elements()
    return elements


# By hand, for the bundled set: ndot/2 = 9.634e-5 rev/day², n0 = 15.49258637 rev/day, P = 20 %:
#   T = 864 · 20 · 9.634e-5 · dt² / (15.49258637 + 2 · 9.634e-5 · dt) = 1.6647552 · dt² / (…)
#   dt = 1:  1.6647552 / 15.49277905            = 0.10745 s
#   dt = 3:  14.9827968 / 15.49316441           = 0.96706 s
#   dt = 7:  81.5730048 / 15.49393513           = 5.26484 s
#   dt = 14: 326.2920192 / 15.49528389          = 21.0575 s
@pytest.mark.parametrize(("days", "seconds"), [(1, 0.10745), (3, 0.96706), (7, 5.26484), (14, 21.0575)])
def test_molczan_uncertainty_by_hand(bundled, days, seconds):
    when = bundled.epoch + timedelta(days=days)
    assert molczan_uncertainty_s(bundled, when) == pytest.approx(seconds, rel=1e-4)
    # Symmetric in time: predicting before the epoch is no better.
    assert molczan_uncertainty_s(bundled, bundled.epoch - timedelta(days=days)) == pytest.approx(
        seconds, rel=1e-3
    )


def test_product_figures_for_a_typical_iss_drag():
    """PRODUCT's example: ndot/2 = 1.6e-4 and P = 20 give ~0.2 s at 1 day, ~9 s at 7, ~35 s at 14."""
    import dataclasses

    (elements,) = isspass.bundled_elements()
    typical = dataclasses.replace(elements, mean_motion_dot=1.6e-4, mean_motion=15.5)
    figures = [molczan_uncertainty_s(typical, typical.epoch + timedelta(days=d)) for d in (1, 7, 14)]
    assert [round(f, 1) for f in figures] == [0.2, 8.7, 35.0]


# The band by hand, for the bundled set: d = |ndot/2| = 9.634e-5 rev/day², n0 = 15.49258637,
# a drag error δ moves the track by 86400·δ·dt²/n0 s; the band is 0.5 s plus that (or 0.15 s/day).
#   alone:  δ = 1.2 · (9.634e-5 / 1e-4) · 9.634e-5                = 1.113767e-4
#   with a history of h = 7e-5:  δ = 0.22 · 0.7 · 7e-5 + 0.5 · |7e-5 − 9.634e-5| = 2.395e-5
#   dt = 1:  0.5 + 5576.84 · δ  →  alone 1.1211 s,  history 0.6336 s, below 0.5 + 0.15: 0.65 s
#   dt = 7:  0.5 + 273265 · δ   →  alone 30.935 s,  history 7.0447 s
#   dt = 14: 0.5 + 1093060 · δ  →  alone 122.24 s,  history 26.679 s
@pytest.mark.parametrize(
    ("days", "alone", "with_history"), [(1, 1.1211, 0.65), (7, 30.935, 7.0447), (14, 122.24, 26.679)]
)
def test_timing_band_by_hand(bundled, days, alone, with_history):
    when = bundled.epoch + timedelta(days=days)
    assert timing_uncertainty_s(bundled, when) == pytest.approx(alone, rel=1e-4)
    assert timing_uncertainty_s(bundled, when, history_drag=7e-5) == pytest.approx(with_history, rel=1e-4)
    # Symmetric in time: predicting before the epoch is no better.
    before = bundled.epoch - timedelta(days=days)
    assert timing_uncertainty_s(bundled, before) == pytest.approx(alone, rel=1e-4)


def test_timing_band_follows_the_drag_not_the_set_alone(bundled):
    """A set whose drag term is far from its history's gets a wider band, and a high drag a wider one."""
    week = bundled.epoch + timedelta(days=7)
    agreeing = timing_uncertainty_s(bundled, week, history_drag=bundled.mean_motion_dot)
    disagreeing = timing_uncertainty_s(bundled, week, history_drag=bundled.mean_motion_dot / 2)
    assert disagreeing > agreeing
    quiet, active = timing_band_s(7.0, 15.49, [5e-5, 1.5e-4], [5e-5, 1.5e-4])
    floor = TIMING_BAND.floor_s  # three times the drag, nine times the shift:
    assert active - floor == pytest.approx(9 * (quiet - floor))


def test_timing_band_of_a_high_satellite_is_its_floor():
    """At 800 km the drag is negligible: 0.5 s at the epoch, growing 0.15 s a day."""
    bands = timing_band_s([0.0, 1.0, 14.0], 14.3, 1e-7)
    assert bands == pytest.approx([0.5, 0.65, 2.6], abs=1e-3)


def test_passes_carry_their_uncertainty(bundled):
    with pytest.warns(isspass.StaleElementsWarning, match="7.0 days old"):
        sat = isspass.load_satellite(start=bundled.epoch + timedelta(days=7))
    passes = isspass.find_passes(
        isspass.Observer(47.37, 8.54), bundled.epoch + timedelta(days=7), 1, satellite=sat, visible_only=False
    )
    assert passes
    for p in passes:
        assert p.timing_uncertainty_s == pytest.approx(
            timing_uncertainty_s(bundled, p.culmination.time), rel=1e-6
        )
        # The bundled set alone: 30.9 s at 7 days, 40.3 s at 8 (by hand, as above).
        assert 30.9 < p.timing_uncertainty_s < 40.4


def test_age_policy(bundled):
    assert check_age(bundled, bundled.epoch + timedelta(days=2)) is None
    warning = check_age(bundled, bundled.epoch + timedelta(days=4))
    assert warning.startswith("elements for ISS (ZARYA) are 4.0 days old")
    before = check_age(bundled, bundled.epoch - timedelta(days=5))
    assert "5.0 days before their epoch" in before
    with pytest.raises(isspass.StaleElementsError, match=r"31\.0 days old"):
        check_age(bundled, bundled.epoch + timedelta(days=31))
    assert "31.0 days old" in check_age(bundled, bundled.epoch + timedelta(days=31), allow_stale=True)
