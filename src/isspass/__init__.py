"""isspass: when can I step outside and see the International Space Station?

Predict passes of the ISS (or any satellite with orbital elements) over an observer and
say which ones a person can see: above the horizon, sunlit, while the sky is dark.

>>> import isspass
>>> berlin = isspass.Observer(52.52, 13.40)
>>> passes = isspass.find_passes(berlin)            # the next 10 days, visible only
"""

__version__ = "0.1.0"

from .bundled import bundled_elements, standard_magnitudes
from .elements import ISS_NORAD_ID, parse_elements, read_elements
from .ephemeris import Ephemeris, PlannedEvent
from .errors import (
    ElementsError,
    IsspassError,
    IsspassWarning,
    ManoeuvreWarning,
    PlaceNotFoundError,
    PropagationError,
    RefreshWarning,
    SatelliteNotFoundError,
    SatelliteSkippedWarning,
    StaleElementsError,
    StaleElementsWarning,
    TrajectoryCoverageError,
    TrajectoryError,
    TrajectoryWarning,
)
from .frames import passes_to_dataframe
from .gazetteer import Place, find_place, find_places
from .model import Elements, Observer, Pass, PassPoint, PassType, Satellite, SatelliteId, compass_point
from .oem import parse_oem, read_oem
from .pass_track import PassTrack, pass_track
from .search import find_passes, find_passes_many, iter_passes_many
from .selection import FleetChoice, choose_satellites
from .sources import ElementChoice, ElementPolicy, choose_satellite, load_satellite
from .trajectory import TrajectorySatellite
from .trajectory_policy import choose_source, load_trajectory

__all__ = [
    "ISS_NORAD_ID",
    "ElementChoice",
    "ElementPolicy",
    "Elements",
    "ElementsError",
    "Ephemeris",
    "FleetChoice",
    "IsspassError",
    "IsspassWarning",
    "ManoeuvreWarning",
    "Observer",
    "Pass",
    "PassPoint",
    "PassTrack",
    "PassType",
    "Place",
    "PlaceNotFoundError",
    "PlannedEvent",
    "PropagationError",
    "RefreshWarning",
    "Satellite",
    "SatelliteId",
    "SatelliteNotFoundError",
    "SatelliteSkippedWarning",
    "StaleElementsError",
    "StaleElementsWarning",
    "TrajectoryCoverageError",
    "TrajectoryError",
    "TrajectorySatellite",
    "TrajectoryWarning",
    "__version__",
    "bundled_elements",
    "choose_satellite",
    "choose_satellites",
    "choose_source",
    "compass_point",
    "find_passes",
    "find_passes_many",
    "find_place",
    "find_places",
    "iter_passes_many",
    "load_satellite",
    "load_trajectory",
    "parse_elements",
    "parse_oem",
    "pass_track",
    "passes_to_dataframe",
    "read_elements",
    "read_oem",
    "standard_magnitudes",
]
