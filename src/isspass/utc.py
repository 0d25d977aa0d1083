"""UTC instants in the three forms isspass uses: aware datetimes, POSIX seconds, Julian dates.

The one place for the conversions (and their constants) that several modules share.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Julian date of the POSIX epoch, 1970-01-01 00:00 UTC.
UNIX_EPOCH_JD = 2440587.5
DAY_S = 86400.0


def naive_message(what: str, when: datetime) -> str:
    """Why a naive datetime is refused, and the two ways to fix it, for ``what`` (e.g. ``start``)."""
    return (
        f"{what} must be timezone-aware, but {when.isoformat(timespec='seconds')} has no time zone, so the "
        "instant it means is unknown: give it one, e.g. "
        f"datetime({when.year}, {when.month}, {when.day}, tzinfo=ZoneInfo('Europe/Zurich')) "
        "for a local time, or .replace(tzinfo=timezone.utc) for UTC"
    )


def as_utc(when: datetime) -> datetime:
    """``when`` in UTC; a naive datetime is refused (ValueError), never guessed."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(naive_message("datetimes", when))
    return when.astimezone(timezone.utc)


def utc_from_posix(seconds: float) -> datetime:
    """The aware UTC datetime of POSIX seconds."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def unix_to_jd(unix_s: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Split POSIX seconds (UTC) into a whole Julian date and a day fraction."""
    days = np.asarray(unix_s, dtype=float) / DAY_S
    whole = np.floor(days)
    return whole + UNIX_EPOCH_JD, days - whole


def jd_to_utc(jd: float, fraction: float = 0.0) -> datetime:
    """The aware UTC datetime of a Julian date given as a whole part and a fraction."""
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(days=(jd - UNIX_EPOCH_JD) + fraction)
