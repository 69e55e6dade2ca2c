"""The explicit registry of report kinds and the one entry point to parse text.

Each parser module exposes ``KIND``, ``detect(text) -> bool`` and
``parse(text, source) -> Document``.  Detection must be specific: exactly one
module may claim a text; none or several is a named error, never a guess.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from itertools import compress, count
from operator import ne
from types import ModuleType

from normalize import repair_text
from parsers import generic, kpi_detail, kpi_form, kr_sheet, project_progress
from parsers.errors import AmbiguousKindError
from parsers.mentions import amount_mentions, date_mentions, line_starts
from parsers.model import Anomaly, Document, Kind

PARSERS: dict[Kind, ModuleType] = {
    "kpi_form": kpi_form,
    "project_progress": project_progress,
    "kr_sheet": kr_sheet,
    "kpi_detail": kpi_detail,
}
# What a text no kind claims is read as (never asked to ``detect``: it claims any text).
FALLBACK: Kind = "generic"
# The kinds a page may be claimed by on a few shared cues: their documents are completed
# by the generic reading when they lack a title, fiscal year or indicator values.
_WEAK_KINDS = frozenset({"kpi_detail", "project_progress"})


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:80]
    return ""


def detect_kind(text: str, source: str = "<text>") -> Kind:
    """The one kind whose ``detect`` claims ``text``, ``generic`` when none does; raise when
    several do."""
    claims = [kind for kind, module in PARSERS.items() if module.detect(text)]
    if len(claims) == 1:
        return claims[0]
    if not claims:
        return FALLBACK
    first = _first_line(text)
    raise AmbiguousKindError(
        f"The text matches several report kinds ({', '.join(claims)}); "
        f"its first line is {first!r}. Pass the kind explicitly.",
        path=source,
        kind=",".join(claims),
    )


def _repair_anomalies(raw: str, clean: str) -> tuple[Anomaly, ...]:
    if raw == clean:
        return ()
    before, after = raw.split("\n"), clean.split("\n")
    # The numbers of the lines that differ, found without a Python loop over every line.
    changed = compress(count(1), map(ne, before, after))
    return tuple(_repaired_line(no) for no in changed if _damaged(before[no - 1], after[no - 1]))


def _damaged(before: str, after: str) -> bool:
    """Whether a changed line's words changed: whitespace-only changes (collapsed spaces,
    tab runs) are not damage. Comparing the word lists equals comparing the words joined
    by one space, without the joins."""
    # Every blank but " " is unprintable: with only spaces in both lines, text that differs
    # once the spaces are gone proves the words differ, and costs less than two splits.
    only_spaces = before.isprintable() and after.isprintable()
    if only_spaces and before.replace(" ", "") != after.replace(" ", ""):
        return True
    return before.split() != after.split()


def _lines(text: str) -> tuple[str, ...]:
    """Every line of ``text``; the empty string after a final newline is no line."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return tuple(lines)


@lru_cache(maxsize=4096)
def _repaired_line(no: int) -> Anomaly:
    """The anomaly of a repaired line: frozen, so one object per line number is shared."""
    return Anomaly(
        rule="repaired_text",
        severity="info",
        message=f"Line {no} had damaged Thai text that was repaired.",
        line_no=no,
    )


def parse_document(text: str, source: str = "<text>", kind: Kind | None = None) -> Document:
    """Repair ``text``, detect its kind (unless given) and parse it; add the text's lines,
    date mentions and amounts (whatever the kind).

    Line numbers stay those of ``text``: repair never adds or removes a line.
    """
    clean = repair_text(text)
    chosen = kind or detect_kind(clean, source)
    if chosen == FALLBACK:
        doc = generic.parse(clean, source)
    else:
        doc = PARSERS[chosen].parse(clean, source)
        if chosen in _WEAK_KINDS:
            doc = generic.complete(doc, clean)
    starts = line_starts(clean)
    return dataclasses.replace(
        doc,
        anomalies=doc.anomalies + _repair_anomalies(text, clean),
        lines=_lines(clean),
        date_mentions=date_mentions(clean, starts),
        amounts=amount_mentions(clean, starts),
    )
