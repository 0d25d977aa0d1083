"""Which satellites a request for several means: named ones, ``all``, cached groups; and why.

The element policy of :mod:`isspass.sources` applied to each, with one summary of their age.

A named satellite gets exactly what it would get alone (:func:`isspass.choose_satellite`):
the file's set, or the cached or bundled set nearest the window, refreshed first when due,
refused when too old, its manoeuvres warned of. ``all`` (every object of the file, or every
object known) and a group's members are many objects nobody named one by one: one of them
too old for the window, or beyond a year of it, is left out with a note rather than refusing
the rest. Each carries the drag its element history shows, for the timing band.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from .bundled import bundled_elements, standard_magnitudes
from .cache import ElementCache
from .elements import read_elements, select_elements
from .errors import (
    CacheWarning,
    IsspassWarning,
    RefreshWarning,
    SatelliteNotFoundError,
    SatelliteSkippedWarning,
    StaleElementsWarning,
)
from .freshness import ABSURD_AGE_DAYS, MAX_AGE_DAYS, WARN_AGE_DAYS, timing_uncertainty_s, uncertainty_text
from .groups import (
    GroupCache,
    GroupUpdate,
    check_group_name,
    group_members,
    group_needs_refresh,
    update_group,
)
from .history import element_history
from .model import Elements, Satellite
from .sources import ElementPolicy, choose_satellite, known_elements
from .utc import as_utc, now_utc

#: The key that means every object: of the element file, else every object isspass knows.
ALL = "all"
#: A window that starts longer ago than this gains nothing from fresh elements: no refresh.
_PAST_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class FleetChoice:
    """The satellites chosen for a window, where their elements came from, and what to tell the user.

    ``satellites`` in the order asked (named ones first, then groups' members by catalogue
    number), each catalogue number once; ``reason`` is one line for people; ``groups`` the
    cached groups used; ``updates`` the refreshes tried on the way; ``warnings`` the lines
    to show (the command line prints them on stderr).
    """

    satellites: tuple[Satellite, ...]
    reason: str
    groups: tuple[str, ...]
    updates: tuple[object, ...]
    warnings: tuple[IsspassWarning, ...]


def choose_satellites(
    keys: Sequence[int | str] = (),
    *,
    groups: Sequence[str] = (),
    elements: Iterable[Elements] | str | Path | None = None,
    start: datetime | None = None,
    standard_magnitude: float | None = None,
    policy: ElementPolicy | None = None,
    days: float | None = None,
) -> FleetChoice:
    """Choose the elements of several satellites for a window starting at ``start`` (default now).

    ``keys`` are NORAD numbers, names, or ``"all"``; ``groups`` CelesTrak group names whose
    cached members are wanted (refreshed first when the policy says so: one request per
    group). ``elements`` is an element file or parsed sets: when given, the keys select from
    it and ``all`` is every object in it. ``standard_magnitude`` is given to the satellites
    the bundled table does not know (the others keep theirs). With ``days`` (the window's
    length) a named satellite's manoeuvres are warned of as :func:`isspass.choose_satellite`
    warns of them.
    """
    policy = ElementPolicy() if policy is None else policy
    start = now_utc() if start is None else as_utc(start)
    names = [check_group_name(g) for g in groups]
    if not keys and not names:
        raise ValueError("choose_satellites needs satellites or groups")
    if elements is not None and names:
        raise ValueError("groups come from the cache: give them without an element file")
    notes: list[IsspassWarning] = []
    named: list[Satellite] = []
    many: list[Elements] = []
    updates: list[object] = []
    sources: list[str] = []
    if elements is not None:
        candidates = read_elements(elements) if isinstance(elements, (str, Path)) else list(elements)
        for key in keys:
            if _is_all(key):
                many.extend(_newest_each(candidates))
            else:
                one = choose_satellite(key, elements=candidates, start=start, policy=policy, days=days)
                named.append(one.satellite)
                notes.extend(one.warnings)
        sources.append(candidates[0].source if candidates else "the element file")
        known = candidates
    else:
        cache = ElementCache(policy.cache_dir)
        for name in names:
            members, update = _group_members(name, start, policy, cache)
            many.extend(members)
            if update is not None:
                updates.append(update)
                if not update.ok:
                    notes.append(RefreshWarning(f"{update.message}; using the cached group"))
            sources.append(f"the cached group {name}")
        for key in keys:
            if _is_all(key):
                many.extend(_newest_each(_everything(cache), near=start))
                sources.append("every cached and bundled set")
            else:
                one = choose_satellite(key, start=start, policy=policy, days=days)
                named.append(one.satellite)
                notes.extend(one.warnings)
                if one.update is not None:
                    updates.append(one.update)
        known = known_elements(cache) if many else []
        notes.extend(CacheWarning(problem) for problem in cache.problems())
    table = standard_magnitudes()
    named = list({s.norad_id: s for s in reversed(named)}.values())[::-1]  # each once, first kept
    kept, skipped, aging = _usable(many, named, start, policy.allow_stale)
    drags = _drags(known, kept)
    satellites = [_with_magnitude(s, standard_magnitude, table) for s in named]
    satellites += [_magnitude_from(e, standard_magnitude, table, drags.get(e.norad_id)) for e in kept]
    if skipped:
        notes.append(SatelliteSkippedWarning(_skipped_text(skipped, start)))
    if aging:
        notes.append(StaleElementsWarning(_aging_text(aging, start, drags)))
    if not satellites:
        raise SatelliteNotFoundError(_nothing_text(names, keys, skipped))
    where = ", ".join(dict.fromkeys(sources)) or "the request"
    reason = f"{_plural(len(satellites), 'satellite')} from {where}"
    return FleetChoice(tuple(satellites), reason, tuple(names), tuple(updates), tuple(notes))


def _is_all(key: int | str) -> bool:
    return isinstance(key, str) and key.strip().lower() == ALL


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _newest_each(candidates: Sequence[Elements], near: datetime | None = None) -> list[Elements]:
    """One set per catalogue number: nearest ``near``, else the newest; by catalogue number."""
    by_id: dict[int, list[Elements]] = {}
    for e in candidates:
        by_id.setdefault(e.norad_id, []).append(e)
    return [select_elements(sets, number, near=near) for number, sets in sorted(by_id.items())]


def _drags(known: Sequence[Elements], chosen: Sequence[Elements]) -> dict[int, float | None]:
    """The drag each chosen set's object showed before the set's epoch, from every set known of it."""
    wanted = {e.norad_id: e for e in chosen}
    by_id: dict[int, list[Elements]] = {}
    for e in known:
        if e.norad_id in wanted:
            by_id.setdefault(e.norad_id, []).append(e)
    return {
        number: element_history([*by_id.get(number, []), e]).drag_before(e.epoch)
        for number, e in wanted.items()
    }


def _everything(cache: ElementCache) -> list[Elements]:
    return cache.load_all() + group_members(cache) + bundled_elements()


def _group_members(
    name: str, start: datetime, policy: ElementPolicy, cache: ElementCache
) -> tuple[list[Elements], GroupUpdate | None]:
    """A group's members, refreshed first when due: online, a window near now, an old cache."""
    update = None
    near_now = start >= now_utc() - _PAST_WINDOW
    if not policy.offline and near_now and group_needs_refresh(cache, name, policy.refresh_after_h):
        update = update_group(name, cache=cache, base_url=policy.url)
    members = GroupCache(cache).load(name)
    if not members:
        raise SatelliteNotFoundError(f"no elements for the group {name} (try: isspass update --group {name})")
    return _newest_each(members, near=start), update


def _usable(
    many: list[Elements], named: list[Satellite], start: datetime, allow_stale: bool
) -> tuple[list[Elements], list[Elements], list[Elements]]:
    """Of the unnamed sets: those to predict, those left out (too far from the window), and the
    aging ones among all (for one summary warning instead of one per object)."""
    seen = {s.norad_id for s in named}
    kept: list[Elements] = []
    skipped: list[Elements] = []
    for e in many:
        if e.norad_id in seen:
            continue
        seen.add(e.norad_id)
        age = abs(e.age_days(start))
        if age > ABSURD_AGE_DAYS or (age > MAX_AGE_DAYS and not allow_stale):
            skipped.append(e)
        else:
            kept.append(e)
    aging = [e for e in kept if abs(e.age_days(start)) > WARN_AGE_DAYS]
    return kept, skipped, aging


def _skipped_text(skipped: list[Elements], start: datetime) -> str:
    worst = max(abs(e.age_days(start)) for e in skipped)
    shown = ", ".join(f"{e.name} ({e.norad_id})" for e in skipped[:3])
    more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
    return (
        f"{_plural(len(skipped), 'satellite')} left out, {shown}{more}: elements up to {worst:.0f} days from "
        f"the window (limit {MAX_AGE_DAYS:g} days; update them, or allow them with --allow-stale)"
    )


def _aging_text(aging: list[Elements], start: datetime, drags: dict[int, float | None]) -> str:
    ages = [abs(e.age_days(start)) for e in aging]
    worst = max(timing_uncertainty_s(e, start, drags.get(e.norad_id)) for e in aging)
    return (
        f"elements of {_plural(len(aging), 'satellite')} are {min(ages):.1f} to {max(ages):.1f} days from "
        f"the start of the window; times may be off by up to {uncertainty_text(worst)}, more after "
        "a manoeuvre"
    )


def _nothing_text(groups: list[str], keys: Sequence[int | str], skipped: list[Elements]) -> str:
    if skipped:
        return "no satellite left to predict: every element set is too far from the window"
    asked = ", ".join([*(f"group {g}" for g in groups), *(str(k) for k in keys)])
    return f"no elements for {asked}"


def _with_magnitude(satellite: Satellite, fallback: float | None, table: dict[int, float]) -> Satellite:
    """A named satellite keeps the table's magnitude; ``fallback`` gives one to those without."""
    if satellite.standard_magnitude is not None or fallback is None:
        return satellite
    return replace(satellite, standard_magnitude=float(fallback))  # its history's drag kept


def _magnitude_from(
    elements: Elements, fallback: float | None, table: dict[int, float], drag: float | None = None
) -> Satellite:
    magnitude = table.get(elements.norad_id, fallback)
    if magnitude is not None and not math.isfinite(magnitude):
        magnitude = None
    return Satellite(elements, None if magnitude is None else float(magnitude), drag)
