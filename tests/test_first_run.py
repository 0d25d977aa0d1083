"""A first run with old elements and no network: what failed, the ways out, and numbers, not words."""

from __future__ import annotations

import json
import re
from datetime import datetime

from click.testing import CliRunner

import isspass
from conftest import DATA
from gp_server import body
from isspass.cli import cli
from isspass.freshness import timing_uncertainty_s, uncertainty_text
from isspass.update import UpdateStatus, update_elements

OMM = (DATA / "iss-omm.json").read_bytes()
ZURICH = ["--lat", "47.37", "--lon", "8.54", "--days", "1"]
#: 63 days after the bundled epoch, as on the day the problem was found.
LATE = {"ISSPASS_NOW": "2026-11-26T04:00:00Z"}
#: The bundled set's timing band at that moment: what the messages must state, in numbers.
LATE_BAND_S = timing_uncertainty_s(
    isspass.bundled_elements()[0], datetime.fromisoformat("2026-11-26T04:00+00:00")
)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env={**LATE, **(env or {})}, catch_exceptions=False)


def test_old_elements_and_a_failed_refresh_say_what_failed_and_the_ways_out():
    result = run(*ZURICH)  # the elements URL is a closed local port (conftest)
    assert result.exit_code == 5 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("isspass: elements for ISS (ZARYA) are 63.0 days old at the start of the window")
    assert "a refresh was tried: could not update elements for 25544: cannot reach 127.0.0.1:9" in line
    for way_out in ("run 'isspass update'", "--tle FILE", "--allow-stale"):
        assert way_out in line
    assert LATE_BAND_S > 600  # a lone 63-day-old set: many minutes, not "seconds or more"
    assert f"off by {uncertainty_text(LATE_BAND_S)}" in line and "minutes" in line


def test_allowed_stale_elements_warn_with_the_real_uncertainty():
    result = run(*ZURICH, "--allow-stale", "--offline", "--format", "json")
    assert result.exit_code == 0
    (warning,) = result.stderr.splitlines()
    assert warning.endswith(f"times may be off by {uncertainty_text(LATE_BAND_S)}, more after a manoeuvre")
    passes = json.loads(result.stdout)["passes"]  # each at its own culmination, within the day
    assert passes and all(LATE_BAND_S <= p["timing_uncertainty_s"] < 1.1 * LATE_BAND_S for p in passes)


def test_a_week_old_set_warns_in_seconds():
    result = run(*ZURICH, "--offline", "--start", "2026-10-01T00:00Z")
    assert re.search(r"times may be off by ±\d+ s, more after a manoeuvre$", result.stderr.strip())


def test_update_may_retry_after_an_attempt_that_reached_no_server(server, cache):
    """The automatic refresh failed without reaching a server: 'isspass update' still asks."""
    first = run(*ZURICH)
    assert first.exit_code == 5
    assert cache.record(25544).reached is False
    server.reply = body(200, OMM)
    again = run("update", "--elements-url", server.url)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith("updated ISS (ZARYA) (25544)") and len(server.requests) == 1


def test_the_automatic_refresh_still_backs_off(server, cache):
    """Only a person asking skips the back-off: cron runs do not hammer a dead network."""
    assert run(*ZURICH).exit_code == 5
    server.reply = body(200, OMM)
    result = run(*ZURICH, "--allow-stale", env={"ISSPASS_ELEMENTS_URL": server.url})
    assert server.requests == [] and "not asking again before" in result.stderr


def test_after_an_http_answer_update_waits_for_the_floor(server, cache):
    server.reply = body(500, b"busy")
    url = server.url
    failed = update_elements(25544, cache=cache, base_url=url, explicit=True, now=1_795_000_000.0)
    assert failed.status is UpdateStatus.FAILED and cache.record(25544).reached is True
    server.reply = body(200, OMM)
    soon = update_elements(25544, cache=cache, base_url=url, explicit=True, now=1_795_000_000.0 + 3600)
    assert soon.status is UpdateStatus.BACKING_OFF and len(server.requests) == 1
    later = update_elements(25544, cache=cache, base_url=url, explicit=True, now=1_795_000_000.0 + 7300)
    assert later.status is UpdateStatus.UPDATED and len(server.requests) == 2
