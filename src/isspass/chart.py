"""A sky chart of one pass, as SVG or PNG: the whole sky looking up, the track and its times.

Pure: a :class:`~isspass.skyview.SkyView` in, a drawing (text or bytes) out. Local time only here.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import numpy as np

from .formats import local_time
from .model import PassPoint, compass_point
from .skyview import SkyView
from .text import inert

#: Which way the chart is turned. ``north-up``: north at the top and east on the left, as
#: a star chart held overhead (or in front of you when facing south); ``south-up``: turned
#: half round, for facing north.
ORIENTATIONS = ("north-up", "south-up")
DEFAULT_ORIENTATION = "north-up"
#: The width of a PNG chart by default, pixels (its height follows the drawing's shape).
DEFAULT_PNG_WIDTH_PX = 800

# The drawing's own units (an SVG viewBox): a phone shows them about one to one.
WIDTH, HEIGHT = 400.0, 470.0
CENTRE = (200.0, 245.0)
HORIZON_RADIUS = 165.0
_RINGS_DEG = (30.0, 60.0)

# Ink that survives black-and-white printing: the lit track is dark and solid, the shadow dashed.
_INK = "#1d1d1f"
_GREY = "#8a8a8e"
_RING = "#c4c4c8"
_SKY = "#f3f5f9"
_TRACK = "#1b4a9c"
_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


@dataclass(frozen=True)
class Shape:
    """One thing drawn: a circle, a polyline, a polygon or a text, in chart units.

    ``points`` is the centre of a circle, the anchor (baseline) of a text, or the vertices.
    ``role`` becomes the SVG ``class``; ``data`` its ``data-*`` attributes (for readers and tests).
    """

    kind: str
    points: tuple[tuple[float, float], ...]
    radius: float = 0.0
    text: str = ""
    stroke: str | None = None
    fill: str | None = None
    width: float = 0.0
    dash: tuple[float, ...] = ()
    opacity: float = 1.0
    size: float = 0.0
    anchor: str = "middle"
    bold: bool = False
    role: str = ""
    data: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SkyChart:
    """A finished drawing: its size in chart units, a title and a description, and its shapes."""

    width: float
    height: float
    title: str
    description: str
    orientation: str
    shapes: tuple[Shape, ...]


# --------------------------------------------------------------------------- geometry


def chart_xy(
    altitude_deg: np.ndarray | float, azimuth_deg: np.ndarray | float, orientation: str = DEFAULT_ORIENTATION
) -> tuple[np.ndarray, np.ndarray]:
    """Chart coordinates of sky positions: zenith at the centre, the horizon on the outer circle.

    The distance from the centre is proportional to the zenith angle (an azimuthal
    equidistant view, as polar sky plots draw it). Chart y grows downwards, as in SVG.
    """
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, not {orientation!r}")
    r = HORIZON_RADIUS * (90.0 - np.asarray(altitude_deg, dtype=float)) / 90.0
    a = np.radians(np.asarray(azimuth_deg, dtype=float))
    sign = 1.0 if orientation == "north-up" else -1.0  # north-up: east (90°) to the left
    return CENTRE[0] - sign * r * np.sin(a), CENTRE[1] - sign * r * np.cos(a)


# --------------------------------------------------------------------------- the drawing


def sky_chart(view: SkyView, orientation: str = DEFAULT_ORIENTATION) -> SkyChart:
    """The chart of one pass: sky, landmarks, the track (lit solid, shadow dashed), times, legend."""
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, not {orientation!r}")
    zone = ZoneInfo(view.timezone)
    p = view.pass_
    shapes: list[Shape] = [
        Shape(
            "polygon", ((0, 0), (WIDTH, 0), (WIDTH, HEIGHT), (0, HEIGHT)), fill="#ffffff", role="background"
        )
    ]
    shapes += _sky_frame(p.min_elevation_deg, orientation)
    shapes += _landmarks(view, orientation)
    shapes += _track(view, orientation)
    shapes += _events(view, zone, orientation)
    shapes += _captions(view, zone, orientation)
    first, top, last = _key_points(view)
    name = inert(view.satellite_name, 80)
    title = f"{name}: pass of {local_time(first.time, zone):%a %d %b %Y %H:%M}"
    description = (
        f"{_where(first)} at {_clock(first.time, zone)}, highest {top.altitude_deg:.0f}° {top.direction} at "
        f"{_clock(top.time, zone)}, {_where(last)} at {_clock(last.time, zone)} ({view.timezone})"
    )
    return SkyChart(WIDTH, HEIGHT, title, description, orientation, tuple(shapes))


def _clock(when: datetime, zone: ZoneInfo) -> str:
    return f"{local_time(when, zone):%H:%M:%S}"


def _where(point: PassPoint) -> str:
    return f"{point.altitude_deg:.0f}° {point.direction}"


def _key_points(view: SkyView) -> tuple[PassPoint, PassPoint, PassPoint]:
    """Appears / highest / disappears of a lit pass, else rise / culmination / set."""
    p = view.pass_
    if p.appears is not None and p.highest is not None and p.disappears is not None:
        return p.appears, p.highest, p.disappears
    return p.rise, p.culmination, p.set


def _key_names(view: SkyView) -> tuple[str, str, str]:
    lit = view.pass_.appears is not None
    return ("appears", "highest", "disappears") if lit else ("rise", "culmination", "set")


def _xy(altitude: float, azimuth: float, orientation: str) -> tuple[float, float]:
    x, y = chart_xy(altitude, azimuth, orientation)
    return float(x), float(y)


def _sky_frame(min_elevation_deg: float, orientation: str) -> list[Shape]:
    cx, cy = CENTRE
    shapes = [
        Shape(
            "circle",
            (CENTRE,),
            HORIZON_RADIUS,
            fill=_SKY,
            stroke=_INK,
            width=1.5,
            role="horizon",
            data=(("altitude", "0"),),
        ),
    ]
    for ring in _RINGS_DEG:
        radius = HORIZON_RADIUS * (90 - ring) / 90
        shapes.append(
            Shape(
                "circle",
                (CENTRE,),
                radius,
                stroke=_RING,
                width=0.8,
                role="ring",
                data=(("altitude", f"{ring:g}"),),
            )
        )
        shapes.append(
            Shape(
                "text",
                ((cx + 3, cy - radius - 2),),
                text=f"{ring:g}°",
                size=9,
                fill=_GREY,
                anchor="start",
                role="ring-label",
            )
        )
    radius = HORIZON_RADIUS * (90 - min_elevation_deg) / 90
    shapes.append(
        Shape(
            "circle",
            (CENTRE,),
            radius,
            stroke=_GREY,
            width=1.0,
            dash=(3, 3),
            role="min-elevation",
            data=(("altitude", f"{min_elevation_deg:g}"),),
        )
    )
    if min_elevation_deg > 0:
        shapes.append(
            Shape(
                "text",
                ((cx + 3, cy + radius - 3),),
                text=f"{min_elevation_deg:g}°",
                size=9,
                fill=_GREY,
                anchor="start",
                role="ring-label",
            )
        )
    shapes.append(Shape("circle", (CENTRE,), 1.6, fill=_GREY, role="zenith"))
    for k in range(8):
        azimuth = 45.0 * k
        name = compass_point(azimuth)
        cardinal = k % 2 == 0
        inner, outer = _xy(0, azimuth, orientation), _xy(-4, azimuth, orientation)
        shapes.append(Shape("polyline", (inner, outer), stroke=_INK, width=1.2, role="tick"))
        x, y = _xy(-8.0 if cardinal else -6.5, azimuth, orientation)
        size = 15.0 if cardinal else 10.0
        shapes.append(
            Shape(
                "text",
                ((x, y + size * 0.36),),
                text=name,
                size=size,
                bold=cardinal,
                fill=_INK if cardinal else _GREY,
                role="compass",
                data=(("azimuth", f"{azimuth:g}"),),
            )
        )
    return shapes


def _landmarks(view: SkyView, orientation: str) -> list[Shape]:
    shapes: list[Shape] = []
    for body in reversed(view.landmarks):  # faint stars first, the Moon on top
        x, y = _xy(body.altitude_deg, body.azimuth_deg, orientation)
        data = (
            ("name", body.name),
            ("altitude", f"{body.altitude_deg:.2f}"),
            ("azimuth", f"{body.azimuth_deg:.2f}"),
        )
        name = inert(body.name, 40)
        if body.kind == "star":
            magnitude = body.magnitude if body.magnitude is not None else 2.5
            radius = min(max(2.6 - 0.55 * magnitude, 0.9), 3.6)
            shapes.append(Shape("circle", ((x, y),), radius, fill="#2a2a2e", role="star", data=data))
            if magnitude <= 1.0:
                dx, anchor = _beside(x, radius + 2)
                shapes.append(
                    Shape(
                        "text",
                        ((x + dx, y + 3),),
                        text=name,
                        size=8.5,
                        fill=_GREY,
                        anchor=anchor,
                        role="star-label",
                    )
                )
        elif body.kind == "planet":
            shapes.append(
                Shape(
                    "circle", ((x, y),), 4.0, fill="#ffffff", stroke=_INK, width=1.3, role="planet", data=data
                )
            )
            shapes.append(Shape("circle", ((x, y),), 1.2, fill=_INK, role="planet-centre"))
            dx, anchor = _beside(x, 7)
            shapes.append(
                Shape(
                    "text",
                    ((x + dx, y + 3.5),),
                    text=name,
                    size=10,
                    fill=_INK,
                    anchor=anchor,
                    role="planet-label",
                )
            )
        else:
            lit = "" if body.illuminated is None else f" {100 * body.illuminated:.0f}%"
            shapes.append(
                Shape(
                    "circle",
                    ((x, y),),
                    8.0,
                    fill="#e4e4e8",
                    stroke="#55555a",
                    width=1.2,
                    role="moon",
                    data=data,
                )
            )
            shapes.append(
                Shape("text", ((x, y + 19),), text=f"Moon{lit}", size=10, fill=_INK, role="moon-label")
            )
    return shapes


def _beside(x: float, gap: float) -> tuple[float, str]:
    """A name's offset and anchor beside a mark: to its right, or to its left near the right edge."""
    return (-gap, "end") if x > CENTRE[0] + 0.55 * HORIZON_RADIUS else (gap, "start")


def _runs(sunlit: np.ndarray) -> list[tuple[int, int, bool]]:
    """Index ranges [first, last] of equal sunlight; each run after the first starts at the
    previous run's last sample, so the drawn pieces join."""
    changes = np.flatnonzero(sunlit[1:] != sunlit[:-1]) + 1
    starts = [0, *changes.tolist()]
    ends = [*changes.tolist(), sunlit.size]
    return [(max(s - 1, 0), e - 1, bool(sunlit[s])) for s, e in zip(starts, ends, strict=True)]


def _track(view: SkyView, orientation: str) -> list[Shape]:
    track = view.track
    x, y = chart_xy(track.altitude_deg, track.azimuth_deg, orientation)
    shapes: list[Shape] = []
    lit_runs = []
    for first, last, lit in _runs(track.sunlit):
        points = tuple(zip(x[first : last + 1].tolist(), y[first : last + 1].tolist(), strict=True))
        if len(points) < 2:
            continue
        data = (("first-index", str(first)), ("last-index", str(last)))
        if lit:
            lit_runs.append((first, last))
            shapes.append(Shape("polyline", points, stroke=_TRACK, width=4.0, role="track lit", data=data))
        else:
            shapes.append(
                Shape(
                    "polyline",
                    points,
                    stroke=_TRACK,
                    width=2.0,
                    dash=(5, 4),
                    opacity=0.75,
                    role="track shadow",
                    data=data,
                )
            )
    first, last = max(lit_runs, key=lambda r: r[1] - r[0]) if lit_runs else (0, len(track) - 1)
    if last - first >= 2:
        shapes.append(_arrow(x, y, _arrow_index(view, first, last)))
    return shapes


def _arrow_index(view: SkyView, first: int, last: int) -> int:
    """Where the arrow goes: halfway from the highest point to the end of the longest lit run
    (clear of the time labels), or the run's middle when the highest point is not inside it."""
    top = view.pass_.highest or view.pass_.culmination
    offset = (top.time - view.track.start).total_seconds()
    highest = int(np.argmin(np.abs(view.track.offset_s - offset)))
    if first <= highest < last and last - highest >= 4:
        return (highest + last + 1) // 2
    return (first + last) // 2


def _arrow(x: np.ndarray, y: np.ndarray, i: int) -> Shape:
    """A filled triangle on the track at sample ``i``, pointing the way the satellite moves."""
    dx, dy = x[i + 1] - x[i - 1], y[i + 1] - y[i - 1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    cx, cy = float(x[i]), float(y[i])
    tip = (cx + 9 * ux, cy + 9 * uy)
    left = (cx - 6 * ux - 6.5 * uy, cy - 6 * uy + 6.5 * ux)
    right = (cx - 6 * ux + 6.5 * uy, cy - 6 * uy - 6.5 * ux)
    return Shape(
        "polygon",
        (tip, left, right),
        fill=_TRACK,
        stroke="#ffffff",
        width=1.0,
        role="arrow",
        data=(("index", str(i)),),
    )


def _events(view: SkyView, zone: ZoneInfo, orientation: str) -> list[Shape]:
    """A marker and a local-time label at appears, highest and disappears (the same second once)."""
    track = view.track
    x, y = chart_xy(track.altitude_deg, track.azimuth_deg, orientation)
    groups: dict[str, list[tuple[str, PassPoint]]] = {}
    for name, point in zip(_key_names(view), _key_points(view), strict=True):
        groups.setdefault(_clock(point.time, zone), []).append((name, point))
    shapes: list[Shape] = []
    for clock, members in groups.items():
        names = " ".join(name for name, _ in members)
        point = members[0][1]
        px, py = _xy(point.altitude_deg, point.azimuth_deg, orientation)
        utc = point.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        data = (("event", names), ("utc", utc))
        shapes.append(
            Shape("circle", ((px, py),), 4.0, fill="#ffffff", stroke=_INK, width=1.6, role="event", data=data)
        )
        lx, ly, anchor = _label_place(x, y, px, py)
        shapes.append(
            Shape(
                "text",
                ((lx, ly),),
                text=clock,
                size=13,
                bold=True,
                fill=_INK,
                anchor=anchor,
                role="time",
                data=data,
            )
        )
    return shapes


def _label_place(x: np.ndarray, y: np.ndarray, px: float, py: float) -> tuple[float, float, str]:
    """Beside the track at (px, py), across it: towards the centre near the horizon, else outwards."""
    i = int(np.argmin((x - px) ** 2 + (y - py) ** 2))
    j0, j1 = max(i - 1, 0), min(i + 1, x.size - 1)
    dx, dy = x[j1] - x[j0], y[j1] - y[j0]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    ox, oy = px - CENTRE[0], py - CENTRE[1]
    outward = nx * ox + ny * oy > 0
    near_edge = math.hypot(ox, oy) > 0.72 * HORIZON_RADIUS
    if outward == near_edge:
        nx, ny = -nx, -ny
    lx, ly = px + 10 * nx, py + 10 * ny + 4
    anchor = "start" if nx > 0.35 else "end" if nx < -0.35 else "middle"
    if anchor == "middle":
        ly += 4 * ny
    return lx, ly, anchor


def _captions(view: SkyView, zone: ZoneInfo, orientation: str) -> list[Shape]:
    p = view.pass_
    first, top, last = _key_points(view)
    start = local_time(first.time, zone)
    name = inert(view.satellite_name, 40)
    zone_name = start.tzname() or view.timezone
    magnitude = "" if p.magnitude is None else f" · mag {p.magnitude:.1f}".replace("-", "−")
    line1 = f"{name} · {start:%a %d %b %Y}"
    span = f"{_clock(first.time, zone)}–{_clock(last.time, zone)} {zone_name}"
    line2 = f"{span} · up to {top.altitude_deg:.0f}°{magnitude}"
    turned = "north up, east left" if orientation == "north-up" else "south up, west left"
    y = HEIGHT - 12
    return [
        Shape("text", ((12, 22),), text=line1, size=15, bold=True, fill=_INK, anchor="start", role="title"),
        Shape("text", ((12, 40),), text=line2, size=12, fill=_INK, anchor="start", role="subtitle"),
        Shape("polyline", ((12, y - 4), (36, y - 4)), stroke=_TRACK, width=4.0, role="legend lit"),
        Shape("text", ((42, y),), text="sunlit", size=10.5, fill=_INK, anchor="start", role="legend"),
        Shape(
            "polyline",
            ((96, y - 4), (120, y - 4)),
            stroke=_TRACK,
            width=2.0,
            dash=(5, 4),
            opacity=0.75,
            role="legend shadow",
        ),
        Shape(
            "text",
            ((126, y),),
            text="in the Earth's shadow",
            size=10.5,
            fill=_INK,
            anchor="start",
            role="legend",
        ),
        Shape("text", ((WIDTH - 12, y),), text=turned, size=10.5, fill=_GREY, anchor="end", role="legend"),
    ]


# --------------------------------------------------------------------------- SVG


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _svg_shape(shape: Shape) -> str:
    attrs = [f'class="{_attr(shape.role)}"'] if shape.role else []
    attrs += [f'data-{key}="{_attr(value)}"' for key, value in shape.data]
    if shape.kind == "text":
        ((x, y),) = shape.points
        attrs += [f'x="{_num(x)}"', f'y="{_num(y)}"', f'font-size="{_num(shape.size)}"']
        if shape.anchor != "start":
            attrs.append(f'text-anchor="{shape.anchor}"')
        if shape.bold:
            attrs.append('font-weight="bold"')
        attrs.append(f'fill="{shape.fill or _INK}"')
        return f"<text {' '.join(attrs)}>{escape(shape.text, quote=False)}</text>"
    paint = [f'fill="{shape.fill}"' if shape.fill else 'fill="none"']
    if shape.stroke:
        paint += [f'stroke="{shape.stroke}"', f'stroke-width="{_num(shape.width)}"']
        if shape.kind == "polyline":
            paint += ['stroke-linecap="round"', 'stroke-linejoin="round"']
        if shape.dash:
            paint.append(f'stroke-dasharray="{" ".join(_num(d) for d in shape.dash)}"')
    if shape.opacity != 1.0:
        paint.append(f'opacity="{_num(shape.opacity)}"')
    if shape.kind == "circle":
        ((x, y),) = shape.points
        geometry = [f'cx="{_num(x)}"', f'cy="{_num(y)}"', f'r="{_num(shape.radius)}"']
        return f"<circle {' '.join(attrs + geometry + paint)}/>"
    points = " ".join(f"{_num(x)},{_num(y)}" for x, y in shape.points)
    return f'<{shape.kind} {" ".join(attrs)} points="{points}" {" ".join(paint)}/>'


def chart_svg(chart: SkyChart, *, standalone: bool = True) -> str:
    """The chart as one ``<svg>`` element; ``standalone`` adds the XML declaration and a size in pixels.

    Text is escaped; fonts are the reader's own (no external resources).
    """
    size = f' width="{_num(chart.width)}" height="{_num(chart.height)}"' if standalone else ""
    box = f"0 0 {_num(chart.width)} {_num(chart.height)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}"{size} '
        f'role="img" class="isspass-chart" data-orientation="{chart.orientation}" '
        f'font-family="{_FONT}">'
    )
    body = [
        head,
        f"<title>{escape(chart.title, quote=False)}</title>",
        f"<desc>{escape(chart.description, quote=False)}</desc>",
        *(_svg_shape(shape) for shape in chart.shapes),
        "</svg>",
    ]
    text = "\n".join(body) + "\n"
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text if standalone else text


# --------------------------------------------------------------------------- PNG


def chart_png(chart: SkyChart, width_px: int = DEFAULT_PNG_WIDTH_PX) -> bytes:
    """The chart as a PNG ``width_px`` wide (the height keeps the drawing's shape), drawn by matplotlib.

    matplotlib is imported here, not when isspass starts.
    """
    if isinstance(width_px, bool) or not isinstance(width_px, int) or not 100 <= width_px <= 8000:
        raise ValueError(f"width_px must be a whole number of pixels in 100..8000, not {width_px!r}")
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, Polygon

    dpi = 100.0
    scale = width_px / chart.width  # pixels per chart unit
    height_px = round(chart.height * scale)
    points = scale * 72.0 / dpi  # typographic points per chart unit

    with rc_context({"lines.scale_dashes": False, "font.family": "DejaVu Sans"}):
        figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, chart.width)
        axes.set_ylim(chart.height, 0)
        axes.set_axis_off()
        for z, shape in enumerate(chart.shapes):
            common = {"alpha": shape.opacity, "zorder": z}
            dash = (0, tuple(d * points for d in shape.dash)) if shape.dash else "solid"
            if shape.kind == "circle":
                axes.add_patch(
                    Circle(
                        shape.points[0],
                        shape.radius,
                        facecolor=shape.fill or "none",
                        edgecolor=shape.stroke or "none",
                        linewidth=shape.width * points,
                        linestyle=dash,
                        **common,
                    )
                )
            elif shape.kind == "polygon":
                axes.add_patch(
                    Polygon(
                        shape.points,
                        closed=True,
                        facecolor=shape.fill or "none",
                        edgecolor=shape.stroke or "none",
                        linewidth=shape.width * points,
                        joinstyle="round",
                        **common,
                    )
                )
            elif shape.kind == "polyline":
                xs, ys = zip(*shape.points, strict=True)
                axes.add_line(
                    Line2D(
                        xs,
                        ys,
                        color=shape.stroke,
                        linewidth=shape.width * points,
                        linestyle=dash,
                        solid_capstyle="round",
                        dash_capstyle="round",
                        solid_joinstyle="round",
                        **common,
                    )
                )
            else:
                ((x, y),) = shape.points
                axes.text(
                    x,
                    y,
                    shape.text,
                    fontsize=shape.size * points,
                    color=shape.fill or _INK,
                    fontweight="bold" if shape.bold else "normal",
                    ha={"start": "left", "middle": "center", "end": "right"}[shape.anchor],
                    va="baseline",
                    **common,
                )
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()
