"""The friendlier Python API: to_dict, DataFrames, local times, short reprs, clear refusals."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import isspass
from isspass.formats import pass_to_dict
from isspass.frames import POINTS

START = datetime(2026, 9, 24, tzinfo=timezone.utc)
ZURICH = isspass.Observer(47.37, 8.54)
NEW_YORK = isspass.Observer(40.71, -74.01)


@pytest.fixture(scope="module")
def every_pass(iss):
    """Three days of every pass over New York: visible, daylight and unlit ones."""
    passes = isspass.find_passes(NEW_YORK, START, 3, satellite=iss, visible_only=False)
    assert {p.type for p in passes} == set(isspass.PassType)
    return passes


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --------------------------------------------------------------------------- to_dict


def test_to_dict_is_the_json_schemas_pass_and_round_trips_through_json(every_pass):
    for p in every_pass:
        record = p.to_dict()
        assert record == pass_to_dict(p)
        assert json.loads(json.dumps(record)) == record
        assert record["type"] == p.type.value and record["visible"] == p.visible
        for name in POINTS:
            point = getattr(p, name)
            if point is None:
                assert record[name] is None
                continue
            assert abs((_instant(record[name]["time"]) - point.time).total_seconds()) < 0.001
            assert record[name]["direction"] == point.direction


# --------------------------------------------------------------------------- DataFrame


def test_dataframe_has_one_row_per_pass_with_typed_columns(every_pass):
    pd = pytest.importorskip("pandas")
    frame = isspass.passes_to_dataframe(every_pass)
    assert len(frame) == len(every_pass)
    assert isinstance(frame["type"].dtype, pd.CategoricalDtype)
    assert list(frame["type"].astype(str)) == [p.type.value for p in every_pass]
    assert frame["visible"].dtype == bool
    for column in ("magnitude", "brightest_magnitude", "duration_s", "rise_altitude_deg", "set_azimuth_deg"):
        assert frame[column].dtype == "float64", column
    for name in POINTS:
        column = frame[f"{name}_time"]
        assert isinstance(column.dtype, pd.DatetimeTZDtype) and str(column.dt.tz) == "UTC"
    assert pd.api.types.is_string_dtype(frame["highest_direction"])
    for row, p in zip(frame.itertuples(), every_pass, strict=True):
        assert row.rise_time.to_pydatetime() == p.rise.time
        assert row.culmination_altitude_deg == p.culmination.altitude_deg
        assert row.duration_s == pytest.approx(p.duration_s)
        if p.appears is None:  # unlit: no lit arc, so NaT and NaN, not made-up values
            assert pd.isna(row.appears_time) and pd.isna(row.highest_altitude_deg) and pd.isna(row.magnitude)
        else:
            assert row.highest_direction == p.highest.direction


def test_dataframe_in_a_zone_holds_the_same_instants(every_pass):
    pytest.importorskip("pandas")
    utc = isspass.passes_to_dataframe(every_pass)
    local = isspass.passes_to_dataframe(every_pass, zone=NEW_YORK.timezone())
    assert str(local["rise_time"].dt.tz) == "America/New_York"
    assert (local["rise_time"] == utc["rise_time"]).all()
    assert local["rise_time"].iloc[0].utcoffset() == timedelta(hours=-4)


def test_empty_dataframe_keeps_its_columns_and_types():
    pd = pytest.importorskip("pandas")
    frame = isspass.passes_to_dataframe([])
    assert len(frame) == 0 and "culmination_time" in frame.columns
    assert isinstance(frame["culmination_time"].dtype, pd.DatetimeTZDtype)


def test_dataframe_without_pandas_says_how_to_get_it(monkeypatch, every_pass):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        isspass.passes_to_dataframe(every_pass)


def test_dataframe_refuses_what_is_not_a_pass():
    pytest.importorskip("pandas")
    with pytest.raises(TypeError, match=r"isspass\.Pass"):
        isspass.passes_to_dataframe([{"type": "visible"}])


# --------------------------------------------------------------------------- local times


def test_local_time_is_the_same_instant_in_the_observers_zone(every_pass):
    zone = NEW_YORK.timezone()
    assert str(zone) == "America/New_York" and str(ZURICH.timezone()) == "Europe/Zurich"
    point = every_pass[0].culmination
    local = point.local_time(zone)
    assert local == point.time and local.utcoffset() == timedelta(hours=-4)  # EDT in September
    assert point.local_time("America/New_York") == local
    assert point.local_time("Europe/Zurich").utcoffset() == timedelta(hours=2)
    with pytest.raises(ValueError, match="unknown time zone"):
        point.local_time("Mars/Olympus")
    with pytest.raises(TypeError):
        point.local_time(2)


def test_observer_timezone_at_sea_and_across_dst():
    assert str(isspass.Observer(0.0, -30.0).timezone()).startswith("Etc/GMT")
    winter = datetime(2026, 12, 1, 12, tzinfo=timezone.utc).astimezone(
        isspass.Observer(40.71, -74.01).timezone()
    )
    assert winter.utcoffset() == timedelta(hours=-5)


# --------------------------------------------------------------------------- repr and fields


def test_reprs_are_short_and_say_what_matters(every_pass):
    for p in every_pass:
        text = repr(p)
        assert len(text) < 200, text
        assert text.startswith(f"Pass({p.type.value}, ") and p.culmination.direction in text
        for point in (p.rise, p.culmination, p.set, p.appears, p.highest, p.disappears):
            if point is not None:
                assert len(repr(point)) < 200 and point.direction in repr(point)
    assert repr(ZURICH) == "Observer(latitude_deg=47.37, longitude_deg=8.54, elevation_m=0.0)"


def test_direction_is_a_real_field(every_pass):
    point = every_pass[0].highest
    assert "direction" in {f.name for f in dataclasses.fields(point)}
    assert dataclasses.asdict(point)["direction"] == isspass.compass_point(point.azimuth_deg)
    assert dataclasses.asdict(every_pass[0])["highest"]["direction"] == point.direction
    turned = dataclasses.replace(point, azimuth_deg=(point.azimuth_deg + 180) % 360)
    assert turned.direction == isspass.compass_point(point.azimuth_deg + 180) != point.direction
    with pytest.raises(TypeError):
        isspass.PassPoint(point.time, 10.0, 90.0, 1000.0, -10.0, True, None, direction="W")  # type: ignore[call-arg]


# --------------------------------------------------------------------------- clear refusals


@pytest.mark.parametrize(
    ("arguments", "meant"),
    [
        ({"lat": 47.4, "lon": 8.5}, "latitude_deg"),
        ({"latitude": 47.4, "longitude_deg": 8.5}, "latitude_deg"),
        ({"latitude_deg": 47.4, "lng": 8.5}, "longitude_deg"),
        ({"latitude_deg": 47.4, "longitude_deg": 8.5, "elevation": 400}, "elevation_m"),
        ({"latitude_deg": 47.4, "longitude_deg": 8.5, "altitude": 400}, "elevation_m"),
    ],
)
def test_wrong_observer_argument_names_say_the_right_one(arguments, meant):
    with pytest.raises(TypeError, match=f"did you mean {meant}=") as caught:
        isspass.Observer(**arguments)
    assert "it takes latitude_deg, longitude_deg, elevation_m" in str(caught.value)


def test_wrong_search_argument_names_say_the_right_one(iss):
    with pytest.raises(TypeError, match=r"find_passes.*'min_elevation'.*did you mean min_elevation_deg="):
        isspass.find_passes(ZURICH, START, 1, satellite=iss, min_elevation=20)
    with pytest.raises(TypeError, match="did you mean twilight_deg="):
        isspass.find_passes_many([ZURICH], START, 1, satellite=iss, twilight=-12)
    with pytest.raises(TypeError, match="did you mean satellite="):
        isspass.load_satellite(norad_id=25544, elements=isspass.bundled_elements())
    with pytest.raises(TypeError, match="'colour'") as caught:
        isspass.find_passes(ZURICH, START, 1, satellite=iss, colour="red")
    assert "did you mean" not in str(caught.value)


def test_naive_datetimes_are_refused_with_the_fix(iss):
    with pytest.raises(ValueError, match="timezone-aware") as caught:
        isspass.find_passes(ZURICH, datetime(2026, 9, 24, 18, 30), 1, satellite=iss)
    message = str(caught.value)
    assert "2026-09-24T18:30:00 has no time zone" in message
    assert "tzinfo=ZoneInfo('Europe/Zurich')" in message and "replace(tzinfo=timezone.utc)" in message
    # ...and the fix it gives works.
    fixed = datetime(2026, 9, 24, 18, 30).replace(tzinfo=ZoneInfo("Europe/Zurich"))
    assert isinstance(isspass.find_passes(ZURICH, fixed, 1, satellite=iss), list)
    with pytest.raises(ValueError, match="has no time zone"):
        iss.elements.age_days(datetime(2026, 9, 24))
