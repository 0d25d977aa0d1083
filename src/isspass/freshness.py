"""How far elements can be trusted: the age policy.

Elements lose accuracy day by day and jump after a manoeuvre, so their age is policy:
warn past a few days, refuse past a month unless asked.
"""

from __future__ import annotations

from datetime import datetime

from .elements import Elements
from .errors import StaleElementsError

#: Age (days, either side of the epoch) past which a warning is given.
WARN_AGE_DAYS = 3.0
#: Age past which predictions are refused unless stale elements are allowed.
MAX_AGE_DAYS = 30.0


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
            f"(epoch {epoch}, limit {max_days:g} days): update them or pass --allow-stale"
        )
    if abs(age) > warn_days:
        return (
            f"warning: elements for {elements.name} are {what} at the start of the window "
            f"(epoch {epoch}); times may be off by seconds or more"
        )
    return None
