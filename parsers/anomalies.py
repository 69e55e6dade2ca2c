"""The one catalog of anomaly rules: every rule id, its severity and its message templates.

A parser never writes a rule id, a severity or a message by hand: it calls
:func:`anomaly` with the rule id and the values its template names, so one rule always has
one severity, and docs/schema.md's rule table (:func:`rule_table`, checked by a test) lists
every rule there is.  A rule has one template per layout that words it differently
(``variant``); the default variant is ``""``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from parsers.model import Anomaly, Severity


@dataclass(frozen=True)
class Rule:
    """An anomaly rule: stable id, severity, what it means, and its message templates."""

    id: str
    severity: Severity
    meaning: str  # one line, for the rule table in docs/schema.md
    templates: MappingProxyType[str, str]  # variant -> str.format template


def _rule(id: str, severity: Severity, meaning: str, **templates: str) -> Rule:
    # Keyword "default" names the "" variant (a keyword cannot be empty).
    named = {("" if k == "default" else k): v for k, v in templates.items()}
    return Rule(id, severity, meaning, MappingProxyType(named))


_ALL = (
    # --- extraction (ingest) ---------------------------------------------------------------
    _rule(
        "cut_character", "warning", "the file ends inside a character (a cut capture)",
        default="The file ends inside a character ({count} stray {encoding} bytes dropped): "
        "the capture was cut short.",
    ),
    _rule(
        "mixed_encoding", "info", "a text file mixes UTF-8 and cp874 lines",
        default="The file mixes two encodings: {count} line(s) ({lines}) are cp874, the "
        "others UTF-8; each line was read in its own.",
    ),
    _rule(
        "misnamed_file", "info", "an office-named file holds another format (read as that)",
        default="The file is named .{named} but holds {held}; it was read as that, as "
        "Office opens it.",
    ),
    _rule(
        "garbled_page", "warning", "a PDF page is still garbled after repair",
        default="Page {page} is still garbled after repair ({reason}); "
        "facts read from it may be wrong.",
    ),
    _rule(
        "repaired_text", "info", "a line's damaged Thai text was repaired",
        default="Line {line} had damaged Thai text that was repaired.",
    ),
    _rule(
        "garbled_page_ocr", "info", "a garbled PDF page was read again by OCR",
        default="Page {page} was garbled ({reason}); it was read by OCR.",
    ),
    _rule(
        "ocr_page_unread", "warning", "a scanned page could not be read by OCR",
        default="Page {page} was not read by OCR ({error}); its facts are missing.",
    ),
    _rule(
        "ocr_low_confidence", "warning", "a page was read by OCR with a low mean confidence",
        default="Page {page} was read by OCR with a mean confidence of {confidence}% (under "
        "{limit}%); facts read from it may be wrong.",
    ),
    _rule(
        "no_known_layout", "info", "no known report layout matched: read as `generic`",
        default="No known report layout matched this text; it was loaded as a generic document "
        "(title, agency, fiscal year, indicators, lines, dates and amounts).",
    ),
    # --- structure -------------------------------------------------------------------------
    _rule(
        "missing_header", "warning", "a web page's header lines (title, code, …) are missing",
        default="The page header is incomplete: {missing} missing; {start}.",
    ),
    _rule(
        "missing_section", "warning", "a section or part the layout always has is missing",
        form="Section {number} ({name}) is missing from the form.",
        form_quarter="Section 6.{quarter} (ไตรมาสที่ {quarter}) is missing.",
        form_summary="Section 6.5 (สรุปผลการดำเนินงาน) is missing.",
        sheet="Part {key!r}, {label}, is missing from the sheet.",
        data="The text has no {label!r} line, which every {kind} document has.",
    ),
    _rule(
        "truncated_document", "warning", "the text stops before the layout's last part",
        form="The form ends after section {last} of 9; the rest is missing.",
        sheet="The sheet ends before its scoring table is complete ({found} of 5 levels).",
        kpi_page="The page is cut short: it stops in the {where} part and{tail}; the final "
        "sections (supporting projects, city database) are missing.",
        project_page="The page is cut short: it stops in the {where} part and{tail}; the "
        "quarterly evaluation section that closes the page is missing.",
    ),
    _rule(
        "row_stitched", "info", "a table row continued across a page break was joined",
        default="Line {line} continues the table row of line {row_line} across a page break; "
        "they were joined into one row.",
    ),
    _rule(
        "quarters_inferred", "info", "quarter headings missing; quarters from order or dates",
        default="The quarter headings (รายงานผลฯ ไตรมาสที่ N) are missing; quarters of the "
        "{count} report lines were taken from {how}.",
    ),
    # --- values ----------------------------------------------------------------------------
    _rule(
        "result_level_undecided", "info", "both result levels are listed, none marked",
        default="Section 2 lists both result levels without marking one ({text!r}); "
        "result_level is left empty.",
    ),
    _rule(
        "strategy_path_mismatch", "warning", "a strategy path does not continue the one above",
        default="Strategy path {path!r} does not continue the path {above!r} above it.",
    ),
    _rule(
        "success_levels_incomplete", "warning", "the success levels are not a scale from 1",
        form="The success levels of section 4 are numbered {numbers}, not 1 to {count}.",
        sheet="The scoring table has levels {numbers}, not a scale numbered from 1 (1 to 5).",
    ),
    _rule(
        "declared_count_mismatch", "warning", "a declared post count differs from the list",
        default="The entry declares {declared!r} ({value}) but lists {listed} numbered items.",
    ),
    _rule(
        "unit_typo", "warning", "a count is followed by no known unit",
        default="The count {num} is followed by the unit {unit!r}, which is no known unit "
        "(a typo for 'คน'?); the unit is kept as written.",
    ),
    _rule(
        "misspelled_label", "info", "a count's label is a known misspelling",
        default="The label {label!r} is a misspelling of {right!r}; "
        "the value {num} is read as views.",
    ),
    _rule(
        "unreadable_value", "warning", "a data kind's pattern matched text of the wrong type",
        default="Line {line} matches a {record} row but a value is of the wrong type "
        "({text!r}); the row is left out.",
    ),
    _rule(
        "value_out_of_range", "warning", "a count too large to be one is left out",
        default="The count {num} is too large to be a count of people or posts; "
        "it is left out.",
    ),
    # --- dates and years -------------------------------------------------------------------
    _rule(
        "invalid_date", "warning", "a written date is no calendar date",
        form="The entry date {raw!r} is not a real date.",
        page="The entry date {raw!r} is no valid date; the entry is kept undated.",
        heading="The entry heading date {raw!r} is no valid date.",
        body="The entry date {raw!r} is no valid date.",
    ),
    _rule(
        "body_date_mismatch", "warning", "an entry body's date is not its heading's date",
        default="The entry body is dated {raw!r} ({found}) but its heading says {heading}.",
    ),
    _rule(
        "month_year_mismatch", "warning", "an entry reports on a month far from its own date",
        default="The entry dated {when} reports on month {month}/{year}, "
        "{gap} months {direction} its own date.",
    ),
    _rule(
        "entry_outside_quarter", "info", "a dated entry is filed under another quarter",
        form="The entry dated {raw} ({when}) falls in fiscal quarter {actual} but is filed "
        "under quarter {quarter}.",
        page="The entry dated {when} (fiscal quarter {actual}) is filed under quarter "
        "{quarter}.",
    ),
    _rule(
        "entry_outside_fiscal_year", "warning", "a dated entry is outside the fiscal year",
        form="The entry dated {when} is outside fiscal year {fy}.",
        page="The entry dated {when} falls in fiscal year {year}, not in the page's fiscal "
        "year {fy}.",
    ),
    _rule(
        "fiscal_year_inferred", "info", "no fiscal year written; taken from the dates",
        kpi_page="No entry is dated; the fiscal year {fy} was taken from the dates written "
        "in the reports.",
        project_page="The page writes no fiscal year; {fy} is the year most of its entries "
        "fall in.",
    ),
    _rule(
        "fiscal_year_mismatch", "warning", "two parts of a document name different years",
        default="The sheet is for fiscal year {fy} but its target row says {other}.",
    ),
)  # fmt: skip

RULES: MappingProxyType[str, Rule] = MappingProxyType({r.id: r for r in _ALL})


def anomaly(
    rule: str,
    line_no: int | None = None,
    *,
    variant: str = "",
    page: int | None = None,
    **values: Any,
) -> Anomaly:
    """The anomaly of catalog rule ``rule``, its message the ``variant`` template filled.

    >>> a = anomaly("repaired_text", 7, line=7)
    >>> a.rule, a.severity, a.message
    ('repaired_text', 'info', 'Line 7 had damaged Thai text that was repaired.')
    """
    spec = RULES[rule]
    return Anomaly(rule, spec.severity, spec.templates[variant].format(**values), line_no, page)


def rule_table() -> str:
    """The Markdown table of every rule (docs/schema.md holds it; a test compares)."""
    rows = ["| rule | severity | what it means | message |", "|---|---|---|---|"]
    for spec in _ALL:
        messages = "<br>".join(
            t.replace("|", "\\|") for t in dict.fromkeys(spec.templates.values())
        )
        rows.append(f"| `{spec.id}` | {spec.severity} | {spec.meaning} | {messages} |")
    return "\n".join(rows)
