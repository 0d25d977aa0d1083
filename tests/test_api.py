"""The public Python API: what `import isspass` offers and what results look like."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

import isspass


def test_public_names():
    for name in ("find_passes", "Observer", "Pass", "PassPoint", "PassType", "load_satellite"):
        assert name in isspass.__all__
        assert getattr(isspass, name).__doc__


def test_results_are_frozen_with_utc_datetimes(iss):
    passes = isspass.find_passes(
        isspass.Observer(47.37, 8.54), datetime(2026, 9, 24, tzinfo=timezone.utc), 2, satellite=iss
    )
    assert passes and all(p.visible for p in passes)
    p = passes[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.magnitude = 0  # type: ignore[misc]
    assert p.rise.time.utcoffset().total_seconds() == 0
    assert str(p.type) == "visible"
    assert p.highest.direction in isspass.model.COMPASS_POINTS


def test_default_satellite_and_now():
    # The bundled elements are months from now: refused, as the command line refuses them.
    with pytest.raises(isspass.StaleElementsError):
        isspass.find_passes(isspass.Observer(0.0, 0.0), days=0.2, offline=True)
    with pytest.warns(isspass.StaleElementsWarning):
        passes = isspass.find_passes(isspass.Observer(0.0, 0.0), days=0.2, offline=True, allow_stale=True)
    assert isinstance(passes, list)


def test_start_in_another_zone_is_the_same_instant(iss):
    from zoneinfo import ZoneInfo

    local = datetime(2026, 9, 24, 2, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    utc = datetime(2026, 9, 24, 0, 0, tzinfo=timezone.utc)
    a = isspass.find_passes(isspass.Observer(47.37, 8.54), local, 1, satellite=iss, visible_only=False)
    b = isspass.find_passes(isspass.Observer(47.37, 8.54), utc, 1, satellite=iss, visible_only=False)
    assert a == b


@pytest.mark.parametrize(
    ("azimuth", "name"),
    [
        (0, "N"),
        (11.2, "N"),
        (11.3, "NNE"),
        (90, "E"),
        (235, "SW"),
        (348.7, "NNW"),
        (348.8, "N"),
        (359.9, "N"),
    ],
)
def test_compass_points(azimuth, name):
    assert isspass.compass_point(azimuth) == name
