"""CelesTrak GP answers in OMM JSON, built from real TLEs, field for field as the GP service writes them.

A ``GROUP=visual&FORMAT=JSON`` answer is a JSON array of these records, in catalogue order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from isspass import Elements

#: The fields of a CelesTrak OMM JSON record, in the order the GP service writes them.
FIELDS = (
    "OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER", "MEAN_ANOMALY", "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID",
    "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT",
)  # fmt: skip


def _exponent(text: str) -> float:
    """A TLE 'assumed decimal point' field such as ' 20704-3' (0.20704e-3)."""
    body = text.strip()
    sign = -1.0 if body.startswith("-") else 1.0
    body = body.lstrip("+-")
    return sign * float("0." + body[:-2]) * 10.0 ** int(body[-2:])


def omm_record(e: Elements) -> dict:
    """The OMM record of a TLE-born element set, as CelesTrak would serve it."""
    assert e.line1 is not None and e.line2 is not None
    l1, l2 = e.line1, e.line2
    year = int(l1[9:11])
    designator = f"{1900 + year if year >= 57 else 2000 + year}-{l1[11:14]}{l1[14:17].strip()}"
    values = {
        "OBJECT_NAME": e.name,
        "OBJECT_ID": designator,
        "EPOCH": e.epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "MEAN_MOTION": float(l2[52:63]),
        "ECCENTRICITY": float("0." + l2[26:33]),
        "INCLINATION": float(l2[8:16]),
        "RA_OF_ASC_NODE": float(l2[17:25]),
        "ARG_OF_PERICENTER": float(l2[34:42]),
        "MEAN_ANOMALY": float(l2[43:51]),
        "EPHEMERIS_TYPE": 0,
        "CLASSIFICATION_TYPE": l1[7],
        "NORAD_CAT_ID": e.norad_id,
        "ELEMENT_SET_NO": int(l1[64:68]),
        "REV_AT_EPOCH": int(l2[63:68]),
        "BSTAR": _exponent(l1[53:61]),
        "MEAN_MOTION_DOT": float(l1[33:43]),
        "MEAN_MOTION_DDOT": _exponent(l1[44:52]),
    }
    return {name: values[name] for name in FIELDS}


def group_answer(elements: Iterable[Elements]) -> bytes:
    """A whole GROUP= answer: the records in catalogue order, one line, as the service sends it."""
    records = [omm_record(e) for e in sorted(elements, key=lambda e: e.norad_id)]
    return json.dumps(records, separators=(",", ":")).encode("utf-8")
