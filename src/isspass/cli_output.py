"""Where the command line's output goes: stdout and ``--output`` files, failing in one line.

A full disk or a closed stdout is an :class:`~isspass.errors.OutputError`; a reader that
went away (``| head``) ends the run quietly.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import IO

import click

from .errors import EXIT_OK, OutputError
from .storage import write_output


def emit(text: str, output: str | None) -> None:
    """The report to stdout, or to ``--output`` by the output-file rules (storage.open_output)."""
    if output is None or output == "-":
        with stdout_errors():
            stream = stdout()
            click.echo(text, nl=False, file=stream)
            stream.flush()
        return
    write_output(output, text.encode("utf-8"))


def stdout() -> IO[str]:
    """Standard output, or OutputError when the command was started without one (``>&-``)."""
    stream = sys.stdout
    if stream is None or stream.closed:
        raise OutputError("cannot write to standard output: it is closed")
    return stream


@contextlib.contextmanager
def stdout_errors() -> Iterator[None]:
    """A full disk behind stdout is one line, not a traceback; a reader that went away
    (``isspass … | head -1``) wants no more, and the run ends quietly with success."""
    try:
        yield
    except BrokenPipeError:
        silence_stdout()
        raise click.exceptions.Exit(EXIT_OK) from None
    except OSError as exc:
        silence_stdout()
        raise OutputError(f"cannot write to standard output ({exc.strerror or exc})") from None


def silence_stdout() -> None:
    """Point stdout at the null device: what is still buffered must not fail again at exit
    (the interpreter's last flush would print a traceback and exit 120)."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())
        finally:
            os.close(null)
