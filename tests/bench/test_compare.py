"""The benchmark's scorer counts exactly the facts a parse gets wrong."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from bench import compare  # noqa: E402

TRUTH = {
    "kind": "kpi_detail",
    "code": "0411-2029",
    "fiscal_year": 2566,
    "report_entries": [
        {"entry_no": 1, "quarter": 1, "report_date": None},
        {"entry_no": 2, "quarter": 2, "report_date": "2023-02-28"},
        {"entry_no": 3, "quarter": 2, "report_date": "2023-03-31"},
    ],
    "reach_metrics": [
        {
            "entry_no": 2,
            "report_date": "2023-02-28",
            "item_no": None,
            "metric": "posts",
            "value": 89,
            "unit": "ครั้ง",
        },
        {
            "entry_no": 3,
            "report_date": "2023-03-31",
            "item_no": None,
            "metric": "posts",
            "value": 22,
            "unit": "ครั้ง",
        },
        {
            "entry_no": 3,
            "report_date": "2023-03-31",
            "item_no": "2",
            "metric": "reach",
            "value": 6954,
            "unit": "คน",
        },
    ],
    "contacts": [{"name": "นางสาวดี เทศกุล", "phone": "1376"}],
    "variants": [],
}


def _parsed() -> dict:
    doc = copy.deepcopy(TRUTH)
    for e in doc["report_entries"]:  # the warehouse gives dates, not strings
        e["report_date"] = e["report_date"] and date.fromisoformat(e["report_date"])
    doc["reach_metrics"].reverse()  # order never matters
    doc["contacts"] = [{"name": "ดี  เทศกุล", "phone": "1376", "position": None}]
    return doc


def test_a_perfect_parse_scores_every_fact() -> None:
    score = compare.score_document(TRUTH, _parsed())
    # 3 document fields + 3*3 entry fields + 4+4+5 reach fields (the item_no of a total and
    # the entry's date are not scored in reach_metrics) + 2 contact fields
    assert (score.facts, score.matched) == (27, 27)


def test_one_missing_row_costs_only_its_own_facts() -> None:
    parsed = _parsed()
    parsed["reach_metrics"] = [m for m in parsed["reach_metrics"] if m["value"] != 89]
    score = compare.score_document(TRUTH, parsed)
    assert score.facts - score.matched == 4  # entry_no, metric, value, unit of the lost row
    assert score.hit_field["reach_metrics.value"] == 2


def test_wrong_values_and_unloaded_files() -> None:
    parsed = _parsed()
    parsed["fiscal_year"] = 2565
    parsed["report_entries"][2]["report_date"] = date(2023, 3, 30)
    score = compare.score_document(TRUTH, parsed)
    assert score.facts - score.matched == 2
    assert any("fiscal_year" in m for m in score.misses)
    assert compare.score_document(TRUTH, None).matched == 0
