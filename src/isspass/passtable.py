"""Columnar pass results: one row per pass, numpy columns, for many observers at once.

What the search produces before any Pass object exists: small to pickle, Pass objects on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta, timezone

import numpy as np
from numpy.typing import NDArray

from .model import Pass, PassPoint, PassType, SatelliteId

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
        """The rows as :class:`~isspass.Pass` objects, in row order."""
        which = SatelliteId(self.satellite_name, 0)
        rows = len(self)
        times = self.time.astype(np.int64).tolist()
        present = (~np.isnat(self.time)).tolist()
        columns = [
            getattr(self, name).tolist()
            for name in _POINT_COLUMNS
        ]
        brightest = self.brightest_magnitude.tolist()
        visible_s = self.visible_duration_s.tolist()
        bands = self.timing_uncertainty_s.tolist()
        orbits = self.orbit_number.tolist()
        ids = self.id.tolist()
        norads = self.norad_id.tolist()
        types = self.type.tolist()
        result = []
        for row in range(rows):
            alt, az, rng, sun, lit, mag = (column[row] for column in columns)
            points = [
                PassPoint(
                    time=_EPOCH + timedelta(microseconds=times[row][k]),
                    altitude_deg=alt[k],
                    azimuth_deg=az[k],
                    range_km=rng[k],
                    sun_altitude_deg=sun[k],
                    sunlit=lit[k],
                    magnitude=None if mag[k] != mag[k] else mag[k],
                )
                if present[row][k]
                else None
                for k in range(len(EVENTS))
            ]
            rise, culmination, set_, h_rise, h_set, appears, highest, disappears, s_entry, s_exit = points
            if which.norad_id != norads[row]:
                which = SatelliteId(self.satellite_name, norads[row])
            result.append(
                Pass(
                    type=PASS_TYPES[types[row]],
                    rise=rise,  # type: ignore[arg-type]
                    culmination=culmination,  # type: ignore[arg-type]
                    set=set_,  # type: ignore[arg-type]
                    appears=appears,
                    highest=highest,
                    disappears=disappears,
                    horizon_rise=h_rise,  # type: ignore[arg-type]
                    horizon_set=h_set,  # type: ignore[arg-type]
                    shadow_entry=s_entry,
                    shadow_exit=s_exit,
                    magnitude=None if highest is None else highest.magnitude,
                    brightest_magnitude=None if brightest[row] != brightest[row] else brightest[row],
                    visible_duration_s=visible_s[row],
                    min_elevation_deg=self.min_elevation_deg,
                    timing_uncertainty_s=bands[row],
                    orbit_number=None if orbits[row] == NO_ORBIT else orbits[row],
                    id=ids[row],
                    satellite=which,
                )
            )
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
