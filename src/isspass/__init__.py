"""isspass: when can I step outside and see the International Space Station?

Predict passes of the ISS (or any satellite with orbital elements) over an observer and
say which ones a person can see: above the horizon, sunlit, while the sky is dark.

>>> import isspass
>>> berlin = isspass.Observer(52.52, 13.40)
>>> passes = isspass.find_passes(berlin)            # the next 10 days, visible only
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
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
    from .passtable import PassTable
    from .search import find_pass_table, find_passes, find_passes_many, iter_pass_tables, iter_passes_many
    from .selection import FleetChoice, choose_satellites
    from .sources import ElementChoice, ElementPolicy, choose_satellite, load_satellite
    from .trajectory import TrajectorySatellite
    from .trajectory_policy import choose_source, load_trajectory

#: Where each public name lives: imported on first use, so that the command line starts
#: without numpy when it has no prediction to make (``--help``, ``--version``).
_HOME = {
    "bundled_elements": "bundled",
    "standard_magnitudes": "bundled",
    "ISS_NORAD_ID": "elements",
    "parse_elements": "elements",
    "read_elements": "elements",
    "Ephemeris": "ephemeris",
    "PlannedEvent": "ephemeris",
    "ElementsError": "errors",
    "IsspassError": "errors",
    "IsspassWarning": "errors",
    "ManoeuvreWarning": "errors",
    "PlaceNotFoundError": "errors",
    "PropagationError": "errors",
    "RefreshWarning": "errors",
    "SatelliteNotFoundError": "errors",
    "SatelliteSkippedWarning": "errors",
    "StaleElementsError": "errors",
    "StaleElementsWarning": "errors",
    "TrajectoryCoverageError": "errors",
    "TrajectoryError": "errors",
    "TrajectoryWarning": "errors",
    "passes_to_dataframe": "frames",
    "Place": "gazetteer",
    "find_place": "gazetteer",
    "find_places": "gazetteer",
    "Elements": "model",
    "Observer": "model",
    "Pass": "model",
    "PassPoint": "model",
    "PassType": "model",
    "Satellite": "model",
    "SatelliteId": "model",
    "compass_point": "model",
    "parse_oem": "oem",
    "read_oem": "oem",
    "PassTrack": "pass_track",
    "pass_track": "pass_track",
    "find_passes": "search",
    "find_passes_many": "search",
    "iter_passes_many": "search",
    "find_pass_table": "search",
    "iter_pass_tables": "search",
    "PassTable": "passtable",
    "FleetChoice": "selection",
    "choose_satellites": "selection",
    "ElementChoice": "sources",
    "ElementPolicy": "sources",
    "choose_satellite": "sources",
    "load_satellite": "sources",
    "TrajectorySatellite": "trajectory",
    "choose_source": "trajectory_policy",
    "load_trajectory": "trajectory_policy",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))


class _Package(ModuleType):
    """The package: a public function named like its module (``pass_track``) stays the function
    when the module is imported later, as it was when every name was imported up front."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _HOME.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
    "PassTable",
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
    "find_pass_table",
    "find_passes",
    "find_passes_many",
    "find_place",
    "find_places",
    "iter_pass_tables",
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
