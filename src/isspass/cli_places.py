"""The command line's places: ``--place`` weighed against ``--lat``/``--lon``, and ``isspass places``.

Click knows where each value came from (command line, environment, config file); the lookup
itself is the library's (:mod:`isspass.gazetteer`), imported only when a place is named.
"""

from __future__ import annotations

import gc
import shlex
from dataclasses import dataclass

import click
from click.core import ParameterSource

from .config import config_path
from .errors import EXIT_CONFIG, EXIT_USAGE, PlaceNotFoundError
from .model import Observer
from .options import Settings
from .places import timezone_at
from .text import inert

#: Which source of a setting outranks which: what is typed beats the environment beats the file.
_RANK = {ParameterSource.COMMANDLINE: 3, ParameterSource.ENVIRONMENT: 2, ParameterSource.DEFAULT_MAP: 1}


@dataclass
class _Process:
    """Whether the command runs as a process of its own (the console script), not inside a host
    program or a test runner: only then may it tune the garbage collector for the whole process."""

    owned: bool = False


PROCESS = _Process()


@dataclass(frozen=True)
class Whereabouts:
    """Where the observer is, the zone to show times in, and the place's name when one was used."""

    observer: Observer
    timezone: str
    place: str | None = None
    note: str | None = None


def resolve_location(ctx: click.Context, s: Settings) -> Whereabouts:
    """The observer the settings ask for: a place by name, or the coordinates when they rank as high.

    Coordinates given as explicitly as the place (both typed, both in the config file…) win;
    a place typed on the command line wins over coordinates from the config file.
    """
    given = [name for name in ("lat", "lon") if getattr(s, name) is not None]
    coordinates = max((_rank(ctx, name) for name in given), default=0)
    if s.place is not None and _rank(ctx, "place") > coordinates:
        return _at_place(ctx, s)
    if s.lat is None or s.lon is None:
        raise click.UsageError(
            f"no location: give --place, or --lat and --lon, or set them in {config_path()}", ctx=ctx
        )
    observer = Observer(s.lat, s.lon, s.elevation)
    return Whereabouts(observer, s.tz or timezone_at(observer.latitude_deg, observer.longitude_deg))


def _rank(ctx: click.Context, name: str) -> int:
    source = _source(ctx, name)
    return _RANK.get(source, 0) if source is not None else 0


def _source(ctx: click.Context, name: str) -> ParameterSource | None:
    """Where a setting came from: typed after a subcommand's name, else as the main command got it
    (its command line, the environment, the config file), as :meth:`Settings.given_in` takes it."""
    source = ctx.get_parameter_source(name)
    if source is not ParameterSource.COMMANDLINE and ctx.parent is not None:
        return ctx.parent.get_parameter_source(name)
    return source


def _at_place(ctx: click.Context, s: Settings) -> Whereabouts:
    from .gazetteer import match_place

    assert s.place is not None
    try:
        match = match_place(s.place)
    except PlaceNotFoundError as exc:
        raise _refusal(ctx, str(exc)) from None
    if PROCESS.owned:
        # The place table stays until the command ends: keep the cyclic garbage collector from
        # scanning it, and all else alive now, again and again during the search.
        gc.freeze()
    note = None
    if match.ambiguous:
        note = (
            f"the most populous of {match.candidates} places matching '{inert(match.query, 80)}'; "
            f"'isspass places {inert(shlex.quote(match.query), 80)}' lists them"
        )
    return Whereabouts(
        match.place.observer(s.elevation), s.tz or match.place.timezone, inert(match.place.label), note
    )


def _refusal(ctx: click.Context, message: str) -> click.ClickException:
    """An unknown place: a usage error when typed, a configuration error from the file or environment."""
    source = _source(ctx, "place")
    if source is ParameterSource.DEFAULT_MAP:
        return _error(f"config file {inert(str(config_path()))}: place: {message}", EXIT_CONFIG)
    if source is ParameterSource.ENVIRONMENT:
        return _error(f"environment variable ISSPASS_PLACE: {message}", EXIT_CONFIG)
    return _error(message, EXIT_USAGE)


def _error(message: str, code: int) -> click.ClickException:
    error = click.ClickException(message)
    error.exit_code = code
    return error


# --------------------------------------------------------------------------- isspass places


@click.command("places")
@click.argument("name")
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="List at most this many."
)
def places_command(name: str, limit: int) -> None:
    """List the places NAME matches, the most populous (the one --place takes) first.

    NAME as for --place: "Springfield", "Springfield, US-IL", "Zurich, CH", "München".
    Towns and cities of 15,000 people or more (GeoNames), offline. Unknown names: exit 2,
    with the closest names.
    """
    from .gazetteer import find_places, match_place

    try:
        places = find_places(name)
        if not places:
            match_place(name)  # refuses the name, with the closest ones
    except PlaceNotFoundError as exc:
        raise _error(str(exc), EXIT_USAGE) from None
    count = len(places)
    click.echo(
        f"{count} place{'s' if count != 1 else ''} match{'es' if count == 1 else ''} "
        f"'{inert(name.strip(), 80)}'" + ("; --place takes the first:" if count > 1 else ":")
    )
    labels = [inert(p.label) for p in places[:limit]]
    width = max(len(label) for label in labels)
    for label, p in zip(labels, places, strict=False):
        ns = "N" if p.latitude_deg >= 0 else "S"
        ew = "E" if p.longitude_deg >= 0 else "W"
        click.echo(
            f"{label:<{width}}  {abs(p.latitude_deg):8.4f}° {ns}  {abs(p.longitude_deg):8.4f}° {ew}  "
            f"{p.timezone:<20}  {p.population:>10,} people"
        )
    if count > limit:
        click.echo(f"... and {count - limit} more (--limit {count} lists them all)")
