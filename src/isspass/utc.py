"""UTC instants in the three forms isspass uses: aware datetimes, POSIX seconds, Julian dates.

The one place for the conversions (and their constants) that several modules share.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where arrays are made: the command line starts without it
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
    import numpy as np

    days = np.asarray(unix_s, dtype=float) / DAY_S
    whole = np.floor(days)
    return whole + UNIX_EPOCH_JD, days - whole


def jd_to_utc(jd: float, fraction: float = 0.0) -> datetime:
    """The aware UTC datetime of a Julian date given as a whole part and a fraction."""
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(days=(jd - UNIX_EPOCH_JD) + fraction)


#: The variable that replaces "now" everywhere (a testing aid): an ISO 8601 UTC time.
NOW_ENV = "ISSPASS_NOW"


def now_utc() -> datetime:
    """The current instant, aware UTC; ``$ISSPASS_NOW`` (ISO 8601 with a zone) replaces it.

    Every decision that depends on the clock (the window's default start, the element age,
    the refresh and back-off rules, what is announced) asks here, so that a run can be
    replayed at a fixed time. A malformed value raises :class:`~isspass.errors.ConfigError`.
    """
    fixed = os.environ.get(NOW_ENV)
    if not fixed:
        return datetime.now(timezone.utc)
    return parse_now(fixed)


def now_posix() -> float:
    """:func:`now_utc` as POSIX seconds."""
    return now_utc().timestamp()


def parse_now(text: str) -> datetime:
    """An ``ISSPASS_NOW`` value: ISO 8601 with ``Z`` or an offset, 1900..2100; else ConfigError."""
    from .errors import ConfigError
    from .text import inert

    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(value) if len(value) <= 40 else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None or when.utcoffset() is None or not 1900 <= when.year <= 2100:
        raise ConfigError(
            f"environment variable {NOW_ENV} '{inert(text, 60)}': not an ISO 8601 time with a zone "
            "between 1900 and 2100 (e.g. 2026-09-24T12:00:00Z)"
        )
    return when.astimezone(timezone.utc)
