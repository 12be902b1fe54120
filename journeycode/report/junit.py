"""JUnit XML: one test case per file; it fails when the file's problems fail the check.

Clean files are passing test cases, so CI dashboards show what was checked. A
test case fails for what fails the check (errors; warnings too under
``--strict``), with one ``<failure>`` that lists all of the file's failing
problems: dashboards count and show failed files, and the stricter JUnit
schema allows one failure per test case. Problems that do not fail the check
are in the suite's ``<system-out>``, so a check that exits 0 shows no red test.

The document is valid against Jenkins' ``junit-10.xsd`` and the stricter
``JUnit.xsd`` (Apache Ant's format), which asks for a suite's timestamp,
hostname and times: this reporter is pure and its output the same on every
run, so they are the epoch, ``localhost`` and ``0``, which readers take as
unknown.

It is written here, not by ElementTree, so that a line break in map text is a
character reference (:func:`~journeycode.quoting.xml_content`): no text starts
a line of the output, where GitHub Actions would run one that starts with
``::`` as a command.
"""

from __future__ import annotations

from collections import defaultdict

from journeycode.i18n import _, say
from journeycode.problems import Level, Problem, Result
from journeycode.quoting import xml_content
from journeycode.report.formats import PLAIN, Options
from journeycode.report.text import level


def report(result: Result, options: Options = PLAIN) -> str:
    """The JUnit XML of ``result``. ``options.strict`` is whether warnings fail
    the check (``--strict``), and so their files' test cases."""
    strict = options.strict
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in result.problems:
        by_file[problem.path].append(problem)
    paths = sorted(set(result.files) | set(by_file))
    failing = {path: [p for p in by_file[path] if _fails(p, strict=strict)] for path in paths}
    counts = result.counts()
    properties = {
        "errors": counts[Level.ERROR],
        "warnings": counts[Level.WARNING],
        "info": counts[Level.INFO],
        "hidden": result.hidden,
        "strict": str(strict).lower(),
    }
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<testsuites>",
        "  "
        + _start(
            "testsuite",
            {
                "name": "journeycode check",
                "package": "journeycode",
                "id": 0,
                "tests": len(paths),
                "failures": sum(1 for path in paths if failing[path]),
                "errors": 0,
                "skipped": 0,
                "time": 0,
                "timestamp": "1970-01-01T00:00:00",
                "hostname": "localhost",
            },
        ),
        "    <properties>",
        *(
            "      " + _element("property", {"name": name, "value": value})
            for name, value in properties.items()
        ),
        "    </properties>",
    ]
    for path in paths:
        case: dict[str, object] = {"classname": "journeycode", "name": path, "time": 0}
        if not failing[path]:
            lines.append("    " + _element("testcase", case))
            continue
        lines += [
            "    " + _start("testcase", case),
            "      " + _failure(failing[path]),
            "    </testcase>",
        ]
    others = [p for p in result.problems if not _fails(p, strict=strict)]
    lines += [
        "    " + _element("system-out", {}, "\n".join(map(_line, others))),
        "    <system-err/>",
        "  </testsuite>",
        "</testsuites>",
    ]
    return "\n".join(lines) + "\n"


def _fails(problem: Problem, *, strict: bool) -> bool:
    return problem.level == Level.ERROR or (strict and problem.level == Level.WARNING)


def _failure(problems: list[Problem]) -> str:
    """One failure for all the failing problems of a file: the message names
    each, the text gives each as the text report does, hint included."""
    attributes: dict[str, object] = {
        "type": "error" if any(p.level == Level.ERROR for p in problems) else "warning",
        "message": "; ".join(f"{level(p.level)}: {say(p.message)} [{p.rule}]" for p in problems),
    }
    return _element("failure", attributes, "\n".join(map(_line, problems)))


def _line(problem: Problem) -> str:
    line = f"{problem.location}: {level(problem.level)}: {say(problem.message)} [{problem.rule}]"
    if problem.hint:
        line += "\n    " + _("hint: {hint}").format(hint=say(problem.hint))
    return line


def _start(tag: str, attributes: dict[str, object]) -> str:
    return f"<{tag}{_attributes(attributes)}>"


def _element(tag: str, attributes: dict[str, object], text: str = "") -> str:
    """An element on one line: its text, if any, and its attributes escaped."""
    if not text:
        return f"<{tag}{_attributes(attributes)}/>"
    return f"<{tag}{_attributes(attributes)}>{xml_content(text)}</{tag}>"


def _attributes(attributes: dict[str, object]) -> str:
    return "".join(f' {name}="{xml_content(str(value))}"' for name, value in attributes.items())
