"""The document model every parser returns and the warehouse loads.

Records are frozen dataclasses.  Every record carries ``line_no`` (1-based line
of the decoded text) and ``page`` (PDF page, else ``None``).  Parsers are pure
and always leave ``page`` as ``None``; the ingest edge fills it from the PDF's
line-to-page map with :func:`assign_pages`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, field
from datetime import date
from typing import Any, Literal, TypeVar

Kind = str  # a registered kind name (parsers.registry is the only list of kinds)
Grain = Literal["day", "month", "quarter", "fiscal_year", "range"]
Severity = Literal["info", "warning", "error"]
Metric = Literal["reach", "views", "likes", "shares", "comments", "posts", "reach_total"]
ResultLevel = Literal["output", "outcome"]
_T = TypeVar("_T")


def fast_init(cls: type[_T]) -> type[_T]:
    """Give a frozen dataclass an __init__ that writes the fields straight into the
    instance dict: same signature and defaults, about twice as fast as the generated one
    (which calls object.__setattr__ per field). Parsers build many thousands of records.
    Frozenness, eq, hash, repr, replace() and pickling are unchanged. A class this cannot
    handle (default factories, init=False or keyword-only fields, __post_init__, slots)
    keeps its own __init__.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if (
        hasattr(cls, "__post_init__")
        or hasattr(cls, "__slots__")
        or any(not f.init or f.kw_only or f.default_factory is not MISSING for f in fields)
    ):
        return cls
    defaults = {f"_d_{f.name}": f.default for f in fields if f.default is not MISSING}
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_d_{f.name}" for f in fields)
    body = "".join(f"\n    d[{f.name!r}] = {f.name}" for f in fields)
    namespace: dict[str, object] = dict(defaults)
    exec(f"def __init__(self, {params}):\n    d = self.__dict__{body}", namespace)
    init: Any = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010 (assigning a method is what this does)
    return cls


@fast_init
@dataclass(frozen=True)
class Indicator:
    code: str | None
    name: str | None
    indicator_type: str | None = None
    result_level: ResultLevel | None = None
    target_value: float | None = None
    target_unit: str | None = None
    achieved_value: float | None = None
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class QuarterlyResult:
    code: str | None  # the indicator's code
    quarter: int  # 1-4
    result_pct: float | None
    score: float | None  # None when the cell is blank
    eval_1: float | None = None  # the "2.1 / 2.2" pair
    eval_2: float | None = None
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class ReportEntry:
    entry_no: int  # 1-based order in the document
    quarter: int | None  # fiscal quarter the report is filed under
    report_date: date | None
    progress_pct: float | None
    body: str
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class ReachMetric:
    entry_no: int | None
    report_date: date | None
    item_no: str | None  # as written: '3', '2.4'; None for totals
    title: str | None
    metric: Metric
    value: int
    unit: str | None  # as written: 'คน', 'ราย', 'ครั้ง', ...
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class SuccessLevel:
    level: int  # 1-5
    pct: float | None
    description: str | None
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class StrategyLink:
    path: str  # '5', '5.4', '5.4.1', '5.4.1.1'
    name: str | None
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class PlanStep:
    step_no: int
    description: str | None
    weight_pct: float | None
    start_date: date | None
    end_date: date | None
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class KeyResult:
    code: str | None
    name: str | None
    fiscal_year: int | None
    host_agency: str | None
    aspect: str | None
    issue: str | None
    target_value: float | None
    target_unit: str | None
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class Contact:
    name: str | None  # a person, or the section (ฝ่าย…) named as the contact
    position: str | None
    phone: str | None  # as written, Arabic digits: '6822-3', '0 2203 2725'; one row per number
    agency: str | None
    line_no: int | None = None
    page: int | None = None
    phone_digits: str | None = None  # the first number's digits, for joining: '6822'


@fast_init
@dataclass(frozen=True)
class Assessment:
    quarter: int | None
    score: float | None  # None when blank
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class Checkbox:
    group: str | None
    label: str
    checked: bool
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class Attribute:
    """Any other labelled field of a document, kept as (key, value) text."""

    key: str  # a stable snake_case id, e.g. 'definition', 'rationale'
    value: str
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class DateMention:
    """A date, range, month, quarter or fiscal year written anywhere in the text."""

    raw: str  # as written
    start_date: date
    end_date: date  # equal to start_date for one day
    grain: Grain
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class AmountMention:
    """A money amount written anywhere in the text, in baht."""

    raw: str  # as written
    value: float
    unit: str = "บาท"
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class Anomaly:
    rule: str  # a short stable id, e.g. 'declared_count_mismatch'
    severity: Severity
    message: str  # a full sentence naming the bad value
    line_no: int | None = None
    page: int | None = None


@fast_init
@dataclass(frozen=True)
class Document:
    kind: Kind
    source: str
    code: str | None = None
    title: str | None = None
    fiscal_year: int | None = None
    agency: str | None = None
    progress_pct: float | None = None
    indicators: tuple[Indicator, ...] = ()
    quarterly_results: tuple[QuarterlyResult, ...] = ()
    report_entries: tuple[ReportEntry, ...] = ()
    reach_metrics: tuple[ReachMetric, ...] = ()
    success_levels: tuple[SuccessLevel, ...] = ()
    strategy_links: tuple[StrategyLink, ...] = ()
    plan_steps: tuple[PlanStep, ...] = ()
    key_results: tuple[KeyResult, ...] = ()
    contacts: tuple[Contact, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    checkboxes: tuple[Checkbox, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    anomalies: tuple[Anomaly, ...] = field(default=())
    # What any text holds, whatever its kind (see parsers.mentions): kept out of the
    # goldens (to_jsonable) because they restate the text.
    date_mentions: tuple[DateMention, ...] = ()
    amounts: tuple[AmountMention, ...] = ()
    lines: tuple[str, ...] = ()  # every repaired line; lines[k] is line_no k + 1
    line_pages: tuple[int, ...] | None = None  # PDF page of each line, else None


RECORD_FIELDS: tuple[str, ...] = (
    "indicators",
    "quarterly_results",
    "report_entries",
    "reach_metrics",
    "success_levels",
    "strategy_links",
    "plan_steps",
    "key_results",
    "contacts",
    "assessments",
    "checkboxes",
    "attributes",
    "anomalies",
    "date_mentions",
    "amounts",
)
# Document fields that restate the text rather than parse it: not in to_jsonable by default.
TEXT_FIELDS: tuple[str, ...] = ("date_mentions", "amounts", "lines", "line_pages")


def assign_pages(doc: Document, line_pages: Sequence[int] | None) -> Document:
    """Fill ``page`` on every record from ``line_pages[line_no - 1]``.

    ``line_pages`` maps each 1-based line of the decoded text to its PDF page;
    ``None`` (plain text) leaves the document as it is.
    """
    if not line_pages:
        return doc
    line_pages = tuple(line_pages)

    def page_of(line_no: int | None) -> int | None:
        if line_no is None or not 1 <= line_no <= len(line_pages):
            return None
        return line_pages[line_no - 1]

    changes: dict[str, Any] = {
        name: tuple(
            dataclasses.replace(rec, page=page_of(rec.line_no)) for rec in getattr(doc, name)
        )
        for name in RECORD_FIELDS
    }
    return dataclasses.replace(doc, **changes, line_pages=line_pages)


def to_jsonable(doc: Document, *, text_fields: bool = False) -> dict:
    """The document as plain JSON types (dates as ISO strings), for goldens and --json.

    ``text_fields`` adds the lines, date mentions and amounts (TEXT_FIELDS).
    """

    def convert(value: object) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        return value

    plain = convert(dataclasses.asdict(doc))
    if not text_fields:
        for name in TEXT_FIELDS:
            plain.pop(name)
    return plain
