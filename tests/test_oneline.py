"""--format line: the next pass in one line, with and without passes."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import isspass
from isspass.cli import cli
from isspass.oneline import short_name, signed, time_until

ZONE = ZoneInfo("Europe/Zurich")
ZURICH = ["--lat", "47.37", "--lon", "8.54", "--offline"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _first(start: datetime, days: float, visible_only: bool = True) -> isspass.Pass:
    return isspass.find_passes(isspass.Observer(47.37, 8.54), start, days, visible_only=visible_only)[0]


def _countdown(seconds: float) -> str:
    hours, minutes = divmod(math.floor(seconds / 60), 60)
    return f"in {hours} h {minutes} min" if hours else f"in {minutes} min"


@pytest.mark.parametrize("start", ["2026-09-24T16:30", "2026-09-24T19:30", "2026-09-25T10:05"])
def test_the_next_visible_pass_in_one_line(start):
    result = run(*ZURICH, "--start", start, "--days", "3", "--format", "line")
    assert result.exit_code == 0 and result.stderr == ""
    begin = datetime.fromisoformat(start).replace(tzinfo=ZONE)
    p = _first(begin, 3)
    assert p.appears.time > begin  # the cases chosen start before the pass appears
    local = p.appears.time.astimezone(ZONE) + timedelta(microseconds=500_000)
    expected = (
        f"ISS {_countdown((p.appears.time - begin).total_seconds())}: {local:%H:%M}, "
        f"{p.appears.direction} → {p.disappears.direction}, {round(p.highest.altitude_deg)}° high, "
        f"mag {p.magnitude:.1f}".replace("-", "\N{MINUS SIGN}")
    )
    assert result.stdout == expected + "\n"
    assert result.stdout.count("\n") == 1


def test_a_pass_a_day_or_more_away_gives_its_date():
    # Over Mexico City the next visible pass is days away at the end of September 2026.
    args = ["--lat", "19.4", "--lon", "-99.1", "--offline", "--start", "2026-09-24T00:00Z", "--days", "6"]
    result = run(*args, "--format", "line", "--tz", "UTC")
    assert result.exit_code == 0
    start = datetime(2026, 9, 24, tzinfo=timezone.utc)
    passes = isspass.find_passes(isspass.Observer(19.4, -99.1), start, 6)
    assert passes and passes[0].appears.time - start > timedelta(days=1)
    first = passes[0].appears.time
    assert result.stdout.startswith(f"ISS on {first:%a %d %b}: {first + timedelta(seconds=0.5):%H:%M}, ")


def test_no_pass_in_the_window_is_one_line_saying_when_it_ends():
    result = run(
        "--lat", "80", "--lon", "8", "--offline", "--start", "2026-09-24", "--days", "2", "--format", "line"
    )
    assert result.exit_code == 0
    assert result.stdout == "ISS: no visible pass until Sat 26 Sep 00:00 (the end of the window)\n"
    quiet = run(
        "--lat",
        "80",
        "--lon",
        "8",
        "--offline",
        "--start",
        "2026-09-24",
        "--format",
        "line",
        "--quiet-if-none",
    )
    assert quiet.exit_code == 0 and quiet.stdout == ""


def test_with_all_passes_the_type_is_said():
    result = run(*ZURICH, "--start", "2026-09-24T08:00", "--days", "1", "--all", "--format", "line")
    p = _first(datetime(2026, 9, 24, 8, tzinfo=ZONE), 1, visible_only=False)
    assert p.type is isspass.PassType.DAYLIGHT
    assert result.stdout.rstrip().endswith(", daylight")


def test_a_pass_under_way_is_now(iss):
    p = _first(datetime(2026, 9, 24, 16, tzinfo=ZONE), 1)
    during = p.highest.time.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M:%S%z")
    result = run(*ZURICH, "--start", during, "--days", "1", "--format", "line")
    assert result.stdout.startswith(f"ISS now: {p.appears.time.astimezone(ZONE):%H:%M}, ")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(-5, "now"), (0, "now"), (30, "in under 1 min"), (60, "in 1 min"), (59 * 60 + 59, "in 59 min"),
     (3600, "in 1 h"), (3 * 3600 + 12 * 60 + 59, "in 3 h 12 min"), (86399, "in 23 h 59 min"),
     (86400, "on Fri 25 Sep"), (4 * 86400, "on Mon 28 Sep")],
)  # fmt: skip
def test_time_until(seconds, text):
    now = datetime(2026, 9, 24, 12, tzinfo=timezone.utc)
    assert time_until(now + timedelta(seconds=seconds), now, ZONE) == text


def test_names_and_signs():
    assert short_name("ISS (ZARYA)") == "ISS"
    assert short_name("HST") == "HST" and short_name("(X)") == "(X)"
    assert signed(-3.46) == "\N{MINUS SIGN}3.5" and signed(0.04) == "0.0" and signed(-0.04) == "0.0"
    assert signed(2.2) == "2.2"


def test_no_magnitude_when_the_satellite_has_none(iss):
    from isspass.formats import Criteria, Report, render_line

    start = datetime(2026, 9, 24, 16, 30, tzinfo=ZONE)
    dim = isspass.Satellite(iss.elements, standard_magnitude=None)
    observer = isspass.Observer(47.37, 8.54)
    passes = isspass.find_passes(observer, start, 1, satellite=dim)
    assert passes and passes[0].magnitude is None
    report = Report(observer, "Europe/Zurich", dim, start, start + timedelta(days=1),
                    Criteria(10.0, -6.0, True), tuple(passes))  # fmt: skip
    line = render_line(report)
    appears = passes[0].appears.time
    assert line.startswith(f"ISS {_countdown((appears - start).total_seconds())}: ") and line.endswith(
        "° high\n"
    )
    assert "mag" not in line
