"""CelesTrak groups against a real HTTP server on 127.0.0.1: one request each, politeness, hostile answers."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

import isspass
from conftest import DATA
from gp_answers import group_answer
from gp_server import body
from isspass import groups as groups_module
from isspass.cli import cli
from isspass.groups import GroupCache, group_url, update_group
from isspass.update import MIN_INTERVAL_S, UpdateStatus

VISUAL = sorted(isspass.read_elements(DATA / "visual-2026-02-22.tle"), key=lambda e: e.norad_id)
#: 2026-02-22 12:00 UTC: half a day after the newest epoch of the real visual group.
NOW = datetime(2026, 2, 22, 12, tzinfo=timezone.utc).timestamp()
#: The space stations of that day: the ISS, Tiangong and its newest module (a slice of the real group).
STATIONS = [e for e in VISUAL if e.norad_id in (25544, 48274, 66515)]


def _update(server, cache, name="visual", now=NOW, **kw):
    return update_group(name, cache=cache, base_url=server.url, now=now, **kw)


def test_a_real_group_answer_is_fetched_validated_and_cached(server, cache):
    server.reply = body(200, group_answer(VISUAL))
    result = _update(server, cache)
    assert result.status is UpdateStatus.UPDATED, result.message
    assert server.requests == ["/NORAD/elements/gp.php?GROUP=visual&FORMAT=JSON"]
    assert "149 objects" in result.message
    members = GroupCache(cache).load("visual")
    assert sorted(e.norad_id for e in members) == [e.norad_id for e in VISUAL]
    assert all(e.source == f"cache ({cache.directory / 'group-visual.json'})" for e in members)
    # The OMM members propagate exactly as the TLEs they were written from.
    by_id = {e.norad_id: e for e in members}
    for e in VISUAL[::10]:
        jd, fr = e.satrec.jdsatepoch, e.satrec.jdsatepochF + 0.5
        assert by_id[e.norad_id].satrec.sgp4(jd, fr)[1] == pytest.approx(e.satrec.sgp4(jd, fr)[1], abs=1e-5)
    assert GroupCache(cache).record("visual", NOW).last_success == NOW


def test_one_request_per_group_and_none_within_two_hours(server, cache):
    server.reply = body(200, group_answer(VISUAL))
    assert _update(server, cache).ok
    again = _update(server, cache, now=NOW + MIN_INTERVAL_S - 60)
    assert again.status is UpdateStatus.RECENT and "less than 2 hours ago" in again.message
    assert len(again.members) == 149  # the cache serves
    assert len(server.requests) == 1
    # Another group is another object: it may be asked for.
    server.reply = body(200, group_answer(STATIONS))
    assert _update(server, cache, "stations", now=NOW + 60).ok
    assert server.requests[-1].endswith("GROUP=stations&FORMAT=JSON") and len(server.requests) == 2


def _cached_then(server, cache, reply) -> tuple[dict[str, bytes], object]:
    server.reply = body(200, group_answer(VISUAL))
    assert _update(server, cache, now=NOW - 3 * MIN_INTERVAL_S).ok
    before = (cache.directory / "group-visual.json").read_bytes()
    server.reply = reply
    result = _update(server, cache)
    assert (cache.directory / "group-visual.json").read_bytes() == before  # the cache as it was
    return before, result


def _record(records: list[dict], norad_id: int, **changes) -> bytes:
    for r in records:
        if r["NORAD_CAT_ID"] == norad_id:
            r.update(changes)
    return json.dumps(records).encode()


def _two_days_older() -> bytes:
    """The same group as it was two days before (a stale mirror, or a replayed answer)."""
    records = json.loads(group_answer(VISUAL))
    for r in records:
        epoch = datetime.fromisoformat(r["EPOCH"]).timestamp() - 2 * 86400
        r["EPOCH"] = datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return json.dumps(records).encode()


@pytest.mark.parametrize(
    ("reply", "fragment"),
    [
        (body(403, b"GP data has not updated since your last successful download", "text/plain"), "403"),
        (body(200, b"No GP data found", "text/plain"), "No GP data found"),
        (body(200, b"Invalid query: GROUP=visual", "text/plain"), "the answer"),
        (body(200, b"[]"), "no element sets"),
        # One damaged record among 149 refuses the whole answer.
        (body(200, _record(json.loads(group_answer(VISUAL)), 20580, MEAN_MOTION="fast")), "MEAN_MOTION"),
        (body(200, _record(json.loads(group_answer(VISUAL)), 25544, ECCENTRICITY=1.5)), "ECCENTRICITY"),
        (body(200, _record(json.loads(group_answer(VISUAL)), 48274, EPOCH="2026-03-30T00:00:00")), "future"),
        (body(200, _two_days_older()), "older than the cached"),
    ],
)
def test_hostile_or_failed_answers_change_nothing_and_back_off(server, cache, reply, fragment):
    _, result = _cached_then(server, cache, reply)
    assert result.status is UpdateStatus.FAILED and fragment in result.message, result.message
    asked = len(server.requests)
    # Backing off: not even an explicit update asks again within 2 hours of a failure it saw.
    later = _update(server, cache, now=NOW + 600, explicit=True)
    assert later.status is UpdateStatus.BACKING_OFF and len(server.requests) == asked
    assert len(GroupCache(cache).load("visual")) == 149


def test_a_redirect_is_not_followed_and_a_large_answer_is_refused(server, cache, monkeypatch):
    def redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", "http://example.org/visual.json")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    _, result = _cached_then(server, cache, redirect)
    assert "redirects are not followed" in result.message and len(server.requests) == 2
    monkeypatch.setattr(groups_module, "MAX_GROUP_BYTES", 10_000)
    stations = GroupCache(cache)
    server.reply = body(200, group_answer(VISUAL))
    big = _update(server, cache, "stations", now=NOW + 3 * MIN_INTERVAL_S)
    assert big.status is UpdateStatus.FAILED and "larger than 10000 bytes" in big.message
    assert stations.path("stations") is None


def test_group_names_are_checked_before_anything_is_sent(server, cache):
    for bad in ("../state", "a b", "visual&CATNR=1", "", "x" * 41):
        with pytest.raises(ValueError, match="group name"):
            _update(server, cache, bad)
    assert server.requests == []
    assert group_url("https://celestrak.org/NORAD/elements/gp.php", "Visual") == (
        "https://celestrak.org/NORAD/elements/gp.php?GROUP=visual&FORMAT=JSON"
    )


def test_a_damaged_group_file_or_history_is_reported_and_ignored(cache):
    cache.directory.mkdir(parents=True)
    (cache.directory / "group-visual.json").write_text('[{"OBJECT_NAME": "X"')
    (cache.directory / "groups.json").write_text('{"visual": {"last_success": "yesterday"}, "../x": {}}')
    groups = GroupCache(cache)
    assert groups.load("visual") == [] and groups.records() == {}
    problems = " | ".join(cache.problems())
    assert "group-visual.json" in problems and "last_success" in problems and "not a group name" in problems


# --------------------------------------------------------------------------- the command line


def _cli(*args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env={"ISSPASS_NOW": "2026-02-22T12:00:00Z", **env})


def test_update_group_fetches_once_and_the_group_brings_the_iss(server, no_user_state_no_network):
    server.reply = body(200, group_answer(STATIONS))
    result = _cli("update", "--group", "stations", "--group", "stations", "--elements-url", server.url)
    assert result.exit_code == 0, result.stderr
    assert server.requests == ["/NORAD/elements/gp.php?GROUP=stations&FORMAT=JSON"]  # no CATNR=25544
    assert "updated the group stations: 3 objects" in result.stdout
    assert "elements for 25544 came with a group" in result.stdout
    # The group's ISS serves the ISS: chosen for a window near its epoch, and no refresh is due.
    args = ["--lat", "47.37", "--lon", "8.54", "--days", "1", "--format", "json"]
    args += ["--elements-url", server.url]
    doc = json.loads(_cli(*args).stdout)
    assert doc["satellite"]["norad_id"] == 25544 and "group-stations.json" in doc["satellite"]["source"]
    assert len(server.requests) == 1
    listing = _cli("elements")
    assert "group stations: 3 objects, epochs 2026-02-21 18:22 to 2026-02-22 03:53 UTC" in listing.stdout


def test_update_stops_after_a_failed_group(server):
    server.reply = body(500, b"down", "text/plain")
    result = _cli("update", "--group", "visual", "--satellite", "20580", "--elements-url", server.url)
    assert result.exit_code == 6
    assert "could not update the group visual: 127.0.0.1" in result.stderr and "HTTP 500" in result.stderr
    assert "not asking for 25544, 20580 after that" in result.stderr
    assert len(server.requests) == 1


@pytest.fixture
def cached_visual(cache):
    """The real visual group of 2026-02-22 in the test's cache, as an update would leave it."""
    cache.directory.mkdir(parents=True, exist_ok=True)
    (cache.directory / "group-visual.json").write_bytes(group_answer(VISUAL))
    return cache


def test_main_command_over_a_cached_group_leaves_out_a_decayed_object(cached_visual):
    # 13 days after the epochs: CZ-2C R/B (43521) re-enters on 2026-03-07, COSMOS 1812 lives on.
    result = _cli("--lat", "47.37", "--lon", "8.54", "--group", "visual", "--start", "2026-03-06",
                  "--days", "2", "--offline", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    warnings = result.stderr.splitlines()
    assert any("CZ-2C R/B (43521) is left out" in w and "decayed" in w for w in warnings), warnings
    assert any("elements of 149 satellites are" in w and "days from the start" in w for w in warnings)
    doc = json.loads(result.stdout)
    assert len(doc["satellites"]) == 149 and doc["satellite"] == doc["satellites"][0]
    ids = {p["satellite"]["norad_id"] for p in doc["passes"]}
    assert 43521 not in ids and len(ids) > 30


def test_an_object_without_a_standard_magnitude(cached_visual):
    args = ["--lat", "1.35", "--lon", "103.82", "--group", "visual", "--start", "2026-02-22", "--days", "2",
            "--offline", "--format", "json"]  # fmt: skip
    everything = json.loads(_cli(*args).stdout)
    xrism = [p for p in everything["passes"] if p["satellite"]["norad_id"] == 57800]  # not in the table
    assert xrism and all(p["magnitude"] is None for p in xrism)
    listed = {s["norad_id"]: s["standard_magnitude"] for s in everything["satellites"]}
    assert listed[57800] is None and listed[25544] == -1.8
    bright = json.loads(_cli(*args, "--brighter-than", "9").stdout)
    assert not any(p["satellite"]["norad_id"] == 57800 for p in bright["passes"])  # no magnitude: left out
    given = json.loads(_cli(*args, "--brighter-than", "9", "--std-mag", "4").stdout)
    xrism_given = [p for p in given["passes"] if p["satellite"]["norad_id"] == 57800]
    assert xrism_given and all(p["magnitude"] is not None for p in xrism_given)
    iss = [s for s in given["satellites"] if s["norad_id"] == 25544]
    assert iss[0]["standard_magnitude"] == -1.8  # --std-mag gives a magnitude only to those without


def test_an_uncached_group_is_one_line_that_says_how_to_fetch_it():
    result = _cli("--lat", "47.37", "--lon", "8.54", "--group", "stations", "--offline")
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        "isspass: no elements for the group stations (try: isspass update --group stations)"
    )


def test_refresh_waits_for_the_group_history(server, cache):
    """The automatic refresh asks for a group once, then not again within the refresh period."""
    server.reply = body(200, group_answer(VISUAL))
    args = ["--lat", "47.37", "--lon", "8.54", "--group", "visual", "--days", "0.5", "--quiet-if-none",
            "--elements-url", server.url]  # fmt: skip
    first = _cli(*args)
    assert first.exit_code == 0, first.stderr
    assert server.requests == ["/NORAD/elements/gp.php?GROUP=visual&FORMAT=JSON"]
    assert _cli(*args, ISSPASS_NOW="2026-02-22T20:00:00Z").exit_code == 0
    assert len(server.requests) == 1
