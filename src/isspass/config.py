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

    A missing file is an empty config; an unreadable or malformed one raises
    :class:`ConfigError` naming the file.
    """
    path = config_path() if path is None else path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot read ({exc.strerror})") from None
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path}: not valid TOML ({exc})") from None
    return _normalise(parsed)


def _normalise(table: dict[str, Any]) -> dict[str, Any]:
    return {
        key.replace("-", "_"): _normalise(value) if isinstance(value, dict) else value
        for key, value in table.items()
    }
