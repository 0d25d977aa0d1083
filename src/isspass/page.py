"""The HTML page of a pass report: header, pass table and a sky chart of every pass, in one file.

Self-contained: inline CSS and inline SVG, no scripts, fonts, images or links to anything outside.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from .chart import DEFAULT_ORIENTATION, chart_svg, sky_chart
from .formats import Report, _age_text, _criteria_text, _place, iso_utc
from .model import Pass, PassPoint
from .skyview import SkyView, sky_views
from .text import inert

_STYLE = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #1d1d1f; background: #fff;
       margin: 1.2rem auto; max-width: 56rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.35rem; margin: 0 0 .6rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: 0 0 1rem; }
dl.header dt { font-weight: bold; }
dl.header dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .45rem; border-bottom: 1px solid #d4d4d8; text-align: left; white-space: nowrap; }
th { background: #e6e9ef; }
.table-wrap { overflow-x: auto; }
section.pass { break-inside: avoid; page-break-inside: avoid; }
section.pass svg { display: block; width: 100%; max-width: 30rem; height: auto; }
.none { font-style: italic; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""


#: Nothing may be loaded: no scripts, fonts, images or connections; only the inline style.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def pass_anchor(p: Pass, number: int) -> str:
    """The fragment a pass is found under on the page: its id when passes carry one, else its number."""
    pass_id = p.id or None
    if pass_id is None:
        return f"pass-{number}"
    safe = "".join(c if c.isalnum() or c in "+-_." else "-" for c in str(pass_id))
    return f"pass-{safe}"


def _text(value: str) -> str:
    return escape(inert(value), quote=True)


def _local(when: datetime, zone: ZoneInfo) -> datetime:
    return (when + timedelta(microseconds=500_000)).replace(microsecond=0).astimezone(zone)


def _where(point: PassPoint) -> str:
    return f"{point.altitude_deg:.0f}° {point.direction}"


def _duration(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 60}m {total % 60:02d}s"


def _header(report: Report) -> str:
    zone = report.zone
    sat = report.satellite
    elements = sat.elements
    rows = [
        ("Place", f"{_place(report.observer)} ({report.timezone})"),
        (
            "Elements",
            f"{elements.source}, epoch {iso_utc(elements.epoch)} ({_age_text(report.element_age_days)})",
        ),
        (
            "Window",
            f"{_local(report.start, zone):%Y-%m-%d %H:%M} to {_local(report.end, zone):%Y-%m-%d %H:%M} "
            f"{report.timezone}",
        ),
        ("Criteria", _criteria_text(report.criteria)),
    ]
    items = "\n".join(f"<dt>{escape(name)}</dt><dd>{_text(value)}</dd>" for name, value in rows)
    title = _text(report.what if report.several else f"{sat.name} (NORAD {sat.norad_id})")
    return f'<h1>{title}</h1>\n<dl class="header">\n{items}\n</dl>'


def _table(report: Report) -> str:
    zone = report.zone
    show_type = not report.criteria.visible_only
    head = ["Pass", "Date", "Appears", "Highest", "Disappears", "Length", "Mag"] + (
        ["Type"] if show_type else []
    )
    lines = [
        '<div class="table-wrap"><table>',
        "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
        "<tbody>",
    ]
    for number, p in enumerate(report.passes, start=1):
        first, top, last = (
            (p.appears, p.highest, p.disappears) if p.appears else (p.rise, p.culmination, p.set)
        )
        assert first is not None and top is not None and last is not None
        start = _local(first.time, zone)
        length = p.visible_duration_s if p.visible else p.duration_s
        pass_id = p.id or None
        label = _text(str(pass_id)) if pass_id is not None else str(number)
        magnitude = "" if p.magnitude is None else f"{p.magnitude:.1f}".replace("-", "−")
        cells = [
            f'<a href="#{pass_anchor(p, number)}">{label}</a>',
            f"{start:%a %d %b}",
            f"{start:%H:%M:%S} {_where(first)}",
            f"{_local(top.time, zone):%H:%M:%S} {_where(top)}",
            f"{_local(last.time, zone):%H:%M:%S} {_where(last)}",
            _duration(length),
            magnitude,
        ] + ([p.type.value] if show_type else [])
        lines.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    lines += ["</tbody>", "</table></div>"]
    return "\n".join(lines)


def _section(view: SkyView, orientation: str) -> str:
    p = view.pass_
    zone = ZoneInfo(view.timezone)
    first = p.appears or p.rise
    pass_id = view.pass_id
    name = f"Pass {pass_id}" if pass_id is not None else f"Pass {view.number}"
    heading = _text(f"{name}: {_local(first.time, zone):%a %d %b %H:%M}")
    svg = chart_svg(sky_chart(view, orientation), standalone=False)
    return f'<section class="pass" id="{pass_anchor(p, view.number)}">\n<h2>{heading}</h2>\n{svg}</section>'


def render_html(
    report: Report, views: tuple[SkyView, ...] | None = None, *, orientation: str = DEFAULT_ORIENTATION
) -> str:
    """One self-contained HTML page: the report's header, its pass table and a sky chart per pass.

    ``views`` are the passes' :class:`~isspass.skyview.SkyView` objects, computed from the
    report when not given. Every chart is one inline ``<svg>``; nothing is loaded from outside.
    """
    if views is None:
        views = sky_views(report)
    kind = "visible passes" if report.criteria.visible_only else "passes"
    if report.passes:
        body = _table(report) + "\n" + "\n".join(_section(view, orientation) for view in views)
    else:
        body = f'<p class="none">No {kind} of {_text(report.what)} in this window.</p>'
    title = _text(
        f"{report.what} {kind} over {report.observer.latitude_deg:.2f}, {report.observer.longitude_deg:.2f}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{_header(report)}\n{body}\n</body>\n</html>\n"
    )
