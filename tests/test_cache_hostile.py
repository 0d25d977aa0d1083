"""Left alone with cron: hostile answers, damaged cache files, unusable cache directories.

Every case drives ``update_elements`` against a real server on 127.0.0.1 and checks what
the server saw, the result, the element file's bytes and the fetch history afterwards.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from gp_server import GPServer, body
from isspass.cache import (
    CLOCK_SKEW_S,
    MAX_ERROR_CHARS,
    MAX_FAILURES,
    MAX_FILE_BYTES,
    ElementCache,
    FetchRecord,
    parse_state,
    safe_text,
)
from isspass.cli import cli
from isspass.update import MAX_BACKOFF_S, MIN_INTERVAL_S, UpdateStatus, backoff_s, update_elements

OMM_RECORD = json.loads((DATA / "iss-omm.json").read_text())[0]
HOUR = 3600.0
DAY = 86400.0


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def omm(**fields: object) -> bytes:
    return json.dumps([{**OMM_RECORD, **fields}]).encode()


def omm_at(epoch: datetime) -> bytes:
    return omm(EPOCH=epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"))




@pytest.fixture
def now(cache) -> float:
    """ISS elements 0.5 day old in the cache, fetched 3 hours ago: this run may ask again."""
    clock = time.time()
    cache.store(25544, omm_at(utc(clock - 0.5 * DAY)), "json")
    cache.save_record(25544, FetchRecord().with_success(clock - 3 * HOUR))
    return clock


def _update(server: GPServer, cache: ElementCache, now: float | None = None):
    return update_elements(25544, cache=cache, base_url=server.url, now=now, timeout_s=2.0)


def _snapshot(cache: ElementCache) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in cache.directory.iterdir() if p.is_file() and p.name != ".lock"}


def _state(cache: ElementCache) -> dict:
    return json.loads((cache.directory / "state.json").read_text())


def _six_runs(server: GPServer, cache: ElementCache, now: float):
    """Six cron runs ten minutes apart: the first asks and fails, the rest back off."""
    results = [_update(server, cache, now + k * 600) for k in range(6)]
    statuses = [r.status for r in results]
    assert statuses == [UpdateStatus.FAILED] + [UpdateStatus.BACKING_OFF] * 5, results[0].message
    assert len(server.requests) == 1
    return results[0]


def _refused(server, cache, now, reply, fragment: str) -> None:
    before = _snapshot(cache)
    server.reply = reply
    first = _six_runs(server, cache, now)
    assert first.message.startswith("could not update elements for 25544: ")
    assert fragment in first.message, first.message
    assert _snapshot(cache)["25544.json"] == before["25544.json"]
    entry = _state(cache)["25544"]
    assert entry["failures"] == 1 and entry["last_attempt"] == now
    assert entry["last_success"] == pytest.approx(now - 3 * HOUR)
    assert fragment in entry["last_error"] and entry["last_error"] == safe_text(entry["last_error"])
    assert not list(cache.directory.glob(".*.tmp"))
    assert cache.problems() == []


# --------------------------------------------------------------------------- 1. nothing worse


@pytest.mark.parametrize(
    ("epoch", "fragment"),
    [
        (
            lambda now: datetime(2099, 1, 1, tzinfo=timezone.utc),
            "epoch 2099-01-01 is outside 1957..2056: not a real element set",
        ),
        (
            lambda now: datetime(2050, 1, 1, tzinfo=timezone.utc),
            "epoch 2050-01-01 00:00:00 UTC is in the future",
        ),
        (lambda now: utc(now + CLOCK_SKEW_S + HOUR), "is in the future"),
        (lambda now: utc(now - 2 * DAY), "is older than the cached"),
    ],
    ids=["2099", "2050", "just-beyond-the-skew", "older"],
)
def test_a_worse_answer_is_refused(server, cache, now, epoch: Callable, fragment):
    _refused(server, cache, now, body(200, omm_at(epoch(now))), fragment)


def test_an_answer_mixing_other_objects_is_refused(server, cache, now):
    other = {**OMM_RECORD, "NORAD_CAT_ID": 25545, "EPOCH": utc(now - 0.1 * DAY).isoformat()[:26]}
    mixed = json.dumps([json.loads(omm_at(utc(now - 0.1 * DAY)))[0], other]).encode()
    _refused(server, cache, now, body(200, mixed), "also holds elements for 25545")


def test_the_same_epoch_is_a_quiet_success(server, cache, now):
    before = _snapshot(cache)["25544.json"]
    server.reply = body(200, omm_at(utc(now - 0.5 * DAY)))
    result = _update(server, cache, now)
    assert result.status is UpdateStatus.RECENT and "unchanged" in result.message
    assert result.ok and len(server.requests) == 1
    assert _snapshot(cache)["25544.json"] == before
    assert _state(cache)["25544"] == {
        "last_success": now,
        "last_attempt": now,
        "failures": 0,
        "last_error": None,
    }
    assert _update(server, cache, now + 600).status is UpdateStatus.RECENT
    assert len(server.requests) == 1


@pytest.mark.parametrize("age_days", [0.1, -0.5], ids=["newer", "ahead-within-the-skew"])
def test_a_newer_answer_replaces_the_cache(server, cache, now, age_days):
    fresh = omm_at(utc(now - age_days * DAY))
    server.reply = body(200, fresh)
    result = _update(server, cache, now)
    assert result.status is UpdateStatus.UPDATED, result.message
    assert (cache.directory / "25544.json").read_bytes() == fresh
    assert result.elements is not None and result.elements.source.startswith("cache (")


def test_elements_cached_from_the_future_do_not_wedge_updates(server, cache):
    clock = time.time()
    cache.store(25544, omm_at(datetime(2050, 1, 1, tzinfo=timezone.utc)), "json")
    cache.save_record(25544, FetchRecord().with_success(clock - 3 * HOUR))
    server.reply = body(200, omm_at(utc(clock - 0.2 * DAY)))
    result = _update(server, cache, clock)
    assert result.status is UpdateStatus.UPDATED, result.message
    assert cache.load(25544)[0].epoch.year == utc(clock).year
    assert any("epoch in the future" in p for p in cache.problems())


# --------------------------------------------------------------------------- 2. answers that crashed


def _omm_text(replace_from: str, replace_to: str) -> bytes:
    text = json.dumps([OMM_RECORD])
    assert replace_from in text
    return text.replace(replace_from, replace_to).encode()


HOSTILE_ANSWERS = {
    # What the element parser itself raised, besides ElementsError, before update.py caught it:
    "element-set-no-abc": (omm(ELEMENT_SET_NO="abc"), "abc"),  # ValueError
    "nested-100000": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),  # RecursionError
    "norad-1e300": (omm(NORAD_CAT_ID=1e300), "the answer"),  # OverflowError
    "norad-400-digits": (_omm_text('"NORAD_CAT_ID": 25544', '"NORAD_CAT_ID": ' + "9" * 400), "the answer"),
    "element-set-no-5000-digits": (
        _omm_text('"ELEMENT_SET_NO": 999', '"ELEMENT_SET_NO": ' + "9" * 5000),
        "digits",
    ),
    "ephemeris-type-list": (omm(EPHEMERIS_TYPE=[1]), "EPHEMERIS_TYPE [1] is not a number"),
    # Values of the wrong type are refused by the parser itself:
    "mean-motion-true": (omm(MEAN_MOTION=True), "MEAN_MOTION True is not a number"),
    "object-name-object": (omm(OBJECT_NAME={"a": 1}), "OBJECT_NAME {'a': 1} is not a short line of text"),
    "object-name-escape": (
        omm(OBJECT_NAME="ISS\x1b]0;pwned\x07"),
        r"OBJECT_NAME 'ISS\x1b]0;pwned\x07' is not a short",
    ),
    # What was refused already, and must stay refused and recorded:
    "mean-motion-1e400": (_omm_text('"MEAN_MOTION": 15.49258637', '"MEAN_MOTION": 1e400'), "not finite"),
    "mean-motion-nan": (_omm_text('"MEAN_MOTION": 15.49258637', '"MEAN_MOTION": NaN'), "not finite"),
    "non-utf-8": (omm(OBJECT_NAME="ISS").replace(b"ISS", b"\xff\xfeISS"), "binary data"),
    "huge-body": (b"[" + b" " * (2 * MAX_FILE_BYTES) + b"]", "larger than"),
    "only-whitespace-json": (b"[" + b" " * 1000 + b"]", "no element sets"),
}


@pytest.mark.parametrize(("answer", "fragment"), HOSTILE_ANSWERS.values(), ids=HOSTILE_ANSWERS.keys())
def test_a_hostile_answer_is_a_recorded_failure(server, cache, now, answer, fragment):
    _refused(server, cache, now, body(200, answer), fragment)


# --------------------------------------------------------------------------- 3. unusable directories


def _a_file(home: Path) -> Path:
    path = home / "a-file"
    path.write_text("not a directory\n")
    return path


UNUSABLE = {
    "is-a-file": (lambda home: _a_file(home), "is a file, not a directory"),
    "parent-is-a-file": (lambda home: _a_file(home) / "sub" / "cache", "part of its path is a file"),
}


@pytest.mark.parametrize(("where", "fragment"), UNUSABLE.values(), ids=UNUSABLE.keys())
def test_an_unusable_cache_directory_asks_nothing(server, no_user_state_no_network, where, fragment):
    cache = ElementCache(where(no_user_state_no_network))
    _unusable(server, cache, fragment)


def test_a_directory_that_cannot_be_written_asks_nothing(server, cache, monkeypatch):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)  # what a read-only directory does
    _unusable(server, cache, "Permission denied", readable=True)


def test_home_pointing_nowhere(server, no_user_state_no_network, monkeypatch):
    monkeypatch.delenv("ISSPASS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(_a_file(no_user_state_no_network) / "home"))
    cache = ElementCache()
    assert str(cache.directory).startswith(str(no_user_state_no_network / "a-file" / "home"))
    _unusable(server, cache, "part of its path is a file")


def _unusable(server: GPServer, cache: ElementCache, fragment: str, readable: bool = False) -> None:
    server.reply = body(200, omm_at(utc(time.time() - 0.2 * DAY)))
    for _ in range(3):
        result = _update(server, cache)
        assert result.status is UpdateStatus.CACHE_UNUSABLE and not result.ok
        assert fragment in result.message and "not asking the server" in result.message, result.message
    assert server.requests == []
    # Reading is simply "nothing cached", with the reason to show.
    assert cache.load(25544) == [] and cache.load_all() == [] and cache.records() == {}
    if readable:  # a read-only cache is read without complaint
        assert cache.problems() == []
    else:
        assert any(fragment in p for p in cache.problems()), cache.problems()


def test_state_file_that_is_a_directory_asks_nothing(server, cache, now):
    (cache.directory / "state.json").unlink()
    (cache.directory / "state.json").mkdir()
    _unusable_but_cached(server, cache, "state.json is a directory")


def test_lock_file_symlink_is_not_followed(server, cache, now, tmp_path):
    target = tmp_path / "precious"
    target.write_bytes(b"keep me")
    (cache.directory / ".lock").symlink_to(target)
    _unusable_but_cached(server, cache, "is a symbolic link")
    assert target.read_bytes() == b"keep me"
    (cache.directory / ".lock").unlink()
    (cache.directory / ".lock").symlink_to(tmp_path / "dangling")
    _unusable_but_cached(server, cache, "is a symbolic link")
    assert not (tmp_path / "dangling").exists()


def _unusable_but_cached(server: GPServer, cache: ElementCache, fragment: str) -> None:
    before = _snapshot(cache)
    server.reply = body(200, omm_at(utc(time.time() - 0.1 * DAY)))
    for _ in range(3):
        result = _update(server, cache)
        assert result.status is UpdateStatus.CACHE_UNUSABLE, result.message
        assert fragment in result.message and "not asking the server" in result.message
    assert server.requests == [] and _snapshot(cache) == before
    assert cache.load(25544)  # the cached elements are still there to use


def test_an_element_file_that_cannot_be_replaced_still_backs_off(server, cache, now):
    (cache.directory / "25544.json").unlink()
    (cache.directory / "25544.json").mkdir()
    server.reply = body(200, omm_at(utc(now - 0.1 * DAY)))
    first = _update(server, cache, now)
    assert first.status is UpdateStatus.CACHE_UNUSABLE and "could not be stored" in first.message
    later = [_update(server, cache, now + k * 600).status for k in range(1, 6)]
    assert set(later) == {UpdateStatus.RECENT} and len(server.requests) == 1
    assert _state(cache)["25544"]["failures"] == 1


def test_the_command_line_warns_without_a_traceback(server, no_user_state_no_network, monkeypatch):
    monkeypatch.setenv("ISSPASS_CACHE_DIR", str(_a_file(no_user_state_no_network)))
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
    args = ["--lat", "47.37", "--lon", "8.54", "--days", "1", "--allow-stale", "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "is a file, not a directory" in result.stderr and "Traceback" not in result.output
    assert json.loads(result.stdout)["satellite"]["source"] == "bundled"
    assert server.requests == []


# --------------------------------------------------------------------------- 4. damaged files


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _directory(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()


def _writer(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


DAMAGED_ELEMENTS = {
    "empty": (_writer(b""), "no element sets found"),
    "truncated": (_writer((DATA / "iss-omm.json").read_bytes()[:100]), "not valid JSON"),
    "garbage": (_writer(b"hello, world\n"), "not a TLE line"),
    "binary": (_writer(bytes(range(256))), "binary data"),
    "nested": (_writer(b"[" * 100_000), "nested too deeply"),
    "too-large": (_writer(b" " * (MAX_FILE_BYTES + 1)), "larger than"),
    "another-object": (_writer(omm(NORAD_CAT_ID=25545)), "ignoring elements for 25545"),
    "a-directory": (_directory, "not a regular file"),
    "a-fifo": (_fifo, "not a regular file"),
}


@pytest.mark.parametrize(("damage", "fragment"), DAMAGED_ELEMENTS.values(), ids=DAMAGED_ELEMENTS.keys())
def test_a_damaged_element_file_is_named_in_a_problem(server, cache, now, damage, fragment):
    path = cache.directory / "25544.json"
    damage(path)
    started = time.monotonic()
    assert cache.load(25544) == [] and cache.load_all() == []
    assert time.monotonic() - started < 5  # a FIFO must not hang the run
    (problem,) = cache.problems()
    assert str(path) in problem and fragment in problem, problem
    if fragment == "not a regular file":
        return
    # The next fetch replaces the damaged file.
    server.reply = body(200, omm_at(utc(now - 0.1 * DAY)))
    assert _update(server, cache, now).status is UpdateStatus.UPDATED
    assert ElementCache(cache.directory).load(25544)


NOW = 1_790_000_000.0  # 2026-09-21
GOOD = {"last_success": NOW - DAY, "last_attempt": NOW - DAY, "failures": 0, "last_error": None}

BAD_ENTRIES = {
    "time-as-text": ({"last_success": "yesterday"}, 'last_success "yesterday" is not a time'),
    "time-true": ({"last_attempt": True}, "last_attempt true is not a time"),
    "time-nan": ({"last_success": math.nan}, "last_success NaN is not a time"),
    "time-inf": ({"last_success": math.inf}, "last_success Infinity is not a time"),
    "time-negative": ({"last_success": -5}, "is not a time"),
    "time-huge-int": ({"last_success": 10**30}, "is not a time"),
    "time-a-year-ahead": ({"last_success": NOW + 365 * DAY}, "is in the future"),
    "attempt-ahead": ({"last_attempt": NOW + CLOCK_SKEW_S + 60, "failures": 9}, "is in the future"),
    "failures-negative": ({"failures": -1}, "failures -1 is not a count"),
    "failures-float": ({"failures": 1.5}, "is not a count"),
    "failures-huge": ({"failures": 10**100}, "is not a count"),
    "failures-bool": ({"failures": True}, "is not a count"),
    "error-number": ({"last_error": 5}, "last_error 5 is not a text"),
    "not-an-object": ([1, 2], "not an object"),
}


@pytest.mark.parametrize(("entry", "fragment"), BAD_ENTRIES.values(), ids=BAD_ENTRIES.keys())
def test_an_invalid_state_entry_is_absent_and_reported(entry, fragment):
    data = json.dumps({"20580": GOOD, "25544": entry}).encode()
    records, problems = parse_state(data, NOW, "state.json")
    assert records == {20580: FetchRecord(**GOOD)}
    assert len(problems) == 1 and 'state.json: ignoring the entry "25544"' in problems[0]
    assert fragment in problems[0], problems[0]


@pytest.mark.parametrize("key", ["abc", "025544", "0", "-5", "1234567890", "２５５４４"])
def test_a_state_entry_needs_a_catalogue_number(key):
    records, problems = parse_state(json.dumps({key: GOOD}).encode(), NOW)
    assert records == {} and "not a catalogue number" in problems[0]


def test_a_time_ahead_within_the_skew_is_kept():
    soon = {**GOOD, "last_success": NOW + 0.5 * DAY}
    assert parse_state(json.dumps({"25544": soon}).encode(), NOW) == ({25544: FetchRecord(**soon)}, [])


def test_last_error_is_made_inert():
    hostile = "\x1b[2J\x1b]0;title\x07line\nbreak\u202eevil\ud800" + "x" * 10_000
    data = json.dumps({"25544": {**GOOD, "failures": 1, "last_error": hostile}}).encode()
    ((_, record),) = parse_state(data, NOW)[0].items()
    assert record.last_error.startswith("?[2J?]0;title?line break?evil?x")
    assert record.last_error.isprintable() and len(record.last_error) == MAX_ERROR_CHARS
    assert FetchRecord().with_failure(NOW, hostile).last_error == record.last_error


def test_many_invalid_entries_make_few_problems():
    data = json.dumps({str(n): "junk" for n in range(1, 1001)}).encode()
    records, problems = parse_state(data, NOW)
    assert records == {} and len(problems) == 6 and "995 more invalid entries" in problems[-1]


DAMAGED_STATE = {
    "empty": (_writer(b""), "not valid JSON"),
    "truncated": (_writer(b'{"25544": {"last_success": 17'), "not valid JSON"),
    "garbage": (_writer(b"\x00\x01\x02garbage"), "not valid JSON"),
    "not-utf-8": (_writer(b'{"\xff": 1}'), "not UTF-8"),
    "a-list": (_writer(b"[]"), "a JSON list, not an object of entries"),
    "nested": (_writer(b"[" * 100_000), "nested too deeply"),
    "huge-integer": (_writer(b'{"25544": {"failures": ' + b"9" * 5000 + b"}}"), "not valid JSON"),
    "too-large": (_writer(b" " * (MAX_FILE_BYTES + 1)), "larger than"),
    "a-fifo": (_fifo, "not a regular file"),
}


@pytest.mark.parametrize(("damage", "fragment"), DAMAGED_STATE.values(), ids=DAMAGED_STATE.keys())
def test_a_damaged_state_file_is_reported_and_rewritten_cleanly(server, cache, now, damage, fragment):
    state = cache.directory / "state.json"
    damage(state)
    started = time.monotonic()
    assert cache.records() == {} and cache.record(25544) == FetchRecord()
    assert time.monotonic() - started < 5
    assert any(str(state) in p and fragment in p for p in cache.problems()), cache.problems()
    # The history is lost, but the element file's time still keeps the 2-hour rule…
    quiet = _update(server, cache, now)
    assert quiet.status is UpdateStatus.RECENT and "were stored at" in quiet.message
    assert server.requests == []
    # …and the next fetch writes a clean history.
    server.reply = body(200, omm_at(utc(now - 0.1 * DAY)))
    assert _update(server, cache, now + 3 * HOUR).status is UpdateStatus.UPDATED
    assert len(server.requests) == 1
    fresh = ElementCache(cache.directory)
    assert set(fresh.records()) == {25544} and fresh.problems() == []


def test_invalid_entries_give_way_and_valid_ones_survive(server, cache, now):
    other = {**GOOD, "last_success": now - HOUR, "last_attempt": now - HOUR}
    state = {"20580": other, "25544": {**GOOD, "failures": "many"}, "abc": 1}
    (cache.directory / "state.json").write_text(json.dumps(state))
    assert set(cache.records()) == {20580} and len(cache.problems()) == 2
    server.reply = body(200, omm_at(utc(now - 0.1 * DAY)))
    assert _update(server, cache, now + 3 * HOUR).status is UpdateStatus.UPDATED
    assert _state(cache) == {
        "20580": other,
        "25544": {
            "last_success": now + 3 * HOUR,
            "last_attempt": now + 3 * HOUR,
            "failures": 0,
            "last_error": None,
        },
    }


@pytest.mark.parametrize(
    ("ahead_s", "expected", "requests"),
    [(365 * DAY, UpdateStatus.UPDATED, 1), (0.5 * DAY, UpdateStatus.RECENT, 0)],
    ids=["a-year-ahead", "within-the-skew"],
)
def test_a_fetch_time_from_the_future_never_blocks_for_ever(server, cache, now, ahead_s, expected, requests):
    ahead = now + ahead_s
    (cache.directory / "state.json").write_text(
        json.dumps({"25544": {**GOOD, "last_success": ahead, "last_attempt": ahead}})
    )
    os.utime(cache.directory / "25544.json", (now - 5 * HOUR, now - 5 * HOUR))
    server.reply = body(200, omm_at(utc(now - 0.1 * DAY)))
    result = _update(server, cache, now)
    assert result.status is expected, result.message
    assert len(server.requests) == requests
    if expected is UpdateStatus.UPDATED:
        assert any("is in the future" in p for p in cache.problems())
        assert _state(cache)["25544"]["last_success"] == now
    # Within the skew, the wait ends two hours after the recorded time, however wrong.
    later = ahead + MIN_INTERVAL_S + 60
    assert _update(server, cache, later).status in (UpdateStatus.UPDATED, UpdateStatus.RECENT)


def test_the_backoff_has_a_ceiling_for_any_count():
    assert backoff_s(MAX_FAILURES) == backoff_s(10**9) == MAX_BACKOFF_S
    assert FetchRecord(failures=MAX_FAILURES).with_failure(NOW, "x").failures == MAX_FAILURES


# --------------------------------------------------------------------------- the reader, at random

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
)
FIELDS = st.sampled_from(["last_success", "last_attempt", "failures", "last_error", "extra"])
ENTRIES = st.dictionaries(FIELDS, SCALARS | JSON_VALUES, max_size=5)
KEYS = st.integers(min_value=-5, max_value=10**10).map(str) | st.text(max_size=10)
STATES = st.dictionaries(KEYS, ENTRIES | JSON_VALUES, max_size=6)


def _check_reader(data: bytes) -> None:
    records, problems = parse_state(data, NOW)
    for norad_id, record in records.items():
        assert isinstance(norad_id, int) and 0 < norad_id < 10**9
        for seconds in (record.last_success, record.last_attempt):
            assert seconds is None or (type(seconds) is float and 0 <= seconds <= NOW + CLOCK_SKEW_S)
        assert type(record.failures) is int and 0 <= record.failures <= MAX_FAILURES
        assert record.last_error is None or record.last_error == safe_text(record.last_error)
    assert all(isinstance(p, str) and p.isprintable() for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_the_state_reader_survives_random_bytes(data):
    _check_reader(data)


@settings(max_examples=300, deadline=None)
@given(STATES | JSON_VALUES)
def test_the_state_reader_survives_random_json(value):
    _check_reader(json.dumps(value).encode())
    _check_reader(json.dumps(value).encode()[:-1])  # and truncated
