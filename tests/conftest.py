"""Shared fixtures: element sets from tests/data and the brute-force Skyfield reference."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

import isspass

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(Path(__file__).parent))

#: Heavens-Above's own TLE for the Zurich capture (tests/data/heavens-above-…txt).
HA_TLE = """\
1 25544U 98067A   22021.68747065 -.00000457  00000-0  00000+0 0  9996
2 25544  51.6270 342.0904 0006847  44.2808  14.3181 15.49598315322461
"""


@pytest.fixture(autouse=True)
def no_user_state_no_network(tmp_path_factory, monkeypatch):
    """Every test: a private (empty) config, cache and state, an elements URL that is a closed local
    port, and no trajectory fetch (a test that wants one names its own server).

    No test may reach the internet (through a proxy either) or read the user's own settings.
    """
    for name in list(os.environ):
        if name.startswith("ISSPASS_"):
            monkeypatch.delenv(name)
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    home = tmp_path_factory.mktemp("isspass-home")
    (home / "config.toml").write_bytes(b"")  # a file named by ISSPASS_CONFIG must exist
    monkeypatch.setenv("ISSPASS_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("ISSPASS_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("ISSPASS_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("ISSPASS_ELEMENTS_URL", "http://127.0.0.1:9/gp.php")
    monkeypatch.setenv("ISSPASS_OEM_URL", "none")
    return home


@pytest.fixture(scope="session")
def iss():
    """The bundled ISS element set (epoch 2026-09-24), as given elements: no cache, no network."""
    return isspass.load_satellite(elements=isspass.bundled_elements())


@pytest.fixture(scope="session")
def ha_iss():
    """The ISS with the elements Heavens-Above used for the Zurich capture."""
    return isspass.load_satellite(elements=isspass.parse_elements(HA_TLE, "heavens-above"))


@pytest.fixture(scope="session")
def history():
    """Eleven real ISS element sets, July–September 2026, oldest first."""
    return sorted(isspass.read_elements(DATA / "iss-2026-history.tle"), key=lambda e: e.epoch)


REFERENCE_START = datetime(2026, 9, 24, 0, 0, tzinfo=timezone.utc)
REFERENCE_DAYS = 3.0


@pytest.fixture(scope="session")
def reference(iss):
    """Skyfield on a 1-second grid over three days from the bundled epoch (slow: once)."""
    from reference import Reference

    return Reference(iss.elements.satrec, REFERENCE_START, REFERENCE_DAYS)


@pytest.fixture
def server():
    """A GP endpoint on 127.0.0.1 for one test (see gp_server.py)."""
    from gp_server import GPServer

    with GPServer() as running:
        yield running


@pytest.fixture
def cache(no_user_state_no_network):
    """The test's private element cache."""
    from isspass.cache import ElementCache

    return ElementCache(no_user_state_no_network / "cache")
