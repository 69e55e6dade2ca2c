"""Score parsed facts against the generator's ground truth.

Both sides are plain dicts: the truth JSON of bench/gen.py, and either
``parsers.model.to_jsonable(doc)`` or rows read back from the warehouse
(:func:`doc_from_rows`).  A fact is one field of one truth record; a truth record is
paired with the parsed record of the same table that agrees with it on most
fields (each parsed record used once), so ordering differences cost nothing and
a wrong value costs exactly the fields it gets wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

DOC_FIELDS = ("kind", "code", "title", "fiscal_year", "agency", "progress_pct")
TABLES = (
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
)
# Fields that pick the candidate bucket before the best match is searched.
BUCKET = {
    "quarterly_results": "quarter",
    "report_entries": "entry_no",
    "success_levels": "level",
    "strategy_links": "path",
    "plan_steps": "step_no",
    "assessments": "quarter",
    "reach_metrics": "metric",
}
# item_no of totals (posts, reach_total) is NULL by contract but not scored: where a
# total sits inside a numbered item is a matter of taste.
_HONORIFIC = re.compile(r"^(นางสาว|นาง|นาย|น\.ส\.)\s*")
_SPACES = re.compile(r"\s+")


def _norm(table: str, key: str, value: object) -> object:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return round(float(value), 3)
    if isinstance(value, str):
        text = _SPACES.sub(" ", value).strip()
        if key == "name" and table == "contacts":
            text = _HONORIFIC.sub("", text)
        if key == "code" or key == "phone":
            text = text.replace(" ", "")
        return text
    return value


def _same(table: str, key: str, want: object, got: object) -> bool:
    return _norm(table, key, want) == _norm(table, key, got)


@dataclass
class Score:
    facts: int = 0
    matched: int = 0
    by_table: Counter = field(default_factory=Counter)  # table -> facts
    hit_table: Counter = field(default_factory=Counter)  # table -> matched
    by_field: Counter = field(default_factory=Counter)  # 'table.field' -> facts
    hit_field: Counter = field(default_factory=Counter)
    extra_rows: Counter = field(default_factory=Counter)  # table -> parsed rows with no truth
    misses: list[str] = field(default_factory=list)  # 'table.field: want X got Y' (first few)

    def add(self, other: Score) -> None:
        self.facts += other.facts
        self.matched += other.matched
        for mine, theirs in (
            (self.by_table, other.by_table),
            (self.hit_table, other.hit_table),
            (self.by_field, other.by_field),
            (self.hit_field, other.hit_field),
            (self.extra_rows, other.extra_rows),
        ):
            mine.update(theirs)
        if len(self.misses) < 200:
            self.misses.extend(other.misses[: 200 - len(self.misses)])

    def _tally(self, table: str, key: str, ok: bool, want: object, got: object) -> None:
        self.facts += 1
        self.by_table[table] += 1
        self.by_field[f"{table}.{key}"] += 1
        if ok:
            self.matched += 1
            self.hit_table[table] += 1
            self.hit_field[f"{table}.{key}"] += 1
        elif len(self.misses) < 40:
            self.misses.append(f"{table}.{key}: want {want!r} got {got!r}")

    @property
    def accuracy(self) -> float:
        return self.matched / self.facts if self.facts else 1.0


def _scored_fields(table: str, rec: dict) -> list[str]:
    keys = [k for k in rec if k not in ("file", "variants")]
    if table == "reach_metrics" and rec.get("metric") in ("posts", "reach_total"):
        keys = [k for k in keys if k != "item_no"]
    if table == "reach_metrics":
        keys = [k for k in keys if k != "report_date"]  # the entry's date, scored there
    return keys


def _agreement(table: str, want: dict, got: dict, keys: list[str]) -> int:
    return sum(_same(table, k, want[k], got.get(k)) for k in keys)


def _key(table: str, rec: dict, keys: list[str]) -> tuple:
    return tuple(_norm(table, k, rec.get(k)) for k in keys)


def score_table(table: str, want_rows: list[dict], got_rows: list[dict], score: Score) -> None:
    left = list(got_rows)
    pairs: list[tuple[dict, dict | None]] = []
    rest = []
    # Pass 1: exact matches, so one missing row cannot shift the pairing of the others.
    for want in want_rows:
        keys = _scored_fields(table, want)
        wk = _key(table, want, keys)
        hit = next((g for g in left if _key(table, g, keys) == wk), None)
        if hit is not None:
            left.remove(hit)
            pairs.append((want, hit))
        else:
            rest.append(want)
    # Pass 2: the closest remaining row, preferring the same bucket value.
    bucket = BUCKET.get(table)
    for want in rest:
        keys = _scored_fields(table, want)
        pool = [g for g in left if bucket and _same(table, bucket, want.get(bucket), g.get(bucket))]
        best, best_n = None, 0
        for cand in pool or left:
            n = _agreement(table, want, cand, keys)
            if n > best_n:
                best, best_n = cand, n
        if best is not None:
            left.remove(best)
        pairs.append((want, best))
    for want, best in pairs:
        for k in _scored_fields(table, want):
            got = best.get(k) if best is not None else None
            ok = best is not None and _same(table, k, want[k], got)
            score._tally(table, k, ok, want[k], got)
    if left:
        score.extra_rows[table] += len(left)


def score_document(truth: dict, parsed: dict | None) -> Score:
    """Facts of one truth record found in ``parsed`` (None: the file was not loaded)."""
    score = Score()
    parsed = parsed or {}
    for key in DOC_FIELDS:
        if key in truth:
            score._tally(
                "documents",
                key,
                _same("documents", key, truth[key], parsed.get(key)),
                truth[key],
                parsed.get(key),
            )
    for table in TABLES:
        if table in truth:
            score_table(table, truth[table], list(parsed.get(table) or ()), score)
    return score


def doc_from_rows(doc_row: dict, rows_by_table: dict[str, Iterable[dict]]) -> dict:
    """A parsed-document dict from warehouse rows (``documents`` row + fact tables)."""
    doc = {k: doc_row.get(k) for k in DOC_FIELDS}
    for table in TABLES:
        doc[table] = list(rows_by_table.get(table, ()))
    return doc
