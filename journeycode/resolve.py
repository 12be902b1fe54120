"""Builds the :class:`~journeycode.model.Workspace` from validated files.

The builder relies on the shapes the schema guarantees, and on the table of
:mod:`journeycode.kinds`. A file with schema errors is pruned first, at the
finest level: each entity (catalog entry, journey, stage, touchpoint, pain
point, opportunity) or part (one KPI measurement) that holds an error is left
out, and the rest of the file is still modelled and checked.

What was left out stays known, so nothing echoes it: the ids of pruned
entities (and of every entity inside them), so a reference to one is not
reported again; and every word the pruned parts and the files that could not
be read at all are written with, so "nothing refers to X" is not claimed when
a broken part may well refer to it.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeycode import kinds
from journeycode.loader import Pointer, SourceFile
from journeycode.model import Src, Workspace

# What could be an id in a file that cannot be parsed.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class _Modelled:
    """What one file adds to the workspace."""

    faults: tuple[Pointer, ...]
    modelled: bool
    lists: dict[str, list[Any]]
    shadow: dict[str, set[str]]
    words: set[str]
    pruned_words: dict[str, set[str]]


Models = MutableMapping[int, "tuple[SourceFile, _Modelled]"]
"""What each file (by its identity) added to a workspace before: a file taken
from the compiler's cache, the same object, is not modelled again. Kept out
of the file itself, so no cycle runs through it."""


def build(
    root: Path,
    files: Iterable[tuple[SourceFile, list[Pointer]]],
    unparsed: Iterable[bytes | None] = (),
    models: Models | None = None,
) -> Workspace:
    """The workspace of ``files``, each with the pointers of its schema errors.
    ``unparsed`` holds the bytes of each file that could not be loaded (None
    for one that could not even be read)."""
    lists: dict[str, list[Any]] = defaultdict(list)
    shadow: dict[str, set[str]] = defaultdict(set)
    unknown = False
    words: set[str] = set()
    pruned_words: dict[str, set[str]] = defaultdict(set)
    for raw in unparsed:
        if raw is None:
            unknown = True
        else:
            words.update(_WORD.findall(raw.decode("utf-8", "replace")))
    modelled = []
    seen: set[int] = set()
    for file, faults in files:
        seen.add(id(file))
        known = models.get(id(file)) if models is not None else None
        if known is not None and known[0] is file and known[1].faults == tuple(faults):
            found = known[1]
        else:
            found = _model(file, faults)
            if models is not None:
                models[id(file)] = (file, found)
        words.update(found.words)
        for kind, texts in found.pruned_words.items():
            pruned_words[kind].update(texts)
        for kind, ids in found.shadow.items():
            shadow[kind].update(ids)
        if found.modelled:
            modelled.append(file)
            for kind, entities in found.lists.items():
                lists[kind].extend(entities)
    if models is not None:  # files no longer read go
        for gone in [key for key in models if key not in seen]:
            del models[gone]
    return Workspace(
        root=root,
        files=tuple(modelled),
        definitions={kind.model: tuple(lists[kind.name]) for kind in kinds.HELD},
        shadow_ids={kind: frozenset(ids) for kind, ids in shadow.items()},
        shadow_words=frozenset(words),
        pruned_words={kind: frozenset(texts) for kind, texts in pruned_words.items()},
        unreadable=unknown,
    )


def _model(file: SourceFile, faults: list[Pointer]) -> _Modelled:
    lists: dict[str, list[Any]] = defaultdict(list)
    shadow: dict[str, set[str]] = defaultdict(set)
    pruned_words: dict[str, set[str]] = defaultdict(set)
    data, dropped = _prune(file.data, faults) if faults else (file.data, [])
    if data is None:
        return _Modelled(tuple(faults), False, {}, {}, set(_strings(file.data)), {})
    local: set[str] = set()
    for pointer, item in dropped:
        kind = kinds.kind_at(pointer)
        owner = kind or kinds.kind_at(kinds.owning_entity(pointer))
        pruned_words[owner.name if owner else ""].update(_strings(item))
        for inner, ident in kinds.nested_ids(kind, item) if kind else ():
            (shadow[inner.name] if inner.shared else local).add(ident)
    top = Src(file, ())
    for kind in kinds.CATALOG:
        for index, item in enumerate(data.get(kind.section, ())):
            if item is not None:
                src = top.at(str(kind.section), index)
                lists[kind.name].append(kinds.build(kind, item, src))
    if "journey" in data:
        journey = kinds.build(
            kinds.JOURNEY, data["journey"], top.at("journey"), dropped_ids=frozenset(local)
        )
        lists["journey"].append(journey)
    return _Modelled(tuple(faults), True, dict(lists), dict(shadow), set(), dict(pruned_words))


def _strings(node: Any) -> Iterable[str]:
    """Every text in a pruned subtree, keys included: whatever it may refer to."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (key for key in item if isinstance(key, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _prune(data: Any, faults: list[Pointer]) -> tuple[Any, list[tuple[Pointer, Any]]]:
    """A copy of ``data`` without the entities and parts that hold a fault,
    and each of them as it was written.

    List items become None rather than disappearing, so the indices (and thus
    the positions) of their siblings stay right. A fault outside any entity
    drops the top-level key it is under; a fault at the root drops the file.
    """
    if not isinstance(data, dict) or () in faults:
        return None, []
    targets = {kinds.prunable(fault) for fault in faults}
    pruned = copy.deepcopy(data)
    dropped = []
    # Deepest first: an entity inside another one is removed before its parent.
    for target in sorted(targets, key=len, reverse=True):
        parent: Any = pruned
        for part in target[:-1]:
            parent = parent[part] if parent is not None else None
        if parent is None:
            continue
        dropped.append((target, _data_at(data, target)))
        if isinstance(parent, list):
            parent[int(target[-1])] = None
        else:
            del parent[target[-1]]
    return pruned, dropped


def _data_at(data: Any, pointer: Pointer) -> Any:
    """The node at ``pointer`` as written (before any pruning)."""
    for part in pointer:
        data = data[part]
    return data
