"""The value types of isspass: element sets, satellites, the observer, pass points and passes.

Frozen dataclasses with timezone-aware UTC datetimes; no computation beyond naming.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from enum import Enum
from typing import TYPE_CHECKING, Any

from .arguments import friendly_keywords
from .utc import DAY_S, as_utc

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sgp4.api import Satrec

#: The 16-point compass rose, clockwise from north.
COMPASS_POINTS = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip


def compass_point(azimuth_deg: float) -> str:
    """The 16-point compass name (N, NNE, … NNW) of an azimuth in degrees east of north."""
    return COMPASS_POINTS[math.floor((azimuth_deg % 360.0) / 22.5 + 0.5) % 16]


@dataclass(frozen=True)
class Elements:
    """One validated element set (a TLE or an OMM record) for one satellite.

    ``epoch`` is a timezone-aware UTC datetime; ``mean_motion`` is in revolutions per
    day and ``mean_motion_dot`` is the TLE's first derivative term ndot/2 in rev/day².
    ``source`` says where the set came from (``bundled``, ``cache (path)``, a file, ``stdin``).
    """

    name: str
    norad_id: int
    epoch: datetime
    mean_motion: float
    mean_motion_dot: float
    inclination_deg: float
    eccentricity: float
    source: str
    line1: str | None = None
    line2: str | None = None
    satrec: Satrec = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    @property
    def period_s(self) -> float:
        """Nodal period from the mean motion, in seconds."""
        return DAY_S / self.mean_motion

    def age_days(self, when: datetime) -> float:
        """Days from the epoch to ``when`` (negative when ``when`` is before the epoch)."""
        return (as_utc(when) - self.epoch).total_seconds() / DAY_S


@dataclass(frozen=True)
class Satellite:
    """A satellite to predict: its elements and, when known, its standard magnitude.

    ``standard_magnitude`` is the visual magnitude at 1000 km range and half phase
    (90° phase angle); ``None`` means no magnitude will be given. ``history_drag`` is
    the drag (ndot/2, rev/day²) the object's element history showed before this set's
    epoch, which the timing band follows; ``None`` when the set stands alone.
    """

    elements: Elements
    standard_magnitude: float | None = None
    history_drag: float | None = None

    @property
    def name(self) -> str:
        return self.elements.name

    @property
    def norad_id(self) -> int:
        return self.elements.norad_id

    @property
    def epoch(self) -> datetime:
        return self.elements.epoch


@dataclass(frozen=True)
class SatelliteId:
    """Which satellite a result belongs to: its name and NORAD catalogue number."""

    name: str
    norad_id: int


@dataclass(frozen=True)
class Observer:
    """A place on the WGS84 ellipsoid.

    ``latitude_deg``: geodetic, −90…90, north positive. ``longitude_deg``: −180…180, east
    positive (180…360 is accepted and folded to −180…180). ``elevation_m``: metres above
    sea level (−500…9000 accepted).
    """

    latitude_deg: float
    longitude_deg: float
    elevation_m: float = 0.0

    def __post_init__(self) -> None:
        for name in ("latitude_deg", "longitude_deg", "elevation_m"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number, not {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be finite, not {value}")
            object.__setattr__(self, name, float(value))
        if not -90.0 <= self.latitude_deg <= 90.0:
            raise ValueError(f"latitude {self.latitude_deg:g} is outside -90..90 degrees")
        if not -180.0 <= self.longitude_deg <= 360.0:
            raise ValueError(f"longitude {self.longitude_deg:g} is outside -180..360 degrees")
        if self.longitude_deg > 180.0:
            object.__setattr__(self, "longitude_deg", self.longitude_deg - 360.0)
        if not -500.0 <= self.elevation_m <= 9000.0:
            raise ValueError(f"elevation {self.elevation_m:g} m is outside -500..9000 metres")

    def timezone(self) -> ZoneInfo:
        """The IANA time zone at this place, found offline from the coordinates (as the command line does).

        ``Etc/GMT±N`` at sea, ``UTC`` near the poles. Pass it to :meth:`PassPoint.local_time`.
        """
        from zoneinfo import ZoneInfo

        from .places import timezone_at

        return ZoneInfo(timezone_at(self.latitude_deg, self.longitude_deg))


# Observer(lat=47.4) names the argument it meant: latitude_deg.
Observer.__init__ = friendly_keywords(Observer.__init__, "Observer")  # type: ignore[method-assign]


class PassType(str, Enum):
    """What a person can see of a pass."""

    VISIBLE = "visible"  #: sunlit while the observer's sky is dark enough
    DAYLIGHT = "daylight"  #: sunlit, but the sky is too bright throughout
    UNLIT = "unlit"  #: in the Earth's shadow throughout the pass

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, repr=False)
class PassPoint:
    """The satellite as seen by the observer at one moment.

    ``time`` is timezone-aware UTC. Altitude is geometric (no refraction) in degrees;
    azimuth in degrees east of north, and ``direction`` its 16-point compass name (derived,
    not an argument); ``range_km`` the observer–satellite distance; ``sun_altitude_deg``
    the Sun's altitude at the observer. ``magnitude`` is the apparent visual magnitude, or
    None when the satellite is unlit or its standard magnitude is unknown.
    """

    time: datetime
    altitude_deg: float
    azimuth_deg: float
    range_km: float
    sun_altitude_deg: float
    sunlit: bool
    magnitude: float | None
    direction: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "direction", compass_point(self.azimuth_deg))

    def local_time(self, zone: str | tzinfo) -> datetime:
        """``time`` in a time zone: an IANA name (``"Europe/Zurich"``) or a tzinfo
        (e.g. :meth:`Observer.timezone`)."""
        return self.time.astimezone(_zone(zone))

    def __repr__(self) -> str:
        magnitude = "" if self.magnitude is None else f", magnitude={self.magnitude:.2f}"
        return (
            f"PassPoint({_short_utc(self.time)}, altitude_deg={self.altitude_deg:.2f}, "
            f"azimuth_deg={self.azimuth_deg:.2f} ({self.direction}), range_km={self.range_km:.1f}, "
            f"sunlit={self.sunlit}{magnitude})"
        )


@dataclass(frozen=True, repr=False)
class Pass:
    """One pass: an interval during which the satellite is at or above the minimum elevation.

    ``rise``/``culmination``/``set`` are the crossings of the minimum elevation and the
    highest point. ``appears``/``highest``/``disappears`` bound the lit arc (the sunlit part
    of the pass) and are None when the pass is unlit throughout. ``horizon_rise`` and
    ``horizon_set`` are the 0° crossings around the pass; ``shadow_entry`` and
    ``shadow_exit`` are the Earth-shadow crossings while the satellite is above the true
    horizon (None when there is none). ``magnitude`` is the one at ``highest``;
    ``brightest_magnitude`` the brightest over the lit arc. Durations in seconds.
    ``orbit_number`` is the satellite's revolution number at culmination and ``id`` the
    pass's stable identifier (``"25544-58712-+47.37+008.54"``: satellite, orbit number,
    place to 0.01°), which fresher elements moving the pass by minutes do not change
    (see :mod:`isspass.revolutions`). ``satellite`` names the satellite the pass belongs to
    (None only for a pass built by hand), so that passes of many satellites can be merged.
    ``timing_uncertainty_s`` is the timing band: how far the times may be off from the
    element age and the object's drag, at 95 % or better, manoeuvres aside (see
    :func:`isspass.freshness.timing_uncertainty_s`).
    """

    type: PassType
    rise: PassPoint
    culmination: PassPoint
    set: PassPoint
    appears: PassPoint | None
    highest: PassPoint | None
    disappears: PassPoint | None
    horizon_rise: PassPoint
    horizon_set: PassPoint
    shadow_entry: PassPoint | None
    shadow_exit: PassPoint | None
    magnitude: float | None
    brightest_magnitude: float | None
    visible_duration_s: float
    min_elevation_deg: float
    timing_uncertainty_s: float = 0.0
    orbit_number: int | None = None
    id: str = ""
    satellite: SatelliteId | None = None

    @property
    def visible(self) -> bool:
        """True when a person can see this pass (lit, with a dark enough sky)."""
        return self.type is PassType.VISIBLE

    @property
    def duration_s(self) -> float:
        """Seconds from rise to set (above the minimum elevation)."""
        return (self.set.time - self.rise.time).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        """This pass as plain JSON-safe values: the ``passes`` item of the JSON schema
        (``isspass --format json``), times as ISO 8601 UTC strings."""
        from .formats import pass_to_dict

        return pass_to_dict(self)

    def __repr__(self) -> str:
        top = self.culmination
        magnitude = "" if self.magnitude is None else f", magnitude={self.magnitude:.1f}"
        return (
            f"Pass({self.type.value}, rise={_short_utc(self.rise.time)}, culmination={top.time:%H:%M:%S} "
            f"{top.altitude_deg:.1f}° {top.direction}, set={self.set.time:%H:%M:%S}{magnitude}, "
            f"visible_duration_s={self.visible_duration_s:.0f})"
        )


def _short_utc(when: datetime) -> str:
    """``2026-09-24T17:47:16Z``: an instant to the second, for a repr."""
    return f"{when.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%S}Z"


def _zone(zone: str | tzinfo) -> tzinfo:
    if isinstance(zone, tzinfo):
        return zone
    if isinstance(zone, str):
        from zoneinfo import ZoneInfo

        from .places import check_timezone

        return ZoneInfo(check_timezone(zone))
    raise TypeError(f"zone must be an IANA name or a tzinfo, not {type(zone).__name__}")
