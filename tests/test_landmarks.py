"""The Moon, planets and stars of a chart: where the hour-angle formula puts them, all above the horizon."""

from __future__ import annotations

import math
from datetime import datetime, timezone

import numpy as np
import pytest

import isspass
from isspass.landmarks import bright_stars, landmarks

ZURICH = isspass.Observer(47.37, 8.54)
EVENING = datetime(2026, 9, 24, 17, 47, tzinfo=timezone.utc)


def _hour_angle_altaz(ra_hours: float, dec_deg: float, observer: isspass.Observer, when: datetime):
    """Altitude and azimuth from the textbook formulae: GMST, hour angle, spherical triangle.

    J2000 coordinates without precession (0.35° in 26 years), so good to about half a degree.
    """
    days = (when - datetime(2000, 1, 1, 12, tzinfo=timezone.utc)).total_seconds() / 86400
    gmst_deg = (280.46061837 + 360.98564736629 * days) % 360
    hour_angle = math.radians(gmst_deg + observer.longitude_deg - 15 * ra_hours)
    lat, dec = math.radians(observer.latitude_deg), math.radians(dec_deg)
    sin_alt = math.sin(lat) * math.sin(dec) + math.cos(lat) * math.cos(dec) * math.cos(hour_angle)
    alt = math.asin(sin_alt)
    az = math.atan2(
        -math.cos(dec) * math.sin(hour_angle),
        math.sin(dec) * math.cos(lat) - math.cos(dec) * math.sin(lat) * math.cos(hour_angle),
    )
    return math.degrees(alt), math.degrees(az) % 360


def test_the_star_list_is_the_bright_sky():
    stars = bright_stars()
    assert len(stars.names) == len(set(stars.names)) >= 80
    assert stars.magnitude.max() <= 2.5 and stars.magnitude.min() == pytest.approx(-1.46)  # Sirius
    assert {"Sirius", "Vega", "Polaris", "Arcturus", "Betelgeuse"} <= set(stars.names)
    assert np.all((stars.ra_hours >= 0) & (stars.ra_hours < 24)) and np.all(np.abs(stars.dec_deg) <= 90)


@pytest.mark.parametrize(
    ("observer", "when"),
    [
        (ZURICH, EVENING),
        (isspass.Observer(-33.9, 18.4), datetime(2026, 1, 5, 21, 0, tzinfo=timezone.utc)),
        (isspass.Observer(64.1, -21.9), datetime(2027, 3, 1, 3, 30, tzinfo=timezone.utc)),
    ],
)
def test_stars_sit_where_the_hour_angle_puts_them(observer, when):
    stars = bright_stars()
    seen = {body.name: body for body in landmarks(observer, when) if body.kind == "star"}
    expected_up = 0
    for name, ra, dec in zip(stars.names, stars.ra_hours, stars.dec_deg, strict=True):
        alt, az = _hour_angle_altaz(ra, dec, observer, when)
        if alt > 1.0:
            expected_up += 1
            body = seen[name]
            assert body.altitude_deg == pytest.approx(alt, abs=0.6)
            turn = (body.azimuth_deg - az + 180) % 360 - 180
            assert abs(turn) * math.cos(math.radians(alt)) < 0.6
        elif alt < -1.0:
            assert name not in seen
    assert expected_up > 20
    assert all(body.altitude_deg > 0 for body in seen.values())


def test_polaris_stands_at_the_latitude_due_north():
    polaris = next(b for b in landmarks(ZURICH, EVENING) if b.name == "Polaris")
    assert polaris.altitude_deg == pytest.approx(ZURICH.latitude_deg, abs=0.8)
    assert min(polaris.azimuth_deg, 360 - polaris.azimuth_deg) < 1.2


def test_moon_and_planets_only_above_the_horizon():
    seen = landmarks(ZURICH, EVENING)
    kinds = [body.kind for body in seen]
    assert kinds[0] == "moon"  # nearly full, low in the east-south-east that evening
    moon = seen[0]
    assert 0.9 < moon.illuminated <= 1.0 and 90 < moon.azimuth_deg < 150
    planets = [body for body in seen if body.kind == "planet"]
    assert planets and all(p.magnitude is not None and p.altitude_deg > 0 for p in planets)
    later = landmarks(ZURICH, datetime(2026, 9, 24, 23, 0, tzinfo=timezone.utc))
    assert "Venus" not in {b.name for b in later}  # an evening star, set by 1 am
