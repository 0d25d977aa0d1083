"""The command line's help, laid out like the README: options in sections, the exit codes, examples.

Click's help formatting overridden once, for the main command and every subcommand.
"""

from __future__ import annotations

import click

from .errors import EXIT_CODE_MEANINGS
from .options import HELP_SECTIONS

#: The examples at the bottom of ``isspass --help``: a command and what it does.
EXAMPLES = (
    ('isspass --place "Zurich, CH"', "visible passes, next 10 days"),
    ("isspass --lat 40.71 --lon -74.01 --format line", "the next one, in one line"),
)
_COLUMN = 30  # Click's widest first column; wider option names wrap onto a line of their own


class SectionedHelp(click.Command):
    """A command whose help lists its options under the README's headings."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records: dict[str, tuple[str, str]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and param.name is not None:
                records[param.name] = record
        sections = [
            (title, [records.pop(name) for name in names if name in records])
            for title, names in HELP_SECTIONS
        ]
        sections.append(("Other options", list(records.values())))
        width = min(_COLUMN, max((len(first) for _, rows in sections for first, _ in rows), default=0))
        for title, rows in sections:
            if rows:
                with formatter.section(title):
                    # The same first-column width in every section, so the texts line up.
                    formatter.write_dl([(first.ljust(width), text) for first, text in rows], col_max=_COLUMN)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        if ctx.parent is not None:
            return
        with formatter.section("Exit codes"):
            formatter.write_dl([(str(code), meaning) for code, meaning in EXIT_CODE_MEANINGS])
        with formatter.section("Examples"):
            formatter.write_dl(list(EXAMPLES), col_max=48)


class SectionedGroup(SectionedHelp, click.Group):
    """The main command: sectioned help, its subcommands sectioned too."""

    command_class = SectionedHelp
