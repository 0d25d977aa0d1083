"""Where the observer is: the IANA time zone of a latitude/longitude, found offline."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=1)
def _finder():  # type: ignore[no-untyped-def]
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def timezone_at(latitude_deg: float, longitude_deg: float) -> str:
    """The IANA time zone name at a place (``Etc/GMT±N`` at sea, ``UTC`` near the poles)."""
    name = _finder().timezone_at(lat=latitude_deg, lng=longitude_deg)
    return name or "UTC"


def check_timezone(name: str) -> str:
    """Return ``name`` if it is a known IANA time zone, else raise ValueError."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Europe/Zurich)") from None
    return name
