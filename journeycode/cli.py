"""The command line: parse arguments, call the core, report, exit.

Exit codes are defined once, in :class:`journeycode.problems.ExitCode`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from journeycode import __version__, compiler, schema
from journeycode.problems import ExitCode
from journeycode.report import REPORTERS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="journeycode")
def main() -> None:
    """Customer journey maps as code.

    Exit codes: 0 clean; 1 the maps have problems (errors, or warnings with
    --strict); 2 usage, configuration or I/O failure.
    """


@main.command()
@click.argument("path", default="maps", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="How to report the problems.",
)
@click.option("--strict", is_flag=True, help="Warnings fail the check too (exit 1).")
def check(path: Path, output_format: str, strict: bool) -> None:
    """Validate the maps in PATH (default: maps) and run the rules."""
    try:
        result = compiler.check(path, display=str(path).rstrip("/") or ".")
    except compiler.WorkspaceError as error:
        click.echo(f"journeycode: {error}", err=True)
        sys.exit(ExitCode.FAILURE)
    click.echo(REPORTERS[output_format](result), nl=False)
    sys.exit(result.exit_code(strict=strict))


@main.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the map format (draft 2020-12)."""
    click.echo(schema.schema_text(), nl=False)
