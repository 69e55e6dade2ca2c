"""Reach, views, engagement and post counts written inside a report body."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from normalize import to_arabic_digits
from parsers.anomalies import anomaly
from parsers.blocks.lines import clean
from parsers.model import (
    Anomaly,
    Metric,
    ReachMetric,
    fast_init,
)

# ------------------------------------------------------------------------------ reach

_METRIC_OF: dict[str, Metric] = {
    "ยอดผู้เข้าถึงรวมทั้งหมด": "reach_total",
    "ยอดการเข้าถึงรวมทั้งหมด": "reach_total",
    "ยอดการเข้าถึง": "reach",
    "ยอดผู้เข้าถึง": "reach",
    "ยอดเข้าถึง": "reach",
    "ยอดผู้เข้าชม": "views",
    "ยอดผุ้เข้าชม": "views",
    "ยอดการเข้าชม": "views",
    "ยอดเข้าชม": "views",
    "กดถูกใจ": "likes",
    "แชร์": "shares",
    "แสดงความคิดเห็น": "comments",
}
_MISSPELLED = {"ยอดผุ้เข้าชม": "ยอดผู้เข้าชม"}
# Every label holds one of these (tests/parsers/test_prechecks.py checks it).
_LABEL_WORDS = ("ยอด", "กดถูกใจ", "แชร์", "แสดงความคิดเห็น")
_KNOWN_UNITS = ("ความคิดเห็น", "ข้อความ", "ครั้ง", "เรื่อง", "โพสต์", "ราย", "คน", "ท่าน", "วิว")


def _label_pattern(labels: Iterable[str], prefix: str = "ยอด") -> str:
    """The labels, longest first, with the ``prefix`` most share factored out: the engine
    then rejects a position once instead of once per label (same matches, same order)."""
    ordered = sorted(labels, key=len, reverse=True)
    shared = [label[len(prefix) :] for label in ordered if label.startswith(prefix)]
    others = [label for label in ordered if not label.startswith(prefix)]
    return "|".join([f"{prefix}(?:{'|'.join(shared)})", *others])


_LABELS = _label_pattern(_METRIC_OF)
# OCR reads a count's comma as a dot or a blank ("102.226 คน", "74 866 คน"): groups of
# three so written are one count where a unit of counted things follows
_OCR_GROUPS = r"\d{1,3}(?:[. ]\d{3})+(?=[ ]?(?:คน|ครั้ง|ราย|ท่าน))"
_METRIC = re.compile(
    rf"(?P<label>{_LABELS})[ \n]?:?[ ]?(?:จำนวน[ ]?)?(?:ทั้งหมด[ ]?)?"  # \n: a wrapped line
    rf"(?P<num>{_OCR_GROUPS}|\d[\d,]{{0,24}})"
    rf"(?![\d,]|\.\d)[ ]?(?P<unit>{'|'.join(_KNOWN_UNITS)}|[ก-ฮ]\.(?![ก-ฮ]\.)|views?)?"
)
_SEPARATORS = str.maketrans("", "", ",. ")
# ครัง: ครั้ง with its tone mark lost to OCR
_POSTS = re.compile(r"จำนวน[ ]?(?P<num>\d[\d,]{0,12})[ ]?(?P<unit>ครั้?ง|เรื่อง|โพสต์|ชิ้นงาน|ชิ้น)")
_POSTS_TOTAL = re.compile(r"[ ]?(?:และ)?[ ]?(?:โดย)?(?:มี)?[ ]?ยอด(?:ผู้|การ)เข้าถึงรวมทั้งหมด")
_POSTS_LIST = re.compile(r"[ ]?ดังนี้")
# Item markers: "1." "2.4" "2.4." "1)" after a blank (or a colon) or at the start.
# Led by a digit (the blank-or-colon check comes after it) so ``re`` skips to digits fast.
_ITEM = re.compile(r"(?P<no>\d(?<![^\s:]\d)\d{0,2}(?:\.\d{1,3}){0,3})(?P<end>[.)]?)(?=\D|$)")
_ACRONYM_BEFORE = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}[ ]?$")
# Led by the bullet (the blank-before check comes after it) so ``re`` skips to it fast.
_BULLET = re.compile(r"[-–•](?<!\S[-–•])(?=[ ]?[^\s\d\-–])")
_NEWLINE = re.compile("\n")
_TITLE_TAILS = ("โดยมี", "และมี", "โดย", "มี", ",")


@fast_init
@dataclass(frozen=True)
class _Item:
    no: str
    depth: int
    start: int  # of the marker
    body: int  # just past the marker
    end: int = 0


def find_items(text: str) -> list[_Item]:
    """The numbered items of ``text`` that follow one another (1, 2, 2.1, 2.2, 3 …).

    A number is an item marker only when it is the next one expected, so "PM 2.5" inside
    item 3 and "10 มาตรการ" are not items.

    >>> [i.no for i in find_items("1. ก PM 2.5 ข 2. ค 2.1 ง 2.2 จ 3. ฉ 1. ช")]
    ['1', '2', '2.1', '2.2', '3', '1']
    >>> text = "1. ข่าว 1.1 ฝุ่น PM 1.2 ในโรงเรียน 1.2 สงกรานต์"
    >>> [(i.no, text[i.body : i.end].strip()) for i in find_items(text)]
    [('1', 'ข่าว'), ('1.1', 'ฝุ่น PM 1.2 ในโรงเรียน'), ('1.2', 'สงกรานต์')]
    """
    found: list[tuple[str, int, int, int]] = []  # no, depth, start, body
    path: tuple[int, ...] = ()
    digits = to_arabic_digits(text)
    for m in _ITEM.finditer(digits):
        no, end = m.group("no", "end")
        if not end and "." not in no:
            continue  # a lone number without "." or ")" is a quantity, not an item
        parts = tuple(map(int, no.split(".")))
        if not _expected(path, parts):
            continue
        if _ACRONYM_BEFORE.search(digits, max(0, m.start() - 12), m.start()):
            continue  # "PM 2.5", "ISO 9001.": a name, even where item 2.5 is expected
        path = parts
        found.append((no, len(parts), m.start(), m.end()))
    # Each _Item is built once, its end known (a frozen dataclass is slow to construct).
    ends = [start for _, _, start, _ in found[1:]] + [len(text)] if found else []
    return [
        _Item(no, depth, start, body, end)
        for (no, depth, start, body), end in zip(found, ends, strict=True)
    ]


def _expected(path: tuple[int, ...], parts: tuple[int, ...]) -> bool:
    if parts == (1,):
        return True  # a new list may start anywhere
    if parts == (*path, 1):
        return True  # first child
    for depth in range(len(path), 0, -1):
        if parts == (*path[: depth - 1], path[depth - 1] + 1):
            return True  # next sibling of this item or of an ancestor
    return False


@fast_init
@dataclass(frozen=True)
class _Ctx:
    entry_no: int | None
    report_date: date | None
    base_line: int
    newlines: tuple[int, ...]
    line_nos: Sequence[int] | None  # the line of each line of the body, when not consecutive

    def line_of(self, offset: int) -> int:
        k = bisect_right(self.newlines, offset - 1)
        nos = self.line_nos
        if nos is not None and k < len(nos):  # k >= 0: an empty sequence falls through
            return nos[k]
        return self.base_line + k


def extract_reach(
    body: str,
    *,
    entry_no: int | None,
    report_date: date | None,
    line_no: int,
    line_nos: Sequence[int] | None = None,
) -> tuple[list[ReachMetric], list[Anomaly]]:
    """Reach, views, engagement and post counts written in an entry body.

    ``line_no`` is the line the body starts on; a body spanning lines keeps each row's own
    line (``line_nos`` gives the line of each body line when blank lines were left out).
    Numbered posts keep their number as written ('3', '2.4'); totals, declared counts and
    dash bullets have ``item_no`` None.

    >>> rows, _ = extract_reach("1. ข่าว ยอดการเข้าถึง 23,156 คน 2. ฝน ยอดผู้เข้าชม 5 ราย",
    ...     entry_no=1, report_date=None, line_no=9)
    >>> [(r.item_no, r.title, r.metric, r.value, r.unit) for r in rows]
    [('1', 'ข่าว', 'reach', 23156, 'คน'), ('2', 'ฝน', 'views', 5, 'ราย')]
    """
    # One line for the patterns (same length: offsets still map to the lines of ``body``).
    digits = to_arabic_digits(body).replace("\n", " ")
    if not _may_have_metric(digits) and not ("จำนวน" in digits and _POSTS.search(digits)):
        return [], []
    newlines = tuple(m.start() for m in _NEWLINE.finditer(body)) if "\n" in body else ()
    ctx = _Ctx(entry_no, report_date, line_no, newlines, line_nos)
    items = find_items(digits)
    found: list[tuple[int, ReachMetric]] = []
    anomalies: list[Anomaly] = []
    for no, start, end in _spans(digits, items):
        found += _span_metrics(digits, start, end, no, ctx, anomalies)
    found += _post_counts(digits, items, ctx, anomalies)
    found.sort(key=lambda pair: pair[0])
    return [row for _, row in found], anomalies


def _may_have_metric(text: str) -> bool:
    """Whether _METRIC can match: its leading class (ย ก แ) is on most Thai text, so a
    search tries nearly every position; the substring tests scan at C speed."""
    ya, like, share, comment = _LABEL_WORDS
    return (ya in text or like in text or share in text or comment in text) and _METRIC.search(
        text
    ) is not None


def _spans(text: str, items: Sequence[_Item]) -> list[tuple[str | None, int, int]]:
    """(item number, start, end) of each piece: the text before the list, each item, and
    each dash bullet inside them (bullets have no number)."""
    pieces: list[tuple[str | None, int, int]] = []
    first = items[0].start if items else len(text)
    raw = [(None, 0, first), *((it.no, it.body, it.end) for it in items)]
    bullets = "-" in text or "–" in text or "•" in text
    for no, start, end in raw:
        cuts = [m.start() for m in _BULLET.finditer(text, start, end)] if bullets else []
        bounds = [start, *cuts, end]
        for k in range(len(bounds) - 1):
            pieces.append((no if k == 0 else None, bounds[k], bounds[k + 1]))
    return pieces


def _span_metrics(
    text: str, start: int, end: int, no: str | None, ctx: _Ctx, anomalies: list[Anomaly]
) -> list[tuple[int, ReachMetric]]:
    rows: list[tuple[int, ReachMetric]] = []
    title: str | None = None
    for k, m in enumerate(_METRIC.finditer(text, start, end)):
        at = m.start()
        label, num, unit = m.group("label", "num", "unit")  # one call for the three
        if k == 0:
            title = _title(text[start:at])
        metric = _METRIC_OF[label]
        value = int(num.translate(_SEPARATORS))  # the pattern starts with a digit
        line = ctx.line_of(at)
        if value > _BIGINT_MAX:
            anomalies.append(_too_large(num, line))
            continue
        _check_label_and_unit(label, num, unit, line, anomalies)
        total = metric == "reach_total"
        rows.append((at, ReachMetric(
            ctx.entry_no, ctx.report_date, None if total else no, None if total else title,
            metric, value, unit, line_no=line,
        )))  # fmt: skip
    return rows


_BIGINT_MAX = 2**63 - 1  # reach_metrics.value is a BIGINT


def _too_large(num: str, line: int) -> Anomaly:
    return anomaly("value_out_of_range", line, num=num)


def _title(raw: str) -> str | None:
    text = clean(raw).strip("-–•: ")
    if not text.endswith(_TITLE_TAILS):
        return text or None  # the common case: no tail to cut, and no blank at the end
    end, cut = len(text), True
    while cut:  # indexes, not a regex: "(a|b)+$" backtracks quadratically on hostile text
        cut = False
        for tail in _TITLE_TAILS:
            if text.endswith(tail, 0, end):
                end, cut = end - len(tail), True
        while end and text[end - 1] == " ":
            end -= 1
    return text[:end] or None


def _check_label_and_unit(
    label: str, num: str, unit: str | None, line: int, anomalies: list[Anomaly]
) -> None:
    if label in _MISSPELLED:
        anomalies.append(
            anomaly("misspelled_label", line, label=label, right=_MISSPELLED[label], num=num)
        )
    if unit is not None and unit not in _KNOWN_UNITS and not unit.startswith("view"):
        anomalies.append(anomaly("unit_typo", line, num=num, unit=unit))


def _post_counts(
    text: str, items: Sequence[_Item], ctx: _Ctx, anomalies: list[Anomaly]
) -> list[tuple[int, ReachMetric]]:
    rows: list[tuple[int, ReachMetric]] = []
    if "จำนวน" not in text:  # _POSTS starts with it: skip the scan
        return rows
    for m in _POSTS.finditer(text):
        value = int(m["num"].replace(",", ""))
        line = ctx.line_of(m.start())
        if _POSTS_TOTAL.match(text, m.end()):
            pass
        elif _POSTS_LIST.match(text, m.end()):
            _check_declared(m, value, items, line, anomalies)
        else:
            continue
        rows.append((m.start(), ReachMetric(
            ctx.entry_no, ctx.report_date, None, None, "posts", value,
            "ครั้ง" if m["unit"] == "ครัง" else m["unit"], line_no=line,
        )))  # fmt: skip
    return rows


def _check_declared(
    m: re.Match[str], value: int, items: Sequence[_Item], line: int, anomalies: list[Anomaly]
) -> None:
    listed = _listed_after(m.end(), items)
    if listed and listed != value:
        anomalies.append(
            anomaly("declared_count_mismatch", line, declared=m.group(), value=value, listed=listed)
        )


def _listed_after(offset: int, items: Sequence[_Item]) -> int:
    """How many items the list starting after ``offset`` has at its first level."""
    following = [it for it in items if it.start >= offset]
    if not following:
        return 0
    depth = following[0].depth
    count = 0
    for it in following:
        if it.depth < depth:
            break
        if it.depth == depth:
            if it.no.split(".")[-1] == "1" and count:
                break  # a new list begins
            count += 1
    return count
