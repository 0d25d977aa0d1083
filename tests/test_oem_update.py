"""Fetching NASA's ISS trajectory from a real HTTP server on 127.0.0.1: politeness, hostile answers."""

from __future__ import annotations

import gzip
import json
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import DATA
from gp_server import GPServer, body
from isspass.cli import cli
from isspass.oem import parse_oem, write_oem_kvn
from isspass.oem_cache import OEM_FILE, OEM_STATE_FILE, TrajectoryCache
from isspass.oem_update import update_trajectory
from isspass.update import MIN_INTERVAL_S, UpdateStatus, backoff_s

UTC = timezone.utc
TRIMMED = parse_oem(
    gzip.decompress((DATA / "nasa-iss-oem-2025-02-26-trimmed.kvn.gz").read_bytes()), "trimmed"
)
OMM = (DATA / "iss-omm.json").read_bytes()


def trajectory_around(now: float, created_h: float = -1.0, object_id: str = "1998-067-A") -> bytes:
    """NASA's real vectors moved in time so that ``now`` lies a day into them, as a KVN answer."""
    shift = now - (TRIMMED.start.timestamp() + 86400.0)
    moved = timedelta(seconds=shift)
    (segment,) = TRIMMED.segments
    segment = replace(
        segment,
        object_id=object_id,
        epochs_s=segment.epochs_s + shift,
        start=segment.start + moved,
        stop=segment.stop + moved,
        useable_start=segment.useable_start + moved,
        useable_stop=segment.useable_stop + moved,
    )
    created = datetime.fromtimestamp(now, UTC) + timedelta(hours=created_h)
    return write_oem_kvn(
        replace(TRIMMED, created=created.replace(microsecond=0), segments=(segment,))
    ).encode()


def _url(server: GPServer) -> str:
    return f"http://127.0.0.1:{server.httpd.server_address[1]}/iss-coords/ISS.OEM_J2K_EPH.txt"


@pytest.fixture
def trajectory_cache(no_user_state_no_network):
    return TrajectoryCache(no_user_state_no_network / "cache")


def test_a_valid_answer_is_cached_as_received(server, trajectory_cache):
    now = time.time()
    answer = trajectory_around(now)
    server.reply = body(200, answer, "text/plain")
    result = update_trajectory(cache=trajectory_cache, url=_url(server), now=now)
    assert result.status is UpdateStatus.UPDATED, result.message
    assert result.message.startswith("updated the ISS trajectory: created ")
    assert server.requests == ["/iss-coords/ISS.OEM_J2K_EPH.txt"]
    assert (trajectory_cache.directory / OEM_FILE).read_bytes() == answer
    cached = trajectory_cache.load()
    assert cached is not None and cached.is_iss and cached.source.startswith("cache (")
    assert np.array_equal(cached.segments[0].position_km, TRIMMED.segments[0].position_km)
    assert trajectory_cache.record().last_success == now
    # The element history is not touched: the trajectory keeps its own.
    assert sorted(p.name for p in trajectory_cache.directory.iterdir()) == [".lock", OEM_FILE, OEM_STATE_FILE]


def test_never_twice_within_two_hours_and_a_back_off_after_failures(server, trajectory_cache):
    now = time.time() - 12 * 3600
    answer = trajectory_around(now)
    server.reply = body(200, answer, "text/plain")

    def update(at: float):
        return update_trajectory(cache=trajectory_cache, url=_url(server), now=at)

    assert update(now).status is UpdateStatus.UPDATED
    soon = update(now + MIN_INTERVAL_S - 60)
    assert soon.status is UpdateStatus.RECENT and "less than 2 hours ago: not asking again" in soon.message
    assert len(server.requests) == 1
    same = update(now + MIN_INTERVAL_S + 60)  # asked again: the same trajectory
    assert same.status is UpdateStatus.RECENT and "unchanged" in same.message and len(server.requests) == 2
    server.reply = body(503, b"Slow down")
    failed = update(now + 3 * MIN_INTERVAL_S)
    assert failed.status is UpdateStatus.FAILED and "HTTP 503" in failed.message
    assert trajectory_cache.record().failures == 1
    waiting = update(now + 3 * MIN_INTERVAL_S + backoff_s(1) - 60)
    assert waiting.status is UpdateStatus.BACKING_OFF and len(server.requests) == 3
    assert (trajectory_cache.directory / OEM_FILE).read_bytes() == answer  # the cache kept


def _hostile_answers(now: float) -> dict[str, tuple[bytes, str]]:
    lines = trajectory_around(now).decode().split("\n")
    row = next(i for i, line in enumerate(lines) if line[:1].isdigit())
    lines[row] = lines[row].replace(" ", " 1_", 1)
    return {
        "garbage": (b"<html><body>Service unavailable</body></html>", "is not an OEM"),
        "not an OEM": (b"No GP data found", "expected KEYWORD = value"),
        "entities": (b'<!DOCTYPE oem [<!ENTITY x "x">]><oem/>', "DOCTYPE"),
        "another object": (trajectory_around(now, object_id="1990-037-B"), "of 1990-037-B, not of the ISS"),
        "from the future": (trajectory_around(now, created_h=48), "in the future"),
        "over": (
            trajectory_around(now - 5 * 86400, created_h=5 * 24 - 0.5),
            "before now: an outdated trajectory",
        ),
        "a corrupt vector": ("\n".join(lines).encode(), f"the answer, line {row + 1}: X '1_"),
        "binary": (b"\x00\x01" * 100, "binary data"),
    }


@pytest.mark.parametrize("case", list(_hostile_answers(0.0)))
def test_hostile_answers_are_refused_and_the_cache_kept(server, trajectory_cache, case):
    now = time.time()
    first = trajectory_around(now - 3 * 3600, created_h=-2)
    server.reply = body(200, first, "text/plain")
    assert update_trajectory(cache=trajectory_cache, url=_url(server), now=now - 3 * 3600).ok
    answer, message = _hostile_answers(now)[case]
    server.reply = body(200, answer, "text/plain")
    result = update_trajectory(cache=trajectory_cache, url=_url(server), now=now)
    assert result.status is UpdateStatus.FAILED and message in result.message, result.message
    assert "\x00" not in result.message and "\n" not in result.message
    assert (trajectory_cache.directory / OEM_FILE).read_bytes() == first
    assert trajectory_cache.record().failures == 1 and len(server.requests) == 2


def test_an_answer_older_than_the_cached_one_is_refused(server, trajectory_cache):
    now = time.time()
    newer = trajectory_around(now - 3 * 3600, created_h=-1)
    server.reply = body(200, newer, "text/plain")
    assert update_trajectory(cache=trajectory_cache, url=_url(server), now=now - 3 * 3600).ok
    server.reply = body(200, trajectory_around(now - 3 * 3600, created_h=-30), "text/plain")
    result = update_trajectory(cache=trajectory_cache, url=_url(server), now=now)
    assert result.status is UpdateStatus.FAILED and "before the cached one" in result.message
    assert (trajectory_cache.directory / OEM_FILE).read_bytes() == newer


def test_redirects_oversized_answers_and_an_unusable_cache(
    server, trajectory_cache, no_user_state_no_network
):
    def redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", "http://elsewhere.example/ISS.txt")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server.reply = redirect
    result = update_trajectory(cache=trajectory_cache, url=_url(server))
    assert "302" in result.message and "redirects are not followed" in result.message
    assert len(server.requests) == 1

    def huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(17 * 1024 * 1024))
        handler.end_headers()

    server.reply = huge
    later = time.time() + 86400 * 2
    result = update_trajectory(cache=trajectory_cache, url=_url(server), now=later)
    assert result.status is UpdateStatus.FAILED and "larger than 16777216 bytes" in result.message
    blocked = no_user_state_no_network / "blocked"
    blocked.write_text("a file where the cache directory should be")
    result = update_trajectory(cache=TrajectoryCache(blocked), url=_url(server))
    assert result.status is UpdateStatus.CACHE_UNUSABLE and len(server.requests) == 2


def test_update_command_fetches_elements_and_trajectory_then_predicts_from_it(no_user_state_no_network):
    now = time.time()
    answer = trajectory_around(now)
    with GPServer() as server:

        def reply(handler):
            if "gp.php" in handler.path:
                body(200, OMM)(handler)
            else:
                body(200, answer, "text/plain")(handler)

        server.reply = reply
        runner = CliRunner()
        result = runner.invoke(cli, ["update", "--elements-url", server.url, "--oem-url", _url(server)])
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].startswith("updated ISS (ZARYA) (25544)")
        assert lines[1].startswith("updated the ISS trajectory: created ")
        assert len(server.requests) == 2
        # Predicting from now on: the cached trajectory covers the next day.
        args = ["--lat", "47.37", "--lon", "8.54", "--days", "1", "--format", "json", "--offline"]
        doc = json.loads(runner.invoke(cli, args).stdout)
        assert doc["satellite"]["source"].startswith("OEM cache (")
        shown = runner.invoke(cli, ["elements"]).stdout
        assert "trajectory created" in shown and "fetched" in shown
        # A trajectory that cannot be had is exit code 6, the elements' success notwithstanding;
        # --oem-url none leaves it out.
        server.reply = lambda handler: body(500 if "gp.php" not in handler.path else 200, OMM)(handler)
        later = runner.invoke(
            cli,
            ["update", "--elements-url", server.url, "--oem-url", _url(server)],
            env={"ISSPASS_OEM_URL": None},
        )
        assert later.exit_code == 0  # both were fetched less than 2 hours ago: nobody is asked
        assert len(server.requests) == 2
        state = no_user_state_no_network / "cache" / OEM_STATE_FILE
        state.write_text(
            json.dumps({"25544": {"last_success": now - 3 * 3600, "last_attempt": now - 3 * 3600}})
        )
        failed = runner.invoke(cli, ["update", "--elements-url", server.url, "--oem-url", _url(server)])
        assert failed.exit_code == 6
        assert failed.stderr.startswith("isspass: could not update the ISS trajectory: ")
        skipped = runner.invoke(cli, ["update", "--elements-url", server.url, "--oem-url", "none"])
        assert skipped.exit_code == 0 and "trajectory" not in skipped.stdout + skipped.stderr
    bad = CliRunner().invoke(cli, ["update", "--oem-url", "ftp://x"])
    assert bad.exit_code == 2 and "OEM URL 'ftp://x': not an http:// or https:// URL" in bad.stderr
