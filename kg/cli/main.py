"""The ``kg`` command group: global options, logging, and the one-line error contract.

Exit status: 0 on success, 1 with a one-line ``error: ...`` message when kg refuses or
fails (any KGError), 2 on bad usage (click's own).
"""

from __future__ import annotations

import logging
import sys

import click

from kg import __version__
from kg.errors import KGError

__all__ = ["cli", "main"]

LOG_LEVELS = ("debug", "info", "warning", "error")
MAX_MESSAGE = 300


def one_line(message: str) -> str:
    """The message on one line, cut to a readable length (parser errors can be long)."""
    text = " ".join(message.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


class KGGroup(click.Group):
    """Turns KGErrors raised by any verb into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context):  # noqa: D102
        try:
            return super().invoke(ctx)
        except KGError as e:
            click.echo(f"error: {one_line(str(e))}", err=True)
            ctx.exit(1)
        except (BrokenPipeError, KeyboardInterrupt):
            ctx.exit(1)


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--log-level", type=click.Choice(LOG_LEVELS), default="warning",
              show_default=True, help="How much to log to stderr.")
def cli(log_level: str) -> None:
    """kg: turn AI-industry news into a knowledge graph you can query and explore.

    \b
    Example:
        kg demo
        kg build articles/ --store ./kg-store
        kg query --named deals-of --param org=Nvidia
        kg viz -o graph.html --focus Nvidia
    """
    logging.basicConfig(level=log_level.upper(), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from kg.cli import commands_build, commands_query, commands_viz

    for module in (commands_build, commands_query, commands_viz):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=True)
    except SystemExit as e:
        return int(e.code or 0) if not isinstance(e.code, str) else 1
    return 0
