"""Passes of many satellites: one Sun for the window, satellites searched in batches, merged in time order.

A satellite that cannot be predicted over the window is skipped with a warning, not the whole search.

The Sun and the Earth's rotation do not depend on the satellite: they are computed once for
the window (padded as the widest grid needs). Satellites given by elements are grouped onto
shared grids (:mod:`.grids`) and each group is searched as rows of arrays: one SGP4 call,
one shadow search (:mod:`.fleet_track`), one altitude search per chunk of observers
(:mod:`.fleet_passes`); every satellite is sampled at least as finely and as far as alone, so
the passes are those of one search per satellite. A published trajectory is searched alone.
Memory is bounded by a batch (:data:`.grids.MAX_BATCH_SAMPLES`), and by the passes found.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from ..ephemeris import window_padding_s
from ..errors import PropagationError, SatelliteSkippedWarning, StaleElementsError, TrajectoryCoverageError
from ..model import Observer, Pass, Satellite
from ..sky import Sites, SunTrack
from ..trajectory import TrajectorySatellite
from . import passes as single
from .fleet_passes import fleet_tables
from .fleet_track import FleetTrack
from .grids import share_grids
from .passes import observer_passes
from .track import Track, check_predictable, grid_step_s, orbital_period_s

#: One satellite of many: elements, or a published trajectory given as such.
Member = Satellite | TrajectorySatellite


def sun_margin_s(satellites: Sequence[Member]) -> float:
    """How far beyond each end of the window the Sun is prepared: the widest padding of the
    satellites' grids (an orbit, or half an hour) and a grid step (their grids end within one)."""
    periods = [orbital_period_s(s) for s in satellites]
    return max((window_padding_s(p) + grid_step_s(p) for p in periods), default=0.0)


def first_seen_s(p: Pass) -> float:
    """When a person would first see the pass (it appears), else when it rises: POSIX seconds."""
    return (p.appears or p.rise).time.timestamp()


def merge_in_time_order(passes: list[Pass]) -> list[Pass]:
    """Passes of several satellites in the order they can be seen (then by catalogue number).

    One satellite's passes never overlap, so its own order (by rise) is kept.
    """
    return sorted(passes, key=lambda p: (first_seen_s(p), p.satellite.norad_id if p.satellite else 0))


def unique_satellites(satellites: Sequence[Member]) -> list[Member]:
    """Each catalogue number once, the first given winning (two sets of one object would give
    every pass twice, under the same id)."""
    seen: dict[int, Member] = {}
    for satellite in satellites:
        seen.setdefault(satellite.norad_id, satellite)
    return list(seen.values())


def iter_fleet_passes(
    satellites: Sequence[Member],
    observers: Sequence[Observer],
    start: datetime,
    duration_s: float,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
    chunk_size: int,
) -> Iterator[list[Pass]]:
    """Each observer's passes of every satellite, merged in time order (see :func:`merge_in_time_order`).

    A satellite whose elements lie too far from the window, or that SGP4 cannot carry through
    it (it decayed), or whose trajectory does not cover it, is left out with a
    :class:`~isspass.SatelliteSkippedWarning`.
    """
    if not observers:
        return
    margin = sun_margin_s(satellites)
    sun = SunTrack.build(start.timestamp(), -margin, duration_s + margin)
    chunks = [observers[i : i + chunk_size] for i in range(0, len(observers), chunk_size)]
    sites = [
        Sites.from_geodetic(
            [o.latitude_deg for o in chunk], [o.longitude_deg for o in chunk], [o.elevation_m for o in chunk]
        )
        for chunk in chunks
    ]
    found: list[list[Pass]] = [[] for _ in observers]
    skipped: dict[int, Exception] = {}
    batched: list[int] = []
    for number, satellite in enumerate(satellites):
        try:
            check_predictable(satellite, start, start + timedelta(seconds=duration_s))
        except (StaleElementsError, TrajectoryCoverageError) as exc:
            skipped[number] = exc
            continue
        if isinstance(satellite, TrajectorySatellite):  # interpolated, not propagated: one at a time
            try:
                mine = _satellite_passes(
                    satellite, sun, chunks, sites, start, duration_s,
                    min_elevation_deg, twilight_deg, visible_only,
                )  # fmt: skip
            except (PropagationError, TrajectoryCoverageError) as exc:
                skipped[number] = exc
                continue
            for each, passes in zip(found, mine, strict=True):
                each.extend(passes)
        else:
            batched.append(number)
    settings = float(min_elevation_deg), float(twilight_deg), bool(visible_only)
    members: list[Satellite] = [satellites[k] for k in batched]  # type: ignore[misc]
    for number, exc in _batched_passes(members, sun, chunks, sites, duration_s, settings, found).items():
        skipped[batched[number]] = exc
    for number in sorted(skipped):
        satellite, reason = satellites[number], skipped[number]
        warnings.warn(
            SatelliteSkippedWarning(f"{satellite.name} ({satellite.norad_id}) is left out: {reason}"),
            stacklevel=3,
        )
    for each in found:
        yield merge_in_time_order(each)


def _batched_passes(
    members: list[Satellite],
    sun: SunTrack,
    chunks: list[Sequence[Observer]],
    sites: list[Sites],
    duration_s: float,
    settings: tuple[float, float, bool],
    found: list[list[Pass]],
) -> dict[int, PropagationError]:
    """Add the passes of satellites given by elements to each observer's list in ``found``,
    searched in batches on shared grids; return those that failed (by index in ``members``),
    which add none (all or nothing, whatever chunk of observers they failed in)."""
    failed: dict[int, PropagationError] = {}
    for shared in share_grids([orbital_period_s(s) for s in members], duration_s):
        batch = [members[k] for k in shared.members]
        fleet = FleetTrack.build(batch, shared.times_s, shared.step_s, duration_s, sun)
        tables = [
            fleet_tables(fleet, chunk_sites, *settings, chunk, single.PRESCREEN)
            for chunk, chunk_sites in zip(chunks, sites, strict=True)
        ]
        failed.update({shared.members[row]: exc for row, exc in fleet.orbits.failed.items()})
        first = 0
        for chunk, per_satellite in zip(chunks, tables, strict=True):
            for row, table in per_satellite.items():
                if row not in fleet.orbits.failed:
                    for offset, mine in enumerate(table.per_observer(len(chunk))):
                        found[first + offset].extend(mine)
            first += len(chunk)
    return failed


def _satellite_passes(
    satellite: Member,
    sun: SunTrack,
    chunks: list[Sequence[Observer]],
    sites: list[Sites],
    start: datetime,
    duration_s: float,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
) -> list[list[Pass]]:
    """One satellite's passes over every observer (all or nothing: a failure raises)."""
    track = Track.build(satellite, start, duration_s, sun=sun)
    result: list[list[Pass]] = []
    for chunk, chunk_sites in zip(chunks, sites, strict=True):
        result.extend(
            observer_passes(track, chunk_sites, min_elevation_deg, twilight_deg, visible_only, chunk)
        )
    return result
