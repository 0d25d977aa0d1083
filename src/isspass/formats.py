"""Renderers: a pass report as text, JSON, CSV, iCalendar or an HTML page.

Pure functions: a :class:`Report` in, a string out. Time zones are applied only here.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .errors import IsspassWarning
from .model import Observer, Pass, PassPoint, Satellite
from .text import csv_cell, inert
from .trajectory import TrajectorySatellite

if TYPE_CHECKING:  # names in annotations only: a report without --only-new loads no announce log
    from .announce import News
    from .ephemeris import PlannedEvent
    from .locations import Location

#: Version of the JSON document layout; bumped only for incompatible changes.
JSON_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Criteria:
    """What the passes in a report were selected by (degrees, magnitudes)."""

    min_elevation_deg: float
    twilight_deg: float
    visible_only: bool
    min_peak_deg: float | None = None
    brighter_than: float | None = None


@dataclass(frozen=True)
class Report:
    """Everything a renderer needs: where, what, when, by which rules, the passes, and the warnings
    given about the elements (stale, a manoeuvre…), which JSON carries in its header."""

    observer: Observer
    timezone: str
    satellite: Satellite | TrajectorySatellite
    start: datetime
    end: datetime
    criteria: Criteria
    passes: tuple[Pass, ...]
    #: With ``--only-new``: which passes are new or changed, and which were cancelled.
    news: News | None = None
    #: With ``--alarm``: a reminder this many seconds before each calendar event.
    alarm_s: float | None = None
    warnings: tuple[IsspassWarning, ...] = ()
    place: str | None = None  # the place's name when the observer was given by name ("Zürich, CH-ZH")
    place_note: str | None = None  # why that place, when the name matched several
    #: With several satellites: all of them, in the order asked (``satellite`` is the first).
    satellites: tuple[Satellite | TrajectorySatellite, ...] = ()
    #: Where several satellites' elements came from, for people (``the cached groups visual and
    #: stations``); None: the elements' sources.
    elements_text: str | None = None
    #: A last line for people under the text table (what to do for more).
    note: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def all_satellites(self) -> tuple[Satellite | TrajectorySatellite, ...]:
        return self.satellites or (self.satellite,)

    @property
    def several(self) -> bool:
        """Whether the report is about more than one satellite (a Satellite column, a list in JSON)."""
        return len(self.all_satellites) > 1

    @property
    def what(self) -> str:
        """The satellite's name, or ``149 satellites``: what the report is about, for titles."""
        return f"{len(self.all_satellites)} satellites" if self.several else self.satellite.name

    def satellite_of(self, p: Pass) -> Satellite | TrajectorySatellite:
        """The satellite a pass of this report belongs to (with its elements, for its sky chart)."""
        if p.satellite is not None:
            for satellite in self.all_satellites:
                if satellite.norad_id == p.satellite.norad_id:
                    return satellite
        return self.satellite

    @property
    def element_age_days(self) -> float:
        """Days from the elements' epoch (or the trajectory's creation) to the start of the window."""
        return age_days_of(self.satellite, self.start)

    @property
    def source(self) -> str:
        """Where the elements or the trajectory came from (``bundled``, ``OEM cache (path)``…)."""
        return source_of(self.satellite)


def source_of(satellite: Satellite | TrajectorySatellite) -> str:
    """Where a satellite's elements, or its trajectory, came from."""
    if isinstance(satellite, TrajectorySatellite):
        return satellite.source
    return satellite.elements.source


def age_days_of(satellite: Satellite | TrajectorySatellite, when: datetime) -> float:
    """Days from a satellite's elements' epoch (or its trajectory's creation) to ``when``."""
    if isinstance(satellite, TrajectorySatellite):
        return satellite.age_days(when)
    return satellite.elements.age_days(when)


# --------------------------------------------------------------------------- helpers


def iso_utc(when: datetime) -> str:
    """ISO 8601 UTC with a ``Z`` and milliseconds at most: ``2022-01-22T17:14:24.312Z``."""
    when = when.astimezone(timezone.utc)
    text = when.strftime("%Y-%m-%dT%H:%M:%S")
    millis = round(when.microsecond / 1000)
    if millis == 1000:
        return iso_utc(when.replace(microsecond=0) + timedelta(seconds=1))
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def local_time(when: datetime, zone: ZoneInfo) -> datetime:
    """A UTC instant as people read it in a zone, rounded to the second (no "59.9996" surprises)."""
    return (when + timedelta(microseconds=500_000)).replace(microsecond=0).astimezone(zone)



def place_text(observer: Observer) -> str:
    ns = "N" if observer.latitude_deg >= 0 else "S"
    ew = "E" if observer.longitude_deg >= 0 else "W"
    return (
        f"{abs(observer.latitude_deg):.4f}° {ns}, {abs(observer.longitude_deg):.4f}° {ew}, "
        f"{observer.elevation_m:.0f} m"
    )


def whole_degrees(value: float) -> str:
    """An angle to the whole degree, never ``-0``: ``"57°"``, ``"0°"``, ``"-3°"``."""
    return f"{round(value)}°"


def _duration(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 60}m {total % 60:02d}s"


def _magnitude(value: float | None) -> str:
    return "   ?" if value is None else f"{value:4.1f}"


def _zone_names(report: Report) -> str:
    zone = report.zone
    names = []
    when = report.start
    while when <= report.end + timedelta(hours=1):
        name = when.astimezone(zone).tzname() or report.timezone
        if name not in names:
            names.append(name)
        when += timedelta(hours=6)
    return "/".join(names)


def age_text(age_days: float) -> str:
    if age_days >= 0:
        return f"{age_days:.1f} days old at the start"
    return f"the window starts {-age_days:.1f} days before the epoch"


def criteria_text(c: Criteria) -> str:
    which = "visible passes" if c.visible_only else "all passes"
    parts = [f"{which} at or above {c.min_elevation_deg:g}°", f"Sun below {c.twilight_deg:g}°"]
    if c.min_peak_deg is not None:
        parts.append(f"peak at least {c.min_peak_deg:g}°")
    if c.brighter_than is not None:
        parts.append(f"brighter than magnitude {c.brighter_than:g}")
    return ", ".join(parts)


# --------------------------------------------------------------------------- text


#: Width of the text table's Satellite column (longer names are cut with an ellipsis).
SATELLITE_COLUMN = 20


def _fleet_lines(report: Report, where: str) -> list[str]:
    """The first two header lines for several satellites: how many, and their elements' epochs."""
    sats = report.all_satellites
    sources = list(dict.fromkeys(source_of(s) for s in sats))
    shown = "; ".join(sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")
    if report.elements_text is not None:
        shown = report.elements_text
    epochs = [s.epoch for s in sats]
    ages = [age_days_of(s, report.start) for s in sats]
    return [
        f"{len(sats)} satellites over {where}",
        f"Elements: {shown}, epochs {min(epochs):%Y-%m-%d %H:%M} to {max(epochs):%Y-%m-%d %H:%M} UTC "
        f"({_ages_text(min(ages), max(ages))})",
    ]


def _ages_text(youngest: float, oldest: float) -> str:
    """The span of the element ages at the start of the window (days; negative: before the epoch)."""
    if youngest >= 0:
        return f"{youngest:.1f} to {oldest:.1f} days old at the start"
    if oldest <= 0:
        return f"the window starts {-oldest:.1f} to {-youngest:.1f} days before the epochs"
    return f"from {-youngest:.1f} days before the epochs to {oldest:.1f} days old at the start"


def _satellite_cell(p: Pass) -> str:
    name = p.satellite.name if p.satellite is not None else ""
    if len(name) > SATELLITE_COLUMN:
        name = name[: SATELLITE_COLUMN - 1] + "…"
    return f"{name:<{SATELLITE_COLUMN}}"


def render_text(report: Report) -> str:
    """A table for people: one row per pass in the observer's local time.

    With several satellites the header counts them and a Satellite column names each pass's.
    """
    zone = report.zone
    sat = report.satellite
    age = report.element_age_days
    several = report.several
    place = place_text(report.observer)
    if report.place is not None:
        place = f"{report.place}: {place}"
    if several:
        title, *source = _fleet_lines(report, place)
    else:
        title, source = f"{sat.name} (NORAD {sat.norad_id}) over {place}", source_lines(report, age)
    lines = [
        title,
        *([] if report.place_note is None else [f"({report.place_note})"]),
        *source,
        f"Window: {local_time(report.start, zone):%Y-%m-%d %H:%M} to "
        f"{local_time(report.end, zone):%Y-%m-%d %H:%M} {report.timezone} ({_zone_names(report)}); "
        f"{criteria_text(report.criteria)}",
        "",
    ]
    if not report.passes:
        kind = "visible passes" if report.criteria.visible_only else "passes"
        fresh = "new " if report.news is not None else ""
        lines.append(f"No {fresh}{kind} of {report.what} in this window.")
        return "\n".join([*lines, *_cancelled_lines(report), *_note_lines(report)]) + "\n"
    show_type = not report.criteria.visible_only
    show_uncertainty = any(p.timing_uncertainty_s >= 1.0 for p in report.passes)
    which = f"  {'Satellite':<{SATELLITE_COLUMN}}" if several else ""
    head = f"{'Date':<10}  {'Time':<8}  {'Length':>7}  {'Mag':>4}{which}  {'From':<9}  {'Highest':<18}  "
    head += f"{'To':<9}"
    lines.append(head + ("  Type" if show_type else "") + ("  Timing" if show_uncertainty else ""))
    for p in report.passes:
        first, top, last = (
            (p.appears, p.highest, p.disappears) if p.appears else (p.rise, p.culmination, p.set)
        )
        start_local = local_time(first.time, zone)
        length = p.visible_duration_s if p.visible else p.duration_s

        def where(point: PassPoint) -> str:
            return f"{whole_degrees(point.altitude_deg):>4} {point.direction:<4}"

        row = (
            f"{start_local:%a %d %b}  {start_local:%H:%M:%S}  {_duration(length):>7}  "
            f"{_magnitude(p.magnitude)}{'  ' + _satellite_cell(p) if several else ''}  {where(first):<9}  "
            f"{local_time(top.time, zone):%H:%M:%S} {where(top):<9}  {where(last):<9}"
        )
        if show_type:
            row += f"  {p.type.value:<8}"
        if show_uncertainty:
            timing = f"±{p.timing_uncertainty_s:.0f} s" if p.timing_uncertainty_s >= 1.0 else ""
            row += f"  {timing:<7}" if report.news is not None else f"  {timing}"
        if report.news is not None:
            row += f"  {_status_text(report, p)}"
        lines.append(row)
    lines += _cancelled_lines(report)
    lines += _note_lines(report)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _note_lines(report: Report) -> list[str]:
    return [] if report.note is None else ["", report.note]


def _status_text(report: Report, p: Pass) -> str:
    """``new``, or ``changed, was 19:41:10`` (local time) for a pass announced before."""
    assert report.news is not None
    previous = report.news.previous(p)
    if previous is None:
        return "new"
    return f"changed, was {local_time(previous, report.zone):%H:%M:%S}"


def _cancelled_lines(report: Report) -> list[str]:
    """One line per announced pass that is no longer predicted."""
    if report.news is None or not report.news.cancelled:
        return []
    lines = ["", "Cancelled (announced before, no longer predicted):"]
    for gone in report.news.cancelled:
        lines.append(f"{local_time(gone.time, report.zone):%a %d %b  %H:%M:%S}  {gone.id}")
    return lines


def source_lines(report: Report, age: float) -> list[str]:
    """What the prediction comes from: the elements, or the trajectory and its planned events."""
    sat = report.satellite
    if not isinstance(sat, TrajectorySatellite):
        return [f"Elements: {sat.elements.source}, epoch {iso_utc(sat.epoch)} ({age_text(age)})"]
    oem = sat.ephemeris
    lines = [
        f"Trajectory: {sat.source}, created {iso_utc(oem.created)} by "
        f"{inert(oem.originator, 40)} ({age_text(age)}), covering {oem.start:%Y-%m-%d %H:%M} to "
        f"{oem.stop:%Y-%m-%d %H:%M} UTC"
    ]
    events = oem.events_between(report.start, report.end)
    if events:
        lines.append("Planned: " + "; ".join(_event_text(event) for event in events))
    return lines


def _event_text(event: PlannedEvent) -> str:
    delta_v = f" ({event.delta_v_m_s:g} m/s)" if event.delta_v_m_s else ""
    return f"{event.name}{delta_v} {event.time:%Y-%m-%d %H:%M} UTC"


# --------------------------------------------------------------------------- JSON


def _point(point: PassPoint | None) -> dict[str, Any] | None:
    if point is None:
        return None
    return {
        "time": iso_utc(point.time),
        "altitude": round(point.altitude_deg, 2),
        "azimuth": round(point.azimuth_deg, 2),
        "direction": point.direction,
        "range_km": round(point.range_km, 1),
        "sunlit": point.sunlit,
        "magnitude": None if point.magnitude is None else round(point.magnitude, 2),
        "sun_altitude": round(point.sun_altitude_deg, 2),
    }


def pass_to_dict(p: Pass) -> dict[str, Any]:
    """One pass as the JSON schema's ``passes`` item."""
    which = {}
    if p.satellite is not None:
        which = {"satellite": {"name": p.satellite.name, "norad_id": p.satellite.norad_id}}
    return {
        **which,
        "id": p.id,
        "orbit_number": p.orbit_number,
        "type": p.type.value,
        "visible": p.visible,
        "magnitude": None if p.magnitude is None else round(p.magnitude, 2),
        "brightest_magnitude": None if p.brightest_magnitude is None else round(p.brightest_magnitude, 2),
        "visible_duration_s": round(p.visible_duration_s, 1),
        "duration_s": round(p.duration_s, 1),
        "timing_uncertainty_s": round(p.timing_uncertainty_s, 1),
        "rise": _point(p.rise),
        "culmination": _point(p.culmination),
        "set": _point(p.set),
        "appears": _point(p.appears),
        "highest": _point(p.highest),
        "disappears": _point(p.disappears),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as the documented JSON object."""
    sat = report.satellite
    c = report.criteria
    observer = {
        "latitude": report.observer.latitude_deg,
        "longitude": report.observer.longitude_deg,
        "elevation_m": report.observer.elevation_m,
        "timezone": report.timezone,
    }
    if report.place is not None:
        observer["place"] = report.place
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "observer": observer,
        "satellite": _satellite_dict(report, sat),
        **_satellites_list(report),
        "window": {"start": iso_utc(report.start), "end": iso_utc(report.end)},
        "criteria": {
            "min_elevation": c.min_elevation_deg,
            "twilight": c.twilight_deg,
            "visible_only": c.visible_only,
            "min_peak": c.min_peak_deg,
            "brighter_than": c.brighter_than,
        },
        "warnings": [{"kind": w.kind, "message": str(w)} for w in report.warnings],
        "passes": [_report_pass(report, p) for p in report.passes],
        **_news_fields(report),
    }


def _satellite_dict(report: Report, sat: Satellite | TrajectorySatellite) -> dict[str, Any]:
    """The JSON schema's ``satellite`` block (and each item of ``satellites``)."""
    return {
        "name": sat.name,
        "norad_id": sat.norad_id,
        "epoch": iso_utc(sat.epoch),
        "element_age_days": round(age_days_of(sat, report.start), 3),
        "source": source_of(sat),
        "standard_magnitude": sat.standard_magnitude,
        "trajectory": _trajectory_dict(report, sat),
    }


def _satellites_list(report: Report) -> dict[str, Any]:
    """With several satellites: ``satellites``, each as the ``satellite`` block (the first's)."""
    if not report.several:
        return {}
    return {"satellites": [_satellite_dict(report, s) for s in report.all_satellites]}


def _report_pass(report: Report, p: Pass) -> dict[str, Any]:
    item = pass_to_dict(p)
    if report.news is not None:
        previous = report.news.previous(p)
        item["status"] = "new" if previous is None else "changed"
        item["previous_time"] = None if previous is None else iso_utc(previous)
    return item


def _news_fields(report: Report) -> dict[str, Any]:
    """With ``--only-new``: the passes announced before and no longer predicted."""
    if report.news is None:
        return {}
    return {"cancelled": [{"id": r.id, "time": iso_utc(r.time)} for r in report.news.cancelled]}


def _trajectory_dict(report: Report, sat: Satellite | TrajectorySatellite) -> dict[str, Any] | None:
    """The trajectory predicted from (null for elements) and its planned events inside the window."""
    if not isinstance(sat, TrajectorySatellite):
        return None
    oem = sat.ephemeris
    return {
        "format": "CCSDS OEM",
        "created": iso_utc(oem.created),
        "originator": inert(oem.originator, 80),
        "object_id": inert(oem.object_id, 80),
        "start": iso_utc(oem.start),
        "stop": iso_utc(oem.stop),
        "events": [
            {
                "name": event.name,
                "time": iso_utc(event.time),
                "delta_v_m_s": event.delta_v_m_s,
                "manoeuvre": event.is_manoeuvre,
            }
            for event in oem.events_between(report.start, report.end)
        ],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- CSV

_CSV_POINTS = ("rise", "culmination", "set", "appears", "highest", "disappears")


def csv_header() -> list[str]:
    columns = ["type", "magnitude", "visible_duration_s", "duration_s", "timing_uncertainty_s"]
    for name in _CSV_POINTS:
        columns += [
            f"{name}_utc",
            f"{name}_local",
            f"{name}_altitude",
            f"{name}_azimuth",
            f"{name}_direction",
        ]
    return [*columns, "id", "satellite", "norad_id"]


def csv_row(p: Pass, zone: ZoneInfo) -> list[str]:
    row = [
        p.type.value,
        "" if p.magnitude is None else f"{p.magnitude:.2f}",
        f"{p.visible_duration_s:.1f}",
        f"{p.duration_s:.1f}",
        f"{p.timing_uncertainty_s:.1f}",
    ]
    for name in _CSV_POINTS:
        point: PassPoint | None = getattr(p, name)
        if point is None:
            row += [""] * 5
        else:
            row += [
                iso_utc(point.time),
                local_time(point.time, zone).isoformat(),
                f"{point.altitude_deg:.2f}",
                f"{point.azimuth_deg:.2f}",
                point.direction,
            ]
    which = ["", ""] if p.satellite is None else [p.satellite.name, str(p.satellite.norad_id)]
    return [*row, p.id, *which]


def _csv_line(cells: list[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def render_csv(report: Report) -> str:
    """One row per pass, a header row; UTC ISO times plus local times."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header())
    for p in report.passes:
        writer.writerow(csv_row(p, report.zone))
    return out.getvalue()


# --------------------------------------------------------------------------- iCalendar


def pass_uid(report: Report, p: Pass) -> str:
    """A UID that stays the same for the same pass when it is predicted again: its id.

    The id is built from the satellite, its revolution number at culmination and the place
    (to 0.01°), so fresher elements that move the pass by seconds or minutes keep it. A
    pass without an id (built by hand) falls back on the culmination time to the half hour.
    """
    if p.id:
        return f"{p.id}@isspass"
    slot = p.culmination.time.astimezone(timezone.utc)
    minutes = round((slot.minute + slot.second / 60) / 30) * 30
    slot = slot.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=minutes)
    o = report.observer
    return (
        f"{report.satellite.norad_id}-{slot:%Y%m%dT%H%M}Z-{o.latitude_deg:+.2f}{o.longitude_deg:+.2f}@isspass"
    )


def render_ics(report: Report) -> str:
    """An iCalendar with one event per visible pass, from appearing to disappearing."""
    from icalendar import Calendar, Event, vGeo

    zone = report.zone
    cal = Calendar()
    cal.add("prodid", "-//isspass//isspass//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{'Satellite' if report.several else report.satellite.name} passes")
    stamp = report.satellite.epoch.astimezone(timezone.utc).replace(microsecond=0)
    for p in report.passes:
        if not p.visible or p.appears is None or p.highest is None or p.disappears is None:
            continue
        mag = "" if p.magnitude is None else f", magnitude {p.magnitude:.1f}"
        event = Event()
        event.add("uid", pass_uid(report, p))
        event.add("dtstamp", stamp)
        event.add("dtstart", p.appears.time.astimezone(timezone.utc).replace(microsecond=0))
        event.add("dtend", p.disappears.time.astimezone(timezone.utc).replace(microsecond=0))
        event.add(
            "summary",
            _ics_text(
                f"{_name_of(report, p)} visible: up to {whole_degrees(p.highest.altitude_deg)} "
                f"{p.highest.direction}{mag}"
            ),
        )
        description = (
            f"Appears {local_time(p.appears.time, zone):%H:%M:%S} at {whole_degrees(p.appears.altitude_deg)} "
            f"{p.appears.direction}, highest {local_time(p.highest.time, zone):%H:%M:%S} at "
            f"{whole_degrees(p.highest.altitude_deg)} {p.highest.direction}, disappears "
            f"{local_time(p.disappears.time, zone):%H:%M:%S} at {whole_degrees(p.disappears.altitude_deg)} "
            f"{p.disappears.direction} ({report.timezone}). Visible for "
            f"{_duration(p.visible_duration_s)}{mag}."
        )
        event.add("description", _ics_text(description))
        event.add("geo", vGeo((report.observer.latitude_deg, report.observer.longitude_deg)))
        if report.alarm_s is not None:
            event.add_component(_alarm(report, p))
        cal.add_component(event)
    for gone in report.news.cancelled if report.news is not None else ():
        event = Event()
        event.add("uid", f"{gone.id}@isspass")
        event.add("dtstamp", stamp)
        event.add("dtstart", gone.time.astimezone(timezone.utc).replace(microsecond=0))
        event.add("dtend", gone.time.astimezone(timezone.utc).replace(microsecond=0) + timedelta(minutes=1))
        event.add("status", "CANCELLED")
        gone_name = "Satellite" if report.several else report.satellite.name
        event.add("summary", _ics_text(f"{gone_name} pass cancelled (no longer predicted)"))
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def _name_of(report: Report, p: Pass) -> str:
    """The name of the pass's satellite (the report's when the pass does not say)."""
    return p.satellite.name if p.satellite is not None else report.satellite.name


def _alarm(report: Report, p: Pass) -> Any:
    """A display reminder ``report.alarm_s`` seconds before the pass appears."""
    from icalendar import Alarm

    assert report.alarm_s is not None and p.highest is not None
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(seconds=-report.alarm_s))
    alarm.add(
        "description",
        _ics_text(
            f"{_name_of(report, p)} appears in {_duration(report.alarm_s).replace('m 00s', 'm')}: "
            f"up to {p.highest.altitude_deg:.0f}° {p.highest.direction}"
        ),
    )
    return alarm


def _ics_text(text: str) -> Any:
    """``text`` as an iCalendar TEXT value, escaped by RFC 5545 alone (icalendar's own escaping
    first reads a literal backslash-N, as a name may hold, as a line break)."""
    return _ics_text_type()(text)


@lru_cache(maxsize=1)
def _ics_text_type() -> Any:
    from icalendar import vText

    class IcsText(vText):  # type: ignore[misc]
        def to_ical(self) -> bytes:
            escaped = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            return escaped.replace("\r\n", "\\n").replace("\n", "\\n").encode(self.encoding)

    return IcsText


# --------------------------------------------------------------------------- batch rows

_BATCH_PLACE = ["name", "latitude", "longitude", "elevation_m", "timezone"]


def _place_cells(place: Location, zone_name: str) -> list[Any]:
    o = place.observer
    return [place.name, o.latitude_deg, o.longitude_deg, o.elevation_m, zone_name]


def _spreadsheet_safe(cells: list[Any]) -> list[Any]:
    """Text cells a spreadsheet would run as a formula (``=cmd|…``) are neutralised."""
    return [csv_cell(cell) if isinstance(cell, str) else cell for cell in cells]


def batch_csv_header() -> str:
    """The header line of batch CSV: the place's columns, then the main command's CSV columns."""
    return _csv_line([*_BATCH_PLACE, *csv_header()])


def batch_csv_row(place: Location, zone_name: str, p: Pass) -> str:
    """One batch CSV line: a pass over a named place, times also in the place's zone."""
    return _csv_line(_spreadsheet_safe([*_place_cells(place, zone_name), *csv_row(p, ZoneInfo(zone_name))]))


def batch_json_line(place: Location, zone_name: str, p: Pass) -> str:
    """One JSON Lines record: the place's name and line, its observer block and the pass fields."""
    cells = _place_cells(place, zone_name)
    record = {
        "name": place.name,
        "line": place.line,
        "observer": dict(zip(_BATCH_PLACE[1:], cells[1:], strict=True)),
        **pass_to_dict(p),
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- HTML


def render_html(report: Report) -> str:
    """One self-contained HTML page with a sky chart of every pass (see :mod:`isspass.page`)."""
    from .page import render_html as page

    return page(report)


# --------------------------------------------------------------------------- one line


def render_line(report: Report) -> str:
    """The next pass in one line, for a status bar or a chat bot (see :mod:`isspass.oneline`)."""
    from .oneline import next_pass_line

    return next_pass_line(report) + "\n"


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "csv": render_csv,
    "ics": render_ics,
    "html": render_html,
    "line": render_line,
}
