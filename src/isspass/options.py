"""The command line's options, declared once: types, defaults from the library, help, variables.

The main command and its subcommands apply the same declarations; their values reach the
commands as one typed :class:`Settings` object on ``ctx.obj``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import click
from click.core import ParameterSource

from .download import DEFAULT_ELEMENTS_URL, check_elements_url
from .errors import ConfigError
from .formats import RENDERERS
from .oem_update import DEFAULT_OEM_URL, check_oem_url
from .places import check_timezone
from .search import DEFAULT_DAYS, DEFAULT_MIN_ELEVATION_DEG, DEFAULT_TWILIGHT_DEG
from .sources import ElementPolicy
from .trajectory_policy import SOURCES
from .update import DEFAULT_REFRESH_AFTER_H

TWILIGHTS = {"civil": -6.0, "nautical": -12.0, "astronomical": -18.0}
MAX_DAYS = 60.0  # elements older than 30 days are refused anyway

# --------------------------------------------------------------------------- types


class Number(click.ParamType):
    """A finite float in a closed range."""

    name = "number"

    def __init__(self, low: float, high: float, unit: str = "") -> None:
        self.low, self.high, self.unit = low, high, unit

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{number:g} is outside {self.low:g}..{self.high:g}{self.unit}", param, ctx)
        return number


class Days(Number):
    name = "days"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number = super().convert(value, param, ctx)
        if number <= 0:
            self.fail("the window must be longer than 0 days", param, ctx)
        return number


class Twilight(click.ParamType):
    """The Sun altitude for a dark sky: degrees (≤ 0) or civil / nautical / astronomical."""

    name = "deg|civil|nautical|astronomical"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, str) and value.strip().lower() in TWILIGHTS:
            return TWILIGHTS[value.strip().lower()]
        return Number(-90.0, 0.0, "°").convert(value, param, ctx)


class ElementsUrl(click.ParamType):
    """A GP endpoint isspass can ask: http(s), a host, printable ASCII (see download.check_elements_url)."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_elements_url(str(value))
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


class OemUrl(click.ParamType):
    """Where ``isspass update`` fetches NASA's ISS trajectory: a URL as for elements, or ``none``."""

    name = "url|none"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if str(value).strip().lower() == "none":
            return "none"
        try:
            return check_oem_url(str(value))
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


class TimeZone(click.ParamType):
    name = "zone"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_timezone(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


# --------------------------------------------------------------------------- options, declared once

# Settings that never come from the config file or the environment.
NOT_CONFIGURABLE = {"start", "output", "version"}

_OPTIONS: dict[str, Callable[[Any], Any]] = {
    "lat": click.option(
        "--lat", type=Number(-90, 90, "°"), envvar="ISSPASS_LAT", help="Latitude, degrees north (−90…90)."
    ),
    "lon": click.option(
        "--lon", type=Number(-180, 360, "°"), envvar="ISSPASS_LON",
        help="Longitude, degrees east (−180…180).",
    ),
    "elevation": click.option(
        "--elevation", type=Number(-500, 9000, " m"), default=0.0, envvar="ISSPASS_ELEVATION",
        show_default=True, help="Height above sea level, metres.",
    ),
    "tz": click.option(
        "--tz", type=TimeZone(), envvar="ISSPASS_TZ",
        help="IANA time zone for display (default: the zone at the location).",
    ),
    "start": click.option(
        "--start", metavar="ISO8601",
        help="Start: a date or date-time (default now); without a zone, the observer's local time "
        "(UTC in batch).",
    ),
    "days": click.option(
        "--days", type=Days(0, MAX_DAYS), default=DEFAULT_DAYS, envvar="ISSPASS_DAYS", show_default=True,
        help="Length of the window in days (fractions allowed).",
    ),
    "min_elevation": click.option(
        "--min-elevation", type=Number(0, 90, "°"), default=DEFAULT_MIN_ELEVATION_DEG,
        envvar="ISSPASS_MIN_ELEVATION", show_default=True,
        help="A pass is time at or above this altitude, degrees.",
    ),
    "min_peak": click.option(
        "--min-peak", type=Number(0, 90, "°"), envvar="ISSPASS_MIN_PEAK",
        help="Only passes reaching this altitude (40: NASA's alert rule).",
    ),
    "twilight": click.option(
        "--twilight", type=Twilight(), default=f"{DEFAULT_TWILIGHT_DEG:g}", envvar="ISSPASS_TWILIGHT",
        show_default=True, help="The Sun must be below this altitude for a dark sky.",
    ),
    "brighter_than": click.option(
        "--brighter-than", type=Number(-30, 30), envvar="ISSPASS_BRIGHTER_THAN",
        help="Only passes brighter than this magnitude.",
    ),
    "all": click.option(
        "--all", is_flag=True, envvar="ISSPASS_ALL",
        help="Every pass with its type (visible / daylight / unlit).",
    ),
    "tle": click.option(
        "--tle", metavar="FILE", envvar="ISSPASS_TLE",
        help="Element file (TLE, 3LE or OMM JSON); - for stdin.",
    ),
    "satellite": click.option(
        "--satellite", metavar="NORAD_ID|NAME", envvar="ISSPASS_SATELLITE",
        help="Which satellite (default the ISS, 25544).",
    ),
    "std_mag": click.option(
        "--std-mag", type=Number(-30, 30), envvar="ISSPASS_STD_MAG",
        help="Standard magnitude (1000 km, half phase) instead of the bundled table.",
    ),
    "allow_stale": click.option(
        "--allow-stale", is_flag=True, envvar="ISSPASS_ALLOW_STALE",
        help="Predict even with elements older than 30 days.",
    ),
    "offline": click.option(
        "--offline", is_flag=True, envvar="ISSPASS_OFFLINE",
        help="Never use the network (no automatic element refresh).",
    ),
    "refresh_after": click.option(
        "--refresh-after", type=Number(2, 24 * 365, " h"), default=DEFAULT_REFRESH_AFTER_H,
        envvar="ISSPASS_REFRESH_AFTER", show_default=True,
        help="Refresh cached elements fetched longer ago than this, hours.",
    ),
    "elements_url": click.option(
        "--elements-url", type=ElementsUrl(), default=DEFAULT_ELEMENTS_URL, envvar="ISSPASS_ELEMENTS_URL",
        show_default=True,
        help="GP query endpoint for fresh elements (a CelesTrak mirror).",
    ),
    "oem": click.option(
        "--oem", metavar="FILE", envvar="ISSPASS_OEM",
        help="Predict from this CCSDS OEM trajectory (KVN or XML) when it covers the window.",
    ),
    "source": click.option(
        "--source", type=click.Choice(SOURCES), default="auto", envvar="ISSPASS_SOURCE", show_default=True,
        help="auto: NASA's trajectory when one covers the window, else elements; or force one.",
    ),
    "oem_url": click.option(
        "--oem-url", type=OemUrl(), default=DEFAULT_OEM_URL, envvar="ISSPASS_OEM_URL",
        help="Where isspass update fetches the ISS trajectory (default: NASA's OEM text file); none: never.",
    ),
    "format": click.option(
        "--format", type=click.Choice(sorted(RENDERERS)), default="text", envvar="ISSPASS_FORMAT",
        show_default=True, help="Output format.",
    ),
    "output": click.option(
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout."
    ),
    "quiet_if_none": click.option(
        "--quiet-if-none", is_flag=True, envvar="ISSPASS_QUIET_IF_NONE",
        help="Print nothing on stdout when there is no pass (warnings still go to stderr).",
    ),
}  # fmt: skip

#: The options that select elements, the window and the passes: the main command's and batch's.
PASS_OPTIONS = (
    "tle", "satellite", "std_mag", "start", "days", "min_elevation", "min_peak", "twilight",
    "brighter_than", "all", "allow_stale", "offline", "refresh_after", "elements_url", "oem", "source",
)  # fmt: skip
#: The options that say where to fetch elements from: also taken by update.
NETWORK_OPTIONS = ("offline", "elements_url", "oem_url")


def options(*names: str) -> Callable[[Any], Any]:
    """Apply the one declaration of each named option, in the order given."""

    def decorate(function: Any) -> Any:
        for name in reversed(names):
            function = _OPTIONS[name](function)
        return function

    return decorate


@dataclass(frozen=True)
class Settings:
    """Every option's value, typed: what the group puts on ``ctx.obj`` for its commands."""

    lat: float | None
    lon: float | None
    elevation: float
    tz: str | None
    start: str | None
    days: float
    min_elevation: float
    min_peak: float | None
    twilight: float
    brighter_than: float | None
    all: bool
    tle: str | None
    satellite: str | None
    std_mag: float | None
    allow_stale: bool
    offline: bool
    refresh_after: float
    elements_url: str
    oem: str | None
    source: str
    oem_url: str
    format: str
    output: str | None
    quiet_if_none: bool

    def given_in(self, ctx: click.Context) -> Settings:
        """These settings with the options typed on ``ctx``'s own command line winning.

        A subcommand declares the main command's options again (the same declarations),
        so ``isspass batch places.csv --days 3`` works; what it did not get on its command
        line keeps the main command's value (command line, environment, config or default).
        """
        names = {f.name for f in fields(self)}
        given = {
            name: value
            for name, value in ctx.params.items()
            if name in names and ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
        }
        return replace(self, **given)

    def policy(self) -> ElementPolicy:
        """The element policy these settings ask for."""
        return ElementPolicy(
            offline=self.offline,
            allow_stale=self.allow_stale,
            refresh_after_h=self.refresh_after,
            elements_url=self.elements_url,
        )


pass_settings = click.make_pass_decorator(Settings)
