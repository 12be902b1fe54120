"""The command line: parse arguments, call the core, report, exit.

Exit codes are defined once, in :class:`journeycode.problems.ExitCode`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import glob
import os
import shlex
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from click.decorators import FC

from journeycode import (
    __version__,
    atomic,
    cachedir,
    compiler,
    config,
    discover,
    export,
    i18n,
    measurements,
    render,
    schema,
    words,
)
from journeycode.coverage import coverage as compute_coverage
from journeycode.coverage import percent
from journeycode.filecache import DiskCache, compile_cached
from journeycode.i18n import _, msg, ngettext
from journeycode.model import Journey
from journeycode.problems import ExitCode, Level, Result, WorkspaceError
from journeycode.quoting import markdown_link_target, terminal
from journeycode.render.graphviz import Cache, RenderError, default_cache_dir
from journeycode.report import FORMATS as CHECK_FORMATS
from journeycode.report import text as text_report
from journeycode.report.coverage_report import FORMATS as COVERAGE_FORMATS
from journeycode.report.formats import Format, Formats, Options
from journeycode.report.measurements_report import FORMATS as MEASUREMENTS_FORMATS
from journeycode.review import report as review_report
from journeycode.rules.docs import DOCS
from journeycode.suggest import did_you_mean

if TYPE_CHECKING:
    from journeycode.review.run import Comparison

Subject = TypeVar("Subject")

_PATH = click.argument("path", required=False, type=click.Path(path_type=Path))
_OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, readable=False, path_type=Path),
    help="Write the report to FILE (atomically) instead of standard output.",
)


def _fail(message: str, hint: str | None = None) -> NoReturn:
    # Said in --language when it is given: the failure may come before the
    # settings that name the workspace's language are read, or from reading
    # them; otherwise in the language the command speaks by now (English
    # before the settings are read).
    ctx = click.get_current_context(silent=True)
    with i18n.using(ctx.params.get("language") if ctx is not None else None):
        # Messages name files, keys and ids the maps and settings hold.
        click.echo(f"journeycode: {terminal(i18n.say(message))}", err=True)
        if hint:
            said = _("hint: {hint}").format(hint=terminal(i18n.say(hint)))
            click.echo(f"    {said}", err=True)
    sys.exit(ExitCode.FAILURE)


def _today() -> datetime.date | None:
    try:
        return compiler.pinned_today()
    except WorkspaceError as error:
        _fail(error.message, error.hint)


def _display(path: Path) -> str:
    """How problems name the workspace folder: as the user gave it."""
    return str(path).rstrip("/") or "."


def _target(paths: Sequence[Path]) -> discover.Target:
    try:
        return discover.target(paths)
    except WorkspaceError as error:
        _fail(error.message, error.hint)


def _workspace(path: Path | None) -> discover.Target:
    """The workspace PATH names, or the one found from the current folder: a
    whole one, for a command that works on all of it."""
    found = _target(() if path is None else (path,))
    if found.named is not None:
        command = click.get_current_context().info_name
        shown = found.display or "."
        _fail(
            msg(
                "{path} is inside the workspace {workspace}, and {command} works on a whole "
                "workspace",
                path=str(path),
                workspace=shown,
                command=command,
            ),
            f"journeycode {command} {shlex.quote(shown)}",
        )
    return found


def _pick_language(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> i18n.Language | None:
    if value is None:
        return None
    try:
        return i18n.resolve(value)
    except i18n.UnknownLanguage as error:
        raise click.BadParameter(f"{error}; {error.hint}") from None


_LANGUAGE = click.option(
    "--language",
    metavar="TAG",
    callback=_pick_language,
    help=f"Write for readers in this language ({', '.join(i18n.LANGUAGES)}; zh-CN and zh-TW "
    "too), instead of the settings' language (English when they give none).",
)


def _speak(settings: config.Config) -> None:
    """Write the rest of the command in ``--language``, else the workspace's language."""
    ctx = click.get_current_context()
    ctx.with_resource(i18n.using(ctx.params.get("language") or settings.language))


def _compile(target: discover.Target) -> compiler.Compiled:
    """The workspace of ``target``, its unchanged files taken from the file cache;
    the rest of the command writes in its language (:func:`_speak`)."""
    disk = DiskCache(default_cache_dir(), target.root)
    today = _today()
    try:
        compiled = compile_cached(
            disk,
            disk.caches(),
            lambda caches: compiler.compile_workspace(
                target.root, target.display, today=today, caches=caches, one_shot=True
            ),
        )
    except WorkspaceError as error:
        _fail(error.message, error.hint)
    disk.remember(compiled, discover.map_files(target.root, target.display))
    disk.save()
    _speak(compiled.settings)
    return compiled


def _emit(output: Path | None, content: str) -> None:
    """Write a report to ``output``, or to standard output; a write that fails
    is exit 2, never a report silently lost."""
    if output is not None and _is_standard_output(output):
        output = None  # /dev/stdout, which another user may not open again by name
    if output is not None:
        try:
            if output.parent.is_dir():
                atomic.sweep(output.parent, glob.escape(output.name))
            atomic.write_stream_or_file(output, content.encode("utf-8"))
        except OSError as error:
            _fail(msg("cannot write {path}: {reason}", path=str(output), reason=error.strerror))
        return
    stream = sys.stdout
    if stream is None:  # started with standard output closed
        _fail(
            msg("standard output is closed, so the report cannot be written"),
            msg("use --output FILE"),
        )
    try:
        stream.write(content)
        stream.flush()
    except OSError as error:
        # What is still buffered would fail again when Python exits.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        _fail(msg("cannot write to standard output: {reason}", reason=error.strerror))


def _is_standard_output(path: Path) -> bool:
    try:
        return os.path.samestat(path.stat(), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):
        return False


def _say(line: str) -> None:
    _emit(None, line + "\n")


def _format_option(formats: Formats[Any], **settings: Any) -> Callable[[FC], FC]:
    """``--format``, its choices and their help read from a command's formats."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(formats)),
        help=formats.help(),
        **settings,
    )


def _report(
    reporter: Format[Subject],
    subject: Subject,
    output: Path | None,
    *,
    strict: bool = False,
    shows_all: str | None = None,
) -> None:
    """Write ``subject`` in ``reporter``'s format. Colour is decided here for
    every command: for a format that paints, on a terminal, without ``NO_COLOR``."""
    color = reporter.color and output is None and _color(sys.stdout)
    options = Options(color=color, strict=strict, shows_all=shows_all)
    _emit(output, reporter.render(subject, options))


def _color(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


@contextlib.contextmanager
def _writing(folder: Path) -> Iterator[None]:
    """Rendering diagrams or pages and writing them into ``folder``: a failure
    of either is exit 2."""
    try:
        yield
    except RenderError as error:
        _fail(str(error))
    except OSError as error:
        _fail(msg("cannot write to {path}: {reason}", path=str(folder), reason=error.strerror))


class _Guarded(click.Group):
    """Turns an unexpected exception into exit 3 and one line asking for a bug
    report; ``--debug`` shows the traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            if ctx.params.get("debug"):
                traceback.print_exc()
            what = terminal(" ".join(f"{type(error).__name__}: {error}".split())[:200])
            click.echo(
                f"journeycode: internal error ({what}); this is a bug: please report it with "
                "the command you ran"
                + ("" if ctx.params.get("debug") else " (--debug shows the traceback)"),
                err=True,
            )
            ctx.exit(ExitCode.BUG)
        finally:
            for notice in cachedir.NOTICES:
                click.echo(f"journeycode: {terminal(notice)}", err=True)
            cachedir.NOTICES.clear()


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="journeycode")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def main(debug: bool) -> None:
    """Customer journey maps as code.

    Exit codes: 0 clean; 1 the maps have problems (errors, or warnings with
    --strict; coverage under --fail-under); 2 usage, configuration or I/O failure;
    3 an internal error (a bug: please report it).
    """


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(path_type=Path))
@_format_option(CHECK_FORMATS, default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail the check too (exit 1).")
@click.option(
    "--min-level",
    type=click.Choice([level.value for level in Level]),
    default="info",
    show_default=True,
    help="Report only problems at this level or above; the exit code still counts them all.",
)
@click.option(
    "--new-since",
    metavar="BASE",
    help="Report only the problems BASE (a git revision, REV:PATH or a folder) did not have.",
)
@click.option(
    "--errors-first",
    is_flag=True,
    help="List what fails the check (errors; with --strict warnings too; or what --min-level "
    "names), most serious first, and count the rest in the last line with the command "
    "that lists them: a hook's short output.",
)
@_OUTPUT
@_LANGUAGE
def check(
    paths: tuple[Path, ...],
    output_format: str,
    strict: bool,
    min_level: str,
    new_since: str | None,
    errors_first: bool,
    output: Path | None,
    language: i18n.Language | None,
) -> None:
    """Validate the maps and run the rules: of the workspace PATH (default: the
    one found from the current folder, going up to journeycode.yaml or a maps
    folder), or of the files and folders PATH... names, checked in the
    workspace that holds them."""
    target = _target(paths)
    compiled = _compile(target)
    result = compiled.result if new_since is None else _new_since(compiled, new_since, target)
    elsewhere = None
    if target.named is not None:
        _refuse_unread(target, compiled)
        elsewhere = result.only(lambda shown: not target.holds(shown))
        result = result.only(target.holds)
    reporter = CHECK_FORMATS[output_format]
    shown = Level(min_level)
    if reporter.strict and strict and shown is Level.ERROR:
        # It says what fails the check, which --strict changes, and so
        # --min-level may not hide that from it.
        shown = Level.WARNING
    shows_all = None
    if errors_first:
        given = click.get_current_context().get_parameter_source("min_level")
        if given is click.core.ParameterSource.DEFAULT:
            shown = Level.WARNING if strict else Level.ERROR
        shows_all = shlex.join(["journeycode", "check", *map(str, paths)])
        result = result.most_serious_first()
    _report(reporter, result.at_least(shown), output, strict=strict, shows_all=shows_all)
    if elsewhere is not None:
        _elsewhere(elsewhere.at_least(shown), target)
    sys.exit(result.exit_code(strict=strict))


def _refuse_unread(target: discover.Target, compiled: compiler.Compiled) -> None:
    """A file named that the workspace does not read would otherwise pass unchecked."""
    read = {*compiled.result.files, discover.display(target.display, Path(discover.SETTINGS_FILE))}
    for name in target.named or ():
        if not name.folder and name.shown not in read:
            _fail(
                msg(
                    "{path} is not a file journeycode reads in the workspace {workspace}",
                    path=name.shown,
                    workspace=target.display or ".",
                ),
                msg(
                    "maps are *.yaml and *.yml files outside hidden folders, measurements *.csv "
                    "files below {folder}/",
                    folder=compiled.settings.measurements.path,
                ),
            )


def _elsewhere(others: Result, target: discover.Target) -> None:
    """One line for the problems of the files not named, so none is hidden
    without a word; they do not count for the exit code."""
    if not others.problems:
        return
    counted = text_report.summary(Result(others.problems, others.files))
    command = f"journeycode check {shlex.quote(target.display or '.')}"
    said = _("not shown, in the workspace's other files: {counted} '{command}' shows them.")
    click.echo(terminal(f"journeycode: {said.format(counted=counted, command=command)}"), err=True)


def _new_since(compiled: compiler.Compiled, base: str, target: discover.Target) -> Result:
    from journeycode.review.compare import new_problems
    from journeycode.review.run import compile_side

    with tempfile.TemporaryDirectory(prefix="journeycode-base-") as work:
        try:
            before, _label = compile_side(
                base, target.root, target.display, Path(work), _today(), one_shot=True
            )
        except WorkspaceError as error:
            _fail(error.message, error.hint)
    return Result.of(new_problems(before, compiled), compiled.result.files)


@main.command("coverage")
@_PATH
@_format_option(COVERAGE_FORMATS, default="text", show_default=True)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 1000),
    help="Exit 1 when the portfolio's total coverage is under this percentage "
    "(default: coverage.fail_under in journeycode.yaml).",
)
@_OUTPUT
@_LANGUAGE
def coverage_command(
    path: Path | None,
    output_format: str,
    fail_under: float | None,
    output: Path | None,
    language: i18n.Language | None,
) -> None:
    """Show how completely the maps in PATH are owned, measured and mapped."""
    compiled = _compile(_workspace(path))
    cov = compute_coverage(compiled.workspace)
    _report(COVERAGE_FORMATS[output_format], cov, output)
    threshold = fail_under if fail_under is not None else compiled.settings.fail_under
    if threshold is not None and (cov.total if cov.total is not None else 100.0) < threshold:
        # The threshold as given (85, 85.5), the total to a tenth.
        given = f"{threshold:g}%" if i18n.current().english else percent(threshold, 2)
        said = _("total coverage {total} is under {threshold}").format(
            total=percent(cov.total, 1), threshold=given
        )
        click.echo(f"journeycode: {said}", err=True)
        sys.exit(ExitCode.PROBLEMS)
    sys.exit(ExitCode.OK)


@main.command("measurements")
@_PATH
@_format_option(MEASUREMENTS_FORMATS, default="text", show_default=True)
@_OUTPUT
@_LANGUAGE
def measurements_command(
    path: Path | None, output_format: str, output: Path | None, language: i18n.Language | None
) -> None:
    """Show what the measurement files in PATH give, source by source: the rows,
    periods, KPIs and parts read, what was left out and why, and the values.
    Exit 1 when anything was left out."""
    target = _workspace(path)
    compiled = _compile(target)
    shown = measurements.shown(
        target.root, target.display, compiled.settings.measurements, compiled.workspace
    )
    _report(MEASUREMENTS_FORMATS[output_format], shown, output)
    left_out = shown.other or any(s.ignored for s in shown.sources)
    sys.exit(ExitCode.PROBLEMS if left_out else ExitCode.OK)


@main.command("render")
@_PATH
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the diagrams.",
)
@click.option(
    "--view",
    "view_names",
    type=click.Choice(render.VIEWS),
    multiple=True,
    help="Views to render (repeatable; default: all).",
)
@click.option("--journey", "journey_ids", multiple=True, help="Only these journeys (repeatable).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(render.FORMATS),
    default="svg",
    show_default=True,
    help="png: every view, drawn from its SVG with the machine's fonts (and $JOURNEYCODE_FONTS). "
    "dot: the emotion curve has no DOT form and is written as SVG (--view emotion is an error).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where rendered diagrams are cached (default: diagrams/ in $JOURNEYCODE_CACHE_DIR "
    "or ~/.cache/journeycode).",
)
@click.option("--no-cache", is_flag=True, help="Render everything again.")
@_LANGUAGE
def render_command(
    path: Path | None,
    out: Path,
    view_names: tuple[str, ...],
    journey_ids: tuple[str, ...],
    output_format: str,
    cache_dir: Path | None,
    no_cache: bool,
    language: i18n.Language | None,
) -> None:
    """Draw the canvas, journey, blueprint, emotion and portfolio diagrams of PATH into --out."""
    compiled = _compile(_workspace(path))
    known = compiled.workspace.by_id(Journey)
    for journey_id in journey_ids:
        if journey_id not in known:
            _fail(i18n.msg("no journey '{id}'", id=journey_id), did_you_mean(journey_id, known))
    if output_format == "dot" and "emotion" in view_names:
        others = ", ".join(f"--view {v}" for v in render.VIEWS if v != "emotion")
        _fail(
            i18n.msg("the emotion view has no DOT form"),
            i18n.msg("use --format svg or png, or choose the other views ({views})", views=others),
        )
    items = render.diagrams(compiled.workspace, view_names or render.VIEWS, journey_ids or None)
    cache = Cache(None if no_cache else (cache_dir or default_cache_dir() / "diagrams"))
    with _writing(out):
        rendered = render.render(items, output_format, cache)
        written = render.write(out, rendered.files)
    if rendered.as_svg:
        files = terminal(", ".join(rendered.as_svg))
        said = _("the emotion curve has no DOT form: written as SVG ({files})")
        click.echo(f"journeycode: {said.format(files=files)}", err=True)
    _warn_missing(rendered)
    errors = compiled.result.counts()[Level.ERROR]
    if errors:
        said = ngettext(
            "the maps have {count} error(s); the diagrams show what is valid "
            "(run journeycode check)",
            "the maps have {count} error(s); the diagrams show what is valid "
            "(run journeycode check)",
            errors,
        )
        click.echo(f"journeycode: {said.format(count=errors)}", err=True)
    count = len(written)
    said = ngettext("{count} diagram(s) in {folder}", "{count} diagram(s) in {folder}", count)
    _say(said.format(count=count, folder=out))


@main.command("docs")
@_PATH
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the Markdown pages and SVG diagrams.",
)
@_LANGUAGE
def docs_command(path: Path | None, out: Path, language: i18n.Language | None) -> None:
    """Write the site's pages as Markdown and SVG, for any static site generator."""
    # Imported here (Jinja2 and friends): check should start fast.
    from journeycode.site import history
    from journeycode.site.generator import build_site

    target = _workspace(path)
    compiled = _compile(target)
    files = [f.path for f in compiled.workspace.files]
    with _writing(out):
        site = build_site(
            compiled,
            cache=Cache(default_cache_dir() / "diagrams"),
            history=history.history(target.root, files),
        )
        contents = {**{p: m.encode("utf-8") for p, m in site.markdown().items()}, **site.assets}
        render.write(out, contents, complete=True)
    pages, assets = len(site.pages), len(site.assets)
    _say(
        _("{pages} and {files} in {folder}").format(
            pages=ngettext("{count} page(s)", "{count} page(s)", pages).format(count=pages),
            files=ngettext("{count} file(s)", "{count} file(s)", assets).format(count=assets),
            folder=out,
        )
    )


@main.command("site-requirements")
@click.argument(
    "config", default="mkdocs.yml", type=click.Path(dir_okay=False, path_type=Path), required=False
)
@_OUTPUT
def site_requirements_command(config: Path, output: Path | None) -> None:
    """Print what the MkDocs site of CONFIG (default: mkdocs.yml) needs installed
    besides journeycode, one pip requirement a line (the theme it names), for CI
    to install before mkdocs build: ``pip install -r`` the output."""
    from journeycode.site.requirements import requirements

    try:
        text = config.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8"
        _fail(f"cannot read {config}: {reason}")
    try:
        needed = requirements(text, str(config))
    except WorkspaceError as error:
        _fail(error.message, error.hint)
    _emit(output, "".join(f"{line}\n" for line in needed))


@main.command("diff")
@click.argument("specs", nargs=-1, metavar="[BASE] [HEAD] [PATH]")
@_format_option(review_report.FORMATS, default="text", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "notable", "never"]),
    default="breaking",
    show_default=True,
    help="Exit 1 when a change at this level or above is present.",
)
@click.option("--list-kinds", is_flag=True, help="List the kinds of change and their levels.")
@click.option(
    "--diagrams",
    "diagram_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write a diagram of each changed journey and contact flow here "
    "(JOURNEY.change.svg, flow_FLOW.change.svg).",
)
@click.option(
    "--diagram-format",
    type=click.Choice(["svg", "png"]),
    default="svg",
    show_default=True,
    help="png for a pull-request comment that shows the pictures.",
)
@click.option(
    "--summary-url",
    metavar="URL",
    help="Where the whole review is when the Markdown is cut to GitHub's limit "
    "[default: this GitHub Actions run, from GITHUB_SERVER_URL, GITHUB_REPOSITORY "
    "and GITHUB_RUN_ID].",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1000),
    default=65_535,
    show_default=True,
    help="The Markdown's length at most (a comment's limit; a job summary takes more).",
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, readable=False, path_type=Path),
    help="Also write the Markdown review to FILE (atomically) at a job summary's "
    "length, for $GITHUB_STEP_SUMMARY: the place --summary-url points a cut comment to.",
)
@_OUTPUT
@_LANGUAGE
def diff_command(
    specs: tuple[str, ...],
    output_format: str,
    fail_on: str,
    list_kinds: bool,
    diagram_dir: Path | None,
    diagram_format: str,
    summary_url: str | None,
    max_chars: int,
    summary_file: Path | None,
    output: Path | None,
    language: i18n.Language | None,
) -> None:
    """Compare the maps of BASE and HEAD by meaning: what a reviewer must see.

    BASE and HEAD are git revisions (main, HEAD~3, a SHA), REV:PATH or folders.
    BASE defaults to the merge-base with the default branch, HEAD to the working
    tree, PATH to the workspace found from the current folder (see check)."""
    from journeycode.review.changes import KINDS, Severity
    from journeycode.review.run import compare

    if list_kinds:
        width = max(map(len, KINDS))
        if language is not None:
            ctx = click.get_current_context()
            ctx.with_resource(i18n.using(language))
        levels = review_report.level_width()
        for kind in sorted(KINDS.values(), key=lambda k: -k.level):
            level = review_report.level_word(kind.level)
            _say(f"{kind.id:<{width}}  {level:<{levels}}  {i18n.gettext(kind.summary)}")
        sys.exit(ExitCode.OK)
    if len(specs) > 3:
        _fail("diff takes at most BASE, HEAD and PATH")
    if summary_url is not None and markdown_link_target(summary_url) is None:
        _fail(f"--summary-url '{summary_url}' is not an http(s) URL", _SUMMARY_URL_HINT)
    base, head, folder = (*specs, None, None, None)[:3]
    # Two folders and no PATH: problems are named as in HEAD's folder.
    if folder is None and head is not None and ":" not in head and Path(head).is_dir():
        target = discover.Target(Path(head), _display(Path(head)))
    elif folder is None and head is not None and not discover.workspace_above(Path()):
        # Both sides from git, and no workspace here: PATH inside the revisions.
        target = discover.Target(Path(discover.MAPS), discover.MAPS)
    else:
        target = _workspace(None if folder is None else Path(folder))
    try:
        comparison = compare(base, head, target.root, target.display, _today(), one_shot=True)
    except WorkspaceError as error:
        _fail(error.message, error.hint)
    _speak(comparison.head.settings)
    found = comparison.review
    written = (
        [] if diagram_dir is None else _change_diagrams(comparison, diagram_dir, diagram_format)
    )
    sides = review_report.Sides(
        comparison.base_label,
        comparison.head_label,
        tuple(p.as_posix() for p in written),
        summary_url=summary_url or _run_url(),
        limit=max_chars,
        **(_pictures(comparison) if output_format == "markdown" else {}),
    )
    _report(review_report.FORMATS[output_format], review_report.Reviewed(found, sides), output)
    if summary_file is not None:
        if output_format != "markdown":
            sides = dataclasses.replace(sides, **_pictures(comparison))
        summary = dataclasses.replace(
            sides, summary_url=None, limit=review_report.SUMMARY_LIMIT, in_bytes=True
        )
        markdown = review_report.FORMATS["markdown"]
        _report(markdown, review_report.Reviewed(found, summary), summary_file)
    threshold = {"breaking": Severity.BREAKING, "notable": Severity.NOTABLE}.get(fail_on)
    sys.exit(
        ExitCode.PROBLEMS if threshold is not None and found.at_least(threshold) else ExitCode.OK
    )


def _run_url() -> str | None:
    """This GitHub Actions run's page, where its job summary is; None elsewhere."""
    parts = [os.environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY")]
    run = os.environ.get("GITHUB_RUN_ID")
    if not all(parts) or not run:
        return None
    return f"{parts[0]}/{parts[1]}/actions/runs/{run}"


_SUMMARY_URL_HINT = "the job summary's page, as https://github.com/OWNER/REPO/actions/runs/ID"


def _pictures(comparison: Comparison) -> dict[str, Any]:
    """The Mermaid pictures of the change, as :class:`review_report.Sides` takes them."""
    from journeycode.review import diagram, flow_diagram
    from journeycode.review.renames import follow

    base = follow(comparison.base.workspace, comparison.review.renames)
    head, changes = comparison.head.workspace, comparison.review.changes
    return {
        "pictures": diagram.mermaid(base, head, changes),
        "flow_pictures": flow_diagram.mermaid(base, head, changes),
    }


def _change_diagrams(comparison: Comparison, folder: Path, output_format: str) -> list[Path]:
    from journeycode.review import diagram, flow_diagram
    from journeycode.review.renames import follow

    # A renamed entity is drawn as itself, changed, not as removed and added.
    base = follow(comparison.base.workspace, comparison.review.renames)
    head, changes = comparison.head.workspace, comparison.review.changes
    items = [
        *diagram.diagrams(base, head, changes),
        *flow_diagram.diagrams(base, head, changes),
    ]
    with _writing(folder):
        rendered = render.render(items, output_format, Cache(default_cache_dir() / "diagrams"))
        written = render.write(folder, rendered.files)
    _warn_missing(rendered)
    return written


def _warn_missing(rendered: render.Rendered) -> None:
    """One warning per script no installed font draws: the PNGs show boxes there."""
    by_script: dict[str, list[render.Missing]] = {}
    for missing in rendered.missing:
        by_script.setdefault(missing.script, []).append(missing)
    for script, found in by_script.items():
        characters = "".join(dict.fromkeys("".join(m.characters for m in found)))
        files = ", ".join(dict.fromkeys(m.file for m in found))
        said = _(
            "no installed font has the {script} characters '{characters}' of {files}, so they "
            "show as boxes: install {package}, or put a font that has them in $JOURNEYCODE_FONTS"
        ).format(
            script=script,
            characters=terminal(characters[:20]),
            files=terminal(files),
            package=found[0].package,
        )
        click.echo(f"journeycode: {_('warning')}: {said}", err=True)


@main.command("export")
@_PATH
@_format_option(export.FORMATS, required=True)
@_OUTPUT
@_LANGUAGE
def export_command(
    path: Path | None, output_format: str, output: Path | None, language: i18n.Language | None
) -> None:
    """Export the compiled maps: a JSON manifest, a CSV touchpoint sheet, or Mermaid."""
    _report(export.FORMATS[output_format], _compile(_workspace(path)), output)


@main.command()
@click.argument(
    "directory", default=".", type=click.Path(file_okay=False, path_type=Path), required=False
)
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option("--minimal", is_flag=True, help="Write only maps/ (the starter maps and settings).")
@click.option(
    "--modeline",
    is_flag=True,
    help="Start each map with a '# yaml-language-server: $schema=…' line (and write the schema).",
)
@click.option(
    "--source",
    metavar="URL@REF|PATH|VERSION",
    help="Where the workflow and the pre-commit hook install journeycode from: a git URL "
    "at a ref, a local folder or file (this machine only), or a version from the index "
    "(default: journeycode's own action and hooks at this version's tag).",
)
@_LANGUAGE
def init(
    directory: Path,
    force: bool,
    minimal: bool,
    modeline: bool,
    source: str | None,
    language: i18n.Language | None,
) -> None:
    """Set up a team's repository in DIRECTORY (default: here): starter maps,
    settings, a MkDocs site, a pre-commit hook, a CI workflow and editor settings.
    Existing files are never overwritten without --force. With --language the
    settings name the team's language (the starter maps stay English)."""
    from journeycode import init as starter

    click.get_current_context().with_resource(i18n.using(language))
    day = _today() or datetime.date.today()
    try:
        origin = starter.release() if source is None else starter.parse_source(source, Path())
    except ValueError as error:
        _fail(i18n.msg("--source: {error}", error=error.args[0]))
    planned = starter.files(day, origin, minimal=minimal, modeline=modeline, language=language)
    merged = set()
    for name in sorted(starter.APPENDED & planned.keys()):
        path = directory / name
        if path.is_file() and not path.is_symlink():
            try:
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # not one to add to: it counts as existing
            planned[name] = starter.appended(text, planned[name])
            merged.add(name)
    existing = [name for name in planned if (directory / name).exists() and name not in merged]
    if existing and not force:
        _fail(
            i18n.msg(
                "{count} file(s) already exist in {directory}: {files}",
                count=len(existing),
                directory=str(directory),
                files=", ".join(existing),
            ),
            i18n.msg("nothing was written; --force overwrites them"),
        )
    try:
        for name in planned:
            atomic.refuse_symlinks(directory, directory / name)
        for name, content in planned.items():
            atomic.write_text(directory / name, content)
    except OSError as error:
        _fail(
            i18n.msg(
                "cannot write to {directory}: {reason}",
                directory=str(directory),
                reason=error.strerror,
            )
        )
    _say(
        _("Wrote {count} file(s) in {directory}; next:").format(
            count=len(planned), directory=directory
        )
    )
    steps = [
        "journeycode check maps",
        "mkdocs serve",
        "pip install pre-commit && pre-commit install",
    ]
    if minimal:
        steps = [
            "journeycode check maps",
            "journeycode coverage maps",
            "journeycode docs maps --out pages",
        ]
    if directory != Path():
        steps[0] = f"cd {shlex.quote(str(directory))} && {steps[0]}"
    for step in steps:
        _say(f"  {step}")
    lines = starter.source_lines(planned)
    if lines:
        _say(_("CI and pre-commit get journeycode from {source}.").format(source=origin.describe()))
        said = _("  To get it elsewhere, change {lines} (or: init --source).")
        _say(
            said.format(
                lines=" and ".join(lines) if i18n.current().english else words.listed(lines)
            )
        )


@main.command()
@click.argument("rule_id", required=False)
@_LANGUAGE
def rules(rule_id: str | None, language: i18n.Language | None) -> None:
    """List the rules, or print the documentation of RULE_ID."""
    click.get_current_context().with_resource(i18n.using(language))
    if rule_id is None:
        width = max(map(len, DOCS))
        for doc in DOCS.values():
            _say(f"{doc.id:<{width}}  {doc.level:<7}  {doc.said_summary}")
        return
    if rule_id not in DOCS:
        _fail(i18n.msg("no rule '{rule}'", rule=rule_id), did_you_mean(rule_id, DOCS))
    doc = DOCS[rule_id]
    heading = i18n.gettext("{rule} (default level: {level})").format(rule=doc.id, level=doc.level)
    _say(f"{heading}\n\n{doc.said.strip()}")


@main.command("schema")
@_OUTPUT
def schema_command(output: Path | None) -> None:
    """Print the JSON Schema of the map format (draft 2020-12), or write it to
    FILE (``-o .vscode/journeycode.schema.json``) for an editor to use."""
    _emit(output, schema.schema_text())


@main.command("lsp")
def lsp_command() -> None:
    """Serve the rules to an editor: a language server on standard input and
    output (diagnostics as you type, completion of ids, go to definition, find
    references, hover, quick fixes, rename). See docs/editors.md."""
    from journeycode.lsp.server import main as serve

    serve()
