"""The site's pages, as Markdown and SVG, from a compiled workspace.

One generator behind two front doors: ``journeycode docs`` writes the pages to
a folder, the MkDocs plugin hands them to MkDocs in memory. :data:`PAGES`,
the page table at the end of this module, lists every page in the order of
the navigation: the reserved names, the navigation, the titles and the pages
all come from it. Pages come from the Jinja2 templates beside this module.
Every value a template prints is escaped by
:func:`journeycode.quoting.markdown_text` unless the generator built it as
:class:`Markup` (links, badges, tables of escaped cells), so no text from a
map can become a link, HTML or template code on the site.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import jinja2
from markupsafe import Markup

from journeycode import digest, flows, halves, i18n, kinds, naming, quoting, render, words
from journeycode import values as kpi_values
from journeycode.compiler import Compiled
from journeycode.coverage import SHARES, Coverage, Health, coverage, percent
from journeycode.flows.model import KINDS as STEP_KINDS
from journeycode.flows.model import PLATFORMS, Flow
from journeycode.flows.paths import path_words
from journeycode.i18n import N_, _, ngettext
from journeycode.model import (
    BREAKDOWN,
    Channel,
    Entity,
    Journey,
    Kpi,
    Measurement,
    Persona,
    Stage,
    Touchpoint,
    Workspace,
)
from journeycode.problems import Problem
from journeycode.queries import emotion_for, owner_of
from journeycode.quoting import late_name, markdown_text, named, uri_reference
from journeycode.render.graphviz import Cache, Graphviz
from journeycode.review.changes import KINDS
from journeycode.rules import stale_review
from journeycode.rules.docs import DOCS
from journeycode.site import aside, charts, reference
from journeycode.site.history import Change

CSS = "journeycode.css"
_E = TypeVar("_E", bound=Entity)
DIAGRAMS = "diagrams"  # the folder of the diagrams' SVG files


@dataclass(frozen=True)
class Site:
    pages: dict[str, str]
    """Path inside the section (``personas/busy-parent.md``) → Markdown."""
    assets: Mapping[str, bytes] = field(default_factory=dict)
    """Path inside the section (``diagrams/x.svg``, the stylesheet) → content:
    the paths at once, a diagram's content once it is drawn."""
    nav: list[Any] = field(default_factory=list)
    """The section's navigation, in MkDocs ``nav`` form, paths inside the section."""
    home: str | None = None
    """The portfolio index as the site's home page, linking into the section,
    for a project whose docs have none."""
    names: dict[str, str] = field(default_factory=dict)
    """Each journey's name by its id. The pages link to a journey with a token
    (:func:`~journeycode.quoting.late_name`) in place of its name, put in after
    MkDocs converts the page (:func:`~journeycode.quoting.named`), so that a
    renamed journey changes no page's Markdown but its own."""

    def nav_under(self, section: str) -> Any:
        """The navigation with each path inside ``section``."""
        return _prefixed(self.nav, section)

    def markdown(self) -> dict[str, str]:
        """The pages with the journeys' names in, for a generator of their own."""
        return {path: named(text, self.names, markdown_text) for path, text in self.pages.items()}


Drawing = Callable[[Callable[[], dict[str, bytes]], bool], Callable[[], dict[str, bytes]]]
"""Begins drawing (the work, and whether it draws many diagrams); gives what
waits for the drawings."""


class _Assets(Mapping[str, bytes]):
    """A site's assets: its ``own`` files, and the diagrams by their ``names``
    (in their order, first), whose content ``drawn`` waits for."""

    def __init__(
        self, own: dict[str, bytes], names: list[str], drawn: Callable[[], dict[str, bytes]]
    ):
        self._own, self._drawn = own, drawn
        self._paths = [*(f"{DIAGRAMS}/{name}" for name in names), *own]
        self._diagrams: dict[str, bytes] | None = None

    def __getitem__(self, path: str) -> bytes:
        if path in self._own:
            return self._own[path]
        if self._diagrams is None:
            self._diagrams = {f"{DIAGRAMS}/{n}": data for n, data in self._drawn().items()}
        return self._diagrams[path]

    def __contains__(self, path: object) -> bool:
        return path in self._own or path in self._paths  # without waiting

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def _prefixed(nav: Any, section: str) -> Any:
    if isinstance(nav, str):
        return f"{section}/{nav}"
    if isinstance(nav, list):
        return [_prefixed(item, section) for item in nav]
    return {title: _prefixed(value, section) for title, value in nav.items()}


def _escape(value: Any) -> Any:
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    return markdown_text(str(value))


class _Words(Markup):
    """Words from our catalogs: the project's own Markdown, like the templates'
    text around them; the fields put into them (``%(team)s``) are escaped as
    map text unless the generator built them as :class:`Markup` (a link)."""

    @classmethod
    def escape(cls, s: Any) -> _Words:
        return cls(_escape(s))


def _gettext(message: str) -> _Words:
    return _Words(i18n.gettext(message))


def _ngettext(singular: str, plural: str, count: int) -> _Words:
    return _Words(i18n.ngettext(singular, plural, count))


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("journeycode.site", "templates"),
    autoescape=False,
    finalize=_escape,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
)
# Looked up at each call, so a page is written in the language of the work at hand.
_ENVIRONMENT.install_gettext_callables(  # type: ignore[attr-defined]
    _gettext, _ngettext, newstyle=True
)


# Rule documentation is the project's own Markdown, not map text.
_ENVIRONMENT.filters["safe_doc"] = Markup


def _code(text: Any) -> Markup:
    """Text shown as code, in a table cell too: a Markdown code span would show
    the escapes that keep it literal (``&#95;``) as they are written."""
    return Markup(f"<code>{markdown_text(str(text))}</code>")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


class _Pages:
    """Where each entity's page is, and links to it from any other page."""

    def __init__(self, workspace: Workspace):
        # "_": no journey id holds one, so a journey "coverage-journey" keeps its page.
        self.journey = {
            j.id: f"{j.id}_journey.md" if j.id in RESERVED else f"{j.id}.md"
            for j in workspace.by_id(Journey).values()
        }
        self.entities: dict[str, Mapping[str, Entity]] = {
            kind.name: workspace.by_id(kind.model) for kind in (kinds.JOURNEY, *PAGED)
        }

    def path(self, kind: str, ident: str) -> str:
        return self.journey[ident] if kind == "journey" else f"{_folder(kind)}/{ident}.md"

    def link(
        self, here: str, kind: str, ident: str, text: str | None = None, base: str = ""
    ) -> Markup:
        entity = self.entities[kind].get(ident)
        label = text if text is not None else naming.name(self.entities[kind], ident)
        if entity is None:
            return Markup(markdown_text(label))
        # A journey's name is put in after conversion (see Site.names).
        shown = late_name(ident) if kind == "journey" and text is None else markdown_text(label)
        # Pages sit in the section or one folder below it: no need for relpath.
        target = base + "../" * here.count("/") + self.path(kind, ident)
        return Markup(f"[{shown}]({target})")


def build_site(
    compiled: Compiled,
    *,
    cache: Cache,
    history: dict[Any, list[Change]] | None,
    graphviz: Graphviz | None = None,
    section: str | None = None,
    draw: Drawing = aside.on_a_thread,
) -> Site:
    """Every page and diagram of the site. Raises RenderError if Graphviz fails.

    ``cache`` holds the diagrams, the journey pages and the catalog entries'
    pages, by the digest of their inputs, so a rebuild after editing one map
    redoes only that map's and those of the entries it refers to. With
    ``section`` (the folder the pages go in), ``Site.home`` is made too.
    ``draw`` begins the drawing (see :mod:`journeycode.site.aside`); the
    site's assets wait for it when a diagram's content is first read, and
    raise the RenderError then."""
    workspace = compiled.workspace
    inputs = digest.Inputs(workspace, compiled.settings)
    items = [*render.diagrams(workspace, inputs=inputs), *render.flow_diagrams(workspace)]
    # The pages are made while the diagrams are drawn aside.
    drawn = draw(
        lambda: render.render(items, "svg", cache, graphviz).files,
        # Many to draw, where the cache keeps them for this process to find.
        cache.folder is not None and render.uncached(items, cache, graphviz) >= halves.FROM,
    )
    context = _Context(compiled, _Pages(workspace), coverage(workspace), history, inputs, cache)
    out: dict[str, str] = {}
    for entry in PAGES:
        out.update(entry.pages(context))
    home = None if section is None else INDEX.render(context, base=f"{section}/")
    assets = _Assets({CSS: _STYLESHEET.encode()}, [d.filename("svg") for d in items], drawn)
    nav = [item for entry in PAGES for item in entry.nav(context)]
    names = {j.id: j.name for j in workspace.by_id(Journey).values()}
    return Site(out, assets, nav, home, names)


def _summary(entity: Entity) -> str:
    for attribute in ("description", "text"):
        value = getattr(entity, attribute, None)
        if value:
            return str(value)
    return ""


class _Context:
    """Turns model objects into the plain rows the templates lay out."""

    def __init__(
        self,
        compiled: Compiled,
        pages: _Pages,
        cov: Coverage,
        history: dict[Any, list[Change]] | None,
        inputs: digest.Inputs,
        cache: Cache,
    ):
        self.compiled = compiled
        self.workspace = compiled.workspace
        self.pages = pages
        self.cov = cov
        self.history = history
        self.inputs = inputs
        self.cache = cache
        self.coverage_by_id = {j.id: j for j in cov.journeys}
        self.problems_by_path: dict[str, list[Problem]] = {}
        for problem in compiled.result.problems:
            self.problems_by_path.setdefault(problem.path, []).append(problem)
        self.rows = _rows(self.workspace.by_id(Journey).values())
        self._journey_shows: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._shown_digests: dict[str, dict[str, str]] = {}

    def cached(
        self,
        key: str,
        template: str,
        here: str,
        entity: _E,
        details: Callable[[_Context, _E], dict[str, Any]],
        shown: Callable[[], dict[str, Any]] = dict,
    ) -> str:
        """An entity's page, titled with its name: ``template`` over what
        ``details`` gives for it and ``shown()``, from the cache by ``key`` (the
        digest of what the page shows), or made and kept there."""
        found = self.cache.get(key)
        if found is not None:
            return found.decode("utf-8")
        values = {**details(self, entity), **shown()}
        markdown = self.render(template, here, naming.name_of(entity), **values)
        self.cache.put(key, markdown.encode("utf-8"))
        return markdown

    def journey_shows(self, catalog: _Catalog, journey: Journey) -> dict[str, dict[str, Any]]:
        """What each entry's page of ``catalog`` shows of ``journey``, by the
        entry's id, for the entries it shows something of."""
        key = (catalog.kind.name, journey.id)
        if key not in self._journey_shows:
            entities = self.workspace.by_id(catalog.kind.model).values()
            self._journey_shows[key] = {
                e.id: shows
                for e in entities
                if any((shows := catalog.shows(self, e, [journey])).values())
            }
        return self._journey_shows[key]

    def shown_digests(self, journey: Journey) -> dict[str, str]:
        """The digest of what each catalog page shows of ``journey``, by
        ``kind:id``: from the cache by the journey's inputs (its file and the
        catalogs), so a rebuild works them out only for the maps that changed."""
        if journey.id not in self._shown_digests:
            self._shown_digests[journey.id] = self._shown_digests_of(journey)
        return self._shown_digests[journey.id]

    def _shown_digests_of(self, journey: Journey) -> dict[str, str]:
        key = digest.of("catalog shows", i18n.current().tag, self.inputs.journey(journey))
        found = self.cache.get(key)
        if found is not None:
            with contextlib.suppress(ValueError):
                kept = json.loads(found)
                if isinstance(kept, dict) and all(isinstance(v, str) for v in kept.values()):
                    return kept
        made = {
            f"{catalog.kind.name}:{ident}": digest.of(shows)
            for catalog in CATALOGS
            for ident, shows in self.journey_shows(catalog, journey).items()
        }
        self.cache.put(key, json.dumps(made).encode("utf-8"))
        return made

    def render(
        self, template: str, here: str, page_title: str, base: str = "", **values: Any
    ) -> str:
        """The page's front matter (its title) and its Markdown. ``base`` is
        where the section is seen from the page, for a page outside it (the
        site's home page)."""

        def link(kind: str, ident: str | None, text: str | None = None) -> Markup:
            return self.pages.link(here, kind, ident, text, base) if ident else Markup("—")

        def asset(path: str) -> Markup:
            # A link target, which Markdown's escapes (``&#95;``) would not leave as it is.
            return Markup(
                uri_reference(base + posixpath.relpath(path, posixpath.dirname(here) or "."))
            )

        body = _ENVIRONMENT.get_template(template).render(
            link=link,
            asset=asset,
            page=asset,
            percent=percent,
            number=_number,
            badge=_badge,
            code=_code,
            word=_word,
            date=_date,
            say=i18n.say,
            **values,
        )
        return quoting.front_matter(page_title) + body

    def problems_in(self, path: str) -> list[Problem]:
        return self.problems_by_path.get(path, [])

    def journey_rows(self) -> list[dict[str, Any]]:
        rows = []
        for journey in self.workspace.by_id(Journey).values():
            problems = self.problems_in(journey.src.file.display)
            rows.append(
                {
                    "journey": journey,
                    "coverage": self.coverage_by_id[journey.id].total,
                    "errors": sum(1 for p in problems if p.level == "error"),
                    "warnings": sum(1 for p in problems if p.level == "warning"),
                    "stale": any(p.rule == stale_review.ID for p in problems),
                }
            )
        return rows

    def journey(self, journey: Journey) -> dict[str, Any]:
        problems = self.problems_in(journey.src.file.display)
        changes = None if self.history is None else self.history.get(journey.src.file.path, [])
        return {
            "journey": journey,
            "stale": any(p.rule == stale_review.ID for p in problems),
            "stages": [self._stage(journey, stage) for stage in journey.stages],
            "coverage": self.coverage_by_id[journey.id],
            "shares": _shares(),
            "problems": problems,
            "waivers": [
                (kind, entity, rule, reason)
                for entity in kinds.within(journey)
                for kind in (kinds.of(entity).label,)
                for rule, reason in entity.waive.items()
            ],
            "history": changes,
            "opportunities": journey.opportunities,
            "kpi_target": self._kpi_target,
            "kpi_health": self._kpi_health,
            "stage_names": {s.id: s.name for s in journey.stages},
            "flows": self.journey_flows(journey),
        }

    def journey_flows(self, journey: Journey) -> list[tuple[Touchpoint, Markup, Markup]]:
        """Each touchpoint of the journey that runs a flow: the flow's link and
        its way-out status from where the touchpoint enters it."""
        graph = self.workspace.flows
        found = []
        for _stage, tp in journey.touchpoints():
            if tp.flow_id is None:
                continue
            flow = graph.flows.get(tp.flow_id) if graph is not None else None
            if flow is None:
                found.append((tp, Markup(markdown_text(tp.flow or "")), _flow_status(None, None)))
                continue
            # Journey pages sit at the top of the section.
            link = Markup(f"[{markdown_text(tp.flow or '')}]({_flow_page(flow.id)})")
            found.append((tp, link, _flow_status(self.workspace, flow, [tp.flow_step])))
        return found

    def flow_rows(self) -> list[dict[str, Any]]:
        graph = self.workspace.flows
        if graph is None:
            return []
        users = self._flow_users()
        return [
            {
                "link": Markup(
                    f"[{markdown_text(ident)}]({posixpath.basename(_flow_page(ident))})"
                ),
                "platform": PLATFORMS[flow.platform],
                "status": _flow_status(self.workspace, flow),
                "users": users.get(ident, []),
            }
            for ident, flow in sorted(graph.flows.items())
        ]

    def _flow_users(self) -> dict[str, list[tuple[Journey, Touchpoint]]]:
        found: dict[str, list[tuple[Journey, Touchpoint]]] = {}
        for journey, _stage, tp in self.rows:
            if tp.flow_id is not None:
                found.setdefault(tp.flow_id, []).append((journey, tp))
        return found

    def flow(self, flow: Flow) -> dict[str, Any]:
        return {
            "flow": flow,
            "status": _flow_status(self.workspace, flow),
            "platform": PLATFORMS[flow.platform],
            "file": flow.display,
            "users": self._flow_users().get(flow.id, []),
            "diagram": render.flow_name(flow.id),
            "linked_steps": any(at is not None for at in flows.entries(self.workspace, flow)),
            "dead_ends": [
                i18n.say(path_words(end.path)) for end in flows.dead_ends(self.workspace, flow)
            ],
            "steps": [
                {"id": s.id, "kind": _(STEP_KINDS[s.kind]), "type": s.type, "text": s.text}
                for s in flow.steps.values()
            ],
            "problems": [
                p
                for p in self.problems_in(flow.display)
                if p.subject is None or p.subject.kind != "flow" or p.subject.id == flow.id
            ],
        }

    def _stage(self, journey: Journey, stage: Stage) -> dict[str, Any]:
        return {
            "stage": stage,
            "touchpoints": [
                {
                    "tp": tp,
                    "owner": owner_of(stage, tp),
                    "emotion": self._emotion(journey, tp),
                    "personas": journey.personas_at(tp),
                }
                for tp in stage.touchpoints
            ],
        }

    def _emotion(self, journey: Journey, tp: Touchpoint) -> str:
        personas = journey.personas_at(tp)
        values = {p: emotion_for(tp, p) for p in personas}
        if len(set(values.values())) == 1:
            return _number(next(iter(values.values()), None))
        names = self.workspace.by_id(Persona)
        return words.listed([f"{naming.name(names, p)} {_number(v)}" for p, v in values.items()])

    def _kpi_health(self, kpi_id: str) -> Markup:
        """``7 min 21 s vs ≤ 7 min`` and an on/off-target badge, for a stage's health strip."""
        kpi = self.workspace.by_id(Kpi).get(kpi_id)
        if kpi is None:
            return Markup("")
        last = kpi_values.latest(kpi)
        target = kpi_values.target(kpi) or _("no target")
        if last is None:
            return Markup(markdown_text(_("no data (target {target})").format(target=target)))
        status = kpi_values.status(kpi)
        badge = f" {_badge(status)}" if status else ""
        shown = _("{value} vs {target}").format(
            value=kpi_values.value(last.value, kpi), target=target
        )
        return Markup(markdown_text(shown) + badge)

    def _kpi_target(self, kpi_id: str) -> str:
        kpi = self.workspace.by_id(Kpi).get(kpi_id)
        return (kpi_values.target(kpi) or "") if kpi is not None else ""

    def persona(self, persona: Entity) -> dict[str, Any]:
        return {"persona": persona}

    def persona_shows(self, persona: Entity, journeys: Iterable[Journey]) -> dict[str, Any]:
        """A row a journey: how many touchpoints the persona uses, its
        emotion in each stage (their mean, as the emotion curve draws it; None
        where no touchpoint there gives one) or that it has no path there, and
        the channels it uses. The journey's page has each touchpoint."""
        rows = []
        for j in journeys:
            if persona.id not in j.personas:
                continue
            used = [
                (s, [tp for tp in s.touchpoints if persona.id in j.personas_at(tp)])
                for s in j.stages
            ]
            stages = []
            for stage, tps in used:
                felt = [e for e in (emotion_for(tp, persona.id) for tp in tps) if e is not None]
                mean = round(sum(felt) / len(felt), 1) if felt else None
                # Signed, as the scale it is on is written (-2 to +2).
                shown = None if mean is None else ("+" if mean > 0 else "") + kpi_values.plain(mean)
                stages.append((_shown(stage, "name"), bool(tps), shown))
            channels = list(dict.fromkeys(tp.channel for _, tps in used for tp in tps))
            rows.append((_shown(j, "id"), sum(len(tps) for _, tps in used), stages, channels))
        return {"paths": rows}

    def channel(self, channel: Entity) -> dict[str, Any]:
        preferred = [
            p for p in self.workspace.by_id(Persona).values() if channel.id in p.preferred_channels
        ]
        kpis = self.workspace.kpis_by_channel.get(channel.id, ())
        return {"channel": channel, "preferred": preferred, "kpis": kpis}

    def channel_shows(self, channel: Entity, journeys: Iterable[Journey]) -> dict[str, Any]:
        rows = (
            (j, _shown(s, "name"), _shown(tp, "name"))
            for j, s, tp in _rows(journeys)
            if tp.channel == channel.id
        )
        return {"uses": _by_journey(rows)}

    def owner(self, owner: Entity) -> dict[str, Any]:
        kpis = [
            (k, kpi_values.target(k), _latest(k), kpi_values.status(k))
            for k in self.workspace.by_id(Kpi).values()
            if k.owner == owner.id
        ]
        return {"owner": owner, "kpis": kpis}

    def owner_shows(self, owner: Entity, journeys: Sequence[Journey]) -> dict[str, Any]:
        touchpoints = [(j, s, tp) for j, s, tp in _rows(journeys) if owner_of(s, tp) == owner.id]
        rows = (
            (j, _shown(s, "name"), _shown(tp, "name", "channel", "moment_of_truth"))
            for j, s, tp in touchpoints
        )
        return {
            "journeys": [_shown(j, "id") for j in journeys if j.owner == owner.id],
            "stages": [
                (_shown(j, "id"), _shown(s, "name"))
                for j in journeys
                for s in j.stages
                if s.owner == owner.id
            ],
            "touchpoints": _by_journey(rows),
            "pain_points": [
                (_shown(j, "id"), _shown(tp, "name"), _shown(pain, "severity", "text"))
                for j, _, tp in touchpoints
                for pain in tp.pain_points
            ],
            "opportunities": [
                (_shown(j, "id"), _shown(o, "name", "status"))
                for j in journeys
                for o in j.opportunities
                if o.owner == owner.id
            ],
        }

    def kpi(self, kpi: Entity) -> dict[str, Any]:
        assert isinstance(kpi, Kpi)
        return {
            "kpi": kpi,
            "status": kpi_values.status(kpi),
            "trend": _trend(kpi),
            "chart": Markup(charts.chart(kpi)),
            "range": kpi_values.span(kpi),
            "target": kpi_values.target(kpi),
        }

    def kpi_keyed(self, kpi: Entity) -> dict[str, Any]:
        # Its breakdowns are labelled with the names of the journeys they measure.
        assert isinstance(kpi, Kpi)
        return {"breakdowns": self._breakdowns(kpi)}

    def kpi_shows(self, kpi: Entity, journeys: Sequence[Journey]) -> dict[str, Any]:
        rows = (
            (j, _shown(s, "name"), _shown(tp, "name"))
            for j, s, tp in _rows(journeys)
            if kpi.id in tp.kpis
        )
        return {
            "stages": [
                (_shown(j, "id"), _shown(s, "name"))
                for j in journeys
                for s in j.stages
                if kpi.id in s.kpis
            ],
            "touchpoints": _by_journey(rows),
            "opportunities": [
                (_shown(j, "id"), _shown(o, "name"))
                for j in journeys
                for o in j.opportunities
                if kpi.id in o.kpis
            ],
        }

    def _breakdowns(self, kpi: Kpi) -> list[dict[str, Any]]:
        """The KPI's broken-down measurements: a chart and a table per way it is
        broken down (by channel, by segment, by channel and segment …)."""
        catalogs: dict[str, Mapping[str, Entity]] = {
            "journey": self.workspace.by_id(Journey),
            "channel": self.workspace.by_id(Channel),
        }
        ways: dict[tuple[str, ...], dict[str, list[Measurement]]] = {}
        for m in kpi.breakdown:
            parts = [(field, getattr(m, field)) for field in BREAKDOWN if getattr(m, field)]
            label = " · ".join(
                naming.name(catalogs.get(field, {}), value) for field, value in parts
            )
            way = ways.setdefault(tuple(field for field, _ in parts), {})
            way.setdefault(label, []).append(m)
        found = []
        for fields, series in sorted(ways.items(), key=lambda item: (len(item[0]), item[0])):
            ordered = sorted(series.items())
            rows = []
            for label, points in ordered:
                last = max(points, key=lambda m: m.date)
                status = kpi_values.judge(last.value, kpi)
                rows.append((label, kpi_values.value(last.value, kpi), last.date, status))
            said = _joined([_(_FIELDS[name]) for name in fields])
            found.append(
                {
                    "title": _("By {fields}").format(fields=said),
                    "header": said[:1].upper() + said[1:],
                    "chart": Markup(charts.breakdown(kpi, ordered)),
                    "rows": rows,
                    "drawn": min(len(ordered), charts.SERIES),
                }
            )
        return found

    def scorecard(self) -> dict[str, Any]:
        """Every KPI, off target first, then on target, then the ones without data."""
        rows = []
        for kpi in sorted(self.workspace.entities(Kpi), key=lambda k: _FIRST[kpi_values.status(k)]):
            ordered = sorted(kpi.measurements, key=lambda m: m.date)
            step = ordered[-1].value - ordered[-2].value if len(ordered) > 1 else None
            rows.append(
                {
                    "kpi": kpi,
                    "latest": kpi_values.latest(kpi),
                    "value": lambda number, kpi=kpi: kpi_values.value(number, kpi),
                    "target": kpi_values.target(kpi),
                    "status": kpi_values.status(kpi),
                    "change": "" if step is None else kpi_values.change(step, kpi),
                    "trend": Markup(charts.sparkline(kpi)),
                    "segments": _segments(kpi),
                }
            )
        return {"rows": rows, "health": _health(self.cov.health)}

    def coverage_page(self) -> dict[str, Any]:
        return {
            "cov": self.cov,
            "shares": _shares(),
            "journeys": self.workspace.by_id(Journey),
            "stage_names": {
                j.id: {s.id: s.name for s in j.stages}
                for j in self.workspace.by_id(Journey).values()
            },
        }

    def portfolio(self) -> dict[str, Any]:
        return {"journeys": self.journey_rows(), "health": _health(self.cov.health)}

    def change_kinds(self) -> dict[str, Any]:
        levels = self.compiled.settings.diff_levels
        return {
            "configured": len(levels),
            "kinds": [
                {
                    "id": kind.id,
                    "default": str(kind.level),
                    "level": str(levels.get(kind.id, kind.level)),
                    "summary": _(kind.summary),
                }
                for kind in sorted(KINDS.values(), key=lambda k: (-k.level, k.id))
            ],
        }


_BADGES = {kpi_values.Status.ON: "on", kpi_values.Status.OFF: "off"}  # the stylesheet's classes
_FIELDS = {
    "journey": N_("journey"),
    "stage": N_("stage"),
    "channel": N_("channel"),
    "segment": N_("segment"),
}
"""The words for the fields a KPI is broken down by (model.BREAKDOWN)."""
WORDS = {
    word: word
    for word in (
        # levels of a problem and of a change
        N_("error"),
        N_("warning"),
        N_("info"),
        N_("breaking"),
        N_("notable"),
        # a KPI's kind, unit and direction
        N_("outcome"),
        N_("operational"),
        N_("feedback"),
        N_("financial"),
        N_("percent"),
        N_("seconds"),
        N_("minutes"),
        N_("hours"),
        N_("days"),
        N_("score"),
        N_("count"),
        N_("currency"),
        N_("ratio"),
        N_("higher"),
        N_("lower"),
        # a channel's type
        N_("voice"),
        N_("digital"),
        N_("messaging"),
        N_("social"),
        N_("in-person"),
        N_("mail"),
    )
}
"""The format's own words the pages show beside those the diagrams show too
(:data:`journeycode.words.WORDS`: statuses, severities, modes); the
stylesheet's classes and every decision keep the value itself."""


def _shares() -> dict[str, str]:
    """The coverage measures' labels, read as text (escaped) like map text."""
    return {name: _(label) for name, label in SHARES.items()}


def _word(value: Any) -> str:
    """A value of the format's vocabulary in the reader's language (see :data:`WORDS`)."""
    text = str(value)
    return _(WORDS[text]) if text in WORDS else words.word(text)


def _date(text: str | None) -> str:
    """A date of a map or of git (ISO 8601) as the reader's language writes dates."""
    if not text:
        return ""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return text
    return i18n.date(day)


def _joined(names: list[str]) -> str:
    said = names[0]
    for word in names[1:]:
        said = _("{first} and {second}").format(first=said, second=word)
    return said


def _health(health: Health) -> str:
    """How the KPIs with a target are doing, in a sentence."""
    return ngettext(
        "{on} on target, {off} off target, {unmeasured} unmeasured (of {count} KPI with a target)",
        "{on} on target, {off} off target, {unmeasured} unmeasured (of {count} KPIs with a target)",
        health.total,
    ).format(
        on=len(health.on_target),
        off=len(health.off_target),
        unmeasured=len(health.unmeasured),
        count=health.total,
    )


_FIRST = {kpi_values.Status.OFF: 0, kpi_values.Status.ON: 1, None: 2}  # the scorecard's order


def _segments(kpi: Kpi) -> str:
    """How the KPI's segments (queues, customer segments) did in its latest
    period: how many, and how many of them are off target; their values are
    on the KPI's page."""
    latest = kpi_values.latest(kpi)
    if latest is None:
        return ""
    parts = [
        m
        for m in kpi.breakdown
        if m.segment and not (m.journey or m.stage or m.channel) and m.date == latest.date
    ]
    if not parts:
        return ""
    off = sum(kpi_values.judge(m.value, kpi) is kpi_values.Status.OFF for m in parts)
    return ngettext(
        "{count} segment, {off} off target", "{count} segments, {off} off target", len(parts)
    ).format(count=len(parts), off=off)


def _badge(status: kpi_values.Status) -> Markup:
    """A KPI's status as a badge coloured by the status, whatever its words."""
    return Markup(
        f'<span class="jc-badge jc-{_BADGES[status]}">{markdown_text(str(status))}</span>'
    )


def _latest(kpi: Kpi) -> str | None:
    last = kpi_values.latest(kpi)
    if last is None:
        return None
    return _("{value} ({date})").format(
        value=kpi_values.value(last.value, kpi), date=_date(last.date)
    )


def _trend(kpi: Kpi) -> list[tuple[str, str, str]]:
    """(date, value, change) per measurement, oldest first; the change since
    the period before says whether it got better or worse."""
    rows = []
    previous: float | None = None
    for m in sorted(kpi.measurements, key=lambda m: m.date):
        change = "" if previous is None else kpi_values.change(m.value - previous, kpi)
        rows.append((m.date, kpi_values.value(m.value, kpi), change))
        previous = m.value
    return rows


FLOWS = "flows"  # the folder of the flows' pages


def _flow_page(ident: str) -> str:
    return f"{FLOWS}/{render.flow_name(ident).removeprefix('flow_')}.md"


def _flow_status(
    workspace: Workspace | None, flow: Flow | None, at: Sequence[str | None] | None = None
) -> Markup:
    """A flow's way out from the steps ``at`` (None: its start) or, by default,
    from where contacts enter it (:func:`journeycode.flows.entries`, as
    ``flow-way-out`` checks it), as a badge: every path reaches a person, or
    how many dead ends."""
    if workspace is None or flow is None:
        return _status_badge("flow-dead", _("no such flow"))
    if at is None and not flows.entries(workspace, flow):
        return _status_badge("", _("plays to a waiting contact"))
    count = len(flows.dead_ends(workspace, flow, at))
    if count:
        said = ngettext("%(count)s dead end", "%(count)s dead ends", count) % {"count": count}
        return _status_badge("flow-dead", said)
    if flows.unknown(workspace, flow, at):
        return _status_badge("flow-unknown", _("a sub-flow is not in the workspace"))
    return _status_badge("flow-ok", _("every path reaches a person"))


def _status_badge(css: str, text: str) -> Markup:
    """A flow's status: classes of its own, which no KPI status shares."""
    colour = f" jc-{css}" if css else ""
    return Markup(f'<span class="jc-badge{colour}">{markdown_text(text)}</span>')


def _by_journey(
    rows: Iterable[tuple[Journey, dict[str, Any], dict[str, Any]]],
) -> list[tuple[dict[str, Any], list[tuple[dict[str, Any], dict[str, Any]]]]]:
    """Touchpoint rows (what a page shows of each stage and touchpoint) grouped
    under their journey, so a catalog page stays one row per journey however
    large the portfolio."""
    grouped: dict[str, tuple[dict[str, Any], list[tuple[dict[str, Any], dict[str, Any]]]]] = {}
    for journey, stage, tp in rows:
        grouped.setdefault(journey.id, (_shown(journey, "id"), []))[1].append((stage, tp))
    return list(grouped.values())


def _rows(journeys: Iterable[Journey]) -> list[tuple[Journey, Stage, Touchpoint]]:
    return [(j, s, tp) for j in journeys for s, tp in j.touchpoints()]


def _shown(entity: Entity, *fields: str, **computed: Any) -> dict[str, Any]:
    """What a catalog page shows of an entity of a journey: these fields (and
    values computed from it), all that its template may read of it. The page's
    cache key digests them, so it holds all the page shows of the journeys; a
    template that read any other field would fail (StrictUndefined) rather
    than show what the key does not hold."""
    return {**{name: getattr(entity, name) for name in fields}, **computed}


# --- the page table ---------------------------------------------------------------------


def _folder(kind: str) -> str:
    """The folder of a catalog kind's pages: ``personas``."""
    return f"{kind}s"


class _PageGroup(Protocol):
    """An entry of the page table: one page or many, made from a context and
    listed in the navigation."""

    @property
    def reserved(self) -> frozenset[str]:
        """The names (of pages and folders) it takes in the section."""
        ...

    def pages(self, context: _Context) -> dict[str, str]: ...

    def nav(self, context: _Context) -> list[Any]: ...


@dataclass(frozen=True)
class _Page:
    """A page of its own: the template ``{path}.j2`` over what ``values`` gives."""

    path: str
    title: str
    values: Callable[[_Context], dict[str, Any]]
    nav_title: str = ""
    """Its entry in the navigation, when not its title."""

    @property
    def reserved(self) -> frozenset[str]:
        return frozenset({posixpath.splitext(self.path)[0]})

    def render(self, context: _Context, base: str = "") -> str:
        values = self.values(context)
        return context.render(f"{self.path}.j2", self.path, _(self.title), base=base, **values)

    def pages(self, context: _Context) -> dict[str, str]:
        return {self.path: self.render(context)}

    def nav(self, context: _Context) -> list[Any]:
        return [{_(self.nav_title or self.title): self.path}]


class _Journeys:
    """A page per journey, named after its id (see :class:`_Pages`)."""

    reserved = frozenset[str]()

    def pages(self, context: _Context) -> dict[str, str]:
        out = {}
        for journey in context.workspace.by_id(Journey).values():
            here = context.pages.path("journey", journey.id)
            file = journey.src.file
            key = digest.of(
                "journey page",
                i18n.current().tag,
                here,
                context.inputs.journey(journey),
                context.problems_in(file.display),
                context.history and context.history.get(file.path),
                [(tp.id, str(status)) for tp, _link, status in context.journey_flows(journey)],
            )
            out[here] = context.cached(key, "journey.md.j2", here, journey, _Context.journey)
        return out

    def nav(self, context: _Context) -> list[Any]:
        return [
            {quoting.title(naming.name_of(j)): context.pages.path("journey", j.id)}
            for j in context.workspace.by_id(Journey).values()
        ]


@dataclass(frozen=True)
class _Catalog:
    """A catalog kind's listing, and a page per entry: its template
    (``persona.md.j2``) over what ``details`` gives for the entry (from the
    catalog alone), what ``keyed`` gives (from the catalog and what its digest
    does not hold) and what ``shows`` gives of the journeys."""

    kind: kinds.Kind
    details: Callable[[_Context, Entity], dict[str, Any]]
    shows: Callable[[_Context, Entity, Sequence[Journey]], dict[str, Any]]
    """Lists, each the journeys' own items in the journeys' order: what it
    gives of all the journeys is what it gives of each, joined."""
    keyed: Callable[[_Context, Entity], dict[str, Any]] = lambda context, entity: {}

    @property
    def reserved(self) -> frozenset[str]:
        return frozenset({_folder(self.kind.name)})

    def pages(self, context: _Context) -> dict[str, str]:
        kind, plural = self.kind.name, _(self.kind.plural)
        entities = context.workspace.by_id(self.kind.model).values()
        listing = f"{_folder(kind)}/index.md"
        items = [(context.pages.link(listing, kind, e.id), _summary(e)) for e in entities]
        out = {listing: context.render("catalog.md.j2", listing, plural, title=plural, items=items)}
        journeys = list(context.workspace.by_id(Journey).values())
        for entity in entities:
            here = context.pages.path(kind, entity.id)
            keyed = self.keyed(context, entity)
            # The page shows the catalogs (the entity, the names of what it links
            # to, measurements), ``keyed`` and what ``shows`` gives of each journey,
            # by its digest: made again only when one of them changed, not when a
            # journey it lists changed in what it does not show.
            of_journeys = [
                (j.id, found)
                for j in journeys
                if (found := context.shown_digests(j).get(f"{kind}:{entity.id}"))
            ]
            key = digest.of(
                "catalog page", i18n.current().tag, here, context.inputs.catalog, keyed, of_journeys
            )

            def shown(entity: Entity = entity, keyed: dict[str, Any] = keyed) -> dict[str, Any]:
                joined = self.shows(context, entity, [])
                for j in journeys:
                    for name, items in context.journey_shows(self, j).get(entity.id, {}).items():
                        joined[name].extend(items)
                return {**joined, **keyed}

            out[here] = context.cached(key, f"{kind}.md.j2", here, entity, self.details, shown)
        return out

    def nav(self, context: _Context) -> list[Any]:
        items: list[Any] = [f"{_folder(self.kind.name)}/index.md"]
        items += [
            {quoting.title(naming.name_of(e)): context.pages.path(self.kind.name, e.id)}
            for e in context.workspace.by_id(self.kind.model).values()
        ]
        return [{_(self.kind.plural): items}]


class _Flows:
    """The contact flows' listing, and a page per flow (see :func:`_flow_page`)."""

    reserved = frozenset({FLOWS})

    def pages(self, context: _Context) -> dict[str, str]:
        graph = context.workspace.flows
        if graph is None or not graph.flows:
            return {}
        listing = f"{FLOWS}/index.md"
        title = _("Contact flows")
        out = {listing: context.render("flows.md.j2", listing, title, flows=context.flow_rows())}
        for ident, flow in sorted(graph.flows.items()):
            here = _flow_page(ident)
            out[here] = context.render(
                "flow.md.j2", here, quoting.title(ident), **context.flow(flow)
            )
        return out

    def nav(self, context: _Context) -> list[Any]:
        graph = context.workspace.flows
        if graph is None or not graph.flows:
            return []
        items: list[Any] = [f"{FLOWS}/index.md"]
        items += [{quoting.title(ident): _flow_page(ident)} for ident in sorted(graph.flows)]
        return [{_("Contact flows"): items}]


INDEX = _Page("index.md", N_("Journey portfolio"), _Context.portfolio, nav_title=N_("Overview"))
PAGES: tuple[_PageGroup, ...] = (
    INDEX,
    _Journeys(),
    # The catalog kinds with a page for each entry (systems are listed on touchpoints).
    _Catalog(kinds.KINDS["persona"], _Context.persona, _Context.persona_shows),
    _Catalog(kinds.KINDS["channel"], _Context.channel, _Context.channel_shows),
    _Catalog(kinds.KINDS["owner"], _Context.owner, _Context.owner_shows),
    _Catalog(kinds.KINDS["kpi"], _Context.kpi, _Context.kpi_shows, _Context.kpi_keyed),
    _Flows(),
    _Page("coverage.md", N_("Coverage"), _Context.coverage_page),
    _Page("scorecard.md", N_("KPI scorecard"), _Context.scorecard),
    _Page("rules.md", N_("Rules"), lambda context: {"rules": list(DOCS.values())}),
    _Page("changes.md", N_("Change kinds"), _Context.change_kinds),
    _Page("format.md", N_("Field reference"), lambda context: {"sections": reference.sections()}),
)
"""The section's pages, in the order of the navigation: adding a page is one
entry here (and its template)."""
RESERVED = frozenset({DIAGRAMS}.union(*(entry.reserved for entry in PAGES)))
"""The section's own names: a journey with such an id gets a suffix."""
CATALOGS = tuple(entry for entry in PAGES if isinstance(entry, _Catalog))
PAGED = tuple(catalog.kind for catalog in CATALOGS)


_STYLESHEET = """\
.jc-badge { display: inline-block; padding: 0 .5em; border-radius: .8em; font-size: .8em;
  font-weight: 600; background: #e0e0e0; color: #333; }
.jc-published, .jc-on { background: #d9efdc; color: #1e5b2a; }
.jc-draft, .jc-review { background: #fff3cd; color: #6b5200; }
.jc-retired { background: #eeeeee; color: #555; }
.jc-stale, .jc-off, .jc-error { background: #f8d7da; color: #842029; }
.jc-warning, .jc-flow-unknown { background: #fff3cd; color: #6b5200; }
.jc-flow-ok { background: #d9efdc; color: #1e5b2a; }
.jc-flow-dead { background: #f8d7da; color: #842029; }
/* Diagrams keep their natural size, so their text stays readable: a wide one
   scrolls sideways inside its paragraph; a click opens it full size. */
p:has(> a > img[src*="diagrams/"]) { overflow-x: auto; }
.md-typeset img[src*="diagrams/"], img[src*="diagrams/"] { max-width: none; height: auto;
  border: 1px solid #ddd; border-radius: 4px; background: white; }
/* Trend lines keep their size in narrow table cells. */
.md-typeset svg.jc-spark, svg.jc-spark { width: 120px; min-width: 120px; max-width: none;
  height: 28px; vertical-align: middle; }
.md-typeset svg.jc-chart, svg.jc-chart { max-width: 100%; height: auto; }
"""
