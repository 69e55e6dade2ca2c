"""Which report kind a text is: every built-in kind's cues and the one exclusivity decision.

Each kind *claims* a text ``"strong"`` (a cue only that kind's layout has: a page title, a
numbered form heading, a KR label), ``"weak"`` (cues another layout may quote: a headless
page's header lines, a scoring table) or not at all (``None``).  :func:`decide` then picks:

1. exactly one strong claim wins; several are ambiguous (a named error);
2. else exactly one weak claim wins; several are ambiguous;
3. else the fallback kind, when the registry has one; else the text is of no known kind.

Data kinds (:mod:`parsers.datakind`) claim strong when their cues match, so an agency's
template is tried with the built-in layouts' strong cues and before any fallback.

The cross-kind exclusions live here too: the numbered KPI form quotes the labels of the web
pages and may carry a KR sheet's scoring table, so its cue (:func:`form_quoted`) silences
the page kinds and the KR scoring cue.

All patterns that match at a line start are run on ``"\\n" + text``: a literal ``"\\n"``
lead is scanned for at C speed, where a multiline ``"^"`` is tried at every position.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Literal, Protocol

from parsers.errors import AmbiguousKindError, UnknownKindError

Strength = Literal["strong", "weak"]
Claim = Callable[[str], "Strength | None"]

_DIGIT = "0-9๐-๙"


class Claimant(Protocol):
    """What :func:`decide` needs of a registered kind."""

    @property
    def name(self) -> str: ...
    @property
    def claim(self) -> Claim: ...
    @property
    def fallback(self) -> bool: ...


# ------------------------------------------------------------------------ the decision


def decide(text: str, kinds: Sequence[Claimant], source: str = "<text>") -> str:
    """The name of the one kind ``text`` is; raise when none or several are."""
    strong: list[str] = []
    weak: list[str] = []
    for kind in kinds:
        if kind.fallback:
            continue
        strength = kind.claim(text)
        if strength == "strong":
            strong.append(kind.name)
        elif strength == "weak":
            weak.append(kind.name)
    for tier in (strong, weak):
        if len(tier) == 1:
            return tier[0]
        if tier:
            raise AmbiguousKindError(
                f"The text matches several report kinds ({', '.join(tier)}); its first line "
                f"is {first_line(text)!r}. Pass the kind explicitly.",
                path=source,
                kind=",".join(tier),
            )
    for kind in kinds:
        if kind.fallback:
            return kind.name
    known = ", ".join(k.name for k in kinds)
    raise UnknownKindError(
        f"The text is none of the known report kinds ({known}); its first line is "
        f"{first_line(text)!r}.",
        path=source,
    )


def first_line(text: str) -> str:
    """The first non-blank line of ``text``, stripped and cut to 80 characters."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:80]
    return ""


# ------------------------------------------------------------------------- kpi_form

# Label keywords of each numbered section of the KPI form, compared with spaces removed
# (parsers.kpi_form reads its sections with the same labels).
FORM_SECTION_LABELS: dict[int, tuple[str, ...]] = {
    1: ("ชื่อตัวชี้วัด",),
    2: ("ระดับความสำเร็จ", "ระดับผล", "ระดับของผล"),
    3: ("คำนิยาม", "นิยาม"),
    4: ("วิธีการคำนวณ", "วิธีคำนวณ", "สูตรการคำนวณ", "สูตรคำนวณ"),
    5: ("เป้าหมาย", "ค่าเป้าหมาย"),
    6: ("รายงานผล",),
    7: ("ปัจจัยสนับสนุน",),
    8: ("อุปสรรค", "ปัญหาอุปสรรค", "ปัญหาและอุปสรรค"),
    9: ("หลักฐานอ้างอิง", "หลักฐาน", "เอกสารอ้างอิง"),
}
_FORM_HEADING = re.compile(rf"\n[ \t]*([1-9๑-๙])[ \t]*\.(?![{_DIGIT}])[ \t]*([^\n]{{0,40}})")
_FORM_QUARTER = re.compile(r"\n[ \t]*\([ \t]*[6๖][ \t]*\.[ \t]*[1-5๑-๕][ \t]*\)[ \t]*ไตรมาส")
# Section 1 or a quarterly section "(6.N)": what the form has and the other layouts only
# quote.  It silences the page kinds and the KR scoring cue.
_FORM_QUOTED = re.compile(r"\n[ \t]*(?:[1๑][ \t]*\.[ \t]*ชื่อตัวชี้วัด|\([ \t]*[6๖][ \t]*\.)")


def compact_label(text: str) -> str:
    """The first 80 characters of a label without spaces or tabs, as labels are compared."""
    return text[:80].replace(" ", "").replace("\t", "")


def kpi_form(text: str) -> Strength | None:
    """Strong for the numbered KPI report form, even when cut short: section 1, two
    numbered sections, or a quarterly section "(6.N) ไตรมาส…".

    >>> kpi_form("1. ชื่อตัวชี้วัด : ร้อยละของ\\n2. ระดับความสำเร็จ : ผลผลิต (Output)")
    'strong'
    >>> kpi_form("รายละเอียดตัวชี้วัด\\nค่าเป้าหมาย ร้อยละ : 100") is None
    True
    """
    found: set[int] = set()
    lined = "\n" + text
    for m in _FORM_HEADING.finditer(lined):
        number = int(m.group(1))  # int() reads a Thai digit as well
        if compact_label(m.group(2)).startswith(FORM_SECTION_LABELS[number]):
            found.add(number)
            if 1 in found or len(found) >= 2:
                return "strong"
    if "ไตรมาส" in text and _FORM_QUARTER.search(lined) is not None:
        return "strong"
    return None


def form_quoted(text: str) -> bool:
    """Whether ``text`` has the KPI form's section 1 or a "(6." quarterly section heading."""
    return _FORM_QUOTED.search("\n" + text) is not None


# ------------------------------------------------------------------------- kr_sheet

_KR_CUES = re.compile(
    r"รายละเอียด[ \t]*KRs?(?![A-Za-z])|ชื่อ[ \t]*KRs?(?![A-Za-z])|\(Host[ \t]*:[ \t]*H\)"
    r"|^[ \t]*ประเด็น *\t[ \t]*รายละเอียด",
    re.M,
)
# The scoring table alone is a weak cue: a KPI form could carry the same table.
_KR_SCORING = re.compile(r"\n[ \t]*ระดับความสำเร็จ *\t[ \t]*เกณฑ์")


def kr_sheet(text: str) -> Strength | None:
    """Strong for a key-result sheet's labels; weak for its scoring table alone.

    >>> kr_sheet("รายละเอียด KRs ตามเป้าหมายการพัฒนาของสำนักงานเขต")
    'strong'
    >>> kr_sheet("(๖.1) ไตรมาสที่ 1\\nระดับความสำเร็จ\\tเกณฑ์ร้อยละ") is None
    True
    """
    # Substring tests (each a fast scan) rule out most other texts before the patterns
    # run: every branch of _KR_CUES needs "KR", "(Host" or "ประเด็น" with a tab.
    if _may_have_kr_cue(text) and _KR_CUES.search(text):
        return "strong"
    if "ระดับความสำเร็จ" not in text or "เกณฑ์" not in text or "\t" not in text:
        return None  # _KR_SCORING needs all three
    if _KR_SCORING.search("\n" + text) and not form_quoted(text):
        return "weak"
    return None


def _may_have_kr_cue(text: str) -> bool:
    # A one-character test first: it runs far faster than a search for a short word.
    return (
        ("K" in text and "KR" in text)
        or ("H" in text and "(Host" in text)
        or ("\t" in text and "ประเด็น" in text)
    )


# --------------------------------------------------------- kpi_detail, project_progress

PAGE_TITLES = {
    "รายละเอียดตัวชี้วัด": "kpi_detail",
    "ความคืบหน้าโครงการ/กิจกรรม": "project_progress",
}
_STRONG_PAGE_CUES = re.compile(
    r"\n[ \t]*\**[ \t]*(?:"
    r"(?P<kpi>สยป\.?[ \t]*ตรวจประเมินตัวชี้วัด|รายงานผลฯ[ \t]*ไตรมาสที่"
    r"|รายละเอียดตัวชี้วัดฯ[ \t]*:|ผลงานเทียบกับเป้าหมายรายไตรมาส)"
    r"|(?P<project>สยป\.?[ \t]*ประเมินโครงการ|ความคืบหน้าโครงการ[ \t]*ร้อยละ"
    r"|\(\d{1,4}\)[ \t]*ความคืบหน้าโครงการ|ดูโครงการแผนปี|รายละเอียดเกี่ยวกับตัวชี้วัด))"
)
_WEAK_PAGE_CUES = re.compile(
    r"\n[ \t]*\**[ \t]*(?:"
    r"(?P<kpi>ค่าเป้าหมาย[ \t]+[^:\n]{0,40}:|ผลงานที่ทำได้[ \t]+[^:\n]{0,40}:"
    r"|ประเภทตัวชี้วัด[ \t]*:)"
    r"|(?P<project>หลักการและเหตุผล|วัตถุประสงค์ของโครงการ|เป้าหมายของโครงการ"
    r"|แผนการดำเนินงานฯ|ปัญหาของโครงการ|อุปสรรคของโครงการ))"
)


def kpi_detail(text: str) -> Strength | None:
    """The claim of the KPI detail page (see :func:`classify_page`)."""
    kind, strength = _page_claim(text)
    return strength if kind == "kpi_detail" else None


def project_progress(text: str) -> Strength | None:
    """The claim of the project progress page (see :func:`classify_page`)."""
    kind, strength = _page_claim(text)
    return strength if kind == "project_progress" else None


def classify_page(text: str) -> str | None:
    """Which of the two web page kinds ``text`` is: 'kpi_detail', 'project_progress' or None.

    One function decides for both, so they can never both claim a text.  The page title
    decides when the capture has it; a headless capture goes by its first strong cue (the
    header lines come before any report text that could quote the other kind's words), and
    failing that by two of its kind's weak cues without any of the other's.

    >>> classify_page("ค่าเป้าหมาย ร้อยละ : 70\\n*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1:")
    'kpi_detail'
    >>> classify_page("ความคืบหน้าโครงการ ร้อยละ 100\\nรายละเอียดเกี่ยวกับตัวชี้วัด : 1-2")
    'project_progress'
    >>> classify_page("1. ชื่อตัวชี้วัด : ร้อยละ\\nผลงานที่ทำได้ = 5") is None
    True
    """
    return _page_claim(text)[0]


def _first_clean_line(head: str) -> str:
    """The first non-blank line of ``head`` (BOMs removed), blanks collapsed; "" when none.

    Line by line with ``find``: the first line is nearly always the first one, and
    splitting all of ``head`` cost more than the rest of the classification.
    """
    start = 0
    while True:
        end = head.find("\n", start)
        line = (head[start:] if end < 0 else head[start:end]).replace("\ufeff", "")
        if line.strip():
            return " ".join(line.split())
        if end < 0:
            return ""
        start = end + 1


# Both page kinds ask about the same text one right after the other: the second asks the
# cache.
@lru_cache(maxsize=1)
def _page_claim(text: str) -> tuple[str | None, Strength | None]:
    lined = "\n" + text
    if _FORM_QUOTED.search(lined):
        return None, None  # the numbered kpi_form quotes the same labels
    first = _first_clean_line(text[:4000])
    if first in PAGE_TITLES:
        return PAGE_TITLES[first], "strong"
    strong = _STRONG_PAGE_CUES.search(lined)
    if strong:
        return ("kpi_detail" if strong["kpi"] else "project_progress"), "strong"
    kpi: set[str] = set()
    project: set[str] = set()
    for m in _WEAK_PAGE_CUES.finditer(lined):
        (kpi if m["kpi"] else project).add((m["kpi"] or m["project"])[:8])
    if len(kpi) >= 2 and not project:
        return "kpi_detail", "weak"
    if len(project) >= 2 and not kpi:
        return "project_progress", "weak"
    return None, None
