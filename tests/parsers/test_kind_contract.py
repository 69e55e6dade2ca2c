"""The kind contract over every registered kind, one robustness test for them all, and a toy
sixth kind added the way docs/adding-a-kind.md says (in a temporary copy of the registry)."""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import detect
from parsers.errors import DetectionError
from parsers.model import RECORD_FIELDS, Document, to_jsonable
from parsers.registry import KindSpec, Registry, registry
from tests.parsers.kind_contract import ROOT, golden_of, problems, sample_names

SAMPLES, GOLDEN, KINDS_DOC = ROOT / "samples", ROOT / "tests" / "golden", ROOT / "docs" / "kinds.md"


def test_every_registered_kind_keeps_the_contract():
    assert problems(registry(), SAMPLES, GOLDEN, KINDS_DOC) == []


def test_the_four_bma_kinds_and_the_two_data_kinds_are_registered():
    names = registry().names
    assert names[:4] == ("kpi_form", "project_progress", "kr_sheet", "kpi_detail")
    assert {"moph_kpi_detail", "moi_kpi_report"} <= set(names)


# --- one decision ------------------------------------------------------------------------------

# A quarterly section written with a Thai six and a tab-separated scoring row: the KR sheet's
# weak scoring cue is silenced by the form's cue (it used to be claimed by both).
THAI_SIX = "(๖.1) ไตรมาสที่ 1 : 31/1/2563 : ดำเนินการ\nระดับความสำเร็จ\tเกณฑ์ร้อยละความสำเร็จ\n"


@pytest.mark.parametrize("six", ["6", "๖"])
def test_a_quarter_section_with_a_scoring_row_is_a_kpi_form(six):
    text = THAI_SIX.replace("๖", six)
    assert registry().detect_kind(text) == "kpi_form"
    assert registry().parse_document(text, "x.txt").kind == "kpi_form"


def test_a_strong_claim_wins_over_a_weak_one_and_two_strong_ones_are_ambiguous():
    kinds = [_spec("a", "strong"), _spec("b", "weak")]
    assert detect.decide("x", kinds) == "a"
    with pytest.raises(DetectionError, match=r"several report kinds \(a, c\)"):
        detect.decide("x", [*kinds, _spec("c", "strong")])


def test_the_fallback_goes_last_and_takes_what_no_kind_claims():
    fallback = _spec("fallback", "strong", fallback=True)
    reg = Registry([fallback, _spec("a", None)])
    assert reg.names == ("a", "fallback")
    assert reg.detect_kind("x") == "fallback"
    with pytest.raises(ValueError, match="Only one report kind can be the fallback"):
        reg.with_kinds([_spec("other", None, fallback=True)])


def _spec(name: str, strength: str | None, fallback: bool = False) -> KindSpec:
    def parse(text: str, source: str) -> Document:
        return Document(kind=name, source=source)

    return KindSpec(name, name, parse, lambda text: strength, fallback=fallback)  # type: ignore[arg-type,return-value]


# --- robustness of every kind -------------------------------------------------------------------

CASES = [(spec.name, name) for spec in registry() for name in sample_names(spec, SAMPLES)]


def _mutate(text: str, how: str, rnd: random.Random) -> str:
    if how == "cut":
        a, b = sorted((rnd.randrange(len(text) + 1), rnd.randrange(len(text) + 1)))
        return text[a:b]
    if how == "shuffle":
        lines = text.split("\n")
        rnd.shuffle(lines)
        return "\n".join(lines)
    if how == "flip":
        data = bytearray(text.encode("utf-8"))
        for _ in range(rnd.randint(1, 30)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        return data.decode("utf-8", errors="replace")
    junk = "".join(
        rnd.choice("\t\n :/().-*•0123456789๖ไตรมาสที่ระดับเกณฑ์ตัวชี้วัดKRs") for _ in range(200)
    )
    at = rnd.randrange(len(text) + 1)
    return text[:at] + junk + text[at:]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(CASES),
    st.sampled_from(["cut", "shuffle", "flip", "splice"]),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_every_kind_survives_damaged_samples(case, how, rnd, forced):
    """Parsing returns a sane Document; only detection may refuse, never a forced kind."""
    kind, name = case
    raw = (SAMPLES / name).read_bytes().decode("utf-8", errors="replace")
    text = _mutate(raw, how, rnd)
    try:
        doc = registry().parse_document(text, "m.txt", kind=kind if forced else None)
    except DetectionError:
        assert not forced, "a forced kind must always parse"
        return
    json.dumps(to_jsonable(doc))
    n_lines = text.count("\n") + 1
    for field in RECORD_FIELDS:
        for rec in getattr(doc, field):
            assert rec.line_no is None or 1 <= rec.line_no <= n_lines, (field, rec)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([spec.name for spec in registry()]), st.text(max_size=400))
def test_every_kind_parses_any_text(kind, text):
    json.dumps(to_jsonable(registry().parse_document(text, "any.txt", kind=kind)))


# --- a toy sixth kind, added as docs/adding-a-kind.md says --------------------------------------

TOY_MODULE = '''
"""Parser for the toy kind: "ใบงานทดลอง" sheets (a test of the kind contract)."""

from parsers.accumulator import Accumulator
from parsers.model import Document

KIND = "toy_sheet"


def claim(text):  # would live in parsers/detect.py
    return "strong" if text.lstrip().startswith("ใบงานทดลอง") else None


def parse(text, source):
    acc = Accumulator()
    title = None
    for no, line in enumerate(text.split("\\n"), 1):
        key, _, value = line.partition(":")
        if key.strip() == "เรื่อง":
            title = value.strip() or None
        elif key.strip() == "หมายเหตุ":
            acc.attr("note", value.strip(), no)
    if title is None:
        acc.anomaly("missing_header", None, missing="the title (เรื่อง)", start="it has none")
    return Document(kind=KIND, source=source, title=title, attributes=acc.attributes_in_text_order(),
                    anomalies=tuple(acc.anomalies))
'''
TOY_SAMPLE = "ใบงานทดลอง\nเรื่อง : ทดสอบการเพิ่มชนิดรายงาน\nหมายเหตุ : ตัวอย่าง\n"


@pytest.fixture
def toy_world(tmp_path: Path):
    """Copies of samples/ (text only), tests/golden and docs/kinds.md, plus the toy kind's
    module, sample, golden and docs row; the registry copy with the toy kind in it."""
    samples, golden = tmp_path / "samples", tmp_path / "golden"
    for path in SAMPLES.rglob("*.txt"):
        (samples / path.relative_to(SAMPLES)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, samples / path.relative_to(SAMPLES))
    shutil.copytree(GOLDEN, golden)
    doc = tmp_path / "kinds.md"
    row = "| `toy_sheet` | toy sheet (ใบงานทดลอง) | `samples/toy/toy_sheet_*` | a test module |\n"
    doc.write_text(KINDS_DOC.read_text(encoding="utf-8") + row, encoding="utf-8")
    # 1. the module, 2. its cue, 3. its registry entry
    (tmp_path / "toy_sheet.py").write_text(TOY_MODULE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("toy_sheet", tmp_path / "toy_sheet.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    toy = KindSpec("toy_sheet", "toy sheet", module.parse, module.claim, ("toy/toy_sheet_*.txt",))
    reg = registry().with_kinds([toy])
    # 4. the sample, 5. its golden (as tests/golden/regen.py writes it)
    (samples / "toy").mkdir()
    (samples / "toy" / "toy_sheet_01.txt").write_text(TOY_SAMPLE, encoding="utf-8")
    name = "toy/toy_sheet_01.txt"
    rendered = to_jsonable(reg.parse_document(TOY_SAMPLE, name))
    text = json.dumps(rendered, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    golden_of(name, golden).write_text(text, encoding="utf-8")
    sys.modules.pop("toy_sheet", None)
    return reg, samples, golden, doc


def test_a_toy_sixth_kind_keeps_the_contract(toy_world):
    reg, samples, golden, doc = toy_world
    assert "toy_sheet" in reg and "toy_sheet" not in registry()
    assert problems(reg, samples, golden, doc) == []
    parsed = reg.parse_document(TOY_SAMPLE, "t.txt")
    assert (parsed.kind, parsed.title) == ("toy_sheet", "ทดสอบการเพิ่มชนิดรายงาน")


def test_the_toy_kind_without_its_sample_breaks_the_contract_by_name(toy_world):
    reg, samples, golden, doc = toy_world
    (samples / "toy" / "toy_sheet_01.txt").unlink()
    assert problems(reg, samples, golden, doc) == [
        "Kind 'toy_sheet' has no sample: nothing under samples/ matches 'toy/toy_sheet_*.txt'."
    ]


def test_the_toy_kind_without_golden_or_docs_row_is_named(toy_world):
    reg, samples, golden, doc = toy_world
    golden_of("toy/toy_sheet_01.txt", golden).unlink()
    doc.write_text(KINDS_DOC.read_text(encoding="utf-8"), encoding="utf-8")
    assert problems(reg, samples, golden, doc) == [
        "Kind 'toy_sheet' has no row in kinds.md.",
        "Sample toy/toy_sheet_01.txt of kind 'toy_sheet' has no golden "
        "toy__toy_sheet_01.txt.json (write it with tests/golden/regen.py).",
    ]


def test_a_kind_claiming_another_kinds_sample_is_named(toy_world):
    reg, samples, golden, doc = toy_world
    greedy = KindSpec("greedy", "g", reg["kpi_form"].parse, lambda t: "strong", ("000_*.txt",))
    found = problems(reg.with_kinds([greedy]), samples, golden, doc)
    assert "Sample 000_fe2414e97ca3dbed.txt of kind 'kpi_form' is also claimed by greedy." in found
