"""A published trajectory as the search sees a satellite: interpolated state vectors, TEME and Earth-fixed.

The OEM's frame (EME2000, GCRF/ICRF) is rotated to TEME with Skyfield's own matrices, as the Sun is.

A :class:`TrajectorySatellite` is accepted by the search wherever a Satellite is; for a
window it becomes a :class:`TrajectoryOrbit`, which answers what
:class:`isspass.sky.Orbit` answers (positions and velocities at seconds from the window's
origin), so the pass search, the shadow, the magnitudes and the many-observer batches run
unchanged on it. The state vectors are rotated to TEME once, at their own epochs (the
rotation drifts smoothly, by metres a day, and the polynomials absorb it), and the
polynomials are built once per trajectory, not per window.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from .ephemeris import Ephemeris, EphemerisSegment, window_padding_s
from .errors import TrajectoryCoverageError
from .freshness import DRAG_UNCERTAINTY_PERCENT, drift_uncertainty_s
from .interpolate import Polynomials
from .model import Elements
from .sky import Array, SunTrack, skyfield_timescale, teme_to_itrs
from .utc import DAY_S, as_utc, utc_from_posix

#: Without an INTERPOLATION in the file: Hermite on four vectors (a degree-7 polynomial).
#: Leaving out single vectors of NASA's 4-minute ISS file and predicting each from its
#: neighbours across the doubled gap, it errs by 0.24 m (median), 1.2 m at most.
DEFAULT_HERMITE_NODES = 4
#: The Lagrange degree when a file says LAGRANGE without one.
DEFAULT_LAGRANGE_DEGREE = 8
#: Spacing of the rotation matrices interpolated to the vectors' epochs: nutation's
#: fastest terms (13.7 days) then err by under 1e-8 rad, 0.1 m at the ISS.
_MATRIX_NODE_S = 12 * 3600.0
#: Orbits per fit of the semi-major axis's decay.
_ORBITS_PER_FIT = 16


def teme_rotation(frame: str, unix_s: Array) -> Array:
    """Matrices (3, 3, n) taking vectors in an OEM frame to TEME at UTC POSIX times ``unix_s``.

    EME2000 is the GCRS less Skyfield's frame bias; GCRF and ICRF are taken as the GCRS;
    TEME is Skyfield's (GMST 1982 and IAU 2000B nutation, as the Sun track uses).
    """
    unix_s = np.atleast_1d(np.asarray(unix_s, dtype=float))
    if frame == "TEME":
        return np.broadcast_to(np.eye(3)[:, :, None], (3, 3, unix_s.size)).copy()
    from skyfield.framelib import ICRS_to_J2000
    from skyfield.nutationlib import iau2000b_radians
    from skyfield.sgp4lib import TEME

    first, last = float(unix_s.min()), float(unix_s.max())
    nodes = first + _MATRIX_NODE_S * np.arange(math.ceil((last - first) / _MATRIX_NODE_S) + 2)
    days = np.floor(nodes / DAY_S)
    times = skyfield_timescale().utc(1970, 1, 1 + days, 0, 0, nodes - days * DAY_S)
    times._nutation_angles_radians = iau2000b_radians(times)
    matrices = TEME.rotation_at(times)  # GCRS → TEME
    if frame == "EME2000":
        matrices = np.einsum("ijn,kj->ikn", matrices, ICRS_to_J2000)  # EME2000 → GCRS → TEME
    return np.stack([[np.interp(unix_s, nodes, matrices[i, j]) for j in range(3)] for i in range(3)])


@dataclass(frozen=True)
class TrajectoryPiece:
    """One segment, ready to evaluate: its useable span (UTC POSIX s) and its polynomials in TEME.

    The polynomials' times are seconds from ``origin_s`` (the segment's first epoch).
    """

    first_s: float
    last_s: float
    origin_s: float
    polynomials: Polynomials
    hermite: bool  # values and derivatives; else Lagrange of positions and velocities stacked

    @classmethod
    def build(cls, segment: EphemerisSegment) -> TrajectoryPiece:
        """Rotate a segment's vectors to TEME and build its polynomials.

        The method is the one the file states (LAGRANGE or LINEAR of its degree, HERMITE
        of its degree), else Hermite on four vectors.
        """
        epochs = segment.epochs_s
        rotation = teme_rotation(segment.ref_frame, epochs)
        position = np.einsum("ijn,jn->in", rotation, segment.position_km)
        velocity = np.einsum("ijn,jn->in", rotation, segment.velocity_km_s)
        origin = float(epochs[0])
        nodes = epochs - origin
        method, degree = segment.interpolation, segment.interpolation_degree
        if method in ("LAGRANGE", "LINEAR"):
            degree = degree or (1 if method == "LINEAR" else DEFAULT_LAGRANGE_DEGREE)
            polynomials = Polynomials.lagrange(nodes, np.vstack([position, velocity]), degree)
            hermite = False
        else:
            size = max((degree + 1) // 2, 2) if method == "HERMITE" and degree else DEFAULT_HERMITE_NODES
            polynomials, hermite = Polynomials.hermite(nodes, position, velocity, size), True
        first, last = segment.useable_start.timestamp(), segment.useable_stop.timestamp()
        return cls(first, last, origin, polynomials, hermite)

    def teme(self, s: Array, offset_s: float) -> tuple[Array, Array]:
        """TEME position (km) and velocity (km/s) at ``s + offset_s`` seconds from the origin."""
        value, slope = self.polynomials(s + offset_s)
        return (value, slope) if self.hermite else (value[:3], value[3:])


@dataclass(frozen=True, eq=False)
class TrajectorySatellite:
    """A satellite predicted from a published trajectory (an OEM) instead of elements.

    Accepted by :func:`~isspass.find_passes` and its siblings wherever a
    :class:`~isspass.Satellite` is, for windows the trajectory covers with an orbit to
    spare. ``norad_id`` says which satellite it is; ``standard_magnitude`` as for a
    Satellite; ``name`` defaults to the OEM's object name. Derived when built:
    ``mean_motion`` (rev/day) and ``mean_motion_dot`` (the drag term ndot/2, rev/day², as in
    a TLE), measured on the trajectory for the timing-uncertainty estimate, and the
    interpolating polynomials.
    """

    ephemeris: Ephemeris
    norad_id: int
    standard_magnitude: float | None = None
    name: str = ""
    mean_motion: float = field(init=False)
    mean_motion_dot: float = field(init=False)
    pieces: tuple[TrajectoryPiece, ...] = field(init=False, repr=False)
    #: Elements of the same satellite that number its revolutions (pass ids); None: no ids.
    reference: Elements | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.ephemeris.object_name)
        mean_motion, mean_motion_dot = measure_decay(self.ephemeris)
        object.__setattr__(self, "mean_motion", mean_motion)
        object.__setattr__(self, "mean_motion_dot", mean_motion_dot)
        object.__setattr__(self, "pieces", tuple(TrajectoryPiece.build(s) for s in self.ephemeris.segments))

    def with_reference(self, elements: Elements | None) -> TrajectorySatellite:
        """This trajectory with elements that number its revolutions (an OEM carries no count)."""
        twin = copy.copy(self)  # the interpolating polynomials are shared, not rebuilt
        object.__setattr__(twin, "reference", elements)
        return twin

    @property
    def epoch(self) -> datetime:
        """When the prediction was made: the OEM's creation time (UTC)."""
        return self.ephemeris.created

    @property
    def source(self) -> str:
        """Where the trajectory came from, e.g. ``OEM cache (/home/me/.cache/isspass/25544.oem)``."""
        return f"OEM {self.ephemeris.source}"

    @property
    def period_s(self) -> float:
        """The orbital period, seconds."""
        return DAY_S / self.mean_motion

    def age_days(self, when: datetime) -> float:
        """Days from the trajectory's creation to ``when``."""
        return (as_utc(when) - self.epoch).total_seconds() / DAY_S

    def can_predict(self, start: datetime, end: datetime) -> bool:
        """True when the trajectory covers ``start``…``end`` with the search's padding to spare."""
        pad = timedelta(seconds=window_padding_s(self.period_s))
        return self.ephemeris.covers(as_utc(start) - pad, as_utc(end) + pad)

    def timing_uncertainty_s(
        self, when: datetime, drag_uncertainty_percent: float = DRAG_UNCERTAINTY_PERCENT
    ) -> float:
        """Estimated timing error (s) at ``when``: Molczan's drag estimate, from the trajectory's creation.

        The formula used for elements (:func:`isspass.freshness.timing_uncertainty_s`), with
        the decay the trajectory itself shows, counted from when it was made. Planned
        manoeuvres are in the trajectory; unplanned ones are not.
        """
        return drift_uncertainty_s(
            self.mean_motion, self.mean_motion_dot, self.age_days(when), drag_uncertainty_percent
        )


@dataclass(frozen=True)
class TrajectoryOrbit:
    """A trajectory over one window: positions at any time, TEME or Earth-fixed, as an Orbit gives them.

    Times are seconds from ``sun.t0_unix``. A time outside the trajectory raises
    :class:`~isspass.errors.TrajectoryCoverageError`.
    """

    satellite: TrajectorySatellite
    sun: SunTrack

    def teme(self, s: Array) -> tuple[Array, Array]:
        """TEME position (km) and velocity (km/s), each (3, n), at seconds from ``t0``."""
        s = np.asarray(s, dtype=float)
        t0, pieces = self.sun.t0_unix, self.satellite.pieces
        if len(pieces) == 1:
            which = np.zeros(s.shape, dtype=np.intp)
        else:
            starts = np.array([piece.first_s - t0 for piece in pieces])
            which = np.clip(np.searchsorted(starts, s, side="right") - 1, 0, len(pieces) - 1)
        first = np.array([piece.first_s - t0 for piece in pieces])[which]
        last = np.array([piece.last_s - t0 for piece in pieces])[which]
        outside = (s < first - 1e-6) | (s > last + 1e-6)
        if np.any(outside):
            when = utc_from_posix(t0 + float(s[outside][0]))
            raise TrajectoryCoverageError(
                f"the trajectory ({self.satellite.source}) does not cover {when:%Y-%m-%d %H:%M:%S} UTC"
            )
        if len(pieces) == 1:
            return pieces[0].teme(s, t0 - pieces[0].origin_s)
        r, v = np.empty((3, s.size)), np.empty((3, s.size))
        for number, piece in enumerate(pieces):
            mine = which == number
            if np.any(mine):
                r[:, mine], v[:, mine] = piece.teme(s[mine], t0 - piece.origin_s)
        return r, v

    def itrs(self, s: Array) -> tuple[Array, Array]:
        """Earth-fixed position (km) and velocity (km/s, in the rotating frame)."""
        s = np.asarray(s, dtype=float)
        r_teme, v_teme = self.teme(s)
        return teme_to_itrs(self.sun, s, r_teme, v_teme)

    def to_itrs(self, s: Array, r_teme: Array, v_teme: Array) -> tuple[Array, Array]:
        return teme_to_itrs(self.sun, s, r_teme, v_teme)


# --------------------------------------------------------------------------- the orbit's decay


def measure_decay(ephemeris: Ephemeris) -> tuple[float, float]:
    """The mean motion (rev/day) and drag term ndot/2 (rev/day², as in a TLE) the trajectory shows.

    The osculating semi-major axis is averaged over each whole orbit and its decay fitted
    over runs of 16 orbits; the median run wins, so that a run holding a reboost does not
    count. A trajectory shorter than three orbits shows no decay (0).
    """
    from .oem import MU_KM3_S2  # the OEM reader: loaded with a trajectory, not for every prediction

    slopes: list[float] = []
    axes: list[Array] = []
    for segment in ephemeris.segments:
        t = segment.epochs_s
        radius = np.sqrt(np.sum(segment.position_km**2, axis=0))
        speed2 = np.sum(segment.velocity_km_s**2, axis=0)
        axis = 1.0 / (2.0 / radius - speed2 / MU_KM3_S2)
        axes.append(axis)
        period = 2 * math.pi * math.sqrt(float(np.mean(axis)) ** 3 / MU_KM3_S2)
        edges = t[0] + period * np.arange(int((t[-1] - t[0]) // period) + 1)
        if edges.size < 4:
            continue
        fractions = (np.arange(64) + 0.5) / 64
        means = np.interp(edges[:-1, None] + period * fractions[None, :], t, axis).mean(axis=1)
        centres = edges[:-1] + period / 2
        for first in range(0, means.size, _ORBITS_PER_FIT):
            run = slice(first, first + _ORBITS_PER_FIT)
            if means[run].size >= 3:
                slopes.append(float(np.polyfit(centres[run] - centres[first], means[run], 1)[0]))
    mean_axis = float(np.mean(np.concatenate(axes)))
    mean_motion = math.sqrt(MU_KM3_S2 / mean_axis**3) * DAY_S / (2 * math.pi)
    if not slopes:
        return mean_motion, 0.0
    decay_km_day = float(np.median(slopes)) * DAY_S
    return mean_motion, abs(0.75 * mean_motion / mean_axis * decay_km_day)
