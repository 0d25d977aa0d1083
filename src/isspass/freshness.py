"""How far elements can be trusted: the age policy and the timing uncertainty.

Elements lose accuracy day by day and jump after a manoeuvre, so their age is policy:
warn past a few days, refuse past a month unless asked; and every prediction carries an
estimate of its timing error from the age.
"""

from __future__ import annotations

from datetime import datetime

from .errors import StaleElementsError
from .model import Elements

#: Age (days, either side of the epoch) past which a warning is given.
WARN_AGE_DAYS = 3.0
#: Age past which predictions are refused unless stale elements are allowed.
MAX_AGE_DAYS = 30.0
#: Past this age (days, either side) SGP4 predicts nothing real: refused even when stale
#: elements are allowed (a low orbit decays, or is reboosted, far more than this in a year).
ABSURD_AGE_DAYS = 365.0
#: Assumed uncertainty of the drag term (percent) in the timing-uncertainty estimate.
DRAG_UNCERTAINTY_PERCENT = 20.0


def timing_uncertainty_s(
    elements: Elements, when: datetime, drag_uncertainty_percent: float = DRAG_UNCERTAINTY_PERCENT
) -> float:
    """Estimated timing error (seconds) of a prediction at ``when`` from these elements.

    Molczan's estimate (SeeSat-L, March 2006): the drag term ndot/2 (rev/day²) moves the
    mean anomaly by (ndot/2)·dt², so an uncertainty of P percent in it shifts the satellite
    along its track by 864·P·(ndot/2)·dt² / (n0 + 2·(ndot/2)·dt) seconds after dt days.
    It knows nothing of manoeuvres: a reboost after the epoch can move a pass by minutes.
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
    epoch = elements.epoch.strftime("%Y-%m-%d %H:%M UTC")
    what = f"{age:.1f} days old" if age >= 0 else f"{-age:.1f} days before their epoch"
    if abs(age) > max_days and not allow_stale:
        raise StaleElementsError(
            f"elements for {elements.name} are {what} at the start of the window "
            f"(epoch {epoch}, limit {max_days:g} days): update them (isspass update), give a fresh set "
            "(--tle), or allow them (--allow-stale, allow_stale=True)"
        )
    if abs(age) > warn_days:
        return (
            f"elements for {elements.name} are {what} at the start of the window "
            f"(epoch {epoch}); times may be off by seconds or more"
        )
    return None


def check_plausible(elements: Elements, start: datetime, end: datetime) -> None:
    """Refuse elements more than :data:`ABSURD_AGE_DAYS` from any part of the window, whatever is allowed."""
    worst = max(abs(elements.age_days(start)), abs(elements.age_days(end)))
    if worst > ABSURD_AGE_DAYS:
        raise StaleElementsError(
            f"elements for {elements.name} (epoch {elements.epoch:%Y-%m-%d}) are {worst:.0f} days from "
            f"the window: SGP4 predicts nothing real that far (limit {ABSURD_AGE_DAYS:g} days, "
            "even with stale elements allowed)"
        )
