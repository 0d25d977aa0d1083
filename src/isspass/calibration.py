"""Calibrating the timing band on real element histories: realized errors, the fit, its validation.

For every manoeuvre-free pair of sets 1–20 days apart, passes predicted with the older set
are compared with the newer set's at the newer epoch; the band's constants are fitted to
cover them, and checked on pairs and periods left out of the fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

import numpy as np
from numpy.typing import NDArray

from .freshness import TIMING_BAND, BandConstants, timing_band_s
from .history import ElementHistory
from .model import Elements, Observer, Pass, Satellite
from .search import find_passes_many
from .utc import DAY_S

#: Pairs of sets this many days apart (inclusive) are compared.
PAIR_DAYS = (1.0, 20.0)
#: The newer set's passes within this many days either side of its epoch are the truth.
TRUTH_HALF_WINDOW_DAYS = 0.5
#: A predicted pass is the same pass as a true one when their culminations are this close.
SAME_PASS_S = 1500.0
#: The share of the fitting passes the fitted band must cover (a margin over the 95 % promised).
FIT_QUANTILE = 0.99
#: The age buckets (days) the band is reported and checked in.
AGE_BUCKETS = ((0.0, 3.0), (3.0, 7.0), (7.0, 14.0), (14.0, math.inf))
#: The tightness rule: the median band in a bucket is at most this many times the realized
#: 95th percentile there, or :data:`TIGHT_FLOOR_S`, whichever is larger.
TIGHT_FACTOR = 3.0
TIGHT_FLOOR_S = 5.0


@dataclass(frozen=True)
class PairErrors:
    """Realized timing errors of the passes predicted with ``older`` against ``newer``.

    ``age_days`` and ``error_s`` are arrays with one entry per event (rise, culmination
    and set of every matched pass of every observer): the event's age from the older epoch
    and the older set's time minus the newer's. ``history_drag`` is the drag (ndot/2,
    rev/day²) the history showed before the older epoch, None when it showed none.
    """

    older: Elements
    newer: Elements
    history_drag: float | None
    age_days: NDArray[np.float64]
    error_s: NDArray[np.float64]

    @property
    def days_apart(self) -> float:
        return (self.newer.epoch - self.older.epoch).total_seconds() / DAY_S

    def band_s(self, constants: BandConstants = TIMING_BAND) -> NDArray[np.float64]:
        """The band at each event, as the library computes it."""
        drag = math.nan if self.history_drag is None else self.history_drag
        return timing_band_s(
            self.age_days, self.older.mean_motion, self.older.mean_motion_dot, drag, constants
        )

    def covered(self, constants: BandConstants = TIMING_BAND) -> NDArray[np.bool_]:
        return np.abs(self.error_s) <= self.band_s(constants)


def calibration_observers(count: int = 50) -> list[Observer]:
    """``count`` observers spread evenly (a golden-angle spiral) between 60° S and 60° N."""
    top = math.sin(math.radians(60.0))
    golden = math.pi * (3.0 - math.sqrt(5.0))
    observers = []
    for k in range(count):
        z = top * (1.0 - 2.0 * (k + 0.5) / count)
        longitude = math.degrees((k * golden) % (2.0 * math.pi)) - 180.0
        observers.append(Observer(math.degrees(math.asin(z)), longitude))
    return observers


def realized_errors(
    history: ElementHistory,
    observers: Sequence[Observer],
    pair_days: tuple[float, float] = PAIR_DAYS,
) -> list[PairErrors]:
    """The realized errors of every manoeuvre-free pair of ``history``'s sets ``pair_days`` apart."""
    sets = history.sets
    across = history.manoeuvre_after_set
    truth = {i: _passes(sets[i], observers, TRUTH_HALF_WINDOW_DAYS) for i in range(len(sets))}
    pairs = []
    for i, older in enumerate(sets):
        for j in range(i + 1, len(sets)):
            newer = sets[j]
            days = (newer.epoch - older.epoch).total_seconds() / DAY_S
            if not pair_days[0] <= days <= pair_days[1] or any(i <= k < j for k in across):
                continue
            predicted = _passes(older, observers, TRUTH_HALF_WINDOW_DAYS, around=newer)
            age, error = _compare(older, truth[j], predicted)
            pairs.append(PairErrors(older, newer, history.drag_before(older.epoch), age, error))
    return pairs


def _passes(
    elements: Elements, observers: Sequence[Observer], half_days: float, around: Elements | None = None
) -> list[list[Pass]]:
    """Every pass over each observer within ``half_days`` of ``around``'s epoch (default: its own).

    A prediction (``around`` given) searches an hour wider, so that a pass the truth has
    at the window's edge is found even when the prediction moves it.
    """
    centre = (around or elements).epoch
    pad = timedelta(hours=1) if around is not None else timedelta(0)
    start = centre - timedelta(days=half_days) - pad
    days = 2 * half_days + 2 * pad.total_seconds() / DAY_S
    return find_passes_many(observers, start, days, satellite=Satellite(elements), visible_only=False)


def _compare(
    older: Elements, truth: list[list[Pass]], predicted: list[list[Pass]]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    ages, errors = [], []
    for true_passes, mine in zip(truth, predicted, strict=True):
        if not mine:
            continue
        culminations = np.array([p.culmination.time.timestamp() for p in mine])
        for p in true_passes:
            gap = np.abs(culminations - p.culmination.time.timestamp())
            match = mine[int(np.argmin(gap))]
            if gap.min() > SAME_PASS_S:
                continue
            events = ((p.rise, match.rise), (p.culmination, match.culmination), (p.set, match.set))
            for true_point, my_point in events:
                errors.append((my_point.time - true_point.time).total_seconds())
                ages.append((true_point.time - older.epoch).total_seconds() / DAY_S)
    return np.array(ages), np.array(errors)


# --------------------------------------------------------------------------- the fit


@dataclass(frozen=True)
class _Events:
    """Every event of a set of pairs, as flat arrays (one entry per event)."""

    pair: NDArray[np.int_]
    age_days: NDArray[np.float64]
    error_s: NDArray[np.float64]
    mean_motion: NDArray[np.float64]
    set_drag: NDArray[np.float64]
    history_drag: NDArray[np.float64]

    @classmethod
    def of(cls, pairs: Sequence[PairErrors]) -> _Events:
        def spread(values: list[float]) -> NDArray[np.float64]:
            return np.concatenate([np.full(p.age_days.size, v) for p, v in zip(pairs, values, strict=True)])

        return cls(
            pair=np.concatenate([np.full(p.age_days.size, k) for k, p in enumerate(pairs)]),
            age_days=np.concatenate([p.age_days for p in pairs]),
            error_s=np.abs(np.concatenate([p.error_s for p in pairs])),
            mean_motion=spread([p.older.mean_motion for p in pairs]),
            set_drag=np.abs(spread([p.older.mean_motion_dot for p in pairs])),
            history_drag=spread([math.nan if p.history_drag is None else p.history_drag for p in pairs]),
        )


def fit_band(
    pairs: Sequence[PairErrors], quantile: float = FIT_QUANTILE, base: BandConstants = TIMING_BAND
) -> BandConstants:
    """``base`` with its two drag factors fitted to cover ``quantile`` of the pairs' events.

    ``history_factor`` on the events whose older set has a history; ``single_set_factor``
    on every event, as if no set had one (so that a set standing alone, a file of one TLE,
    gets a band as honest). The other constants are kept: the form of the band is fixed,
    only its scale is fitted.
    """
    events = _Events.of(pairs)
    with_history = ~np.isnan(events.history_drag)
    if not np.any(with_history):
        raise ValueError("no pair has a history to fit the history factor on")
    history_need = _needed_factor(events, base, use_history=True)[with_history]
    alone_need = _needed_factor(events, base, use_history=False)
    return replace(
        base,
        history_factor=float(max(np.quantile(history_need, quantile), 0.0)),
        single_set_factor=float(max(np.quantile(alone_need, quantile), 0.0)),
    )


def _needed_factor(events: _Events, c: BandConstants, *, use_history: bool) -> NDArray[np.float64]:
    """For each event, the smallest drag factor whose band covers it (see :func:`timing_band_s`)."""
    seconds_per_drag = DAY_S * events.age_days**2 / events.mean_motion  # s per (rev/day²)
    beyond_floor = events.error_s - c.floor_s
    covered_anyway = beyond_floor <= c.growth_s_per_day * events.age_days
    if use_history:
        h = np.nan_to_num(events.history_drag)
        unit = np.minimum(h / c.drag_reference, c.max_drag_ratio) * h
        rest = beyond_floor - seconds_per_drag * c.mismatch_factor * np.abs(h - events.set_drag)
    else:
        d = events.set_drag
        unit = np.minimum(d / c.drag_reference, c.max_drag_ratio) * d
        rest = beyond_floor
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.where(rest <= 0, 0.0, rest / (seconds_per_drag * unit))
    need[covered_anyway] = 0.0
    return np.nan_to_num(need, nan=0.0, posinf=np.inf)


# --------------------------------------------------------------------------- the checks


def coverage(pairs: Sequence[PairErrors], constants: BandConstants = TIMING_BAND) -> float:
    """The share of the pairs' events inside the band."""
    covered = np.concatenate([p.covered(constants) for p in pairs])
    return float(covered.mean())


def leave_one_pair_out(
    pairs: Sequence[PairErrors], quantile: float = FIT_QUANTILE, base: BandConstants = TIMING_BAND
) -> list[NDArray[np.bool_]]:
    """For each pair, which of its events a band fitted on all the other pairs covers."""
    return [
        pair.covered(fit_band([*pairs[:k], *pairs[k + 1 :]], quantile, base)) for k, pair in enumerate(pairs)
    ]


@dataclass(frozen=True)
class Bucket:
    """The band against the realized errors in one age bucket (days)."""

    low_days: float
    high_days: float
    events: int
    coverage: float
    median_band_s: float
    p95_error_s: float

    @property
    def tight_limit_s(self) -> float:
        return max(TIGHT_FACTOR * self.p95_error_s, TIGHT_FLOOR_S)

    @property
    def tight(self) -> bool:
        return self.median_band_s <= self.tight_limit_s


def buckets(
    pairs: Sequence[PairErrors],
    constants: BandConstants = TIMING_BAND,
    covered: Sequence[NDArray[np.bool_]] | None = None,
) -> list[Bucket]:
    """Coverage, median band and realized 95th percentile per age bucket (:data:`AGE_BUCKETS`).

    ``covered`` overrides which events count as covered (e.g. leave-one-pair-out results).
    """
    age = np.concatenate([p.age_days for p in pairs])
    error = np.abs(np.concatenate([p.error_s for p in pairs]))
    band = np.concatenate([p.band_s(constants) for p in pairs])
    inside = np.concatenate(covered) if covered is not None else error <= band
    found = []
    for low, high in AGE_BUCKETS:
        mask = (age >= low) & (age < high)
        if np.any(mask):
            found.append(
                Bucket(
                    low,
                    high,
                    int(mask.sum()),
                    float(inside[mask].mean()),
                    float(np.median(band[mask])),
                    float(np.percentile(error[mask], 95)),
                )
            )
    return found
