"""Element histories on real ISS sets: every reboost seen, dated and sized; the drag; the window's side."""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone
from itertools import pairwise

import pytest
from sgp4.io import compute_checksum

import isspass
from conftest import DATA, HA_TLE
from isspass.freshness import timing_uncertainty_s
from isspass.history import element_history
from isspass.manoeuvres import along_track_shift_s, detect_manoeuvre


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def history_2026():
    return element_history(isspass.read_elements(DATA / "iss-2026-history.tle"))


@pytest.fixture(scope="module")
def history_2025():
    return element_history(isspass.read_elements(DATA / "iss-2025-autumn-history.tle"))


def _pairs(history) -> list[tuple[str, str]]:
    return [(f"{m.before:%m-%d %H:%M}", f"{m.after:%m-%d %H:%M}") for m in history.manoeuvres]


def test_every_reboost_is_found_and_nothing_else(history_2026, history_2025):
    """The reboosts (mean motion falling between the sets) and no other pair of consecutive sets."""
    assert len(history_2026.sets) == 11 and len(history_2025.sets) == 31
    assert _pairs(history_2026) == [("08-25 15:51", "09-03 04:13")]
    assert _pairs(history_2025) == [
        ("09-26 05:04", "10-01 02:42"),
        ("10-13 19:35", "10-22 12:34"),
        ("11-07 10:52", "11-08 10:05"),
        ("11-17 07:40", "11-20 20:48"),
    ]
    for manoeuvre in history_2026.manoeuvres + history_2025.manoeuvres:
        assert manoeuvre.raised and manoeuvre.before < manoeuvre.time < manoeuvre.after
        assert 0.3 < manoeuvre.delta_v_m_s < 3.0  # ISS reboosts are of order 1 m/s


def test_the_august_2026_reboost_is_dated_and_sized(history_2026):
    (reboost,) = history_2026.manoeuvres
    # Where the two sets' tracks cross: about 2026-08-27 16:09 UTC.
    assert abs(reboost.time - utc(2026, 8, 27, 16, 9)) < timedelta(hours=3)
    assert reboost.closest_km < 20.0
    # 15.49625 → 15.48977 rev/day between the epochs, and the drag in between on top.
    assert -0.009 < reboost.mean_motion_change < -0.00648
    assert 1.0 < reboost.delta_v_m_s < 1.5
    # Passes predicted from the older set are 4 to 6 minutes off at the newer epoch.
    assert -360 < reboost.timing_shift_s < -240


def test_a_reboost_date_does_not_depend_on_which_sets_bracket_it(history_2026, history_2025):
    """Dated again with a set up to two days further out on one side, a reboost moves by hours at most.

    (From sets a week further out, drag errors of tens of seconds move the crossing of the
    two tracks by half a day: the nearest sets date a manoeuvre best.)
    """
    checked = 0
    for history in (history_2026, history_2025):
        sets = history.sets
        for manoeuvre, before in zip(history.manoeuvres, history.manoeuvre_after_set, strict=True):
            bracket = sets[before + 1].epoch - sets[before].epoch
            for older, newer in ((before - 1, before + 1), (before, before + 2)):
                if older < 0 or newer >= len(sets):
                    continue
                if sets[newer].epoch - sets[older].epoch - bracket > timedelta(days=2):
                    continue
                wider = detect_manoeuvre(sets[older], sets[newer])
                assert wider is not None
                assert abs(wider.time - manoeuvre.time) < timedelta(hours=3)
                assert wider.delta_v_m_s == pytest.approx(manoeuvre.delta_v_m_s, rel=0.1)
                checked += 1
    assert checked >= 5


def test_drag_explains_every_other_pair(history_2026, history_2025):
    """Between sets with no manoeuvre the older set's track stays within three of its timing bands."""
    for history in (history_2026, history_2025):
        across = set(history.manoeuvre_after_set)
        for k, (older, newer) in enumerate(pairwise(history.sets)):
            if k in across:
                continue
            assert newer.mean_motion > older.mean_motion  # drag only ever raises it
            shift = along_track_shift_s(older, newer, newer.epoch)
            assert abs(shift) <= 3 * timing_uncertainty_s(older, newer.epoch)


def _moved_along_track(elements: isspass.Elements, degrees: float) -> isspass.Elements:
    """The same set with its mean anomaly moved: as if a burn had shifted the satellite along its orbit."""
    line2 = elements.line2
    anomaly = (float(line2[43:51]) + degrees) % 360.0
    line2 = f"{line2[:43]}{anomaly:8.4f}{line2[51:68]}"
    line2 += str(compute_checksum(line2))
    (moved,) = isspass.parse_elements(f"{elements.line1}\n{line2}\n", "moved")
    return moved


def test_a_jump_along_the_track_is_a_manoeuvre_whatever_the_mean_motion(history_2026):
    """Two sets two days apart whose tracks disagree by 30 s when drag allows ~1.5 s."""
    older, newer = history_2026.sets[-3], history_2026.sets[-2]  # 09-14 and 09-16
    assert detect_manoeuvre(older, newer) is None
    moved = detect_manoeuvre(_moved_along_track(older, 2.0), newer)
    assert moved is not None and newer.mean_motion > older.mean_motion
    assert moved.timing_shift_s == pytest.approx(-2.0 / 360 * older.period_s, rel=0.05)


def test_the_window_takes_the_set_on_its_side_of_the_reboost(history_2026):
    before, after = history_2026.sets[6], history_2026.sets[7]  # 08-25 15:51, 09-03 04:13
    reboost = history_2026.manoeuvres[0].time
    # 2026-08-29 is nearer the 08-25 set, but after the reboost: the 09-03 set.
    assert history_2026.for_window(utc(2026, 8, 29)) is after
    assert history_2026.for_window(reboost + timedelta(minutes=5)) is after
    assert history_2026.for_window(reboost - timedelta(minutes=5)) is before
    assert history_2026.for_window(utc(2026, 8, 26)) is before
    # Far from any manoeuvre: simply the nearest epoch.
    assert history_2026.for_window(utc(2026, 9, 15)).epoch == history_2026.sets[8].epoch
    assert history_2026.for_window(utc(2020, 1, 1)) is history_2026.sets[0]


def test_the_chosen_side_is_the_one_that_predicts_right(history_2026):
    """On 2026-08-29 two post-reboost sets agree to seconds; the nearer pre-reboost one is a minute off."""
    pre, post, later = history_2026.sets[6], history_2026.sets[7], history_2026.sets[8]
    when = utc(2026, 8, 29, 12)
    assert abs(along_track_shift_s(post, later, when)) < 15
    assert abs(along_track_shift_s(pre, post, when)) > 60


def test_the_drag_measure_is_steadier_than_one_sets_drag_term(history_2026):
    """The ISS's own ndot/2 swings 2.4× between sets; the history's weighted median far less."""
    sets = history_2026.sets
    measured = [history_2026.drag_before(e.epoch) for e in sets[3:]]
    own = [abs(e.mean_motion_dot) for e in sets[3:]]
    assert all(m is not None for m in measured)
    assert max(own) / min(own) > 2.3
    assert max(measured) / min(measured) < 1.5
    # Each measure is one of the intervals' decay rates, all between 5.5e-5 and 1.05e-4.
    assert all(5.5e-5 < m < 1.06e-4 for m in measured)
    assert history_2026.drag_before(sets[0].epoch) is None


def test_an_interval_drag_cannot_explain_is_left_out(history_2025):
    """2025-09-17 → 09-25 decayed at a tenth of both sets' drag terms: not a drag measure."""
    sets = history_2025.sets
    first, second = sets[0], sets[1]
    days = (second.epoch - first.epoch).total_seconds() / 86400
    rate = (second.mean_motion - first.mean_motion) / (2 * days)
    assert rate < min(abs(first.mean_motion_dot), abs(second.mean_motion_dot)) / 3
    after_reboost = sets[3]  # 10-01 02:42: its history holds only that interval, and the reboost
    assert history_2025.drag_before(after_reboost.epoch) is None


def test_sets_years_apart_still_make_a_history(history_2026):
    """Heavens-Above's January 2022 set and the 2026 ones: far apart, a manoeuvre between, no noise."""
    (ha,) = isspass.parse_elements(HA_TLE, "heavens-above")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = element_history([ha, *history_2026.sets])
    assert history.sets[0] is ha and len(history.manoeuvres) == 2
    assert ha.epoch < history.manoeuvres[0].time < history_2026.sets[0].epoch
    assert history.for_window(utc(2022, 1, 22)) is ha


def test_a_history_is_one_object_with_one_set_per_epoch(history_2026):
    sets = list(history_2026.sets)
    relabelled = [*sets[:3], *(isspass.Elements(**{**e.__dict__, "source": "copy"}) for e in sets)]
    again = element_history(relabelled)
    assert [e.epoch for e in again.sets] == [e.epoch for e in sets]
    assert [e.source for e in again.sets[:3]] == [e.source for e in sets[:3]]  # the first given is kept
    assert again.sets[3].source == "copy"
    line1 = "1 20580U 90037B   26267.50000000  .00000870  00000+0  42000-4 0  999"
    line2 = "2 20580  28.4700 100.0000 0002500 100.0000 260.0000 15.27000000 1000"
    line1 += str(compute_checksum(line1))
    line2 += str(compute_checksum(line2))
    (other,) = isspass.parse_elements(f"{line1}\n{line2}\n", "hst")
    with pytest.raises(ValueError, match="several objects"):
        element_history([*sets, other])
    with pytest.raises(ValueError, match="no element sets"):
        element_history([])
