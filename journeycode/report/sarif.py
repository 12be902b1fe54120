"""SARIF 2.1.0, for code scanning: every rule's metadata, one result per problem.

Problem paths are as the user named the workspace (``maps/a.yaml``), so they are
relative to the folder the check ran in: each is a percent-encoded relative
URI against the ``%SRCROOT%`` base (an absolute path becomes a ``file:`` URI).
Columns count Unicode code points, which the run declares; SARIF's default is
UTF-16 code units.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any

from journeycode import __version__
from journeycode.i18n import _, say
from journeycode.problems import Level, Problem, Result
from journeycode.quoting import json_document, uri_reference
from journeycode.report.formats import PLAIN, Options
from journeycode.rules import REGISTRY
from journeycode.rules.docs import DOCS, Doc

_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://journeycode.dev"
# The project's own site carries the rules reference (the plugin's `journeys`
# section), one heading per rule: its anchor is the rule's id.
RULES_URI = f"{INFORMATION_URI}/journeys/rules/"
SRCROOT = "%SRCROOT%"
# The key of journeycode's own fingerprint; a new version if its recipe changes.
FINGERPRINT = "journeycode/v1"

_FENCE = re.compile(r"^```\w*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def report(result: Result, options: Options = PLAIN) -> str:
    """The SARIF log of ``result``. ``options.strict`` is whether warnings fail
    the check (``--strict``), for the invocation's exit code."""
    strict = options.strict
    rule_ids = list(DOCS)
    results = [
        {
            "ruleId": p.rule,
            "ruleIndex": rule_ids.index(p.rule),
            "level": _LEVELS[p.level],
            "message": {"text": _message(p)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact_location(p.path),
                        "region": {"startLine": p.line, "startColumn": p.col},
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT: fingerprint},
        }
        for p, fingerprint in zip(result.problems, _fingerprints(result.problems), strict=True)
    ]
    exit_code = result.exit_code(strict=strict)
    invocation: dict[str, Any] = {
        # The check ran to its end; problems in the maps are its findings, not its failure.
        "executionSuccessful": True,
        "exitCode": int(exit_code),
        "exitCodeDescription": _exit_description(bool(exit_code), strict=strict),
    }
    if result.hidden:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "note",
                "message": {
                    "text": _("{count} problem(s) below the report's --min-level left out").format(
                        count=result.hidden
                    )
                },
            }
        ]
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "journeycode",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(doc) for doc in DOCS.values()],
                    }
                },
                "automationDetails": {"id": "journeycode/check/"},
                "invocations": [invocation],
                "originalUriBaseIds": {
                    SRCROOT: {
                        "description": {
                            "text": "The folder journeycode check ran in: problem paths are "
                            "relative to it, as the workspace was named on the command line."
                        }
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [{"location": _artifact_location(path)} for path in result.files],
                "results": results,
            }
        ],
    }
    return json_document(document)


def _message(p: Problem) -> str:
    """The problem's message and hint, in the reader's language."""
    if p.hint:
        return _("{message} ({hint})").format(message=say(p.message), hint=say(p.hint))
    return say(p.message)


def _exit_description(fails: bool, *, strict: bool) -> str:
    if strict:
        return (
            _("the maps have problems that fail the check (warnings fail it too: --strict)")
            if fails
            else _("no problem fails the check (warnings fail it too: --strict)")
        )
    return (
        _("the maps have problems that fail the check")
        if fails
        else _("no problem fails the check")
    )


def _artifact_location(path: str) -> dict[str, str]:
    """A URI for a problem's path: relative to ``%SRCROOT%`` unless absolute."""
    uri = uri_reference(path)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": SRCROOT}


def _fingerprints(problems: tuple[Problem, ...]) -> list[str]:
    """Per problem, a digest of its rule, file and message, which say what it
    is about, and not its line or column: moving a block, or editing above it,
    keeps the fingerprint, so code scanning keeps the alert. Problems alike in
    all three are told apart by their order in the file (``:1``, ``:2`` …)."""
    seen: Counter[str] = Counter()
    found = []
    for p in problems:
        key = "\0".join((p.rule, _artifact_location(p.path)["uri"], p.message))
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        seen[digest] += 1
        found.append(f"{digest}:{seen[digest]}")
    return found


def _rule(doc: Doc) -> dict[str, Any]:
    help_uri = f"{RULES_URI}#{doc.id}"
    # Pipeline checks (load, schema, measurements) have no setting.
    other = Level.WARNING if doc.level == Level.ERROR else Level.ERROR
    setting = (
        "\n\n"
        + _("Change its level, or turn it off, in `journeycode.yaml`: {level} or {off}.").format(
            level=f"`rules: {{{doc.id}: {{level: {other}}}}}`", off=f"`rules: {{{doc.id}: off}}`"
        )
        if doc.id in REGISTRY
        else ""
    )
    heading = _("{rule} (default level: {level})").format(rule=f"**{doc.id}**", level=doc.level)
    link = _("[The rule in the rules reference]({uri})").format(uri=help_uri)
    markdown = f"{heading}\n\n{doc.said.strip()}{setting}\n\n{link}"
    return {
        "id": doc.id,
        "name": doc.id,
        "shortDescription": {"text": doc.said_summary},
        "fullDescription": {"text": _plain(doc.said)},
        "helpUri": help_uri,
        "help": {"text": _plain(doc.said), "markdown": markdown},
        "defaultConfiguration": {"level": _LEVELS[doc.level]},
    }


def _plain(markdown: str) -> str:
    """A rule doc as plain text: code spans lose their backticks, and the YAML
    examples their fences, indented instead, as plain text shows code."""
    lines = []
    in_code = False
    for line in markdown.strip().splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        elif in_code:
            lines.append(f"    {line}" if line else "")
        else:
            lines.append(_CODE_SPAN.sub(r"\2", line))
    return "\n".join(lines)
