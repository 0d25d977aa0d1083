"""Element age: the warning / refusal policy and the timing-uncertainty estimate."""

from __future__ import annotations

from datetime import timedelta

import pytest

import isspass
from isspass.freshness import check_age, timing_uncertainty_s


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
    assert timing_uncertainty_s(bundled, when) == pytest.approx(seconds, rel=1e-4)
    # Symmetric in time: predicting before the epoch is no better.
    assert timing_uncertainty_s(bundled, bundled.epoch - timedelta(days=days)) == pytest.approx(
        seconds, rel=1e-3
    )


def test_product_figures_for_a_typical_iss_drag():
    """PRODUCT's example: ndot/2 = 1.6e-4 and P = 20 give ~0.2 s at 1 day, ~9 s at 7, ~35 s at 14."""
    import dataclasses

    (elements,) = isspass.bundled_elements()
    typical = dataclasses.replace(elements, mean_motion_dot=1.6e-4, mean_motion=15.5)
    figures = [timing_uncertainty_s(typical, typical.epoch + timedelta(days=d)) for d in (1, 7, 14)]
    assert [round(f, 1) for f in figures] == [0.2, 8.7, 35.0]


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
        assert 5.0 < p.timing_uncertainty_s < 7.0


def test_uncertainty_grows_like_the_measured_drift(history):
    """The estimate is honest against real drift up to a week (PRODUCT: ≤ 1 s up to 7 days)."""
    for older in history[-4:-1]:
        assert timing_uncertainty_s(older, older.epoch + timedelta(days=2)) < 1.0


def test_age_policy(bundled):
    assert check_age(bundled, bundled.epoch + timedelta(days=2)) is None
    warning = check_age(bundled, bundled.epoch + timedelta(days=4))
    assert warning.startswith("elements for ISS (ZARYA) are 4.0 days old")
    before = check_age(bundled, bundled.epoch - timedelta(days=5))
    assert "5.0 days before their epoch" in before
    with pytest.raises(isspass.StaleElementsError, match=r"31\.0 days old"):
        check_age(bundled, bundled.epoch + timedelta(days=31))
    assert "31.0 days old" in check_age(bundled, bundled.epoch + timedelta(days=31), allow_stale=True)
