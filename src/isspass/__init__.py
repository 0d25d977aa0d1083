"""isspass: when can I step outside and see the International Space Station?

Predict passes of the ISS (or any satellite with orbital elements) over an observer and
say which ones a person can see: above the horizon, sunlit, while the sky is dark.

>>> import isspass
>>> berlin = isspass.Observer(52.52, 13.40)
>>> passes = isspass.find_passes(berlin)            # the next 10 days, visible only
"""

from .elements import (
    ISS_NORAD_ID,
    Elements,
    Satellite,
    bundled_elements,
    load_satellite,
    parse_elements,
    read_elements,
)
from .errors import (
    ElementsError,
    IsspassError,
    PropagationError,
    SatelliteNotFoundError,
    StaleElementsError,
)
from .model import Observer, Pass, PassPoint, PassType, compass_point
from .search import find_passes, find_passes_many, iter_passes_many

__version__ = "0.1.0"

__all__ = [
    "ISS_NORAD_ID",
    "Elements",
    "ElementsError",
    "IsspassError",
    "Observer",
    "Pass",
    "PassPoint",
    "PassType",
    "PropagationError",
    "Satellite",
    "SatelliteNotFoundError",
    "StaleElementsError",
    "__version__",
    "bundled_elements",
    "compass_point",
    "find_passes",
    "find_passes_many",
    "iter_passes_many",
    "load_satellite",
    "parse_elements",
    "read_elements",
]
