"""The value types of a published trajectory: an OEM's segments of state vectors and its planned events.

Frozen dataclasses with UTC datetimes and numpy arrays; no computation beyond naming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from .utc import as_utc

Array = NDArray[np.float64]

#: The ISS's international designator, as OEMs write it (``1998-067-A``) without the dashes.
ISS_OBJECT_ID = "1998067A"
#: Names of events that change the orbit even when the summary gives no delta-v.
_MANOEUVRE_NAMES = re.compile(r"reboost|burn|maneuv|manoeuv|\bp?dam\b|debris|avoid|deorbit", re.IGNORECASE)


def window_padding_s(period_s: float) -> float:
    """How far beyond each end of a window the search follows a satellite, seconds.

    An orbit, and at least 30 minutes: a pass under way at either end keeps its true rise
    and set. A trajectory must cover the window with this much to spare.
    """
    return max(period_s, 1800.0)


@dataclass(frozen=True)
class PlannedEvent:
    """One line of an OEM's trajectory event summary: a planned reboost, docking, launch…

    ``time`` is the event's time (for a burn, its ignition) in UTC; ``delta_v_m_s`` the
    planned velocity change, and ``apogee_km``/``perigee_km`` the heights after it, when
    the summary gives them. ``name`` is as the file writes it, made inert.
    """

    name: str
    time: datetime
    delta_v_m_s: float | None = None
    apogee_km: float | None = None
    perigee_km: float | None = None

    @property
    def is_manoeuvre(self) -> bool:
        """True for an event that changes the orbit: a delta-v, or a reboost / burn / avoidance by name."""
        return bool((self.delta_v_m_s or 0.0) > 0.0 or _MANOEUVRE_NAMES.search(self.name))


@dataclass(frozen=True, eq=False)
class EphemerisSegment:
    """One segment of an OEM: metadata and state vectors in ``ref_frame`` about the Earth.

    ``epochs_s`` are UTC POSIX seconds, strictly increasing, shape (n,); ``position_km``
    and ``velocity_km_s`` have shape (3, n). Interpolation is valid from
    ``useable_start`` to ``useable_stop``. ``interpolation`` and ``interpolation_degree``
    are what the file states (None when it does not).
    """

    object_name: str
    object_id: str
    center_name: str
    ref_frame: str
    time_system: str
    start: datetime
    stop: datetime
    useable_start: datetime
    useable_stop: datetime
    interpolation: str | None
    interpolation_degree: int | None
    epochs_s: Array
    position_km: Array
    velocity_km_s: Array
    comments: tuple[str, ...] = ()

    def __len__(self) -> int:
        return int(self.epochs_s.size)


@dataclass(frozen=True, eq=False)
class Ephemeris:
    """A validated CCSDS Orbit Ephemeris Message: who made it when, its segments and planned events.

    ``source`` says where it came from (``cache (path)``, a file path, ``stdin``);
    ``created`` is the message's creation time (UTC).
    """

    version: str
    created: datetime
    originator: str
    segments: tuple[EphemerisSegment, ...]
    events: tuple[PlannedEvent, ...]
    source: str
    comments: tuple[str, ...] = ()

    @property
    def object_name(self) -> str:
        return self.segments[0].object_name

    @property
    def object_id(self) -> str:
        return self.segments[0].object_id

    @property
    def start(self) -> datetime:
        """The first moment a trajectory can be interpolated (UTC)."""
        return self.segments[0].useable_start

    @property
    def stop(self) -> datetime:
        """The last moment a trajectory can be interpolated (UTC)."""
        return self.segments[-1].useable_stop

    @property
    def vector_count(self) -> int:
        return sum(len(segment) for segment in self.segments)

    @property
    def is_iss(self) -> bool:
        """True when the object is the ISS (by its international designator)."""
        return self.object_id.replace("-", "").upper() == ISS_OBJECT_ID

    def spans(self) -> list[tuple[datetime, datetime]]:
        """The stretches of time covered without a gap (touching segments joined), in order."""
        joined: list[tuple[datetime, datetime]] = []
        for segment in self.segments:
            if joined and segment.useable_start <= joined[-1][1]:
                joined[-1] = (joined[-1][0], max(joined[-1][1], segment.useable_stop))
            else:
                joined.append((segment.useable_start, segment.useable_stop))
        return joined

    def covers(self, start: datetime, end: datetime) -> bool:
        """True when one gap-free stretch holds all of ``start``…``end``."""
        start, end = as_utc(start), as_utc(end)
        return any(first <= start and end <= last for first, last in self.spans())

    def events_between(self, start: datetime, end: datetime) -> tuple[PlannedEvent, ...]:
        """The planned events from ``start`` to ``end`` (inclusive), in time order."""
        start, end = as_utc(start), as_utc(end)
        return tuple(e for e in self.events if start <= e.time <= end)
