"""Report kinds defined as data: a TOML kind file gives the cues and the labels, no Python.

A kind file (see docs/adding-a-kind.md, "A kind as data", and ``parsers/kinds/*.toml``)::

    name = "moi_kpi_report"                        # the value of documents.kind
    summary = "Ministry of Interior KPI report form"
    samples = ["real/moi_kpi_report_*.txt"]        # its samples, under samples/

    [detect]                                       # claims a text "strong" when
    all = ["ชื่อโครงการ", "ห้วงการรายงาน"]            # every one of these is in it,
    any = []                                       # at least one of these (if any),
    none = []                                      # none of these,
    head = 0                                       # within its first N characters (0: all)

    [[field]]                                      # a labelled line
    label = "หน่วยงาน"                              # (or a list of labels)
    to = "agency"                                  # the value after the label goes here
    required = false                               # missing_section when absent

    [[field]]
    label = "ห้วงการรายงาน"
    pattern = 'ไตรมาสที่\\s*(?P<q>\\d)'                 # groups of the value ...
    to = { q = "attribute.reporting_quarter" }     # ... each to its targets

    [[match]]                                      # a pattern tried on every line
    pattern = '(?P<description>.+?) เท่ากับ (?P<level>\\d) คะแนน'
    record = "success_levels"                      # a row of that record list, or
    # attribute = "key_{group}" and value = "{group}" for an attribute

A label is read at the start of a line (after bullets, blanks and item numbers such as
``3.``), or inside a line after a blank when a colon follows it; the value runs to the next
label on that line (a label ending its line takes the next line, when that has no label:
a wrapped value).  The first line with a label wins.  Targets: the document fields
``title``, ``code``, ``agency``, ``fiscal_year`` and ``progress_pct``; ``indicator.<field>``
(one indicator row: ``code``, ``name``, ``indicator_type``, ``target_value``,
``target_unit``, ``achieved_value``); ``attribute.<key>``.  ``fiscal_year`` reads a
Buddhist-era year, else the fiscal year of the first date in the value; number fields read
the first number.

A bad kind file raises :class:`parsers.errors.KindFileError` naming the file and the key.
Patterns run on one line at a time, at most :data:`MAX_LINE` characters of it.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normalize import find_dates, fiscal_year, parse_number, to_arabic_digits
from parsers.accumulator import Accumulator
from parsers.detect import Strength
from parsers.errors import KindFileError
from parsers.model import RECORD_FIELDS, Document, Indicator

MAX_LINE = 2000  # characters of a line the patterns see: a user's pattern may backtrack
_NAME = re.compile(r"[a-z][a-z0-9_]{1,40}$")
_TOP_KEYS = ("name", "summary", "samples", "detect", "field", "match")
_DETECT_KEYS = ("all", "any", "none", "head")
_FIELD_KEYS = ("label", "pattern", "to", "required")
_MATCH_KEYS = ("pattern", "record", "attribute", "value")
_DOCUMENT_TARGETS = ("title", "code", "agency", "fiscal_year", "progress_pct")
_INDICATOR_TARGETS = (
    "code", "name", "indicator_type", "target_value", "target_unit", "achieved_value",
)  # fmt: skip
_NUMBER_TARGETS = ("progress_pct", "target_value", "achieved_value")
# A line's lead before a label: blanks, bullets, an item number ("3.", "6.1", "(2)").
_LEAD = r"^[\s•·*\-–>]*(?:\(?[0-9๐-๙]{1,2}(?:\.[0-9๐-๙]{1,2})*[.)]?\s*)?"
_RECORD_TYPES = {  # record list -> its dataclass, for [[match]] record = "..."
    f.name: f.type for f in dataclasses.fields(Document) if f.name in RECORD_FIELDS
}
_TEXT_TYPES = {"str": str, "str | None": str, "int": int, "int | None": int, "float | None": float}


@dataclass(frozen=True)
class FieldRule:
    labels: tuple[str, ...]
    pattern: re.Pattern[str] | None
    targets: tuple[tuple[str, tuple[str, ...]], ...]  # (group, targets); group "" = value
    required: bool


@dataclass(frozen=True)
class MatchRule:
    pattern: re.Pattern[str]
    record: str | None
    attribute: str | None
    value: str


@dataclass(frozen=True)
class DataKind:
    """A report kind read from a kind file: its claim on a text and its parse."""

    name: str
    summary: str
    samples: tuple[str, ...]
    path: Path
    all_cues: tuple[str, ...]
    any_cues: tuple[str, ...]
    none_cues: tuple[str, ...]
    head: int
    fields: tuple[FieldRule, ...]
    matches: tuple[MatchRule, ...]
    labels: re.Pattern[str]  # every label at a line start
    inline: re.Pattern[str]  # every label inside a line, a colon after it

    def claim(self, text: str) -> Strength | None:
        """Strong when the cues of [detect] are there; no claim otherwise."""
        head = text[: self.head] if self.head else text
        if not all(cue in head for cue in self.all_cues):
            return None
        if self.any_cues and not any(cue in text for cue in self.any_cues):
            return None
        return None if any(cue in text for cue in self.none_cues) else "strong"

    def parse(self, text: str, source: str) -> Document:
        """The document the kind's fields and matches read from ``text`` (already repaired)."""
        return _Parse(self).run(text, source)


# ------------------------------------------------------------------------------ parsing


class _Parse:
    """One parse of one text: which fields fired, and what they set."""

    def __init__(self, kind: DataKind) -> None:
        self.kind = kind
        self.acc = Accumulator()
        self.doc: dict[str, Any] = {}
        self.indicator: dict[str, Any] = {}
        self.indicator_line: int | None = None
        self.fired: set[int] = set()  # indexes of the field rules already read
        self.records: dict[str, list[Any]] = {}

    def run(self, text: str, source: str) -> Document:
        by_label = {label: k for k, rule in enumerate(self.kind.fields) for label in rule.labels}
        waiting: int | None = None  # a field whose label ended its line (the value wrapped)
        for no, raw in enumerate(text.split("\n"), 1):
            line = raw[:MAX_LINE]
            found = _labelled(line, self.kind)
            if waiting is not None and not found and line.strip():
                self._field(waiting, line.strip(), no)
            if line.strip():
                waiting = None
            for label, value in found:
                k = by_label[label]
                if value:
                    self._field(k, value, no)
                elif k not in self.fired:
                    waiting = k
            for rule in self.kind.matches:
                for m in rule.pattern.finditer(line):
                    self._match(rule, m, no)
        self._missing()
        return self._document(source)

    def _field(self, k: int, value: str, no: int) -> None:
        rule = self.kind.fields[k]
        if k in self.fired:
            return  # the first line with the label wins
        m = rule.pattern.search(value) if rule.pattern else None
        if rule.pattern and m is None:
            return
        self.fired.add(k)
        for group, targets in rule.targets:
            raw = value if not group else (m[group] if m else None)
            if raw and raw.strip():
                for target in targets:
                    self._set(target, raw.strip(), no)

    def _set(self, target: str, raw: str, no: int) -> None:
        where, _, name = target.rpartition(".")
        value = _convert(name, raw)
        if value is None:
            return
        if where == "attribute":
            self.acc.attr(name, raw, no)
        elif where == "indicator":
            self.indicator.setdefault(name, value)
            self.indicator_line = self.indicator_line or no
        else:
            self.doc.setdefault(name, value)

    def _match(self, rule: MatchRule, m: re.Match[str], no: int) -> None:
        groups = {k: v.strip() for k, v in m.groupdict().items() if v and v.strip()}
        if rule.attribute is not None:
            try:
                key, value = rule.attribute.format_map(groups), rule.value.format_map(groups)
            except KeyError:
                return  # a group the key or value names did not take part in this match
            self.acc.attr(key, value, no)
            return
        assert rule.record is not None
        cls = _record_class(rule.record)
        values = {f.name: None for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING}
        try:
            values |= {k: _TEXT_TYPES[_field_type(cls, k)](v) for k, v in groups.items()}
            row = cls(**values)
        except (TypeError, ValueError):
            self.acc.anomaly("unreadable_value", no, line=no, record=rule.record, text=m[0])
            return
        self.records.setdefault(rule.record, []).append(dataclasses.replace(row, line_no=no))

    def _missing(self) -> None:
        for k, rule in enumerate(self.kind.fields):
            if rule.required and k not in self.fired:
                self.acc.anomaly(
                    "missing_section", None, "data", label=rule.labels[0], kind=self.kind.name
                )

    def _document(self, source: str) -> Document:
        indicators: tuple[Indicator, ...] = ()
        if self.indicator:
            named = {"code": None, "name": None, **self.indicator}
            indicators = (Indicator(**named, line_no=self.indicator_line),)
        records: dict[str, Any] = {name: tuple(rows) for name, rows in self.records.items()}
        return Document(
            kind=self.kind.name,
            source=source,
            **self.doc,
            **{"indicators": indicators, **records},
            attributes=self.acc.attributes_in_text_order(),
            anomalies=tuple(self.acc.anomalies),
        )


def _labelled(line: str, kind: DataKind) -> list[tuple[str, str]]:
    """(label, value) of every label on ``line``; each value runs to the next label."""
    if not line.strip():
        return []
    hits: list[tuple[int, int, str]] = []  # start, end, label
    m = kind.labels.match(line)
    if m:
        hits.append((m.start("label"), m.end("label"), m["label"]))
    after = hits[0][1] if hits else 0
    hits += [(h.start(), h.end(), h[0]) for h in kind.inline.finditer(line, after)]
    out = []
    for k, (_, end, label) in enumerate(hits):
        stop = hits[k + 1][0] if k + 1 < len(hits) else len(line)
        out.append((label, line[end:stop].strip().lstrip(":：").strip()))
    return out


def _convert(name: str, raw: str) -> object:
    if name == "fiscal_year":
        return _fiscal_year(raw)
    if name in _NUMBER_TARGETS:
        number = parse_number(raw)
        return float(number) if number is not None else None
    return raw


def _fiscal_year(raw: str) -> int | None:
    """A Buddhist-era year written in ``raw``, else the fiscal year of its first date."""
    m = re.search(r"(?<!\d)25\d\d(?!\d)", to_arabic_digits(raw))
    if m:
        return int(m.group())
    dates = find_dates(raw)
    return fiscal_year(dates[0]) if dates else None


def _record_class(record: str) -> type:
    hint = _RECORD_TYPES[record]
    name = str(hint).removeprefix("tuple[").split(",")[0].strip()
    import parsers.model as model

    return getattr(model, name)


def _field_type(cls: type, name: str) -> str:
    return next(str(f.type) for f in dataclasses.fields(cls) if f.name == name)


# ------------------------------------------------------------------------------ loading


def load_dir(folder: str | Path) -> list[DataKind]:
    """The kinds of every ``*.toml`` file in ``folder`` (sorted by file name)."""
    path = Path(folder)
    if not path.is_dir():
        raise KindFileError(f"The kinds folder {str(path)!r} does not exist.", path=str(path))
    return [load_file(p) for p in sorted(path.glob("*.toml"))]


def load_file(path: str | Path) -> DataKind:
    """The kind defined by the kind file ``path``; a bad file raises KindFileError."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KindFileError(
            f"The kind file cannot be read as TOML ({exc}).", path=str(path)
        ) from exc
    return _Loader(path).kind(data)


class _Loader:
    """Checks one kind file's tables, naming the file and the key of every problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> KindFileError:
        return KindFileError(f"key {key!r}: {problem}", path=str(self.path))

    def kind(self, data: dict[str, Any]) -> DataKind:
        self.keys(data, "", _TOP_KEYS)
        name = self.text(data, "name")
        if not _NAME.match(name):
            raise self.fail("name", f"{name!r} is no kind name (lower case, digits, _).")
        detect = self.table(data, "detect")
        self.keys(detect, "detect.", _DETECT_KEYS)
        fields = tuple(self.field(f, k) for k, f in enumerate(self.tables(data, "field")))
        matches = tuple(self.match(m, k) for k, m in enumerate(self.tables(data, "match")))
        cues = self.texts(detect, "all", "detect.")
        if not cues:
            raise self.fail("detect.all", "at least one cue is needed, or every text matches.")
        labels = sorted({lb for f in fields for lb in f.labels}, key=len, reverse=True)
        any_label = "|".join(map(re.escape, labels)) or "(?!)"
        return DataKind(
            name=name,
            summary=self.text(data, "summary"),
            samples=self.texts(data, "samples", ""),
            path=self.path,
            all_cues=cues,
            any_cues=self.texts(detect, "any", "detect."),
            none_cues=self.texts(detect, "none", "detect."),
            head=self.integer(detect, "head", "detect."),
            fields=fields,
            matches=matches,
            labels=re.compile(rf"{_LEAD}(?P<label>{any_label})"),
            inline=re.compile(rf"(?<=\s)(?:{any_label})(?=\s*[:：])"),
        )

    def keys(self, table: Mapping[str, Any], prefix: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(
                    prefix + key, f"no such key; the keys here are {', '.join(allowed)}."
                )

    def field(self, table: dict[str, Any], k: int) -> FieldRule:
        where = f"field[{k}]."
        self.keys(table, where, _FIELD_KEYS)
        raw_labels = table.get("label")
        labels = (raw_labels,) if isinstance(raw_labels, str) else self.texts(table, "label", where)
        if not labels or not all(lb.strip() for lb in labels):
            raise self.fail(where + "label", "a field needs a label (text or list of texts).")
        pattern = self.pattern(table, where) if "pattern" in table else None
        targets = self.targets(table.get("to"), pattern, where + "to")
        required = table.get("required", False)
        if not isinstance(required, bool):
            raise self.fail(where + "required", f"{required!r} is not true or false.")
        return FieldRule(labels, pattern, targets, required)

    def targets(
        self, to: object, pattern: re.Pattern[str] | None, key: str
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if isinstance(to, str | list):
            return (("", self.target_list(to, key)),)
        if not isinstance(to, dict) or not to:
            raise self.fail(key, "give a target, or a table of pattern group -> target(s).")
        groups = pattern.groupindex if pattern else {}
        for group in to:
            if group not in groups:
                raise self.fail(f"{key}.{group}", "the pattern has no group of this name.")
        return tuple((g, self.target_list(t, f"{key}.{g}")) for g, t in to.items())

    def target_list(self, value: object, key: str) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(t, str) for t in items):
            raise self.fail(key, f"{value!r} is not a target or a list of targets.")
        for target in items:
            where, _, name = target.rpartition(".")
            ok = (
                (where == "" and name in _DOCUMENT_TARGETS)
                or (where == "indicator" and name in _INDICATOR_TARGETS)
                or (where == "attribute" and bool(_NAME.match(name)))
            )
            if not ok:
                raise self.fail(
                    key,
                    f"{target!r} is no target; use {', '.join(_DOCUMENT_TARGETS)}, "
                    f"indicator.<{'|'.join(_INDICATOR_TARGETS)}> or attribute.<snake_case_key>.",
                )
        return tuple(items)

    def match(self, table: dict[str, Any], k: int) -> MatchRule:
        where = f"match[{k}]."
        self.keys(table, where, _MATCH_KEYS)
        pattern = self.pattern(table, where)
        record, attribute = table.get("record"), table.get("attribute")
        if (record is None) == (attribute is None):
            raise self.fail(where + "record", "give either record or attribute (one of them).")
        if record is not None:
            self.check_record(record, pattern, where + "record")
            return MatchRule(pattern, record, None, "")
        value = table.get("value", "{0}")
        if not isinstance(attribute, str) or not isinstance(value, str):
            raise self.fail(where + "attribute", "attribute and value must be text.")
        return MatchRule(pattern, None, attribute, value)

    def check_record(self, record: object, pattern: re.Pattern[str], key: str) -> None:
        if record not in _RECORD_TYPES or record == "anomalies":
            names = ", ".join(n for n in _RECORD_TYPES if n != "anomalies")
            raise self.fail(key, f"{record!r} is no record list; use one of {names}.")
        cls = _record_class(str(record))
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for group in pattern.groupindex:
            if group not in fields or str(fields[group].type) not in _TEXT_TYPES:
                raise self.fail(key, f"the group {group!r} is no text or number field of {record}.")
        for f in fields.values():
            needed = f.default is dataclasses.MISSING and not str(f.type).endswith("| None")
            if needed and f.name not in pattern.groupindex:
                raise self.fail(key, f"{record} rows need the field {f.name!r}: name a group so.")

    def pattern(self, table: dict[str, Any], where: str) -> re.Pattern[str]:
        raw = table.get("pattern")
        if not isinstance(raw, str) or not raw:
            raise self.fail(where + "pattern", "a pattern must be a non-empty text.")
        try:
            return re.compile(raw)
        except re.error as exc:
            problem = f"{raw!r} is no valid regular expression ({exc})."
            raise self.fail(where + "pattern", problem) from exc

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "a table is needed here.")
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            raise self.fail(key, f"write it as [[{key}]] tables.")
        return value

    def text(self, data: dict[str, Any], key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "a non-empty text is needed.")
        return value

    def texts(self, data: Mapping[str, Any], key: str, prefix: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(prefix + key, f"{value!r} is not a list of non-empty texts.")
        return tuple(value)

    def integer(self, data: Mapping[str, Any], key: str, prefix: str) -> int:
        value = data.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(prefix + key, f"{value!r} is not a whole number >= 0.")
        return value
