"""Help that reads like the README: option sections, the exit-code table, examples, errors that help."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from isspass.cli import cli
from isspass.errors import EXIT_CODE_MEANINGS
from isspass.helptext import EXAMPLES
from isspass.options import HELP_SECTIONS

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
ZURICH = ["--lat", "47.37", "--lon", "8.54"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _sections(text: str) -> dict[str, list[str]]:
    """Each heading of a help text ("Where and when:") and its lines, as a person reads them."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            current = line[:-1]
            found[current] = []
        elif current is not None and line.strip():
            found[current].append(line)
    return found


def _flags(lines: list[str]) -> list[str]:
    return [line.split()[0].rstrip(",") if not line.strip().startswith("-o,") else "--output"
            for line in lines if line.startswith("  -")]  # fmt: skip


def test_the_main_help_groups_its_options_like_the_readme():
    text = run("--help").stdout
    sections = _sections(text)
    titles = [title for title, _ in HELP_SECTIONS]
    assert [t for t in sections if t in titles] == titles  # in the README's order
    for title in ("Where and when", "Which passes", "Which elements", "Output"):
        assert f"**{title}.**" in README  # the README's paragraphs of the same names
    assert _flags(sections["Where and when"]) == ["--place", "--lat", "--lon", "--elevation", "--tz",
                                                  "--start", "--days"]  # fmt: skip
    assert "--twilight" in _flags(sections["Which passes"]) and "--tle" in _flags(sections["Which elements"])
    assert _flags(sections["Output"]) == ["--format", "--output", "--quiet-if-none", "--chart-orientation"]
    # Every option of the command is in a section; only --version and --help are left over.
    listed = [flag for title in titles for flag in _flags(sections[title])]
    options = [p for p in cli.params if isinstance(p, click.Option)]
    assert sorted(listed) == sorted(max(p.opts, key=len) for p in options if p.name != "version")
    assert _flags(sections["Other options"]) == ["--version", "-h"]
    assert list(sections)[-2:] == ["Exit codes", "Examples"]


@pytest.mark.parametrize("subcommand", ["batch", "update", "places", "tonight"])
def test_subcommands_use_the_same_sections(subcommand):
    sections = _sections(run(subcommand, "--help").stdout)
    assert "Exit codes" not in sections  # the table is the main command's
    if subcommand == "batch":
        assert {"Which passes", "Which elements", "Output"} <= sections.keys()
        assert "--format" in _flags(sections["Output"])
    if subcommand == "update":
        expected = ["--satellite", "--group", "--offline", "--elements-url", "--oem-url"]
        assert _flags(sections["Which elements"]) == expected
    if subcommand == "tonight":
        assert _flags(sections["Where and when"]) == ["--place", "--lat", "--lon", "--elevation", "--tz",
                                                      "--start"]  # fmt: skip
        assert _flags(sections["Which passes"]) == ["--min-elevation", "--min-peak", "--twilight",
                                                    "--brighter-than"]  # fmt: skip
        assert _flags(sections["Other options"]) == ["-h"]


def _help_exit_codes(text: str) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for line in _sections(text)["Exit codes"]:
        first, _, rest = line.strip().partition(" ")
        if re.fullmatch(r"  \d .*", line):
            rows.append((int(first), rest.strip()))
        else:
            rows[-1] = (rows[-1][0], f"{rows[-1][1]} {line.strip()}")
    return rows


def _readme_exit_codes() -> list[tuple[int, str]]:
    section = README[README.index("### Exit codes") :]
    rows = re.findall(r"^\| (\d+) \| (.*) \|$", section.split("\n\n", 2)[1], flags=re.M)
    return [(int(code), meaning.replace("`", "")) for code, meaning in rows]


def test_the_exit_code_table_is_one_table_in_the_code_the_help_and_the_readme():
    codes = [code for code, _ in EXIT_CODE_MEANINGS]
    assert codes == list(range(10))  # 8 (batch rows) and 9 (mail) included
    assert _help_exit_codes(run("--help").stdout) == list(EXIT_CODE_MEANINGS)
    assert _readme_exit_codes() == list(EXIT_CODE_MEANINGS)


@pytest.mark.parametrize(("command", "_"), EXAMPLES)
def test_the_examples_at_the_bottom_of_the_help_work(command, _):
    text = run("--help").stdout
    assert command in "\n".join(_sections(text)["Examples"])
    args = shlex.split(command)[1:]
    result = run(*args, "--start", "2026-09-24", "--days", "3", "--offline")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ISS")


# --------------------------------------------------------------------------- errors that help


def test_named_choices_list_the_names():
    twilight = run(*ZURICH, "--twilight", "dark")
    assert twilight.exit_code == 2
    assert "'dark' is not a number of degrees (at most 0) nor one of civil, nautical, astronomical" in (
        twilight.stderr
    )
    fmt = run(*ZURICH, "--format", "xml")
    assert fmt.exit_code == 2 and "'csv', 'html', 'ics', 'json', 'line', 'text'" in fmt.stderr


@pytest.mark.parametrize(
    ("satellite", "hint"),
    [("HST", "isspass update --satellite 20580"), ("hst", "isspass update --satellite 20580"),
     ("20580", "isspass update --satellite 20580"),
     ("FOO", "isspass update --satellite NUMBER, or give --tle FILE")],
)  # fmt: skip
def test_a_satellite_without_elements_hints_at_the_next_step(satellite, hint):
    result = run(*ZURICH, "--satellite", satellite, "--start", "2026-09-24", "--offline")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and hint in result.stderr


def test_update_takes_the_elements_url_after_its_name():
    # A closed port on this machine, other than the one the tests' environment names (port 9).
    result = run("update", "--elements-url", "http://127.0.0.1:1/gp.php")
    assert result.exit_code == 6
    assert "127.0.0.1:1" in result.stderr and "127.0.0.1:9" not in result.stderr


def test_config_takes_the_main_commands_options_after_its_name_too():
    after = run("config", "--min-elevation", "50", "--place", "Zurich")
    before = run("--min-elevation", "50", "--place", "Zurich", "config")
    assert after.exit_code == before.exit_code == 0
    assert after.stdout == before.stdout
    assert "min-elevation = 50.0  [command line]" in after.stdout
    assert "place = Zurich  [command line]" in after.stdout and "tz = (from the place)" in after.stdout
    both = run("--days", "3", "config", "--days", "4").stdout
    assert "days = 4.0  [command line]" in both


def test_altitudes_at_the_horizon_are_never_minus_zero():
    result = run(
        *ZURICH, "--all", "--min-elevation", "0", "--start", "2026-09-24", "--days", "2", "--offline"
    )
    assert result.exit_code == 0
    rows = result.stdout.splitlines()[5:]
    assert rows and all("-0°" not in row for row in rows)
    assert any(" 0° " in row for row in rows)


# --------------------------------------------------------------------------- the README's new samples


def test_the_readmes_one_line_samples_are_what_the_command_prints():
    paragraph = README[README.index("`--format line` is the next pass") :]
    block = re.search(r"```console\n(.*?)```", paragraph, flags=re.S).group(1)
    pairs = re.findall(r"^\$ isspass (.*)\n(.*)$", block, flags=re.M)
    assert len(pairs) == 2
    for command, shown in pairs:
        result = run(*shlex.split(command), "--offline")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == shown + "\n"


def test_the_readmes_places_sample_is_what_the_command_prints():
    paragraph = README[README.index("**Places by name.**") :]
    shown = re.search(r"```text\n(.*?)\.\.\.\n```", paragraph, flags=re.S).group(1)
    assert run("places", "Springfield").stdout.startswith(shown)


def test_the_readmes_python_conveniences_run():
    section = README[README.index("## Python: places, local times") :]
    (code,) = re.findall(r"```python\n(.*?)```", section.split("\n## ", 1)[0], flags=re.S)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert len(namespace["frame"]) == len(namespace["passes"]) > 0
    assert namespace["p"].to_dict()["type"] == "visible"
