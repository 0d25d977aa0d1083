"""Where settings come from: the TOML config file and its location.

The file holds defaults for the command line (``lat = 47.37``, ``tz = "Europe/Zurich"``…);
``ISSPASS_CONFIG`` names another file. Precedence is applied by the CLI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .inputs import CONFIG_LIMIT_BYTES, ErrorFactory, read_file_bounded
from .text import inert

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

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
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {inert(str(path))}: not valid TOML ({inert(str(exc))})") from None
    return _normalise(parsed)


class _Absent(Exception):
    """The config file at the default location does not exist: not an error."""


def _named_by_env(message: str) -> ConfigError:
    return ConfigError(f"{message} (named by {CONFIG_ENV})")


def _normalise(table: dict[str, Any]) -> dict[str, Any]:
    return {
        key.replace("-", "_"): _normalise(value) if isinstance(value, dict) else value
        for key, value in table.items()
    }
