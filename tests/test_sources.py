"""The element policy: the library chooses elements exactly as the command line does."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

import isspass
from conftest import DATA
from gp_server import GPServer, body
from isspass.cli import cli
from isspass.formats import pass_to_dict

ZURICH = isspass.Observer(47.37, 8.54)


def _cli_json(*args: str) -> dict:
    result = CliRunner().invoke(
        cli, ["--lat", "47.37", "--lon", "8.54", "--format", "json", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def cached_older_set(history, no_user_state_no_network):
    """An ISS set eight days older than the bundled one, in the test's private cache."""
    older = history[-3]
    cache = no_user_state_no_network / "cache"
    cache.mkdir()
    (cache / "25544.tle").write_text(f"ISS (ZARYA)\n{older.line1}\n{older.line2}\n")
    return older


def test_library_and_command_line_choose_the_same_elements_and_passes(cached_older_set):
    older = cached_older_set
    start = older.epoch.replace(microsecond=0) + timedelta(hours=1)
    args = ["--start", start.isoformat(), "--days", "3", "--all", "--offline"]
    doc = _cli_json(*args)
    choice = isspass.choose_satellite(start=start, policy=isspass.ElementPolicy(offline=True))
    # Both take the cached set: its epoch is nearer the window than the bundled one.
    assert choice.satellite.elements.source.startswith("cache (")
    assert choice.satellite.epoch == older.epoch
    assert doc["satellite"]["source"] == choice.satellite.elements.source
    assert doc["satellite"]["epoch"] == isspass.formats.iso_utc(older.epoch)
    passes = isspass.find_passes(ZURICH, start, 3, visible_only=False, offline=True)
    assert len(passes) > 10
    assert doc["passes"] == [pass_to_dict(p) for p in passes]
    # ...and the bundled set, chosen for a window near its own epoch, by both as well.
    near_bundled = datetime(2026, 9, 24, 6, tzinfo=timezone.utc)
    doc = _cli_json("--start", near_bundled.isoformat(), "--days", "1", "--offline")
    assert doc["satellite"]["source"] == "bundled"
    library = isspass.find_passes(ZURICH, near_bundled, 1, offline=True)
    assert doc["passes"] == [pass_to_dict(p) for p in library]


def test_library_refuses_63_day_old_elements_and_warns_at_4_days():
    bundled = isspass.bundled_elements()[0]
    with pytest.raises(isspass.StaleElementsError, match=r"63\.0 days old"):
        isspass.find_passes(ZURICH, bundled.epoch + timedelta(days=63), 1, offline=True)
    with pytest.raises(isspass.StaleElementsError, match="allow_stale=True"):
        isspass.load_satellite(start=bundled.epoch + timedelta(days=63), offline=True)
    with pytest.warns(isspass.StaleElementsWarning, match=r"4\.0 days old"):
        passes = isspass.find_passes(ZURICH, bundled.epoch + timedelta(days=4), 1, offline=True)
    assert all(p.timing_uncertainty_s > 0.5 for p in passes)
    with pytest.warns(isspass.StaleElementsWarning, match=r"63\.0 days old"):
        isspass.find_passes(ZURICH, bundled.epoch + timedelta(days=63), 0.5, offline=True, allow_stale=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fresh enough: no warning at all
        isspass.find_passes(ZURICH, bundled.epoch + timedelta(days=1), 1, offline=True)


def test_default_now_tries_a_refresh_then_refuses_saying_so():
    # Bundled elements are far from today; the test's element URL is a closed local port.
    with pytest.raises(isspass.StaleElementsError, match=r"a refresh was tried: could not update"):
        isspass.find_passes(ZURICH, days=0.2)
    with pytest.warns(isspass.StaleElementsWarning):
        passes = isspass.find_passes(ZURICH, days=0.2, allow_stale=True, offline=True)
    assert isinstance(passes, list)


def _fresh_omm(epoch: datetime) -> bytes:
    (record,) = json.loads((DATA / "iss-omm.json").read_text())
    record["EPOCH"] = epoch.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return json.dumps([record]).encode()


def test_library_refreshes_the_cache_by_the_same_rules(monkeypatch):
    fresh_epoch = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=6)
    with GPServer() as server:
        server.reply = body(200, _fresh_omm(fresh_epoch))
        monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            first = isspass.find_passes(ZURICH, days=1)
            sat = isspass.load_satellite()
        assert len(server.requests) == 1  # fetched once; the second call used the cache
        assert sat.epoch == fresh_epoch.replace(tzinfo=timezone.utc)
        assert sat.elements.source.startswith("cache (")
        offline = isspass.load_satellite(offline=True)
        assert offline.epoch == sat.epoch and len(server.requests) == 1
        doc = _cli_json("--days", "1")
        assert len(server.requests) == 1  # the command line keeps to the same two-hour rule
        assert doc["satellite"]["epoch"] == isspass.formats.iso_utc(fresh_epoch)
    assert isinstance(first, list)


def test_offline_never_asks(monkeypatch):
    with GPServer() as server:
        monkeypatch.setenv("ISSPASS_ELEMENTS_URL", server.url)
        with pytest.raises(isspass.StaleElementsError):
            isspass.load_satellite(offline=True)
        assert server.requests == []


def test_choice_says_where_and_why(cached_older_set):
    start = cached_older_set.epoch + timedelta(days=1)
    choice = isspass.choose_satellite(start=start, policy=isspass.ElementPolicy(offline=True))
    assert choice.update is None and choice.warnings == ()
    assert "cache (" in choice.reason and "nearest the window" in choice.reason
    given = isspass.choose_satellite(elements=isspass.bundled_elements(), start=start)
    assert given.reason.startswith("bundled") and "given" in given.reason


# A list of satellites is a request for several (issue 15); a list of wrong things is not.
@pytest.mark.parametrize("bad", [3.5, b"25544", {"ISS"}, [3.5], ["ISS", None], [["ISS"]], True])
def test_a_satellite_of_the_wrong_type_is_a_type_error(bad):
    with pytest.raises(TypeError, match="satellite"):
        isspass.find_passes(ZURICH, datetime(2026, 9, 24, tzinfo=timezone.utc), 1, satellite=bad)


def test_satellite_by_number_or_name_through_the_policy():
    start = datetime(2026, 9, 24, 6, tzinfo=timezone.utc)
    by_number = isspass.find_passes(ZURICH, start, 1, satellite=25544, offline=True)
    by_name = isspass.find_passes(ZURICH, start, 1, satellite="ISS (ZARYA)", offline=True)
    assert by_number == by_name == isspass.find_passes(ZURICH, start, 1, offline=True)
    with pytest.raises(isspass.SatelliteNotFoundError, match="isspass update --satellite 20580"):
        isspass.find_passes(ZURICH, start, 1, satellite=20580, offline=True)
