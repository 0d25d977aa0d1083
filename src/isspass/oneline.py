"""The next pass in one line, for a status bar, a shell prompt or a chat bot.

``ISS in 3 h 12 min: 19:43, WNW → E, 57° high, mag −3.5``; pure: a report in, a line out.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .formats import Report, _local, whole_degrees

#: From this far ahead the line gives the pass's date instead of the time until it.
DATE_AFTER = timedelta(hours=24)
_ALIAS = re.compile(r"\s*\([^()]*\)$")  # "ISS (ZARYA)": the name people use comes first


def short_name(name: str) -> str:
    """A satellite's everyday name: ``"ISS (ZARYA)"`` → ``"ISS"``; other names as they are."""
    return _ALIAS.sub("", name) or name


def time_until(when: datetime, now: datetime, zone: ZoneInfo) -> str:
    """``"now"``, ``"in 12 min"``, ``"in 3 h 12 min"``, or ``"on Sat 26 Sep"`` a day or more ahead.

    Whole minutes, rounded down, as a countdown shows them.
    """
    seconds = (when - now).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return "in under 1 min"
    if seconds >= DATE_AFTER.total_seconds():
        return f"on {_local(when, zone):%a %d %b}"
    hours, minutes = divmod(math.floor(seconds / 60), 60)
    if hours == 0:
        return f"in {minutes} min"
    return f"in {hours} h {minutes} min" if minutes else f"in {hours} h"


def signed(value: float) -> str:
    """A magnitude with a real minus sign: ``−3.5``, ``0.4``."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text.replace("-", "\N{MINUS SIGN}")


def next_pass_line(report: Report) -> str:
    """The first pass of the report in one line (no newline), or one line saying there is none.

    The time until it is counted from the start of the window (now, by default); then the
    local time it appears, where it appears and disappears, how high it climbs and how
    bright it is at its highest. A pass of another type (``--all``) says its type. With
    several satellites the line names the pass's own.
    """
    zone = report.zone
    if not report.passes:
        name = report.what if report.several else short_name(report.satellite.name)
        kind = "visible pass" if report.criteria.visible_only else "pass"
        return f"{name}: no {kind} until {_local(report.end, zone):%a %d %b %H:%M} (the end of the window)"
    p = report.passes[0]
    name = short_name(p.satellite.name if p.satellite is not None else report.satellite.name)
    if p.appears is not None and p.highest is not None and p.disappears is not None:
        first, top, last = p.appears, p.highest, p.disappears
    else:
        first, top, last = p.rise, p.culmination, p.set
    parts = [
        f"{_local(first.time, zone):%H:%M}",
        f"{first.direction} → {last.direction}",
        f"{whole_degrees(top.altitude_deg)} high",
    ]
    if p.magnitude is not None:
        parts.append(f"mag {signed(p.magnitude)}")
    if not p.visible:
        parts.append(p.type.value)
    return f"{name} {time_until(first.time, report.start, zone)}: {', '.join(parts)}"
