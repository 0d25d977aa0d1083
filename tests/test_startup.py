"""Start-up: --help and --version answer without loading numpy; a prediction for a place with
--tz never looks its time zone up; the lazy package still offers every public name."""

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
print(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}), file=sys.stderr)
"""


def _run(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
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
