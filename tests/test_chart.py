"""Sky charts, checked by their numbers: points where the altitude and azimuth say, lit and shadow
apart, the right local times, a PNG of the right size that is not blank."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import isspass
from isspass.chart import chart_png, chart_svg, chart_xy, sky_chart
from isspass.skyview import sky_view

SVG = "{http://www.w3.org/2000/svg}"
NEW_YORK = isspass.Observer(40.71, -74.01, 10)
ZONE = "America/New_York"
START = datetime(2026, 9, 24, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def views(iss):
    """Every pass over New York for two days (visible, daylight, unlit), ready to draw."""
    passes = isspass.find_passes(NEW_YORK, START, 2, satellite=iss, visible_only=False)
    return [sky_view(p, NEW_YORK, iss, ZONE, number=n) for n, p in enumerate(passes, start=1)]


@pytest.fixture(scope="module")
def overhead(iss):
    """A pass straight overhead: the observer stands under the ISS at one of its culminations."""
    from skyfield.api import EarthSatellite, wgs84

    from isspass.sky import skyfield_timescale

    first = isspass.find_passes(NEW_YORK, START, 1, satellite=iss)[0]
    ts = skyfield_timescale()
    below = wgs84.subpoint_of(
        EarthSatellite.from_satrec(iss.elements.satrec, ts).at(ts.from_datetime(first.culmination.time))
    )
    place = isspass.Observer(below.latitude.degrees, below.longitude.degrees)
    p = isspass.find_passes(
        place, first.culmination.time - timedelta(minutes=20), 0.03, satellite=iss, visible_only=False
    )[0]
    assert p.culmination.altitude_deg > 89.5
    return sky_view(p, place, iss, ZONE)


def parse(view, orientation="north-up"):
    return ET.fromstring(chart_svg(sky_chart(view, orientation), standalone=False))


def find(root, tag, role):
    return [e for e in root.iter(SVG + tag) if role in e.get("class", "").split()]


def points(element):
    return np.array([[float(v) for v in pair.split(",")] for pair in element.get("points").split()])


def frame(root):
    (horizon,) = find(root, "circle", "horizon")
    return float(horizon.get("cx")), float(horizon.get("cy")), float(horizon.get("r"))


def track_points(root):
    """The drawn track in order: the pieces joined, the shared point between two pieces once."""
    pieces = sorted(find(root, "polyline", "track"), key=lambda e: int(e.get("data-first-index")))
    joined = [points(pieces[0])]
    for piece in pieces[1:]:
        assert np.allclose(points(piece)[0], joined[-1][-1])  # each piece starts where the last ended
        joined.append(points(piece)[1:])
    return np.concatenate(joined)


def test_every_track_point_sits_where_its_altitude_and_azimuth_say(views):
    for view in views:
        for orientation, east in (("north-up", -1), ("south-up", 1)):
            root = parse(view, orientation)
            cx, cy, radius = frame(root)
            drawn = track_points(root)
            track = view.track
            assert len(drawn) == len(track) >= 20  # sampled, not a few curves
            # Independently: distance from the centre ∝ zenith angle; azimuth clockwise from north.
            zenith_angle = np.hypot(drawn[:, 0] - cx, drawn[:, 1] - cy) / radius * 90
            assert np.max(np.abs(zenith_angle - (90 - track.altitude_deg))) < 0.01
            north = -1 if orientation == "north-up" else 1  # which way north lies on the y axis
            azimuth = np.degrees(np.arctan2((drawn[:, 0] - cx) * east, (drawn[:, 1] - cy) * north)) % 360
            turn = (azimuth - track.azimuth_deg + 180) % 360 - 180
            assert np.max(np.abs(turn) * np.cos(np.radians(track.altitude_deg))) < 0.05


def test_zenith_in_the_centre_and_the_minimum_elevation_on_its_circle(views, overhead):
    root = parse(overhead)
    cx, cy, radius = frame(root)
    drawn = track_points(root)
    nearest = np.min(np.hypot(drawn[:, 0] - cx, drawn[:, 1] - cy))
    assert nearest < radius * (90 - overhead.pass_.culmination.altitude_deg) / 90 + 0.02 < radius * 0.006
    assert chart_xy(90.0, 123.0) == pytest.approx((cx, cy))
    for view in views:
        root = parse(view)
        cx, cy, _ = frame(root)
        (circle,) = find(root, "circle", "min-elevation")
        assert float(circle.get("data-altitude")) == view.pass_.min_elevation_deg == 10
        drawn = track_points(root)
        for end in (drawn[0], drawn[-1]):  # rise and set: on the minimum-elevation circle
            assert math.hypot(end[0] - cx, end[1] - cy) == pytest.approx(float(circle.get("r")), abs=0.02)


def test_east_is_on_the_left_when_north_is_up(views):
    for orientation, east_side in (("north-up", -1), ("south-up", 1)):
        root = parse(views[0], orientation)
        cx, cy, _ = frame(root)
        (label,) = [e for e in find(root, "text", "compass") if e.text == "E"]
        assert np.sign(float(label.get("x")) - cx) == east_side
        assert abs(float(label.get("y")) - cy) < 10
        x, y = chart_xy(45.0, 90.0, orientation)  # due east, half-way up
        assert np.sign(x - cx) == east_side and abs(y - cy) < 1e-9
    # A real sample near due east lands on that side too.
    view = min(views, key=lambda v: np.min(np.abs(v.track.azimuth_deg - 90)))
    i = int(np.argmin(np.abs(view.track.azimuth_deg - 90)))
    assert abs(view.track.azimuth_deg[i] - 90) < 10
    for orientation, east_side in (("north-up", -1), ("south-up", 1)):
        root = parse(view, orientation)
        cx, _, _ = frame(root)
        assert np.sign(track_points(root)[i][0] - cx) == east_side


def test_lit_and_shadow_parts_are_drawn_differently(views):
    entering = [v for v in views if v.track.sunlit.any() and not v.track.sunlit.all()]
    assert entering
    for view in entering:
        root = parse(view)
        pieces = find(root, "polyline", "track")
        lit = [e for e in pieces if "lit" in e.get("class").split()]
        shadow = [e for e in pieces if "shadow" in e.get("class").split()]
        assert lit and shadow
        for piece in lit:
            assert piece.get("stroke-dasharray") is None and float(piece.get("stroke-width")) >= 3
            first, last = int(piece.get("data-first-index")), int(piece.get("data-last-index"))
            assert view.track.sunlit[first + 1 : last + 1].all()
        for piece in shadow:
            assert piece.get("stroke-dasharray") and float(piece.get("stroke-width")) < 3
            first, last = int(piece.get("data-first-index")), int(piece.get("data-last-index"))
            assert not view.track.sunlit[first + 1 : last + 1].any()
    unlit = next(v for v in views if not v.track.sunlit.any())
    assert all("shadow" in e.get("class").split() for e in find(parse(unlit), "polyline", "track"))


def test_time_labels_say_the_local_time_of_appears_highest_and_disappears(views):
    zone = ZoneInfo(ZONE)
    for view in views:
        p = view.pass_
        root = parse(view)
        labels = {}
        for label in find(root, "text", "time"):
            for name in label.get("data-event").split():
                labels[name] = label
        names = ("appears", "highest", "disappears") if p.appears else ("rise", "culmination", "set")
        assert set(labels) == set(names)
        for name in names:
            when = getattr(p, name).time
            local = (when + timedelta(microseconds=500_000)).astimezone(zone)
            assert labels[name].text == f"{local:%H:%M:%S}"
            marker = next(e for e in find(root, "circle", "event") if name in e.get("data-event").split())
            x, y = chart_xy(getattr(p, name).altitude_deg, getattr(p, name).azimuth_deg)
            assert (float(marker.get("cx")), float(marker.get("cy"))) == pytest.approx((x, y), abs=0.01)
            distance = math.hypot(float(labels[name].get("x")) - x, float(labels[name].get("y")) - y)
            assert distance < 25  # beside its marker


def test_the_arrow_points_the_way_the_satellite_moves(views):
    for view in views:
        root = parse(view)
        (arrow,) = find(root, "polygon", "arrow")
        corners = points(arrow)
        centre = corners.mean(axis=0)
        tip = corners[np.argmax(np.hypot(*(corners - centre).T))]
        drawn = track_points(root)
        i = int(arrow.get("data-index"))
        motion = drawn[i + 1] - drawn[i - 1]
        heading = tip - drawn[i]
        assert np.dot(motion, heading) / (np.linalg.norm(motion) * np.linalg.norm(heading)) > 0.99


def test_moon_planets_and_stars_are_drawn_where_they_are(views):
    view = views[0]
    root = parse(view)
    drawn = {e.get("data-name"): e for kind in ("star", "planet", "moon") for e in find(root, "circle", kind)}
    assert len(drawn) == len(view.landmarks) > 20
    for body in view.landmarks:
        x, y = chart_xy(body.altitude_deg, body.azimuth_deg)
        mark = drawn[body.name]
        assert (float(mark.get("cx")), float(mark.get("cy"))) == pytest.approx((x, y), abs=0.01)


def test_names_from_outside_are_inert_and_escaped(views):
    from dataclasses import replace

    view = replace(views[0], satellite_name='<script>alert("x")</script>\x1b[2J & co')
    text = chart_svg(sky_chart(view))
    assert "<script" not in text and "\x1b" not in text
    root = ET.fromstring(text.split("\n", 1)[1])
    assert '<script>alert("x")</script>\\x1b[2J & co' in root.find(SVG + "title").text


def test_png_has_the_asked_size_and_shows_the_chart(views):
    from PIL import Image

    view = max((v for v in views if v.pass_.visible), key=lambda v: v.track.sunlit.sum())
    chart = sky_chart(view)
    data = chart_png(chart, 600)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.size == (600, round(600 * chart.height / chart.width))
    pixels = np.asarray(image).astype(int)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # not blank
    dark = (pixels.sum(axis=2) < 200).mean()
    assert 0.002 < dark < 0.2
    # The lit track is there, in its dark blue, where the SVG puts it (labels may cover a few samples).
    scale = 600 / chart.width
    x, y = chart_xy(view.track.altitude_deg[view.track.sunlit], view.track.azimuth_deg[view.track.sunlit])
    under = pixels[np.round(y * scale).astype(int), np.round(x * scale).astype(int)]
    blue = (under[:, 2] > 120) & (under[:, 0] < 80) & (under[:, 1] < 110)
    assert blue.mean() > 0.8
    with pytest.raises(ValueError):
        chart_png(chart, 10)
