"""Template variations derived in code from the samples: every parser must read the same key
facts (code, fiscal year, targets, entry dates and quarters, reach sums, quarterly table) from a
variant as from the sample it was made from, or the changed value the variant introduces.

The variants are the ways real exports of the same four templates differ: line ends, digits,
spacing around ":", date colons, "**" label prefixes, blank lines, entry order and count,
units, result levels, codes, fiscal years written in the header, cut captures and damaged
Thai text.  Each one is a plain ``str -> str`` function, applied to every sample it fits.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from normalize import to_arabic_digits
from parsers.model import Document
from parsers.registry import BUILTIN, parse_document
from tests.parsers.parser_helpers import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
KPI_FORM = "000_fe2414e97ca3dbed.txt"
PROJECT = "001_355c1ca7b5fb9819.txt"
KR_NO_CODE = "002_66f532eb6161266b.txt"
KR_CODE = "003_872e79cd487a057a.txt"
KPI_DETAIL = "004_a8b6aaaadac5bd4d.txt"
MAIN = (KPI_FORM, PROJECT, KR_NO_CODE, KR_CODE, KPI_DETAIL)
# The real captures of the four BMA kinds (the data kinds' samples vary in other ways).
REAL = tuple(
    sorted(
        p.relative_to(SAMPLES).as_posix()
        for spec in BUILTIN
        for pattern in spec.samples
        if pattern.startswith("real/")
        for p in SAMPLES.glob(pattern)
    )
)

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def parse(text: str, name: str = "variant") -> Document:
    return parse_document(text, name)


def _norm(value: object) -> object:
    """Text compared with Arabic digits and collapsed blanks (both are variants here)."""
    if isinstance(value, str):
        return " ".join(to_arabic_digits(value).split())
    return value


def reach_sums(doc: Document) -> dict[str, int]:
    sums: Counter[str] = Counter()
    for r in doc.reach_metrics:
        sums[r.metric] += r.value
    return dict(sums)


def facts(doc: Document) -> dict[str, object]:
    """The key facts a variant must keep."""
    return {
        "kind": doc.kind,
        "code": doc.code,
        "title": _norm(doc.title),
        "fiscal_year": doc.fiscal_year,
        "agency": _norm(doc.agency),
        "progress_pct": doc.progress_pct,
        "indicators": [
            (
                i.code,
                _norm(i.indicator_type),
                i.result_level,
                i.target_value,
                i.target_unit,
                i.achieved_value,
            )
            for i in doc.indicators
        ],
        "quarterly": [
            (q.code, q.quarter, q.result_pct, q.score, q.eval_1, q.eval_2)
            for q in doc.quarterly_results
        ],
        "entries": [(e.report_date, e.quarter, e.progress_pct) for e in doc.report_entries],
        "reach": reach_sums(doc),
        "reach_rows": len(doc.reach_metrics),
        "levels": [(s.level, s.pct) for s in doc.success_levels],
        "strategy": [s.path for s in doc.strategy_links],
        "plan": [(p.step_no, p.weight_pct, p.start_date, p.end_date) for p in doc.plan_steps],
        "key_results": [
            (k.code, k.fiscal_year, k.target_value, k.target_unit, _norm(k.host_agency))
            for k in doc.key_results
        ],
        "contacts": [(_norm(c.name), c.phone) for c in doc.contacts],
        "assessments": [(a.quarter, a.score) for a in doc.assessments],
    }


def errors(doc: Document) -> list[str]:
    return [a.message for a in doc.anomalies if a.severity == "error"]


# ------------------------------------------------------------------ generic variants


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def thai_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", _THAI_DIGITS))


def arabic_digits(text: str) -> str:
    return text.translate(str.maketrans(_THAI_DIGITS, "0123456789"))


def no_colon_spaces(text: str) -> str:
    return re.sub(r"[ ]*:[ ]*", ":", text)


def wide_colon_spaces(text: str) -> str:
    # times (00:00:00) keep their colons tight: only a colon after a non-digit is spaced
    return re.sub(r"(?<![0-9๐-๙])[ ]*:[ ]*", "  :  ", text)


def no_date_colon(text: str) -> str:
    return re.sub(r"(\d{1,2}/\d{1,2}/\d{4})[ ]?:[ ]?", r"\1 ", text)


def no_star_prefix(text: str) -> str:
    return re.sub(r"(?m)^\*+[ ]?", "", text)


_LABELS = (
    "ค่าเป้าหมาย", "ผลงานที่ทำได้", "ประเภทตัวชี้วัด", "สยป.", "ปัญหาของโครงการ",
    "อุปสรรคของโครงการ", "หลักการและเหตุผล", "ผลการดำเนินงาน", "รายงานผลฯ",
    "สนับสนุนยุทธศาสตร์", "แผนการดำเนินงานฯ", "รายละเอียดเกี่ยวกับตัวชี้วัด",
)  # fmt: skip


def star_prefix(text: str) -> str:
    pattern = "|".join(re.escape(w) for w in _LABELS)
    return re.sub(rf"(?m)^(?:\*+[ ]?)?(?=(?:{pattern}))", "** ", text)


def no_blank_lines(text: str) -> str:
    return re.sub(r"\n[ \t]*(?=\n)", "", text)


def doubled_blank_lines(text: str) -> str:
    return re.sub(r"\n[ \t]*\n", "\n\n\n", text)


def double_spaced(text: str) -> str:
    """Every line followed by a blank one (a CR read as a second line break)."""
    return text.replace("\n", "\n\n")


def pua_tone_marks(text: str) -> str:
    return text.replace("\u0e48", "\uf70a").replace("\u0e49", "\uf70b")


def nikhahit_sara_aa(text: str) -> str:
    return text.replace("\u0e33", "\u0e4d\u0e32")


def zero_width(text: str) -> str:
    """A ZWSP after every Thai word-ish run and a BOM up front."""
    return "\ufeff" + re.sub(r"([ก-๛]{6})", "\\1\u200b", text)


def nbsp(text: str) -> str:
    return text.replace(" ", "\u00a0")


def trailing_blanks(text: str) -> str:
    return re.sub(r"(?m)$", " \t", text)


def subsections_without_parentheses(text: str) -> str:
    return re.sub(r"\([ ]?([6๖][.][1-5๑-๕])[ ]?\)", r"\1", text)


def tabs_for_spaces(text: str) -> str:
    """Label and value separated by a tab, as a spreadsheet export writes them."""
    return re.sub(r"(?<=\S) : (?=\S)", "\t:\t", text)


GENERIC: dict[str, Callable[[str], str]] = {
    "crlf": crlf,
    "thai_digits": thai_digits,
    "arabic_digits": arabic_digits,
    "no_colon_spaces": no_colon_spaces,
    "wide_colon_spaces": wide_colon_spaces,
    "no_date_colon": no_date_colon,
    "no_star_prefix": no_star_prefix,
    "star_prefix": star_prefix,
    "no_blank_lines": no_blank_lines,
    "doubled_blank_lines": doubled_blank_lines,
    "double_spaced": double_spaced,
    "pua_tone_marks": pua_tone_marks,
    "nikhahit_sara_aa": nikhahit_sara_aa,
    "zero_width": zero_width,
    "nbsp": nbsp,
    "trailing_blanks": trailing_blanks,
    "subsections_without_parentheses": subsections_without_parentheses,
    "tabs_for_spaces": tabs_for_spaces,
}

# Variants that change what some sample legitimately says, with the facts left out.
_SKIP_FACTS: dict[tuple[str, str], tuple[str, ...]] = {}


@pytest.fixture(scope="module")
def originals() -> dict[str, dict[str, object]]:
    return {name: facts(parse(load(name), name)) for name in MAIN + REAL}


@pytest.mark.parametrize("variant", GENERIC, ids=str)
@pytest.mark.parametrize("name", MAIN + REAL, ids=str)
def test_generic_variant_keeps_facts(name, variant, originals):
    doc = parse(GENERIC[variant](load(name)), name)
    assert not errors(doc)
    got, want = facts(doc), originals[name]
    for key in _SKIP_FACTS.get((name, variant), ()):
        got.pop(key), want.pop(key)
    assert got == want


_COMBINABLE = [v for v in GENERIC if v not in ("arabic_digits",)]


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("name", MAIN, ids=str)
def test_combined_variants_keep_facts(name, seed, originals):
    """Three generic variants at once (a seeded pick, the same on every run)."""
    picks = random.Random(f"{name}:{seed}").sample(_COMBINABLE, 3)
    text = load(name)
    for variant in picks:
        text = GENERIC[variant](text)
    doc = parse(text, name)
    assert not errors(doc), picks
    assert facts(doc) == originals[name], picks


# ------------------------------------------------------------------------ truncation


@pytest.mark.parametrize("name", MAIN, ids=str)
def test_cut_at_every_tenth_is_truncated_never_an_error(name, originals):
    text = load(name)
    full = originals[name]
    for tenth in range(1, 10):
        cut = text[: len(text) * tenth // 10]
        doc = parse(cut, f"{name}@{tenth}0%")
        assert doc.kind == full["kind"], tenth
        assert not errors(doc), tenth
        assert "truncated_document" in {a.rule for a in doc.anomalies}, tenth
        got = facts(doc)
        # what was read from the kept part is what the whole document says
        assert got["code"] in (None, full["code"]), tenth
        assert got["fiscal_year"] in (None, full["fiscal_year"]), tenth
        dates = {d for d, _, _ in full["entries"]}  # type: ignore[union-attr]
        assert {d for d, _, _ in got["entries"]} <= dates, tenth  # type: ignore[union-attr]
        n = len(got["quarterly"])  # type: ignore[arg-type]
        complete = [row for row in got["quarterly"] if None not in row[2:]]  # type: ignore[union-attr]
        assert complete == [r for r in full["quarterly"][:n] if r in complete], tenth  # type: ignore[index]
        assert got["levels"] == full["levels"][: len(got["levels"])] or got["levels"] == [
            lv
            for lv in full["levels"]
            if lv in got["levels"]  # type: ignore[union-attr]
        ], tenth


# ------------------------------------------------------------------- kpi_detail variants


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def test_kpi_detail_other_units():
    base = load(KPI_DETAIL)
    for unit, target, result in (("แห่ง", "50", "48"), ("ระดับ", "5", "4"), ("คน", "1,200", "980")):
        text = _replace(base, "ค่าเป้าหมาย ร้อยละ : 100", f"ค่าเป้าหมาย {unit} : {target}")
        text = _replace(text, "ผลงานที่ทำได้ ร้อยละ : 100", f"ผลงานที่ทำได้ {unit} : {result}")
        (ind,) = parse(text).indicators
        assert (ind.target_value, ind.target_unit, ind.achieved_value) == (
            float(target.replace(",", "")),
            unit,
            float(result.replace(",", "")),
        )


@pytest.mark.parametrize(
    ("target", "achieved", "want"),
    [
        ("ค่าเป้าหมาย ร้อยละ 80", "ผลงานที่ทำได้ ร้อยละ 75.5", (80.0, "ร้อยละ", 75.5)),
        ("ค่าเป้าหมาย : 12", "ผลงานที่ทำได้ : 9", (12.0, None, 9.0)),
        ("ค่าเป้าหมาย(ร้อยละ) : ๗๐", "ผลงานที่ทำได้(ร้อยละ) : ๖๕", (70.0, "ร้อยละ", 65.0)),
        ("ค่าเป้าหมาย ร้อยละ : 1,250.50", "ผลงานที่ทำได้ ร้อยละ : -", (1250.5, "ร้อยละ", None)),
    ],
)
def test_kpi_detail_target_label_forms(target, achieved, want):
    text = _replace(load(KPI_DETAIL), "ค่าเป้าหมาย ร้อยละ : 100", target)
    text = _replace(text, "ผลงานที่ทำได้ ร้อยละ : 100", achieved)
    (ind,) = parse(text).indicators
    assert (ind.target_value, ind.target_unit, ind.achieved_value) == want


@pytest.mark.parametrize(
    "heading", ["รายงานผล ไตรมาสที่ {q}", "รายงานผลการดำเนินงาน ไตรมาสที่ {q}", "รายงานผลฯ ไตรมาส {q} :"]
)
def test_kpi_detail_report_heading_forms(heading, originals):
    text = re.sub(
        r"(?m)^รายงานผลฯ ไตรมาสที่ ([1-4])$", lambda m: heading.format(q=m.group(1)), load(KPI_DETAIL)
    )
    assert facts(parse(text)) == originals[KPI_DETAIL]


def test_kpi_detail_output_level():
    text = _replace(load(KPI_DETAIL), "(ตัวชี้วัดระดับผลลัพธ์ (outcome))",
                    "(ตัวชี้วัดระดับผลผลิต (output))")  # fmt: skip
    (ind,) = parse(text).indicators
    assert ind.result_level == "output"
    assert ind.indicator_type == "ตัวชี้วัดเชิงยุทธศาสตร์"


def test_kpi_detail_level_on_type_line():
    text = _replace(
        load(KPI_DETAIL),
        "ประเภทตัวชี้วัด : ตัวชี้วัดเชิงยุทธศาสตร์\n(ตัวชี้วัดระดับผลลัพธ์ (outcome))",
        "ประเภทตัวชี้วัด : ตัวชี้วัดงานประจำ (ตัวชี้วัดระดับผลผลิต (output))",
    )
    (ind,) = parse(text).indicators
    assert (ind.indicator_type, ind.result_level) == ("ตัวชี้วัดงานประจำ", "output")


def test_kpi_detail_fiscal_year_in_header(originals):
    text = _replace(load(KPI_DETAIL), "\nค่าเป้าหมาย", "\nปีงบประมาณ พ.ศ. 2566\n\nค่าเป้าหมาย")
    assert facts(parse(text)) == originals[KPI_DETAIL]
    text = _replace(load(KPI_DETAIL), "\nค่าเป้าหมาย", "\nปีงบประมาณ ๒๕๖๗\n\nค่าเป้าหมาย")
    doc = parse(text)
    assert doc.fiscal_year == 2567
    assert "entry_outside_fiscal_year" in {a.rule for a in doc.anomalies}


def test_kpi_detail_entries_ascending_and_descending(originals):
    """The dated entries of one quarter in the other order: same entries, reversed."""
    text = load(KPI_DETAIL)
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("รายงานผลฯ ไตรมาสที่ 3"))
    body = next(i for i in range(start + 1, len(lines)) if lines[i].strip())
    parts = re.split(r"(?<!\d)(?=\d{1,2}/\d{1,2}/\d{4} : )", lines[body])
    parts = [p.strip() for p in parts if p.strip()]
    assert len(parts) >= 2
    lines[body] = " ".join(reversed(parts))
    doc = parse("\n".join(lines))
    want = originals[KPI_DETAIL]["entries"]
    got = facts(doc)["entries"]
    assert sorted(got, key=str) == sorted(want, key=str)  # type: ignore[arg-type]
    assert facts(doc)["reach"] == originals[KPI_DETAIL]["reach"]


def test_kpi_detail_entry_without_posts(originals):
    text = load(KPI_DETAIL)
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("รายงานผลฯ ไตรมาสที่ 2"))
    body = next(i for i in range(start + 1, len(lines)) if lines[i].strip())
    lines[body] = "28/02/2566 : อยู่ระหว่างดำเนินการ"
    doc = parse("\n".join(lines))
    full = parse(text)
    q2 = {e.entry_no for e in full.report_entries if e.quarter == 2}
    kept = Counter()
    for r in full.reach_metrics:
        if r.entry_no not in q2:
            kept[r.metric] += r.value
    assert reach_sums(doc) == dict(kept)
    dates = [e.report_date for e in doc.report_entries]
    assert dates == [d for d in dates if d is None or d.year > 0]
    assert len(doc.report_entries) == len(full.report_entries) - (len(q2) - 1)


def test_kpi_detail_table_as_rows_with_one_line_header(originals):
    text = load(KPI_DETAIL)
    lines = text.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.strip() == "ไตรมาสที่")
    end = next(k for k in range(i, len(lines)) if lines[k].startswith("รายงานผลฯ"))
    lines[i:end] = [
        "ไตรมาสที่\t(1 - 4)\t*ผลงาน*\t(ร้อยละ)\t*ผลประเมินตัวชี้วัด*\t(* 2.1 / 2.2 *)",
        "1\t10.00\t100\t100 / 100", "2\t30.00\t\t0 / 0", "3\t70.00\t100\t100 / 100",
        "4\t100.00\t100\t100 / 100", "",
    ]  # fmt: skip
    doc = parse("\n".join(lines))
    assert facts(doc)["quarterly"] == originals[KPI_DETAIL]["quarterly"]
    assert ("quarterly_result_unit", "ร้อยละ") in {(a.key, a.value) for a in doc.attributes}


def test_kpi_detail_table_cells_with_percent_signs(originals):
    text = re.sub(r"(?m)^(\d{1,3}\.\d\d)$", r"\1%", load(KPI_DETAIL))
    assert "10.00%" in text
    assert facts(parse(text))["quarterly"] == originals[KPI_DETAIL]["quarterly"]


def test_kpi_detail_table_cells_tab_separated(originals):
    """The quarterly table written one row per line, cells separated by tabs."""
    text = load(KPI_DETAIL)
    lines = text.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.strip() == "ไตรมาสที่")
    rows = ["1\t10.00\t100\t100 / 100", "2\t30.00\t\t0 / 0", "3\t70.00\t100\t100 / 100",
            "4\t100.00\t100\t100 / 100"]  # fmt: skip
    end = next(k for k in range(i, len(lines)) if lines[k].startswith("รายงานผลฯ"))
    lines[i + 6 : end] = [*rows, ""]
    doc = parse("\n".join(lines))
    assert facts(doc)["quarterly"] == originals[KPI_DETAIL]["quarterly"]


# ------------------------------------------------------------- project_progress variants


def _project_blocks(text: str) -> tuple[str, list[str], str]:
    """(text before the entries, the entry blocks, text after them)."""
    start = text.index("(1) ความคืบหน้าโครงการฯ")
    end = text.index("แผนการดำเนินงานฯ")
    blocks = re.split(r"(?=\(\d{1,3}\) ความคืบหน้าโครงการฯ)", text[start:end])
    return text[:start], [b for b in blocks if b], text[end:]


def _renumber(blocks: list[str]) -> list[str]:
    return [re.sub(r"^\(\d{1,3}\)", f"({k})", b) for k, b in enumerate(blocks, 1)]


def test_project_entries_ascending(originals):
    head, blocks, tail = _project_blocks(load(PROJECT))
    doc = parse(head + "".join(_renumber(blocks[::-1])) + tail)
    got, want = facts(doc), originals[PROJECT]
    assert got["entries"] == want["entries"][::-1]  # type: ignore[index]
    assert got["reach"] == want["reach"]
    assert (got["code"], got["fiscal_year"], got["progress_pct"]) == (
        want["code"], want["fiscal_year"], want["progress_pct"]
    )  # fmt: skip


def test_project_headings_without_iso_dates(originals):
    text = re.sub(r"(ความคืบหน้าโครงการฯ ร้อยละ [\d.]+) \(\d{4}-\d\d-\d\d\)", r"\1", load(PROJECT))
    assert facts(parse(text)) == originals[PROJECT]


@pytest.mark.parametrize("keep", [1, 3, 6])
def test_project_fewer_entries(keep, originals):
    head, blocks, tail = _project_blocks(load(PROJECT))
    doc = parse(head + "".join(blocks[:keep]) + tail)
    want = originals[PROJECT]
    assert facts(doc)["entries"] == want["entries"][:keep]  # type: ignore[index]
    assert facts(doc)["plan"] == want["plan"]
    assert facts(doc)["quarterly"] == want["quarterly"]
    full = parse(load(PROJECT))
    kept = Counter()
    for r in full.reach_metrics:
        if r.entry_no is not None and r.entry_no <= keep:
            kept[r.metric] += r.value
    assert reach_sums(doc) == dict(kept)


def test_project_entry_without_posts(originals):
    head, blocks, tail = _project_blocks(load(PROJECT))
    full = parse(load(PROJECT))
    # the entry with the most posts loses them all
    counts = Counter(r.entry_no for r in full.reach_metrics)
    k = counts.most_common(1)[0][0]
    block = blocks[k - 1]
    m = re.search(r"\n(\d{1,2}/\d{1,2}/\d{4} : )[^\n]*", block)
    assert m
    blocks[k - 1] = block[: m.start()] + "\n" + m.group(1) + "ดำเนินการตามแผน" + block[m.end() :]
    doc = parse(head + "".join(blocks) + tail)
    assert facts(doc)["entries"] == originals[PROJECT]["entries"]
    kept = Counter()
    for r in full.reach_metrics:
        if r.entry_no != k:
            kept[r.metric] += r.value
    assert reach_sums(doc) == dict(kept)


def test_project_more_entries_and_steps(originals):
    head, blocks, tail = _project_blocks(load(PROJECT))
    extra = (
        "(12) ความคืบหน้าโครงการฯ ร้อยละ 100.00 (2021-09-30)\n\n100.00\n\n"
        "30/09/2564 : ดำเนินการแล้วเสร็จ 1. เรื่องหนึ่ง ยอดการเข้าถึง 1,000 คน "
        "2. เรื่องสอง ยอดการเข้าถึง 2,000 คน\n\n** ปัญหาของโครงการ :ไม่มี\n\n"
        "** อุปสรรคของโครงการ :ไม่มี\n\n------------------&&&--------------------\n\n"
    )
    step = "ขั้นตอน 5\n:สรุปผล\n:5%\nเริ่มต้น :2021-09-01 00:00:00\nสิ้นสุด :2021-09-30 00:00:00\n"
    tail = _replace(tail, "\n\n(ทดสอบ)", "\n" + step + "\n(ทดสอบ)")
    doc = parse(head + extra + "".join(_renumber(blocks)) + tail)
    got, want = facts(doc), originals[PROJECT]
    assert got["entries"][0] == (date(2021, 9, 30), 4, 100.0)  # type: ignore[index]
    assert got["entries"][1:] == want["entries"]  # type: ignore[index]
    assert got["reach"]["reach"] == want["reach"]["reach"] + 3000  # type: ignore[index]
    assert got["plan"] == [*want["plan"], (5, 5.0, date(2021, 9, 1), date(2021, 9, 30))]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (": (2564)", ": (๒๕๖๔)"),
        (": (2564)", ": (พ.ศ. 2564)"),
        (": (2564)", ": (ปีงบประมาณ 2564)"),
        (": (2564)", ": (2564)\n\nปีงบประมาณ พ.ศ. 2564"),
    ],
)
def test_project_fiscal_year_forms(old, new, originals):
    doc = parse(_replace(load(PROJECT), old, new))
    assert facts(doc) == originals[PROJECT]


def test_project_fiscal_year_on_its_own_line(originals):
    text = _replace(load(PROJECT), " : (2564)", "")
    text = _replace(text, "\n90\n", "\nปีงบประมาณ 2564\n\n90\n")
    doc = parse(text)
    assert doc.fiscal_year == 2564
    assert "fiscal_year_inferred" not in {a.rule for a in doc.anomalies}
    assert facts(doc)["entries"] == originals[PROJECT]["entries"]


def test_project_post_titles_with_acronym_numbers(originals):
    head, blocks, tail = _project_blocks(load(PROJECT))
    extra = (
        "(12) ความคืบหน้าโครงการฯ ร้อยละ 100.00 (2021-09-30)\n\n100.00\n\n"
        "30/09/2564 : ดำเนินการ ดังนี้ 1. เผยแพร่ 1.1 ข่าวฝน ยอดการเข้าถึง 1,000 คน "
        "1.2 10 มาตรการป้องกันฝุ่น PM 1.3 ในโรงเรียน ยอดการเข้าถึง 2,000 คน "
        "1.3 ISO 9001 ของสำนักงาน ยอดการเข้าถึง 3,000 คน\n\n"
        "------------------&&&--------------------\n\n"
    )
    doc = parse(head + extra + "".join(blocks) + tail)
    rows = [(r.item_no, r.value) for r in doc.reach_metrics if r.entry_no == 1]
    assert rows == [("1.1", 1000), ("1.2", 2000), ("1.3", 3000)]
    assert doc.reach_metrics[1].title == "10 มาตรการป้องกันฝุ่น PM 1.3 ในโรงเรียน"


@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("นางสาวดุษฎี อุยะเจริญ โทรศัพท์ 02 224 1379", "02 224 1379"),  # as written
        ("นางสาวดุษฎี อุยะเจริญ โทร 1379", "1379"),
        ("นางสาวดุษฎี อุยะเจริญ Tel. 1379", "1379"),
        ("นางสาวดุษฎี อุยะเจริญ โทร. ๑๓๗๙", "1379"),
        ("นางสาวดุษฎี อุยะเจริญ (1379)", "1379"),
    ],
)
def test_project_contact_forms(line, phone):
    doc = parse(_replace(load(PROJECT), "นางสาวดุษฎี อุยะเจริญ โทร. 1379", line))
    assert [(c.name, c.phone) for c in doc.contacts] == [("นางสาวดุษฎี อุยะเจริญ", phone)]


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("*** สยป. ประเมินโครงการ : ไตรมาสที่ ๒ ๙๐.๕", (2, 90.5)),
        ("*** สยป.ประเมินโครงการ:ไตรมาสที่ 2:90.5", (2, 90.5)),
        ("สยป. ประเมินโครงการ : ไตรมาสที่ 4", (4, None)),
    ],
)
def test_project_assessment_forms(line, want):
    doc = parse(_replace(load(PROJECT), "*** สยป. ประเมินโครงการ : ไตรมาสที่ 1 100", line))
    assert [(a.quarter, a.score) for a in doc.assessments] == [want]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ขั้นตอน 1\n:จัดทำแผน", "ขั้นตอนที่ 1 :จัดทำแผน"),
        ("ขั้นตอน 1\n:จัดทำแผน", "ขั้นตอนที่ ๑\n:จัดทำแผน"),
        (":10%\nเริ่มต้น", "น้ำหนัก : 10 %\nเริ่มต้น"),
        (":10%\nเริ่มต้น", "น้ำหนักงาน ร้อยละ 10\nเริ่มต้น"),
        (":10%\nเริ่มต้น :2020-10-01 00:00:00", ":10.00%\nเริ่มต้น : 1 ต.ค. 2563"),
        (":10%\nเริ่มต้น :2020-10-01 00:00:00", ":10%\nเริ่มต้น :01/10/2563"),
    ],
)
def test_project_plan_step_forms(old, new, originals):
    doc = parse(_replace(load(PROJECT), old, new))
    assert facts(doc)["plan"] == originals[PROJECT]["plan"]
    assert doc.plan_steps[0].description.startswith("จัดทำแผนการเผยแพร่อินโฟกราฟิก")


def test_project_output_level_and_other_unit():
    text = _replace(load(PROJECT), "ตัวชี้วัดระดับผลลัพธ์ (outcome)", "ตัวชี้วัดระดับผลผลิต (output)")
    text = _replace(text, "ค่าเป้าหมาย ร้อยละ : 90", "ค่าเป้าหมาย เรื่อง : 50")
    text = _replace(text, "ผลงานที่ทำได้ ร้อยละ : 70", "ผลงานที่ทำได้ เรื่อง : 35")
    (ind,) = parse(text).indicators
    assert (ind.result_level, ind.target_value, ind.target_unit, ind.achieved_value) == (
        "output", 50.0, "เรื่อง", 35.0
    )  # fmt: skip


# -------------------------------------------------------------------- kpi_form variants


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("2. ระดับความสำเร็จ : ☑ ผลผลิต (Output) ☐ ผลลัพธ์ (Outcome)", "output"),
        ("2. ระดับความสำเร็จ : ☐ ผลผลิต (Output) ☑ ผลลัพธ์ (Outcome)", "outcome"),
        ("2. ระดับความสำเร็จ : [ ] ผลผลิต (Output) [x] ผลลัพธ์ (Outcome)", "outcome"),
        ("2. ระดับความสำเร็จ : ผลผลิต (Output) ✓ ผลลัพธ์ (Outcome)", "outcome"),
        (
            '2. ระดับความสำเร็จ : <input type="checkbox" checked="checked"/> ผลผลิต (Output) '
            '<input type="checkbox"/> ผลลัพธ์ (Outcome)',
            "output",
        ),
        (
            '2. ระดับความสำเร็จ : <input type="checkbox"/> ผลผลิต (Output) '
            '<input type="checkbox" checked/> ผลลัพธ์ (Outcome)',
            "outcome",
        ),
        ("2. ระดับความสำเร็จ : ผลลัพธ์ (Outcome)", "outcome"),
    ],
)
def test_kpi_form_marked_result_level(line, level, originals):
    text = _replace(load(KPI_FORM), "2. ระดับความสำเร็จ : ผลผลิต (Output) ผลลัพธ์ (Outcome)", line)
    doc = parse(text)
    assert doc.indicators[0].result_level == level
    got, want = facts(doc), dict(originals[KPI_FORM])
    want["indicators"] = [(*want["indicators"][0][:2], level, *want["indicators"][0][3:])]  # type: ignore[index]
    assert got == want


@pytest.mark.parametrize(
    ("target", "achieved", "want"),
    [
        ("5. เป้าหมาย : ร้อยละ 80", ": ผลงานที่ทำได้ = ร้อยละ 85.5", (80.0, "ร้อยละ", 85.5)),
        ("5. ค่าเป้าหมาย : 80 (ร้อยละ)", ": ผลงานที่ทำได้ = 82 (ร้อยละ)", (80.0, "ร้อยละ", 82.0)),
        ("5. เป้าหมาย : 1,000 คน", "ผลงานที่ทำได้ : 1,200 คน", (1000.0, "คน", 1200.0)),
        ("5. เป้าหมาย : ๕ (ระดับ)", ": ผลงานที่ทำได้ = ๔ (ระดับ)", (5.0, "ระดับ", 4.0)),
        ("5. เป้าหมาย : ระดับ 5", ": ผลงานที่ทำได้ = ระดับ 4", (5.0, "ระดับ", 4.0)),
        ("5.เป้าหมาย:5 (ระดับ)", ":ผลงานที่ทำได้=5 (ระดับ)", (5.0, "ระดับ", 5.0)),
    ],
)
def test_kpi_form_target_forms(target, achieved, want):
    text = _replace(load(KPI_FORM), "5. เป้าหมาย : 5 (ระดับ)", target)
    text = _replace(text, ": ผลงานที่ทำได้ = 5 (ระดับ)", achieved)
    ind = parse(text).indicators[0]
    assert (ind.target_value, ind.target_unit, ind.achieved_value) == want


def test_kpi_form_fiscal_year_in_header(originals):
    base = load(KPI_FORM)
    text = "แบบรายงานผลตัวชี้วัด ปีงบประมาณ พ.ศ. ๒๕๖๓\nหน่วยงาน : สำนักงานประชาสัมพันธ์\n" + base
    doc = parse(text)
    assert doc.fiscal_year == 2563 and doc.agency == "สำนักงานประชาสัมพันธ์"
    got = facts(doc)
    got["agency"] = None
    assert got == originals[KPI_FORM]
    doc = parse("ประจำปีงบประมาณ 2564\n" + base)
    assert doc.fiscal_year == 2564
    assert "entry_outside_fiscal_year" in {a.rule for a in doc.anomalies}


def test_kpi_form_code_after_name(originals):
    text = _replace(load(KPI_FORM), "โซเชียลมีเดีย\n", "โซเชียลมีเดีย : 0411-2001\n")
    doc = parse(text)
    assert doc.code == "0411-2001" and doc.indicators[0].code == "0411-2001"


def test_kpi_form_entries_ascending_within_quarter(originals):
    """Entries of quarter 2 written newest first: same entries, other order."""
    text = load(KPI_FORM)
    a = text.index("31/1/2563 :")
    b = text.index("29/2/2563 :")
    c = text.index("31/3/2563 :")
    d = text.index("(6.3)")
    swapped = (
        text[:a].rstrip(" ") + text[c:d].rstrip("\n") + "\n\n" + text[b:c] + text[a:b] + text[d:]
    )
    swapped = swapped.replace("ไตรมาสที่ 2 : 31/3/2563", "ไตรมาสที่ 2 : 31/3/2563")
    doc = parse(swapped)
    want = originals[KPI_FORM]["entries"]
    got = facts(doc)["entries"]
    assert sorted(got, key=str) == sorted(want, key=str)  # type: ignore[arg-type]


_MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
_MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


@pytest.mark.parametrize("colon", [" : ", " "])
@pytest.mark.parametrize("style", ["full", "abbr", "abbr2"])
def test_kpi_form_entries_dated_with_thai_months(style, colon, originals):
    def thai(m: re.Match[str]) -> str:
        day, month, year = int(m[1]), int(m[2]), m[3]
        if style == "full":
            return f"{day} {_MONTHS_FULL[month - 1]} {year}{colon}"
        return f"{day} {_MONTHS_ABBR[month - 1]} {year[2:] if style == 'abbr2' else year}{colon}"

    text = re.sub(r"(?m)(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})[ ]?:?[ ]?", thai, load(KPI_FORM))
    assert "เมษายน" in text or "เม.ย." in text
    assert facts(parse(text)) == originals[KPI_FORM]


# -------------------------------------------------------------------- kr_sheet variants


def test_kr_sheet_code_added():
    text = _replace(load(KR_NO_CODE), "รหัส ชื่อ KRs", "รหัส ๑๒๓๔ ชื่อ KRs")
    doc = parse(text)
    assert doc.code == "1234"
    assert doc.key_results[0].code == "1234"
    assert doc.key_results[0].name.startswith("ร้อยละความสำเร็จในการจัดทำแผนสื่อสารเมือง")


@pytest.mark.parametrize("name", [KR_NO_CODE, KR_CODE])
def test_kr_sheet_three_levels(name, originals):
    lines = load(name).split("\n")
    kept = [ln for ln in lines if not re.match(r"[๔๕4-5]\t", ln)]
    doc = parse("\n".join(kept))
    assert [(s.level, s.pct) for s in doc.success_levels] == [
        lv
        for lv in originals[name]["levels"]
        if lv[0] <= 3  # type: ignore[union-attr]
    ]
    assert not errors(doc)
    got, want = facts(doc), dict(originals[name])
    got.pop("levels"), want.pop("levels")
    assert got == want


def test_kr_sheet_code_and_three_levels():
    text = _replace(load(KR_NO_CODE), "รหัส ชื่อ KRs", "รหัส 1234 ชื่อ KRs")
    text = "\n".join(ln for ln in text.split("\n") if not re.match(r"[๔๕]\t", ln))
    doc = parse(text)
    assert (doc.code, doc.fiscal_year) == ("1234", 2568)
    assert sorted(s.level for s in doc.success_levels) == [1, 2, 3]
    assert (doc.key_results[0].target_value, doc.key_results[0].target_unit) == (1.0, "ฉบับ")
    # a scale written down to level 1 is complete: no truncation, no "incomplete" levels
    rules = {a.rule for a in doc.anomalies}
    assert not rules & {"truncated_document", "success_levels_incomplete", "missing_section"}


def test_kr_sheet_three_level_scoring_table():
    """A 3-level scale (๓ ๑๐๐ / ๒ ๕๐ / ๑ ๐) is read as written."""
    lines = load(KR_CODE).split("\n")
    out = []
    for ln in lines:
        m = re.match(r"([๑-๕])\t", ln)
        if m:
            level = "๑๒๓๔๕".index(m.group(1)) + 1
            if level > 3:
                continue
            cells = ln.split("\t")
            cells[1] = {3: "๑๐๐", 2: "๕๐", 1: "๐"}[level]
            ln = "\t".join(cells)
        out.append(ln)
    doc = parse("\n".join(out))
    assert [(s.level, s.pct) for s in doc.success_levels] in (
        [(3, 100.0), (2, 50.0), (1, 0.0)],
        [(1, 0.0), (2, 50.0), (3, 100.0)],
    )


def test_kr_sheet_fiscal_year_arabic():
    text = _replace(load(KR_CODE), "ประจำปี พ.ศ. ๒๕๖๘", "ประจำปีงบประมาณ พ.ศ. 2569")
    doc = parse(text)
    assert doc.fiscal_year == 2569


# ------------------------------------------------------------------------ combined damage


@pytest.mark.parametrize("name", MAIN, ids=str)
def test_all_damage_at_once(name, originals):
    text = load(name)
    for variant in (crlf, pua_tone_marks, nikhahit_sara_aa, zero_width, nbsp):
        text = variant(text)
    assert facts(parse(text, name)) == originals[name]


# ---------------------------------------------------------------- hostile, linear time

_HOSTILE = {
    "bare_dates": "รายละเอียดตัวชี้วัด\nรายงานผลฯ ไตรมาสที่ 1\n1/10/2563 : ก " + "1/10/2563 ข " * 8000,
    "table_of_ones": "รายละเอียดตัวชี้วัด\nไตรมาสที่\n(1 - 4)\n" + "1\n" * 20000,
    "row_line": "รายละเอียดตัวชี้วัด\nไตรมาสที่ ผลงาน\n" + ("1 " * 20000 + "/ 1\n") * 3,
    "target_label": "รายละเอียดตัวชี้วัด\n" + ("ค่าเป้าหมาย" + " ก" * 5000 + "\n") * 20,
    "acronym_items": "รายละเอียดตัวชี้วัด\nรายงานผลฯ ไตรมาสที่ 1\n1/10/2563 : 1. ก "
    + "PM 1.1 ยอดการเข้าถึง 5 คน " * 4000,
    "thai_dates": "1. ชื่อตัวชี้วัด : ก\n6. รายงานผล\n(6.1) ไตรมาสที่ 1 : x\n" + "31 ตุลาคม 2563 ก\n" * 8000,
    "fiscal_year_line": "ความคืบหน้าโครงการ/กิจกรรม\n"
    + ("ปีงบประมาณ" + " " * 3000 + "\n") * 10
    + "ก : " * 10000
    + "(2564)x\n",
}


@pytest.mark.parametrize("case", _HOSTILE, ids=str)
def test_hostile_text_parses_in_linear_time(case):
    text = _HOSTILE[case]
    start = time.perf_counter()
    parse(text)
    # A hang guard, not a speed target (bench/run measures speed): ~0.1-0.3 s here,
    # a quadratic pattern would take minutes.
    assert time.perf_counter() - start < 20
