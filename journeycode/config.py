"""The settings file, ``journeycode.yaml`` at the top of the workspace.

```yaml
language: ru
rules:
  stale-review: {level: error, max_age_days: 90}
  after-hours: off
coverage:
  fail_under: 80
diff:
  waiver-added: notable
flows:
  path: flows
  aliases: {"${var.contact_flows_map[\"billing\"]}": billing-ivr}
  queues: {"arn:aws:connect:eu-west-1:111122223333:instance/x/queue/billing": agent-voice}
  files:
    cards-ivr: {queues: {Billing: {channel: agent-voice, owner: cards-support}}}
```

``language`` is the language of what journeycode writes for readers (the
site, the diagrams, the review, check's messages): a tag of
:data:`journeycode.i18n.LANGUAGES` (``en``, ``ru``, ``zh-Hans``, ``zh-Hant``;
``zh-CN`` and ``zh-TW`` name the last two); English when it is not given.
Each rule takes ``off``, a level (``info``, ``warning``, ``error``) or a mapping
of ``level`` and the rule's options. An unknown rule, option or value is a
:class:`ConfigError` that names it, with its location (exit code 2). Its
message is kept as an :func:`journeycode.i18n.msg`: found while the settings
that would name a language are read, it is said in the ``--language`` given,
else in English (``cli._fail``).

The rules themselves are not known here: :func:`load` is given each rule's own
level and options, checks the file against them and resolves every rule's
setting, so the runner reads settings that need nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from journeycode import atomic, i18n, loader, pipeline_rules, profiles, suggest
from journeycode.discover import SETTINGS_FILE
from journeycode.i18n import msg
from journeycode.loader import Pointer
from journeycode.model import BREAKDOWN
from journeycode.problems import Fix, Level, WorkspaceError
from journeycode.review.changes import KINDS as CHANGE_KINDS
from journeycode.review.changes import Severity
from journeycode.suggest import show

OFF = "off"


class ConfigError(WorkspaceError):
    def __init__(
        self, message: str, location: str, hint: str | None = None, *, fix: Fix | None = None
    ):
        super().__init__(
            msg("{location}: {message}", location=location, message=message), hint, fix=fix
        )


@dataclass(frozen=True)
class RuleSetting:
    level: Level | None
    """None when the rule is off."""
    options: Mapping[str, Any] = field(default_factory=dict)


# The columns of a measurements file: the first three are required.
MEASUREMENT_COLUMNS = ("kpi", "period_end", "value", *BREAKDOWN)


# How a source's file is laid out: one row per KPI and period (``long``, as
# ``kpi,period_end,value``), or one row per period with a column per metric.
SHAPES = ("long", "wide")
# What a period cell holds: a day, a month (2026-06), an ISO week (2026-W23),
# or an interval (its start, or ``start/end``; ``interval-end``: its end).
PERIOD_FORMS = ("date", "month", "week", "interval", "interval-end")
# The periods a computed KPI is aggregated to.
KPI_PERIODS = ("day", "week", "month", "quarter", "year")
# The units a source declares for a metric, each to seconds (a duration) or
# to a ratio (a share): what a value is converted from.
UNITS = ("ms", "s", "min", "h", "percent", "ratio")
# The encodings a source may name, as Python calls them, by the names people write.
ENCODINGS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
    "cp1251": "cp1251",
    "windows-1251": "cp1251",
    "koi8-r": "koi8-r",
    "gb18030": "gb18030",
    "gbk": "gbk",
    "big5": "big5",
    "cp1252": "cp1252",
    "latin-1": "latin-1",
}
SOURCE_COLUMNS = ("kpi", "value", *BREAKDOWN)
"""The columns of a source, besides its period: the KPI (or code) and the
value of a long source, and the parts that break a KPI down."""


@dataclass(frozen=True)
class Source:
    """One kind of export: the files it is, and how to read them."""

    files: str
    """A folder (its ``*.csv`` files below it) or a glob, inside the workspace."""
    where: str
    """``file:line:col`` of the source in the settings, for the problems it causes."""
    profile: str | None = None
    encoding: str | None = None
    """None: UTF-8, or what a byte-order mark says."""
    delimiter: str | None = None
    """None: sniffed from the header."""
    decimal: str = "."
    thousands: str | None = None
    shape: str = "long"
    period: str = "period_end"
    """The header of the period column."""
    form: str | None = None
    """What the period cells hold (:data:`PERIOD_FORMS`); None: told by the first one."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """The headers of :data:`SOURCE_COLUMNS` (each its own name when not given)."""
    codes: Mapping[str, str] = field(default_factory=dict)
    """A metric's code (a long row's KPI cell, a wide file's header) → a KPI id
    or the name of a metric that a computed KPI sums."""
    units: Mapping[str, str] = field(default_factory=dict)
    """A code's unit (:data:`UNITS`)."""


@dataclass(frozen=True)
class Computed:
    """A KPI computed from the metrics of the sources, for each period and part."""

    kpi: str
    where: str
    sum: str
    """The metric summed: the numerator; with ``weight``, the averages weighed."""
    per: str | None = None
    """The metric the sum is divided by (none: the KPI is the sum)."""
    weight: str | None = None
    """The metric that weighs an average (``sum`` holds averages of it)."""
    period: str = "month"


@dataclass(frozen=True)
class Measurements:
    """Where the contact centre's exports are, and what their columns are called."""

    path: str = "measurements"
    columns: Mapping[str, str] = field(
        default_factory=lambda: {name: name for name in MEASUREMENT_COLUMNS}
    )
    sources: tuple[Source, ...] = ()
    computed: tuple[Computed, ...] = ()


@dataclass(frozen=True)
class Queue:
    """Where a contact-flow queue leads in the maps: a channel and an owner."""

    channel: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class FlowFile:
    """The settings of one flow (``flows: {files: {FLOW: …}}``)."""

    where: str
    """Where its flow id is written, ``file:line:col``: the flow may not exist."""
    queues: Mapping[str, Queue] = field(default_factory=dict)
    """Where the queues its own steps name lead, over ``flows: queues:``: two
    flows may use one queue name for two teams' queues."""


@dataclass(frozen=True)
class Flows:
    """Where the contact flows are, what else names them, where their queues lead."""

    path: str = "flows"
    aliases: Mapping[str, str] = field(default_factory=dict)
    """What a flow's sub-flow step writes (an ARN, a Terraform reference) → a flow id."""
    queues: Mapping[str, Queue] = field(default_factory=dict)
    """A queue as the flows name it (an ARN, an id, a Flex workflow) → its channel and owner."""
    files: Mapping[str, FlowFile] = field(default_factory=dict)
    """What the settings say of one flow, by flow id."""
    aliases_at: Mapping[str, str] = field(default_factory=dict)
    """Where each alias's flow id is written, ``file:line:col``, by the alias:
    the flow may not exist (checked once the flows are read)."""


@dataclass(frozen=True)
class Config:
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)
    """Every rule's effective level and options, by rule id: its own, then the file's."""
    fail_under: float | None = None
    diff_levels: Mapping[str, Severity] = field(default_factory=dict)
    """Levels of change kinds for ``journeycode diff``, where they differ from the defaults."""
    measurements: Measurements = field(default_factory=Measurements)
    language: i18n.Language | None = None
    """The workspace's language, when its settings give one."""
    flows: Flows = field(default_factory=Flows)


def load(root: Path, display_root: str, defaults: Mapping[str, RuleSetting]) -> Config:
    """The settings of the workspace at ``root``; ``defaults`` holds every rule's
    own level and options, by rule id, in the order the rules run."""
    path = root / SETTINGS_FILE
    display = f"{display_root}/{SETTINGS_FILE}" if display_root else SETTINGS_FILE
    if path.is_symlink():
        raise ConfigError(
            msg("the settings file is a symlink, and symlinks are not followed"),
            f"{display}:1:1",
            msg("copy the file into the workspace instead"),
        )
    if not path.exists():
        return Config(dict(defaults))
    try:
        file = loader.read(path, display)
    except loader.LoadError as error:
        raise ConfigError(
            error.message, f"{display}:{error.line}:{error.col}", error.hint
        ) from None
    except OSError as error:
        raise ConfigError(
            msg("cannot read the file: {reason}", reason=error.strerror), f"{display}:1:1"
        ) from None
    return _Reader(file, root, defaults).config()


class _Reader:
    def __init__(self, file: loader.SourceFile, root: Path, defaults: Mapping[str, RuleSetting]):
        self.file, self.root, self.defaults = file, root, defaults

    def fail(
        self,
        pointer: Pointer,
        message: str,
        hint: str | None = None,
        *,
        key: bool = False,
        fix: Fix | None = None,
    ) -> ConfigError:
        line, col = self.file.locate(pointer, key=key)
        return ConfigError(message, f"{self.file.display}:{line}:{col}", hint, fix=fix)

    def mapping(self, value: Any, pointer: Pointer, allowed: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(
                pointer,
                msg(
                    "{name}: expected a mapping, got {value}",
                    name=_name(pointer),
                    value=show(value),
                ),
            )
        for name in value:
            if name not in allowed:
                close = suggest.closest(name, allowed)
                raise self.fail(
                    (*pointer, name),
                    _unknown(pointer, name),
                    suggest.hint(close) or msg("known: {names}", names=", ".join(allowed)),
                    key=True,
                    fix=suggest.fix(name, close),
                )
        return value

    def config(self) -> Config:
        top = self.mapping(
            self.file.data,
            (),
            {
                "language": None,
                "rules": None,
                "coverage": None,
                "diff": None,
                "measurements": None,
                "flows": None,
            },
        )
        for fixed in pipeline_rules.DOCS:
            if isinstance(top.get("rules"), dict) and fixed in top["rules"]:
                raise self.fail(
                    ("rules", fixed),
                    msg("rule '{rule}' is always an error and cannot be configured", rule=fixed),
                    key=True,
                )
        rules = self.mapping(top.get("rules", {}), ("rules",), self.defaults)
        coverage = self.mapping(top.get("coverage", {}), ("coverage",), {"fail_under": None})
        fail_under = coverage.get("fail_under")
        if fail_under is not None and (
            isinstance(fail_under, bool)
            or not isinstance(fail_under, (int, float))
            or not 0 <= fail_under <= 100
        ):
            raise self.fail(
                ("coverage", "fail_under"), msg("fail_under: expected a percentage from 0 to 100")
            )
        return Config(
            {
                rule: self.rule(rule, rules[rule]) if rule in rules else default
                for rule, default in self.defaults.items()
            },
            None if fail_under is None else float(fail_under),
            self.diff_levels(top.get("diff", {})),
            self.measurements(top.get("measurements", {})),
            self.language(top["language"]) if "language" in top else None,
            self.flows(top.get("flows", {})),
        )

    def language(self, value: Any) -> i18n.Language:
        try:
            return i18n.resolve(value)
        except i18n.UnknownLanguage as error:
            raise self.fail(
                ("language",),
                error.message,
                error.hint,
                fix=suggest.fix(str(value), error.suggestion),
            ) from None

    def folder(self, pointer: Pointer, path: Any) -> str:
        """A folder a setting names, which must be inside the workspace."""
        if not isinstance(path, str) or not path or Path(path).is_absolute() or ".." in path:
            raise self.fail(
                pointer,
                msg("path: expected a folder inside the workspace, got {value}", value=show(path)),
            )
        try:
            # A configured path must resolve inside the workspace: a link could lead anywhere.
            atomic.refuse_symlinks(self.root, self.root / path)
        except atomic.SymlinkRefused as error:
            link = Path(str(error.filename)).relative_to(self.root).as_posix()
            raise self.fail(
                pointer,
                msg("path: '{link}' is a symlink, and symlinks are not followed", link=link),
                msg("name a folder inside the workspace"),
            ) from None
        except OSError as error:  # a name too long, say
            raise self.fail(
                pointer,
                msg("path: cannot be read: {reason}", reason=error.strerror),
            ) from None
        return path

    def flows(self, value: Any) -> Flows:
        """``flows: {path: flows, aliases: {ARN: flow-id}, queues: {QUEUE: {channel: c,
        owner: o}}, files: {FLOW: {queues: …}}}``; a queue's value may be its channel alone."""
        given = self.mapping(
            value, ("flows",), {"path": None, "aliases": None, "queues": None, "files": None}
        )
        path = self.folder(("flows", "path"), given.get("path", Flows.path))
        aliases = given.get("aliases", {})
        if not isinstance(aliases, dict):
            raise self.fail(
                ("flows", "aliases"),
                msg("{name}: expected a mapping, got {value}", name="aliases", value=show(aliases)),
            )
        for written, ident in aliases.items():
            if not isinstance(ident, str) or not ident:
                raise self.fail(
                    ("flows", "aliases", written),
                    msg("{name}: expected a flow id, got {value}", name=written, value=show(ident)),
                )
        files = given.get("files", {})
        if not isinstance(files, dict):
            raise self.fail(
                ("flows", "files"),
                msg("{name}: expected a mapping, got {value}", name="files", value=show(files)),
            )
        return Flows(
            path,
            {str(k): v for k, v in aliases.items()},
            self.queues(given.get("queues", {}), ("flows", "queues")),
            {str(ident): self.flow_file(ident, settings) for ident, settings in files.items()},
            {str(k): self.value_at(("flows", "aliases", k)) for k in aliases},
        )

    def flow_file(self, ident: Any, value: Any) -> FlowFile:
        """``files: {FLOW: {queues: {QUEUE: …}}}``: the flow id is checked once
        the flows are read (:func:`journeycode.flows.attach`)."""
        pointer = ("flows", "files", ident)
        given = self.mapping(value, pointer, {"queues": None})
        return FlowFile(
            self.where(pointer), self.queues(given.get("queues", {}), (*pointer, "queues"))
        )

    def queues(self, value: Any, pointer: Pointer) -> dict[str, Queue]:
        """``{QUEUE: {channel: c, owner: o}}``, or ``{QUEUE: c}``."""
        if not isinstance(value, dict):
            raise self.fail(
                pointer,
                msg("{name}: expected a mapping, got {value}", name="queues", value=show(value)),
            )
        found = {}
        for queue, where in value.items():
            if isinstance(where, str):
                where = {"channel": where}
            leads = self.mapping(where, (*pointer, queue), {"channel": None, "owner": None})
            for name, ident in leads.items():
                if not isinstance(ident, str) or not ident:
                    raise self.fail(
                        (*pointer, queue, name),
                        msg("{name}: expected an id, got {value}", name=name, value=show(ident)),
                    )
            found[str(queue)] = Queue(leads.get("channel"), leads.get("owner"))
        return found

    def measurements(self, value: Any) -> Measurements:
        """``measurements: {path: exports, columns: {kpi: Metric, value: Value}}``."""
        if isinstance(value, dict):
            for name in value:
                if name in _SOURCE_KEYS and name not in _MEASUREMENTS_KEYS:
                    raise self.fail(
                        ("measurements", name),
                        _unknown(("measurements",), name),
                        msg(
                            "{name} is a setting of a source: measurements: sources: "
                            "[{{files: …, {name}: …}}]",
                            name=name,
                        ),
                        key=True,
                    )
        given = self.mapping(value, ("measurements",), _MEASUREMENTS_KEYS)
        path = self.folder(("measurements", "path"), given.get("path", Measurements.path))
        renamed = self.mapping(
            given.get("columns", {}),
            ("measurements", "columns"),
            dict.fromkeys(MEASUREMENT_COLUMNS),
        )
        for name, header in renamed.items():
            if not isinstance(header, str) or not header:
                raise self.fail(
                    ("measurements", "columns", name),
                    msg(
                        "{name}: expected the header of a column, got {value}",
                        name=name,
                        value=show(header),
                    ),
                )
        return Measurements(
            path,
            {name: renamed.get(name, name) for name in MEASUREMENT_COLUMNS},
            self.sources(given.get("sources", [])),
            self.computed(given.get("kpis", {})),
        )

    def where(self, pointer: Pointer) -> str:
        line, col = self.file.locate(pointer, key=True)
        return f"{self.file.display}:{line}:{col}"

    def value_at(self, pointer: Pointer) -> str:
        """Where the value at ``pointer`` is written, ``file:line:col``."""
        line, col = self.file.locate(pointer)
        return f"{self.file.display}:{line}:{col}"

    def sources(self, value: Any) -> tuple[Source, ...]:
        """``sources: [{files: exports/*.csv, delimiter: ";", …}, …]``."""
        if not isinstance(value, list):
            raise self.fail(
                ("measurements", "sources"),
                msg("sources: expected a list, got {value}", value=show(value)),
            )
        return tuple(
            self.source(item, ("measurements", "sources", index))
            for index, item in enumerate(value)
        )

    def source(self, value: Any, pointer: Pointer) -> Source:
        given = self.mapping(value, pointer, _SOURCE_KEYS)
        base: Mapping[str, Any] = {}
        if "profile" in given:
            name = given["profile"]
            base = profiles.PROFILES.get(name, {}) if isinstance(name, str) else {}
            if not base:
                self.choose(name, (*pointer, "profile"), list(profiles.PROFILES))
        merged = {**base, **given}
        for key in ("columns", "codes", "units"):
            merged[key] = {**base.get(key, {}), **self.texts(given.get(key, {}), (*pointer, key))}
        if "files" not in merged:
            raise self.fail(
                pointer,
                msg("a source names its files: files: a folder or a glob in the workspace"),
            )
        files = self.inside(merged["files"], (*pointer, "files"), "files")
        encoding = merged.get("encoding")
        if encoding is not None:
            named = str(encoding).lower().replace("_", "-")
            if named not in ENCODINGS:
                self.choose(encoding, (*pointer, "encoding"), list(ENCODINGS))
            encoding = ENCODINGS[named]
        delimiter = merged.get("delimiter")
        if delimiter is not None:
            delimiter = _TAB if delimiter == "tab" else delimiter
            if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
                raise self.fail(
                    (*pointer, "delimiter"),
                    msg("delimiter: expected one character, got {value}", value=show(delimiter)),
                )
        decimal = self.choose(merged.get("decimal", "."), (*pointer, "decimal"), [".", ","])
        thousands = merged.get("thousands")
        if thousands is not None:
            thousands = self.choose(thousands, (*pointer, "thousands"), list(_THOUSANDS))
            thousands = _THOUSANDS[thousands]
            if thousands == decimal:
                raise self.fail(
                    (*pointer, "thousands"),
                    msg("thousands: the same mark as decimal, {value}", value=show(decimal)),
                )
        shape = self.choose(merged.get("shape", "long"), (*pointer, "shape"), SHAPES)
        period = merged.get("period", "period_end")
        form = None
        if isinstance(period, dict):
            period = self.mapping(period, (*pointer, "period"), {"column": None, "form": None})
            if "form" in period:
                form = self.choose(period["form"], (*pointer, "period", "form"), PERIOD_FORMS)
            period = period.get("column", "period_end")
        if not isinstance(period, str) or not period:
            raise self.fail(
                (*pointer, "period"),
                msg("period: expected the header of a column, got {value}", value=show(period)),
            )
        columns = merged["columns"]
        for name in columns:
            if name not in SOURCE_COLUMNS:
                close = suggest.closest(name, SOURCE_COLUMNS)
                raise self.fail(
                    (*pointer, "columns", name),
                    _unknown(("columns",), name),
                    suggest.hint(close) or msg("known: {names}", names=", ".join(SOURCE_COLUMNS)),
                    key=True,
                    fix=suggest.fix(name, close),
                )
        units = merged["units"]
        for code, unit in units.items():
            self.choose(unit, (*pointer, "units", code), UNITS)
        return Source(
            files,
            self.where(pointer),
            merged.get("profile"),
            encoding,
            delimiter,
            decimal,
            thousands,
            shape,
            period,
            form,
            columns,
            merged["codes"],
            units,
        )

    def computed(self, value: Any) -> tuple[Computed, ...]:
        """``kpis: {aht: {sum: handle_time, per: contacts_handled, period: month}}``."""
        kpis = self.mapping(value, ("measurements", "kpis"), _AnyKey())
        found = []
        for kpi, setting in kpis.items():
            pointer: Pointer = ("measurements", "kpis", kpi)
            given = self.mapping(setting, pointer, dict.fromkeys(_COMPUTED_KEYS))
            if "sum" not in given:
                raise self.fail(
                    pointer,
                    msg("{kpi}: give the metric it sums: sum: a metric of the sources", kpi=kpi),
                )
            names = self.texts({k: v for k, v in given.items() if k != "period"}, pointer)
            if "per" in names and "weight" in names:
                raise self.fail(
                    (*pointer, "weight"),
                    msg("{kpi}: per or weight, not both", kpi=kpi),
                    msg("per divides a sum by a count; weight weighs averages by a count"),
                    key=True,
                )
            period = self.choose(given.get("period", "month"), (*pointer, "period"), KPI_PERIODS)
            found.append(
                Computed(
                    str(kpi),
                    self.where(pointer),
                    names["sum"],
                    names.get("per"),
                    names.get("weight"),
                    period,
                )
            )
        return tuple(found)

    def texts(self, value: Any, pointer: Pointer) -> dict[str, str]:
        """A mapping of names to non-empty texts."""
        given = self.mapping(value, pointer, _AnyKey())
        for name, text in given.items():
            if not isinstance(text, str) or not text:
                raise self.fail(
                    (*pointer, name),
                    msg("{name}: expected a name, got {value}", name=name, value=show(text)),
                )
        return {str(name): text for name, text in given.items()}

    def choose(self, value: Any, pointer: Pointer, choices: Sequence[str]) -> str:
        """``value`` when it is one of ``choices``; else an error with a did-you-mean."""
        if isinstance(value, str) and value in choices:
            return value
        close = suggest.closest(str(value), choices)
        raise self.fail(
            pointer,
            msg(
                "{name}: {value} is not one of {choices}",
                name=_name(pointer),
                value=show(value),
                choices=", ".join(repr(c) if c.strip() in ("", ".", ",") else c for c in choices),
            ),
            suggest.hint(close),
            fix=suggest.fix(str(value), close),
        )

    def inside(self, path: Any, pointer: Pointer, name: str) -> str:
        """A path inside the workspace, through no symlink."""
        if (
            not isinstance(path, str)
            or not path
            or Path(path).is_absolute()
            or ".." in Path(path).parts
        ):
            raise self.fail(
                pointer,
                msg(
                    "{name}: expected a path inside the workspace, got {value}",
                    name=name,
                    value=show(path),
                ),
            )
        fixed = Path(*_static_parts(path))
        try:
            atomic.refuse_symlinks(self.root, self.root / fixed)
        except atomic.SymlinkRefused as error:
            link = Path(str(error.filename)).relative_to(self.root).as_posix()
            raise self.fail(
                pointer,
                msg(
                    "{name}: '{link}' is a symlink, and symlinks are not followed",
                    name=name,
                    link=link,
                ),
                msg("name a folder inside the workspace"),
            ) from None
        except OSError as error:
            raise self.fail(
                pointer, msg("{name}: cannot be read: {reason}", name=name, reason=error.strerror)
            ) from None
        return Path(path).as_posix()

    def diff_levels(self, value: Any) -> dict[str, Severity]:
        levels = self.mapping(value, ("diff",), CHANGE_KINDS)
        found = {}
        names = [str(level) for level in Severity]
        for kind, level in levels.items():
            if level not in names:
                close = suggest.closest(str(level), names)
                raise self.fail(
                    ("diff", kind),
                    msg(
                        "diff: {value} is not one of {choices}",
                        value=show(level),
                        choices=", ".join(reversed(names)),
                    ),
                    suggest.hint(close),
                    fix=suggest.fix(str(level), close),
                )
            found[kind] = Severity[level.upper()]
        return found

    def rule(self, rule: str, value: Any) -> RuleSetting:
        pointer: Pointer = ("rules", rule)
        own = self.defaults[rule]
        options = own.options
        if not isinstance(value, dict):
            return RuleSetting(self.level(value, pointer), options)
        self.mapping(value, pointer, {"level": None, **options})
        level = self.level(value["level"], (*pointer, "level")) if "level" in value else own.level
        for name, setting in value.items():
            if name == "level":
                continue
            default = options[name]
            if isinstance(default, bool):
                if not isinstance(setting, bool):
                    raise self.fail(
                        (*pointer, name),
                        msg(
                            "{name}: expected true or false, got {value}",
                            name=name,
                            value=show(setting),
                        ),
                    )
            elif isinstance(setting, bool) or type(setting) is not type(default) or setting < 0:
                raise self.fail(
                    (*pointer, name),
                    msg(
                        "{name}: expected a whole number ≥ 0, got {value}",
                        name=name,
                        value=show(setting),
                    ),
                )
        return RuleSetting(level, {**options, **{k: v for k, v in value.items() if k != "level"}})

    def level(self, value: Any, pointer: Pointer) -> Level | None:
        if value == OFF or value is False:
            return None
        choices = [OFF, *(level.value for level in Level)]
        if value not in choices:
            close = suggest.closest(str(value), choices)
            raise self.fail(
                pointer,
                msg(
                    "{name}: {value} is not one of {choices}",
                    name=_name(pointer),
                    value=show(value),
                    choices=", ".join(choices),
                ),
                suggest.hint(close),
                fix=suggest.fix(str(value), close),
            )
        return Level(value)


_MEASUREMENTS_KEYS = dict.fromkeys(("path", "columns", "sources", "kpis"))
_SOURCE_KEYS = dict.fromkeys(
    (
        "files",
        "profile",
        "encoding",
        "delimiter",
        "decimal",
        "thousands",
        "shape",
        "period",
        "columns",
        "codes",
        "units",
    )
)
_COMPUTED_KEYS = ("sum", "per", "weight", "period")
_TAB = "\t"
# The thousands separators a source may name: a space (or the no-break spaces
# CLDR writes for ru), a comma, a dot, an apostrophe (de-CH).
_THOUSANDS = {" ": " ", "space": " ", ",": ",", ".": ".", "'": "'"}
_GLOB = re.compile(r"[*?\[]")


def _static_parts(path: str) -> list[str]:
    """The folders of a glob before its first wildcard: where its files are looked for."""
    parts = []
    for part in PurePosixPath(path).parts:
        if _GLOB.search(part):
            break
        parts.append(part)
    return parts or ["."]


class _AnyKey(dict[str, None]):
    """Allowed keys of a mapping whose keys are the user's own (codes, KPI ids)."""

    def __contains__(self, key: object) -> bool:
        return True


def _name(pointer: Pointer) -> str:
    return str(pointer[-1]) if pointer else msg("settings")


def _unknown(pointer: Pointer, name: str) -> str:
    """The message for an unknown key ``name`` in the mapping at ``pointer``:
    a whole sentence for each kind of key (the noun's form differs by language)."""
    if not pointer:
        return msg("unknown setting '{name}'", name=name)
    if pointer == ("rules",):
        return msg("unknown rule '{name}'", name=name)
    if pointer == ("diff",):
        return msg("unknown change kind '{name}'", name=name)
    if pointer[0] == "rules":
        return msg("unknown option of {rule} '{name}'", rule=pointer[1], name=name)
    if pointer[:2] == ("measurements", "sources") and len(pointer) == 3:
        return msg("unknown source setting '{name}'", name=name)
    return msg("unknown {section} setting '{name}'", section=pointer[0], name=name)
