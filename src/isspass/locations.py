"""Reading many observers at once: a CSV of named locations, with per-row errors.

Columns ``name,lat,lon[,elevation_m]`` (or ``name,place``, a town by name) after a header
row; a bad row is reported with its line number and the others are kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .model import Observer
from .text import inert, safe_name

REQUIRED = ("name", "lat", "lon")
OPTIONAL = ("elevation_m", "place")
_EXPECTED = "expected name,lat,lon[,elevation_m] or name,place[,elevation_m]"


@dataclass(frozen=True)
class Location:
    """A named observer from line ``line`` of the file; ``timezone`` is known when it was given by place."""

    line: int
    name: str
    observer: Observer
    timezone: str | None = None


@dataclass(frozen=True)
class RowError:
    """Why line ``line`` was skipped."""

    line: int
    message: str


def read_locations(text: str | Iterable[str]) -> tuple[list[Location], list[RowError]]:
    """Parse the CSV: its whole text, or its lines (e.g. from :func:`isspass.inputs.iter_lines_bounded`).

    Raises ValueError when the header itself is unusable, or when the CSV cannot be read
    past a line (an unterminated quote running into the csv module's field limit).
    """
    locations: list[Location] = []
    errors: list[RowError] = []
    for item in iter_locations(text):
        if isinstance(item, RowError):
            errors.append(item)
        else:
            locations.append(item)
    return locations, errors


def iter_locations(text: str | Iterable[str]) -> Iterator[Location | RowError]:
    """:func:`read_locations` row by row, in the file's order: each location or row error as
    its line is read, so that a file of any length is parsed in bounded memory.

    The ValueErrors of :func:`read_locations` are raised when the bad header or line is reached.
    """
    reader = csv.reader(io.StringIO(text) if isinstance(text, str) else text)
    rows = _rows(reader)
    try:
        header = [cell.strip().lower() for cell in next(rows)]
    except StopIteration:
        raise ValueError(f"the file is empty: {_EXPECTED}") from None
    missing = [column for column in REQUIRED if column not in header]
    if "place" in header:  # a town by name stands for the coordinates
        missing = [column for column in missing if column == "name"]
    if missing:
        raise ValueError(f"the header row has no {missing[0]!r} column ({_EXPECTED})")
    index = {column: header.index(column) for column in (*REQUIRED, *OPTIONAL) if column in header}
    for row in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield RowError(line, f"{len(row)} fields, expected {len(header)}")
            continue
        try:
            observer, zone = _observer(row, index)
        except ValueError as exc:
            yield RowError(line, str(exc))
            continue
        yield Location(line, safe_name(row[index["name"]]), observer, zone)


def _observer(row: list[str], index: dict[str, int]) -> tuple[Observer, str | None]:
    """The row's observer from its coordinates, else from its place's name (with the place's zone).

    Coordinates win over a place on the same row, as ``--lat``/``--lon`` win over ``--place``.
    """
    cells = {column: row[at].strip() for column, at in index.items()}
    by_place = "place" in index and not (cells.get("lat") or cells.get("lon"))
    if by_place and not cells["place"]:
        raise ValueError("no lat/lon and no place" if "lat" in index else "place is empty")
    values = {}
    for column in ("elevation_m",) if by_place else ("lat", "lon", "elevation_m"):
        if column in index:
            cell = cells[column]
            try:
                values[column] = float(cell) if cell else (0.0 if column == "elevation_m" else None)
            except ValueError:
                raise ValueError(f"{column} '{inert(cell, 40)}' is not a number") from None
            if values[column] is None:
                raise ValueError(f"{column} is empty")
    elevation = values.get("elevation_m", 0.0)
    if not by_place:
        return Observer(values["lat"], values["lon"], elevation), None
    from .errors import PlaceNotFoundError
    from .gazetteer import find_place

    try:
        place = find_place(cells["place"])
    except PlaceNotFoundError as exc:
        raise ValueError(f"place: {exc}") from None
    return place.observer(elevation), place.timezone


def _rows(reader: Any) -> Iterator[list[str]]:
    """The reader's rows; a CSV it cannot parse is a ValueError naming the line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValueError(f"line {reader.line_num}: {inert(str(exc))}") from None
        yield row
