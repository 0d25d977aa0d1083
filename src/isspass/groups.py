"""CelesTrak's groups of satellites (``GROUP=stations``, ``visual``…): fetched politely, validated, cached.

The rules of single objects hold per group: one request per run, none within two hours of the last.

A group answer holds many objects, so it has its own path: its own query (``GROUP=name``),
its own bound on size, its own cache file (``group-<name>.json``, exactly as received and
validated) and its own fetch history (``groups.json``), beside the objects' files and under
the same lock. Back-off after failures, refusals of redirects, of answers that do not
validate, of epochs from the future or older than the cached group's, are those of
:mod:`isspass.update`. Nothing read back is trusted: a damaged file is reported by
``ElementCache.problems()`` and counts as absent.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from .cache import CLOCK_SKEW_S, ElementCache, FetchRecord, parse_record, record_json, safe_text
from .download import DEFAULT_ELEMENTS_URL, check_elements_url, fetch
from .elements import decode_elements
from .errors import CacheError, ElementsError, NetworkError, UnreachableError
from .model import Elements
from .update import SAME_EPOCH_S, UpdateStatus, hold_back
from .utc import now_posix, utc_from_posix

#: What ``isspass tonight`` predicts: CelesTrak's brightest objects and the space stations.
TONIGHT_GROUPS = ("visual", "stations")
#: A group answer is refused beyond this size: ``visual`` is about 70 kB as OMM JSON and
#: ``starlink`` a few MB; the whole active catalogue (tens of MB) is no group to predict.
MAX_GROUP_BYTES = 16 << 20
_HISTORY_FILE = "groups.json"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def check_group_name(name: str) -> str:
    """A CelesTrak group name, lower case (``stations``, ``visual``, ``gps-ops``); else ValueError."""
    if not isinstance(name, str):
        raise ValueError(f"a group name is a text, not {type(name).__name__}")
    folded = name.strip().lower()
    if not _NAME.fullmatch(folded):
        shown = safe_text(name, 40)
        raise ValueError(f"'{shown}' is not a group name (letters, digits and '-', at most 40)")
    return folded


def group_url(base_url: str, name: str, fmt: str = "JSON") -> str:
    """The GP query for a group, e.g. ``…/gp.php?GROUP=visual&FORMAT=JSON``."""
    check_elements_url(base_url)
    query = urllib.parse.urlsplit(base_url).query
    separator = "" if base_url.endswith(("?", "&")) else ("&" if query else "?")
    return f"{base_url}{separator}{urllib.parse.urlencode({'GROUP': check_group_name(name), 'FORMAT': fmt})}"


def _file_names(name: str) -> list[str]:
    return [f"group-{name}.{ext}" for ext in ("json", "tle")]


class GroupCache:
    """The cached groups in an :class:`ElementCache`'s directory; problems go to its ``problems()``."""

    def __init__(self, cache: ElementCache) -> None:
        self.cache = cache

    def names(self) -> list[str]:
        """The groups with a cached file, sorted."""
        try:
            entries = sorted(p.name for p in self.cache.directory.iterdir())
        except OSError:
            return []
        found = set()
        for entry in entries:
            stem, _, ext = entry.partition(".")
            if ext in ("json", "tle") and stem.startswith("group-") and _NAME.fullmatch(stem[6:]):
                found.add(stem[6:])
        return sorted(found)

    def path(self, name: str) -> Path | None:
        """The group's cached file, if there is one."""
        for file_name in _file_names(name):
            path = self.cache.directory / file_name
            if path.is_file():
                return path
        return None

    def load(self, name: str) -> list[Elements]:
        """The cached members of a group ([] when none or unreadable: see the cache's problems())."""
        for file_name in _file_names(name):
            data, why = self.cache.read_bytes(file_name, MAX_GROUP_BYTES)
            path = self.cache.directory / file_name
            if data is None:
                if why is not None:
                    self.cache.add_problem(f"ignoring the cached group {path}: {why}")
                continue
            try:
                found = decode_elements(data, str(path))
            except ElementsError as exc:
                self.cache.add_problem(f"ignoring the cached group: {exc}")
                continue
            return [replace(e, source=f"cache ({path})") for e in found]
        return []

    def stored_at(self, name: str) -> float | None:
        path = self.path(name)
        try:
            return None if path is None else path.stat().st_mtime
        except OSError:
            return None

    def store(self, name: str, body: bytes, fmt: str) -> Path:
        """Replace the group's file atomically with an already validated answer (CacheError if not)."""
        target, other = (f"group-{name}.{fmt}", f"group-{name}.{'tle' if fmt == 'json' else 'json'}")
        path = self.cache.write_bytes(target, body)
        stale = self.cache.directory / other
        try:
            stale.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            self.cache.add_problem(f"cannot remove the outdated {stale}: {exc.strerror or exc}")
        return path

    # ---- fetch history

    def records(self, now: float | None = None) -> dict[str, FetchRecord]:
        """Every group's valid fetch history (a damaged entry is reported and ignored)."""
        clock = now_posix() if now is None else max(now, now_posix())
        data, why = self.cache.read_bytes(_HISTORY_FILE, 1 << 20)
        path = self.cache.directory / _HISTORY_FILE
        if data is None:
            if why is not None:
                self.cache.add_problem(f"{path}: {why}; the groups' fetch history starts afresh")
            return {}
        try:
            raw = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):
            self.cache.add_problem(f"{path}: not valid JSON; the groups' fetch history starts afresh")
            return {}
        if not isinstance(raw, dict):
            self.cache.add_problem(f"{path}: not an object; the groups' fetch history starts afresh")
            return {}
        records = {}
        for key, value in raw.items():
            checked = parse_record(value, clock) if _NAME.fullmatch(key) else "not a group name"
            if isinstance(checked, str):
                self.cache.add_problem(f"{path}: ignoring the entry {safe_text(key, 40)!r}: {checked}")
            else:
                records[key] = checked
        return records

    def record(self, name: str, now: float | None = None) -> FetchRecord:
        return self.records(now).get(name, FetchRecord())

    def save_record(self, name: str, record: FetchRecord, now: float | None = None) -> None:
        """Replace one group's history entry atomically, keeping the others (CacheError if it cannot)."""
        records = self.records(now)
        records[name] = record
        body = json.dumps({k: record_json(v) for k, v in sorted(records.items())}, indent=1)
        self.cache.write_bytes(_HISTORY_FILE, body.encode("utf-8"))


# --------------------------------------------------------------------------- fetching


@dataclass(frozen=True)
class GroupUpdate:
    """What one update of one group did, in one line for people; its members when it worked."""

    group: str
    status: UpdateStatus
    message: str
    members: tuple[Elements, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in (UpdateStatus.UPDATED, UpdateStatus.RECENT)



def update_group(
    name: str,
    *,
    cache: ElementCache,
    base_url: str = DEFAULT_ELEMENTS_URL,
    now: float | None = None,
    timeout_s: float = 10.0,
    explicit: bool = False,
) -> GroupUpdate:
    """Fetch a group's GP elements (OMM JSON) if CelesTrak's rules allow, and cache them.

    Never raises for network, data or cache problems: the result says what happened (see
    :func:`isspass.update.update_elements`, whose rules these are). The whole answer must
    validate, hold at least one object, no epoch from the future and none newer in the
    cache; then it replaces the cached group atomically.
    """
    name = check_group_name(name)
    try:
        cache.ensure_writable()
        with cache.lock() as locked:
            if not locked:
                return GroupUpdate(name, UpdateStatus.BUSY, "another isspass is updating the cache")
            when = now_posix() if now is None else now
            return _update_locked(name, GroupCache(cache), base_url, when, timeout_s, explicit)
    except CacheError as exc:
        return GroupUpdate(
            name,
            UpdateStatus.CACHE_UNUSABLE,
            f"could not update the group {name}: {exc}; not asking the server, since its answer could "
            "not be kept",
        )


def _update_locked(
    name: str, groups: GroupCache, base_url: str, now: float, timeout_s: float, explicit: bool
) -> GroupUpdate:
    record = groups.record(name, now)
    waiting = _too_soon(groups, name, record, now, explicit)
    if waiting is not None:
        return waiting
    cached = _newest_believable(groups, name, now)
    try:
        body = fetch(group_url(base_url, name), timeout_s=timeout_s, max_bytes=MAX_GROUP_BYTES)
        if body.strip() == b"No GP data found":
            raise NetworkError(f"the server has no group {name} (No GP data found)")
        members = decode_elements(body, "the answer")
        _check_epochs(members, cached, now)
    except (NetworkError, ElementsError) as exc:
        return _failed(groups, name, record, now, str(exc), not isinstance(exc, UnreachableError))
    succeeded = record.with_success(now)
    try:
        groups.save_record(name, succeeded, now)
        fmt = "json" if body.decode("utf-8-sig").lstrip()[:1] in ("[", "{") else "tle"
        path = groups.store(name, body, fmt)
    except CacheError as exc:
        return GroupUpdate(
            name,
            UpdateStatus.CACHE_UNUSABLE,
            f"could not update the group {name}: the answer came but could not be kept ({exc})",
        )
    objects = len({e.norad_id for e in members})
    newest = max(e.epoch for e in members)
    message = f"updated the group {name}: {objects} objects, newest epoch {newest:%Y-%m-%d %H:%M:%S} UTC"
    kept = tuple(replace(e, source=f"cache ({path})") for e in members)
    return GroupUpdate(name, UpdateStatus.UPDATED, message, kept)


def _too_soon(
    groups: GroupCache, name: str, record: FetchRecord, now: float, explicit: bool
) -> GroupUpdate | None:
    """The rules of :func:`isspass.update.hold_back` for one group."""
    subject = f"the group {name}"
    held = hold_back(record, lambda: groups.stored_at(name), now, subject=subject, explicit=explicit)
    if held is None:
        return None
    status, message = held
    members = tuple(groups.load(name)) if status is UpdateStatus.RECENT else ()
    return GroupUpdate(name, status, message, members)


def _failed(
    groups: GroupCache, name: str, record: FetchRecord, now: float, reason: str, reached: bool
) -> GroupUpdate:
    """Record a failure (so that the next runs back off) and say what failed."""
    reason = safe_text(reason)
    message = f"could not update the group {name}: {reason}"
    try:
        groups.save_record(name, record.with_failure(now, reason, reached), now)
    except CacheError as exc:
        message += f" (and the failure could not be recorded: {exc})"
    return GroupUpdate(name, UpdateStatus.FAILED, message)


def _newest_believable(groups: GroupCache, name: str, now: float) -> datetime | None:
    """The newest epoch of the cached group, unless it lies in the future (a wrong clock then)."""
    members = groups.load(name)
    limit = utc_from_posix(max(now, now_posix()) + CLOCK_SKEW_S)
    epochs = [e.epoch for e in members if e.epoch <= limit]
    return max(epochs) if epochs else None


def _check_epochs(members: list[Elements], cached_newest: datetime | None, now: float) -> None:
    """Refuse an answer with an epoch from the future, or one older than the cached group."""
    clock = utc_from_posix(now)
    future = [e for e in members if e.epoch > clock + timedelta(seconds=CLOCK_SKEW_S)]
    if future:
        e = future[0]
        raise ElementsError(
            f"the answer's epoch for {e.name} ({e.norad_id}), {e.epoch:%Y-%m-%d %H:%M:%S} UTC, is in the "
            f"future (more than {CLOCK_SKEW_S / 3600:g} hours after {clock:%Y-%m-%d %H:%M} UTC)"
        )
    newest = max(e.epoch for e in members)
    if cached_newest is not None and (cached_newest - newest).total_seconds() > SAME_EPOCH_S:
        raise ElementsError(
            f"the answer's newest epoch {newest:%Y-%m-%d %H:%M:%S} UTC is older than the cached group's "
            f"{cached_newest:%Y-%m-%d %H:%M:%S} UTC"
        )


def group_needs_refresh(
    cache: ElementCache, name: str, refresh_after_h: float, now: float | None = None
) -> bool:
    """Whether the automatic refresh would fetch this group now (nothing cached, or cached long ago)."""
    now = now_posix() if now is None else now
    groups = GroupCache(cache)
    if groups.path(name) is None:
        return True
    last = groups.record(name, now).last_success
    return last is None or now - last > refresh_after_h * 3600.0


def group_members(cache: ElementCache) -> list[Elements]:
    """Every cached group's members: element sets like any other (a group's ISS serves the ISS)."""
    groups = GroupCache(cache)
    return [e for name in groups.names() for e in groups.load(name)]


def fresh_in_a_group(
    cache: ElementCache, norad_id: int, refresh_after_h: float, now: float | None = None
) -> bool:
    """Whether a cached group holding this object was fetched within ``refresh_after_h`` hours:
    its set is then as fresh as a fetch of the object alone would be."""
    now = now_posix() if now is None else now
    groups = GroupCache(cache)
    records = groups.records(now)
    for name in groups.names():
        last = records.get(name, FetchRecord()).last_success
        recent = last is not None and now - last <= refresh_after_h * 3600.0
        if recent and any(e.norad_id == norad_id for e in groups.load(name)):
            return True
    return False
