"""A stable JSON document for tools.

```json
{
  "version": 1,
  "files": ["maps/catalog.yaml"],
  "summary": {"error": 0, "warning": 0, "info": 0},
  "problems": [
    {"path": "maps/a.yaml", "line": 3, "col": 5, "level": "error",
     "rule": "schema", "message": "...", "hint": null}
  ]
}
```

``version`` changes only when a field changes meaning or disappears; new fields
may be added at any time. ``message`` and ``hint`` are for readers, in the
check's language; the keys, levels and rule ids are the same in every language.
"""

from __future__ import annotations

from typing import Any

from journeycode.i18n import say
from journeycode.problems import Level, Problem, Result
from journeycode.quoting import json_document
from journeycode.report.formats import PLAIN, Options

VERSION = 1


def problem_dict(p: Problem) -> dict[str, Any]:
    return {
        "path": p.path,
        "line": p.line,
        "col": p.col,
        "level": p.level.value,
        "rule": p.rule,
        "message": say(p.message),
        "hint": None if p.hint is None else say(p.hint),
    }


def report(result: Result, options: Options = PLAIN) -> str:
    counts = result.counts()
    document = {
        "version": VERSION,
        "files": list(result.files),
        "summary": {level.value: counts[level] for level in Level},
        "problems": [problem_dict(p) for p in result.problems],
    }
    return json_document(document)
