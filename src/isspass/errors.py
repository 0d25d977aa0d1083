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


class ConfigError(IsspassError):
    """The configuration file or an ``ISSPASS_*`` variable is invalid."""


class NetworkError(IsspassError):
    """Fresh elements could not be fetched (refused, failed, timed out or invalid)."""


class OutputError(IsspassError):
    """An output file cannot be written: a missing directory, a read-only file, a full disk…"""
