"""The command line's options, declared once: types, defaults from the library, help, variables.

The main command and its subcommands apply the same declarations; their values reach the
commands as one typed :class:`Settings` object on ``ctx.obj``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

# Only light modules here: the options are declared before ``--help`` or ``--version`` runs,
# which must not wait for numpy; the checks that need more import it when they run.
from .defaults import (
    DEFAULT_DAYS,
    DEFAULT_MIN_ELEVATION_DEG,
    DEFAULT_OEM_URL,
    DEFAULT_REFRESH_AFTER_H,
    DEFAULT_TWILIGHT_DEG,
    REPORT_FORMATS,
    SECURITIES,
    SOURCES,
)
from .download import DEFAULT_ELEMENTS_URL, check_elements_url
from .errors import ConfigError
from .groups import check_group_name
from .places import check_timezone
from .text import inert

if TYPE_CHECKING:
    from .sources import ElementPolicy

#: The sky chart's orientations (the same as isspass.chart.ORIENTATIONS, without importing it).
CHART_ORIENTATIONS = ("north-up", "south-up")
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
        if isinstance(value, str) and not _is_number(value):
            names = ", ".join(TWILIGHTS)
            self.fail(f"{value!r} is not a number of degrees (at most 0) nor one of {names}", param, ctx)
        return Number(-90.0, 0.0, "°").convert(value, param, ctx)


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


class ElementsUrl(click.ParamType):
    """A GP endpoint isspass can ask: http(s), a host, printable ASCII (see download.check_elements_url)."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_elements_url(str(value))
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


_DURATION_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


class Duration(click.ParamType):
    """A length of time: ``90s``, ``30m``, ``2h``, ``1d``, ``1h30m``; in seconds."""

    name = "duration"
    _PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")

    def __init__(self, low_s: float, high_s: float) -> None:
        self.low_s, self.high_s = low_s, high_s

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            return value
        text = str(value).strip().lower().replace(" ", "")
        parts = self._PART.findall(text) if len(text) <= 40 else []
        if not parts or "".join(a + b for a, b in parts) != text:
            self.fail(f"{str(value)[:40]!r} is not a duration like 30m, 2h, 1d or 1h30m", param, ctx)
        seconds = sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts)
        if not self.low_s <= seconds <= self.high_s:
            self.fail(f"{str(value)[:40]!r} is outside {_span(self.low_s)}..{_span(self.high_s)}", param, ctx)
        return seconds


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("m", 60.0)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


class MailAddress(click.ParamType):
    """An e-mail address (``you@example.org``): a local part, a domain, nothing that ends a header."""

    name = "address"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from .mail import check_address

        try:
            return check_address(str(value).strip())
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class SatelliteKey(click.ParamType):
    """A NORAD catalogue number (1 to 9 digits 0-9), a name, or ``all``; other digits are neither.

    The type of each ``--satellite`` given; several in ``ISSPASS_SATELLITE`` are separated by
    commas (names hold spaces: ``ISSPASS_SATELLITE="ISS (ZARYA),HST"``).
    """

    name = "norad_id|name|all"
    envvar_list_splitter = ","

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        key = text.strip()
        if not key:
            self.fail("an empty satellite name", param, ctx)
        if key.isdigit() and not (key.isascii() and len(key) <= 9):
            self.fail(f"'{inert(key, 40)}' is not a catalogue number (1 to 9 digits 0-9)", param, ctx)
        return key


class GroupName(click.ParamType):
    """A CelesTrak group (``stations``, ``visual``…); several in ``ISSPASS_GROUP`` separated by commas."""

    name = "group"
    envvar_list_splitter = ","

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_group_name(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class OemUrl(click.ParamType):
    """Where ``isspass update`` fetches NASA's ISS trajectory: a URL as for elements, or ``none``."""

    name = "url|none"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if str(value).strip().lower() == "none":
            return "none"
        from .oem_update import check_oem_url

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
    "place": click.option(
        "--place", metavar="NAME", envvar="ISSPASS_PLACE",
        help='A town by name: "Zurich", "Zurich, CH", "Springfield, US-IL" (see "isspass places"); '
        "--lat/--lon win over it.",
    ),
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
        "--satellite", type=SatelliteKey(), multiple=True, metavar="NORAD_ID|NAME|all",
        envvar="ISSPASS_SATELLITE",
        help="Which satellite (default the ISS, 25544); repeat it for several; all: every one of the "
        "element file, or every one known.",
    ),
    "group": click.option(
        "--group", type=GroupName(), multiple=True, metavar="NAME", envvar="ISSPASS_GROUP",
        help="Every object of this CelesTrak group (stations, visual…) as cached by 'isspass update "
        "--group NAME'; repeatable.",
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
        "--format", type=click.Choice(REPORT_FORMATS), default="text", envvar="ISSPASS_FORMAT",
        show_default=True, help="Output format.",
    ),
    "output": click.option(
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout."
    ),
    "quiet_if_none": click.option(
        "--quiet-if-none", is_flag=True, envvar="ISSPASS_QUIET_IF_NONE",
        help="Print nothing on stdout when there is no pass (warnings still go to stderr).",
    ),
    "only_new": click.option(
        "--only-new", is_flag=True, envvar="ISSPASS_ONLY_NEW",
        help="Only passes not announced before (and changed or cancelled ones); nothing when none.",
    ),
    "within": click.option(
        "--within", type=Duration(60.0, MAX_DAYS * 86400.0), envvar="ISSPASS_WITHIN",
        help="Only passes that appear within this time from the start (30m, 2h): reminders.",
    ),
    "alarm": click.option(
        "--alarm", type=Duration(0.0, 7 * 86400.0), envvar="ISSPASS_ALARM",
        help="Add a reminder this long before each calendar event (15m).",
    ),
    "mail_to": click.option(
        "--mail-to", type=MailAddress(), multiple=True, envvar="ISSPASS_MAIL_TO", metavar="ADDR",
        help="Mail the report to ADDR over SMTP (repeatable) instead of printing it.",
    ),
    "mail_from": click.option(
        "--mail-from", type=MailAddress(), envvar="ISSPASS_MAIL_FROM", metavar="ADDR",
        help="Sender address (default: the SMTP user if it is an address, else isspass@this host).",
    ),
    "smtp_host": click.option(
        "--smtp-host", default="localhost", envvar="ISSPASS_SMTP_HOST", show_default=True, metavar="HOST",
        help="Mail server to send through.",
    ),
    "smtp_port": click.option(
        "--smtp-port", type=click.IntRange(1, 65535), envvar="ISSPASS_SMTP_PORT", metavar="N",
        help="Its port (default 587 for starttls, 465 for ssl, 25 for none).",
    ),
    "smtp_security": click.option(
        "--smtp-security", type=click.Choice(SECURITIES), default="starttls", envvar="ISSPASS_SMTP_SECURITY",
        show_default=True, help="STARTTLS, implicit TLS, or none (plain text: only when asked).",
    ),
    "smtp_user": click.option(
        "--smtp-user", envvar="ISSPASS_SMTP_USER", metavar="USER",
        help="Log in as USER; the password is read from ISSPASS_SMTP_PASSWORD, never an option.",
    ),
    "chart_orientation": click.option(
        "--chart-orientation", type=click.Choice(CHART_ORIENTATIONS), default=CHART_ORIENTATIONS[0],
        envvar="ISSPASS_CHART_ORIENTATION", show_default=True,
        help="Sky charts: north-up (east on the left, for facing south) or south-up (for facing north).",
    ),
}  # fmt: skip

#: The options of mail delivery and announcements: the main command's only.
MAIL_OPTIONS = (
    "only_new", "within", "alarm", "mail_to", "mail_from", "smtp_host", "smtp_port", "smtp_security",
    "smtp_user",
)  # fmt: skip

#: The help's sections, in the README's order: a title and the options under it. Options in
#: no section (--version, --help, a subcommand's own) are listed after them as "Other options".
HELP_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Where and when", ("place", "lat", "lon", "elevation", "tz", "start", "days")),
    ("Which passes", ("min_elevation", "min_peak", "twilight", "brighter_than", "tonight_brighter", "all")),
    ("Which elements", ("tle", "satellite", "satellites", "group", "groups", "std_mag", "allow_stale",
                        "offline", "refresh_after", "elements_url", "oem", "source", "oem_url")),
    ("Output", ("format", "fmt", "output", "quiet_if_none", "chart_orientation", "limit")),
    ("Mail, reminders and what is new", MAIL_OPTIONS),
)  # fmt: skip

#: The options that select elements, the window and the passes: the main command's and batch's.
PASS_OPTIONS = (
    "tle", "satellite", "group", "std_mag", "start", "days", "min_elevation", "min_peak", "twilight",
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
    satellite: tuple[str, ...]
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
    only_new: bool = False
    within: float | None = None  # seconds
    alarm: float | None = None  # seconds
    mail_to: tuple[str, ...] = ()
    mail_from: str | None = None
    smtp_host: str = "localhost"
    smtp_port: int | None = None
    smtp_security: str = "starttls"
    smtp_user: str | None = None
    chart_orientation: str = CHART_ORIENTATIONS[0]
    place: str | None = None
    group: tuple[str, ...] = ()

    @property
    def several(self) -> bool:
        """Whether the options ask for more than one satellite (repeated, ``all``, or a group)."""
        keys = self.satellite
        return len(keys) > 1 or bool(self.group) or any(k.strip().lower() == "all" for k in keys)

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
        from .sources import ElementPolicy

        return ElementPolicy(
            offline=self.offline,
            allow_stale=self.allow_stale,
            refresh_after_h=self.refresh_after,
            elements_url=self.elements_url,
        )


pass_settings = click.make_pass_decorator(Settings)
