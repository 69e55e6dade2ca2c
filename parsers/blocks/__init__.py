"""Shared pure building blocks of the page parsers (kpi_detail, project_progress, kpi_form).

Everything here works on already repaired text (``normalize.repair_text``) and never raises
on any ``str``.  Every pattern is linear-time: no nested quantifiers over overlapping
classes, and every "skip some text" gap is bounded.  One module per concern:

- :mod:`~parsers.blocks.lines`: :func:`numbered_lines` (1-based, cleaned, line count of
  ``text.split("\\n")``), :func:`split_sections` (cut a page at its heading lines),
  :func:`join_text`, :func:`to_float`, :func:`bare`;
- :mod:`~parsers.blocks.indicator`: the indicator header "ค่าเป้าหมาย ร้อยละ : 90 / ผลงานที่ทำได้
  ร้อยละ : 70 / ประเภทตัวชี้วัด : … (outcome)" (:func:`parse_indicator_header`), the "สยป. …
  ไตรมาสที่ N score" line (:func:`parse_assessment`), strategy path lines ":๕.๔ - name"
  (:func:`parse_strategy_line`);
- :mod:`~parsers.blocks.quarters`: the quarterly table written one cell per line with blank
  cells (:func:`find_quarter_table`);
- :mod:`~parsers.blocks.dated`: dated entries "28/02/2566 : …" several to a line
  (:func:`split_dated`), satisfaction percentages (:func:`find_satisfaction`);
- :mod:`~parsers.blocks.reach`: reach and posts inside an entry body (:func:`extract_reach`:
  numbered posts, totals, engagement, declared counts, unit typos);
- :mod:`~parsers.blocks.page`: the page header ("title : code", wrapped titles, noise).

Which kind a text is lives in :mod:`parsers.detect`; what a parse gathers, in
:class:`parsers.accumulator.Accumulator`.
"""

from parsers.blocks.dated import DatedPart, find_satisfaction, split_dated
from parsers.blocks.indicator import (
    IndicatorHeader,
    parse_assessment,
    parse_indicator_header,
    parse_strategy_line,
    parse_strategy_section,
)
from parsers.blocks.lines import (
    NUM,
    Line,
    LinesFrom,
    Section,
    bare,
    clean,
    join_text,
    numbered_lines,
    split_sections,
    to_float,
)
from parsers.blocks.page import is_noise, most_common_fiscal_year, parse_title_code, wrapped_title
from parsers.blocks.quarters import QuarterRow, QuarterTable, find_quarter_table
from parsers.blocks.reach import extract_reach, find_items

__all__ = [
    "NUM",
    "DatedPart",
    "IndicatorHeader",
    "Line",
    "LinesFrom",
    "QuarterRow",
    "QuarterTable",
    "Section",
    "bare",
    "clean",
    "extract_reach",
    "find_items",
    "find_quarter_table",
    "find_satisfaction",
    "is_noise",
    "join_text",
    "most_common_fiscal_year",
    "numbered_lines",
    "parse_assessment",
    "parse_indicator_header",
    "parse_strategy_line",
    "parse_strategy_section",
    "parse_title_code",
    "split_dated",
    "split_sections",
    "to_float",
    "wrapped_title",
]
