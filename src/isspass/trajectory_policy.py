"""Which source predicts a window, NASA's trajectory or elements, and why: for the library and the CLI.

A trajectory that covers the window wins; else elements, warning of each planned manoeuvre they cannot know.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from .bundled import standard_magnitudes
from .defaults import SOURCES  # auto: a trajectory when one covers the window, else elements
from .elements import ISS_NORAD_ID
from .ephemeris import Ephemeris
from .errors import (
    CacheWarning,
    IsspassError,
    IsspassWarning,
    ManoeuvreWarning,
    TrajectoryCoverageError,
    TrajectoryError,
    TrajectoryMissingError,
    TrajectoryWarning,
)
from .model import Elements
from .oem_cache import TrajectoryCache
from .sources import ElementChoice, ElementPolicy, choose_satellite
from .text import inert
from .trajectory import TrajectorySatellite
from .utc import as_utc


def load_trajectory(
    oem: str | Path | Ephemeris,
    satellite: int | str | None = None,
    *,
    standard_magnitude: float | None = None,
) -> TrajectorySatellite:
    """A satellite to predict from a CCSDS OEM file (KVN or XML, gzip allowed) or a parsed one.

    Used as given, whatever the window: the search refuses a window it does not cover. The
    ISS is recognised by its international designator; for another object give its NORAD
    number as ``satellite``. ``standard_magnitude`` overrides the bundled table.
    """
    from .oem import read_oem

    ephemeris = oem if isinstance(oem, Ephemeris) else read_oem(oem)
    norad_id = _catalogue_number(ephemeris, satellite)
    if norad_id is None and ephemeris.is_iss:
        raise TrajectoryError(
            f"{ephemeris.source}: the trajectory is the ISS's, "
            f"not that of satellite {inert(str(satellite), 40)!r}"
        )
    if norad_id is None:
        raise TrajectoryError(
            f"{ephemeris.source}: the trajectory is of {inert(ephemeris.object_id, 40)}; say which "
            "satellite that is by its NORAD number (satellite=…, --satellite)"
        )
    return _satellite(ephemeris, norad_id, standard_magnitude)


def choose_source(
    satellite: int | str | None = None,
    *,
    elements: Iterable[Elements] | str | Path | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    standard_magnitude: float | None = None,
    policy: ElementPolicy | None = None,
    source: str = "auto",
    oem: str | Path | Ephemeris | None = None,
) -> ElementChoice:
    """Choose what predicts the window ``start``…``end``: a trajectory or elements.

    The trajectory is ``oem`` (a file or a parsed OEM) when given, else the cached ISS
    trajectory (``isspass update`` fetches it). With ``source="auto"`` it is used when it is
    the requested satellite's and covers the window with the search's padding, unless
    ``elements`` are given and ``oem`` is not (what the caller gives wins over the cache);
    otherwise the elements are chosen as :func:`isspass.choose_satellite` chooses them, and
    every manoeuvre the trajectory plans inside the window after the elements' epoch gives
    a :class:`~isspass.ManoeuvreWarning`. ``source="oem"`` insists on
    the trajectory (:class:`~isspass.errors.TrajectoryMissingError` without one,
    :class:`~isspass.errors.TrajectoryCoverageError` when it does not cover the window);
    ``source="elements"`` never uses it but still warns. The result's ``satellite`` is a
    :class:`~isspass.TrajectorySatellite` or a :class:`~isspass.Satellite`; nothing is
    emitted, the warnings are listed.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    policy = ElementPolicy() if policy is None else policy
    start = datetime.now(timezone.utc) if start is None else as_utc(start)
    end = start if end is None else as_utc(end)
    found: list[IsspassWarning] = []
    trajectory = _trajectory(oem, satellite, standard_magnitude, policy, found)
    preferred = source == "oem" or (source == "auto" and (oem is not None or elements is None))
    if preferred and trajectory is not None and trajectory.can_predict(start, end):
        trajectory = trajectory.with_reference(_reference_elements(trajectory.norad_id, start, policy))
        return ElementChoice(trajectory, _reason(trajectory), None, tuple(found))
    if source == "oem":
        raise _no_trajectory(trajectory, oem, start, end)
    if oem is not None and trajectory is not None and source == "auto":
        found.append(
            TrajectoryWarning(
                f"{trajectory.source} does not cover the window with an orbit to spare "
                f"({_span(trajectory.ephemeris)}): predicting from elements"
            )
        )
    choice = choose_satellite(
        satellite,
        elements=elements,
        start=start,
        days=(end - start).total_seconds() / 86400.0,
        standard_magnitude=standard_magnitude,
        policy=policy,
    )
    warnings = [*choice.warnings, *found]
    if trajectory is not None and trajectory.norad_id == choice.satellite.norad_id:
        warnings += manoeuvre_warnings(trajectory.ephemeris, choice.satellite.epoch, start, end)
    return ElementChoice(choice.satellite, choice.reason, choice.update, tuple(warnings))


def manoeuvre_warnings(
    ephemeris: Ephemeris, elements_epoch: datetime, start: datetime, end: datetime
) -> list[ManoeuvreWarning]:
    """One warning per manoeuvre the trajectory plans inside the window after ``elements_epoch``."""
    warnings = []
    for event in ephemeris.events_between(max(as_utc(start), elements_epoch), end):
        if not event.is_manoeuvre:
            continue
        delta_v = f", {event.delta_v_m_s:g} m/s" if event.delta_v_m_s else ""
        warnings.append(
            ManoeuvreWarning(
                f"NASA's trajectory (created {ephemeris.created:%Y-%m-%d %H:%M} UTC) plans {event.name} at "
                f"{event.time:%Y-%m-%d %H:%M} UTC{delta_v}: predictions from elements after that time will "
                "be off, by minutes after a reboost"
            )
        )
    return warnings


def _reference_elements(norad_id: int, start: datetime, policy: ElementPolicy) -> Elements | None:
    """The known elements nearest the window, only to number revolutions (pass ids): never fetched."""
    quiet = replace(policy, offline=True, allow_stale=True)
    try:
        return choose_satellite(norad_id, start=start, policy=quiet).satellite.elements
    except IsspassError:
        return None  # no set within a year of the window: the passes get no id


def _trajectory(
    oem: str | Path | Ephemeris | None,
    satellite: int | str | None,
    standard_magnitude: float | None,
    policy: ElementPolicy,
    found: list[IsspassWarning],
) -> TrajectorySatellite | None:
    """The given trajectory (errors raised), else the cached one if it is the requested satellite's."""
    if oem is not None:
        return load_trajectory(oem, satellite, standard_magnitude=standard_magnitude)
    number = str(satellite).strip() if isinstance(satellite, (int, str)) else ""
    if number.isdigit() and int(number) != ISS_NORAD_ID:
        return None  # the cache holds the ISS's trajectory only: not even read
    cache = TrajectoryCache(policy.cache_dir)
    ephemeris = cache.load()
    found.extend(CacheWarning(problem) for problem in cache.problems())
    if ephemeris is None or _catalogue_number(ephemeris, satellite) != ISS_NORAD_ID:
        return None
    return _satellite(ephemeris, ISS_NORAD_ID, standard_magnitude)


def _catalogue_number(ephemeris: Ephemeris, satellite: int | str | None) -> int | None:
    """The NORAD number a trajectory stands for in this request, or None when it is not the one asked for."""
    if isinstance(satellite, bool) or (satellite is not None and not isinstance(satellite, (int, str))):
        raise TypeError(f"satellite must be a NORAD number, a name or None, not {type(satellite).__name__}")
    known = ISS_NORAD_ID if ephemeris.is_iss else None
    if satellite is None:
        return known
    if isinstance(satellite, int) or satellite.strip().isdigit():
        number = int(satellite)
        return number if known in (None, number) else None
    wanted, name = satellite.strip().casefold(), ephemeris.object_name.casefold()
    if wanted and (wanted.startswith(name) or name.startswith(wanted)):
        return known
    return None


def _satellite(ephemeris: Ephemeris, norad_id: int, standard_magnitude: float | None) -> TrajectorySatellite:
    if standard_magnitude is not None and (
        isinstance(standard_magnitude, bool)
        or not isinstance(standard_magnitude, (int, float))
        or not math.isfinite(standard_magnitude)
    ):
        raise ValueError("standard magnitude must be a finite number")
    magnitude = standard_magnitude if standard_magnitude is not None else standard_magnitudes().get(norad_id)
    return TrajectorySatellite(ephemeris, norad_id, None if magnitude is None else float(magnitude))


def _span(ephemeris: Ephemeris) -> str:
    return f"{ephemeris.start:%Y-%m-%d %H:%M} to {ephemeris.stop:%Y-%m-%d %H:%M} UTC"


def _reason(trajectory: TrajectorySatellite) -> str:
    ephemeris = trajectory.ephemeris
    return (
        f"{trajectory.source}, created {ephemeris.created:%Y-%m-%d %H:%M} UTC by "
        f"{inert(ephemeris.originator, 40)}, covering {_span(ephemeris)} (it covers the window)"
    )


def _no_trajectory(
    trajectory: TrajectorySatellite | None, oem: object, start: datetime, end: datetime
) -> Exception:
    if trajectory is None:
        return TrajectoryMissingError(
            "no cached trajectory for this satellite (isspass update fetches the ISS's; --oem FILE gives one)"
        )
    return TrajectoryCoverageError(
        f"{trajectory.source} covers {_span(trajectory.ephemeris)}, not the window "
        f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC with an orbit to spare either side"
    )
