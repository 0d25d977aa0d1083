"""Mail: the HTML part shows each pass's sky chart as an inline PNG; the text part stays as it was."""

from __future__ import annotations

import io
import re

import numpy as np
from click.testing import CliRunner

from isspass.cli import MAIL_CHART_WIDTH_PX, cli
from smtp_server import SMTPServer

ZURICH = ["--lat", "47.37", "--lon", "8.54", "--start", "2026-09-24", "--days", "3", "--offline"]
TO = ["--mail-to", "you@example.org", "--mail-from", "isspass@example.org"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_each_pass_has_its_chart_inline_in_the_html_part():
    from PIL import Image

    text = run(*ZURICH).stdout
    with SMTPServer("none") as server:
        result = run(*ZURICH, *TO, "--min-peak", "50", *server.options)
    assert result.exit_code == 0, result.stderr
    (message,) = server.messages
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    rows = [row for row in text.splitlines()[5:] if int(row.split()[10].rstrip("°")) >= 50]
    assert plain.splitlines()[5:] == rows and len(rows) == 3  # the text part: the table, no pictures
    html_part = message.get_body(("html",))
    page = html_part.get_content()
    referenced = re.findall(r'<img src="cid:([^"]+)"', page)
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(referenced) == len(images) == len(rows)
    assert [part["Content-ID"].strip("<>") for part in images] == referenced
    for row, part in zip(rows, images, strict=True):
        picture = Image.open(io.BytesIO(part.get_content())).convert("RGB")
        assert picture.size == (MAIL_CHART_WIDTH_PX, round(MAIL_CHART_WIDTH_PX * 470 / 400))
        pixels = np.asarray(picture).astype(int)
        assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # a chart, not a blank
        date, clock = " ".join(row.split()[:3]), row.split()[3][:5]
        assert f"<b>{date} {clock}</b>" in page  # each chart under its pass's date and time


def test_a_mail_without_passes_has_no_pictures():
    with SMTPServer("none") as server:
        far_north = ["--lat", "80", "--lon", "8", "--start", "2026-09-24", "--days", "1", "--offline"]
        assert run(*far_north, *TO, *server.options).exit_code == 0
    (message,) = server.messages
    assert not [part for part in message.walk() if part.get_content_maintype() == "image"]
    assert "<img" not in message.get_body(("html",)).get_content()
