"""The generic-fact benchmark runs end to end and stays at its measured figure."""

from __future__ import annotations

from pathlib import Path

from bench import generic_facts


def test_the_generic_pages_land_and_give_their_facts() -> None:
    result = generic_facts.run()
    matched, total = result.total
    assert result.not_loaded == []
    assert total >= 100
    assert matched / total >= 0.85, generic_facts.section(result)


def test_a_wrong_fact_is_a_miss(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(
        '{"bma_unit_20000000.txt": {"fiscal_year": 2599, "indicators": '
        '[{"name": "มีการพัฒนาระบบสารสนเทศ", "target": 1, "achieved": 99}]}}',
        encoding="utf-8",
    )
    result = generic_facts.run(facts_path=facts)
    assert result.total == (2, 4)
    assert len(result.misses) == 2
