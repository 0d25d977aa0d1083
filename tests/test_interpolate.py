"""The interpolation kernels: exact on polynomials of their degree, on hand-made and uneven nodes."""

from __future__ import annotations

import numpy as np
import pytest

from isspass.interpolate import Polynomials, divided_differences, newton_to_powers, stencil_starts


def test_stencils_are_centred_and_clamped_at_the_ends():
    nodes = np.arange(10.0)
    assert stencil_starts(nodes, np.array([0.0, 0.5, 4.2, 4.9, 8.99, 9.0, 12.0]), 4).tolist() == [
        0,
        0,
        3,
        3,
        6,
        6,
        6,
    ]
    assert stencil_starts(nodes, np.array([4.5]), 3).tolist() == [4]  # an odd stencil leans forward
    assert stencil_starts(nodes[:3], np.array([1.5]), 3).tolist() == [0]


def test_newton_form_and_powers_agree_with_numpy():
    z = np.array([[0.0, 1.0, 3.0, 4.0]])
    f = np.array([[[1.0], [2.0], [10.0], [17.0]]])  # t² + 1
    newton = divided_differences(z, f)
    assert newton[0, :, 0].tolist() == pytest.approx([1.0, 1.0, 1.0, 0.0])
    powers = newton_to_powers(z, newton, np.array([2.0]))  # about t = 2: 5 + 4u + u²
    assert powers[0, :, 0].tolist() == pytest.approx([5.0, 4.0, 1.0, 0.0])


@pytest.fixture
def uneven():
    return np.array([0.0, 0.7, 2.0, 2.1, 4.0, 5.5, 6.0, 8.25, 9.0, 11.0])


def test_lagrange_is_exact_on_polynomials_of_its_degree(uneven):
    def f(t):
        return np.stack([t**5 - 4 * t**2 + 2, -3 * t + 1])

    def df(t):
        return np.stack([5 * t**4 - 8 * t, np.full_like(t, -3.0)])

    s = np.linspace(uneven[0], uneven[-1], 101)
    value, slope = Polynomials.lagrange(uneven, f(uneven), 5)(s)
    assert value == pytest.approx(f(s), rel=1e-11, abs=1e-9)
    assert slope == pytest.approx(df(s), rel=1e-9, abs=1e-7)
    # One degree short, it is not.
    value, _ = Polynomials.lagrange(uneven, f(uneven), 4)(s)
    assert np.abs(value[0] - f(s)[0]).max() > 1e-3


def test_hermite_matches_values_and_derivatives_and_is_exact_to_degree_seven(uneven):
    def f(t):
        return np.stack([t**7 - 3 * t**3 + 1])

    def df(t):
        return np.stack([7 * t**6 - 9 * t**2])

    hermite = Polynomials.hermite(uneven, f(uneven), df(uneven), 4)
    assert hermite.degree == 7
    s = np.linspace(uneven[0], uneven[-1], 101)
    value, slope = hermite(s)
    assert value == pytest.approx(f(s), rel=1e-10)
    assert slope == pytest.approx(df(s), rel=1e-9)
    at_nodes, slope_at_nodes = hermite(uneven)
    assert at_nodes == pytest.approx(f(uneven), rel=1e-12, abs=1e-12)
    assert slope_at_nodes == pytest.approx(df(uneven), rel=1e-10, abs=1e-10)


def test_a_table_smaller_than_the_stencil_uses_every_node():
    nodes = np.array([0.0, 1.0, 2.0])
    quadratic = Polynomials.lagrange(nodes, np.array([[1.0, 2.0, 5.0]]), 8)  # t² + 1
    assert quadratic.degree == 2
    assert quadratic(np.array([1.5]))[0][0] == pytest.approx([3.25])
    cubic = Polynomials.hermite(nodes[:2], np.array([[0.0, 1.0]]), np.array([[0.0, 3.0]]), 4)  # t³
    assert cubic(np.array([0.5]))[0][0] == pytest.approx([0.125])
