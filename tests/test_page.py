"""The HTML page: self-contained, one chart per pass under the pass's anchor, and right in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from click.testing import CliRunner

from isspass.cli import cli

ZURICH = ["--lat", "47.37", "--lon", "8.54", "--start", "2026-09-24", "--days", "3", "--offline"]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
]  # fmt: skip


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def page():
    result = run(*ZURICH, "--format", "html")
    assert result.exit_code == 0 and result.stderr == ""
    return result.stdout


class Tags(HTMLParser):
    """Every start tag with its attributes, and whether the nesting closes properly."""

    VOID: ClassVar[set[str]] = {"meta", "br", "img", "input", "link", "hr", "circle", "polyline", "polygon"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open[-3:])
        self.open.pop()


def test_one_chart_per_pass_under_its_anchor(page):
    text_rows = run(*ZURICH).stdout.splitlines()[5:]
    parser = Tags()
    parser.feed(page)
    assert parser.open == []
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert len(svgs) == page.count("<svg") == len(text_rows) == 5
    anchors = [attrs["id"] for tag, attrs in parser.tags if tag == "section"]
    links = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert links == [f"#{anchor}" for anchor in anchors] and len(set(anchors)) == 5
    for svg, row in zip(svgs, text_rows, strict=True):
        root = ET.fromstring(svg)
        track = [
            e for e in root.iter("{http://www.w3.org/2000/svg}polyline") if "track" in e.get("class", "")
        ]
        assert sum(len(e.get("points").split()) for e in track) >= 40  # sampled points, not a few curves
        assert not list(root.iter("{http://www.w3.org/2000/svg}path"))
        appears = row.split()[3]  # "Thu 24 Sep  19:43:56 ...": the appears time of that pass
        assert appears in [e.text for e in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_page_loads_nothing_from_outside(page):
    parser = Tags()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "image", "use", "font"}
    for _, attrs in parser.tags:
        assert "src" not in attrs
        assert attrs.get("href", "#").startswith("#")
        assert not any(name.startswith("on") for name in attrs)
    # The only URL is the SVG namespace, which names a vocabulary and loads nothing.
    assert set(re.findall(r"https?://[^\s\"']+", page)) == {"http://www.w3.org/2000/svg"}
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert "default-src 'none'" in page


def test_the_header_says_where_what_and_by_which_rules(page):
    text = run(*ZURICH).stdout.splitlines()
    for fragment in (
        "ISS (ZARYA) (NORAD 25544)",
        "47.3700° N, 8.5400° E",
        "bundled, epoch 2026-09-24T03:24:21.453Z",
        "2026-09-24 00:00 to 2026-09-27 00:00 Europe/Zurich",
        "visible passes at or above 10°, Sun below -6°",
    ):
        assert fragment in page
    assert "19:43:56 10° WNW" in page and "19:47:16 57° NNE" in page and text[5].startswith("Thu 24 Sep")


def test_a_page_without_passes_says_so():
    result = run(
        "--lat", "80", "--lon", "8", "--start", "2026-09-24", "--days", "1", "--offline", "--format", "html"
    )
    assert result.exit_code == 0
    assert "No visible passes of ISS (ZARYA) in this window." in result.stdout and "<svg" not in result.stdout


def test_each_pass_is_anchored_by_its_id():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import isspass

    start = datetime(2026, 9, 24, tzinfo=ZoneInfo("Europe/Zurich"))
    ids = [p.id for p in isspass.find_passes(isspass.Observer(47.37, 8.54), start, 3)]
    assert len(ids) == 5 and all(ids)
    page = run(*ZURICH, "--format", "html").stdout
    for pass_id in ids:  # e.g. 25544-58712-+47.37+008.54
        assert f'id="pass-{pass_id}"' in page and f'href="#pass-{pass_id}"' in page
        assert f">{pass_id}</a>" in page


def _chromium() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI (.ci/run installs Debian's chromium package)")
        pytest.skip("Debian's chromium package is not installed (apt-get install chromium)")
    return binary


def _browse(page_path: Path, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page_path.as_uri()],
            capture_output=True,
            timeout=120,
            check=True,
            cwd=page_path.parent,
        )


def test_the_page_renders_in_headless_chromium(page, tmp_path):
    from PIL import Image

    page_path = tmp_path / "passes.html"
    page_path.write_text(page, encoding="utf-8")
    dom = _browse(page_path, "--dump-dom").stdout.decode("utf-8")
    assert dom.count("<svg") == 5 and dom.count("<section") == 5  # the parser kept every chart
    shot = tmp_path / "shot.png"
    _browse(page_path, "--window-size=900,1400", f"--screenshot={shot}")
    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert image.shape == (1400, 900, 3)
    assert (image[5, 5] >= 250).all()  # the page's white
    header = image[:300]
    assert (header.sum(axis=2) < 200).mean() > 0.01  # header and table text
    # The first chart: the sky disc (a colour only the charts use), and the lit track in its dark blue on it.
    sky = np.abs(image - np.array([243, 245, 249])).sum(axis=2) < 6
    assert sky.sum() > 50_000
    rows, cols = np.nonzero(sky)
    top, left, right = rows.min(), cols.min(), cols.max()
    assert 250 < right - left < 560 and top > 300  # one disc, below the header and the table
    disc = image[top : top + (right - left), left : right + 1]
    blue = (disc[:, :, 2] > 130) & (disc[:, :, 0] < 60) & (disc[:, :, 1] < 100)
    assert blue.sum() > 800
