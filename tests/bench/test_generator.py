"""The synthetic corpus parses back to its ground truth (an accuracy test of the parsers).

bench/gen.py writes exports of every kind with the facts it put in them; here each
one goes through ``parsers.registry.parse_document`` and every fact must come back.
Kinds whose parser is still a placeholder (its ``detect`` claims none of the files)
are expected to fail; variations beyond the samples (``EXTENDED_VARIANTS``) are
measured and printed but not required.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

from bench import compare, gen  # noqa: E402
from parsers.model import to_jsonable  # noqa: E402
from parsers.registry import parse_document, registry  # noqa: E402

PER_KIND = 40
SEED = 20261122


def _decode(data: bytes) -> str:
    return gen.decode(data)


def _corpus(kind: str, tmp_path: Path) -> list[tuple[str, str, dict]]:
    gen.write_corpus(tmp_path, PER_KIND, SEED, (kind,))
    truth = gen.load_truth(tmp_path)
    return [(rel, _decode((tmp_path / "docs" / rel).read_bytes()), t) for rel, t in truth.items()]


def test_generator_is_deterministic_and_sharded(tmp_path: Path) -> None:
    first = [gen.generate_one(i, 5) for i in range(30)]
    assert first == [gen.generate_one(i, 5) for i in range(30)]
    assert first != [gen.generate_one(i, 6) for i in range(30)]
    stats = gen.write_corpus(tmp_path, 12, 5, start=995)
    assert stats["files"] == 12
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["000", "001"]
    assert sorted(gen.load_truth(tmp_path)) == [gen.rel_path(i) for i in range(995, 1007)]
    assert {t["kind"] for _, t in first} == set(gen.KINDS)


def test_damage_is_what_repair_undoes() -> None:
    from normalize import repair_text

    clean = "สำนักงานประชาสัมพันธ์ ผู้ดำรงตำแหน่ง ต่อ ส่วนรวม"
    seen = set()
    for seed in range(400):
        variants: list[str] = []
        damaged = gen.damage(clean, random.Random(seed), variants)
        seen.update(variants)
        assert repair_text(damaged) == clean, (variants, damaged)
    assert {"damage:nikhahit_aa", "damage:sara_am_aa", "damage:pua_tone"} <= seen


@pytest.mark.parametrize("kind", gen.KINDS)
def test_corpus_parses_to_its_truth(kind: str, tmp_path: Path) -> None:
    docs = _corpus(kind, tmp_path)
    if not any(registry()[kind].claim(text) for _, text, _ in docs):
        pytest.xfail(f"the {kind} parser is still a placeholder (detect claims no file)")
    core, extended = compare.Score(), compare.Score()
    wrong_kind: Counter[str] = Counter()
    for rel, text, truth in docs:
        try:
            parsed = to_jsonable(parse_document(text, rel))
        except Exception as exc:  # a failed file scores zero, reported below
            wrong_kind[type(exc).__name__] += 1
            parsed = None
        score = compare.score_document(truth, parsed)
        is_ext = bool(set(truth["variants"]) & gen.EXTENDED_VARIANTS)
        (extended if is_ext else core).add(score)
    print(
        f"\n{kind}: core {core.matched}/{core.facts} facts ({core.accuracy:.2%}); "
        f"extended variants {extended.matched}/{extended.facts} ({extended.accuracy:.2%})"
    )
    assert not wrong_kind, f"files not parsed: {dict(wrong_kind)}"
    assert core.facts > 20 * len(docs) // 2
    assert core.matched == core.facts, "\n".join(core.misses[:15])
