"""Pass search: every pass over one or many observers, its lit arc, and whether a person can see it.

The public entry points and their argument checks; each stage of the search has a module of its own.

Sample coarsely, find the peaks of smooth functions (the sine of the altitude, the depth
in the Earth's shadow), refine each peak on its analytic derivative, then refine the
threshold crossings on either side, reading the satellite from a table of its trajectory
propagated once per node for all observers (:mod:`.nodes`). Peaks are found even when no
sample lies above the threshold, so a pass that crests it by a hair is never lost. Everything observer-free
(propagation, the Sun, the shadow) is done once; observers are processed in chunks, and
every refinement is one vectorised batch over all of a chunk's passes.

``roots``: generic vectorised roots, peaks and level intervals (numpy only).
``track``: the satellite over the window, observer-free, with its eclipses.
``nodes``: the trajectory every refinement reads: propagated once per node, cubic Hermite between.
``passes``: one chunk of observers, from sampled altitudes to :class:`~isspass.Pass` objects,
via ``visibility`` (lit segments, the sky's darkness, the pass type) and ``assemble``.
``prescreen``: peaks that cannot become visible passes, dropped before they are refined.
``fleet``: many satellites: one Sun for the window, searched in batches on shared grids
(``grids``, ``fleet_track``, ``fleet_passes``, ``fleet_assemble``), merged in time order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from itertools import chain, islice
from typing import Any

from ..arguments import friendly_keywords
from ..defaults import DEFAULT_DAYS, DEFAULT_MIN_ELEVATION_DEG, DEFAULT_TWILIGHT_DEG
from ..errors import WindowError
from ..model import Observer, Pass, Satellite
from ..passtable import PassTable, concat_tables
from ..sky import ephemeris_span
from ..sources import ElementPolicy, load_satellite
from ..trajectory import TrajectorySatellite
from ..trajectory_policy import choose_source
from ..utc import naive_message, now_utc
from .fleet import iter_fleet_passes, unique_satellites
from .parallel import Chunk, check_workers, iter_in_processes, iter_on_dask
from .passes import chunk_table
from .track import Track, check_predictable

#: What the search accepts as ``satellite``: one, given or to be looked up, or a sequence of them.
OneSatellite = Satellite | TrajectorySatellite | int | str | None
Satellites = OneSatellite | Sequence[Satellite | TrajectorySatellite | int | str]

DEFAULT_CHUNK = 256
_MAX_DAYS = 366.0
_PAD = timedelta(days=1)


@friendly_keywords
def find_passes(
    observer: Observer,
    start: datetime | None = None,
    days: float = DEFAULT_DAYS,
    *,
    satellite: Satellites = None,
    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG,
    twilight_deg: float = DEFAULT_TWILIGHT_DEG,
    visible_only: bool = True,
    offline: bool = False,
    allow_stale: bool = False,
) -> list[Pass]:
    """Passes of a satellite over an observer, in time order.

    ``start`` is a timezone-aware datetime (default: now); the window lasts ``days``
    (fractions allowed, at most 366). Every pass overlapping the window is returned with
    its true rise and set, even when it began before ``start`` or ends after the window.
    ``min_elevation_deg`` (0…90, default 10) is the altitude a pass must reach;
    ``twilight_deg`` (−90…0, default −6) is how low the Sun must be for the sky to be dark.
    With ``visible_only`` (default) only visible passes are returned; otherwise every pass,
    each with its :class:`~isspass.PassType`.

    ``satellite`` is a :class:`~isspass.Satellite` or a :class:`~isspass.TrajectorySatellite`
    (used as given), or a NORAD number or a name, or None for the ISS: the source is then
    chosen exactly as the command line chooses it (:func:`isspass.choose_source`): the
    cached ISS trajectory when it covers the window, else the cached or bundled set nearest
    the window, refreshed over the network first when due unless ``offline``; a
    :class:`~isspass.StaleElementsWarning` past 3 days from ``start`` and
    :class:`~isspass.StaleElementsError` past 30 unless ``allow_stale``.

    ``satellite`` may also be a sequence of these (``[iss, 48274, "HST"]``): the passes of
    all of them, merged in the order they can be seen (each pass's ``satellite`` says whose
    it is), the same as one search per satellite but with the Sun and the Earth's rotation
    computed once. Each catalogue number counts once. A satellite of the sequence that
    cannot be predicted over the window (SGP4 finds it decayed, or its elements are over a
    year from it) is left out with a :class:`~isspass.SatelliteSkippedWarning`.

    >>> from datetime import datetime, timedelta, timezone
    >>> zurich = Observer(47.3744, 8.5410)
    >>> passes = find_passes(zurich, datetime(2026, 9, 24, tzinfo=timezone.utc), days=3)
    """
    if not isinstance(observer, Observer):
        raise TypeError("observer must be an isspass.Observer")
    return find_passes_many(
        [observer],
        start,
        days,
        satellite=satellite,
        min_elevation_deg=min_elevation_deg,
        twilight_deg=twilight_deg,
        visible_only=visible_only,
        offline=offline,
        allow_stale=allow_stale,
    )[0]


@friendly_keywords
def find_passes_many(
    observers: Sequence[Observer],
    start: datetime | None = None,
    days: float = DEFAULT_DAYS,
    *,
    satellite: Satellites = None,
    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG,
    twilight_deg: float = DEFAULT_TWILIGHT_DEG,
    visible_only: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    offline: bool = False,
    allow_stale: bool = False,
    workers: int = 1,
    client: Any = None,
) -> list[list[Pass]]:
    """:func:`find_passes` for many observers at once: one list of passes per observer.

    The same results as calling :func:`find_passes` for each observer, but the satellite
    and the Sun are propagated, and the Earth's shadow searched, once for all of them;
    observers are then processed ``chunk_size`` at a time in vectorised batches, which
    bounds the memory used (some tens of MB per 256 observers for a 10-day window).

    ``workers`` > 1 searches the chunks in that many worker processes of this machine;
    ``client``, a ``dask.distributed.Client``, searches them on its cluster instead. Either
    way the results are the same as in one process, in the observers' order.
    """
    return list(
        iter_passes_many(
            observers,
            start,
            days,
            satellite=satellite,
            min_elevation_deg=min_elevation_deg,
            twilight_deg=twilight_deg,
            visible_only=visible_only,
            chunk_size=chunk_size,
            offline=offline,
            allow_stale=allow_stale,
            workers=workers,
            client=client,
        )
    )


@friendly_keywords
def iter_passes_many(
    observers: Sequence[Observer],
    start: datetime | None = None,
    days: float = DEFAULT_DAYS,
    *,
    satellite: Satellites = None,
    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG,
    twilight_deg: float = DEFAULT_TWILIGHT_DEG,
    visible_only: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    offline: bool = False,
    allow_stale: bool = False,
    workers: int = 1,
    client: Any = None,
) -> Iterator[list[Pass]]:
    """Like :func:`find_passes_many`, but yields each observer's passes as soon as its chunk is done.

    Arguments are checked before the first item is produced; memory stays bounded by one
    chunk whatever the number of observers (a few chunks per worker with ``workers`` or ``client``).
    """
    check_workers(workers)
    if _is_sequence(satellite):  # several satellites: searched in this process
        fleet, begin, duration_s = _prepare_fleet(
            observers, start, days, satellite, min_elevation_deg, twilight_deg, chunk_size,
            offline, allow_stale,
        )  # fmt: skip
        return iter_fleet_passes(
            fleet, observers, begin, duration_s, min_elevation_deg, twilight_deg, visible_only, chunk_size
        )
    tables = _tables(
        observers, start, days, satellite, min_elevation_deg, twilight_deg, visible_only, chunk_size,
        offline, allow_stale, workers, client,
    )  # fmt: skip
    return _per_observer(tables, len(observers), chunk_size)


@friendly_keywords
def iter_pass_tables(
    observers: Iterable[Observer],
    start: datetime | None = None,
    days: float = DEFAULT_DAYS,
    *,
    satellite: OneSatellite = None,
    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG,
    twilight_deg: float = DEFAULT_TWILIGHT_DEG,
    visible_only: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    offline: bool = False,
    allow_stale: bool = False,
    workers: int = 1,
    client: Any = None,
) -> Iterator[PassTable]:
    """Like :func:`iter_passes_many`, but yields one :class:`~isspass.PassTable` per chunk of
    ``chunk_size`` observers, in order, its ``observer`` column indexing ``observers``.

    No :class:`~isspass.Pass` object is built: the columns are what the search computed
    (``table.to_passes()`` gives the same passes as :func:`find_passes_many`). One satellite.

    ``observers`` may also be an iterator (a generator reading a file, say): it is then read
    a chunk at a time, no further ahead than the chunks in flight, so that memory stays
    bounded whatever the number of observers; its items are checked as they are read.
    """
    check_workers(workers)
    if _is_sequence(satellite):
        raise TypeError("iter_pass_tables searches one satellite; give a Satellite, a NORAD number or a name")
    return _tables(
        observers, start, days, satellite, min_elevation_deg, twilight_deg, visible_only, chunk_size,
        offline, allow_stale, workers, client,
    )  # fmt: skip


def find_pass_table(observers: Sequence[Observer], *args: Any, **kwargs: Any) -> PassTable | None:
    """:func:`iter_pass_tables` in one table (None when there are no observers)."""
    tables = list(iter_pass_tables(observers, *args, **kwargs))
    return concat_tables(tables) if tables else None


def _tables(
    observers: Iterable[Observer],
    start: datetime | None,
    days: float,
    satellite: OneSatellite,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
    chunk_size: int,
    offline: bool,
    allow_stale: bool,
    workers: int,
    client: Any,
) -> Iterator[PassTable]:
    """The chunks' tables, searched here, in worker processes or on a cluster (arguments
    checked now; the observers of an iterator as they are read)."""
    listed = observers if isinstance(observers, Sequence) else ()  # an iterator is checked as it is read
    start, duration_s, chosen = _prepare_many(
        listed, start, days, satellite, min_elevation_deg, twilight_deg, chunk_size,
        offline, allow_stale,
    )  # fmt: skip
    if isinstance(observers, Sequence):
        chunks = _slices(observers, chunk_size)
        workers = min(workers, -(-len(observers) // chunk_size))  # no more processes than chunks
    else:
        chunks = _read_chunks(iter(observers), chunk_size)
    head = next(chunks, None)
    if head is None:
        return iter(())
    track = Track.build(chosen, start, duration_s)
    chunks = chain([head], chunks)
    settings = (float(min_elevation_deg), float(twilight_deg), bool(visible_only))
    if client is not None:
        return iter_on_dask(client, track, chunks, settings)
    if workers > 1:
        return iter_in_processes(track, chunks, workers, settings)
    return _iter_chunks(track, chunks, settings)


def _per_observer(tables: Iterator[PassTable], count: int, chunk_size: int) -> Iterator[list[Pass]]:
    """Each observer's passes from the chunks' tables (chunk ``k`` holds observers ``k·chunk_size …``)."""
    for number, table in enumerate(tables):
        first = number * chunk_size
        yield from table.per_observer(min(chunk_size, count - first), first)


# --------------------------------------------------------------------------- argument checks and chunks


def _is_sequence(satellite: object) -> bool:
    return isinstance(satellite, Sequence) and not isinstance(satellite, (str, bytes))


def _check_arguments(
    observers: Sequence[Observer],
    start: datetime | None,
    days: float,
    min_elevation_deg: float,
    twilight_deg: float,
    chunk_size: int,
) -> tuple[datetime, float]:
    """The window (UTC start, seconds) once every argument is checked."""
    for observer in observers:
        if not isinstance(observer, Observer):
            raise TypeError("observers must be isspass.Observer objects")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError("chunk_size must be a positive integer")
    start, duration_s = _window(start, days)
    _check_number("min_elevation_deg", min_elevation_deg, 0.0, 90.0)
    _check_number("twilight_deg", twilight_deg, -90.0, 0.0)
    return start, duration_s


def _prepare_fleet(
    observers: Sequence[Observer],
    start: datetime | None,
    days: float,
    satellites: Sequence[Satellite | TrajectorySatellite | int | str],
    min_elevation_deg: float,
    twilight_deg: float,
    chunk_size: int,
    offline: bool,
    allow_stale: bool,
) -> tuple[list[Satellite | TrajectorySatellite], datetime, float]:
    begin, duration_s = _check_arguments(observers, start, days, min_elevation_deg, twilight_deg, chunk_size)
    if not satellites:
        raise ValueError("satellite: an empty sequence names no satellite")
    for item in satellites:
        if item is None or _is_sequence(item):
            raise TypeError("satellite: a sequence must hold Satellite objects, NORAD numbers or names")
    fleet = [_fleet_member(item, begin, duration_s, offline, allow_stale) for item in satellites]
    return unique_satellites(fleet), begin, duration_s


def _prepare_many(
    observers: Sequence[Observer],
    start: datetime | None,
    days: float,
    satellite: OneSatellite,
    min_elevation_deg: float,
    twilight_deg: float,
    chunk_size: int,
    offline: bool,
    allow_stale: bool,
) -> tuple[datetime, float, Satellite | TrajectorySatellite]:
    """The window (UTC start, seconds) and the satellite to search, once every argument is checked."""
    start, duration_s = _check_arguments(observers, start, days, min_elevation_deg, twilight_deg, chunk_size)
    end = start + timedelta(seconds=duration_s)
    chosen = _resolve_satellite(satellite, start, end, offline, allow_stale)
    check_predictable(chosen, start, end)
    return start, duration_s, chosen


def _resolve_satellite(
    satellite: Satellite | TrajectorySatellite | int | str | None,
    start: datetime,
    end: datetime,
    offline: bool,
    allow_stale: bool,
) -> Satellite | TrajectorySatellite:
    """The satellite to search: the one given, else the policy's choice for the window
    (a cached trajectory that covers it, else elements)."""
    if isinstance(satellite, (Satellite, TrajectorySatellite)):
        return satellite
    if satellite is not None and (isinstance(satellite, bool) or not isinstance(satellite, (int, str))):
        kind = type(satellite).__name__
        raise TypeError(f"satellite must be an isspass.Satellite, a NORAD number or a name, not {kind}")
    policy = ElementPolicy(offline=offline, allow_stale=allow_stale)
    return choose_source(satellite, start=start, end=end, policy=policy).emit()


def _fleet_member(
    satellite: Satellite | TrajectorySatellite | int | str,
    start: datetime,
    duration_s: float,
    offline: bool,
    allow_stale: bool,
) -> Satellite | TrajectorySatellite:
    """One satellite of a sequence: the one given, else elements chosen by the element policy
    (as :func:`isspass.choose_satellite` chooses them; no trajectory is looked up for several)."""
    if isinstance(satellite, (Satellite, TrajectorySatellite)):
        return satellite
    if isinstance(satellite, bool) or not isinstance(satellite, (int, str)):
        kind = type(satellite).__name__
        raise TypeError(f"satellite must be an isspass.Satellite, a NORAD number or a name, not {kind}")
    return load_satellite(
        satellite, start=start, offline=offline, allow_stale=allow_stale, days=duration_s / 86400.0
    )


def _check_number(name: str, value: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} {value:g} is outside {low:g}..{high:g}")
    return float(value)


def check_window(start: datetime, days: float) -> None:
    """Raise :class:`WindowError` unless the ``days`` from ``start`` lie within the ephemeris.

    What :func:`find_passes` checks first; a caller that chooses the elements itself (the
    command line) checks it before, so that no element is looked up, nor fetched, in vain.
    """
    _window(start, days)


def _window(start: datetime | None, days: float) -> tuple[datetime, float]:
    if start is None:
        start = now_utc()
    if not isinstance(start, datetime):
        raise ValueError(f"start must be a timezone-aware datetime, not {type(start).__name__}")
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError(naive_message("start", start))
    days = _check_number("days", days, 0.0, _MAX_DAYS)
    if days <= 0:
        raise ValueError("days must be greater than 0")
    start = start.astimezone(timezone.utc)
    first, last = ephemeris_span()
    # The search pads the window by a day at most on either side (an orbit, or 30 minutes).
    if start - _PAD < first or start + timedelta(days=days) + _PAD > last:
        raise WindowError(
            f"the window {start:%Y-%m-%d} + {days:g} days is outside {first:%Y-%m-%d}..{last:%Y-%m-%d}, "
            "the span of the bundled ephemeris (DE421)"
        )
    return start, days * 86400.0


def _slices(observers: Sequence[Observer], chunk_size: int) -> Iterator[Chunk]:
    for first in range(0, len(observers), chunk_size):
        yield first, observers[first : first + chunk_size]


def _read_chunks(observers: Iterator[Observer], chunk_size: int) -> Iterator[Chunk]:
    """Chunks of an iterator's observers, each read and checked when asked for."""
    first = 0
    while chunk := list(islice(observers, chunk_size)):
        if not all(isinstance(observer, Observer) for observer in chunk):
            raise TypeError("observers must be isspass.Observer objects")
        yield first, chunk
        first += len(chunk)


def _iter_chunks(
    track: Track, chunks: Iterable[Chunk], settings: tuple[float, float, bool]
) -> Iterator[PassTable]:
    for first, observers in chunks:
        yield chunk_table(track, observers, *settings).shifted(first)
