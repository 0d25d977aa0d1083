"""--only-new and --within with a fixed clock (ISSPASS_NOW): each pass announced once, changes and
cancellations once, nothing recorded until the output went out, concurrent runs taking turns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import isspass
from isspass.announce import Remembered, compare, first_seen, remember
from isspass.cli import cli

SRC = Path(__file__).parents[1] / "src"
#: A place where the reboost of early September 2026 moves, adds and removes visible passes.
PLACE = ["--lat", "30", "--lon", "90", "--tz", "UTC"]


def run(*args: str, now: str, **env: str):
    return CliRunner().invoke(cli, list(args), env={"ISSPASS_NOW": now, **env}, catch_exceptions=False)


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    """The sets before (2026-08-25) and after (2026-09-03) the reboost, as element files."""
    history = sorted(isspass.read_elements(Path(__file__).parent / "data" / "iss-2026-history.tle"),
                     key=lambda e: e.epoch)  # fmt: skip
    folder = tmp_path_factory.mktemp("sets")
    files = {}
    for name, elements in (("before", history[6]), ("after", history[7])):
        path = folder / f"{name}.tle"
        path.write_text(f"{elements.line1}\n{elements.line2}\n")
        files[name] = str(path)
    return files


# --------------------------------------------------------------------------- the comparison


def _passes(start: datetime, days: float = 3):
    return isspass.find_passes(isspass.Observer(47.37, 8.54), start, days, satellite=isspass.load_satellite(
        elements=isspass.bundled_elements()))  # fmt: skip


def test_compare_new_changed_cancelled_and_unchanged():
    start = datetime(2026, 9, 24, tzinfo=timezone.utc)
    passes = _passes(start)
    assert len(passes) >= 4
    a, b, c, d = passes[:4]
    remembered = {
        a.id: Remembered(a.id, first_seen(a)),  # unchanged
        b.id: Remembered(b.id, first_seen(b) - timedelta(seconds=59)),  # moved, within a minute
        c.id: Remembered(c.id, first_seen(c) - timedelta(seconds=61)),  # moved by more
        "25544-1-+47.37+008.54": Remembered("25544-1-+47.37+008.54", first_seen(d) - timedelta(hours=3)),
    }
    news = compare(passes, passes, remembered, start=start, end=start + timedelta(days=3), now=start)
    assert [p.id for p in news.new] == [p.id for p in passes if p.id not in remembered]
    assert [(x.now.id, x.previous) for x in news.changed] == [(c.id, remembered[c.id].time)]
    assert [r.id for r in news.cancelled] == ["25544-1-+47.37+008.54"]
    assert news.status(c) == "changed" and news.status(d) == "new"
    after = remember(remembered, news, start)
    assert set(after) == {p.id for p in passes}
    assert after[c.id].time == first_seen(c) and after[b.id] == remembered[b.id]
    again = compare(passes, passes, after, start=start, end=start + timedelta(days=3), now=start)
    assert again.empty


def test_passes_gone_by_are_neither_cancelled_nor_kept_for_ever():
    start = datetime(2026, 9, 24, tzinfo=timezone.utc)
    passes = _passes(start)
    old = Remembered("25544-9-+47.37+008.54", start - timedelta(hours=1))
    ancient = Remembered("25544-8-+47.37+008.54", start - timedelta(days=3))
    shown = [replace(p, id=p.id) for p in passes]
    news = compare(shown, passes, {old.id: old, ancient.id: ancient}, start=start,
                   end=start + timedelta(days=3), now=start)  # fmt: skip
    assert news.cancelled == ()
    assert set(remember({old.id: old, ancient.id: ancient}, news, start)) == {old.id} | {p.id for p in passes}


# --------------------------------------------------------------------------- the command, a few runs


def _json(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_fresher_elements_after_a_reboost_change_and_cancel_once(sets):
    now = "2026-09-03T06:00:00Z"
    common = [*PLACE, "--days", "3", "--only-new", "--format", "json", "--offline"]
    first = _json(run(*common, "--tle", sets["before"], now=now))
    assert {p["status"] for p in first["passes"]} == {"new"} and first["cancelled"] == []
    announced = {p["id"]: p["appears"]["time"] for p in first["passes"]}

    later = "2026-09-03T06:05:00Z"
    second = _json(run(*common, "--tle", sets["after"], now=later))
    expected = {p.id: p for p in isspass.find_passes(
        isspass.Observer(30, 90), datetime(2026, 9, 3, 6, 5, tzinfo=timezone.utc), 3,
        satellite=isspass.load_satellite(elements=sets["after"]))}  # fmt: skip
    changed = [p for p in second["passes"] if p["status"] == "changed"]
    new = [p for p in second["passes"] if p["status"] == "new"]
    assert {p["id"] for p in changed} == set(announced) & set(expected) and len(changed) >= 3
    for p in changed:  # the reboost moved them by minutes: old and new time both given
        assert p["previous_time"] == announced[p["id"]]
        now_at, was_at = p["appears"]["time"][:19], p["previous_time"][:19]
        assert abs((datetime.fromisoformat(now_at) - datetime.fromisoformat(was_at)).total_seconds()) > 60
    assert {p["id"] for p in new} == set(expected) - set(announced) and new
    assert {c["id"] for c in second["cancelled"]} == set(announced) - set(expected)
    assert len(second["cancelled"]) == 2
    assert [c["time"] for c in second["cancelled"]] == sorted(announced[c["id"]] for c in second["cancelled"])

    third = run(*common, "--tle", sets["after"], now="2026-09-03T06:10:00Z")
    assert third.exit_code == 0 and third.stdout == ""  # all told: nothing printed


def test_a_day_of_five_minute_reminders_announces_each_pass_once(sets):
    """Every 5 minutes for a day over Zurich, every pass, 30 minutes ahead; at 04:25 the set after
    the reboost (epoch 04:13) replaces the one before: each pass told once, the one it moved
    by five minutes told once more, as changed; and every other run prints nothing."""
    day = datetime(2026, 9, 3, tzinfo=timezone.utc)
    switch = day + timedelta(hours=4, minutes=25)
    told: Counter[tuple[str, str]] = Counter()
    previous: dict[str, str] = {}
    first_told: dict[str, str] = {}
    for step in range(0, 24 * 12):
        now = day + timedelta(minutes=5 * step)
        which = "before" if now < switch else "after"
        result = run("--lat", "47.37", "--lon", "8.54", "--days", "1", "--all", "--within", "30m",
                     "--only-new", "--format", "json", "--offline", "--tle", sets[which],
                     now=now.isoformat())  # fmt: skip
        assert result.exit_code == 0, result.stderr
        if not result.stdout:
            continue
        doc = json.loads(result.stdout)
        assert doc["cancelled"] == []
        for p in doc["passes"]:
            told[(p["id"], p["status"])] += 1
            seen = (p["appears"] or p["rise"])["time"]  # unlit passes have no lit arc
            if p["status"] == "new":  # it appears within the next 30 minutes
                when = datetime.fromisoformat(seen.replace("Z", "+00:00"))
                assert now <= when <= now + timedelta(minutes=30)
                first_told[p["id"]] = seen
            else:
                previous[p["id"]] = p["previous_time"]
    assert set(told.values()) == {1}, told  # nothing twice
    satellite = isspass.load_satellite(elements=sets["after"])
    zurich = isspass.Observer(47.37, 8.54)
    day_passes = isspass.find_passes(zurich, day, 1, satellite=satellite, visible_only=False)
    assert len(day_passes) == 5
    moved = [p.id for p in day_passes if switch < first_seen(p) <= switch + timedelta(minutes=30)]
    assert len(moved) == 1  # announced from the old set, then moved by the new one
    assert set(told) == {(p.id, "new") for p in day_passes} | {(moved[0], "changed")}
    assert previous == {moved[0]: first_told[moved[0]]}


def test_nothing_is_recorded_until_the_output_is_written(tmp_path, no_user_state_no_network):
    now = "2026-09-24T00:00:00Z"
    args = ["--lat", "47.37", "--lon", "8.54", "--days", "3", "--only-new", "--offline"]
    bad = run(*args, "--output", str(tmp_path / "missing" / "passes.txt"), now=now)
    assert bad.exit_code == 1 and "cannot write" in bad.stderr
    target = tmp_path / "passes.txt"
    good = run(*args, "--output", str(target), now=now)
    assert good.exit_code == 0 and target.read_text().count(" new\n") == 5


def test_concurrent_runs_take_turns(no_user_state_no_network):
    """Two runs started together: exactly one of them announces the passes."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "ISSPASS_NOW": "2026-09-24T00:00:00Z",
           "ISSPASS_OFFLINE": "1"}  # fmt: skip
    command = [sys.executable, "-m", "isspass", "--lat", "47.37", "--lon", "8.54", "--days", "3",
               "--only-new"]  # fmt: skip
    pipe = subprocess.PIPE
    runs = [subprocess.Popen(command, env=env, stdout=pipe, stderr=pipe) for _ in range(2)]
    results = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    printed = sorted(out.decode().count(" new\n") for out, _ in results)
    assert printed == [0, 5]


def test_a_damaged_record_is_reported_and_replaced(no_user_state_no_network):
    now = "2026-09-24T00:00:00Z"
    args = ["--lat", "47.37", "--lon", "8.54", "--days", "1", "--only-new", "--offline"]
    assert run(*args, now=now).stdout
    (record,) = (no_user_state_no_network / "state").glob("announced-*.json")
    record.write_bytes(b"\x00not json")
    again = run(*args, now=now)
    assert again.exit_code == 0 and "not a record of announced passes" in again.stderr
    assert json.loads(record.read_text())["passes"]


def test_isspass_now_replaces_the_clock():
    doc = _json(run("--lat", "47.37", "--lon", "8.54", "--days", "1", "--format", "json", "--offline",
                    now="2026-09-25T18:00:00+02:00"))  # fmt: skip
    assert doc["window"]["start"] == "2026-09-25T16:00:00Z"
    assert doc["satellite"]["element_age_days"] == pytest.approx(1.525, abs=0.001)
    bad = run("--lat", "47.37", "--lon", "8.54", now="yesterday")
    assert bad.exit_code == 7 and bad.stderr.startswith("isspass: environment variable ISSPASS_NOW")


def test_within_counts_from_the_start_and_alarm_adds_a_valarm():
    from icalendar import Calendar

    args = ["--lat", "47.37", "--lon", "8.54", "--offline", "--format", "ics"]
    soon = run(*args, "--within", "1h", "--alarm", "15m", now="2026-09-24T17:00:00Z")
    events = Calendar.from_ical(soon.stdout).walk("VEVENT")
    assert len(events) == 1 and events[0].decoded("dtstart").strftime("%H:%M") == "17:43"
    (alarm,) = events[0].walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger") == timedelta(minutes=-15)
    none = run(*args, "--within", "30m", now="2026-09-24T17:00:00Z")
    assert Calendar.from_ical(none.stdout).walk("VEVENT") == []
    bad = run(*args, "--within", "soon", now="2026-09-24T17:00:00Z")
    assert bad.exit_code == 2 and "not a duration" in bad.stderr
