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


class PlaceNotFoundError(IsspassError, LookupError):
    """No known place has the name asked for (the message gives the closest names)."""
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


class UnreachableError(NetworkError):
    """No request reached a server: the name lookup or the connection failed (no HTTP exchange)."""


class MailError(IsspassError):
    """A message could not be delivered: the SMTP server was unreachable, refused it, or hung up."""


class AnnounceError(IsspassError):
    """The record of announced passes cannot be read, written or locked."""


class OutputError(IsspassError):
    """An output file cannot be written: a missing directory, a read-only file, a full disk…"""


class CacheError(IsspassError):
    """The element cache cannot be used: its directory cannot be created or written, or a file
    in it (the lock, the fetch history) is not what it must be."""


class IsspassWarning(UserWarning):
    """Base class of the warnings isspass gives (the command line prints them on stderr).

    ``kind`` names the warning in the JSON report's ``warnings``.
    """

    kind = "warning"


class StaleElementsWarning(IsspassWarning):
    """The elements are old enough (more than 3 days from the window) for times to drift."""

    kind = "stale-elements"


class RefreshWarning(IsspassWarning):
    """A refresh of the elements was due but failed; the elements at hand were used."""

    kind = "refresh"


class TrajectoryWarning(IsspassWarning):
    """A trajectory was given but does not cover the window: elements were used instead."""

    kind = "trajectory"


class SatelliteSkippedWarning(IsspassWarning):
    """One satellite of several could not be predicted over the window (decayed, elements too old)
    and was left out; the others were searched."""

    kind = "satellite-skipped"


class CacheWarning(IsspassWarning):
    """Something in the element cache is damaged or unusable and was ignored (the file is named)."""

    kind = "cache"


class ManoeuvreWarning(IsspassWarning):
    """The window reaches past a manoeuvre the elements predate (seen in their history, or planned in
    NASA's trajectory), or far past the newest elements: passes there may be minutes off."""

    kind = "manoeuvre"


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
EXIT_MAIL = 9  # the mail could not be delivered (SMTP server unreachable, refused, or hung up)

#: What each exit code means: the one table the command's help, the README and the tests share.
EXIT_CODE_MEANINGS: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "success, with passes or without"),
    (EXIT_ERROR, "another error: the output file cannot be written, the cache directory or the record of "
     "announced passes cannot be used"),
    (EXIT_USAGE, "usage error: a bad option value (latitude, date, time zone, …), an unknown place, "
     "a window outside the ephemeris"),
    (EXIT_ELEMENTS_MISSING, "elements missing: no such file, nothing on stdin, satellite not in the set"),
    (EXIT_ELEMENTS_INVALID, "elements corrupt: bad checksum, wrong line length, an impossible orbit, "
     "too large a file, …"),
    (EXIT_ELEMENTS_STALE, "elements too old for the window (more than 30 days, see --allow-stale; "
     "more than a year, always)"),
    (EXIT_NETWORK, "isspass update: an object could not be fetched (or the network is disabled)"),
    (EXIT_CONFIG, "configuration error: the config file (missing when named, too large, a value of the "
     "wrong type) or an ISSPASS_* variable (e.g. an elements URL that is not http(s))"),
    (EXIT_BAD_ROWS, "isspass batch: some location rows were invalid (reported); the others were processed"),
    (EXIT_MAIL, "mail not delivered: the SMTP server could not be reached, refused a recipient, the message "
     "or the login, or hung up (nothing is recorded as announced)"),
)  # fmt: skip

# Most specific first: a subclass must come before its base.
_EXIT_CODES: tuple[tuple[type[IsspassError], int], ...] = (
    (StaleElementsError, EXIT_ELEMENTS_STALE),
    (ElementsMissingError, EXIT_ELEMENTS_MISSING),
    (ElementsError, EXIT_ELEMENTS_INVALID),
    (ConfigError, EXIT_CONFIG),
    (WindowError, EXIT_USAGE),
    (PlaceNotFoundError, EXIT_USAGE),
    (NetworkError, EXIT_NETWORK),
    (MailError, EXIT_MAIL),
)


def exit_code(error: IsspassError) -> int:
    """The documented exit code for a library error."""
    for kind, code in _EXIT_CODES:
        if isinstance(error, kind):
            return code
    return EXIT_ERROR
