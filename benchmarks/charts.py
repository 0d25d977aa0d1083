"""Time to draw 10 sky charts, against a plain matplotlib polar plot of the same tracks.

The first ten ISS passes over Zurich from 2026-09-24 (visible and daylight, bundled
elements): the tracks and landmarks computed (the views), then each chart drawn as SVG and
as PNG (800 px wide). The peer is what a script would write with matplotlib alone: a polar
axes, the track as a line, PNG at the same size, in the same process.

Run: python benchmarks/charts.py
"""

from __future__ import annotations

import io
import time
from datetime import datetime, timezone

import isspass
from isspass.chart import chart_png, chart_svg, sky_chart
from isspass.skyview import sky_view

ZURICH = isspass.Observer(47.37, 8.54)


def timed(work) -> tuple[float, object]:
    t = time.perf_counter()
    result = work()
    return time.perf_counter() - t, result


def peer_png(track) -> bytes:
    """A matplotlib polar plot of one track: zenith in the centre, north up, east left."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 9.4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(projection="polar")
    axes.set_theta_zero_location("N")
    axes.set_theta_direction(1)  # counter-clockwise: east on the left, as seen looking up
    axes.set_rlim(0, 90)
    axes.plot(np.radians(track.azimuth_deg), 90 - track.altitude_deg, linewidth=3)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def main() -> None:
    iss = isspass.load_satellite(elements=isspass.bundled_elements())
    start = datetime(2026, 9, 24, tzinfo=timezone.utc)
    passes = isspass.find_passes(ZURICH, start, 2, satellite=iss, visible_only=False)[:10]
    assert len(passes) == 10, len(passes)
    chart_png(sky_chart(sky_view(passes[0], ZURICH, iss, "Europe/Zurich")))  # matplotlib imported and warm
    peer_png(sky_view(passes[0], ZURICH, iss, "Europe/Zurich").track)

    views_s, views = timed(lambda: [sky_view(p, ZURICH, iss, "Europe/Zurich") for p in passes])
    svg_s, svgs = timed(lambda: [chart_svg(sky_chart(v)) for v in views])
    png_s, pngs = timed(lambda: [chart_png(sky_chart(v)) for v in views])
    peer_s, _ = timed(lambda: [peer_png(v.track) for v in views])
    print(f"10 views (tracks every 2 s, Moon, planets, stars): {views_s:.3f} s")
    print(f"10 SVG charts: {svg_s:.3f} s  ({sum(len(s) for s in svgs) / 10 / 1024:.1f} KiB each)")
    print(f"10 PNG charts: {png_s:.3f} s  ({sum(len(p) for p in pngs) / 10 / 1024:.1f} KiB each)")
    print(f"10 matplotlib polar plots (the peer, track only): {peer_s:.3f} s")
    print(f"isspass views + SVG vs the peer: {(views_s + svg_s) / peer_s:.2f}×; "
          f"views + PNG vs the peer: {(views_s + png_s) / peer_s:.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
