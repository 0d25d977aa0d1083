"""Everything a sky chart of one pass shows, computed: its sampled track and the sky around it.

The track (:mod:`isspass.pass_track`) and the Moon, planets and stars (:mod:`isspass.landmarks`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .formats import Report
from .landmarks import Landmark, landmarks
from .model import Observer, Pass, Satellite
from .pass_track import DEFAULT_TRACK_STEP_S, PassTrack, pass_track


@dataclass(frozen=True)
class SkyView:
    """One pass over one place, ready to draw.

    ``landmarks`` are the Moon, planets and stars above the horizon at the pass's highest
    visible point (its culmination when it has no lit arc); ``timezone`` is the IANA zone
    its times are shown in; ``number`` its position (from 1) in the list it came from.
    """

    pass_: Pass
    track: PassTrack
    landmarks: tuple[Landmark, ...]
    observer: Observer
    satellite_name: str
    timezone: str
    number: int = 1

    @property
    def pass_id(self) -> str | None:
        """The pass's stable id, when passes carry one."""
        value = self.pass_.id or None
        return None if value is None else str(value)


def sky_view(
    pass_: Pass,
    observer: Observer,
    satellite: Satellite,
    timezone: str,
    *,
    number: int = 1,
    step_s: float = DEFAULT_TRACK_STEP_S,
) -> SkyView:
    """The track of ``pass_`` and the sky at its highest visible point, as seen by ``observer``."""
    track = pass_track(pass_, observer, satellite, step_s=step_s)
    moment = (pass_.highest or pass_.culmination).time
    return SkyView(pass_, track, landmarks(observer, moment), observer, satellite.name, timezone, number)


def sky_views(report: Report, *, step_s: float = DEFAULT_TRACK_STEP_S) -> tuple[SkyView, ...]:
    """A :class:`SkyView` of every pass of a report, numbered as the report lists them."""
    return tuple(
        sky_view(p, report.observer, report.satellite_of(p), report.timezone, number=n, step_s=step_s)
        for n, p in enumerate(report.passes, start=1)
    )
