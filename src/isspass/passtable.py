"""Columnar pass results: one row per pass, numpy columns, for many observers at once.

What the search produces before any Pass object exists: small to pickle, Pass objects on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta, timezone
from itertools import repeat

import numpy as np
from numpy.typing import NDArray

from .collector import collector_paused
from .model import Pass, PassType, SatelliteId
from .pass_objects import optional_floats, pass_points, trusted_pass

#: The event columns of a table, in order (the second axis of its per-event arrays).
EVENTS = (
    "rise", "culmination", "set", "horizon_rise", "horizon_set",
    "appears", "highest", "disappears", "shadow_entry", "shadow_exit",
)  # fmt: skip

#: The ``type`` codes of a table: ``PASS_TYPES[code]`` (0 visible, 1 daylight, 2 unlit).
PASS_TYPES = (PassType.VISIBLE, PassType.DAYLIGHT, PassType.UNLIT)

#: ``orbit_number`` of a pass that has none (no elements to number the revolutions).
NO_ORBIT = -1

_POINT_COLUMNS = ("altitude_deg", "azimuth_deg", "range_km", "sun_altitude_deg", "sunlit", "point_magnitude")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_HIGHEST = EVENTS.index("highest")


@dataclass(frozen=True, eq=False)
class PassTable:
    """Passes as columns: row ``i`` is one pass over observer ``observer[i]`` (its index in
    the observers searched), rows grouped by observer and in time order within each.

    Per-event arrays have shape (rows, ``len(EVENTS)``): ``time`` (datetime64[us], UTC, NaT
    when the pass has no such event), ``altitude_deg``, ``azimuth_deg`` (east of north),
    ``range_km``, ``sun_altitude_deg`` (NaN when absent), ``sunlit`` and ``point_magnitude``
    (NaN when unlit or unknown). Per-pass columns: ``type`` (a code into
    :data:`PASS_TYPES`), ``brightest_magnitude`` (NaN if none), ``visible_duration_s``,
    ``timing_uncertainty_s``, ``orbit_number`` (:data:`NO_ORBIT` if none), ``id`` ("" if
    none) and ``norad_id``. ``satellite_name`` and ``min_elevation_deg`` hold for every row.
    """

    observer: NDArray[np.int64]
    time: NDArray[np.datetime64]
    altitude_deg: NDArray[np.float64]
    azimuth_deg: NDArray[np.float64]
    range_km: NDArray[np.float64]
    sun_altitude_deg: NDArray[np.float64]
    sunlit: NDArray[np.bool_]
    point_magnitude: NDArray[np.float64]
    type: NDArray[np.int8]
    brightest_magnitude: NDArray[np.float64]
    visible_duration_s: NDArray[np.float64]
    timing_uncertainty_s: NDArray[np.float64]
    orbit_number: NDArray[np.int64]
    id: NDArray[np.str_]
    norad_id: NDArray[np.int64]
    satellite_name: str
    min_elevation_deg: float

    def __len__(self) -> int:
        return int(self.observer.size)

    @property
    def magnitude(self) -> NDArray[np.float64]:
        """The magnitude at the highest lit point of each pass (NaN if none): a pass's ``magnitude``."""
        return self.point_magnitude[:, _HIGHEST]

    @property
    def duration_s(self) -> NDArray[np.float64]:
        """Seconds from rise to set, to the microsecond the times are given in."""
        microseconds = (self.time[:, 2] - self.time[:, 0]).astype(np.int64)
        return microseconds / 1e6

    def event(self, name: str) -> int:
        """The column of an event in the per-event arrays: ``table.time[:, table.event("rise")]``."""
        return EVENTS.index(name)

    def take(self, rows: NDArray[np.integer] | NDArray[np.bool_]) -> PassTable:
        """The table of the given rows (indices or a mask)."""
        return replace(self, **{f.name: getattr(self, f.name)[rows] for f in _COLUMNS})

    def shifted(self, offset: int) -> PassTable:
        """The same passes with ``offset`` added to every observer index (a chunk in a longer list)."""
        return replace(self, observer=self.observer + offset)

    def to_passes(self) -> list[Pass]:
        """The rows as :class:`~isspass.Pass` objects, in row order.

        The objects are those ``Pass(...)`` and ``PassPoint(...)`` would make of the same
        values, made in bulk (see :mod:`isspass.pass_objects`): the columns are the
        search's own results, so they need no second look.
        """
        # ten objects a pass, all kept, none in a cycle: the collector would scan them for nothing
        with collector_paused():
            return self._build_passes()

    def _build_passes(self) -> list[Pass]:
        """The work of :meth:`to_passes`: every point of the table at once, then every pass."""
        present = ~np.isnat(self.time)
        points = pass_points(self.time[present], *(getattr(self, name)[present] for name in _POINT_COLUMNS))
        # every event of every row: its point, or None; then one list per event (column)
        slots = np.full(self.time.shape, None, dtype=object)
        slots[present] = np.fromiter(points, dtype=object, count=len(points))
        events = {name: slots[:, column].tolist() for column, name in enumerate(EVENTS)}
        return list(
            map(
                trusted_pass,
                [PASS_TYPES[code] for code in self.type.tolist()],
                events["rise"],
                events["culmination"],
                events["set"],
                events["appears"],
                events["highest"],
                events["disappears"],
                events["horizon_rise"],
                events["horizon_set"],
                events["shadow_entry"],
                events["shadow_exit"],
                [None if highest is None else highest.magnitude for highest in events["highest"]],
                optional_floats(self.brightest_magnitude),
                self.visible_duration_s.tolist(),
                repeat(self.min_elevation_deg),
                self.timing_uncertainty_s.tolist(),
                [None if orbit == NO_ORBIT else orbit for orbit in self.orbit_number.tolist()],
                self.id.tolist(),
                self._satellites(),
            )
        )

    def _satellites(self) -> list[SatelliteId]:
        """Each row's satellite: one SatelliteId for each run of rows of the same satellite."""
        result = []
        which = SatelliteId(self.satellite_name, 0)
        for norad_id in self.norad_id.tolist():
            if which.norad_id != norad_id:
                which = SatelliteId(self.satellite_name, norad_id)
            result.append(which)
        return result

    def per_observer(self, count: int, first: int = 0) -> list[list[Pass]]:
        """The passes of observers ``first … first+count-1``: one list each, as
        :func:`isspass.find_passes_many` gives them (rows of other observers are left out)."""
        result: list[list[Pass]] = [[] for _ in range(count)]
        mine = (self.observer >= first) & (self.observer < first + count)
        table = self if mine.all() else self.take(mine)
        for owner, item in zip(table.observer.tolist(), table.to_passes(), strict=True):
            result[owner - first].append(item)
        return result


_COLUMNS = tuple(f for f in fields(PassTable) if f.name not in ("satellite_name", "min_elevation_deg"))


def concat_tables(tables: Sequence[PassTable]) -> PassTable:
    """One table of the rows of several (of the same satellite and minimum elevation), in order."""
    if not tables:
        raise ValueError("concat_tables needs at least one table")
    first = tables[0]
    return replace(first, **{f.name: np.concatenate([getattr(t, f.name) for t in tables]) for f in _COLUMNS})


def _round_away(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """C's round(): to the nearest integer, halves away from zero."""
    return np.copysign(np.floor(np.abs(x) + 0.5), x)


def microseconds_after(t0: datetime, offsets_s: NDArray[np.float64]) -> NDArray[np.datetime64]:
    """``t0 + timedelta(seconds=s)`` for every ``s`` (NaN: NaT), as datetime64[us], rounded to
    the microsecond exactly as :class:`datetime.timedelta` rounds a float number of seconds."""
    base = (t0 - _EPOCH) // timedelta(microseconds=1)
    finite = np.isfinite(offsets_s)
    seconds = np.where(finite, offsets_s, 0.0)
    fraction, whole = np.modf(seconds)
    micro_fraction, micro_whole = np.modf(fraction * 1e6)
    # timedelta's own steps: whole seconds, whole microseconds, then the rest rounded to the
    # nearest, a half to the even total
    total = whole.astype(np.int64) * 1_000_000 + micro_whole.astype(np.int64)
    odd = total % 2
    halfway = 2.0 * _round_away((micro_fraction + odd) * 0.5) - odd
    total += np.where(np.abs(micro_fraction) == 0.5, halfway, np.round(micro_fraction)).astype(np.int64)
    result = (total + base).astype("datetime64[us]")
    result[~finite] = np.datetime64("NaT")
    return result
