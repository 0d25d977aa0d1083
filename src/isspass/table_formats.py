"""Batch output straight from a PassTable: CSV, JSON Lines and Parquet, no Pass object per pass.

The same bytes as the per-pass renderers of :mod:`isspass.formats` (batch_csv_row, batch_json_line).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import IO, Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from .formats import batch_csv_header
from .locations import Location
from .model import COMPASS_POINTS
from .passtable import EVENTS, PASS_TYPES, PassTable
from .text import csv_cell

#: The points the CSV gives, as in the main command's CSV; the JSON Lines records give these too.
_CSV_POINTS = ("rise", "culmination", "set", "appears", "highest", "disappears")
_DAY_S = 86400


def select_rows(table: PassTable, min_peak_deg: float | None, brighter_than: float | None) -> PassTable:
    """The rows passing ``--min-peak`` (culmination altitude, degrees) and ``--brighter-than``
    (magnitude at the highest lit point, strictly brighter; passes without one fail)."""
    keep = np.ones(len(table), dtype=bool)
    if min_peak_deg is not None:
        keep &= table.altitude_deg[:, EVENTS.index("culmination")] >= min_peak_deg
    if brighter_than is not None:
        with np.errstate(invalid="ignore"):
            keep &= table.magnitude < brighter_than
    return table if keep.all() else table.take(keep)


class LocalTimes:
    """UTC instants shown in a place's zone (``local_time(...).isoformat()``), many at once.

    A zone's offset is looked up once per UTC day; only instants on a day when it changes are
    converted one by one. Keep one for a whole batch: the lookups are remembered.
    """

    def __init__(self) -> None:
        self._offsets: dict[tuple[str, int], int] = {}
        # ZoneInfo keeps only its last few zones; a chunk of places spans dozens, each read again
        self._zones: dict[str, ZoneInfo] = {}

    def _offset_s(self, zone: ZoneInfo, key: str, day: int) -> int:
        found = self._offsets.get((key, day))
        if found is None:
            when = datetime.fromtimestamp(day * _DAY_S, tz=timezone.utc)
            delta = when.astimezone(zone).utcoffset()
            found = 0 if delta is None else int(delta.total_seconds())
            self._offsets[(key, day)] = found
        return found

    def isoformat(self, microseconds: NDArray[np.int64], zone_name: str) -> list[str]:
        """Each instant (µs since 1970, UTC) rounded to the second, in ``zone_name``, as ISO 8601."""
        zone = self._zones.get(zone_name) or self._zones.setdefault(zone_name, ZoneInfo(zone_name))
        seconds = (microseconds + 500_000) // 1_000_000
        days, day_of = np.unique(seconds // _DAY_S, return_inverse=True)  # the few days, looked up once each
        start = np.array([self._offset_s(zone, zone_name, d) for d in days.tolist()], dtype=np.int64)
        end = np.array([self._offset_s(zone, zone_name, d + 1) for d in days.tolist()], dtype=np.int64)
        start, end = start[day_of], end[day_of]
        steady = (start == end) & (start % 60 == 0)
        text = np.datetime_as_string((seconds + start).astype("datetime64[s]"), unit="s").tolist()
        suffix = {offset: _offset_text(offset) for offset in set(start.tolist())}
        result = []
        for k, (clock, offset, plain) in enumerate(zip(text, start.tolist(), steady.tolist(), strict=True)):
            if plain:
                result.append(clock + suffix[offset])
            else:  # the zone changes its offset that day: ask it
                moment = datetime.fromtimestamp(int(seconds[k]), tz=timezone.utc)
                result.append(moment.astimezone(zone).isoformat())
        return result


def _offset_text(offset_s: int) -> str:
    sign = "-" if offset_s < 0 else "+"
    hours, minutes = divmod(abs(offset_s) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def iso_utc_strings(microseconds: NDArray[np.int64]) -> list[str]:
    """``iso_utc`` of many instants (µs since 1970): to the millisecond, rounded half-even,
    ``.000`` left out."""
    within = microseconds % 1_000_000
    millis, rest = np.divmod(within, 1000)
    up = (rest > 500) | ((rest == 500) & (millis % 2 == 1))
    total_ms = (microseconds - within) // 1000 + millis + up
    whole = total_ms % 1000 == 0
    with_ms = np.datetime_as_string(total_ms.astype("datetime64[ms]"), unit="ms")
    without = np.datetime_as_string((total_ms // 1000).astype("datetime64[s]"), unit="s")
    return (np.where(whole, without, with_ms).astype(object) + "Z").tolist()


def _directions(azimuth_deg: NDArray[np.float64]) -> list[str]:
    index = (np.floor(np.nan_to_num(azimuth_deg % 360.0) / 22.5 + 0.5) % 16).astype(int)
    return [COMPASS_POINTS[k] for k in index.tolist()]


class _Columns:
    """The rows of a table as Python values and text, column by column (one numpy call each)."""

    def __init__(self, table: PassTable, places: Sequence[Location], zones: Sequence[str], times: LocalTimes):
        self.count = len(table)
        self.owner = table.observer.tolist()
        present = ~np.isnat(table.time)
        micro = np.where(present, table.time.astype(np.int64), 0)  # absent: any instant, not shown
        self.present = {name: present[:, EVENTS.index(name)].tolist() for name in _CSV_POINTS}
        self.utc: dict[str, list[str]] = {}
        self.local: dict[str, list[str]] = {}
        self.altitude: dict[str, list[float]] = {}
        self.azimuth: dict[str, list[float]] = {}
        self.direction: dict[str, list[str]] = {}
        self.range_km: dict[str, list[float]] = {}
        self.sun: dict[str, list[float]] = {}
        self.sunlit: dict[str, list[bool]] = {}
        self.magnitude: dict[str, list[float]] = {}
        zone_of_row = np.array([zones[k] for k in self.owner], dtype=object)
        points = [EVENTS.index(name) for name in _CSV_POINTS]
        local = np.empty((self.count, len(points)), dtype=object)
        for zone in set(zone_of_row.tolist()):  # every point of a zone's rows converted at once
            rows = np.flatnonzero(zone_of_row == zone)
            texts = times.isoformat(micro[np.ix_(rows, points)].ravel(), zone)
            local[rows] = np.array(texts, dtype=object).reshape(len(rows), len(points))
        for point, name in enumerate(_CSV_POINTS):
            column = EVENTS.index(name)
            at = micro[:, column]
            self.utc[name] = iso_utc_strings(at)
            self.local[name] = local[:, point].tolist()
            self.altitude[name] = table.altitude_deg[:, column].tolist()
            self.azimuth[name] = table.azimuth_deg[:, column].tolist()
            self.direction[name] = _directions(table.azimuth_deg[:, column])
            self.range_km[name] = table.range_km[:, column].tolist()
            self.sun[name] = table.sun_altitude_deg[:, column].tolist()
            self.sunlit[name] = table.sunlit[:, column].tolist()
            self.magnitude[name] = table.point_magnitude[:, column].tolist()
        self.type = [PASS_TYPES[k].value for k in table.type.tolist()]
        self.pass_magnitude = table.magnitude.tolist()
        self.brightest = table.brightest_magnitude.tolist()
        self.visible_s = table.visible_duration_s.tolist()
        self.duration_s = table.duration_s.tolist()
        self.band_s = table.timing_uncertainty_s.tolist()
        self.orbit = table.orbit_number.tolist()
        self.id = table.id.tolist()
        self.norad = table.norad_id.tolist()
        self.name = table.satellite_name


def _place_cells(place: Location, zone_name: str) -> list[Any]:
    o = place.observer
    return [place.name, o.latitude_deg, o.longitude_deg, o.elevation_m, zone_name]


def table_csv(table: PassTable, places: Sequence[Location], zones: Sequence[str], times: LocalTimes) -> str:
    """Batch CSV lines (no header: see :func:`~isspass.formats.batch_csv_header`) for every row;
    ``places[k]`` and ``zones[k]`` are observer ``k``'s place and time zone name."""
    c = _Columns(table, places, zones, times)
    satellite = csv_cell(c.name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    place_cells: dict[int, list[Any]] = {}
    rows = []
    for row in range(c.count):
        owner = c.owner[row]
        cells = place_cells.get(owner)
        if cells is None:
            given = _place_cells(places[owner], zones[owner])
            cells = [csv_cell(x) if isinstance(x, str) else x for x in given]
            place_cells[owner] = cells
        mag = c.pass_magnitude[row]
        line = [
            *cells,
            c.type[row],
            "" if mag != mag else f"{mag:.2f}",
            f"{c.visible_s[row]:.1f}",
            f"{c.duration_s[row]:.1f}",
            f"{c.band_s[row]:.1f}",
        ]
        for name in _CSV_POINTS:
            if not c.present[name][row]:
                line += ["", "", "", "", ""]
            else:
                line += [
                    c.utc[name][row],
                    c.local[name][row],
                    csv_cell(f"{c.altitude[name][row]:.2f}"),
                    f"{c.azimuth[name][row]:.2f}",
                    c.direction[name][row],
                ]
        line += [csv_cell(c.id[row]), satellite, str(c.norad[row])]
        rows.append(line)
    writer.writerows(rows)
    return out.getvalue()


def _rounded(value: float, digits: int) -> float | None:
    return None if value != value else round(value, digits)


def table_json_lines(
    table: PassTable, places: Sequence[Location], zones: Sequence[str], times: LocalTimes
) -> str:
    """Batch JSON Lines records for every row (as :func:`~isspass.formats.batch_json_line`)."""
    c = _Columns(table, places, zones, times)
    lines = []
    for row in range(c.count):
        place = places[c.owner[row]]
        o = place.observer
        mag = c.pass_magnitude[row]
        record = {
            "name": place.name,
            "line": place.line,
            "observer": {
                "latitude": o.latitude_deg,
                "longitude": o.longitude_deg,
                "elevation_m": o.elevation_m,
                "timezone": zones[c.owner[row]],
            },
            "satellite": {"name": c.name, "norad_id": c.norad[row]},
            "id": c.id[row],
            "orbit_number": None if c.orbit[row] < 0 else c.orbit[row],
            "type": c.type[row],
            "visible": c.type[row] == "visible",
            "magnitude": _rounded(mag, 2),
            "brightest_magnitude": _rounded(c.brightest[row], 2),
            "visible_duration_s": round(c.visible_s[row], 1),
            "duration_s": round(c.duration_s[row], 1),
            "timing_uncertainty_s": round(c.band_s[row], 1),
        }
        for name in _CSV_POINTS:
            record[name] = _json_point(c, name, row)
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def _json_point(c: _Columns, name: str, row: int) -> dict[str, Any] | None:
    if not c.present[name][row]:
        return None
    return {
        "time": c.utc[name][row],
        "altitude": round(c.altitude[name][row], 2),
        "azimuth": round(c.azimuth[name][row], 2),
        "direction": c.direction[name][row],
        "range_km": round(c.range_km[name][row], 1),
        "sunlit": c.sunlit[name][row],
        "magnitude": _rounded(c.magnitude[name][row], 2),
        "sun_altitude": round(c.sun[name][row], 2),
    }


#: The batch writers from a table, by ``--format``.
TABLE_WRITERS: dict[str, Callable[[PassTable, Sequence[Location], Sequence[str], LocalTimes], str]] = {
    "csv": table_csv,
    "jsonl": table_json_lines,
}


def batch_header(fmt: str) -> str:
    """What a batch output starts with before its first row."""
    return batch_csv_header() if fmt == "csv" else ""


class ParquetWriter:
    """Batch rows into an Apache Parquet file (needs pyarrow: ``pip install 'isspass[parquet]'``).

    Tables are gathered into row groups of at least :attr:`ROW_GROUP_ROWS` rows (the last
    one aside): a file's footer describes every row group, and is held in memory until the
    file is closed. Columns: the place (``observer`` index, ``name``,
    ``latitude``, ``longitude``, ``elevation_m``, ``timezone``), the pass (``type`` as text,
    ``magnitude``, ``brightest_magnitude``, ``visible_duration_s``, ``duration_s``,
    ``timing_uncertainty_s``, ``orbit_number``, ``id``, ``satellite``, ``norad_id``) and, for
    every event, ``<event>_utc`` (timestamp, µs, UTC), ``_altitude``, ``_azimuth``,
    ``_range_km``, ``_sun_altitude``, ``_sunlit`` and ``_magnitude`` (null when absent).
    """

    #: Rows per row group: a chunk of places is some hundreds of rows, and a row group per chunk
    #: made the footer of a million places' file (and the writer's memory) grow to hundreds of MB.
    ROW_GROUP_ROWS = 65_536

    def __init__(self, handle: IO[bytes]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        self._writer = pq.ParquetWriter(handle, self.schema(), compression="zstd")
        self._pending: list[Any] = []  # tables not yet written, fewer than ROW_GROUP_ROWS rows in all
        self._pending_rows = 0

    def schema(self) -> Any:
        pa = self._pa if hasattr(self, "_pa") else __import__("pyarrow")
        fields = [
            ("observer", pa.int64()), ("name", pa.string()), ("latitude", pa.float64()),
            ("longitude", pa.float64()), ("elevation_m", pa.float64()), ("timezone", pa.string()),
            ("type", pa.string()), ("magnitude", pa.float64()), ("brightest_magnitude", pa.float64()),
            ("visible_duration_s", pa.float64()), ("duration_s", pa.float64()),
            ("timing_uncertainty_s", pa.float64()), ("orbit_number", pa.int64()), ("id", pa.string()),
            ("satellite", pa.string()), ("norad_id", pa.int64()),
        ]  # fmt: skip
        for event in EVENTS:
            fields += [
                (f"{event}_utc", pa.timestamp("us", tz="UTC")), (f"{event}_altitude", pa.float64()),
                (f"{event}_azimuth", pa.float64()), (f"{event}_range_km", pa.float64()),
                (f"{event}_sun_altitude", pa.float64()), (f"{event}_sunlit", pa.bool_()),
                (f"{event}_magnitude", pa.float64()),
            ]  # fmt: skip
        return pa.schema(fields)

    def write(self, table: PassTable, places: Sequence[Location], zones: Sequence[str]) -> None:
        pa = self._pa
        owner = table.observer
        chosen = [places[k] for k in owner.tolist()]
        columns: dict[str, Any] = {
            "observer": owner,
            "name": [p.name for p in chosen],
            "latitude": np.array([p.observer.latitude_deg for p in chosen], dtype=float),
            "longitude": np.array([p.observer.longitude_deg for p in chosen], dtype=float),
            "elevation_m": np.array([p.observer.elevation_m for p in chosen], dtype=float),
            "timezone": [zones[k] for k in owner.tolist()],
            "type": [PASS_TYPES[k].value for k in table.type.tolist()],
            "magnitude": pa.array(table.magnitude, from_pandas=True),
            "brightest_magnitude": pa.array(table.brightest_magnitude, from_pandas=True),
            "visible_duration_s": table.visible_duration_s,
            "duration_s": table.duration_s,
            "timing_uncertainty_s": table.timing_uncertainty_s,
            "orbit_number": pa.array(table.orbit_number, mask=table.orbit_number < 0),
            "id": table.id.tolist(),
            "satellite": [table.satellite_name] * len(table),
            "norad_id": table.norad_id,
        }
        for column, event in enumerate(EVENTS):
            absent = np.isnat(table.time[:, column])
            columns[f"{event}_utc"] = pa.array(table.time[:, column], type=pa.timestamp("us", tz="UTC"))
            for suffix, values in (
                ("altitude", table.altitude_deg), ("azimuth", table.azimuth_deg),
                ("range_km", table.range_km), ("sun_altitude", table.sun_altitude_deg),
                ("magnitude", table.point_magnitude),
            ):  # fmt: skip
                columns[f"{event}_{suffix}"] = pa.array(values[:, column], from_pandas=True)
            columns[f"{event}_sunlit"] = pa.array(table.sunlit[:, column], mask=absent)
        batch = pa.Table.from_pydict(columns, schema=self._writer.schema)
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        if self._pending_rows >= self.ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending_rows:
            rows = self._pending_rows
            self._writer.write_table(self._pa.concat_tables(self._pending), row_group_size=rows)
        self._pending, self._pending_rows = [], 0

    def close(self) -> None:
        self._flush()
        self._writer.close()
