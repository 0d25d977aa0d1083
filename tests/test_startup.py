"""Start-up: --help and --version answer without loading numpy; a prediction for a place with
--tz never looks its time zone up, and loads nothing it does not use (mail, the announce log,
Skyfield's downloader, process pools, the OEM reader); the lazy package still offers every public name."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import isspass
from isspass.defaults import REPORT_FORMATS
from isspass.formats import RENDERERS

#: Runs the command in a fresh interpreter and reports which heavy modules it loaded.
_PROBE = """
import json, sys
sys.argv = ["isspass", *json.loads(sys.argv[1])]
from isspass.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
heavy = ("numpy", "skyfield", "timezonefinder")
print(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules],
                  "modules": sorted(sys.modules)}), file=sys.stderr)
"""

#: What a prediction from elements, printed, for a place with --tz never needs: the time-zone
#: finder, the mail and announce machinery, Skyfield's downloader and catalogues (skyfield.api),
#: worker processes, the OEM reader, the TOML parser without a config file.
_UNUSED_BY_A_PREDICTION = (
    "timezonefinder", "smtplib", "ssl", "email", "isspass.mail", "isspass.announce", "hashlib",
    "skyfield.api", "skyfield.iokit", "urllib.request", "http.client", "concurrent.futures",
    "multiprocessing", "isspass.oem", "gzip", "tomllib", "isspass.selection", "difflib",
    "importlib.resources",
)  # fmt: skip


def _run(args: list[str], **more_env: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p), **more_env}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)], capture_output=True, text=True, env=env, timeout=120
    )
    return json.loads(done.stderr.strip().splitlines()[-1]) | {"stdout": done.stdout}


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["batch", "--help"], ["chart", "--help"]])
def test_help_and_version_load_no_numpy(args):
    result = _run(args)
    assert result["code"] in (0, None)
    assert result["stdout"]
    assert result["loaded"] == []


def test_prediction_with_tz_skips_the_time_zone_lookup():
    args = ["--lat", "47.37", "--lon", "8.54", "--tz", "Europe/Zurich", "--start", "2026-09-24",
            "--days", "1", "--offline", "--all"]  # fmt: skip
    result = _run(args)
    assert result["code"] in (0, None)
    assert "visible" in result["stdout"]  # passes were predicted
    assert "numpy" in result["loaded"] and "timezonefinder" not in result["loaded"]
    without = _run(args[:4] + args[6:])  # the same place without --tz: the zone is looked up
    assert "timezonefinder" in without["loaded"]


def _home(tmp_path) -> dict[str, str]:
    """A user with no config file, an empty cache and no announce log."""
    return {
        "ISSPASS_CONFIG": "",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "ISSPASS_CACHE_DIR": str(tmp_path / "cache"),
    }


def test_a_prediction_loads_only_what_it_uses(tmp_path):
    args = ["--lat", "47.37", "--lon", "8.54", "--tz", "Europe/Zurich", "--start", "2026-09-24",
            "--days", "2", "--offline"]  # fmt: skip
    result = _run(args, **_home(tmp_path))
    assert result["code"] in (0, None)
    assert "19:43:56" in result["stdout"]  # the evening pass of 24 September, Zurich time
    loaded = set(result["modules"])
    assert "numpy" in loaded and "isspass.search" in loaded and "skyfield.jpllib" in loaded
    assert loaded.isdisjoint(_UNUSED_BY_A_PREDICTION), sorted(loaded & set(_UNUSED_BY_A_PREDICTION))


def test_what_a_prediction_skips_is_still_loaded_when_asked_for(tmp_path):
    """The lazy imports are not lost: --only-new loads the announce log (and writes it)."""
    args = ["--lat", "47.37", "--lon", "8.54", "--tz", "Europe/Zurich", "--start", "2026-09-24",
            "--days", "1", "--offline", "--only-new"]  # fmt: skip
    result = _run(args, **_home(tmp_path))
    assert result["code"] in (0, None)
    assert "19:43:56" in result["stdout"]
    assert "isspass.announce" in result["modules"] and "isspass.mail" not in result["modules"]


def test_the_timescale_is_skyfields_builtin_one():
    """isspass builds Skyfield's built-in timescale without skyfield.api: it must be the same one."""
    import numpy as np
    from skyfield.api import load

    from isspass.sky import skyfield_timescale

    ours, theirs = skyfield_timescale(), load.timescale(builtin=True)
    for mine, skyfields in zip(ours.delta_t_table, theirs.delta_t_table, strict=True):
        assert np.array_equal(mine, skyfields)
    assert np.array_equal(ours.leap_dates, theirs.leap_dates)
    assert np.array_equal(ours.leap_offsets, theirs.leap_offsets)
    # Across a leap second (2016-12-31T23:59:60), in the past and in the predicted future.
    seconds = np.array([59.0, 59.5, 60.0, 60.5, 0.25])
    for year in (1972, 2016, 2026, 2050):
        a, b = ours.utc(year, 12, 31, 23, 59, seconds), theirs.utc(year, 12, 31, 23, 59, seconds)
        assert np.array_equal(a.tt, b.tt) and np.array_equal(a.ut1, b.ut1) and np.array_equal(a.dut1, b.dut1)


def test_every_public_name_resolves():
    for name in isspass.__all__:
        assert getattr(isspass, name) is not None
    assert set(isspass.__all__) <= set(dir(isspass))
    with pytest.raises(AttributeError):
        isspass.no_such_name  # noqa: B018


def test_report_formats_are_the_renderers():
    assert tuple(sorted(RENDERERS)) == REPORT_FORMATS


def test_a_function_named_like_its_module_stays_the_function():
    import isspass.pass_track  # the module, imported after the package

    assert callable(isspass.pass_track)
