"""Typed exceptions raised by the isspass library.

The command line turns each into one line on stderr and a documented exit code.
"""

from __future__ import annotations


class IsspassError(Exception):
    """Base class of every error isspass raises on purpose."""


class ElementsError(IsspassError):
    """Orbital elements are unreadable or fail validation (corrupt)."""


class ElementsMissingError(ElementsError):
    """No element set could be found: a missing file, or no stdin to read."""


class SatelliteNotFoundError(ElementsMissingError):
    """The requested satellite is not among the available element sets."""


class StaleElementsError(ElementsError):
    """Orbital elements are too old (or too far in the future) to trust."""


class PropagationError(ElementsError):
    """SGP4 could not propagate the elements over the requested window."""


class WindowError(IsspassError, ValueError):
    """The time window cannot be predicted: outside the span of the bundled ephemeris."""


class TrajectoryError(ElementsError):
    """A published trajectory (a CCSDS OEM file or answer) is unreadable or fails validation."""


class TrajectoryMissingError(ElementsMissingError):
    """No trajectory could be found: a missing OEM file, or none cached when one was required."""


class TrajectoryCoverageError(WindowError):
    """The window (with the search's padding) lies outside the span a trajectory covers."""


class ConfigError(IsspassError):
    """The configuration file or an ``ISSPASS_*`` variable is invalid."""


class NetworkError(IsspassError):
    """Fresh elements could not be fetched (refused, failed, timed out or invalid)."""


class OutputError(IsspassError):
    """An output file cannot be written: a missing directory, a read-only file, a full disk…"""


class CacheError(IsspassError):
    """The element cache cannot be used: its directory cannot be created or written, or a file
    in it (the lock, the fetch history) is not what it must be."""


class IsspassWarning(UserWarning):
    """Base class of the warnings isspass gives (the command line prints them on stderr)."""


class StaleElementsWarning(IsspassWarning):
    """The elements are old enough (more than 3 days from the window) for times to drift."""


class RefreshWarning(IsspassWarning):
    """A refresh of the elements was due but failed; the elements at hand were used."""


class TrajectoryWarning(IsspassWarning):
    """A trajectory was given but does not cover the window: elements were used instead."""


class ManoeuvreWarning(IsspassWarning):
    """NASA's trajectory plans a manoeuvre (a reboost…) inside the window after the elements' epoch:
    predictions from the elements are off after it."""


class CacheWarning(IsspassWarning):
    """Something in the element cache is damaged or unusable and was ignored (the file is named)."""


# --------------------------------------------------------------------------- exit codes
# The command line's documented exit codes, beside the errors they map.

EXIT_OK = 0
EXIT_ERROR = 1  # anything else, e.g. an output file that cannot be written
EXIT_USAGE = 2  # bad options or arguments
EXIT_ELEMENTS_MISSING = 3  # no element file, nothing on stdin, satellite not in the set
EXIT_ELEMENTS_INVALID = 4  # corrupt or unusable elements
EXIT_ELEMENTS_STALE = 5  # elements too old for the window (see --allow-stale)
EXIT_NETWORK = 6  # an element download failed
EXIT_CONFIG = 7  # the config file or an ISSPASS_* variable is invalid
EXIT_BAD_ROWS = 8  # batch: some location rows were invalid (reported); the others were processed

# Most specific first: a subclass must come before its base.
_EXIT_CODES: tuple[tuple[type[IsspassError], int], ...] = (
    (StaleElementsError, EXIT_ELEMENTS_STALE),
    (ElementsMissingError, EXIT_ELEMENTS_MISSING),
    (ElementsError, EXIT_ELEMENTS_INVALID),
    (ConfigError, EXIT_CONFIG),
    (WindowError, EXIT_USAGE),
    (NetworkError, EXIT_NETWORK),
)


def exit_code(error: IsspassError) -> int:
    """The documented exit code for a library error."""
    for kind, code in _EXIT_CODES:
        if isinstance(error, kind):
            return code
    return EXIT_ERROR
