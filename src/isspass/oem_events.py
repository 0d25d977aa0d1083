"""The trajectory event summary NASA writes in an OEM's comments: planned reboosts, dockings, launches.

A table meant for people, read leniently: each row is checked, and a line that is not a row is no event.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from .ephemeris import PlannedEvent
from .text import safe_name

#: More rows than this are not a summary of planned events.
MAX_EVENTS = 200
_START = re.compile(r"TRAJECTORY\s+EVENT\s+SUMMARY", re.IGNORECASE)
_END = re.compile(r"END\s+SEQUENCE\s+OF\s+EVENTS", re.IGNORECASE)
# " 91P Dock              060:23:03:50.000             0.0     422.9     412.1": a name, the time
# (day of year, with or without the year), then the orbit number (optional), delta-v m/s,
# apogee and perigee heights km. The next line repeats them in feet and nautical miles.
_ROW = re.compile(
    r"\s*(?P<name>[^\s|].*?)\s+(?:(?P<year>\d{4})[-/:])?(?P<doy>\d{3}):(?P<hour>\d{2}):(?P<minute>\d{2}):"
    r"(?P<second>\d{2}(?:\.\d{1,6})?)(?P<numbers>(?:\s+[-+]?\d{1,9}(?:\.\d{1,9})?)*)\s*\|?\s*"
)
_MAX_DELTA_V_M_S = 1000.0
_MAX_HEIGHT_KM = 1.0e6


def parse_event_summary(comments: Sequence[str], near: datetime) -> tuple[PlannedEvent, ...]:
    """The events of the first ``TRAJECTORY EVENT SUMMARY`` among ``comments``, in time order.

    The summary gives days of the year without the year: each is placed in the year that
    puts it nearest ``near`` (the start of the trajectory). Rows end at ``End sequence of
    events`` or with the comments.
    """
    events: list[PlannedEvent] = []
    inside = False
    for comment in comments:
        if not inside:
            inside = _START.search(comment) is not None
            continue
        if _END.search(comment) or len(events) >= MAX_EVENTS:
            break
        match = _ROW.fullmatch(comment)
        if match is not None:
            event = _event(match, near)
            if event is not None:
                events.append(event)
    return tuple(sorted(events, key=lambda e: e.time))


def _event(match: re.Match[str], near: datetime) -> PlannedEvent | None:
    hour, minute, second = int(match["hour"]), int(match["minute"]), float(match["second"])
    if hour > 23 or minute > 59 or second >= 60:
        return None
    years = [int(match["year"])] if match["year"] else [near.year - 1, near.year, near.year + 1]
    candidates = []
    for year in years:
        if 1 <= int(match["doy"]) <= (366 if calendar.isleap(year) else 365) and 1957 <= year <= 2100:
            day = datetime(year, 1, 1, tzinfo=timezone.utc) + timedelta(days=int(match["doy"]) - 1)
            candidates.append(day + timedelta(hours=hour, minutes=minute, seconds=second))
    if not candidates:
        return None
    when = min(candidates, key=lambda t: abs(t - near))
    numbers = [float(text) for text in match["numbers"].split()]
    delta_v = apogee = perigee = None
    if len(numbers) >= 3:
        delta_v, apogee, perigee = numbers[-3:]
        delta_v = delta_v if math.isfinite(delta_v) and 0 <= delta_v <= _MAX_DELTA_V_M_S else None
        apogee = apogee if 0 <= apogee <= _MAX_HEIGHT_KM else None
        perigee = perigee if 0 <= perigee <= _MAX_HEIGHT_KM else None
    name = safe_name(match["name"].strip(" |"))
    if not name:
        return None
    return PlannedEvent(name, when, delta_v, apogee, perigee)
