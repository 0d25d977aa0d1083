"""The subcommands about what isspass knows and fetches: config, update and elements.

Thin commands: they read the settings, call the cache and the polite fetchers, and print.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from .cli_group import CliError, IsspassCommand, library_errors, say
from .config import CONFIG_ENV, config_path
from .errors import (
    EXIT_ERROR,
    EXIT_NETWORK,
    EXIT_OK,
)
from .options import (
    NETWORK_OPTIONS,
    NOT_CONFIGURABLE,
    PASS_OPTIONS,
    GroupName,
    Settings,
    options,
    pass_settings,
)
from .places import timezone_at
from .text import inert
from .utc import now_utc

if TYPE_CHECKING:
    from .cache import ElementCache
    from .groups import GroupUpdate
    from .oem_cache import TrajectoryCache
    from .update import UpdateResult


_SOURCES = {
    ParameterSource.COMMANDLINE: "command line",
    ParameterSource.ENVIRONMENT: "environment",
    ParameterSource.DEFAULT_MAP: "config file",
    ParameterSource.DEFAULT: "default",
}


#: The main command's options that ``config`` takes after its name too: all that can be configured.
_CONFIG_OPTIONS = ("place", "lat", "lon", "elevation", "tz", *(n for n in PASS_OPTIONS if n != "start"),
                   "format", "quiet_if_none")  # fmt: skip


@click.command("config", cls=IsspassCommand)
@options(*_CONFIG_OPTIONS)
@click.pass_context
def config_command(ctx: click.Context, **_: Any) -> None:
    """Show the settings in effect and where each came from.

    Precedence: command line > ISSPASS_* environment variables > config file > built-in.
    Options typed before or after "config" count (isspass config --place Zurich).
    """
    from .announce import state_dir


    parent = ctx.parent
    assert parent is not None

    def effective(name: str) -> tuple[Any, ParameterSource | None]:
        holder = ctx if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE else parent
        return holder.params.get(name), holder.get_parameter_source(name)

    path = config_path()
    state = "" if path.exists() else " (not present)"
    say(f"config file: {inert(str(path))}{state}  (set {CONFIG_ENV} to use another)")
    say(f"command: {inert(str(_command_path()))}  (the absolute path to put in a crontab)")
    say(f"state: {inert(str(state_dir()))}  (what --only-new announced; ISSPASS_STATE_DIR moves it)")
    for param in parent.command.params:
        name = param.name
        if name is None or name in NOT_CONFIGURABLE or not isinstance(param, click.Option):
            continue
        value, source = effective(name)
        where = _SOURCES.get(source, "default") if source is not None else "default"
        if source is ParameterSource.ENVIRONMENT:
            where = f"environment {param.envvar}"
        shown = "(unset)" if value is None or value == () else value
        if isinstance(value, tuple) and value:
            shown = " ".join(str(item) for item in value)
        if name == "tz" and value is None:
            (lat, _), (lon, _), (place, _) = effective("lat"), effective("lon"), effective("place")
            if lat is not None and lon is not None:
                shown = f"(from the location: {timezone_at(lat, lon)})"
            elif place is not None:
                shown = "(from the place)"
        say(f"{name.replace('_', '-'):>14} = {inert(str(shown))}  [{where}]")  # values from outside


def _command_path() -> str:
    """How cron should call this isspass: its absolute path (cron's PATH is /usr/bin:/bin)."""
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) == "isspass" and os.path.isfile(argv0):
        return os.path.abspath(argv0)
    beside = os.path.join(os.path.dirname(sys.executable), "isspass")
    if os.path.isfile(beside):
        return beside
    return shutil.which("isspass") or f"{sys.executable} -m isspass"


@click.command("update", cls=IsspassCommand)
@click.option(
    "--satellite",
    "satellites",
    multiple=True,
    type=click.IntRange(1, 999_999_999),
    metavar="NORAD_ID",
    help="Also fetch this satellite (repeatable); the ISS is always fetched (by a group holding it, if any).",
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    type=GroupName(),
    metavar="NAME",
    help="Also fetch this CelesTrak group (stations, visual…): every object in it, in one request; "
    "repeatable.",
)
@options(*NETWORK_OPTIONS)
@pass_settings
@click.pass_context
def update_command(
    ctx: click.Context, given: Settings, satellites: tuple[int, ...], groups: tuple[str, ...], **_: Any
) -> None:
    """Fetch fresh elements (CelesTrak GP, OMM JSON) and NASA's ISS trajectory (OEM) into the cache.

    Politely: never twice within 2 hours for the same object or group, no retries, and
    after a failure a back-off of 2 hours doubling up to a day. The cache is replaced only
    by validated elements, atomically. Exit code 6 when an object could not be updated.
    --oem-url none skips the trajectory.
    """
    s = given.given_in(ctx)
    if s.offline:
        raise CliError("network use is disabled (--offline or offline = true): not updating", EXIT_NETWORK)
    with library_errors():
        _update(ctx, s, satellites, groups)


def _update(
    ctx: click.Context, s: Settings, satellites: tuple[int, ...], groups: tuple[str, ...] = ()
) -> None:
    """Groups first, one request each; then the objects no group of this run brought."""
    from .cache import ElementCache
    from .elements import ISS_NORAD_ID
    from .groups import GroupUpdate, update_group
    from .oem_cache import TrajectoryCache
    from .oem_update import update_trajectory
    from .update import UpdateStatus, update_elements

    cache = ElementCache()
    wanted: list[int | str] = [f"group {g}" for g in dict.fromkeys(groups)]
    wanted += list(dict.fromkeys((ISS_NORAD_ID, *satellites)))
    brought: set[int] = set()
    code = EXIT_OK
    for position, item in enumerate(wanted):
        if isinstance(item, int) and item in brought:
            say(f"elements for {item} came with a group")
            continue
        if isinstance(item, str):
            result: UpdateResult | GroupUpdate = update_group(
                item.removeprefix("group "), cache=cache, base_url=s.elements_url, explicit=True
            )
            if isinstance(result, GroupUpdate) and result.ok:
                brought.update(e.norad_id for e in result.members)
        else:
            result = update_elements(item, cache=cache, base_url=s.elements_url, explicit=True)
        if result.ok:
            say(result.message)
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
            say(result.message)
        else:
            click.echo(f"isspass: {result.message}", err=True)
            if code == EXIT_OK:
                code = EXIT_ERROR if result.status is UpdateStatus.CACHE_UNUSABLE else EXIT_NETWORK
    if code != EXIT_OK:
        ctx.exit(code)


@click.command("elements", cls=IsspassCommand)
def elements_command() -> None:
    """List the element sets isspass knows (source, epoch, age), each object's history and its
    manoeuvres, the cached groups, the cached ISS trajectory and its planned events, and the
    cache and its problems."""
    from .bundled import bundled_elements
    from .cache import ElementCache
    from .oem_cache import TrajectoryCache
    from .sources import known_histories

    cache = ElementCache()
    with library_errors():
        now = now_utc()
    say(f"cache: {inert(str(cache.directory))}")
    records = cache.records()
    for e in cache.load_all() + bundled_elements():
        line = (
            f"{e.norad_id:>6}  {e.name:<20}  epoch {e.epoch:%Y-%m-%d %H:%M} UTC  "
            f"{e.age_days(now):6.1f} days old  {e.source}"
        )
        record = records.get(e.norad_id)
        if record is not None and e.source.startswith("cache") and record.last_success is not None:
            fetched = datetime.fromtimestamp(record.last_success, timezone.utc)
            line += f", fetched {fetched:%Y-%m-%d %H:%M} UTC"
        say(line)
    for history in known_histories(cache):
        if len(history.sets) < 2:
            continue
        first, last = history.sets[0].epoch, history.newest.epoch
        count = len(history.manoeuvres)
        say(
            f"{history.norad_id:>6}  history: {len(history.sets)} sets, {first:%Y-%m-%d} to {last:%Y-%m-%d}; "
            f"{count} manoeuvre{'' if count == 1 else 's'} detected"
        )
        for manoeuvre in history.manoeuvres:
            say(
                f"{history.norad_id:>6}  {manoeuvre.describe()} (between the sets of "
                f"{manoeuvre.before:%Y-%m-%d %H:%M} and {manoeuvre.after:%Y-%m-%d %H:%M} UTC)"
            )
    for norad_id, record in sorted(records.items()):
        if record.failures and record.last_attempt is not None:
            when = datetime.fromtimestamp(record.last_attempt, timezone.utc)
            failed = f"last fetch failed at {when:%Y-%m-%d %H:%M} UTC: {record.last_error}"
            say(f"{norad_id:>6}  {failed}")
    _list_groups(cache, now)
    for problem in cache.problems():
        click.echo(f"isspass: warning: {problem}", err=True)
    _show_trajectory(TrajectoryCache(cache.directory), now)


def _show_trajectory(cache: TrajectoryCache, now: datetime) -> None:
    """The cached ISS trajectory: when it was made, what it covers, its planned events."""
    from .elements import ISS_NORAD_ID


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


def _list_groups(cache: ElementCache, now: datetime) -> None:
    """One line per cached group (its size, epochs and fetch), and its failed fetches."""
    from .groups import GroupCache

    groups = GroupCache(cache)
    records = groups.records()
    for name in groups.names():
        members = groups.load(name)
        if not members:
            continue
        epochs = [e.epoch for e in members]
        ages = [e.age_days(now) for e in members]
        line = (
            f"group {name}: {len({e.norad_id for e in members})} objects, "
            f"epochs {min(epochs):%Y-%m-%d %H:%M} to {max(epochs):%Y-%m-%d %H:%M} UTC "
            f"({min(ages):.1f} to {max(ages):.1f} days old), "
            f"{inert(str(groups.path(name)))}"
        )
        record = records.get(name)
        if record is not None and record.last_success is not None:
            fetched = datetime.fromtimestamp(record.last_success, timezone.utc)
            line += f", fetched {fetched:%Y-%m-%d %H:%M} UTC"
        say(line)
    for name, record in sorted(records.items()):
        if record.failures and record.last_attempt is not None:
            when = datetime.fromtimestamp(record.last_attempt, timezone.utc)
            say(f"group {name}: last fetch failed at {when:%Y-%m-%d %H:%M} UTC: {record.last_error}")
