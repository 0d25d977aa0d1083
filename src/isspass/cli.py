"""The ``isspass`` command: parse the options, call the library, render the passes.

No maths here. Errors become one line on stderr and a documented exit code.
"""

from __future__ import annotations

import contextlib
import io
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
from .elements import ISS_NORAD_ID, decode_elements
from .errors import (
    EXIT_BAD_ROWS,
    EXIT_CONFIG,
    EXIT_ERROR,
    EXIT_NETWORK,
    EXIT_OK,
    EXIT_USAGE,
    ConfigError,
    ElementsError,
    ElementsMissingError,
    IsspassError,
    OutputError,
    exit_code,
)
from .formats import (
    RENDERERS,
    Criteria,
    Report,
    batch_csv_header,
    batch_csv_row,
    batch_json_line,
)
from .inputs import ELEMENTS_LIMIT_BYTES, iter_file_lines_bounded, iter_lines_bounded, read_stream_bounded
from .locations import read_locations
from .model import Observer, Pass
from .oem_cache import TrajectoryCache
from .oem_update import update_trajectory
from .options import NETWORK_OPTIONS, NOT_CONFIGURABLE, PASS_OPTIONS, Settings, options, pass_settings
from .places import timezone_at
from .search import (
    find_passes,
    iter_passes_many,
)
from .sources import ElementChoice, available_elements
from .storage import open_output, write_output
from .text import inert
from .trajectory_policy import choose_source
from .update import UpdateStatus, update_elements


class CliError(click.ClickException):
    """A user-facing error with its exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@contextlib.contextmanager
def _library_errors() -> Iterator[None]:
    """Library errors become one line and their documented exit code."""
    try:
        yield
    except IsspassError as exc:
        raise CliError(str(exc), exit_code(exc)) from None


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
            problem = _config_problem(config, self)
            if problem is not None:
                raise CliError(f"config file {inert(str(config_path()))}: {problem}", EXIT_CONFIG)
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


def _config_problem(table: dict[str, Any], command: click.Command) -> str | None:
    """What is wrong with a config table for ``command`` (its own options, or a subcommand's table)."""
    options = [p for p in command.params if isinstance(p, click.Option) and p.name not in NOT_CONFIGURABLE]
    params = {p.name: p for p in options}
    commands = command.commands if isinstance(command, click.Group) else {}
    for key, value in table.items():
        shown = inert(key, 40)
        if key in commands and isinstance(value, dict):
            problem = _config_problem(value, commands[key])
            if problem is not None:
                return f"[{shown}] {problem}"
            continue
        param = params.get(key)
        if param is None:
            return f"unknown setting '{shown}'"
        if param.is_flag and not isinstance(value, bool):
            return f"{shown} must be true or false, not {inert(repr(value), 40)}"
        if not param.is_flag and (isinstance(value, (bool, dict, list)) or value is None):
            return f"{shown} must be a single number or text, not {inert(repr(value), 40)}"
    return None


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




@click.group(
    cls=IsspassGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@options("lat", "lon", "elevation", "tz", *PASS_OPTIONS, "oem_url", "format", "output", "quiet_if_none")
@click.version_option(__version__, "--version", prog_name="isspass")
@click.pass_context
def cli(ctx: click.Context, **values: Any) -> None:
    """Predict the passes of the ISS (or another satellite) you can see from a place.

    \b
    isspass --lat 47.37 --lon 8.54             the next 10 days' visible passes
    isspass --lat 47.37 --lon 8.54 --all       every pass, with its type
    isspass update                             fetch fresh ISS elements
    isspass elements                           the element sets known, and their age
    isspass config                             the settings in effect, and from where
    isspass batch places.csv                   passes over many places

    Exit codes: 0 success (passes or none), 1 other error, 2 usage, 3 elements missing,
    4 elements corrupt, 5 elements too old, 6 network, 7 configuration, 8 batch rows skipped.
    """
    ctx.obj = Settings(**values)
    if ctx.invoked_subcommand is not None:
        return
    with _library_errors():
        _predict(ctx, ctx.obj)


def _parse_start(text: str | None, zone: ZoneInfo) -> datetime:
    """``--start``: ISO 8601 date or date-time; without a zone it is ``zone``'s local time."""
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


def _stdin(what: str, error: type[Exception]) -> IO[bytes]:
    """Standard input as bytes, or ``error`` when there is none to read (``<&-``)."""
    stream = sys.stdin
    if stream is None or stream.closed:
        raise error(f"stdin is closed: no {what} to read")
    return getattr(stream, "buffer", stream)


def _read_stdin() -> bytes:
    """Elements from standard input: bounded in size, and in time for a pipe that never ends."""
    stream = _stdin("elements", ElementsMissingError)
    return read_stream_bounded(stream, ELEMENTS_LIMIT_BYTES, "stdin", error=ElementsError)


def _choose(s: Settings, start: datetime) -> ElementChoice:
    """The library's source policy (trajectory or elements), fed from the options; warnings to stderr."""
    given = None
    if s.tle is not None:
        given = decode_elements(_read_stdin(), "stdin") if s.tle == "-" else s.tle
    choice = choose_source(
        s.satellite,
        elements=given,
        start=start,
        end=start + timedelta(days=s.days),
        standard_magnitude=s.std_mag,
        policy=s.policy(),
        source=s.source,
        oem=s.oem,
    )
    for warning in choice.warnings:
        click.echo(f"isspass: warning: {warning}", err=True)
    return choice


def _predict(ctx: click.Context, s: Settings) -> None:
    if s.lat is None or s.lon is None:
        raise click.UsageError(
            f"no location: give --lat and --lon, or set lat and lon in {config_path()}", ctx=ctx
        )
    observer = Observer(s.lat, s.lon, s.elevation)
    zone_name = s.tz or timezone_at(observer.latitude_deg, observer.longitude_deg)
    start = _parse_start(s.start, ZoneInfo(zone_name)).astimezone(timezone.utc)
    satellite = _choose(s, start).satellite
    passes = find_passes(
        observer,
        start,
        s.days,
        satellite=satellite,
        min_elevation_deg=s.min_elevation,
        twilight_deg=s.twilight,
        visible_only=not s.all,
    )
    passes = _select(passes, s)
    if not passes and s.quiet_if_none:
        return
    report = Report(
        observer=observer,
        timezone=zone_name,
        satellite=satellite,
        start=start,
        end=start + timedelta(days=s.days),
        criteria=Criteria(
            min_elevation_deg=s.min_elevation,
            twilight_deg=s.twilight,
            visible_only=not s.all,
            min_peak_deg=s.min_peak,
            brighter_than=s.brighter_than,
        ),
        passes=tuple(passes),
    )
    _emit(RENDERERS[s.format](report), s.output)


def _select(passes: list[Pass], s: Settings) -> list[Pass]:
    """The --min-peak and --brighter-than filters."""
    if s.min_peak is not None:
        passes = [p for p in passes if p.culmination.altitude_deg >= s.min_peak]
    if s.brighter_than is not None:
        passes = [p for p in passes if p.magnitude is not None and p.magnitude < s.brighter_than]
    return passes


def _emit(text: str, output: str | None) -> None:
    """The report to stdout, or to ``--output`` by the output-file rules (storage.open_output)."""
    if output is None or output == "-":
        with _stdout_errors():
            click.echo(text, nl=False)
            sys.stdout.flush()
        return
    write_output(output, text.encode("utf-8"))


@contextlib.contextmanager
def _stdout_errors() -> Iterator[None]:
    """A full disk or a closed pipe behind stdout is one line, not a traceback."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to standard output ({exc.strerror or exc})") from None


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
@options(*NETWORK_OPTIONS)
@pass_settings
@click.pass_context
def update_command(ctx: click.Context, given: Settings, satellites: tuple[int, ...], **_: Any) -> None:
    """Fetch fresh elements (CelesTrak GP, OMM JSON) and NASA's ISS trajectory (OEM) into the cache.

    Politely: never twice within 2 hours for the same object, no retries, and after a
    failure a back-off of 2 hours doubling up to a day. The cache is replaced only by
    validated elements, atomically. Exit code 6 when an object could not be updated.
    --oem-url none skips the trajectory.
    """
    s = given.given_in(ctx)
    if s.offline:
        raise CliError("network use is disabled (--offline or offline = true): not updating", EXIT_NETWORK)
    with _library_errors():
        _update(ctx, s, satellites)


def _update(ctx: click.Context, s: Settings, satellites: tuple[int, ...]) -> None:
    cache = ElementCache()
    wanted = list(dict.fromkeys((ISS_NORAD_ID, *satellites)))
    code = EXIT_OK
    for position, norad_id in enumerate(wanted):
        result = update_elements(norad_id, cache=cache, base_url=s.elements_url)
        if result.ok:
            click.echo(result.message)
            continue
        click.echo(f"isspass: {result.message}", err=True)
        if position + 1 < len(wanted):
            # A server that refused or failed is not asked again in the same run.
            rest = ", ".join(str(n) for n in wanted[position + 1 :])
            click.echo(f"isspass: not asking for {rest} after that", err=True)
        code = EXIT_ERROR if result.status is UpdateStatus.CACHE_UNUSABLE else EXIT_NETWORK
        break
    if s.oem_url != "none":  # another server (NASA's): asked whatever CelesTrak answered
        result = update_trajectory(cache=TrajectoryCache(cache.directory), url=s.oem_url)
        if result.ok:
            click.echo(result.message)
        else:
            click.echo(f"isspass: {result.message}", err=True)
            if code == EXIT_OK:
                code = EXIT_ERROR if result.status is UpdateStatus.CACHE_UNUSABLE else EXIT_NETWORK
    if code != EXIT_OK:
        ctx.exit(code)


@cli.command("batch")
@click.argument("locations", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True,
              help="CSV rows or JSON Lines, one per pass.")  # fmt: skip
@options("output", *PASS_OPTIONS)
@pass_settings
@click.pass_context
def batch_command(ctx: click.Context, given: Settings, locations: str, fmt: str, **_: Any) -> None:
    """Passes over many places: LOCATIONS is a CSV with a header row name,lat,lon[,elevation_m].

    Takes the main command's element, window and threshold options (before or after
    "batch"). Bad rows are reported on stderr with their line number and skipped; the exit
    code is then 8. A progress bar is shown when stderr is a terminal.
    """
    s = given.given_in(ctx)
    output = ctx.params["output"]  # batch's own: the main command's --output is for its report
    with _library_errors():
        _batch(s, locations, fmt, output)


def _batch(s: Settings, locations: str, fmt: str, output: str | None) -> None:
    shown = inert(locations)

    def refuse(message: str) -> click.BadParameter:
        return click.BadParameter(message, param_hint="LOCATIONS")

    if locations == "-":
        lines = iter_lines_bounded(_stdin("locations", refuse), "stdin", error=refuse)
    else:
        lines = iter_file_lines_bounded(locations, "", error=refuse)
    try:
        places, errors = read_locations(lines)
    except ValueError as exc:
        raise refuse(f"{shown}: {exc}") from None
    for error in errors:
        click.echo(f"isspass: {shown}, line {error.line}: {error.message}; skipped", err=True)
    if not places:
        raise refuse(f"{shown}: no valid locations")
    start = _parse_start(s.start, ZoneInfo("UTC")).astimezone(timezone.utc)
    satellite = _choose(s, start).satellite
    results = iter_passes_many(
        [place.observer for place in places],
        start,
        s.days,
        satellite=satellite,
        min_elevation_deg=s.min_elevation,
        twilight_deg=s.twilight,
        visible_only=not s.all,
    )
    show_bar = sys.stderr is not None and sys.stderr.isatty()
    with (
        _destination(output) as out,
        click.progressbar(
            length=len(places), label="observers", file=sys.stderr if show_bar else _Null()
        ) as bar,
    ):
        if fmt == "csv":
            out.write(batch_csv_header())
        for place, passes in zip(places, results, strict=True):
            chosen = _select(passes, s)
            if chosen:
                zone_name = timezone_at(place.observer.latitude_deg, place.observer.longitude_deg)
                render = batch_csv_row if fmt == "csv" else batch_json_line
                out.writelines(render(place, zone_name, p) for p in chosen)
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
        with _stdout_errors():
            yield sys.stdout
            sys.stdout.flush()
        return
    with open_output(output) as handle:
        yield handle


@cli.command("elements")
def elements_command() -> None:
    """List the element sets isspass knows (source, epoch, age), the cached ISS trajectory and its
    planned events, and the cache and its problems."""
    cache = ElementCache()
    now = datetime.now(timezone.utc)
    click.echo(f"cache: {inert(str(cache.directory))}")
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
    for problem in cache.problems():
        click.echo(f"isspass: warning: {problem}", err=True)
    _show_trajectory(TrajectoryCache(cache.directory), now)


def _show_trajectory(cache: TrajectoryCache, now: datetime) -> None:
    """The cached ISS trajectory: when it was made, what it covers, its planned events."""
    oem = cache.load()
    if oem is not None:
        age = (now - oem.created).total_seconds() / 86400
        line = (
            f"{ISS_NORAD_ID:>6}  {inert(oem.object_name, 20):<20}  trajectory created "
            f"{oem.created:%Y-%m-%d %H:%M} UTC by {inert(oem.originator, 20)}, {age:.1f} days old, "
            f"covering {oem.start:%Y-%m-%d %H:%M} to {oem.stop:%Y-%m-%d %H:%M} UTC "
            f"({oem.vector_count} vectors)  OEM cache ({inert(str(cache.path))})"
        )
        record = cache.record()
        if record.last_success is not None:
            fetched = datetime.fromtimestamp(record.last_success, timezone.utc)
            line += f", fetched {fetched:%Y-%m-%d %H:%M} UTC"
        click.echo(line)
        for event in oem.events:
            delta_v = f"  {event.delta_v_m_s:g} m/s" if event.delta_v_m_s is not None else ""
            kind = "  manoeuvre" if event.is_manoeuvre else ""
            click.echo(f"{'':>6}  planned: {event.time:%Y-%m-%d %H:%M:%S} UTC  {event.name}{delta_v}{kind}")
    record = cache.record()
    if record.failures and record.last_attempt is not None:
        when = datetime.fromtimestamp(record.last_attempt, timezone.utc)
        failed = f"last trajectory fetch failed at {when:%Y-%m-%d %H:%M} UTC"
        click.echo(f"{ISS_NORAD_ID:>6}  {failed}: {record.last_error}")
    for problem in cache.problems():
        click.echo(f"isspass: warning: {problem}", err=True)


def main() -> None:
    """Console-script entry point."""
    cli()
