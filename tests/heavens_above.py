"""Read a Heavens-Above capture: location, TLE, the visible-pass table, the pass details."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


@dataclass
class HAPoint:
    time: datetime
    altitude: float
    azimuth: float | None  # degrees where given, else None
    direction: str
    distance_km: float | None = None
    magnitude: float | None = None
    sun_altitude: float | None = None


@dataclass
class HAPass:
    magnitude: float
    start: HAPoint
    highest: HAPoint
    end: HAPoint
    kind: str
    details: dict[str, HAPoint] = field(default_factory=dict)


@dataclass
class Capture:
    latitude: float
    longitude: float
    elevation_m: float
    tz: timezone
    first_day: datetime
    tle: str
    passes: list[HAPass]


_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}  # fmt: skip


def _deg(text: str) -> float:
    return float(text.replace("°", "").strip())


def read_capture(text: str) -> Capture:
    lines = text.splitlines()
    location = lines[lines.index("Location") + 1].split(";")
    lat, lon, elev = (float(x) for x in location[1:4])
    hours, minutes = re.match(r"\s*UTC([+-]\d+):(\d+)", location[4]).groups()
    sign = -1 if hours.startswith("-") else 1
    tz = timezone(timedelta(hours=int(hours), minutes=sign * int(minutes)))
    month, day, year = (int(x) for x in lines[lines.index("Search Period") + 1].split(";")[0].split("/"))
    first_day = datetime(year, month, day, tzinfo=tz)
    tle = "\n".join(line for line in lines if re.match(r"^[12] \d{5}", line)) + "\n"

    def local(day_text: str, clock: str) -> datetime:
        d, mon = day_text.split()
        h, m, s = (int(x) for x in clock.split(":"))
        return datetime(year, _MONTHS[mon], int(d), h, m, s, tzinfo=tz)

    passes = []
    for line in lines:
        cells = line.split("\t")
        if len(cells) == 12 and re.match(r"^\d+ [A-Z][a-z]{2}$", cells[0]):
            day, mag = cells[0], float(cells[1])
            points = [
                HAPoint(local(day, cells[i]), _deg(cells[i + 1]), None, cells[i + 2]) for i in (2, 5, 8)
            ]
            passes.append(HAPass(mag, *points, cells[11]))

    current = None
    for line in lines:
        if line.startswith("Date:"):
            current = datetime.strptime(line.split("\t")[1], "%d %B %Y").replace(tzinfo=tz)
            continue
        cells = line.split("\t")
        if current is None or len(cells) != 7 or cells[0] == "Event":
            continue
        h, m, s = (int(x) for x in cells[1].split(":"))
        when = current.replace(hour=h, minute=m, second=s)
        az, direction = re.match(r"([\d.]+)° \((\w+)\)", cells[3]).groups()
        point = HAPoint(
            when, _deg(cells[2]), float(az), direction,
            float(cells[4].replace(",", "")), float(cells[5]), _deg(cells[6]),
        )  # fmt: skip
        owner = next(p for p in passes if abs((p.highest.time - when).total_seconds()) < 900)
        owner.details[cells[0]] = point
    return Capture(lat, lon, elev, tz, first_day, tle, passes)
