"""What ships inside the package: the ISS element set and the table of standard magnitudes.

Read through the package's loader from ``isspass/data`` (a zip install too), so a fresh
install predicts offline; nothing here touches the network or the user's cache.
"""

from __future__ import annotations

import csv
import io
import pkgutil
from dataclasses import replace

from .elements import decode_elements
from .model import Elements


def _data_bytes(name: str) -> bytes:
    # pkgutil asks the loader directly; importlib.resources would cost every run a millisecond
    # of imports for the same bytes.
    data = pkgutil.get_data("isspass", f"data/{name}")
    if data is None:  # pragma: no cover - a loader that cannot read package data
        raise FileNotFoundError(f"isspass/data/{name}")
    return data


def bundled_elements() -> list[Elements]:
    """The element sets shipped with isspass (an ISS TLE), so a fresh install can predict."""
    return [replace(e, source="bundled") for e in decode_elements(_data_bytes("iss.tle"), "bundled")]


def standard_magnitudes() -> dict[int, float]:
    """The bundled table of standard magnitudes (1000 km, half phase), by NORAD catalogue number."""
    return {int(row["norad_id"]): float(row["standard_magnitude"]) for row in _magnitude_rows()}


def catalogue_number(name: str) -> int | None:
    """The NORAD number of a satellite the bundled table names (``"HST"`` → 20580), case aside."""
    wanted = name.strip().casefold()
    for row in _magnitude_rows():
        if row["name"].casefold() == wanted:
            return int(row["norad_id"])
    return None


def _magnitude_rows() -> list[dict[str, str]]:
    text = _data_bytes("standard_magnitudes.csv").decode("utf-8")
    return list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))
