"""How far elements can be trusted: the age policy and the timing band.

Elements lose accuracy day by day and jump after a manoeuvre, so their age is policy:
warn past a few days, refuse past a month unless asked; and every prediction carries a
timing band, fitted on real element histories, from the age and the object's drag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import StaleElementsError
from .model import Elements
from .utc import DAY_S

#: Age (days, either side of the epoch) past which a warning is given.
WARN_AGE_DAYS = 3.0
#: Age past which predictions are refused unless stale elements are allowed.
MAX_AGE_DAYS = 30.0
#: A window ending more than this many days after the newest known elements is warned
#: about: a manoeuvre since then would not be known. A 10-day window from elements
#: refreshed daily stays within it.
MANOEUVRE_REACH_DAYS = 12.0
#: Past this age (days, either side) SGP4 predicts nothing real: refused even when stale
#: elements are allowed (a low orbit decays, or is reboosted, far more than this in a year).
ABSURD_AGE_DAYS = 365.0
#: Assumed uncertainty of the drag term (percent) in Molczan's estimate (kept for comparison).
DRAG_UNCERTAINTY_PERCENT = 20.0


@dataclass(frozen=True)
class BandConstants:
    """The constants of the timing band (see :func:`timing_band_s`).

    ``floor_s`` is the error at the epoch; ``growth_s_per_day`` a linear growth that only
    matters where drag is negligible (high orbits). ``history_factor`` and
    ``single_set_factor`` are the relative drag uncertainties per ``drag_reference``
    (rev/day²) of drag, with and without an element history; ``mismatch_factor`` is the
    share of the gap between a set's own drag term and the drag its history shows that is
    counted as error. ``max_drag_ratio`` bounds the drag / ``drag_reference`` ratio the
    uncertainty grows with (the fit saw 0.4 to 2.4).
    """

    floor_s: float = 0.5
    growth_s_per_day: float = 0.15
    history_factor: float = 0.2
    single_set_factor: float = 1.2
    mismatch_factor: float = 0.5
    drag_reference: float = 1e-4
    max_drag_ratio: float = 3.0


#: The constants fitted by tools/fit_timing_band.py on the ISS element histories of
#: autumn 2025 and summer 2026 (tests/data): 0.215 and 1.19, rounded up. The README gives
#: the fit and its coverage.
TIMING_BAND = BandConstants(history_factor=0.22, single_set_factor=1.2)


def timing_band_s(
    age_days: ArrayLike,
    mean_motion: ArrayLike,
    set_drag: ArrayLike,
    history_drag: ArrayLike = np.nan,
    constants: BandConstants = TIMING_BAND,
) -> NDArray[np.float64]:
    """The timing band (seconds): how far predicted times may be off, at 95 % or better.

    Arrays broadcast. ``age_days`` from the epoch (either sign), ``mean_motion`` n0
    (rev/day), ``set_drag`` the set's own drag term |ndot/2| (rev/day²), ``history_drag``
    the drag the object's recent element history shows (rev/day², the same ndot/2 scale;
    NaN when there is none). A drag error δ (rev/day²) moves the satellite along its track
    by 86400·δ·dt²/n0 seconds after dt days (the mean anomaly's (ndot/2)·dt² term); δ is

    - with a history h: ``history_factor``·(h/``drag_reference``)·h + ``mismatch_factor``·|h − d|
      — the drag itself is uncertain, more so when it is high (an active Sun is a stormy
      one), and a set whose drag term disagrees with the recent decay drifts;
    - without: ``single_set_factor``·(d/``drag_reference``)·d — one set's drag term alone
      (it swings by a factor of two between consecutive ISS sets).

    The band is ``floor_s`` plus the larger of that shift and ``growth_s_per_day``·|dt|.
    """
    c = constants
    dt = np.abs(np.asarray(age_days, dtype=float))
    n0 = np.asarray(mean_motion, dtype=float)
    d = np.abs(np.asarray(set_drag, dtype=float))
    h = np.abs(np.asarray(history_drag, dtype=float))
    ratio_h = np.minimum(np.nan_to_num(h) / c.drag_reference, c.max_drag_ratio)
    ratio_d = np.minimum(d / c.drag_reference, c.max_drag_ratio)
    with_history = c.history_factor * ratio_h * np.nan_to_num(h) + c.mismatch_factor * np.abs(
        np.nan_to_num(h) - d
    )
    alone = c.single_set_factor * ratio_d * d
    drag_error = np.where(np.isnan(h), alone, with_history)
    shift_s = DAY_S * drag_error * dt**2 / n0
    return c.floor_s + np.maximum(shift_s, c.growth_s_per_day * dt)


def timing_uncertainty_s(
    elements: Elements,
    when: datetime,
    history_drag: float | None = None,
    constants: BandConstants = TIMING_BAND,
) -> float:
    """The timing band (seconds) of a prediction at ``when`` from these elements.

    ``history_drag`` is the drag (ndot/2, rev/day²) the object's element history shows
    (:attr:`isspass.Satellite.history_drag`); None when the set stands alone. See
    :func:`timing_band_s`. It knows nothing of manoeuvres: a reboost after the epoch can
    move a pass by minutes (the element history detects those it can see).
    """
    return float(
        timing_band_s(
            elements.age_days(when),
            elements.mean_motion,
            elements.mean_motion_dot,
            np.nan if history_drag is None else history_drag,
            constants,
        )
    )


def molczan_uncertainty_s(
    elements: Elements, when: datetime, drag_uncertainty_percent: float = DRAG_UNCERTAINTY_PERCENT
) -> float:
    """Molczan's timing estimate (seconds) at ``when``, which the band replaced; kept to compare.

    Molczan's estimate (SeeSat-L, March 2006): the drag term ndot/2 (rev/day²) moves the
    mean anomaly by (ndot/2)·dt², so an uncertainty of P percent in it shifts the satellite
    along its track by 864·P·(ndot/2)·dt² / (n0 + 2·(ndot/2)·dt) seconds after dt days.
    Scaled by the set's own ndot, it covers only about half of real ISS passes.
    """
    return drift_uncertainty_s(
        elements.mean_motion, elements.mean_motion_dot, abs(elements.age_days(when)), drag_uncertainty_percent
    )


def drift_uncertainty_s(
    mean_motion: float, mean_motion_dot: float, age_days: float, drag_uncertainty_percent: float
) -> float:
    """Molczan's estimate from its numbers: mean motion n0 (rev/day), ndot/2 (rev/day²), dt (days)."""
    dt = abs(age_days)
    drag = abs(mean_motion_dot)
    return 864.0 * drag_uncertainty_percent * drag * dt**2 / (mean_motion + 2.0 * drag * dt)


def check_age(
    elements: Elements,
    when: datetime,
    *,
    warn_days: float = WARN_AGE_DAYS,
    max_days: float = MAX_AGE_DAYS,
    allow_stale: bool = False,
) -> str | None:
    """Check the element age at ``when`` (the start of a window).

    Returns a one-line warning when the age (in days, either side of the epoch) exceeds
    ``warn_days``, None when it does not; raises :class:`StaleElementsError` past
    ``max_days`` unless ``allow_stale``.
    """
    age = elements.age_days(when)
    if abs(age) > max_days and not allow_stale:
        raise StaleElementsError(stale_refusal(elements, when, max_days=max_days))
    if abs(age) > warn_days:
        return (
            f"{_age_sentence(elements, when)}; times may be off by "
            f"{uncertainty_text(timing_uncertainty_s(elements, when))}, more after a manoeuvre"
        )
    return None


def uncertainty_text(seconds: float) -> str:
    """A timing uncertainty for people: ``±3 s``, ``±95 s``, ``±7.3 minutes``."""
    if seconds < 120.0:
        return f"±{max(seconds, 0.1):.2g} s" if seconds < 1.0 else f"±{seconds:.0f} s"
    return f"±{seconds / 60.0:.1f} minutes"


def _age_sentence(elements: Elements, when: datetime, limit: str = "") -> str:
    age = elements.age_days(when)
    epoch = elements.epoch.strftime("%Y-%m-%d %H:%M UTC")
    what = f"{age:.1f} days old" if age >= 0 else f"{-age:.1f} days before their epoch"
    return f"elements for {elements.name} are {what} at the start of the window (epoch {epoch}{limit})"


def stale_refusal(
    elements: Elements, when: datetime, *, max_days: float = MAX_AGE_DAYS, failure: str | None = None
) -> str:
    """The one line that refuses elements too old for a window starting at ``when``.

    Says what failed on the way (``failure``: why no fresher set could be had) and every way
    out: connect and update, give a file, or allow the old set knowing how far off its
    times may be (the timing uncertainty at ``when``).
    """
    sentence = _age_sentence(elements, when, f", limit {max_days:g} days")
    if failure:
        sentence += f", and {failure}"
    error = uncertainty_text(timing_uncertainty_s(elements, when))
    return (
        f"{sentence}. Ways out: connect to the internet and run 'isspass update'; give a fresh "
        f"element set with --tle FILE; or allow these with --allow-stale (allow_stale=True), "
        f"knowing that times may be off by {error}, more after a manoeuvre"
    )


def check_plausible(elements: Elements, start: datetime, end: datetime) -> None:
    """Refuse elements more than :data:`ABSURD_AGE_DAYS` from any part of the window, whatever is allowed."""
    worst = max(abs(elements.age_days(start)), abs(elements.age_days(end)))
    if worst > ABSURD_AGE_DAYS:
        raise StaleElementsError(
            f"elements for {elements.name} (epoch {elements.epoch:%Y-%m-%d}) are {worst:.0f} days from "
            f"the window: SGP4 predicts nothing real that far (limit {ABSURD_AGE_DAYS:g} days, "
            "even with stale elements allowed)"
        )
