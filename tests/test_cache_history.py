"""The cache keeps every validated set of an object for 60 days: written by updates, bounded, distrusted."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

import isspass
from conftest import DATA
from gp_server import body
from isspass import cache as cache_module
from isspass.update import UpdateStatus, update_elements


@pytest.fixture(scope="module")
def sets_2026():
    return sorted(isspass.read_elements(DATA / "iss-2026-history.tle"), key=lambda e: e.epoch)


def tle_body(elements: isspass.Elements) -> bytes:
    return f"{elements.name}\n{elements.line1}\n{elements.line2}\n".encode()


def history_name(elements: isspass.Elements) -> str:
    return f"history-{elements.norad_id}-{elements.epoch:%Y%m%dT%H%M%S}.tle"


def _history_files(cache) -> list[str]:
    return sorted(p.name for p in cache.directory.iterdir() if p.name.startswith("history-"))


def test_each_update_keeps_its_set(server, cache, sets_2026):
    for elements in sets_2026[-3:]:
        server.reply = body(200, tle_body(elements), "text/plain")
        now = (elements.epoch + timedelta(hours=3)).timestamp()
        result = update_elements(25544, cache=cache, base_url=server.url, now=now)
        assert result.status is UpdateStatus.UPDATED, result.message
    assert len(server.requests) == 3
    assert _history_files(cache) == [history_name(e) for e in sets_2026[-3:]]
    assert _history_files(cache)[0] == "history-25544-20260914T202804.tle"
    assert (cache.directory / "25544.tle").read_bytes() == tle_body(sets_2026[-1])
    kept = cache.load_history(25544)
    assert sorted({e.epoch for e in kept}) == [e.epoch for e in sets_2026[-3:]]
    assert all(e.source.startswith("cache (") for e in kept) and cache.problems() == []
    # The newest file is listed first, so its name is the one a prediction shows.
    assert kept[0].source.endswith("25544.tle)")


def test_the_history_forgets_sets_60_days_older_than_the_newest(cache, sets_2026):
    old, recent = sets_2026[0], sets_2026[-1]  # 2026-07-10 and 2026-09-24: 75 days apart
    cache.store(25544, tle_body(old), "tle", old.epoch)
    cache.store(25544, tle_body(sets_2026[5]), "tle", sets_2026[5].epoch)
    assert len(_history_files(cache)) == 2
    cache.store(25544, tle_body(recent), "tle", recent.epoch)
    assert _history_files(cache) == [history_name(sets_2026[5]), history_name(recent)]


def test_the_history_is_bounded_in_count(cache, sets_2026, monkeypatch):
    monkeypatch.setattr(cache_module, "MAX_HISTORY_SETS", 4)
    for elements in sets_2026[4:]:
        cache.store(25544, tle_body(elements), "tle", elements.epoch)
    assert len(_history_files(cache)) == 4
    assert {e.epoch for e in cache.load_history(25544)} == {e.epoch for e in sets_2026[-4:]}


def test_damaged_or_strange_history_files_are_ignored_and_named(cache, sets_2026):
    for elements in sets_2026[-3:]:
        cache.store(25544, tle_body(elements), "tle", elements.epoch)
    names = _history_files(cache)
    (cache.directory / names[0]).write_bytes(b"1 25544U garbage\n")
    (cache.directory / names[1]).unlink()
    (cache.directory / names[1]).mkdir()
    huge = cache.directory / "history-25544-20260901T000000.json"
    huge.write_bytes(b" " * (cache_module.MAX_HISTORY_FILE_BYTES + 1))
    os.mkfifo(cache.directory / "history-25544-20260902T000000.tle")
    for stray in ("history-abc-20260901T000000.tle", "history-25544-yesterday.tle", "history-25544.tle"):
        (cache.directory / stray).write_bytes(b"not read")
    kept = cache.load_history(25544)
    assert {e.epoch for e in kept} == {sets_2026[-1].epoch}
    problems = "\n".join(cache.problems())
    assert names[0] in problems and names[1] in problems and "not a regular file" in problems
    assert huge.name in problems and f"larger than {cache_module.MAX_HISTORY_FILE_BYTES} bytes" in problems
    assert "history-25544-20260902T000000.tle" in problems  # a FIFO is not waited on
    assert "stray" not in problems and "yesterday" not in problems and "abc" not in problems


def test_a_history_file_of_another_object_gives_nothing(cache, sets_2026):
    elements = sets_2026[-1]
    (cache.directory).mkdir(parents=True, exist_ok=True)
    (cache.directory / "history-20580-20260924T032421.tle").write_bytes(tle_body(elements))
    assert cache.load_history(20580) == [] and cache.load_histories() == []


def test_an_answer_too_large_for_the_history_still_updates(server, cache, sets_2026):
    padded = tle_body(sets_2026[-1]) + b"\n" * (cache_module.MAX_HISTORY_FILE_BYTES + 1)
    server.reply = body(200, padded, "text/plain")
    result = update_elements(25544, cache=cache, base_url=server.url)
    assert result.status is UpdateStatus.UPDATED, result.message
    assert _history_files(cache) == [] and cache.load_history(25544)[0].epoch == sets_2026[-1].epoch
