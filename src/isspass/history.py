"""An object's element history: its sets in order, its manoeuvres, its drag, the set a window needs.

Built from whatever sets are known (cache, bundled, a history file); pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from .manoeuvres import Manoeuvre, detect_manoeuvre
from .model import Elements
from .utc import DAY_S, as_utc

#: The drag is measured on the history of this many days before a set (its 30-day
#: weighted median follows the Sun's 27-day rotation without chasing one storm).
DRAG_HISTORY_DAYS = 30.0
#: Intervals between consecutive sets shorter than this (days) are too short to measure drag.
MIN_DRAG_INTERVAL_DAYS = 0.9
#: An interval whose decay rate is more than this factor away from both sets' own drag terms
#: is not drag (an unseen small manoeuvre, a bad set) and is left out of the measure.
IMPLAUSIBLE_DRAG_FACTOR = 3.0
#: Epochs closer than this (seconds) are the same set.
SAME_EPOCH_S = 1.0


@dataclass(frozen=True)
class ElementHistory:
    """The element sets of one object, oldest first (one per epoch), and the manoeuvres between them."""

    sets: tuple[Elements, ...]
    manoeuvres: tuple[Manoeuvre, ...]
    #: For each manoeuvre, the index in ``sets`` of the last set before it.
    manoeuvre_after_set: tuple[int, ...]

    @property
    def newest(self) -> Elements:
        return self.sets[-1]

    @property
    def norad_id(self) -> int:
        return self.sets[-1].norad_id

    def for_window(self, start: datetime) -> Elements:
        """The set for a window starting at ``start``: nearest it, on its side of every manoeuvre.

        Elements from before a reboost predict minutes wrong after it, however near their
        epoch; so the window's side of each detected manoeuvre is chosen first, then the
        nearest epoch (the earlier on a tie).
        """
        start = as_utc(start)
        first, last = 0, len(self.sets) - 1
        for manoeuvre, index in zip(self.manoeuvres, self.manoeuvre_after_set, strict=True):
            if manoeuvre.time <= start:
                first = index + 1
            else:
                last = min(last, index)
                break
        side = self.sets[first : last + 1]
        return min(side, key=lambda e: abs(e.age_days(start)))

    def manoeuvres_after(self, elements: Elements, until: datetime) -> tuple[Manoeuvre, ...]:
        """The detected manoeuvres after the epoch of ``elements`` and before ``until``."""
        return tuple(m for m in self.manoeuvres if elements.epoch < m.time < as_utc(until))

    def drag_before(self, when: datetime) -> float | None:
        """The drag the history shows before ``when``: ndot/2 in rev/day², None if it shows none.

        The decay rate (n₂ − n₁) / (2·Δt) of each interval between consecutive sets that
        ends by ``when``, starts within :data:`DRAG_HISTORY_DAYS` before it, lasts at
        least :data:`MIN_DRAG_INTERVAL_DAYS`, holds no manoeuvre and is plausible drag; the
        median of those rates weighted by the intervals' lengths (a long interval measures
        drag better than the scatter of one set).
        """
        when = as_utc(when)
        earliest = when - timedelta(days=DRAG_HISTORY_DAYS)
        across = set(self.manoeuvre_after_set)
        rates: list[tuple[float, float]] = []
        for k in range(len(self.sets) - 1):
            older, newer = self.sets[k], self.sets[k + 1]
            if older.epoch < earliest or newer.epoch > when or k in across:
                continue
            days = (newer.epoch - older.epoch).total_seconds() / DAY_S
            if days < MIN_DRAG_INTERVAL_DAYS:
                continue
            rate = (newer.mean_motion - older.mean_motion) / (2.0 * days)
            drags = (abs(older.mean_motion_dot), abs(newer.mean_motion_dot))
            if not min(drags) / IMPLAUSIBLE_DRAG_FACTOR <= rate <= max(drags) * IMPLAUSIBLE_DRAG_FACTOR:
                continue
            rates.append((rate, days))
        return weighted_median(rates) if rates else None


def weighted_median(values_and_weights: Iterable[tuple[float, float]]) -> float:
    """The lower weighted median: the smallest value whose cumulative weight reaches half the total."""
    ordered = sorted(values_and_weights)
    total = sum(weight for _, weight in ordered)
    running = 0.0
    for value, weight in ordered:
        running += weight
        if running >= total / 2.0:
            return value
    raise ValueError("no values")


def element_history(sets: Iterable[Elements]) -> ElementHistory:
    """The history of one object from its sets in any order; the first given of equal epochs is kept.

    Raises ValueError when the sets are of several objects, or there are none.
    """
    given = list(sets)
    if not given:
        raise ValueError("no element sets")
    if len({e.norad_id for e in given}) > 1:
        raise ValueError("element sets of several objects are not one history")
    order = sorted(range(len(given)), key=lambda k: given[k].epoch)
    kept: list[Elements] = []
    cluster = [order[0]]
    for k in order[1:]:
        if (given[k].epoch - given[cluster[0]].epoch).total_seconds() <= SAME_EPOCH_S:
            cluster.append(k)
            continue
        kept.append(given[min(cluster)])
        cluster = [k]
    kept.append(given[min(cluster)])
    manoeuvres, after = [], []
    for index, (older, newer) in enumerate(pairwise(kept)):
        found = detect_manoeuvre(older, newer)
        if found is not None:
            manoeuvres.append(found)
            after.append(index)
    return ElementHistory(tuple(kept), tuple(manoeuvres), tuple(after))
