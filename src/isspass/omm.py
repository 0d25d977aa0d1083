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
from .validation import check_epoch, check_orbit, check_range, check_satrec, satrec_epoch

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


#: The largest catalogue number OMM allows (nine digits).
MAX_CATALOG_NUMBER = 999_999_999
#: Optional integer fields, with the value SGP4 gets when they are absent or null.
_OMM_OPTIONAL_INTEGERS = {"EPHEMERIS_TYPE": 0, "ELEMENT_SET_NO": 999, "REV_AT_EPOCH": 0}
_OMM_OPTIONAL_TEXT = {"CLASSIFICATION_TYPE": "U", "OBJECT_ID": ""}


def _shown(value: Any) -> str:
    """A field's value for an error message: short, and inert."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _omm_number(record: Mapping[str, Any], key: str, where: str) -> float:
    """A numeric field: a JSON number or a numeric string (Space-Track quotes them), finite."""
    value = record[key]
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ElementsError(f"{where}: {key} {_shown(value)} is not a number")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise ElementsError(f"{where}: {key} {_shown(value)} is not a number") from None
    if not math.isfinite(number):
        raise ElementsError(f"{where}: {key} {_shown(value)} is not finite")
    return number


def _omm_integer(record: Mapping[str, Any], key: str, default: int, where: str) -> int:
    """An optional whole-number field (absent or null: ``default``)."""
    value = record.get(key)
    if value is None or value == "":
        return default
    number = _omm_number(record, key, where)
    if number != int(number) or not 0 <= number <= MAX_CATALOG_NUMBER:
        raise ElementsError(f"{where}: {key} {_shown(value)} is not a whole number 0..{MAX_CATALOG_NUMBER}")
    return int(number)


def _omm_text(record: Mapping[str, Any], key: str, default: str, where: str) -> str:
    """An optional short text field (absent or null: ``default``)."""
    value = record.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or len(value) > 80 or not value.isprintable():
        raise ElementsError(f"{where}: {key} {_shown(value)} is not a short line of text")
    return value


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
    if norad != int(norad) or not 1 <= norad <= MAX_CATALOG_NUMBER:
        shown = _shown(record["NORAD_CAT_ID"])
        raise ElementsError(f"{where}: NORAD_CAT_ID {shown} is not a catalogue number")
    epoch = _parse_omm_epoch(record["EPOCH"], where)
    check_epoch(epoch.replace(tzinfo=timezone.utc), where)
    values = {key: _omm_number(record, key, where) for key in _OMM_REQUIRED[2:]}
    check_range(values["MEAN_MOTION"], 0.05, 20.0, "MEAN_MOTION (rev/day)", where)
    check_range(values["ECCENTRICITY"], 0.0, 0.9999999, "ECCENTRICITY", where)
    check_range(values["INCLINATION"], 0.0, 180.0, "INCLINATION (deg)", where)
    for key in ("RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY"):
        check_range(values[key], 0.0, 360.0, f"{key} (deg)", where)
    check_orbit(values["MEAN_MOTION"], values["ECCENTRICITY"], where)

    fields = {
        **{key: _omm_text(record, key, default, where) for key, default in _OMM_OPTIONAL_TEXT.items()},
        **{key: _omm_integer(record, key, default, where) for key, default in _OMM_OPTIONAL_INTEGERS.items()},
        "EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "NORAD_CAT_ID": int(norad),
        **{key: repr(value) for key, value in values.items()},
    }
    classification = fields["CLASSIFICATION_TYPE"]
    if len(classification) != 1 or not classification.isascii():  # SGP4 keeps one ASCII character
        raise ElementsError(f"{where}: CLASSIFICATION_TYPE {_shown(classification)} is not one letter")
    satrec = Satrec()
    try:
        _omm_initialize(satrec, fields)
    except (ValueError, KeyError, OverflowError, TypeError) as exc:
        raise ElementsError(f"{where}: SGP4 cannot read these elements ({_shown(str(exc))})") from None
    check_satrec(satrec, where)
    name = _omm_text(record, "OBJECT_NAME", "", where).strip() or f"NORAD {int(norad)}"
    return Elements(
        name=name,
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
    except RecursionError:
        raise ElementsError(f"{source}: JSON nested too deeply to be OMM") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise ElementsError(f"{source}: not valid JSON ({_shown(str(exc))})") from None
    records = data if isinstance(data, list) else [data]
    result = [_elements_from_omm(record, index, source) for index, record in enumerate(records, 1)]
    if not result:
        raise ElementsError(f"{source}: no element sets found")
    return result
