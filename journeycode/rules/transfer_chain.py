"""A chain of escalations longer than ``max_transfers``.

Customers who are transferred again and again give up. Following
``escalates_to`` from a touchpoint, the longest chain of hand-overs must not
exceed ``max_transfers``. An escalation loop (a → b → a) is reported too: it
can send a customer round forever.

Options:

- ``max_transfers`` (default 2)

Passing:

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: bot, name: Chatbot, channel: chatbot, escalates_to: [chat]}
        - {id: chat, name: Live chat, channel: webchat, escalates_to: [call]}
        - {id: call, name: Agent call, channel: agent-voice}
```

Failing (three hand-overs):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: bot, name: Chatbot, channel: chatbot, escalates_to: [chat]}
        - {id: chat, name: Live chat, channel: webchat, escalates_to: [call]}
        - {id: call, name: Agent call, channel: agent-voice, escalates_to: [specialist]}
        - {id: specialist, name: Specialist, channel: agent-voice}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding, RuleContext

ID = "transfer-chain"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"channel"})
OPTIONS: Mapping[str, Any] = {"max_transfers": 2}
_SHOWN = 6  # steps of a chain named in a finding


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    limit = int(context.options["max_transfers"])
    by_id = journey.touchpoint_by_id
    length, step, loops = _longest_chains(journey)
    targets = {t for tp in by_id.values() for t in tp.escalates_to}
    for tp_id, tp in by_id.items():
        if length[tp_id] > limit and tp_id not in targets:
            # Its first steps only: a long chain with many ways in would
            # otherwise be written out in full once per way in.
            chain = [tp_id]
            while chain[-1] in step and len(chain) <= _SHOWN:
                chain.append(step[chain[-1]])
            rest = length[tp_id] + 1 - len(chain)
            shown: str = " → ".join(chain)
            if rest:
                shown = i18n.msg("{chain} → … ({rest} more)", chain=shown, rest=rest)
            yield Finding(
                tp.src.at("escalates_to"),
                i18n.msgs(
                    "customers can be handed over {count} time from '{id}': {chain} "
                    "(at most {limit})",
                    "customers can be handed over {count} times from '{id}': {chain} "
                    "(at most {limit})",
                    length[tp_id],
                    id=tp_id,
                    chain=shown,
                    limit=limit,
                ),
                i18n.msg(
                    "resolve earlier in the chain, or route straight to the team that can help"
                ),
                (tp,),
            )
    for source, target in loops:
        yield Finding(
            by_id[source].src.at("escalates_to"),
            i18n.msg(
                "escalation loop: '{source}' escalates to '{target}', which leads back to it",
                source=source,
                target=target,
            ),
            i18n.msg("remove one of the escalations"),
            (by_id[source],),
        )


def _longest_chains(
    journey: Journey,
) -> tuple[dict[str, int], dict[str, str], list[tuple[str, str]]]:
    """For each touchpoint, the length of the longest escalation chain from it and
    its first step; and the escalations that close a loop. Iterative depth-first
    search, so a journey of any size cannot exhaust the stack."""
    by_id = journey.touchpoint_by_id
    length: dict[str, int] = {}
    step: dict[str, str] = {}
    loops: list[tuple[str, str]] = []
    on_stack: set[str] = set()
    for root in by_id:
        if root in length:
            continue
        stack = [(root, iter(by_id[root].escalates_to))]
        on_stack.add(root)
        while stack:
            node, pending = stack[-1]
            for target in pending:
                if target not in by_id or target in length:
                    continue
                if target in on_stack:
                    loops.append((node, target))
                    continue
                on_stack.add(target)
                stack.append((target, iter(by_id[target].escalates_to)))
                break
            else:
                stack.pop()
                on_stack.discard(node)
                length[node] = 0
                for target in by_id[node].escalates_to:
                    if target in length and length[target] + 1 > length[node]:
                        length[node] = length[target] + 1
                        step[node] = target
    return length, step, loops
