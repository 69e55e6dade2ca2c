"""The `generic` report kind: any text no known layout claims still lands.

Not a layout but a reader of what any Thai government report states: its title (the main
heading: the indicator, project or report the page is about), the agency, the fiscal year
(ปีงบประมาณ, พ.ศ., a reporting period) and indicators with a target and/or a result, in the
label styles agencies use (ชื่อตัวชี้วัด / ตัวชี้วัด, ค่าเป้าหมาย / เป้าหมาย / เกณฑ์, ผลงาน /
ผลการดำเนินงาน / ผลงานที่ทำได้, "≥ 45%" criteria, "รอบ 3 เดือน" checkpoints) and in the rows
of KPI tables.  The registry uses it as the fallback when no kind's ``detect`` claims a
text, and to complete a weakly matched page (see ``complete``).

Records: ``indicators``; ``attributes`` ``checkpoint_3m`` / ``_6m`` / ``_9m`` / ``_12m``
(the targets of the "รอบ N เดือน" checkpoints) and ``indicator_unit`` (หน่วยนับ).

Anomaly rules: ``no_known_layout`` (info): no known kind matched, the text was read as a
generic document.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from parsers.generic.heading import Heading, read_heading
from parsers.generic.indicators import read_indicators
from parsers.generic.lines import prepared_lines
from parsers.model import Anomaly, Document, Kind

KIND: Kind = "generic"

NO_KNOWN_LAYOUT = Anomaly(
    rule="no_known_layout",
    severity="info",
    message=(
        "No known report layout matched this text; it was loaded as a generic document "
        "(title, agency, fiscal year, indicators, lines, dates and amounts)."
    ),
)


def detect(text: str) -> bool:
    """Any text is a generic document: the registry asks only when no other kind claims it."""
    return isinstance(text, str)


def parse(text: str, source: str) -> Document:
    """Read a text of no known layout (already repaired) into a generic Document."""
    lines = prepared_lines(text)
    heading = read_heading(lines)
    indicators, attributes = read_indicators(lines, heading.title)
    return Document(
        kind=KIND,
        source=source,
        code=heading.code,
        title=heading.title,
        fiscal_year=heading.fiscal_year,
        agency=heading.agency,
        indicators=indicators,
        attributes=attributes,
        anomalies=(NO_KNOWN_LAYOUT,),
    )


def complete(doc: Document, text: str) -> Document:
    """``doc`` (of a known kind) with what the generic reading finds and it lacks.

    A page a kind claims only on a few shared cues (the BMA unit-performance page has the
    KPI page's quarterly table but not its header) must not lose its facts: when the kind
    found no indicator with a target or result, the generic indicators that have one are
    added and a missing title, code, agency or fiscal year is filled.  Any other document
    is returned unchanged (the same object).
    """
    if _has_values(doc):
        return doc
    lines = prepared_lines(text)
    heading = read_heading(lines)
    found, _ = read_indicators(lines, doc.title or heading.title)
    valued = tuple(i for i in found if i.target_value is not None or i.achieved_value is not None)
    if not valued:
        return doc
    changes: dict[str, Any] = {"indicators": doc.indicators + valued}
    for name in ("title", "agency", "fiscal_year", "code"):
        if getattr(doc, name) is None and getattr(heading, name) is not None:
            changes[name] = getattr(heading, name)
    return dataclasses.replace(doc, **changes)


def _has_values(doc: Document) -> bool:
    return any(i.target_value is not None or i.achieved_value is not None for i in doc.indicators)


__all__ = ["KIND", "NO_KNOWN_LAYOUT", "Heading", "complete", "detect", "parse"]
