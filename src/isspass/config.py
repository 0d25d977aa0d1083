"""Where settings come from: the TOML config file and its location.

The file holds defaults for the command line (``lat = 47.37``, ``tz = "Europe/Zurich"``…);
``ISSPASS_CONFIG`` names another file. Precedence is applied by the CLI.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .inputs import CONFIG_LIMIT_BYTES, ErrorFactory, read_file_bounded
from .text import inert

APP_NAME = "isspass"
CONFIG_ENV = "ISSPASS_CONFIG"


def config_path() -> Path:
    """The config file: ``$ISSPASS_CONFIG``, else ``config.toml`` in the user config directory."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """Read the config file into a dict of settings (keys use underscores).

    Only the default location may be absent (an empty config): a file named by
    ``$ISSPASS_CONFIG`` or by ``path`` must exist. A missing, unreadable, oversized
    (over 1 MiB) or malformed file raises :class:`ConfigError` naming the file; a FIFO
    with no writer is given up after a bounded wait (see :mod:`isspass.inputs`).
    """
    missing: ErrorFactory = ConfigError
    if path is None:
        missing = _named_by_env if os.environ.get(CONFIG_ENV) else _Absent
        path = config_path()
    try:
        data = read_file_bounded(
            path, CONFIG_LIMIT_BYTES, "config file", error=ConfigError, missing_error=missing
        )
    except _Absent:
        return {}
    # The TOML parser is loaded only when there is a file to parse.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    shown = inert(str(path))
    try:
        text = data.decode("utf-8")
        _check_dots(text, shown)
        parsed = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {shown}: not valid TOML ({inert(str(exc))})") from None
    except RecursionError:
        raise ConfigError(f"config file {shown}: nested too deeply to be a config file") from None
    return _normalise(parsed)


#: Dots outside strings and comments (decimal points, dotted keys) a config file may hold: it
#: needs a handful. tomllib's time and memory grow with the square of a dotted key's length
#: (a 100,000-part key, 200 KB, takes tens of gigabytes), so more are refused before parsing.
MAX_DOTS = 1000
_DOT_QUOTE_OR_HASH = re.compile(r"[.\"'#]")
# A string or comment from its first character to its end (or the line's, or the file's):
# every match moves on, so the whole scan is linear whatever the text.
_STRING_OR_COMMENT = re.compile(
    r'"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)|"(?:[^"\\\n]|\\.?)*(?:"|$)|\'[^\'\n]*(?:\'|$)|#.*',
    re.MULTILINE,
)


def _check_dots(text: str, shown: str) -> None:
    dots, position = 0, 0
    while (found := _DOT_QUOTE_OR_HASH.search(text, position)) is not None:
        if found.group() != ".":
            skipped = _STRING_OR_COMMENT.match(text, found.start())
            position = max(skipped.end() if skipped else 0, found.start() + 1)
            continue
        dots += 1
        if dots > MAX_DOTS:
            raise ConfigError(
                f"config file {shown}: more than {MAX_DOTS} dotted keys or decimal points: "
                "not an isspass config file"
            )
        position = found.end()


class _Absent(Exception):
    """The config file at the default location does not exist: not an error."""


def _named_by_env(message: str) -> ConfigError:
    return ConfigError(f"{message} (named by {CONFIG_ENV})")


def _normalise(table: dict[str, Any]) -> dict[str, Any]:
    return {
        key.replace("-", "_"): _normalise(value) if isinstance(value, dict) else value
        for key, value in table.items()
    }
