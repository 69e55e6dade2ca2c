"""Lines of any document containing a text: ``rayngan search`` and its Python API.

Substring search over ``document_lines`` (Thai has no spaces between words, so a word index
would need a tokenizer; a scan of the repaired lines finds any phrase as written).  The
query is repaired like the documents were (NFC, legacy glyphs, ำ), so a phrase typed or
pasted from a damaged PDF still matches.  Newest reports first: by fiscal year, then the
latest dated entry, then the latest load; within a document, in line order.
"""

from __future__ import annotations

from dataclasses import dataclass

from normalize import repair_text
from parsers.errors import WarehouseError
from warehouse.store import Warehouse

DEFAULT_LIMIT = 100

_SQL = """
SELECT d.source_path, l.line_no, l.page, l.text, d.kind, d.fiscal_year, d.doc_id
FROM document_lines AS l JOIN documents AS d USING (doc_id)
WHERE contains(lower(l.text), lower(?)) {filters}
ORDER BY d.fiscal_year DESC NULLS LAST, d.latest_entry_date DESC NULLS LAST,
         d.loaded_at DESC, d.source_path, l.line_no
LIMIT ?
"""


@dataclass(frozen=True)
class Hit:
    """One line that contains the searched text."""

    source_path: str
    line_no: int
    page: int | None
    text: str
    kind: str
    fiscal_year: int | None
    doc_id: str

    @property
    def location(self) -> str:
        """``file:line`` or ``file:line:page``."""
        where = f"{self.source_path}:{self.line_no}"
        return f"{where}:{self.page}" if self.page is not None else where


def search(
    wh: Warehouse,
    text: str,
    *,
    kind: str | None = None,
    fiscal_year: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Hit]:
    """The lines containing ``text`` (repaired, case-insensitive), newest reports first."""
    needle = " ".join(repair_text(text).split())
    if not needle:
        raise WarehouseError(f"There is nothing to search for in {text!r}; give some text.")
    filters = ""
    params: list[object] = [needle]
    if kind is not None:
        filters += " AND d.kind = ?"
        params.append(kind)
    if fiscal_year is not None:
        filters += " AND d.fiscal_year = ?"
        params.append(fiscal_year)
    _, rows = wh.query(_SQL.format(filters=filters), [*params, max(limit, 0)])
    return [Hit(*row) for row in rows]
