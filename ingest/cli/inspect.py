"""`rayngan inspect FILE`: parse one file exactly as the ingest job would, load nothing."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
from typing import TextIO

from ingest.api import ParsedFile, parse_path
from ingest.cli.commands import UsageError
from ingest.cli.output import cell_text
from ingest.job.paths import for_terminal, stored_path
from parsers.model import RECORD_FIELDS, Document, to_jsonable

log = logging.getLogger("rayngan")

SHOWN_PER_TYPE = 3
SHOWN_ANOMALIES = 20
_HEADER_FIELDS = ("kind", "code", "title", "fiscal_year", "agency", "progress_pct")


def inspect_file(
    path: str,
    *,
    as_json: bool = False,
    encoding: str | None = None,
    kind_dirs: tuple[str, ...] = (),
    out: TextIO | None = None,
) -> int:
    """Print the document(s) of ``path`` (a zip gives one per member); 1 when any failed."""
    out = out or sys.stdout
    if not os.path.isfile(path):
        raise UsageError(f"There is no file {path!r} to inspect.")
    outcomes = parse_path(path, encoding=encoding, kind_dirs=kind_dirs)
    if as_json:
        _write_json(outcomes, out)
    else:
        for outcome in outcomes:
            _write_summary(outcome, out)
    failed = [o for o in outcomes if o.failed]
    for outcome in failed:
        log.debug("%s", (outcome.detail or "").rstrip(), extra={"lines": True})
        where = for_terminal(stored_path(outcome.path))
        print(
            f"rayngan: {where}: {for_terminal(outcome.error or '')} [{outcome.stage}]",
            file=sys.stderr,
        )
    return 1 if failed or not outcomes else 0


def _write_json(outcomes: list[ParsedFile], out: TextIO) -> None:
    items = []
    for outcome in outcomes:
        if outcome.document is not None:
            item = to_jsonable(outcome.document)
            item["_file"] = {
                "sha256": outcome.sha256,
                "encoding": outcome.encoding,
                "media_type": outcome.media_type,
            }
            items.append(item)
    payload = items[0] if len(outcomes) == 1 and items else items
    if items or len(outcomes) != 1:
        json.dump(payload, out, ensure_ascii=False, indent=1)
        out.write("\n")


def _write_summary(outcome: ParsedFile, out: TextIO) -> None:
    doc = outcome.document
    out.write(f"{outcome.path}\n")
    if doc is None:
        out.write(f"  failed in {outcome.stage}: {outcome.error}\n")
        return
    for name in _HEADER_FIELDS:
        value = getattr(doc, name)
        out.write(f"  {name:<13} {'-' if value is None else cell_text(value)}\n")
    out.write(
        f"  {'read as':<13} {outcome.encoding} ({outcome.media_type}), sha256 {outcome.sha256}\n"
    )
    counts = [(name, len(getattr(doc, name))) for name in RECORD_FIELDS]
    out.write("  records       " + ", ".join(f"{n} {c}" for n, c in counts if c) + "\n")
    for name in RECORD_FIELDS:
        if name != "anomalies":
            _write_records(doc, name, SHOWN_PER_TYPE, out)
    _write_records(doc, "anomalies", SHOWN_ANOMALIES, out)


def _write_records(doc: Document, name: str, limit: int, out: TextIO) -> None:
    records = getattr(doc, name)
    if not records:
        return
    out.write(f"\n{name} ({len(records)}):\n")
    for record in records[:limit]:
        out.write(f"  {_record_line(record)}\n")
    if len(records) > limit:
        out.write(f"  … {len(records) - limit} more\n")


def _record_line(record: object) -> str:
    values = dataclasses.asdict(record)  # type: ignore[call-overload]
    where = f"line {values.pop('line_no')}"
    page = values.pop("page")
    if page is not None:
        where += f" p.{page}"
    parts = []
    for key, value in values.items():
        if value is None or value == "":
            continue
        text = cell_text(value)
        parts.append(f"{key}={text[:70] + '…' if len(text) > 70 else text}")
    return f"{where}: " + "  ".join(parts)
