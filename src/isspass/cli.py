"""The ``isspass`` command: parse the options, call the library, render the passes.

No maths here. Errors become one line on stderr and a documented exit code.
"""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import os
import stat
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import IO, TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from . import __version__
from .cli_cache import config_command, elements_command, update_command
from .cli_group import CliError, IsspassGroup, library_errors
from .cli_output import emit, stdout, stdout_errors
from .cli_places import PROCESS, places_command, resolve_location
from .errors import (
    EXIT_BAD_ROWS,
    EXIT_CONFIG,
    EXIT_NETWORK,
    EXIT_USAGE,
    ElementsError,
    ElementsMissingError,
    IsspassWarning,
    SatelliteSkippedWarning,
)
from .inputs import ELEMENTS_LIMIT_BYTES, iter_file_lines_bounded, iter_lines_bounded, read_stream_bounded
from .options import (
    MAIL_OPTIONS,
    PASS_OPTIONS,
    Number,
    Settings,
    options,
    pass_settings,
)
from .places import timezone_at
from .storage import open_output, write_output
from .text import inert
from .utc import now_utc

if TYPE_CHECKING:
    from .announce import AnnounceLog
    from .batch_places import PlaceStream
    from .formats import Report
    from .locations import Location
    from .mail import MailSettings
    from .model import Pass, Satellite
    from .passtable import PassTable
    from .sources import ElementChoice
    from .trajectory import TrajectorySatellite

# Whatever needs numpy (the search, the formats, the sources) is imported where it is used,
# so that --help and --version answer at once.


@click.group(
    cls=IsspassGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@options(
    "place", "lat", "lon", "elevation", "tz", *PASS_OPTIONS, "oem_url", "format", "output", "quiet_if_none",
    *MAIL_OPTIONS, "chart_orientation",
)
@click.version_option(__version__, "--version", prog_name="isspass")
@click.pass_context
def cli(ctx: click.Context, **values: Any) -> None:
    """Predict the passes of the ISS (or another satellite) you can see from a place.

    The place is a town (--place) or a latitude and longitude; times are shown in its
    local time. Defaults come from the config file ('isspass config') and ISSPASS_*
    variables; the command line wins. Repeat --satellite, or give all or --group, for the
    passes of several satellites in one list.
    """
    ctx.obj = Settings(**values)
    if ctx.invoked_subcommand is not None:
        return
    with library_errors():
        _predict(ctx, ctx.obj)


def _parse_start(text: str | None, zone: ZoneInfo) -> datetime:
    """``--start``: ISO 8601 date or date-time; without a zone it is ``zone``'s local time."""
    if text is None:
        return now_utc()
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


def _choose(s: Settings, start: datetime, days: float | None = None) -> ElementChoice:
    """The library's source policy (trajectory or elements) for ``days`` (default ``--days``) from
    ``start``, fed from the options; its warnings go to stderr."""
    from .elements import decode_elements
    from .trajectory_policy import choose_source


    given = None
    if s.tle is not None:
        given = decode_elements(_read_stdin(), "stdin") if s.tle == "-" else s.tle
    choice = choose_source(
        s.satellite[0] if s.satellite else None,
        elements=given,
        start=start,
        end=start + timedelta(days=s.days if days is None else days),
        standard_magnitude=s.std_mag,
        policy=s.policy(),
        source=s.source,
        oem=s.oem,
    )
    for warning in choice.warnings:
        click.echo(f"isspass: warning: {warning}", err=True)
    return choice


@dataclass(frozen=True)
class _Chosen:
    """The satellites the options ask for, and the warnings given while choosing them."""

    satellites: tuple[Satellite | TrajectorySatellite, ...]
    warnings: tuple[IsspassWarning, ...]

    @property
    def request(self) -> Satellite | TrajectorySatellite | list[Satellite | TrajectorySatellite]:
        """What the search is given: one satellite, or the list of several."""
        return self.satellites[0] if len(self.satellites) == 1 else list(self.satellites)

    @property
    def several(self) -> tuple[Satellite | TrajectorySatellite, ...]:
        """The report's ``satellites``: all of them when several, else none."""
        return self.satellites if len(self.satellites) > 1 else ()


def _chosen(s: Settings, start: datetime, days: float | None = None) -> _Chosen:
    """One satellite through the source policy exactly as ever (a trajectory or elements);
    several (repeated, all, groups) through :func:`isspass.selection.choose_satellites`, from
    elements only. Warnings go to stderr."""
    if not s.several:
        one = _choose(s, start, days)
        return _Chosen((one.satellite,), one.warnings)
    from .elements import ISS_NORAD_ID, decode_elements
    from .selection import choose_satellites

    if s.oem is not None or s.source == "oem":
        raise click.UsageError(
            "a trajectory (--oem, --source oem) predicts one satellite, not several (--satellite "
            "repeated, all, --group): give one --satellite, or --source elements"
        )
    given = None
    if s.tle is not None:
        given = decode_elements(_read_stdin(), "stdin") if s.tle == "-" else s.tle
    try:
        fleet = choose_satellites(
            s.satellite or (() if s.group else (ISS_NORAD_ID,)),
            groups=s.group,
            elements=given,
            start=start,
            days=s.days if days is None else days,
            standard_magnitude=s.std_mag,
            policy=s.policy(),
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    for warning in fleet.warnings:
        click.echo(f"isspass: warning: {warning}", err=True)
    return _Chosen(fleet.satellites, fleet.warnings)


@contextlib.contextmanager
def _left_out(found: list[IsspassWarning]) -> Iterator[None]:
    """Satellites the search leaves out (decayed in the window…): one warning line each on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SatelliteSkippedWarning)
        yield
    for item in caught:
        if isinstance(item.message, SatelliteSkippedWarning):
            found.append(item.message)
            click.echo(f"isspass: warning: {item.message}", err=True)
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)


def _predict(ctx: click.Context, s: Settings) -> None:
    mail = _mail_settings(s)
    days = s.days if s.within is None else max(s.days, s.within / 86400.0)
    report = replace(_report(ctx, s, days), alarm_s=s.alarm)
    start, passes = report.start, list(report.passes)
    shown = passes
    if s.within is not None:  # reminders: the passes that appear soon
        from .announce import first_seen

        soon = start + timedelta(seconds=s.within)
        shown = [p for p in passes if start <= first_seen(p) <= soon]
        report = replace(report, passes=tuple(shown))
    told = [str(w) for w in report.warnings]
    if not s.only_new:
        if shown or not s.quiet_if_none:
            _deliver(report, s, mail, told)
        return
    from .announce import compare, remember

    log = _announce_log(s, report)
    with log.held():
        remembered = log.load()
        for problem in log.problems:
            click.echo(f"isspass: warning: {problem}", err=True)
        now = now_utc()
        news = compare(shown, passes, remembered, start=start, end=report.end, now=now)
        if news.empty:
            return  # nothing new: no output, no mail
        _deliver(replace(report, passes=news.passes, news=news), s, mail, [*told, *log.problems])
        log.save(remember(remembered, news, now))  # only once it went out


def _mail_settings(s: Settings) -> MailSettings | None:
    """The mail delivery asked for (None: print), checked before any work is done."""
    if not s.mail_to:
        return None  # the mail modules (smtplib, ssl, email) stay unloaded
    import socket

    from .mail import PASSWORD_ENV, MailSettings

    password = os.environ.get(PASSWORD_ENV) or None
    if s.smtp_user is not None and password is None:
        user = inert(s.smtp_user, 80)
        raise CliError(f"--smtp-user {user} needs its password in {PASSWORD_ENV}", EXIT_CONFIG)
    sender = s.mail_from
    if sender is None:
        user = s.smtp_user or ""
        sender = user if "@" in user else f"isspass@{socket.getfqdn() or 'localhost'}"
    try:
        return MailSettings(
            to=tuple(dict.fromkeys(s.mail_to)),
            sender=sender,
            host=s.smtp_host,
            port=s.smtp_port,
            security=s.smtp_security,
            user=s.smtp_user,
            password=password,
        )
    except ValueError as exc:
        raise CliError(f"mail: {exc}", EXIT_CONFIG) from None


def _announce_log(s: Settings, report: Report) -> AnnounceLog:
    """The record of what was announced for this place, these criteria and this destination."""
    from .announce import AnnounceLog, record_key


    o = report.observer
    c = report.criteria
    what = {
        # Several satellites: the request, not its members (a group's membership changes).
        "satellite": {"keys": list(s.satellite), "groups": list(s.group)} if report.several
        else report.satellite.norad_id,
        "place": [round(o.latitude_deg, 4), round(o.longitude_deg, 4)],
        "criteria": [c.min_elevation_deg, c.twilight_deg, c.visible_only, c.min_peak_deg, c.brighter_than],
        "within_s": s.within,
        "to": sorted(s.mail_to) if s.mail_to else (s.output or "stdout"),
    }
    return AnnounceLog(record_key(**what), what)


def _deliver(report: Report, s: Settings, mail: MailSettings | None, warnings: Sequence[str]) -> None:
    """The report to stdout or ``--output``, and by mail when asked (then stdout stays quiet)."""
    if mail is None or s.output is not None:
        emit(_render(report, s), s.output)
    if mail is not None:
        from .mail import compose, send

        send(compose(report, mail, warnings, _chart_pngs(report, s)), mail)


#: The width of the sky charts in a mail's HTML part, pixels (shown at 360, sharp on phones).
MAIL_CHART_WIDTH_PX = 540


def _chart_pngs(report: Report, s: Settings) -> list[bytes]:
    """A PNG sky chart of every pass of the report, for the mail's HTML part."""
    from .chart import chart_png, sky_chart
    from .skyview import sky_views

    return [chart_png(sky_chart(v, s.chart_orientation), MAIL_CHART_WIDTH_PX) for v in sky_views(report)]


def _report(
    ctx: click.Context,
    s: Settings,
    days: float | None = None,
    until: Callable[[datetime, ZoneInfo], datetime] | None = None,
) -> Report:
    """The passes the options ask for over ``days`` (default ``--days``), or from the start
    ``until(start, zone)``: what the main command, chart and tonight list."""
    from .formats import Criteria, Report
    from .search import check_window, find_passes

    where = resolve_location(ctx, s)
    observer, zone_name = where.observer, where.timezone
    start = _parse_start(s.start, ZoneInfo(zone_name)).astimezone(timezone.utc)
    if until is not None:
        days = (until(start, ZoneInfo(zone_name)) - start).total_seconds() / 86400.0
    days = s.days if days is None else days
    check_window(start, days)
    chosen = _chosen(s, start, days)
    skipped: list[IsspassWarning] = []
    with _left_out(skipped):
        passes = find_passes(
            observer,
            start,
            days,
            satellite=chosen.request,
            min_elevation_deg=s.min_elevation,
            twilight_deg=s.twilight,
            visible_only=not s.all,
        )
    return Report(
        observer=observer,
        timezone=zone_name,
        satellite=chosen.satellites[0],
        satellites=chosen.several,
        start=start,
        end=start + timedelta(days=days),
        criteria=Criteria(
            min_elevation_deg=s.min_elevation,
            twilight_deg=s.twilight,
            visible_only=not s.all,
            min_peak_deg=s.min_peak,
            brighter_than=s.brighter_than,
        ),
        passes=tuple(_select(passes, s)),
        warnings=(*chosen.warnings, *skipped),
        place=where.place,
        place_note=where.note,
    )


def _render(report: Report, s: Settings) -> str:
    """The report in the chosen format; the HTML page's charts are turned as the options say."""
    from .formats import RENDERERS


    if s.format == "html":
        from .page import render_html

        return render_html(report, orientation=s.chart_orientation)
    return RENDERERS[s.format](report)


def _select(passes: list[Pass], s: Settings) -> list[Pass]:
    """The --min-peak and --brighter-than filters."""
    if s.min_peak is not None:
        passes = [p for p in passes if p.culmination.altitude_deg >= s.min_peak]
    if s.brighter_than is not None:
        passes = [p for p in passes if p.magnitude is not None and p.magnitude < s.brighter_than]
    return passes


#: ``isspass tonight``: passes brighter than this magnitude (naked eye from a suburb).
TONIGHT_BRIGHTER_THAN = 3.5
#: Tonight ends at the first local noon after the start that is at least this far ahead.
_TONIGHT_AT_LEAST = timedelta(hours=6)


@cli.command("tonight")
@options("place", "lat", "lon", "elevation", "tz", "start", "min_elevation", "min_peak", "twilight",
         "std_mag", "allow_stale", "offline", "refresh_after", "elements_url", "format",
         "output")  # fmt: skip
@click.option("--brighter-than", "tonight_brighter", type=Number(-30, 30), default=TONIGHT_BRIGHTER_THAN,
              show_default=True, help="Only passes brighter than this magnitude.")  # fmt: skip
@pass_settings
@click.pass_context
def tonight_command(ctx: click.Context, given: Settings, tonight_brighter: float, **_: Any) -> None:
    """Tonight's visible passes of every bright satellite, in time order: the one command before going out.

    Every object of the cached groups visual and stations ('isspass update --group visual
    --group stations' fetches them) brighter than --brighter-than, from now (or --start)
    to the next local noon at least 6 hours ahead. Without cached groups: the ISS alone,
    and how to fetch the groups. Exit code 0 with passes or without.
    """
    s = replace(given.given_in(ctx), brighter_than=tonight_brighter, all=False)
    with library_errors():
        _tonight(ctx, s)


def _tonight(ctx: click.Context, s: Settings) -> None:
    from .cache import ElementCache
    from .groups import TONIGHT_GROUPS, GroupCache

    cached = [g for g in TONIGHT_GROUPS if GroupCache(ElementCache()).path(g) is not None]
    note = None
    if cached:
        # Many satellites come from elements: a trajectory chosen in the settings is the ISS's alone.
        s = replace(s, group=tuple(cached), satellite=(), tle=None, oem=None, source="auto")
        used = " and ".join(cached)
        elements_text = f"the cached group{'s' if len(cached) > 1 else ''} {used}"
    else:
        s = replace(s, group=(), satellite=(), tle=None)
        elements_text = None
        note = (
            "No satellite groups are cached: this is the ISS alone. For every bright satellite, run "
            "'isspass update --group visual --group stations' once a day."
        )
    report = replace(
        _report(ctx, s, until=_tonight_end),
        elements_text=elements_text,
        note=note if s.format == "text" else None,
    )
    if note is not None and s.format != "text":
        click.echo(f"isspass: note: {note}", err=True)
    emit(_render(report, s), s.output)


def _tonight_end(start: datetime, zone: ZoneInfo) -> datetime:
    """The first local noon at least 6 hours after ``start``: the end of the coming night (UTC)."""
    local = start.astimezone(zone)
    noon = datetime(local.year, local.month, local.day, 12, tzinfo=zone)
    while noon.astimezone(timezone.utc) - start < _TONIGHT_AT_LEAST:
        day = noon.date() + timedelta(days=1)
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
    return noon.astimezone(timezone.utc)


@cli.command("batch")
@click.argument("locations", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="csv",
              show_default=True,
              help="CSV rows or JSON Lines, one per pass; parquet (a file: --output) needs "
                   "isspass[parquet].")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 1024), default=1, show_default=True, metavar="N",
              help="Worker processes searching the places (see the README before raising it).")  # fmt: skip
@click.option("--scheduler", metavar="ADDRESS",
              help="Search on a Dask cluster instead (tcp://host:8786); needs isspass[dask].")  # fmt: skip
@options("output", *PASS_OPTIONS)
@pass_settings
@click.pass_context
def batch_command(
    ctx: click.Context, given: Settings, locations: str, fmt: str, workers: int | None, scheduler: str | None,
    **_: Any,
) -> None:
    """Passes over many places: LOCATIONS is a CSV with a header row name,lat,lon[,elevation_m].

    Takes the main command's element, window and threshold options (before or after
    "batch"). Bad rows are reported on stderr with their line number and skipped; the exit
    code is then 8. A progress bar is shown when stderr is a terminal.
    """
    s = given.given_in(ctx)
    output = ctx.params["output"]  # batch's own: the main command's --output is for its report
    with library_errors(), _cluster(scheduler) as client:
        _batch(s, locations, fmt, output, workers, client)


@contextlib.contextmanager
def _cluster(address: str | None) -> Iterator[Any]:
    """A client of the Dask scheduler at ``address`` for the time of the batch (None: none)."""
    if address is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise CliError("--scheduler needs Dask: pip install 'isspass[dask]'", EXIT_USAGE) from None
    try:
        client = Client(address, timeout=30, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        shown = f"{inert(address, 80)}: {inert(str(exc), 200)}"
        raise CliError(f"no Dask scheduler at {shown}", EXIT_NETWORK) from None
    with client:
        yield client


def _batch(
    s: Settings, locations: str, fmt: str, output: str | None, workers: int | None = None, client: Any = None
) -> None:
    from .batch_places import PlaceStream
    from .locations import RowError, iter_locations
    from .search import check_window, iter_pass_tables, iter_passes_many

    shown = inert(locations)

    def refuse(message: str) -> click.BadParameter:
        return click.BadParameter(message, param_hint="LOCATIONS")

    def report(error: RowError) -> None:
        click.echo(f"isspass: {shown}, line {error.line}: {error.message}; skipped", err=True)

    if locations == "-":
        lines = iter_lines_bounded(_stdin("locations", refuse), "stdin", error=refuse)
    else:
        lines = iter_file_lines_bounded(locations, "", error=refuse)
    # The places are read while they are searched (a few chunks ahead), not all first.
    places = PlaceStream(iter_locations(lines), report, lambda message: refuse(f"{shown}: {message}"))
    if places.first() is None:
        raise refuse(f"{shown}: no valid locations")
    start = _parse_start(s.start, ZoneInfo("UTC")).astimezone(timezone.utc)
    check_window(start, s.days)
    chosen = _chosen(s, start)
    if fmt == "parquet" and (output is None or output == "-"):
        raise click.UsageError("--format parquet writes a file: give --output FILE")
    how = dict(
        min_elevation_deg=s.min_elevation, twilight_deg=s.twilight, visible_only=not s.all,
        workers=workers, client=client,
    )  # fmt: skip
    if len(chosen.satellites) == 1:
        tables = iter_pass_tables(places.observers(), start, s.days, satellite=chosen.request, **how)
        _batch_tables(s, places, tables, fmt, output, _rows_in(locations))
    else:
        if fmt == "parquet":
            raise click.UsageError("--format parquet is for one satellite at a time")
        everywhere = places.all()
        observers = [place.observer for place in everywhere]
        results = iter_passes_many(observers, start, s.days, satellite=chosen.request, **how)
        _batch_passes(s, everywhere, results, fmt, output)
    if places.skipped:
        raise CliError(
            f"{places.skipped} of {places.skipped + places.read} location rows were skipped", EXIT_BAD_ROWS
        )


#: A LOCATIONS file up to this size (some 8 million rows) is read twice for the bar to show a percentage.
_COUNT_ROWS_UP_TO_BYTES = 256 * 1024 * 1024


def _progress(count: int | None) -> Any:
    """A progress bar over the places on stderr, shown only when stderr is a terminal (a count
    of places and no percentage when their number is not known)."""
    show_bar = sys.stderr is not None and sys.stderr.isatty()
    stream = sys.stderr if show_bar else _Null()
    if count is None:
        return click.progressbar(itertools.count(), label="observers", file=stream, show_pos=True)
    return click.progressbar(length=count, label="observers", file=stream)


def _rows_in(locations: str) -> int | None:
    """The rows of a regular LOCATIONS file below its header, counted ahead for the progress bar
    when one is shown (None: not shown, not a regular file, or too large to read twice)."""
    if locations == "-" or sys.stderr is None or not sys.stderr.isatty():
        return None
    try:
        status = os.stat(locations)  # before opening: a FIFO would wait for a writer
        if not stat.S_ISREG(status.st_mode) or status.st_size > _COUNT_ROWS_UP_TO_BYTES:
            return None
        with open(locations, "rb") as handle:
            lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None
    return max(lines - 1, 0)


def _batch_passes(s: Settings, places: Sequence[Location], results: Iterator[list[Pass]], fmt: str,
                  output: str | None) -> None:  # fmt: skip
    """Batch rows rendered pass by pass (several satellites, merged per place)."""
    from .formats import batch_csv_header, batch_csv_row, batch_json_line

    with _left_out([]), _destination(output) as out, _progress(len(places)) as bar:
        if fmt == "csv":
            out.write(batch_csv_header())
        for place, passes in zip(places, results, strict=True):
            chosen = _select(passes, s)
            if chosen:
                zone_name = place.timezone or timezone_at(
                    place.observer.latitude_deg, place.observer.longitude_deg
                )
                render = batch_csv_row if fmt == "csv" else batch_json_line
                out.writelines(render(place, zone_name, p) for p in chosen)
            bar.update(1)


def _batch_tables(s: Settings, places: PlaceStream, tables: Iterator[PassTable], fmt: str,
                  output: str | None, rows: int | None) -> None:  # fmt: skip
    """Batch rows written a table (a chunk of places) at a time, no Pass object built; each
    chunk's places are forgotten once its rows are written."""
    from .search import DEFAULT_CHUNK
    from .table_formats import TABLE_WRITERS, LocalTimes, ParquetWriter, batch_header, select_rows

    def written(done: int) -> int:
        """Release a chunk of places, move the bar over it; the places done so far."""
        step = min(DEFAULT_CHUNK, places.read - done)
        places.release(done + step)
        bar.update(step)
        return done + step

    def zone_names(table: PassTable) -> dict[int, str]:
        for k in set(table.observer.tolist()):
            places.zone(k)
        return places.zones

    done = 0
    with _progress(rows) as bar:
        if fmt == "parquet":
            assert output is not None
            with open_output(output, "wb", encoding=None) as handle:
                try:
                    writer = ParquetWriter(handle)
                except ImportError:
                    raise CliError("--format parquet needs pyarrow: pip install 'isspass[parquet]'",
                                   EXIT_USAGE) from None  # fmt: skip
                for table in tables:
                    chosen = select_rows(table, s.min_peak, s.brighter_than)
                    writer.write(chosen, places.held, zone_names(chosen))  # type: ignore[arg-type]
                    done = written(done)
                writer.close()
        else:
            times, write = LocalTimes(), TABLE_WRITERS[fmt]
            with _destination(output) as out:
                out.write(batch_header(fmt))
                for table in tables:
                    chosen = select_rows(table, s.min_peak, s.brighter_than)
                    out.write(write(chosen, places.held, zone_names(chosen), times))  # type: ignore[arg-type]
                    done = written(done)
        if rows is not None and rows > done:  # blank or bad rows: the bar ends full all the same
            bar.update(rows - done)


class _Null(io.StringIO):
    """Where the progress bar goes when nobody is watching."""

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _destination(output: str | None) -> Iterator[IO[str]]:
    if output is None or output == "-":
        with stdout_errors():
            stream = stdout()
            yield stream
            stream.flush()
        return
    with open_output(output) as handle:
        yield handle


@cli.command("chart")
@options("lat", "lon", "elevation", "tz", *PASS_OPTIONS, "chart_orientation", "output", "quiet_if_none")
@click.option("--pass", "pass_number", type=click.IntRange(1, 100_000), metavar="N",
              help="Chart the N-th pass listed by the main command (default: the first).")
@click.option("--id", "pass_id", metavar="ID",
              help="Chart the pass with this id (as the HTML page lists it).")
@click.option("--size", "width_px", type=click.IntRange(100, 8000), default=800, show_default=True,
              help="Width of a PNG chart, pixels.")  # fmt: skip
@pass_settings
@click.pass_context
def chart_command(
    ctx: click.Context, given: Settings, pass_number: int | None, pass_id: str | None, width_px: int, **_: Any
) -> None:
    """Draw the sky chart of one pass: --output FILE.svg or FILE.png (SVG on stdout without it).

    Takes the main command's options (place, elements, window, thresholds) and lists the
    same passes; --pass N or --id ID says which one. Exit code 2 when there is no such pass.
    """
    s = given.given_in(ctx)
    output = ctx.params["output"]  # the chart's own: the main command's --output is for its report
    kind = _chart_kind(output)
    if pass_number is not None and pass_id is not None:
        raise click.UsageError("give --pass or --id, not both", ctx=ctx)
    with library_errors():
        report = _report(ctx, s)
        if not report.passes and s.quiet_if_none:
            return
        index = _chosen_pass(report, pass_number, pass_id)
        from .chart import chart_png, chart_svg, sky_chart
        from .skyview import sky_view

        chosen = report.passes[index]
        owner = report.satellite_of(chosen)
        view = sky_view(chosen, report.observer, owner, report.timezone, number=index + 1)
        drawing = sky_chart(view, s.chart_orientation)
        if kind == "png":
            assert output is not None
            write_output(output, chart_png(drawing, width_px))
        else:
            emit(chart_svg(drawing), output)


def _chart_kind(output: str | None) -> str:
    """``svg`` or ``png`` from the --output name (SVG on stdout without one)."""
    if output is None or output == "-":
        return "svg"
    kind = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    if kind not in ("svg", "png"):
        raise click.BadParameter(f"{inert(output)!r}: the chart's file name must end in .svg or .png",
                                 param_hint="'--output'")  # fmt: skip
    return kind


def _chosen_pass(report: Report, number: int | None, pass_id: str | None) -> int:
    """The index of the pass --pass N or --id ID names among the listed passes."""
    passes = report.passes
    kind = "visible passes" if report.criteria.visible_only else "passes"
    if pass_id is None:
        number = number or 1
        if number > len(passes):
            have = f"only {len(passes)}" if passes else "no"
            raise click.BadParameter(
                f"{number}: there are {have} {kind} of {report.what} in this window",
                param_hint="'--pass'",
            )
        return number - 1
    ids = [p.id or None for p in passes]  # "" when the pass has no id
    for index, value in enumerate(ids):
        if value is not None and str(value) == pass_id:
            return index
    known = ", ".join(str(v) for v in ids if v is not None)
    hint = f"the {kind} in this window are {known}" if known else "no pass here has an id (use --pass N)"
    raise click.BadParameter(f"{inert(pass_id, 40)!r}: {hint}", param_hint="'--id'")
for command in (config_command, update_command, elements_command, places_command):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    PROCESS.owned = True
    try:
        cli()
    finally:
        # The process ends here. Frozen, what it holds (numpy, Skyfield, the search's modules) is
        # spared the interpreter's exit-time collections, which would walk it all for no garbage:
        # a tenth of a prediction's time. Files are closed and streams flushed as ever.
        gc.freeze()
