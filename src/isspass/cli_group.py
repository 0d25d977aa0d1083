"""The command group's plumbing: the config file as defaults, and every failure as one line.

Library errors, usage errors and a config file with a wrong value each become one line on
stderr starting ``isspass:`` and their documented exit code.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

import click
from click.core import ParameterSource

from .cli_output import stdout_errors
from .config import config_path, load_config
from .errors import EXIT_CONFIG, EXIT_ERROR, EXIT_OK, EXIT_USAGE, ConfigError, IsspassError, exit_code
from .helptext import SectionedGroup, SectionedHelp
from .options import NOT_CONFIGURABLE
from .text import inert


class CliError(click.ClickException):
    """A user-facing error with its exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@contextlib.contextmanager
def library_errors() -> Iterator[None]:
    """Library errors become one line and their documented exit code."""
    try:
        yield
    except IsspassError as exc:
        raise CliError(str(exc), exit_code(exc)) from None


# --------------------------------------------------------------------------- the group


class IsspassCommand(SectionedHelp):
    """A subcommand: its help in the README's sections, and what Click prints for it while parsing
    (``--help``) fails in one line too."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        with printing():
            return super().make_context(info_name, args, parent, **extra)


class IsspassGroup(SectionedGroup):
    """The command group: loads the config file as Click's default map and keeps errors to one line.

    Its help and its subcommands' list their options under the README's headings (helptext).
    """

    command_class = IsspassCommand

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        if "default_map" not in extra:
            try:
                config = load_config()
            except ConfigError as exc:
                raise CliError(str(exc), EXIT_CONFIG) from None
            problem = config_problem(config, self)
            if problem is not None:
                raise CliError(f"config file {inert(str(config_path()))}: {problem}", EXIT_CONFIG)
            for param in self.params:
                if getattr(param, "multiple", False) and isinstance(config.get(param.name or ""), str):
                    config[param.name or ""] = [config[param.name or ""]]  # one address for a list
            extra["default_map"] = config
        with printing():  # --help and --version print while the options are parsed
            return super().make_context(info_name, args, parent, **extra)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:  # fmt: skip
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name or "isspass", complete_var, False, **extra)
        except click.exceptions.UsageError as exc:
            fail(usage_message(exc), usage_exit_code(exc))
        except click.ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except click.exceptions.Abort:
            fail("aborted", EXIT_ERROR)
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def config_problem(table: dict[str, Any], command: click.Command) -> str | None:
    """What is wrong with a config table for ``command`` (its own options, or a subcommand's table)."""
    options = [p for p in command.params if isinstance(p, click.Option) and p.name not in NOT_CONFIGURABLE]
    params = {p.name: p for p in options}
    commands = command.commands if isinstance(command, click.Group) else {}
    for key, value in table.items():
        shown = inert(key, 40)
        if key in commands and isinstance(value, dict):
            problem = config_problem(value, commands[key])
            if problem is not None:
                return f"[{shown}] {problem}"
            continue
        param = params.get(key)
        if key == "smtp_password":
            from .mail import PASSWORD_ENV

            return f"the SMTP password is read from {PASSWORD_ENV} only, never from the config file"
        if param is None:
            return f"unknown setting '{shown}'"
        if getattr(param, "multiple", False) and isinstance(value, list):
            if all(isinstance(item, str) for item in value):
                continue
            return f"{shown} must be a list of texts"
        if param.is_flag and not isinstance(value, bool):
            return f"{shown} must be true or false, not {inert(repr(value), 40)}"
        if not param.is_flag and (isinstance(value, (bool, dict, list)) or value is None):
            return f"{shown} must be a single number or text, not {inert(repr(value), 40)}"
    return None


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"isspass: {inert(message, 2000)}", err=True)  # one line, whatever went into it
    sys.exit(code)


def _source_of(exc: click.exceptions.UsageError) -> ParameterSource | None:
    param = getattr(exc, "param", None)
    if exc.ctx is None or param is None or param.name is None:
        return None
    return exc.ctx.get_parameter_source(param.name)


def usage_message(exc: click.exceptions.UsageError) -> str:
    message = exc.format_message().replace("\n", " ")
    source = _source_of(exc)
    if source is ParameterSource.DEFAULT_MAP:
        return f"config file {config_path()}: {message}"
    if source is ParameterSource.ENVIRONMENT:
        param = exc.param
        names = getattr(param, "envvar", None) or "the environment"
        return f"environment variable {names}: {message}"
    return f"{message} (see 'isspass --help')"


def usage_exit_code(exc: click.exceptions.UsageError) -> int:
    source = _source_of(exc)
    if source in (ParameterSource.DEFAULT_MAP, ParameterSource.ENVIRONMENT):
        return EXIT_CONFIG
    return EXIT_USAGE


@contextlib.contextmanager
def printing() -> Iterator[None]:
    """What a command (or Click, for --help) prints on stdout: a failure is one line and exit 1."""
    with library_errors(), stdout_errors():
        yield


def say(line: str) -> None:
    """One line for a person on stdout."""
    with printing():
        click.echo(line)
