"""The magnitude model: how bright a sunlit satellite looks from the ground.

A phase law fitted to Heavens-Above's ISS magnitudes (see the README's definitions).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: PRODUCT rule: the model's m0 is the listed standard magnitude less 0.07 (fitted to Heavens-Above).
STANDARD_MAGNITUDE_OFFSET = -0.07
#: Weight of the diffuse-sphere phase term; 1 would be a Lambertian sphere.
PHASE_WEIGHT = 0.373


def apparent_magnitude(
    standard_magnitude: float,
    range_km: ArrayLike,
    phase_angle_rad: ArrayLike,
    *,
    phase_weight: float = PHASE_WEIGHT,
    offset: float = STANDARD_MAGNITUDE_OFFSET,
) -> NDArray[np.float64]:
    """Apparent visual magnitude (smaller is brighter) of a sunlit satellite.

    ``standard_magnitude`` is the magnitude at 1000 km and 90° phase; ``range_km`` the
    observer distance in km; ``phase_angle_rad`` the Sun–satellite–observer angle at the
    satellite, radians (0: fully lit as seen by the observer).

    m = (std + offset) + 5·log10(r / 1000) − 2.5·k·log10(sin φ + (π − φ)·cos φ)
    """
    r = np.asarray(range_km, dtype=float)
    phi = np.asarray(phase_angle_rad, dtype=float)
    illuminated = np.sin(phi) + (np.pi - phi) * np.cos(phi)
    with np.errstate(divide="ignore"):
        phase_term = -2.5 * phase_weight * np.log10(np.maximum(illuminated, 1e-12))
    return standard_magnitude + offset + 5.0 * np.log10(r / 1000.0) + phase_term
