"""The ``isspass`` command: parse the options, call the library, render the passes.

No maths here. Errors become one line on stderr and a documented exit code.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import IO, Any, NoReturn
from zoneinfo import ZoneInfo

import click
from click.core import ParameterSource

from . import __version__
from .cache import ElementCache
from .config import CONFIG_ENV, config_path, load_config
from .download import DEFAULT_ELEMENTS_URL
from .elements import (
    ISS_NORAD_ID,
    Satellite,
    decode_elements,
    load_satellite,
    read_elements,
    select_elements,
)
from .errors import (
    ConfigError,
    ElementsError,
    ElementsMissingError,
    IsspassError,
    NetworkError,
    SatelliteNotFoundError,
    StaleElementsError,
)
from .formats import RENDERERS, Criteria, Report, csv_header, csv_row, pass_to_dict
from .freshness import check_age
from .locations import read_locations
from .model import Observer, Pass
from .places import check_timezone, timezone_at
from .search import find_passes, iter_passes_many
from .storage import atomic_open, atomic_write
from .update import DEFAULT_REFRESH_AFTER_H, available_elements, needs_refresh, update_elements

EXIT_OK = 0
EXIT_ERROR = 1  # anything else, e.g. an output file that cannot be written
EXIT_USAGE = 2  # bad options or arguments
EXIT_ELEMENTS_MISSING = 3  # no element file, nothing on stdin, satellite not in the set
EXIT_ELEMENTS_INVALID = 4  # corrupt or unusable elements
EXIT_ELEMENTS_STALE = 5  # elements too old for the window (see --allow-stale)
EXIT_NETWORK = 6  # an element download failed
EXIT_CONFIG = 7  # the config file or an ISSPASS_* variable is invalid
EXIT_BAD_ROWS = 8  # batch: some location rows were invalid (reported); the others were processed

TWILIGHTS = {"civil": -6.0, "nautical": -12.0, "astronomical": -18.0}
MAX_DAYS = 60.0  # elements older than 30 days are refused anyway


class CliError(click.ClickException):
    """A user-facing error with its exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _exit_code(error: IsspassError) -> int:
    if isinstance(error, StaleElementsError):
        return EXIT_ELEMENTS_STALE
    if isinstance(error, ElementsMissingError):
        return EXIT_ELEMENTS_MISSING
    if isinstance(error, ElementsError):
        return EXIT_ELEMENTS_INVALID
    if isinstance(error, ConfigError):
        return EXIT_CONFIG
    if isinstance(error, NetworkError):
        return EXIT_NETWORK
    return EXIT_ERROR


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


class TimeZone(click.ParamType):
    name = "zone"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_timezone(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


# --------------------------------------------------------------------------- the group


class IsspassGroup(click.Group):
    """The command group: loads the config file as Click's default map and keeps errors to one line."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        if "default_map" not in extra:
            try:
                config = load_config()
            except ConfigError as exc:
                raise CliError(str(exc), EXIT_CONFIG) from None
            known = {p.name for p in self.params if p.name not in NOT_CONFIGURABLE} | set(self.commands)
            unknown = sorted(set(config) - known)
            if unknown:
                raise CliError(f"config file {config_path()}: unknown setting {unknown[0]!r}", EXIT_CONFIG)
            extra["default_map"] = config
        return super().make_context(info_name, args, parent, **extra)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:  # fmt: skip
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name or "isspass", complete_var, False, **extra)
        except click.exceptions.UsageError as exc:
            _fail(_usage_message(exc), _usage_exit_code(exc))
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.exceptions.Abort:
            _fail("aborted", EXIT_ERROR)
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"isspass: {message}", err=True)
    sys.exit(code)


def _source_of(exc: click.exceptions.UsageError) -> ParameterSource | None:
    param = getattr(exc, "param", None)
    if exc.ctx is None or param is None or param.name is None:
        return None
    return exc.ctx.get_parameter_source(param.name)


def _usage_message(exc: click.exceptions.UsageError) -> str:
    message = exc.format_message().replace("\n", " ")
    source = _source_of(exc)
    if source is ParameterSource.DEFAULT_MAP:
        return f"config file {config_path()}: {message}"
    if source is ParameterSource.ENVIRONMENT:
        param = exc.param
        names = getattr(param, "envvar", None) or "the environment"
        return f"environment variable {names}: {message}"
    return f"{message} (see 'isspass --help')"


def _usage_exit_code(exc: click.exceptions.UsageError) -> int:
    source = _source_of(exc)
    if source in (ParameterSource.DEFAULT_MAP, ParameterSource.ENVIRONMENT):
        return EXIT_CONFIG
    return EXIT_USAGE


# Settings that never come from the config file or the environment.
NOT_CONFIGURABLE = {"start", "output", "version"}


@click.group(
    cls=IsspassGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--lat", type=Number(-90, 90, "°"), envvar="ISSPASS_LAT", help="Latitude, degrees north (−90…90)."
)
@click.option(
    "--lon", type=Number(-180, 360, "°"), envvar="ISSPASS_LON", help="Longitude, degrees east (−180…180)."
)
@click.option(
    "--elevation",
    type=Number(-500, 9000, " m"),
    default=0.0,
    envvar="ISSPASS_ELEVATION",
    show_default=True,
    help="Height above sea level, metres.",
)
@click.option(
    "--tz",
    type=TimeZone(),
    envvar="ISSPASS_TZ",
    help="IANA time zone for display (default: the zone at the location).",
)
@click.option(
    "--start", metavar="ISO8601", help="Start: a date or date-time, with or without zone (default now)."
)
@click.option(
    "--days",
    type=Days(0, MAX_DAYS),
    default=10.0,
    envvar="ISSPASS_DAYS",
    show_default=True,
    help="Length of the window in days (fractions allowed).",
)
@click.option(
    "--min-elevation",
    type=Number(0, 90, "°"),
    default=10.0,
    envvar="ISSPASS_MIN_ELEVATION",
    show_default=True,
    help="A pass is time at or above this altitude, degrees.",
)
@click.option(
    "--min-peak",
    type=Number(0, 90, "°"),
    envvar="ISSPASS_MIN_PEAK",
    help="Only passes reaching this altitude (40: NASA's alert rule).",
)
@click.option(
    "--twilight",
    type=Twilight(),
    default="-6",
    envvar="ISSPASS_TWILIGHT",
    show_default=True,
    help="The Sun must be below this altitude for a dark sky.",
)
@click.option(
    "--brighter-than",
    type=Number(-30, 30),
    envvar="ISSPASS_BRIGHTER_THAN",
    help="Only passes brighter than this magnitude.",
)
@click.option(
    "--all", is_flag=True, envvar="ISSPASS_ALL", help="Every pass with its type (visible / daylight / unlit)."
)
@click.option(
    "--tle", metavar="FILE", envvar="ISSPASS_TLE", help="Element file (TLE, 3LE or OMM JSON); - for stdin."
)
@click.option(
    "--satellite",
    metavar="NORAD_ID|NAME",
    envvar="ISSPASS_SATELLITE",
    help="Which satellite (default the ISS, 25544).",
)
@click.option(
    "--std-mag",
    type=Number(-30, 30),
    envvar="ISSPASS_STD_MAG",
    help="Standard magnitude (1000 km, half phase) instead of the bundled table.",
)
@click.option(
    "--allow-stale",
    is_flag=True,
    envvar="ISSPASS_ALLOW_STALE",
    help="Predict even with elements older than 30 days.",
)
@click.option(
    "--offline",
    is_flag=True,
    envvar="ISSPASS_OFFLINE",
    help="Never use the network (no automatic element refresh).",
)
@click.option(
    "--refresh-after",
    type=Number(2, 24 * 365, " h"),
    default=DEFAULT_REFRESH_AFTER_H,
    envvar="ISSPASS_REFRESH_AFTER",
    show_default=True,
    help="Refresh cached elements fetched longer ago than this, hours.",
)
@click.option(
    "--elements-url",
    default=DEFAULT_ELEMENTS_URL,
    envvar="ISSPASS_ELEMENTS_URL",
    show_default=True,
    help="GP query endpoint for fresh elements (a CelesTrak mirror).",
)
@click.option(
    "--format",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    envvar="ISSPASS_FORMAT",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
@click.option(
    "--quiet-if-none",
    is_flag=True,
    envvar="ISSPASS_QUIET_IF_NONE",
    help="Print nothing at all when there is no pass to report.",
)
@click.version_option(__version__, "--version", prog_name="isspass")
@click.pass_context
def cli(ctx: click.Context, **options: Any) -> None:
    """Predict the passes of the ISS (or another satellite) you can see from a place.

    \b
    isspass --lat 47.37 --lon 8.54             the next 10 days' visible passes
    isspass --lat 47.37 --lon 8.54 --all       every pass, with its type
    isspass update                             fetch fresh ISS elements
    isspass elements                           the element sets known, and their age
    isspass config                             the settings in effect, and from where

    Exit codes: 0 success (passes or none), 1 other error, 2 usage, 3 elements missing,
    4 elements corrupt, 5 elements too old, 6 network, 7 configuration.
    """
    ctx.obj = options
    if ctx.invoked_subcommand is not None:
        return
    try:
        _predict(ctx, **options)
    except IsspassError as exc:
        raise CliError(str(exc), _exit_code(exc)) from None


def _parse_start(text: str | None, zone: ZoneInfo) -> datetime:
    """``--start``: ISO 8601 date or date-time; without a zone it is the observer's local time."""
    if text is None:
        return datetime.now(timezone.utc)
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            when = datetime(day.year, day.month, day.day, tzinfo=zone)
        else:
            if value.endswith(("Z", "z")):
                value = value[:-1] + "+00:00"
            when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO 8601 date or date-time (e.g. 2026-09-24 or 2026-09-24T18:30+02:00)",
            param_hint="'--start'",
        ) from None
    if not 1900 <= when.year <= 2100:
        raise click.BadParameter(f"{text!r} is outside 1900..2100", param_hint="'--start'")
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


def _read_stdin() -> bytes:
    stream = sys.stdin
    try:
        if stream is None or stream.closed:
            raise ValueError
        buffer = getattr(stream, "buffer", None)
        data = buffer.read() if buffer is not None else stream.read()
    except (OSError, ValueError):
        raise ElementsMissingError("stdin is closed: no elements to read") from None
    return data.encode("utf-8") if isinstance(data, str) else data


def _satellite(o: dict[str, Any], start: datetime) -> tuple[Satellite, str | None]:
    """The satellite to predict, and a warning when a due refresh failed.

    Sources: ``--tle`` (file or stdin) wins; otherwise the cached and bundled element
    sets, the one with the epoch nearest the window's start. The cache is refreshed first
    when the freshness policy asks for it and the network is allowed.
    """
    key, std_mag = o["satellite"], o["std_mag"]
    if o["tle"] is not None:
        given = decode_elements(_read_stdin(), "stdin") if o["tle"] == "-" else read_elements(o["tle"])
        return load_satellite(key, elements=given, standard_magnitude=std_mag), None
    cache = ElementCache()
    warning = None
    norad_id = _norad_id(key, cache)
    if norad_id is not None and _refresh_due(o, start, cache, norad_id):
        result = update_elements(norad_id, cache=cache, base_url=o["elements_url"])
        if not result.ok:
            warning = f"warning: {result.message}; using the elements at hand"
    try:
        chosen = select_elements(available_elements(cache), key, near=start)
    except SatelliteNotFoundError:
        hint = f" (try: isspass update --satellite {norad_id})" if norad_id is not None else ""
        raise SatelliteNotFoundError(f"no elements for satellite {key!r}{hint}") from None
    return load_satellite(elements=[chosen], standard_magnitude=std_mag), warning


def _norad_id(key: str | None, cache: ElementCache) -> int | None:
    if key is None:
        return ISS_NORAD_ID
    if key.strip().isdigit():
        return int(key)
    try:
        return select_elements(available_elements(cache), key).norad_id
    except SatelliteNotFoundError:
        return None


def _refresh_due(o: dict[str, Any], start: datetime, cache: ElementCache, norad_id: int) -> bool:
    """The freshness policy: online, predicting from about now on, and the cache is old."""
    if o["offline"]:
        return False
    if start < datetime.now(timezone.utc) - timedelta(days=1):
        return False  # fresh elements would not help a window in the past
    return needs_refresh(cache, norad_id, o["refresh_after"])


def _predict(ctx: click.Context, **o: Any) -> None:
    if o["lat"] is None or o["lon"] is None:
        raise click.UsageError(
            f"no location: give --lat and --lon, or set lat and lon in {config_path()}", ctx=ctx
        )
    observer = Observer(o["lat"], o["lon"], o["elevation"])
    zone_name = o["tz"] or timezone_at(observer.latitude_deg, observer.longitude_deg)
    start = _parse_start(o["start"], ZoneInfo(zone_name)).astimezone(timezone.utc)
    satellite, refresh_warning = _satellite(o, start)
    warning = check_age(satellite.elements, start, allow_stale=o["allow_stale"])
    passes = find_passes(
        observer,
        start,
        o["days"],
        satellite=satellite,
        min_elevation_deg=o["min_elevation"],
        twilight_deg=o["twilight"],
        visible_only=not o["all"],
    )
    passes = _select(passes, o)
    if not passes and o["quiet_if_none"]:
        return
    for line in (refresh_warning, warning):
        if line:
            click.echo(f"isspass: {line}", err=True)
    report = Report(
        observer=observer,
        timezone=zone_name,
        satellite=satellite,
        start=start,
        end=start + timedelta(days=o["days"]),
        criteria=Criteria(
            min_elevation_deg=o["min_elevation"],
            twilight_deg=o["twilight"],
            visible_only=not o["all"],
            min_peak_deg=o["min_peak"],
            brighter_than=o["brighter_than"],
        ),
        passes=tuple(passes),
    )
    _emit(RENDERERS[o["format"]](report), o["output"])


def _select(passes: list[Pass], o: dict[str, Any]) -> list[Pass]:
    """The --min-peak and --brighter-than filters."""
    if o["min_peak"] is not None:
        passes = [p for p in passes if p.culmination.altitude_deg >= o["min_peak"]]
    if o["brighter_than"] is not None:
        passes = [p for p in passes if p.magnitude is not None and p.magnitude < o["brighter_than"]]
    return passes


def _emit(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    try:
        atomic_write(output, text.encode("utf-8"))
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror}", EXIT_ERROR) from None


_SOURCES = {
    ParameterSource.COMMANDLINE: "command line",
    ParameterSource.ENVIRONMENT: "environment",
    ParameterSource.DEFAULT_MAP: "config file",
    ParameterSource.DEFAULT: "default",
}


@cli.command("config")
@click.pass_context
def show_config(ctx: click.Context) -> None:
    """Show the settings in effect and where each came from.

    Precedence: command line > ISSPASS_* environment variables > config file > built-in.
    """
    parent = ctx.parent
    assert parent is not None
    path = config_path()
    state = "" if path.exists() else " (not present)"
    click.echo(f"config file: {path}{state}  (set {CONFIG_ENV} to use another)")
    for param in cli.params:
        name = param.name
        if name is None or name in NOT_CONFIGURABLE or not isinstance(param, click.Option):
            continue
        value = parent.params.get(name)
        source = parent.get_parameter_source(name)
        where = _SOURCES.get(source, "default") if source is not None else "default"
        if source is ParameterSource.ENVIRONMENT:
            where = f"environment {param.envvar}"
        shown = "(unset)" if value is None else value
        if name == "tz" and value is None and {"lat", "lon"} <= parent.params.keys():
            lat, lon = parent.params["lat"], parent.params["lon"]
            if lat is not None and lon is not None:
                shown = f"(from the location: {timezone_at(lat, lon)})"
        click.echo(f"{name.replace('_', '-'):>14} = {shown}  [{where}]")


@cli.command("update")
@click.option(
    "--satellite",
    "satellites",
    multiple=True,
    type=click.IntRange(1, 999_999_999),
    metavar="NORAD_ID",
    help="Also fetch this satellite (repeatable); the ISS is always fetched.",
)
@click.pass_context
def update_command(ctx: click.Context, satellites: tuple[int, ...]) -> None:
    """Fetch fresh elements (CelesTrak GP, OMM JSON) into the cache.

    Politely: never twice within 2 hours for the same object, no retries, and after a
    failure a back-off of 2 hours doubling up to a day. The cache is replaced only by
    validated elements, atomically. Exit code 6 when an object could not be updated.
    """
    parent = ctx.parent
    assert parent is not None
    if parent.params["offline"]:
        raise CliError("network use is disabled (--offline or offline = true): not updating", EXIT_NETWORK)
    cache = ElementCache()
    wanted = list(dict.fromkeys((ISS_NORAD_ID, *satellites)))
    for position, norad_id in enumerate(wanted):
        result = update_elements(norad_id, cache=cache, base_url=parent.params["elements_url"])
        if result.ok:
            click.echo(result.message)
            continue
        click.echo(f"isspass: {result.message}", err=True)
        if position + 1 < len(wanted):
            # A server that refused or failed is not asked again in the same run.
            rest = ", ".join(str(n) for n in wanted[position + 1 :])
            click.echo(f"isspass: not asking for {rest} after that", err=True)
        ctx.exit(EXIT_NETWORK)


# Options of the main command that batch takes too; given after "batch" they win.
_BATCH_SHARED = [
    click.option("--tle", metavar="FILE", help="Element file (TLE, 3LE or OMM JSON); - for stdin."),
    click.option("--satellite", metavar="NORAD_ID|NAME", help="Which satellite (default the ISS)."),
    click.option("--std-mag", type=Number(-30, 30), help="Standard magnitude."),
    click.option("--start", metavar="ISO8601", help="Start (default now); without a zone it is UTC here."),
    click.option("--days", type=Days(0, MAX_DAYS), help="Length of the window in days."),
    click.option("--min-elevation", type=Number(0, 90, "°"), help="Minimum elevation, degrees."),
    click.option("--min-peak", type=Number(0, 90, "°"), help="Only passes reaching this altitude."),
    click.option("--twilight", type=Twilight(), help="The Sun must be below this altitude."),
    click.option("--brighter-than", type=Number(-30, 30), help="Only passes brighter than this magnitude."),
    click.option("--all", is_flag=True, default=None, help="Every pass with its type."),
    click.option("--allow-stale", is_flag=True, default=None, help="Allow elements older than 30 days."),
    click.option("--offline", is_flag=True, default=None, help="Never use the network."),
]


def _shared(function: Any) -> Any:
    for option in reversed(_BATCH_SHARED):
        function = option(function)
    return function


@cli.command("batch")
@click.argument("locations", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True,
              help="CSV rows or JSON Lines, one per pass.")  # fmt: skip
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
@_shared
@click.pass_context
def batch_command(ctx: click.Context, locations: str, fmt: str, output: str | None, **given: Any) -> None:
    """Passes over many places: LOCATIONS is a CSV with a header row name,lat,lon[,elevation_m].

    Takes the main command's element, window and threshold options (before or after
    "batch"). Bad rows are reported on stderr with their line number and skipped; the exit
    code is then 8. A progress bar is shown when stderr is a terminal.
    """
    parent = ctx.parent
    assert parent is not None
    o = dict(parent.params)
    o.update({name: value for name, value in given.items() if value is not None})
    try:
        _batch(o, locations, fmt, output)
    except IsspassError as exc:
        raise CliError(str(exc), _exit_code(exc)) from None


def _batch(o: dict[str, Any], locations: str, fmt: str, output: str | None) -> None:
    try:
        data = _read_stdin() if locations == "-" else open(locations, "rb").read()  # noqa: SIM115
        text = data.decode("utf-8-sig")
    except FileNotFoundError:
        raise click.BadParameter(f"{locations}: no such file", param_hint="LOCATIONS") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(
            f"{locations}: cannot read it as text ({exc})", param_hint="LOCATIONS"
        ) from None
    try:
        places, errors = read_locations(text)
    except ValueError as exc:
        raise click.BadParameter(f"{locations}: {exc}", param_hint="LOCATIONS") from None
    for error in errors:
        click.echo(f"isspass: {locations}, line {error.line}: {error.message}; skipped", err=True)
    if not places:
        raise click.BadParameter(f"{locations}: no valid locations", param_hint="LOCATIONS")
    start = _parse_start(o["start"], ZoneInfo("UTC")).astimezone(timezone.utc)
    satellite, refresh_warning = _satellite(o, start)
    warning = check_age(satellite.elements, start, allow_stale=o["allow_stale"])
    for line in (refresh_warning, warning):
        if line:
            click.echo(f"isspass: {line}", err=True)
    results = iter_passes_many(
        [place.observer for place in places],
        start,
        o["days"],
        satellite=satellite,
        min_elevation_deg=o["min_elevation"],
        twilight_deg=o["twilight"],
        visible_only=not o["all"],
    )
    show_bar = sys.stderr is not None and sys.stderr.isatty()
    with (
        _destination(output) as out,
        click.progressbar(
            length=len(places), label="observers", file=sys.stderr if show_bar else _Null()
        ) as bar,
    ):
        writer = csv.writer(out, lineterminator="\n")
        if fmt == "csv":
            writer.writerow(["name", "latitude", "longitude", "elevation_m", "timezone", *csv_header()])
        for place, passes in zip(places, results, strict=True):
            chosen = _select(passes, o)
            if chosen:
                zone_name = timezone_at(place.observer.latitude_deg, place.observer.longitude_deg)
                zone = ZoneInfo(zone_name)
                head = [place.name, place.observer.latitude_deg, place.observer.longitude_deg,
                        place.observer.elevation_m, zone_name]  # fmt: skip
                for p in chosen:
                    if fmt == "csv":
                        writer.writerow([*head, *csv_row(p, zone)])
                    else:
                        record = {"name": place.name, "line": place.line,
                                  "observer": dict(zip(("latitude", "longitude", "elevation_m", "timezone"),
                                                       head[1:], strict=True)),
                                  **pass_to_dict(p)}  # fmt: skip
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
            bar.update(1)
    if errors:
        raise CliError(
            f"{len(errors)} of {len(errors) + len(places)} location rows were skipped", EXIT_BAD_ROWS
        )


class _Null(io.StringIO):
    """Where the progress bar goes when nobody is watching."""

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _destination(output: str | None) -> Iterator[IO[str]]:
    if output is None or output == "-":
        yield sys.stdout
        return
    try:
        with atomic_open(output) as handle:
            yield handle
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror}", EXIT_ERROR) from None


@cli.command("elements")
def elements_command() -> None:
    """List the element sets isspass knows: source, epoch and age, and the cache."""
    cache = ElementCache()
    now = datetime.now(timezone.utc)
    click.echo(f"cache: {cache.directory}")
    records = cache.records()
    for e in available_elements(cache):
        line = (
            f"{e.norad_id:>6}  {e.name:<20}  epoch {e.epoch:%Y-%m-%d %H:%M} UTC  "
            f"{e.age_days(now):6.1f} days old  {e.source}"
        )
        record = records.get(e.norad_id)
        if record is not None and e.source.startswith("cache") and record.last_success is not None:
            fetched = datetime.fromtimestamp(record.last_success, timezone.utc)
            line += f", fetched {fetched:%Y-%m-%d %H:%M} UTC"
        click.echo(line)
    for norad_id, record in sorted(records.items()):
        if record.failures and record.last_attempt is not None:
            when = datetime.fromtimestamp(record.last_attempt, timezone.utc)
            click.echo(f"{norad_id:>6}  last fetch failed at {when:%Y-%m-%d %H:%M} UTC: {record.last_error}")


def main() -> None:
    """Console-script entry point."""
    cli()
