"""Clear refusals of wrong argument names: ``Observer(lat=…)`` says to write ``latitude_deg``.

A thin wrapper that checks keyword names before the call and names the closest accepted one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: Names people write for isspass's own (a name on the right is matched by its start).
_ALIASES = {"lng": "longitude", "long": "longitude", "alt": "elevation", "altitude": "elevation",
            "height": "elevation", "sat": "satellite", "norad_id": "satellite", "end": "days"}  # fmt: skip
_UNITS = ("_deg", "_m", "_s", "_km", "_h")


def closest_argument(wrong: str, accepted: Sequence[str]) -> str | None:
    """The accepted argument name ``wrong`` most likely meant, or None.

    ``lat`` → ``latitude_deg`` (a name it begins), ``min_elevation`` → ``min_elevation_deg``
    (the name without its unit), ``lattitude`` → ``latitude_deg`` (a close spelling).
    """
    word = wrong.strip().lower()
    word = _ALIASES.get(word, word)
    if word in accepted:
        return word
    bare = {name.removesuffix(unit): name for name in accepted for unit in _UNITS if name.endswith(unit)}
    if word in bare:
        return bare[word]
    begun = [name for name in accepted if name.startswith(word)]
    if len(begun) == 1:
        return begun[0]
    import difflib  # only for a misspelt keyword: not worth loading for every call

    close = difflib.get_close_matches(word, [*accepted, *bare], n=1, cutoff=0.7)
    return bare.get(close[0], close[0]) if close else None


def friendly_keywords(function: F, shown: str | None = None) -> F:
    """``function`` refusing unknown keyword arguments with a TypeError that names the right one.

    ``shown`` is the name in the message (``Observer`` for a class's ``__init__``). A function
    that takes ``**kwargs`` is returned unchanged.
    """
    parameters = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return function
    keyword_kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    accepted = tuple(name for name, p in parameters.items() if p.kind in keyword_kinds and name != "self")
    title = shown or function.__name__

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for name in kwargs:
            if name not in accepted:
                raise TypeError(_message(title, name, accepted))
        return function(*args, **kwargs)

    return checked  # type: ignore[return-value]


def _message(title: str, wrong: str, accepted: Sequence[str]) -> str:
    meant = closest_argument(wrong, accepted)
    hint = f": did you mean {meant}=?" if meant else ""
    return f"{title}() has no argument {wrong!r}{hint} (it takes {', '.join(accepted)})"
