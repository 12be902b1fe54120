"""A waiver for a rule that no longer fires on its entity.

``waive: {rule-id: reason}`` silences one rule for one entity, and the reason
is published. Once the map is fixed, the waiver is dead weight — and it would
hide the problem if it ever came back. Remove it.

Waivers of rules that are turned off in the settings are not reported.

Passing (the chatbot still has no way out, so the waiver is needed):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - id: bot
          name: Chatbot
          channel: chatbot
          waive: {escalation-path: Pilot with a closed user group; agents join in Q3}
```

Failing (the chatbot escalates now):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - id: bot
          name: Chatbot
          channel: chatbot
          escalates_to: [chat]
          waive: {escalation-path: Pilot with a closed user group; agents join in Q3}
        - {id: chat, name: Live chat, channel: webchat}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n, kinds
from journeycode.model import Workspace
from journeycode.problems import Level, Subject
from journeycode.rules.base import Finding, RuleContext, silence

ID = "stale-waiver"
LEVEL = Level.INFO
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    """Waivers of a rule that ran before this one and silenced nothing;
    entities unsettled for every rule are not judged here either."""
    for entity in kinds.waiving(workspace):
        if entity in context.unsettled:
            continue
        for rule in entity.waive:
            if rule in context.checked and silence(entity, rule) not in context.silenced:
                yield Finding(
                    entity.src.at("waive", rule),
                    i18n.msg(
                        "waiver for '{rule}' is not needed: the rule does not fire here", rule=rule
                    ),
                    i18n.msg("remove the waiver"),
                    (),
                    key=True,
                    subject=Subject("rule", rule),
                )
