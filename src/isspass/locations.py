"""Reading many observers at once: a CSV of named locations, with per-row errors.

Columns ``name,lat,lon[,elevation_m]`` after a header row; a bad row is reported with its
line number and the others are kept.
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
OPTIONAL = ("elevation_m",)


@dataclass(frozen=True)
class Location:
    """A named observer from line ``line`` of the file."""

    line: int
    name: str
    observer: Observer


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
    reader = csv.reader(io.StringIO(text) if isinstance(text, str) else text)
    rows = _rows(reader)
    try:
        header = [cell.strip().lower() for cell in next(rows)]
    except StopIteration:
        raise ValueError("the file is empty: expected a header row name,lat,lon[,elevation_m]") from None
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ValueError(f"the header row has no {missing[0]!r} column (expected name,lat,lon[,elevation_m])")
    index = {column: header.index(column) for column in (*REQUIRED, *OPTIONAL) if column in header}
    locations: list[Location] = []
    errors: list[RowError] = []
    for row in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(RowError(line, f"{len(row)} fields, expected {len(header)}"))
            continue
        try:
            values = {}
            for column in ("lat", "lon", "elevation_m"):
                if column in index:
                    cell = row[index[column]].strip()
                    try:
                        values[column] = float(cell) if cell else (0.0 if column == "elevation_m" else None)
                    except ValueError:
                        raise ValueError(f"{column} '{inert(cell, 40)}' is not a number") from None
                    if values[column] is None:
                        raise ValueError(f"{column} is empty")
            observer = Observer(values["lat"], values["lon"], values.get("elevation_m", 0.0))
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        locations.append(Location(line, safe_name(row[index["name"]]), observer))
    return locations, errors


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
