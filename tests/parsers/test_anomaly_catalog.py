"""The anomaly catalog: docs/schema.md lists it, and every anomaly a parser makes is in it."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from parsers.anomalies import RULES, anomaly, rule_table
from parsers.registry import parse_document
from tests.parsers.parser_helpers import SAMPLES, load

DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
START, END = "<!-- rules:start -->\n", "\n<!-- rules:end -->"


def test_schema_doc_holds_the_catalogs_rule_table():
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text, "docs/schema.md lost its rule table markers"
    written = text[text.index(START) + len(START) : text.index(END)]
    assert written == rule_table(), (
        "docs/schema.md's anomaly rule table differs from parsers/anomalies.py; paste "
        "`python -c 'from parsers.anomalies import rule_table; print(rule_table())'` into it."
    )


def test_a_template_with_an_unknown_value_fails_loudly():
    with pytest.raises(KeyError):
        anomaly("repaired_text", 3)  # the template names {line}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_template_names_only_plain_fields(rule):
    for template in RULES[rule].templates.values():
        names = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        assert all(name.isidentifier() for name in names), (rule, template)


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*.txt"))
)
def test_every_anomaly_of_every_sample_is_a_catalog_rule(path):
    if path.upper().startswith("README"):
        return
    doc = parse_document(load(path), path)
    for a in doc.anomalies:
        assert a.rule in RULES, a
        assert a.severity == RULES[a.rule].severity, a
