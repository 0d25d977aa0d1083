"""The track of one pass as data: the satellite sampled from rise to set at a chosen step.

Times, altitude, azimuth, range, sunlight and magnitude as numpy arrays, from the search's own geometry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from .brightness import apparent_magnitude
from .model import Observer, Pass, Satellite
from .search.roots import sorted_unique
from .sky import Array, Orbit, Sites, SunTrack, look
from .trajectory import TrajectoryOrbit, TrajectorySatellite

#: The default spacing of the samples, seconds: the ISS moves about 2° a second overhead.
DEFAULT_TRACK_STEP_S = 2.0
#: At most this many samples in one track (a 2-hour pass of a high satellite at 0.1 s).
MAX_TRACK_SAMPLES = 100_000
#: How far the track may disagree with the pass it was asked for (same geometry: ~1e-7°).
_SAME_PASS_DEG = 0.01


@dataclass(frozen=True)
class PassTrack:
    """A pass sampled from its rise to its set, every ``step_s`` seconds and at each of its events.

    ``start`` is the pass's rise (timezone-aware UTC) and ``offset_s`` the seconds from it,
    increasing, 0 at the rise and the pass's duration at the set. Besides the regular steps
    the samples hold every event of the pass inside [rise, set] exactly (culmination,
    appears, highest, disappears, shadow entry and exit), so the track and the pass agree to
    the microsecond. Altitude is geometric, in degrees; azimuth in degrees east of north;
    ``range_km`` the distance from the observer; ``sunlit`` whether the satellite is in
    sunlight (True at the shadow's edge, as the pass's own lit-arc events are);
    ``magnitude`` the apparent visual magnitude, NaN where unlit or unknown.
    """

    start: datetime
    offset_s: Array
    altitude_deg: Array
    azimuth_deg: Array
    range_km: Array
    sun_altitude_deg: Array
    sunlit: NDArray[np.bool_]
    magnitude: Array
    step_s: float

    def __len__(self) -> int:
        return int(self.offset_s.size)

    @property
    def times(self) -> NDArray[np.datetime64]:
        """The sample times as numpy ``datetime64[us]`` values in UTC."""
        start = np.datetime64(self.start.replace(tzinfo=None), "us")
        return start + np.round(self.offset_s * 1e6).astype("timedelta64[us]")

    def index_at(self, when: datetime) -> int:
        """The index of the sample at ``when`` (an event of the pass), to the microsecond.

        Raises ``KeyError`` when no sample lies within a millisecond of ``when``.
        """
        offset = (when - self.start).total_seconds()
        index = int(np.argmin(np.abs(self.offset_s - offset)))
        if abs(self.offset_s[index] - offset) > 1e-3:
            raise KeyError(f"no sample at {when.isoformat()}")
        return index


def pass_track(
    pass_: Pass,
    observer: Observer,
    satellite: Satellite | TrajectorySatellite,
    *,
    step_s: float = DEFAULT_TRACK_STEP_S,
) -> PassTrack:
    """The track of ``pass_`` as seen by ``observer``: every ``step_s`` seconds from rise to set.

    ``satellite`` must be the one the pass was found for (its elements, or its published
    trajectory): a pass found with other elements or for another place is refused with
    ``ValueError``, since the track would not go through its events. ``step_s`` is in seconds (0.1 or more).

    >>> track = pass_track(passes[0], zurich, iss)                        # doctest: +SKIP
    >>> track.altitude_deg.max() == passes[0].culmination.altitude_deg    # doctest: +SKIP
    True
    """
    if not isinstance(pass_, Pass):
        raise TypeError("pass_ must be an isspass.Pass")
    if not isinstance(observer, Observer):
        raise TypeError("observer must be an isspass.Observer")
    if not isinstance(satellite, (Satellite, TrajectorySatellite)):
        raise TypeError("satellite must be the Satellite or TrajectorySatellite the pass was found for")
    if isinstance(step_s, bool) or not isinstance(step_s, (int, float)) or not math.isfinite(step_s):
        raise ValueError(f"step_s must be a finite number of seconds, not {step_s!r}")
    if step_s < 0.1:
        raise ValueError(f"step_s {step_s:g} is below 0.1 seconds")
    duration = pass_.duration_s
    if duration / step_s > MAX_TRACK_SAMPLES:
        raise ValueError(f"a step of {step_s:g} s gives more than {MAX_TRACK_SAMPLES} samples for this pass")

    start = pass_.rise.time
    events = _event_offsets(pass_, start)
    regular = np.arange(0.0, duration, float(step_s))
    offset = sorted_unique(np.concatenate([regular, list(events.values()), [duration]]))
    offset = offset[(offset >= 0.0) & (offset <= duration)]

    t0 = start.timestamp()
    sun = SunTrack.build(t0, 0.0, duration)
    orbit: Orbit | TrajectoryOrbit
    if isinstance(satellite, TrajectorySatellite):
        orbit = TrajectoryOrbit(satellite, sun)
    else:
        orbit = Orbit(satellite.elements.satrec, sun)
    sites = Sites.from_geodetic([observer.latitude_deg], [observer.longitude_deg], [observer.elevation_m])
    view = look(orbit, sites, offset)
    sunlit = view.sunlit.copy()
    for name in ("appears", "highest", "disappears", "shadow_entry", "shadow_exit"):
        if name in events:
            sunlit[np.searchsorted(offset, events[name])] = True  # on the lit arc by construction
    _check_same_pass(pass_, offset, view.altitude_deg, events["culmination"])
    std_mag = satellite.standard_magnitude
    if std_mag is None:
        magnitude = np.full(offset.shape, np.nan)
    else:
        magnitude = np.where(sunlit, apparent_magnitude(std_mag, view.range_km, view.phase_angle_rad), np.nan)
    return PassTrack(
        start=start,
        offset_s=offset,
        altitude_deg=view.altitude_deg,
        azimuth_deg=view.azimuth_deg,
        range_km=view.range_km,
        sun_altitude_deg=view.sun_altitude_deg,
        sunlit=sunlit,
        magnitude=magnitude,
        step_s=float(step_s),
    )


def _event_offsets(pass_: Pass, start: datetime) -> dict[str, float]:
    """Seconds from the rise of each event of the pass that lies within [rise, set]."""
    offsets = {}
    for name in ("culmination", "appears", "highest", "disappears", "shadow_entry", "shadow_exit"):
        point = getattr(pass_, name)
        if point is None:
            continue
        offset = (point.time - start) / timedelta(seconds=1)
        if 0.0 <= offset <= pass_.duration_s:
            offsets[name] = offset
    return offsets


def _check_same_pass(pass_: Pass, offset: Array, altitude_deg: Array, culmination_s: float) -> None:
    expected = (pass_.rise.altitude_deg, pass_.culmination.altitude_deg, pass_.set.altitude_deg)
    found = (
        altitude_deg[0],
        altitude_deg[int(np.searchsorted(offset, culmination_s))],
        altitude_deg[-1],
    )
    if max(abs(a - b) for a, b in zip(found, expected, strict=True)) > _SAME_PASS_DEG:
        raise ValueError(
            "this pass was not found for this observer and satellite: its track does not go "
            "through its rise, culmination and set"
        )
