"""The README tells the truth: its Python example runs and its sample output is real."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from isspass.cli import cli

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(title)
    following = README.find("\n## ", start + len(title))
    return README[start : following if following != -1 else None]


def test_python_example_runs():
    blocks = re.findall(r"```python\n(.*?)```", _section("## Python API"), flags=re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    for code in blocks:  # in order, sharing names, as a reader would type them
        exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["choice"].satellite.elements.source == "bundled"


def test_quick_start_output_is_what_the_command_prints():
    section = _section("## Quick start")
    command = re.search(r"pip install -e \. && isspass (.*)\n", section).group(1).split()
    (shown,) = re.findall(r"```text\n(.*?)```", section, flags=re.S)
    result = CliRunner().invoke(cli, [*command, "--offline"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == shown
