"""What a flow's paths do: where they end, which menus they pass, which
loops they cannot leave. Each flow is walked once (breadth first, so every
path reported is a shortest one) and its summary kept, so a flow that many
others run is not walked again: the cost grows with the steps and edges of
the workspace's flows, not with the number of paths through them.

A sub-flow step is followed into the flow it names, when the workspace holds
it (:meth:`Flows.resolve`): what happens there happens on the way through the
step. A flow module that comes back goes on along the step's edges; a flow
that is not in the workspace is *unknown*: its branch is neither a way out
nor a dead end.
"""

from __future__ import annotations

import functools
import heapq
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

from journeycode.config import Queue
from journeycode.flows.model import KINDS, LABELS, WAYS_OUT, Edge, Flow, Step, StepKind
from journeycode.i18n import N_, Msg, msg
from journeycode.model import Src

Hop = tuple[Flow, Step, Edge | None]
"""A step on a path, and the edge the path leaves it by (None: the last)."""
Path = tuple[Hop, ...]
Entry = tuple[str, str | None]
"""A flow's id and the step a walk of it starts at (None: it has no start)."""


@dataclass(frozen=True)
class DeadEnd:
    """A step where a path of a flow ends with no person reached and nothing
    the map declares resolved, and how to make the path from the flow's
    start to it (made only when it is shown)."""

    flow: Flow
    step: Step
    make: Callable[[], Path]

    @property
    def end(self) -> tuple[Flow, Step]:
        return self.flow, self.step

    @property
    def path(self) -> Path:
        return self.make()


@dataclass
class Summary:
    """What the paths from a flow's start reach in the flow itself; what they
    reach in the flows it runs is in those flows' summaries (``runs``), read
    through :meth:`Flows.dead_ends` and :meth:`Flows.reached`, so that a
    chain of flows costs each flow once."""

    dead_ends: list[DeadEnd] = field(default_factory=list)
    returns: bool = False
    """Some path reaches the end of the flow that comes back to its caller."""
    ways_out: list[tuple[Flow, Step]] = field(default_factory=list)
    """The transfers and callbacks reached."""
    queues: list[tuple[Flow, Step]] = field(default_factory=list)
    """The steps reached that name a queue (a transfer, a set-queue step)."""
    unknown: list[tuple[Flow, Step]] = field(default_factory=list)
    """The sub-flow steps reached whose flow is not in the workspace."""
    runs: list[tuple[Step, Flow, Callable[[], Path]]] = field(default_factory=list)
    """The sub-flow steps reached whose flow is in the workspace, that flow,
    and how to make the path to the step."""
    reached: set[Step] = field(default_factory=set)
    """The steps of this flow reached from its start."""
    before: dict[Step, tuple[Step, Edge] | None] = field(default_factory=dict)
    """The step and edge each step reached is first reached by (None: the
    first step): the shortest path to each."""


@dataclass
class _Menus:
    """One walk of a flow from a step, counting menus: the fewest to each
    step reached (that step included, when it is a menu), the step and edge
    each is reached by, and the sub-flow steps reached whose flow the
    workspace holds, with that flow. A module that comes back adds nothing
    to what follows it: its menus count in it alone."""

    flow: Flow
    best: dict[Step, int] = field(default_factory=dict)
    before: dict[Step, tuple[Step, Edge] | None] = field(default_factory=dict)
    calls: list[tuple[Step, Flow]] = field(default_factory=list)


class Flows:
    """The workspace's flows, with what names each (``aliases``: a name, an
    ARN, a Terraform reference, mapped to a flow id in the settings), the
    steps the touchpoints declare resolved (by flow id), and where queues lead."""

    def __init__(
        self,
        flows: Mapping[str, Flow],
        aliases: Mapping[str, str] | None = None,
        resolved: Mapping[str, Collection[str]] | None = None,
        queues: Mapping[str, Queue] | None = None,
        unknown_types: Mapping[str, Src] | None = None,
        own_queues: Mapping[str, Mapping[str, Queue]] | None = None,
        unread: Collection[str] = (),
    ):
        self.flows = flows
        self.unread = frozenset(unread)
        """The ids of the flow files that could not be read (each says why)."""
        self.resolved = resolved or {}
        self.queues = queues or {}
        """Where each queue leads in the maps (the settings' ``flows: {queues: …}``)."""
        self.own_queues = own_queues or {}
        """Where the queues of one flow lead, by flow id, over :attr:`queues`
        (the settings' ``flows: {files: {FLOW: {queues: …}}}``)."""
        self.unknown_types = unknown_types or {}
        """Each step type no reader knows (``platform:type``), where it is first seen."""
        names: dict[str, Flow] = {}
        for flow in flows.values():
            for name in (flow.name, *flow.aliases):
                names.setdefault(name, flow)
        for written, ident in (aliases or {}).items():
            if ident in flows:
                names[written] = flows[ident]
        self.names = names
        self._summaries: dict[Entry, Summary] = {}
        self._menu_walks: dict[Entry, _Menus] = {}
        self._walking: set[Entry] = set()

    @property
    def mapped(self) -> bool:
        """Whether the settings map any queue, of every flow or of one."""
        return bool(self.queues) or any(self.own_queues.values())

    def lead(self, flow: Flow, queue: str) -> Queue | None:
        """Where a queue a step of ``flow`` names leads, when the settings say."""
        own = self.own_queues.get(flow.id, {})
        return own[queue] if queue in own else self.queues.get(queue)

    @functools.cached_property
    def runs(self) -> Mapping[str, frozenset[str]]:
        """The ids of the other flows each flow runs (its sub-flow steps name them), by id."""
        return {
            flow.id: frozenset(
                target.id
                for step in flow.steps.values()
                if step.kind == "subflow"
                and (target := self.resolve(flow, step)) is not None
                and target is not flow
            )
            for flow in self.flows.values()
        }

    @functools.cached_property
    def called(self) -> frozenset[str]:
        """The ids of the flows another flow runs."""
        return frozenset(ident for run in self.runs.values() for ident in run)

    def resolve(self, flow: Flow, step: Step) -> Flow | None:
        """The flow a sub-flow step runs, or None when the workspace lacks it."""
        written = step.target
        if written is None:
            return None
        value = flow.attributes.get(written, written)
        # An ARN or a path ends in the flow's id or name: .../contact-flow/ID
        for name in (written, value, value.rstrip("/").rsplit("/", 1)[-1]):
            found = self.names.get(name) or self.flows.get(name)
            if found is not None:
                return found
        return None

    def summary(self, flow: Flow, entry: str | None = None) -> Summary:
        """What the paths from ``entry`` (a step of the flow; None: its start) reach."""
        key = _key(flow, entry)
        found = self._summaries.get(key)
        if found is None:
            self._walking.add(key)
            found = self._summaries[key] = self._walk(flow, key[1])
            self._walking.discard(key)
        return found

    def _walk(self, flow: Flow, entry: str | None) -> Summary:
        out = Summary()
        if entry is None:
            return out
        resolved = self.resolved.get(flow.id, ())
        steps = flow.steps
        before = out.before
        before[steps[entry]] = None
        todo = deque([steps[entry]])
        ended: set[Step] = set()

        def path_to(step: Step, edge: Edge | None = None) -> tuple[Hop, ...]:
            return _back(flow, before, step, edge)

        def dead(step: Step, edge: Edge | None = None) -> None:
            if step not in ended:
                ended.add(step)
                out.dead_ends.append(DeadEnd(flow, step, functools.partial(path_to, step, edge)))

        while todo:
            step = todo.popleft()
            out.reached.add(step)
            if step.id in resolved:
                continue
            follow = list(step.edges)
            if step.queue is not None:
                out.queues.append((flow, step))
            if step.kind in WAYS_OUT:
                out.ways_out.append((flow, step))
                # Past a transfer the contact is the person's: only its
                # failures (a queue at capacity) go on in the flow.
                follow = [e for e in step.edges if e.label not in ("next", "condition")]
            elif step.kind == "return":
                out.returns = True
                continue
            elif step.kind == "disconnect":
                dead(step)
                continue
            elif step.kind == "subflow":
                follow = self._through(flow, step, functools.partial(path_to, step), out)
            elif not step.edges:
                if flow.runs_beside:
                    out.returns = True
                else:
                    dead(step)
                continue
            for edge in follow:
                if edge.target is None:
                    # A transfer's or a sub-flow's own end is the person's or
                    # the sub-flow's; only a failure there ends with nobody.
                    if step.kind not in (*WAYS_OUT, "subflow") or edge.label == "error":
                        dead(step, edge)
                    continue
                following = steps[edge.target]
                if following not in before:
                    before[following] = (step, edge)
                    todo.append(following)
        return out

    def _through(
        self, flow: Flow, step: Step, path: Callable[[], Path], out: Summary
    ) -> list[Edge]:
        """Notes what a sub-flow step runs; the edges that go on after it."""
        target = self.resolve(flow, step)
        if target is None:
            out.unknown.append((flow, step))
            return list(step.edges)
        if _key(target, None) in self._walking:  # a flow that runs itself, by way of others
            return list(step.edges)
        inner = self.summary(target)
        out.runs.append((step, target, path))
        if step.returns and not inner.returns:
            return [e for e in step.edges if e.label == "error"]
        return list(step.edges)

    def reached(self, flow: Flow, entry: str | None = None) -> list[Summary]:
        """The summaries of the flow from ``entry`` and of every flow it runs,
        directly or not (each from its start)."""
        seen = {_key(flow, entry)}
        found = [self.summary(flow, entry)]
        for summary in found:  # grows as it is read: breadth first
            for _step, target, _path in summary.runs:
                if _key(target, None) not in seen:
                    seen.add(_key(target, None))
                    found.append(self.summary(target))
        return found

    def dead_ends(self, flow: Flow, entry: str | None = None) -> Iterator[DeadEnd]:
        """Every dead end a contact that enters ``flow`` at ``entry`` (None: its
        start) can reach, in the flows it runs too, each once, with the path
        that reaches it first."""
        seen = {_key(flow, entry)}
        todo: deque[tuple[Flow, str | None, Callable[[], Path]]] = deque([(flow, entry, tuple)])
        while todo:
            here, at, before = todo.popleft()
            summary = self.summary(here, at)
            for end in summary.dead_ends:
                yield DeadEnd(end.flow, end.step, _joined(before, end.make))
            for step, target, path in summary.runs:
                if _key(target, None) not in seen:
                    seen.add(_key(target, None))
                    todo.append((target, None, _joined(before, _entered(here, step, path))))

    def loops(self, flow: Flow, entry: str | None = None) -> Iterator[tuple[Step, ...]]:
        """Each cycle reached from ``entry`` (None: the start) from which no
        way out (a person, a resolved step, the end of a module, a sub-flow)
        can be reached: the customer goes round it for ever, or until the
        platform hangs up."""
        summary = self.summary(flow, entry)
        reached = summary.reached
        resolved = self.resolved.get(flow.id, ())
        into: dict[Step, list[Step]] = {}
        for step in reached:
            for edge in step.edges:
                if edge.target is not None:
                    into.setdefault(flow.steps[edge.target], []).append(step)
        good = [
            s for s in reached if s.kind in (*WAYS_OUT, "return", "subflow") or s.id in resolved
        ]
        escapes = set(good)
        todo = list(good)
        while todo:
            for before in into.get(todo.pop(), ()):
                if before not in escapes:
                    escapes.add(before)
                    todo.append(before)
        trapped = {s for s in reached if s not in escapes}
        for component in _components(flow, trapped):
            yield _cycle(flow, component)

    def menu_depths(
        self, flow: Flow, entry: str | None = None
    ) -> Iterator[tuple[Flow, Step, int, Callable[[], Path]]]:
        """Each menu a caller who enters ``flow`` at ``entry`` (None: its
        start) reaches, in the flows it runs too, the fewest menus they pass
        to reach it (that one included: the menus of the flows on the way
        count), and how to make the path that does it (made only when asked:
        a flow of menus in a row has a long path to each).

        Each flow is walked once from each step it is entered at (kept, for
        every entry of the workspace); the flows are then put together
        cheapest first (Dijkstra's, menus the cost), so that flows that run
        each other end."""
        root = _key(flow, entry)
        walks = {root: self._menus(flow, root[1])}
        offset = {root: 0}
        came: dict[Entry, tuple[Entry, Step]] = {}
        """How each flow's walk is entered: the walk and sub-flow step before it."""
        order = [root]
        todo = [(0, 0, root)]
        done: set[Entry] = set()
        while todo:
            at, _, key = heapq.heappop(todo)
            if key in done:
                continue
            done.add(key)
            for step, target in walks[key].calls:
                into = _key(target, None)
                cost = at + walks[key].best[step]
                if into not in done and cost < offset.get(into, cost + 1):
                    if into not in walks:
                        walks[into] = self._menus(target, into[1])
                        order.append(into)
                    offset[into], came[into] = cost, (key, step)
                    heapq.heappush(todo, (cost, len(order), into))

        def path(key: Entry, step: Step) -> Path:
            parts = [_back(walks[key].flow, walks[key].before, step, None)]
            while key in came:  # a chain of flows as long as the workspace: no recursion
                key, through = came[key]
                parts.append(_back(walks[key].flow, walks[key].before, through, None))
            return tuple(hop for part in reversed(parts) for hop in part)

        for key in order:
            walk = walks[key]
            for step, depth in walk.best.items():
                if step.kind == "menu":
                    yield walk.flow, step, offset[key] + depth, functools.partial(path, key, step)

    def _menus(self, flow: Flow, first: str | None) -> _Menus:
        """The fewest menus to each step of ``flow`` from step ``first``,
        within the flow (kept: a flow many others run is walked once)."""
        key = (flow.id, first)
        found = self._menu_walks.get(key)
        if found is not None:
            return found
        found = self._menu_walks[key] = _Menus(flow)
        if first is None:
            return found
        start = flow.steps[first]
        # Breadth first with menus as the only cost (0-1): a deque, menus at the back.
        best = found.best
        best[start] = 1 if start.kind == "menu" else 0
        found.before[start] = None
        todo = deque([start])
        while todo:
            step = todo.popleft()
            for edge in step.edges:
                if edge.target is None:
                    continue
                following = flow.steps[edge.target]
                cost = best[step] + (following.kind == "menu")
                if cost < best.get(following, cost + 1):
                    best[following] = cost
                    found.before[following] = (step, edge)
                    if following.kind == "menu":
                        todo.append(following)
                    else:
                        todo.appendleft(following)
        for step in best:
            if step.kind == "subflow":
                target = self.resolve(flow, step)
                if target is not None:
                    found.calls.append((step, target))
        return found

    def silent_closures(self, flow: Flow) -> Iterator[tuple[Step, tuple[Hop, ...]]]:
        """Each hours check whose closed branch reaches a disconnect (or the
        end of the flow) with nothing said, no callback and nobody reached."""
        for step in flow.steps.values():
            if step.kind != "check-hours":
                continue
            for edge in step.edges:
                if not closed(edge) or edge.target is None:
                    continue
                found = _silent(flow, flow.steps[edge.target])
                if found is not None:
                    yield step, ((flow, step, edge), *found)


def _key(flow: Flow, entry: str | None) -> Entry:
    """Where a walk of ``flow`` from ``entry`` starts: a step the flow lacks
    (a touchpoint's misspelt ``#STEP``, which unknown-reference reports) is its start."""
    return flow.id, entry if entry is not None and entry in flow.steps else flow.start


def _back(
    flow: Flow, before: Mapping[Step, tuple[Step, Edge] | None], step: Step, edge: Edge | None
) -> Path:
    """The path to ``step`` (leaving it by ``edge``) along ``before``, each
    step's step and edge before it."""
    hops: list[Hop] = [(flow, step, edge)]
    at = before[step]
    while at is not None:
        hops.append((flow, at[0], at[1]))
        at = before[at[0]]
    return tuple(reversed(hops))


def _joined(before: Callable[[], Path], after: Callable[[], Path]) -> Callable[[], Path]:
    return lambda: (*before(), *after())


def _entered(flow: Flow, step: Step, path: Callable[[], Path]) -> Callable[[], Path]:
    """The path to a sub-flow step, ending at the step (the sub-flow follows)."""
    return lambda: (*path()[:-1], (flow, step, None))


def closed(edge: Edge) -> bool:
    """Whether an hours check's edge is its closed branch."""
    return edge.label == "condition" and edge.text.strip().lower() == "false"


def _silent(flow: Flow, first: Step) -> tuple[Hop, ...] | None:
    """The shortest path from ``first`` to a disconnect that says nothing on
    the way, if there is one."""
    before: dict[Step, tuple[Step, Edge] | None] = {first: None}
    todo = deque([first])
    while todo:
        step = todo.popleft()
        if step.kind in (*WAYS_OUT, "prompt", "menu", "input", "bot", "subflow", "return"):
            continue
        if step.kind == "disconnect" or not step.edges:
            return _back(flow, before, step, None)
        for edge in step.edges:
            if edge.target is not None and flow.steps[edge.target] not in before:
                before[flow.steps[edge.target]] = (step, edge)
                todo.append(flow.steps[edge.target])
    return None


def _components(flow: Flow, steps: set[Step]) -> Iterator[list[Step]]:
    """The strongly connected parts of ``steps`` that hold a cycle, in flow
    order (Tarjan's, without recursion)."""
    order = {step: n for n, step in enumerate(flow.steps.values())}
    index: dict[Step, int] = {}
    low: dict[Step, int] = {}
    stack: list[Step] = []
    on: set[Step] = set()
    found: list[list[Step]] = []
    for root in sorted(steps, key=order.__getitem__):
        if root in index:
            continue
        work = [(root, iter(_within(flow, root, steps)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(_within(flow, child, steps))))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    top = stack.pop()
                    on.discard(top)
                    part.append(top)
                    if top is node:
                        break
                if len(part) > 1 or node in _within(flow, node, steps):
                    found.append(sorted(part, key=order.__getitem__))
    yield from sorted(found, key=lambda part: order[part[0]])


def _within(flow: Flow, step: Step, steps: set[Step]) -> list[Step]:
    return [
        flow.steps[e.target]
        for e in step.edges
        if e.target is not None and flow.steps[e.target] in steps
    ]


def _cycle(flow: Flow, part: list[Step]) -> tuple[Step, ...]:
    """One cycle through the first step of a strongly connected part."""
    first = part[0]
    members = set(part)
    before: dict[Step, Step | None] = {first: None}
    todo = deque([first])
    while todo:
        step = todo.popleft()
        for following in _within(flow, step, members):
            if following is first:
                cycle = [step]
                at = before[step]
                while at is not None:
                    cycle.append(at)
                    at = before[at]
                return tuple(reversed(cycle))
            if following not in before:
                before[following] = step
                todo.append(following)
    return (first,)


def step_words(flow: Flow, step: Step) -> Msg:
    """A step as a path names it: its kind and its id."""
    return _step_words(step.kind, step.label)


@functools.lru_cache(maxsize=4096)
def _step_words(kind: StepKind, label: str) -> Msg:
    # Paths through the same flows name the same steps: each message made once
    # (in English, with what says it again in the reader's language).
    return msg("{kind} '{step}'", kind=msg(KINDS[kind]), step=label)


_OPEN = N_("open")
_CLOSED = N_("closed")


def edge_words(step: Step, edge: Edge) -> Msg | str | None:
    """An edge as a path names it; None for a plain ``next``."""
    if edge.label == "next":
        return None
    if edge.label == "condition":
        if step.kind == "check-hours" and edge.text.strip().lower() in ("true", "false"):
            return msg("[{branch}]", branch=msg(_CLOSED if closed(edge) else _OPEN))
        return f"[{edge.text}]"
    return msg("[{branch}]", branch=msg(LABELS[edge.label]))


def path_words(path: tuple[Hop, ...]) -> Msg:
    """A path step by step: ``menu 'Main' → [no match] → disconnect 'Bye'``;
    where it enters another flow, that flow is named."""
    parts: list[Msg | str] = []
    current: Flow | None = None
    for flow, step, edge in path:
        words: Msg = step_words(flow, step)
        if current is not None and flow is not current:
            words = msg("flow '{flow}': {step}", flow=flow.id, step=words)
        current = flow
        parts.append(words)
        if edge is not None:
            branch = edge_words(step, edge)
            if branch is not None:
                parts.append(branch)
            if edge.target is None:
                parts.append(msg("the end of the flow"))
    joined = _arrows(parts)
    assert isinstance(joined, Msg)
    return joined


def _arrows(parts: list[Msg | str]) -> Msg | str:
    """``a → b → c → d`` as ``(a → b) → (c → d)``: the arrow joins the same
    either way, in every language, but a message nested as deep as the path
    is long took time in the square of its length to write, and more than
    Python's recursion limit to say again in another language."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    return msg("{path} → {next}", path=_arrows(parts[:middle]), next=_arrows(parts[middle:]))
