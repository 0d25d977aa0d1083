"""Reading many observers at once: a CSV of named locations, with per-row errors.

Columns ``name,lat,lon[,elevation_m]`` after a header row; a bad row is reported with its
line number and the others are kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .model import Observer

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


def read_locations(text: str) -> tuple[list[Location], list[RowError]]:
    """Parse the CSV text; raises ValueError when the header itself is unusable."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise ValueError("the file is empty: expected a header row name,lat,lon[,elevation_m]") from None
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ValueError(f"the header row has no {missing[0]!r} column (expected name,lat,lon[,elevation_m])")
    index = {column: header.index(column) for column in (*REQUIRED, *OPTIONAL) if column in header}
    locations: list[Location] = []
    errors: list[RowError] = []
    for row in reader:
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
                        raise ValueError(f"{column} {cell!r} is not a number") from None
                    if values[column] is None:
                        raise ValueError(f"{column} is empty")
            observer = Observer(values["lat"], values["lon"], values.get("elevation_m", 0.0))
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        locations.append(Location(line, row[index["name"]].strip(), observer))
    return locations, errors
