"""Checks every element format shares: value ranges, SGP4's own verdict, the epoch.

TLE and OMM parsers call these so that an element set is held to one standard whatever
its format.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from sgp4.api import Satrec

from .errors import ElementsError
from .utc import DAY_S, jd_to_utc

#: Earth's gravitational parameter (km³/s², WGS72 as SGP4 uses) and the shadow sphere's radius (km).
_MU_KM3_S2 = 398600.8
_EARTH_RADIUS_KM = 6378.137
#: Element epochs a two-line set can express (1957-2056); any other epoch is a corrupt set.
EARLIEST_EPOCH = datetime(1957, 1, 1, tzinfo=timezone.utc)
LATEST_EPOCH = datetime(2057, 1, 1, tzinfo=timezone.utc)


def check_range(value: float, low: float, high: float, what: str, where: str) -> None:
    """Raise :class:`ElementsError` naming ``where`` unless ``low <= value <= high``."""
    if not low <= value <= high:
        raise ElementsError(f"{where}: {what} {value:g} is outside {low:g}..{high:g}")


def check_satrec(satrec: Satrec, where: str) -> None:
    """SGP4 must accept the elements and propagate them at their own epoch."""
    if satrec.error:
        raise ElementsError(f"{where}: SGP4 rejects these elements (error {satrec.error})")
    error, _, _ = satrec.sgp4(satrec.jdsatepoch, satrec.jdsatepochF)
    if error:
        raise ElementsError(f"{where}: SGP4 cannot propagate these elements (error {error})")


def satrec_epoch(satrec: Satrec) -> datetime:
    """The epoch of an initialised :class:`Satrec` as an aware UTC datetime."""
    return jd_to_utc(satrec.jdsatepoch, satrec.jdsatepochF)


def check_epoch(epoch: datetime, where: str) -> None:
    """An epoch from the space age that a two-line set could express (1957-2056)."""
    if not EARLIEST_EPOCH <= epoch < LATEST_EPOCH:
        raise ElementsError(f"{where}: epoch {epoch:%Y-%m-%d} is outside 1957..2056: not a real element set")


def perigee_height_km(mean_motion_rev_day: float, eccentricity: float) -> float:
    """Height of the perigee above the equatorial radius (km), from the Kepler semi-major axis."""
    n = mean_motion_rev_day * 2.0 * math.pi / DAY_S
    semi_major_km = (_MU_KM3_S2 / n**2) ** (1.0 / 3.0)
    return semi_major_km * (1.0 - eccentricity) - _EARTH_RADIUS_KM


def check_orbit(mean_motion_rev_day: float, eccentricity: float, where: str) -> None:
    """A bound orbit whose perigee is above the ground."""
    if not 0.0 <= eccentricity < 1.0:
        raise ElementsError(f"{where}: eccentricity {eccentricity:g} is not that of a closed orbit")
    height = perigee_height_km(mean_motion_rev_day, eccentricity)
    if height < 0.0:
        raise ElementsError(f"{where}: the perigee is {-height:.0f} km below the Earth's surface")
