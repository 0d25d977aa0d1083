"""Fresh elements against a real HTTP server on 127.0.0.1: politeness, safety, the cache."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, HA_TLE
from gp_server import GPServer, body, cut_short, endless, silent, trickle
from isspass.cache import ElementCache
from isspass.cli import cli
from isspass.update import MIN_INTERVAL_S, UpdateStatus, backoff_s, update_elements

OMM = (DATA / "iss-omm.json").read_bytes()
BUNDLED_TLE = "\n".join(
    [
        "ISS (ZARYA)",
        "1 25544U 98067A   26267.14191496  .00009634  00000+0  18116-3 0  9999",
        "2 25544  51.6318 170.3464 0004691 174.6338 185.4701 15.49258637587098",
    ]
).encode()
FORBIDDEN = (
    b"GP data has not updated since your last successful\r\ndownload of CATNR=25544 at "
    b"2026-11-25 08:11:36 UTC.\r\nData is updated once every 2 hours."
)




def _update(server: GPServer, cache: ElementCache, now: float | None = None, **kw):
    return update_elements(25544, cache=cache, base_url=server.url, now=now, **kw)


def _snapshot(cache: ElementCache) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in cache.directory.iterdir() if p.name != ".lock"}


def test_success_with_omm_json(server, cache):
    server.reply = body(200, OMM)
    result = _update(server, cache)
    assert result.status is UpdateStatus.UPDATED, result.message
    assert server.requests == ["/NORAD/elements/gp.php?CATNR=25544&FORMAT=JSON"]
    (cached,) = cache.load(25544)
    assert cached.source.startswith("cache (") and cached.epoch.year == 2026
    assert (cache.directory / "25544.json").read_bytes() == OMM
    assert cache.record(25544).last_success is not None


def test_success_with_a_tle_body(server, cache):
    server.reply = body(200, BUNDLED_TLE, "text/plain")
    assert _update(server, cache).status is UpdateStatus.UPDATED
    assert (cache.directory / "25544.tle").read_bytes() == BUNDLED_TLE
    assert cache.load(25544)[0].line1.startswith("1 25544U")


def test_second_update_within_two_hours_sends_nothing(server, cache):
    server.reply = body(200, OMM)
    start = time.time()
    assert _update(server, cache, now=start).status is UpdateStatus.UPDATED
    again = _update(server, cache, now=start + MIN_INTERVAL_S - 60)
    assert again.status is UpdateStatus.RECENT and "less than 2 hours ago" in again.message
    assert len(server.requests) == 1
    later = _update(server, cache, now=start + MIN_INTERVAL_S + 60)
    assert len(server.requests) == 2
    # The same set again: a success that changes nothing.
    assert later.status is UpdateStatus.RECENT and "unchanged" in later.message, later.message


def _failure_keeps_cache(server, cache, reply, fragment, **kw):
    server.reply = body(200, OMM)
    t0 = time.time() - 3 * MIN_INTERVAL_S
    assert _update(server, cache, now=t0).status is UpdateStatus.UPDATED
    before = _snapshot(cache)
    loaded_before = cache.load(25544)
    server.reply = reply
    count = len(server.requests)
    result = _update(server, cache, **kw)
    assert result.status is UpdateStatus.FAILED
    assert fragment in result.message, result.message
    assert len(server.requests) == count + 1  # exactly one request: no retry loop
    after = _snapshot(cache)
    assert after["25544.json"] == before["25544.json"]  # the elements are untouched
    assert cache.load(25544) == loaded_before
    record = cache.record(25544)
    assert record.failures == 1 and fragment in record.last_error
    # Backing off: the next run sends nothing.
    retry = _update(server, cache)
    assert retry.status is UpdateStatus.BACKING_OFF and len(server.requests) == count + 1
    assert not list(cache.directory.glob("*.tmp"))
    return result


def test_403_not_updated(server, cache):
    _failure_keeps_cache(
        server, cache, body(403, FORBIDDEN, "text/plain"), "HTTP 403 Forbidden: GP data has not updated"
    )


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (500, "Internal Server Error")])
def test_http_errors(server, cache, status, reason):
    _failure_keeps_cache(server, cache, body(status, b"oops", "text/plain"), f"HTTP {status} {reason}")


def test_no_gp_data_found(server, cache):
    _failure_keeps_cache(server, cache, body(200, b"No GP data found", "text/plain"), "No GP data found")


def test_html_instead_of_elements(server, cache):
    html = b"<!DOCTYPE html><html><body>Maintenance</body></html>"
    _failure_keeps_cache(server, cache, body(200, html, "text/html"), "not a TLE line")


def test_truncated_json_body(server, cache):
    _failure_keeps_cache(server, cache, body(200, OMM[:120]), "not valid JSON")


def test_transfer_cut_short(server, cache):
    _failure_keeps_cache(
        server, cache, cut_short(OMM[:120], len(OMM)), f"cut short (120 of {len(OMM)} bytes)"
    )


def test_bad_checksum(server, cache):
    bad = BUNDLED_TLE.replace(b"0  9999", b"0  9990")
    _failure_keeps_cache(server, cache, body(200, bad, "text/plain"), "checksum")


def test_elements_for_another_object(server, cache):
    from sgp4.io import compute_checksum as tle_checksum

    lines = [line.replace("25544", "25545")[:68] for line in HA_TLE.splitlines()]
    other = "".join(f"{line}{tle_checksum(line)}\n" for line in lines).encode()
    _failure_keeps_cache(
        server, cache, body(200, other, "text/plain"), "the answer holds no elements for 25544"
    )


def test_server_that_never_answers(server, cache):
    started = time.monotonic()
    _failure_keeps_cache(server, cache, silent(server.release), "no answer from 127.0.0.1", timeout_s=0.5)
    assert time.monotonic() - started < 10


def test_endless_body_hits_the_size_cap(server, cache):
    _failure_keeps_cache(server, cache, endless(server.release), "larger than 1048576 bytes")


def test_connection_refused_is_a_failure(cache):
    result = update_elements(25544, cache=cache, base_url="http://127.0.0.1:9/gp.php")
    assert result.status is UpdateStatus.FAILED and "cannot reach 127.0.0.1:9" in result.message


def test_backoff_doubles_to_a_day():
    assert [backoff_s(n) / 3600 for n in (1, 2, 3, 4, 5, 9)] == [2, 4, 8, 16, 24, 24]


def test_backoff_expires(server, cache):
    server.reply = body(500, b"down")
    t0 = time.time()
    assert _update(server, cache, now=t0).status is UpdateStatus.FAILED
    assert _update(server, cache, now=t0 + backoff_s(1) - 1).status is UpdateStatus.BACKING_OFF
    server.reply = body(200, OMM)
    assert _update(server, cache, now=t0 + backoff_s(1) + 1).status is UpdateStatus.UPDATED
    assert cache.record(25544).failures == 0
    assert len(server.requests) == 2


# --------------------------------------------------------------------------- processes


def _isspass(*args: str, **kw) -> subprocess.Popen:
    script = Path(sys.executable).parent / "isspass"
    return subprocess.Popen(
        [str(script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw
    )


def test_eight_concurrent_updates_send_one_request(server, monkeypatch):
    server.reply = body(200, OMM)
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    processes = [_isspass("update") for _ in range(8)]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0] * 8, outputs
    assert len(server.requests) == 1
    messages = [out for out, _ in outputs]
    assert sum("updated ISS (ZARYA)" in m for m in messages) == 1
    assert sum("less than 2 hours ago" in m for m in messages) == 7
    cache = ElementCache()
    assert cache.load(25544) and cache.record(25544).last_success is not None


def test_process_killed_mid_download_leaves_the_cache(server, monkeypatch):
    server.reply = body(200, OMM)
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    cache = ElementCache()
    assert _isspass("update").wait(60) == 0
    before = _snapshot(cache)
    # Make the state look old enough to fetch again, then kill the process mid-transfer.
    state = json.loads((cache.directory / "state.json").read_text())
    state["25544"]["last_success"] -= 3 * MIN_INTERVAL_S
    (cache.directory / "state.json").write_text(json.dumps(state))
    before = _snapshot(cache)
    server.reply = trickle(OMM, 20.0, server.release)
    process = _isspass("update")
    deadline = time.monotonic() + 20
    while len(server.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert _snapshot(cache) == before
    assert cache.load(25544)[0].norad_id == 25544


def test_interrupted_write_keeps_the_old_cache(server, cache, monkeypatch):
    """A crash inside the atomic write (after the temp file, before the rename)."""
    server.reply = body(200, OMM)
    t0 = time.time() - 3 * MIN_INTERVAL_S
    assert _update(server, cache, now=t0).status is UpdateStatus.UPDATED
    before = _snapshot(cache)
    server.reply = body(200, BUNDLED_TLE, "text/plain")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        _update(server, cache)
    monkeypatch.undo()
    assert _snapshot(cache) == before
    assert not list(cache.directory.glob(".*.tmp"))
    assert cache.load(25544)[0].source.endswith("25544.json)")


# --------------------------------------------------------------------------- the CLI


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_update_command(server, monkeypatch):
    server.reply = body(200, OMM)
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    result = run("update")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.strip() == "updated ISS (ZARYA) (25544): epoch 2026-09-24 03:24:21 UTC"
    again = run("update")
    assert again.exit_code == 0 and "not asking again" in again.stdout
    assert len(server.requests) == 1


def test_update_command_stops_at_the_first_failure(server, monkeypatch):
    server.reply = body(403, FORBIDDEN, "text/plain")
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    result = run("update", "--satellite", "20580", "--satellite", "27386")
    assert result.exit_code == 6 and result.stdout == ""
    host = server.url.split("/")[2]
    assert result.stderr.strip().splitlines() == [
        f"isspass: could not update elements for 25544: {host} answered HTTP 403 Forbidden: GP data has not "
        "updated since your last successful download of CATNR=25544 at 2026-11-25 08:11:36 UTC. "
        "Data is updated once every 2 hours.",
        "isspass: not asking for 20580, 27386 after that",
    ]
    assert [r.split("CATNR=")[1][:5] for r in server.requests] == ["25544"]


def test_update_command_several_satellites(server, monkeypatch):
    server.reply = body(200, b"No GP data found", "text/plain")
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    ElementCache().save_record(25544, ElementCache().record(25544).with_success(time.time()))
    result = run("update", "--satellite", "99999")
    assert result.exit_code == 6
    assert "not asking again" in result.stdout  # the ISS: fetched recently
    assert "No GP data found" in result.stderr
    assert [r.split("CATNR=")[1][:5] for r in server.requests] == ["99999"]


def test_update_offline_refuses():
    result = run("--offline", "update")
    assert result.exit_code == 6 and "network use is disabled" in result.stderr


def test_main_command_refreshes_and_uses_the_cache(server, monkeypatch):
    server.reply = body(200, OMM)
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    result = run("--lat", "47.37", "--lon", "8.54", "--days", "1", "--allow-stale", "--format", "json")
    assert result.exit_code == 0
    assert len(server.requests) == 1
    assert json.loads(result.stdout)["satellite"]["source"].startswith("cache (")
    run("--lat", "47.37", "--lon", "8.54", "--days", "1", "--allow-stale")
    assert len(server.requests) == 1  # refreshed less than 24 h ago: no request


def test_main_command_refresh_failure_warns_and_goes_on(server, monkeypatch):
    server.reply = body(500, b"down")
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    result = run("--lat", "47.37", "--lon", "8.54", "--days", "1", "--allow-stale", "--format", "json")
    assert result.exit_code == 0
    assert "warning: could not update elements for 25544: 127.0.0.1" in result.stderr
    assert json.loads(result.stdout)["satellite"]["source"] == "bundled"
    run("--lat", "47.37", "--lon", "8.54", "--days", "1", "--allow-stale")
    assert len(server.requests) == 1  # backing off


def test_offline_and_past_windows_never_touch_the_network(server, monkeypatch):
    server.reply = body(200, OMM)
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    assert run("--lat", "47.37", "--lon", "8.54", "--days", "1", "--allow-stale", "--offline").exit_code == 0
    assert run("--lat", "47.37", "--lon", "8.54", "--start", "2026-09-24").exit_code == 0
    monkeypatch.setenv("ISSPASS_OFFLINE", "1")
    assert run("--lat", "47.37", "--lon", "8.54", "--days", "1", "--allow-stale").exit_code == 0
    assert server.requests == []


def test_nearest_epoch_wins_and_tle_file_beats_all(server, monkeypatch, tmp_path):
    # A cached set from January 2022 (HA's) and the bundled set from September 2026.
    cache = ElementCache()
    cache.store(25544, HA_TLE.encode(), "tle")
    args = ["--lat", "47.37", "--lon", "8.54", "--days", "1", "--format", "json", "--offline"]
    old = json.loads(run(*args, "--start", "2022-01-22").stdout)["satellite"]
    new = json.loads(run(*args, "--start", "2026-09-24").stdout)["satellite"]
    assert old["source"].startswith("cache (") and old["epoch"].startswith("2022-01-21")
    assert new["source"] == "bundled"
    path = tmp_path / "mine.tle"
    path.write_text(HA_TLE)
    mine = json.loads(run(*args, "--start", "2022-06-01", "--tle", str(path), "--allow-stale").stdout)
    assert mine["satellite"]["source"] == str(path)
    # Four years from the window is nonsense, allowed or not.
    absurd = run(*args, "--start", "2026-09-24", "--tle", str(path), "--allow-stale")
    assert absurd.exit_code == 5 and "even with stale elements allowed" in absurd.stderr


def test_elements_command(server, monkeypatch):
    server.reply = body(200, OMM)
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    run("update", "--satellite", "20580")
    listing = run("elements").stdout.splitlines()
    assert listing[0] == f"cache: {ElementCache().directory}"
    assert any("bundled" in line and "25544" in line for line in listing)
    assert any("cache (" in line and "fetched" in line for line in listing)
    assert any("20580  last fetch failed" in line for line in listing)


def test_unknown_satellite_hints_at_update():
    result = run("--lat", "47", "--lon", "8", "--satellite", "20580", "--offline")
    assert result.exit_code == 3
    assert "no elements for satellite '20580' (try: isspass update --satellite 20580)" in result.stderr
