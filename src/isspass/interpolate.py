"""Interpolating tabulated vectors: Lagrange and Hermite polynomials over sliding stencils of nodes.

Numpy only. Nodes may be unevenly spaced; the polynomial of every interval is built once.

Each interval between two nodes is served by the ``size`` consecutive nodes centred on it
(fewer on one side at the ends of the table). Lagrange interpolation passes through the
values; Hermite interpolation also matches the derivatives (a state vector's velocity),
which doubles the degree for the same nodes: four nodes give a degree-7 polynomial. Each
interval's polynomial is kept in powers of the time since its first node, with its
derivative beside it, so that evaluating many times is one gather and one product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def stencil_starts(nodes: Array, s: Array, size: int) -> NDArray[np.intp]:
    """For each time in ``s``, the index of the first of the ``size`` nodes centred on it.

    >>> stencil_starts(np.arange(10.0), np.array([0.5, 4.2, 9.0]), 4).tolist()
    [0, 3, 6]
    """
    first = np.searchsorted(nodes, s, side="right") - size // 2
    return np.clip(first, 0, nodes.size - size)


def divided_differences(z: Array, table: Array, derivatives: Array | None = None) -> Array:
    """Newton coefficients f[z_0 … z_j] of many polynomials at once.

    ``z`` (S, N) are the nodes of S polynomials, ``table`` (S, N, k) the values there.
    With ``derivatives`` (S, N, k), each node appears twice in a row in ``z`` and the first
    difference of a repeated node is its derivative (Hermite interpolation).
    """
    coefficients = table.copy()
    count = z.shape[1]
    for order in range(1, count):
        step = z[:, order:] - z[:, : count - order]
        upper = coefficients[:, order:] - coefficients[:, order - 1 : count - 1]
        if order == 1 and derivatives is not None:
            repeated = step == 0.0
            column = np.where(
                repeated[..., None], derivatives[:, 1:], upper / np.where(repeated, 1.0, step)[..., None]
            )
        else:
            column = upper / step[..., None]
        coefficients[:, order:] = column
    return coefficients


def newton_to_powers(z: Array, newton: Array, origin: Array) -> Array:
    """The coefficients (S, N, k) in powers of (t − origin) of Newton-form polynomials.

    p(t) = Σ_m a_m Π_{i<m} (t − z_i) with ``newton`` (S, N, k) the a_m and ``z`` (S, N).
    """
    count, shift = z.shape[1], z - origin[:, None]
    powers = np.zeros(newton.shape)
    basis = np.zeros(z.shape)  # Π_{i<m} (u − shift_i) in powers of u
    basis[:, 0] = 1.0
    for m in range(count):
        powers += newton[:, m, None, :] * basis[:, :, None]
        if m + 1 < count:
            raised = np.zeros_like(basis)
            raised[:, 1:] = basis[:, :-1]
            basis = raised - shift[:, m, None] * basis
    return powers


@dataclass(frozen=True)
class Polynomials:
    """Piecewise interpolating polynomials of a table of vectors, ready to evaluate anywhere inside it.

    ``nodes`` (n,) are the table's times (increasing); ``coefficients`` (n − 1, N, 2k) hold,
    for interval j, the polynomial of its stencil (``size`` nodes) in powers of
    (t − nodes[j]): the values' in ``[..., :k]`` and their derivative's in ``[..., k:]``.
    """

    nodes: Array
    coefficients: Array
    size: int

    @classmethod
    def lagrange(cls, nodes: Array, values: Array, degree: int) -> Polynomials:
        """Lagrange interpolation of ``values`` (k, n) of the given degree (at most n − 1)."""
        nodes = np.asarray(nodes, dtype=float)
        size = int(min(degree + 1, nodes.size))
        index = _stencils(nodes, size)
        newton = divided_differences(nodes[index], np.asarray(values, dtype=float).T[index])
        return cls._from_newton(nodes, nodes[index], newton, size)

    @classmethod
    def hermite(cls, nodes: Array, values: Array, derivatives: Array, size: int) -> Polynomials:
        """Hermite interpolation of ``values`` and ``derivatives`` (k, n) on ``size`` nodes.

        The polynomials have degree 2·size − 1.
        """
        nodes = np.asarray(nodes, dtype=float)
        size = int(min(size, nodes.size))
        index = np.repeat(_stencils(nodes, size), 2, axis=1)
        values, derivatives = np.asarray(values, dtype=float).T, np.asarray(derivatives, dtype=float).T
        newton = divided_differences(nodes[index], values[index], derivatives[index])
        return cls._from_newton(nodes, nodes[index], newton, size)

    @classmethod
    def _from_newton(cls, nodes: Array, z: Array, newton: Array, size: int) -> Polynomials:
        powers = newton_to_powers(z, newton, nodes[:-1])
        slopes = np.zeros_like(powers)
        slopes[:, :-1] = powers[:, 1:] * np.arange(1, powers.shape[1])[None, :, None]
        return cls(nodes, np.concatenate([powers, slopes], axis=2), size)

    @property
    def degree(self) -> int:
        return self.coefficients.shape[1] - 1

    def __call__(self, s: Array) -> tuple[Array, Array]:
        """Values and first derivatives at the times ``s`` (q,): two (k, q) arrays.

        Times outside the nodes are extrapolated from the end intervals: callers keep within the table.
        """
        s = np.asarray(s, dtype=float)
        interval = np.clip(np.searchsorted(self.nodes, s, side="right") - 1, 0, self.nodes.size - 2)
        u = s - self.nodes[interval]
        powers = u[:, None] ** np.arange(self.coefficients.shape[1])
        both = np.einsum("qn,qnk->kq", powers, self.coefficients[interval])
        half = both.shape[0] // 2
        return both[:half], both[half:]


def _stencils(nodes: Array, size: int) -> NDArray[np.intp]:
    """The node indices (n − 1, size) of the stencil serving each interval."""
    first = stencil_starts(nodes, nodes[:-1], size)
    return first[:, None] + np.arange(size)
