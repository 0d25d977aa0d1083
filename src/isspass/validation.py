"""Checks every element format shares: value ranges, SGP4's own verdict, the epoch.

TLE and OMM parsers call these so that an element set is held to one standard whatever
its format.
"""

from __future__ import annotations

from datetime import datetime

from sgp4.api import Satrec

from .errors import ElementsError
from .utc import jd_to_utc


def check_range(value: float, low: float, high: float, what: str, where: str) -> None:
    """Raise :class:`ElementsError` naming ``where`` unless ``low <= value <= high``."""
    if not low <= value <= high:
        raise ElementsError(f"{where}: {what} {value:g} is outside {low:g}..{high:g}")


def check_satrec(satrec: Satrec, where: str) -> None:
    """SGP4 must accept the elements and propagate them at their own epoch."""
    if satrec.error:
        raise ElementsError(f"{where}: SGP4 rejects these elements (error {satrec.error})")
    error, _, _ = satrec.sgp4(satrec.jdsatepoch, satrec.jdsatepochF)
    if error:
        raise ElementsError(f"{where}: SGP4 cannot propagate these elements (error {error})")


def satrec_epoch(satrec: Satrec) -> datetime:
    """The epoch of an initialised :class:`Satrec` as an aware UTC datetime."""
    return jd_to_utc(satrec.jdsatepoch, satrec.jdsatepochF)
