"""``journeycode init``: everything a team's repository needs, as files.

:func:`files` is pure: it returns path → text for the starter maps (in
``journeycode/starter``: a small contact centre and one journey that uses every
feature, with no problem at all), the settings with every rule's default
written out, the MkDocs site, the pre-commit hook, the CI workflow and the
editor settings. The CLI decides what may be written.

By default the workflow uses journeycode's action and the hook its
repository, both at this version's tag: the form that works on any machine.
``init --source`` (:func:`parse_source`) names another: a git URL at a ref, a
local folder or wheel (this machine only), or a version from the index. The
line of each file that says where journeycode comes from carries
:data:`SOURCE_MARK`, for ``init`` to name.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import posixpath
import re
import urllib.parse
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from journeycode import __version__, i18n, schema
from journeycode.discover import MAPS
from journeycode.i18n import _
from journeycode.rules import REGISTRY
from journeycode.rules.docs import DOCS

SCHEMA_FILE = ".vscode/journeycode.schema.json"
GITIGNORE = "# The site that mkdocs build makes: CI builds it from the maps.\nsite/\n"
APPENDED = frozenset({".gitignore"})
"""Files a repository often has already: init adds the lines they lack."""
WORKFLOW = ".github/workflows/journeys.yml"


SOURCE_MARK = "# where journeycode comes from"
"""The comment on the line of the workflow and of the hook that says it."""
_VERSION = re.compile(r"\d+(\.\d+)*([-.]?(a|b|rc|post|dev)\d*)*")


@dataclass(frozen=True)
class Source:
    """Where the workflow and the hook get journeycode from."""

    requirement: str | None
    """For pip (``journeycode @ git+https://…@ref``, ``journeycode @ file:///…``,
    ``journeycode==1.0``); None for the action and hooks of journeycode's
    repository at a release tag."""
    repo: str
    """A git repository with journeycode's hooks (and, on GitHub, its action)."""
    rev: str
    local: bool = False
    """Only this machine can install it (a folder or a file)."""

    @property
    def action(self) -> str | None:
        """``OWNER/NAME@rev`` for ``uses:``, when the workflow uses the action."""
        if self.requirement is not None:
            return None
        name = self.repo.removeprefix("https://github.com/").removesuffix(".git")
        return f"{name}@{self.rev}"

    def describe(self) -> str:
        """Where it is, for init's message."""
        if self.requirement is None:
            return _("its action and hooks at {rev} ({repo})").format(rev=self.rev, repo=self.repo)
        if self.local:
            where = urllib.parse.unquote(self.requirement.removeprefix("journeycode @ file://"))
            return _("{path}, which only this machine can install").format(path=where)
        if self.repo == "local":
            return _("{requirement} from the package index").format(requirement=self.requirement)
        return _("{repo} at {rev}").format(repo=self.repo, rev=self.rev)


def release() -> Source:
    """This version's tag of journeycode's repository (its package metadata's
    ``Repository`` URL): what works anywhere."""
    try:
        urls = importlib.metadata.metadata("journeycode").get_all("Project-URL") or []
    except importlib.metadata.PackageNotFoundError:
        urls = []
    found = dict(url.split(", ", 1) for url in urls if ", " in url)
    return Source(None, found.get("Repository", REPOSITORY), f"v{__version__}")


REPOSITORY = "https://github.com/OWNER/journeycode"
"""What stands for the repository when the metadata names none: init's message
then says which line to change."""


def parse_source(given: str, cwd: Path) -> Source:
    """``init --source``: a git URL at a ref (``URL@REF``), a local folder or
    file, or a version. Raises ValueError with what it expected."""
    if "://" in given or given.startswith(("git@", "git+")):
        url, at, ref = given.removeprefix("git+").rpartition("@")
        if not at or not url or "/" in ref:
            raise ValueError(
                i18n.msg(
                    "a git URL needs the ref to install: {given}@REF (a tag or commit)", given=given
                )
            )
        return Source(f"journeycode @ git+{url}@{ref}", url, ref)
    path = (cwd / given).resolve()
    if path.exists():
        return Source(f"journeycode @ {path.as_uri()}", "local", "", local=True)
    version = given.removeprefix("v").removeprefix("journeycode==")
    if _VERSION.fullmatch(version):
        return Source(f"journeycode=={version}", "local", "")
    raise ValueError(
        i18n.msg(
            "{given} is not a git URL at a ref, an existing path or a version"
            " (git+https://host/journeycode.git@v1.0, ../journeycode, 1.0)",
            given=repr(given),
        )
    )


def files(
    today: datetime.date,
    origin: Source,
    *,
    minimal: bool = False,
    modeline: bool = False,
    language: i18n.Language | None = None,
) -> dict[str, str]:
    """Relative path → text of every file ``init`` writes. With ``modeline``
    each map starts with a comment that points editors at the schema, by a
    path relative to the map's own folder; with a ``language`` the settings
    name it, and their comments are in it (the starter maps stay English)."""
    out = _starter(today)
    if modeline:
        for name in out:
            relative = posixpath.relpath(SCHEMA_FILE, posixpath.dirname(name))
            out[name] = f"# yaml-language-server: $schema={relative}\n{out[name]}"
        out[SCHEMA_FILE] = schema.schema_text()
    with i18n.using(language):
        out[f"{MAPS}/journeycode.yaml"] = settings(language)
    if minimal:
        return dict(sorted(out.items()))
    out["mkdocs.yml"] = MKDOCS
    out[".gitignore"] = GITIGNORE
    out["docs/index.md"] = HOME
    out[".pre-commit-config.yaml"] = pre_commit(origin)
    out[WORKFLOW] = workflow(origin)
    out[SCHEMA_FILE] = schema.schema_text()
    out[".vscode/settings.json"] = json.dumps(
        {"yaml.schemas": {f"./{SCHEMA_FILE}": [f"{MAPS}/**/*.yaml", f"{MAPS}/**/*.yml"]}},
        indent=2,
    )
    out[".vscode/settings.json"] += "\n"
    out[".vscode/extensions.json"] = (
        json.dumps({"recommendations": ["redhat.vscode-yaml"]}, indent=2) + "\n"
    )
    return out


def appended(existing: str, planned: str) -> str:
    """An existing file with the planned lines it lacks added at its end."""
    have = set(existing.splitlines())
    missing = [line for line in planned.splitlines() if line not in have]
    if not missing:
        return existing
    return (
        existing
        + ("" if existing.endswith("\n") or not existing else "\n")
        + ("\n".join(missing) + "\n")
    )


def _starter(today: datetime.date) -> dict[str, str]:
    root = resources.files("journeycode") / "starter"
    found: dict[str, str] = {}
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            name = f"{prefix}{entry.name}"
            if entry.is_dir():
                stack.append((entry, f"{name}/"))
            elif entry.name.endswith(".yaml"):
                found[name] = _dated(entry.read_text("utf-8"), today)
    return dict(sorted(found.items()))


def _dated(text: str, today: datetime.date) -> str:
    """The review is dated the day of init and the measurements the ends of the
    last two months, so stale-review and measurement-stale are quiet for months."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    before = last.replace(day=1) - datetime.timedelta(days=1)
    return (
        text.replace("@TODAY@", today.isoformat())
        .replace("@PERIOD-1@", last.isoformat())
        .replace("@PERIOD-2@", before.isoformat())
    )


def settings(language: i18n.Language | None = None) -> str:
    """``journeycode.yaml`` with every rule at its default level and options,
    and the ``language`` when one is given; its comments in the language at hand."""
    lines = []
    if language is not None and not language.english:
        lines += [
            _("# The language journeycode writes the site, diagrams and reports in:"),
            f"language: {language.tag}",
            "",
        ]
    lines += [
        _("# journeycode settings. Every rule is listed at its default level, with its"),
        _("# options: change a level (error, warning or info) or turn a rule off (off)."),
        _("# To excuse one entity, add `waive: {RULE: reason}` to it instead."),
        _("# `journeycode rules RULE` explains a rule."),
        "rules:",
    ]
    for rule in REGISTRY.values():
        options = "".join(f", {key}: {json.dumps(value)}" for key, value in rule.OPTIONS.items())
        shown = f"level: {rule.LEVEL}{options}"
        lines.append(f"  # {DOCS[rule.ID].said_summary}")
        lines.append(f"  {rule.ID}: {{{shown}}}")
    lines += [
        "",
        _("# journeycode coverage fails under this share (percent):"),
        "# coverage:",
        "#   fail_under: 80",
        "",
        _("# journeycode diff levels, where they differ from the defaults"),
        "# (journeycode diff --list-kinds):",
        "# diff:",
        "#   waiver-added: notable",
    ]
    return "\n".join(lines) + "\n"


MKDOCS = f"""\
site_name: Customer journeys
theme:
  name: mkdocs
plugins:
  - search
  # The journey pages, diagrams, coverage and rules, made from {MAPS}/ on every build.
  - journeycode:
      maps: {MAPS}
      path: journeys
      fail_on: error
"""

HOME = """\
# Customer journeys

Our journey maps live in `maps/` and are checked by journeycode on every change.
Start with the [journey portfolio](journeys/index.md) or the
[coverage dashboard](journeys/coverage.md).
"""


WORKSPACE_FILES = rf"^{MAPS}/.*\.(ya?ml|csv|json)$"
"""What a hook runs on: the maps, the settings and the measurement files."""


def pre_commit(origin: Source) -> str:
    hook = "journeycode-check"
    head = (
        "# journeycode checks the whole workspace when a map, a measurement file or\n"
        "# the settings change, and shows the errors with a count of the warnings.\n"
    )
    if origin.repo != "local":
        return (
            head + "repos:\n"
            f"  - repo: {origin.repo}\n"
            f"    rev: {origin.rev}  {SOURCE_MARK}\n"
            "    hooks:\n"
            f"      - id: {hook}\n"
            f"        args: [{MAPS}]\n"
            f"        files: {WORKSPACE_FILES}\n"
        )
    note = (
        "# journeycode comes from a folder on this machine: other machines need\n"
        "# another source (journeycode init --source).\n"
        if origin.local
        else ""
    )
    return (
        head + note + "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        f"      - id: {hook}\n"
        "        name: journeycode check\n"
        f"        entry: journeycode check --errors-first {MAPS}\n"
        "        language: python\n"
        f"        additional_dependencies: [{json.dumps(origin.requirement)}]  {SOURCE_MARK}\n"
        f"        files: {WORKSPACE_FILES}\n"
        "        pass_filenames: false\n"
    )


_HEAD = """\
name: journeys
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
  pull-requests: write  # the review comment
jobs:
  journeys:
    runs-on: ubuntu-latest
"""
_UPLOADS = """\
      # The artifacts, whatever failed before.
      - if: ${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with: {name: change-diagrams, path: change-diagrams, if-no-files-found: ignore}
      - if: ${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with: {name: journey-site, path: site, if-no-files-found: ignore}
"""


def workflow(origin: Source) -> str:
    """The CI workflow: the action where journeycode comes from its repository,
    else the same steps written out. Either way every step runs whatever the
    check found, and the job fails at its end."""
    if origin.action is not None:
        return (
            _HEAD + "    steps:\n"
            "      - uses: actions/checkout@v4\n"
            "        with: {fetch-depth: 0}  # the base branch too, for the review\n"
            "      # New problems as annotations, the review of the change on the job summary\n"
            "      # and as one comment, the site with the theme mkdocs.yml names; then it\n"
            "      # fails on new errors, a breaking change or a site that does not build.\n"
            f"      - uses: {origin.action}  {SOURCE_MARK}\n"
            "        with:\n"
            f"          path: {MAPS}\n"
            "          comment: true\n"
            "          diagrams: change-diagrams\n"
            "          site: mkdocs.yml\n" + _UPLOADS
        )
    note = (
        "      # journeycode comes from a folder on this machine: give CI a source it can reach.\n"
        if origin.local
        else ""
    )
    return _HEAD + _STEPS.replace("@NOTE@\n", note).replace(
        "@REQUIREMENT@", json.dumps(origin.requirement)
    ).replace("@MAPS@", MAPS).replace("@MARK@", SOURCE_MARK).replace("@UPLOADS@\n", _UPLOADS)


# Values from the event reach the scripts through env, never spliced into them;
# each step keeps its status for the last one, which fails the job.
_STEPS = """\
    env:
      BASE: origin/${{ github.base_ref }}
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}  # the base branch too, for --new-since and diff
      - uses: actions/setup-python@v5
        with: {python-version: "3.12"}
@NOTE@
      - run: pip install @REQUIREMENT@  @MARK@
      # Only the problems a pull request brings, as annotations on its lines.
      - id: check
        run: |
          status=0
          since=()
          if [ "$GITHUB_EVENT_NAME" = pull_request ]; then since=(--new-since "$BASE"); fi
          journeycode check @MAPS@ --format github "${since[@]}" || status=$?
          echo "status=$status" >> "$GITHUB_OUTPUT"
      # What changed, by meaning: on the run's summary and as one comment.
      - if: github.event_name == 'pull_request'
        id: review
        run: |
          status=0
          journeycode diff "$BASE" --format markdown -o review.md --summary summary.md \\
            --diagrams change-diagrams --diagram-format png || status=$?
          if [ -f summary.md ]; then cat summary.md >> "$GITHUB_STEP_SUMMARY"; fi
          echo "status=$status" >> "$GITHUB_OUTPUT"
      # A pull request from a fork has a read-only token: the review stays on the summary.
      - if: github.event_name == 'pull_request' && steps.review.outputs.status != '2'
        env:
          GH_TOKEN: ${{ github.token }}
          PULL_REQUEST: ${{ github.event.pull_request.number }}
        run: |
          unsent="The review is on the job summary only: a fork's pull request is read-only"
          gh pr comment "$PULL_REQUEST" --body-file review.md --edit-last --create-if-none \\
            || echo "::notice title=journeycode::$unsent"
      # With the theme mkdocs.yml names: a site it cannot build fails this step alone.
      - id: site
        run: |
          status=0
          { journeycode site-requirements mkdocs.yml -o "$RUNNER_TEMP/site.txt" \\
              && pip install -r "$RUNNER_TEMP/site.txt" \\
              && mkdocs build --strict; } || status=$?
          echo "status=$status" >> "$GITHUB_OUTPUT"
@UPLOADS@
      - name: Fail on new errors, a breaking change or a site that does not build
        env:
          CHECK_STATUS: ${{ steps.check.outputs.status }}
          REVIEW_STATUS: ${{ steps.review.outputs.status }}
          SITE_STATUS: ${{ steps.site.outputs.status }}
        run: |
          if [ "$CHECK_STATUS" != 0 ]; then echo "journeycode: the maps have new problems"; fi
          if [ "${REVIEW_STATUS:-0}" != 0 ]; then echo "journeycode: a breaking change"; fi
          if [ "$SITE_STATUS" != 0 ]; then echo "journeycode: the site does not build"; fi
          [ "$CHECK_STATUS" = 0 ] && [ "${REVIEW_STATUS:-0}" = 0 ] && [ "$SITE_STATUS" = 0 ]
"""


def source_lines(planned: dict[str, str]) -> list[str]:
    """``file:line`` of each line of ``planned`` that says where journeycode comes from."""
    return [
        f"{name}:{number}"
        for name, text in planned.items()
        for number, line in enumerate(text.splitlines(), 1)
        if line.endswith(SOURCE_MARK)
    ]
