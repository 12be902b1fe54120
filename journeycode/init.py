"""``journeycode init``: everything a team's repository needs, as files.

:func:`files` is pure: it returns path → text for the starter maps (in
``journeycode/starter``: a small contact centre and one journey that uses every
feature, with no problem at all), the settings with every rule's default
written out, the MkDocs site, the pre-commit hook, the CI workflow and the
editor settings. The CLI decides what may be written.

The hook and the workflow install journeycode from where this one came from
(PEP 610's ``direct_url.json``): a git repository at a commit, a local folder
or wheel, or else the index by version.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import posixpath
from dataclasses import dataclass
from importlib import resources

from journeycode import __version__, schema
from journeycode.discover import MAPS
from journeycode.rules import REGISTRY
from journeycode.rules.docs import DOCS

SCHEMA_FILE = ".vscode/journeycode.schema.json"
GITIGNORE = "# The site that mkdocs build makes: CI builds it from the maps.\nsite/\n"
APPENDED = frozenset({".gitignore"})
"""Files a repository often has already: init adds the lines they lack."""
WORKFLOW = ".github/workflows/journeys.yml"


@dataclass(frozen=True)
class Source:
    """Where journeycode can be installed from, as this copy was."""

    requirement: str
    """For pip: ``journeycode @ git+https://…@sha``, ``journeycode @ file:///…``
    or ``journeycode==1.0``."""
    repo: str | None = None
    """A git repository with this project's hooks, and its commit."""
    rev: str | None = None

    @property
    def portable(self) -> bool:
        """False when only this machine can install it (a local file or folder)."""
        return "file://" not in self.requirement


def source(distribution: str = "journeycode") -> Source:
    try:
        direct = importlib.metadata.distribution(distribution).read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        direct = None
    if not direct:
        return Source(f"journeycode=={__version__}")
    info = json.loads(direct)
    url = str(info["url"])
    vcs = info.get("vcs_info")
    if vcs and vcs.get("vcs") == "git":
        commit = str(vcs.get("commit_id", ""))
        return Source(f"journeycode @ git+{url}@{commit}", url, commit)
    return Source(f"journeycode @ {url}")


def files(
    today: datetime.date, origin: Source, *, minimal: bool = False, modeline: bool = False
) -> dict[str, str]:
    """Relative path → text of every file ``init`` writes. With ``modeline``
    each map starts with a comment that points editors at the schema, by a
    path relative to the map's own folder."""
    out = _starter(today)
    if modeline:
        for name in out:
            relative = posixpath.relpath(SCHEMA_FILE, posixpath.dirname(name))
            out[name] = f"# yaml-language-server: $schema={relative}\n{out[name]}"
        out[SCHEMA_FILE] = schema.schema_text()
    out[f"{MAPS}/journeycode.yaml"] = settings()
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


def settings() -> str:
    """``journeycode.yaml`` with every rule at its default level and options."""
    lines = [
        "# journeycode settings. Every rule is listed at its default level, with its",
        "# options: change a level (error, warning or info) or turn a rule off (off).",
        "# To excuse one entity, add `waive: {RULE: reason}` to it instead.",
        "# `journeycode rules RULE` explains a rule.",
        "rules:",
    ]
    for rule in REGISTRY.values():
        options = "".join(f", {key}: {json.dumps(value)}" for key, value in rule.OPTIONS.items())
        shown = f"level: {rule.LEVEL}{options}"
        lines.append(f"  # {DOCS[rule.ID].summary}")
        lines.append(f"  {rule.ID}: {{{shown}}}")
    lines += [
        "",
        "# journeycode coverage fails under this share (percent):",
        "# coverage:",
        "#   fail_under: 80",
        "",
        "# journeycode diff levels, where they differ from the defaults",
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


def pre_commit(origin: Source) -> str:
    hook = "journeycode-check"
    if origin.repo is not None:
        return (
            "# journeycode checks the whole workspace when a map changes.\n"
            "repos:\n"
            f"  - repo: {origin.repo}\n"
            f"    rev: {origin.rev}\n"
            "    hooks:\n"
            f"      - id: {hook}\n"
            f"        args: [{MAPS}]\n"
        )
    note = (
        ""
        if origin.portable
        else "# journeycode was installed from a local file: other machines need another source.\n"
    )
    return (
        "# journeycode checks the whole workspace when a map changes.\n" + note + "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        f"      - id: {hook}\n"
        "        name: journeycode check\n"
        f"        entry: journeycode check --min-level warning {MAPS}\n"
        "        language: python\n"
        f"        additional_dependencies: [{json.dumps(origin.requirement)}]\n"
        "        files: \\.ya?ml$\n"
        "        pass_filenames: false\n"
    )


def workflow(origin: Source) -> str:
    note = (
        ""
        if origin.portable
        else "      # journeycode was installed from a local file: give CI a source it can reach.\n"
    )
    pull = "github.event_name == 'pull_request'"
    # Values from the event reach the scripts through env, never spliced into them.
    return (
        "name: journeys\n"
        "on:\n"
        "  pull_request:\n"
        "  push:\n"
        "    branches: [main]\n"
        "permissions:\n"
        "  contents: read\n"
        "  pull-requests: write  # the review comment\n"
        "jobs:\n"
        "  journeys:\n"
        "    runs-on: ubuntu-latest\n"
        "    env:\n"
        "      BASE: origin/${{ github.base_ref }}\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with: {fetch-depth: 0}  # the base branch too, for --new-since and diff\n"
        "      - uses: actions/setup-python@v5\n"
        '        with: {python-version: "3.12"}\n'
        + note
        + f"      - run: pip install {json.dumps(origin.requirement)}\n"
        "      # Only the problems a pull request brings, as annotations on its lines.\n"
        f"      - if: {pull}\n"
        f'        run: journeycode check {MAPS} --format github --new-since "$BASE"\n'
        f"      - if: github.event_name != 'pull_request'\n"
        f"        run: journeycode check {MAPS} --format github\n"
        "      # What changed, by meaning: on the run's summary and as one comment.\n"
        f"      - if: {pull}\n"
        "        id: review\n"
        "        run: |\n"
        "          status=0\n"
        '          journeycode diff "$BASE" --format markdown -o review.md \\\n'
        "            --diagrams change-diagrams --diagram-format png || status=$?\n"
        '          cat review.md >> "$GITHUB_STEP_SUMMARY"\n'
        '          echo "status=$status" >> "$GITHUB_OUTPUT"\n'
        f"      - if: {pull}\n"
        "        env:\n"
        "          GH_TOKEN: ${{ github.token }}\n"
        "          PULL_REQUEST: ${{ github.event.pull_request.number }}\n"
        "        run: >-\n"
        '          gh pr comment "$PULL_REQUEST" --body-file review.md\n'
        "          --edit-last --create-if-none\n"
        f"      - if: {pull}\n"
        "        uses: actions/upload-artifact@v4\n"
        "        with: {name: change-diagrams, path: change-diagrams, if-no-files-found: ignore}\n"
        "      - run: mkdocs build --strict\n"
        "      - uses: actions/upload-artifact@v4\n"
        "        with: {name: journey-site, path: site}\n"
        "      # A breaking change fails the job, once the comment and the site are done.\n"
        "      - if: steps.review.outputs.status != '' && steps.review.outputs.status != '0'\n"
        "        run: |\n"
        '          echo "journeycode diff: a breaking change, or the review could not run"\n'
        "          exit 1\n"
    )
