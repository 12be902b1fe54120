"""JUnit XML: one test case per file, one failure per problem in it.

Clean files are passing test cases, so CI dashboards show what was checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from journeycode.problems import Problem, Result


def report(result: Result) -> str:
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in result.problems:
        by_file[problem.path].append(problem)
    paths = sorted(set(result.files) | set(by_file))
    failures = sum(1 for path in paths if by_file[path])
    suites = ET.Element(
        "testsuites", name="journeycode", tests=str(len(paths)), failures=str(failures)
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="journeycode check",
        tests=str(len(paths)),
        failures=str(failures),
        errors="0",
    )
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname="journeycode", name=path)
        for p in by_file[path]:
            failure = ET.SubElement(case, "failure", message=p.message, type=f"{p.level}:{p.rule}")
            failure.text = f"{p.location}: {p.level}: {p.message} [{p.rule}]" + (
                f"\nhint: {p.hint}" if p.hint else ""
            )
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
