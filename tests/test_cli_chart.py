"""`isspass chart`: the main command's options, which pass, SVG or PNG, and one-line errors."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import isspass
from isspass.cli import cli

ZURICH = ["--lat", "47.37", "--lon", "8.54", "--start", "2026-09-24", "--days", "3", "--offline"]
SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def one_line_error(result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("isspass: ")
    for fragment in fragments:
        assert fragment in line


def times(svg_text: str) -> list[str]:
    root = ET.fromstring(svg_text.split("\n", 1)[1])
    return [e.text for e in root.iter(SVG + "text") if "time" in e.get("class", "").split()]


def east_label_x(svg_text: str) -> float:
    root = ET.fromstring(svg_text.split("\n", 1)[1])
    return next(float(e.get("x")) for e in root.iter(SVG + "text") if e.text == "E")


def test_the_nth_listed_pass_as_svg_on_stdout():
    table = run(*ZURICH).stdout.splitlines()[5:]
    for number in (1, 4):
        result = run("chart", *ZURICH, "--pass", str(number))
        assert result.exit_code == 0 and result.stderr == ""
        assert result.stdout.startswith("<?xml") and result.stdout.count("<svg") == 1
        row = table[number - 1].split()  # date (3), appears, length (2), mag, from (2), highest ...
        assert row[3] in times(result.stdout) and row[9] in times(result.stdout)
    # Options before the word "chart" count as well, and the default is the first pass.
    before = run(*ZURICH, "chart")
    assert before.exit_code == 0 and table[0].split()[3] in times(before.stdout)


def test_png_file_of_the_asked_width(tmp_path):
    out = tmp_path / "pass.PNG"
    result = run("chart", *ZURICH, "--pass", "2", "--size", "500", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (500, round(500 * 470 / 400))
    svg = tmp_path / "pass.svg"
    assert run("chart", *ZURICH, "--pass", "2", "-o", str(svg)).exit_code == 0
    assert svg.read_text(encoding="utf-8").count("<svg") == 1


def test_orientation_from_the_option_and_the_environment():
    north = run("chart", *ZURICH)
    south = run("chart", *ZURICH, "--chart-orientation", "south-up")
    from_env = run("chart", *ZURICH, env={"ISSPASS_CHART_ORIENTATION": "south-up"})
    assert east_label_x(north.stdout) < 200 < east_label_x(south.stdout) == east_label_x(from_env.stdout)
    page = run(*ZURICH, "--format", "html", "--chart-orientation", "south-up").stdout
    assert page.count('data-orientation="south-up"') == 5


def test_which_pass_errors_are_one_line():
    one_line_error(run("chart", *ZURICH, "--pass", "6"), 2, "--pass", "only 5 visible passes")
    one_line_error(run("chart", *ZURICH, "--pass", "0"), 2, "--pass")
    one_line_error(run("chart", *ZURICH, "--pass", "1", "--id", "x"), 2, "not both")
    one_line_error(run("chart", *ZURICH, "-o", "pass.pdf"), 2, "--output", ".svg or .png")
    far_north = ["--lat", "80", "--lon", "8", "--start", "2026-09-24", "--days", "1", "--offline"]
    one_line_error(run("chart", *far_north), 2, "no visible passes")
    quiet = run("chart", *far_north, "--quiet-if-none", "-o", "never.png")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    one_line_error(run("chart", "--lon", "8"), 2, "no location")


def test_id_chooses_the_pass():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = datetime(2026, 9, 24, tzinfo=ZoneInfo("Europe/Zurich"))
    ids = [p.id for p in isspass.find_passes(isspass.Observer(47.37, 8.54), start, 3)]
    third = run("chart", *ZURICH, "--pass", "3").stdout
    by_id = run("chart", *ZURICH, "--id", ids[2])
    assert by_id.exit_code == 0 and by_id.stdout == third
    one_line_error(run("chart", *ZURICH, "--id", "nope"), 2, "--id", ids[0], ids[-1])


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "ics"])
def test_the_other_formats_do_not_draw(fmt, monkeypatch):
    import isspass.skyview

    def refuse(*_args, **_kwargs):
        raise AssertionError("no chart for this format")

    monkeypatch.setattr(isspass.skyview, "sky_view", refuse)
    assert run(*ZURICH, "--format", fmt).exit_code == 0


README = Path(__file__).parents[1] / "README.md"


def _readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Sky charts and an HTML page")
    return text[start : text.index("\n### ", start + 10)]


def test_the_readme_picture_is_what_its_command_makes(tmp_path):
    from PIL import Image

    section = _readme_section()
    command = re.search(r"^isspass chart (.*) --output (docs/\S+\.png)$", section, flags=re.M)
    picture = README.parent / command.group(2)
    assert f"]({command.group(2)})" in section
    made = tmp_path / "chart.png"
    result = run("chart", *command.group(1).split(), "--offline", "--output", str(made))
    assert result.exit_code == 0, result.stderr
    committed = np.asarray(Image.open(picture).convert("RGB")).astype(int)
    fresh = np.asarray(Image.open(made).convert("RGB")).astype(int)
    assert committed.shape == fresh.shape
    assert np.abs(committed - fresh).mean() < 2.0  # the same drawing (anti-aliasing may differ a little)


def test_the_readme_track_example_runs():
    (code,) = re.findall(r"```python\n(.*?)```", _readme_section(), flags=re.S)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    track = namespace["track"]
    assert len(track) > 50 and track.altitude_deg.max() == pytest.approx(
        namespace["first"].culmination.altitude_deg
    )
