"""SARIF 2.1.0, for code scanning: every rule's metadata, one result per problem."""

from __future__ import annotations

from typing import Any

from journeycode import __version__
from journeycode.problems import Level, Result
from journeycode.quoting import json_document
from journeycode.rules.docs import DOCS

_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def report(result: Result) -> str:
    rule_ids = list(DOCS)
    rules: list[dict[str, Any]] = [
        {
            "id": doc.id,
            "name": doc.id,
            "shortDescription": {"text": doc.summary},
            "fullDescription": {"text": doc.text},
            "help": {"text": doc.text, "markdown": doc.text},
            "defaultConfiguration": {"level": _LEVELS[doc.level]},
        }
        for doc in DOCS.values()
    ]
    results = [
        {
            "ruleId": p.rule,
            "ruleIndex": rule_ids.index(p.rule),
            "level": _LEVELS[p.level],
            "message": {"text": p.message + (f" ({p.hint})" if p.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": p.path},
                        "region": {"startLine": p.line, "startColumn": p.col},
                    }
                }
            ],
        }
        for p in result.problems
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
                        "informationUri": "https://journeycode.dev",
                        "rules": rules,
                    }
                },
                "artifacts": [{"location": {"uri": path}} for path in result.files],
                "results": results,
            }
        ],
    }
    return json_document(document)
