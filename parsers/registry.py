"""The registry: the only list of report kinds, and the one entry point to parse a text.

A kind is a :class:`KindSpec`: its name, the one line docs/kinds.md shows, its parse
function, its claim on a text (:mod:`parsers.detect`), the samples that show it, and
whether it is the fallback for texts no other kind claims.  The built-in kinds are listed
in :data:`BUILTIN`; the data kinds shipped in ``parsers/kinds/*.toml`` follow them, and a
user's own kind files (``rayngan ingest --kinds DIR``) are added with
:meth:`Registry.with_kind_dirs`.  A fallback kind stays last whatever is added.

docs/adding-a-kind.md walks through adding one; tests/parsers/test_kind_contract.py checks
that every registered kind has a sample, a golden and a line in docs/kinds.md.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from operator import ne
from pathlib import Path

from normalize import repair_text
from parsers import datakind, detect, generic, kpi_detail, kpi_form, kr_sheet, project_progress
from parsers.anomalies import anomaly
from parsers.mentions import amount_mentions, date_mentions, line_starts
from parsers.model import Anomaly, Document

# The kinds a page may be claimed by on a few shared cues: their documents are completed
# by the generic reading when they lack a title, fiscal year or indicator values.
_WEAK_KINDS = frozenset({"kpi_detail", "project_progress"})


@dataclass(frozen=True)
class KindSpec:
    """One report kind as the registry knows it."""

    name: str  # the value of documents.kind
    summary: str  # one line: what the layout is (docs/kinds.md shows it)
    parse: Callable[[str, str], Document]  # (repaired text, source) -> Document
    claim: detect.Claim  # "strong", "weak" or None for a text (see parsers.detect)
    samples: tuple[str, ...] = ()  # glob patterns under samples/ of the kind's own samples
    fallback: bool = False  # the kind of texts no other kind claims
    origin: str = ""  # the module or kind file that defines it
    # the section headings its layout writes on a line of their own (matched from the
    # line's start): OCR must not run one into the paragraph above it
    headings: tuple[re.Pattern[str], ...] = ()


BUILTIN: tuple[KindSpec, ...] = (
    KindSpec(
        "kpi_form",
        "BMA numbered KPI report form (1. ชื่อตัวชี้วัด … 9. หลักฐานอ้างอิง)",
        kpi_form.parse,
        detect.kpi_form,
        ("000_*.txt",),
        origin="parsers.kpi_form",
    ),
    KindSpec(
        "project_progress",
        "BMA project progress page: dated progress entries, posts and reach, plan steps",
        project_progress.parse,
        detect.project_progress,
        ("001_*.txt", "real/project_progress_*.txt"),
        origin="parsers.project_progress",
        headings=tuple(pattern for _, pattern in project_progress.HEADINGS),
    ),
    KindSpec(
        "kr_sheet",
        "BMA key-result sheet: tab-separated tables, checkboxes, scoring levels",
        kr_sheet.parse,
        detect.kr_sheet,
        ("002_*.txt", "003_*.txt"),
        origin="parsers.kr_sheet",
    ),
    KindSpec(
        "kpi_detail",
        "BMA KPI detail page: target/result, quarterly table and reports",
        kpi_detail.parse,
        detect.kpi_detail,
        ("004_*.txt", "real/kpi_detail_*.txt"),
        origin="parsers.kpi_detail",
        headings=tuple(pattern for _, pattern in kpi_detail.HEADINGS),
    ),
    KindSpec(
        "generic",
        "any other report: title, agency, fiscal year and indicators read by their labels",
        generic.parse,
        lambda text: None,  # never claims: the fallback for texts no other kind claims
        ("generic/generic_*.txt",),
        fallback=True,
        origin="parsers.generic",
    ),
)

SHIPPED_KINDS = Path(__file__).resolve().parent / "kinds"  # the data kinds rayngan ships


class Registry:
    """An ordered set of kinds: detection asks them all, parsing asks the chosen one."""

    def __init__(self, kinds: Iterable[KindSpec]) -> None:
        ordered = sorted(kinds, key=lambda k: k.fallback)  # stable: a fallback goes last
        names = [k.name for k in ordered]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"The report kind name {twice[0]!r} is registered twice.")
        if sum(k.fallback for k in ordered) > 1:
            raise ValueError("Only one report kind can be the fallback; several are.")
        self.kinds: tuple[KindSpec, ...] = tuple(ordered)
        self._by_name = {k.name: k for k in ordered}

    def __iter__(self):
        return iter(self.kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> KindSpec:
        return self._by_name[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def with_kinds(self, extra: Sequence[KindSpec]) -> Registry:
        """A copy with ``extra`` added (before the fallback, which stays last)."""
        return Registry([*self.kinds, *extra])

    def with_kind_dirs(self, dirs: Sequence[str | Path]) -> Registry:
        """A copy with the kind files (``*.toml``) of ``dirs`` added; a bad kind file raises
        :class:`parsers.errors.KindFileError` naming the file and the key."""
        return self.with_kinds([data_kind_spec(k) for d in dirs for k in datakind.load_dir(d)])

    def detect_kind(self, text: str, source: str = "<text>") -> str:
        """The one kind ``text`` is (see :func:`parsers.detect.decide`)."""
        return detect.decide(text, self.kinds, source)

    def parse_document(
        self, text: str, source: str = "<text>", kind: str | None = None
    ) -> Document:
        """Repair ``text``, detect its kind (unless given) and parse it; add the text's
        lines, date mentions and amounts (whatever the kind).

        Line numbers stay those of ``text``: repair never adds or removes a line.
        """
        clean = repair_text(text)
        chosen = kind or self.detect_kind(clean, source)
        doc = self._by_name[chosen].parse(clean, source)
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


def data_kind_spec(kind: datakind.DataKind) -> KindSpec:
    """The registry entry of a kind defined in a kind file."""
    return KindSpec(
        kind.name, kind.summary, kind.parse, kind.claim, kind.samples, origin=str(kind.path)
    )


@lru_cache(maxsize=8)
def registry(kind_dirs: tuple[str, ...] = ()) -> Registry:
    """The built-in kinds, the shipped data kinds and those of ``kind_dirs`` (cached)."""
    base = Registry(BUILTIN).with_kind_dirs([SHIPPED_KINDS])
    return base.with_kind_dirs(kind_dirs) if kind_dirs else base


# A heading is a short line: a long one starting with a heading's word is prose
_HEADING_MAX = 40


def is_heading(line: str) -> bool:
    """Whether ``line`` is a section heading of a built-in kind's layout."""
    text = line.strip().lstrip("* ")
    return len(text) <= _HEADING_MAX and any(
        pattern.match(text) for kind in BUILTIN for pattern in kind.headings
    )


def detect_kind(text: str, source: str = "<text>") -> str:
    """The one kind of the default registry that ``text`` is; raise when none or several."""
    return registry().detect_kind(text, source)


def parse_document(text: str, source: str = "<text>", kind: str | None = None) -> Document:
    """Parse ``text`` with the default registry (see :meth:`Registry.parse_document`)."""
    return registry().parse_document(text, source, kind)


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
    return anomaly("repaired_text", no, line=no)
