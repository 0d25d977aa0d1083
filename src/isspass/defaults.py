"""The defaults and the choices the command line declares, in one module light enough to
import before any prediction is made (``--help`` and ``--version`` never load numpy).

The modules that own each fact re-export it from here.
"""

from __future__ import annotations

#: PRODUCT defaults: the minimum elevation of a pass and the twilight altitude of the Sun.
DEFAULT_MIN_ELEVATION_DEG = 10.0
DEFAULT_TWILIGHT_DEG = -6.0
DEFAULT_DAYS = 10.0

#: Cached elements older than this (hours) are refreshed when the network may be used.
DEFAULT_REFRESH_AFTER_H = 24.0

#: Where the predictions come from: the policy's choice, elements only, or the trajectory.
SOURCES = ("auto", "elements", "oem")

#: How mail reaches the server: STARTTLS, TLS from the start, or in the clear.
SECURITIES = ("starttls", "ssl", "none")

#: NASA's published ISS trajectory (CCSDS OEM, the 15-day file).
DEFAULT_OEM_URL = "https://nasa-public-data.s3.amazonaws.com/iss-coords/current/ISS_OEM/ISS.OEM_J2K_EPH.txt"

#: The report formats of the main command (the keys of ``formats.RENDERERS``).
REPORT_FORMATS = ("csv", "html", "ics", "json", "line", "text")
