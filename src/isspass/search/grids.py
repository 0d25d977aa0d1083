"""Sampling grids shared by many satellites, so that a batch of them is searched as rows of one array.

Each satellite is sampled at least as densely, and over at least as much padding, as its own search.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..ephemeris import window_padding_s
from ..sky import Array
from .track import grid_step_s

#: Satellites share a grid when their own steps lie within this factor of the grid's (the
#: smallest of theirs): at most this many times the samples each would take alone.
STEP_RATIO = 1.25
#: Satellites of longer periods are sampled alone, on their own grids: a pass of a high orbit
#: may outlast the padding (a geostationary one never ends), and is then cut at the grid's
#: ends, which must be the ones a search of that satellite alone would have. Below it a pass
#: is far shorter than an orbit, so a wider padding changes nothing.
SHARED_MAX_PERIOD_S = 6 * 3600.0
#: At most this many satellite-samples (satellites × grid samples) in one batch, which bounds
#: the memory of a batch's positions (six floats a sample) whatever the window.
MAX_BATCH_SAMPLES = 1_000_000


@dataclass(frozen=True)
class SharedGrid:
    """A batch of satellites (their indices in the list given) and the grid they are sampled on."""

    members: tuple[int, ...]
    step_s: float
    pad_s: float
    duration_s: float

    @property
    def times_s(self) -> Array:
        """The grid: seconds from the window's start, ``pad_s`` before it to at least ``pad_s`` after."""
        count = math.ceil((self.duration_s + 2 * self.pad_s) / self.step_s) + 1
        return -self.pad_s + self.step_s * np.arange(count)


def share_grids(
    periods_s: Sequence[float],
    duration_s: float,
    ratio: float = STEP_RATIO,
    max_samples: int | None = None,
) -> list[SharedGrid]:
    """Group satellites of the given periods (s) onto shared grids for a window of ``duration_s``.

    Satellites are taken in order of their own step; a grid takes the next one while its
    step is within ``ratio`` of the grid's first (smallest) one, and while the batch stays
    under ``max_samples`` (default :data:`MAX_BATCH_SAMPLES`). The grid's step is the
    smallest of its members', its padding the largest, so every member is sampled at least
    as finely and as far as alone. Satellites
    of periods over :data:`SHARED_MAX_PERIOD_S` get a grid each, the one they have alone.

    >>> [g.members for g in share_grids([5400.0, 86164.0, 5600.0, 7000.0, 43082.0], 86400.0)]
    [(0, 2), (3,), (1,), (4,)]
    """
    limit = MAX_BATCH_SAMPLES if max_samples is None else max_samples
    order = sorted(range(len(periods_s)), key=lambda k: (grid_step_s(periods_s[k]), k))
    grids: list[SharedGrid] = []
    members: list[int] = []
    step = pad = 0.0
    for k in order:
        own_step, own_pad = grid_step_s(periods_s[k]), window_padding_s(periods_s[k])
        if members:
            wider = max(pad, own_pad)
            samples = (len(members) + 1) * (math.ceil((duration_s + 2 * wider) / step) + 1)
            alone = periods_s[k] > SHARED_MAX_PERIOD_S or pad > SHARED_MAX_PERIOD_S
            if alone or own_step > ratio * step or samples > limit:
                grids.append(SharedGrid(tuple(sorted(members)), step, pad, duration_s))
                members = []
        if not members:
            step, pad = own_step, own_pad
        members.append(k)
        pad = max(pad, own_pad)
    if members:
        grids.append(SharedGrid(tuple(sorted(members)), step, pad, duration_s))
    return grids
