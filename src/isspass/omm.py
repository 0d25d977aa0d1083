"""Orbit Mean-Elements Messages: parse and validate CelesTrak's OMM JSON (``FORMAT=JSON``).

Records are checked field by field before SGP4 sees them; errors name the record.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from sgp4.api import Satrec
from sgp4.omm import initialize as _omm_initialize

from .errors import ElementsError
from .model import Elements
from .validation import check_range, check_satrec, satrec_epoch

_OMM_REQUIRED = (
    "NORAD_CAT_ID",
    "EPOCH",
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "BSTAR",
    "MEAN_MOTION_DOT",
    "MEAN_MOTION_DDOT",
)


def _omm_number(record: Mapping[str, Any], key: str, where: str) -> float:
    value = record[key]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ElementsError(f"{where}: {key} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ElementsError(f"{where}: {key} {value!r} is not finite")
    return number


def _parse_omm_epoch(text: Any, where: str) -> datetime:
    if not isinstance(text, str):
        raise ElementsError(f"{where}: EPOCH {text!r} is not a date")
    try:
        epoch = datetime.fromisoformat(text.strip().rstrip("Z"))
    except ValueError:
        raise ElementsError(f"{where}: EPOCH {text!r} is not an ISO 8601 date") from None
    if epoch.tzinfo is not None:
        epoch = epoch.astimezone(timezone.utc).replace(tzinfo=None)
    return epoch


def _elements_from_omm(record: Any, index: int, source: str) -> Elements:
    where = f"{source}, record {index}"
    if not isinstance(record, dict):
        raise ElementsError(f"{where}: not an OMM object")
    missing = [key for key in _OMM_REQUIRED if key not in record]
    if missing:
        raise ElementsError(f"{where}: missing field {missing[0]}")
    norad = _omm_number(record, "NORAD_CAT_ID", where)
    if norad != int(norad) or norad <= 0:
        raise ElementsError(f"{where}: NORAD_CAT_ID {record['NORAD_CAT_ID']!r} is not a catalogue number")
    epoch = _parse_omm_epoch(record["EPOCH"], where)
    values = {key: _omm_number(record, key, where) for key in _OMM_REQUIRED[2:]}
    check_range(values["MEAN_MOTION"], 0.05, 20.0, "MEAN_MOTION (rev/day)", where)
    check_range(values["ECCENTRICITY"], 0.0, 0.9999999, "ECCENTRICITY", where)
    check_range(values["INCLINATION"], 0.0, 180.0, "INCLINATION (deg)", where)
    for key in ("RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY"):
        check_range(values[key], 0.0, 360.0, f"{key} (deg)", where)

    fields = {
        "CLASSIFICATION_TYPE": str(record.get("CLASSIFICATION_TYPE", "U")),
        "OBJECT_ID": str(record.get("OBJECT_ID", "")),
        "EPHEMERIS_TYPE": int(record.get("EPHEMERIS_TYPE", 0) or 0),
        "ELEMENT_SET_NO": int(record.get("ELEMENT_SET_NO", 999) or 0),
        "REV_AT_EPOCH": int(record.get("REV_AT_EPOCH", 0) or 0),
        "EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "NORAD_CAT_ID": int(norad),
        **{key: repr(value) for key, value in values.items()},
    }
    satrec = Satrec()
    try:
        _omm_initialize(satrec, fields)
    except (ValueError, KeyError) as exc:
        raise ElementsError(f"{where}: {exc}") from None
    check_satrec(satrec, where)
    name = record.get("OBJECT_NAME") or f"NORAD {int(norad)}"
    return Elements(
        name=str(name).strip(),
        norad_id=int(norad),
        epoch=satrec_epoch(satrec),
        mean_motion=values["MEAN_MOTION"],
        mean_motion_dot=values["MEAN_MOTION_DOT"],
        inclination_deg=values["INCLINATION"],
        eccentricity=values["ECCENTRICITY"],
        source=source,
        satrec=satrec,
    )


def parse_omm_json(text: str, source: str = "<elements>") -> list[Elements]:
    """Parse CelesTrak OMM JSON (``FORMAT=JSON``): an array of objects, or one object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ElementsError(
            f"{source}: not valid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})"
        ) from None
    records = data if isinstance(data, list) else [data]
    result = [_elements_from_omm(record, index, source) for index, record in enumerate(records, 1)]
    if not result:
        raise ElementsError(f"{source}: no element sets found")
    return result
