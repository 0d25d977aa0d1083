"""PassPoint and Pass objects made in bulk from numpy columns the search computed itself.

The same objects the public constructors make, field for field, at a fraction of the cost.
"""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import repeat

import numpy as np
from numpy.typing import NDArray

from .model import COMPASS_POINTS, Pass, PassPoint, PassType, SatelliteId

# Why a second path: a frozen dataclass's `__init__` stores each field through
# `object.__setattr__` and PassPoint's derives its compass name per point, which made
# building the objects cost as much as a good part of the search. Here the calendar fields
# and compass names are computed for whole columns with numpy, and each instance dictionary
# is filled directly, in field order, from values already in their final Python types. The
# objects are indistinguishable (`==`, `hash`, `repr`, pickles byte for byte, `asdict`,
# `replace`, immutability); the one difference is out of sight: the instance dictionary
# exists from the start (64 bytes per object on CPython 3.11) instead of when first asked
# for, as pickling or `vars()` would make it. Only PassTable.to_passes
# calls this path; the public constructors keep every check they make.

_UTC = timezone.utc
_COMPASS = np.array(COMPASS_POINTS, dtype=object)
_US_PER_DAY = 86_400_000_000
_new = object.__new__


def compass_points(azimuth_deg: NDArray[np.float64]) -> list[str]:
    """:func:`~isspass.model.compass_point` of every azimuth (degrees east of north), in one step.

    The same float operations in the same order, so every name is the one the scalar gives
    (and the very string of :data:`~isspass.model.COMPASS_POINTS`). Non-finite azimuths
    are refused (ValueError), as the scalar refuses them.
    """
    azimuth_deg = np.asarray(azimuth_deg, dtype=np.float64)
    if not np.isfinite(azimuth_deg).all():
        raise ValueError("an azimuth is not finite: it has no compass point")
    # Python's float % and numpy's remainder agree bit for bit (sign of the divisor)
    sector = np.floor(np.remainder(azimuth_deg, 360.0) / 22.5 + 0.5).astype(np.intp) % 16
    return _COMPASS[sector].tolist()  # type: ignore[no-any-return]


def utc_datetimes(times: NDArray[np.datetime64]) -> list[datetime]:
    """Timezone-aware UTC datetimes of datetime64[us] instants, exact to the microsecond.

    Equal to ``datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=m)``
    for each instant ``m`` microseconds after the epoch, but made by the datetime
    constructor from calendar fields computed for all the instants at once. NaT is refused
    (ValueError): leave absent times out.
    """
    micro = np.asarray(times, dtype="datetime64[us]")
    if np.isnat(micro).any():
        raise ValueError("a time is NaT: it has no datetime")
    days, of_day = np.divmod(micro.view(np.int64), _US_PER_DAY)  # floor: before 1970 too
    # the date by numpy's proleptic Gregorian calendar, which is datetime's
    dates = days.astype("datetime64[D]")
    months = dates.astype("datetime64[M]").view(np.int64)  # months since 1970-01
    years, month0 = np.divmod(months, 12)
    day0 = (dates - months.astype("datetime64[M]")).view(np.int64)
    seconds, microsecond = np.divmod(of_day, 1_000_000)
    minutes, second = np.divmod(seconds, 60)
    hour, minute = np.divmod(minutes, 60)
    return list(
        map(
            datetime,
            (years + 1970).tolist(),
            (month0 + 1).tolist(),
            (day0 + 1).tolist(),
            hour.tolist(),
            minute.tolist(),
            second.tolist(),
            microsecond.tolist(),
            repeat(_UTC),
        )
    )


def optional_floats(values: NDArray[np.float64]) -> list[float | None]:
    """The values as Python floats (as ``tolist`` gives them), NaN as None (a magnitude that is not there)."""
    values = np.asarray(values, dtype=np.float64)
    result = values.astype(object)
    result[np.isnan(values)] = None
    return result.tolist()  # type: ignore[no-any-return]


def pass_points(
    time: NDArray[np.datetime64],
    altitude_deg: NDArray[np.float64],
    azimuth_deg: NDArray[np.float64],
    range_km: NDArray[np.float64],
    sun_altitude_deg: NDArray[np.float64],
    sunlit: NDArray[np.bool_],
    magnitude: NDArray[np.float64],
) -> list[PassPoint]:
    """One :class:`PassPoint` per element of the 1-D columns (``time`` datetime64, UTC;
    ``magnitude`` NaN when there is none): equal in every field, ``direction`` included,
    to ``PassPoint(time, altitude_deg, …)`` of the same values.

    The columns are trusted (the search's own results); the one thing the constructor
    checks, a finite azimuth, is checked here too.
    """
    return list(
        map(
            _trusted_point,
            utc_datetimes(time),
            np.asarray(altitude_deg, dtype=np.float64).tolist(),
            np.asarray(azimuth_deg, dtype=np.float64).tolist(),
            np.asarray(range_km, dtype=np.float64).tolist(),
            np.asarray(sun_altitude_deg, dtype=np.float64).tolist(),
            np.asarray(sunlit, dtype=np.bool_).tolist(),
            optional_floats(magnitude),
            compass_points(azimuth_deg),
        )
    )


def _trusted_point(
    time: datetime,
    altitude_deg: float,
    azimuth_deg: float,
    range_km: float,
    sun_altitude_deg: float,
    sunlit: bool,
    magnitude: float | None,
    direction: str,
) -> PassPoint:
    """A PassPoint of values already in their final types, ``direction`` given (not derived).

    The instance dictionary is filled in field order, as the dataclass's ``__init__`` fills
    it, so pickles, ``vars()`` and ``asdict`` cannot tell the two apart.
    """
    point = _new(PassPoint)
    state = point.__dict__
    state["time"] = time
    state["altitude_deg"] = altitude_deg
    state["azimuth_deg"] = azimuth_deg
    state["range_km"] = range_km
    state["sun_altitude_deg"] = sun_altitude_deg
    state["sunlit"] = sunlit
    state["magnitude"] = magnitude
    state["direction"] = direction
    return point


def trusted_pass(
    type: PassType,
    rise: PassPoint,
    culmination: PassPoint,
    set: PassPoint,
    appears: PassPoint | None,
    highest: PassPoint | None,
    disappears: PassPoint | None,
    horizon_rise: PassPoint,
    horizon_set: PassPoint,
    shadow_entry: PassPoint | None,
    shadow_exit: PassPoint | None,
    magnitude: float | None,
    brightest_magnitude: float | None,
    visible_duration_s: float,
    min_elevation_deg: float,
    timing_uncertainty_s: float,
    orbit_number: int | None,
    id: str,
    satellite: SatelliteId | None,
) -> Pass:
    """A Pass of field values already in their final types: what ``Pass(...)`` of the
    same arguments stores, in the same order, without its per-field machinery."""
    result = _new(Pass)
    state = result.__dict__
    state["type"] = type
    state["rise"] = rise
    state["culmination"] = culmination
    state["set"] = set
    state["appears"] = appears
    state["highest"] = highest
    state["disappears"] = disappears
    state["horizon_rise"] = horizon_rise
    state["horizon_set"] = horizon_set
    state["shadow_entry"] = shadow_entry
    state["shadow_exit"] = shadow_exit
    state["magnitude"] = magnitude
    state["brightest_magnitude"] = brightest_magnitude
    state["visible_duration_s"] = visible_duration_s
    state["min_elevation_deg"] = min_elevation_deg
    state["timing_uncertainty_s"] = timing_uncertainty_s
    state["orbit_number"] = orbit_number
    state["id"] = id
    state["satellite"] = satellite
    return result
