"""The magnitude model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from isspass.brightness import PHASE_WEIGHT, apparent_magnitude


def test_standard_conditions_give_the_standard_magnitude_less_offset():
    assert apparent_magnitude(-1.8, 1000.0, math.pi / 2) == pytest.approx(-1.87)


def test_range_follows_the_inverse_square_law():
    near, far = apparent_magnitude(-1.8, [500.0, 2000.0], math.pi / 2)
    assert far - near == pytest.approx(5 * math.log10(4))


def test_phase_law_by_hand():
    phi = math.radians(40.0)
    by_hand = (
        -1.87
        + 5 * math.log10(0.463)
        - 2.5 * PHASE_WEIGHT * math.log10(math.sin(phi) + (math.pi - phi) * math.cos(phi))
    )
    assert apparent_magnitude(-1.8, 463.0, phi) == pytest.approx(by_hand)


def test_fuller_phase_is_brighter_and_back_lit_is_finite():
    phases = np.radians([10, 60, 90, 120, 170, 180])
    mags = apparent_magnitude(-1.8, 1000.0, phases)
    assert np.all(np.diff(mags) > 0)
    assert np.all(np.isfinite(mags))
