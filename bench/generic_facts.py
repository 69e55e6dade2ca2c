"""The generic-fact benchmark: real pages of other layouts, facts read by hand.

    .venv/bin/python bench/generic_facts.py            # score, print the misses
    .venv/bin/python bench/generic_facts.py --json     # the score as JSON
    .venv/bin/python bench/generic_facts.py --set heldout   # the held-out set
    .venv/bin/python bench/generic_facts.py --set heldout3  # the third, fresh held-out set
    .venv/bin/python bench/generic_facts.py --set heldout4  # the fourth, fresh held-out set


``bench/generic/pages`` holds real pages of layouts rayngan has no kind for (Ministry of
Public Health KPI tables and detail pages, a Ministry of Interior KPI form, an OPDC
evaluation, municipal evaluation tables, BMA unit-performance pages, news); the facts an
analyst reads off them are in ``bench/generic/facts.json``.  The pages are ingested with the
real CLI into a fresh warehouse and every fact is looked up there, the way the BMA pages
are scored: a fact counts when the warehouse holds it, wherever the parser put it.

``--set heldout`` scores ``bench/generic/heldout`` instead: 21 further real pages whose facts
were written down before rayngan was ever run on them and which were never used to build the
generic kind, so its figure is the one to quote for unseen layouts.  ``--set heldout3`` is
a third such set (23 pages, other agencies and shapes: provincial disbursement reports,
cabinet budget news, budget ordinances, damaged legacy-font captures), its facts also
written down before the first run.  ``--set heldout4`` is a fourth (22 pages: BMA district
and plan pages, cabinet and ministry news with ล้าน and
หมื่นล้าน amounts and reach counts, school SAR and non-formal education reports with damaged
captures, a sub-district budget report in a broken private-use font, a flattened table), its
facts also written down before the first run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "bench" / "generic" / "pages"
FACTS = ROOT / "bench" / "generic" / "facts.json"
# set name -> (pages folder, facts file); "default" is the set the generic kind was built on
SETS = {
    "default": (PAGES, FACTS),
    "heldout": (PAGES.parent / "heldout" / "pages", PAGES.parent / "heldout" / "facts.json"),
    "heldout3": (PAGES.parent / "heldout3" / "pages", PAGES.parent / "heldout3" / "facts.json"),
    "heldout4": (PAGES.parent / "heldout4" / "pages", PAGES.parent / "heldout4" / "facts.json"),
}


@dataclass
class Score:
    facts: Counter = field(default_factory=Counter)  # fact type -> count
    matched: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    not_loaded: list[str] = field(default_factory=list)

    @property
    def total(self) -> tuple[int, int]:
        return sum(self.matched.values()), sum(self.facts.values())

    def add(self, kind: str, ok: bool, what: str) -> None:
        self.facts[kind] += 1
        self.matched[kind] += ok
        if not ok:
            self.misses.append(what)


def _norm(text: object) -> str:
    return " ".join(str(text or "").split())


def _same_text(expected: str, actual: object) -> bool:
    """Containment either way, the shorter holding at least half of the longer."""
    e, a = _norm(expected), _norm(actual)
    if not e or not a:
        return False
    short, long = sorted((e, a), key=len)
    return short in long and len(short) * 2 >= len(long)


def _close(expected: float, actual: object) -> bool:
    return actual is not None and abs(float(actual) - expected) <= 1e-6 * max(1.0, abs(expected))


def ingest(db: Path, pages: Path = PAGES) -> None:
    """Load the pages with the real command line, as a user would."""
    cmd = [sys.executable, "-m", "ingest", "ingest", str(pages), "--db", str(db), "--quiet"]
    subprocess.run(cmd, check=False, capture_output=True, cwd=ROOT)


def score(db: Path, facts: dict) -> Score:
    result = Score()
    con = duckdb.connect(str(db), read_only=True)
    try:
        for name, expected in facts.items():
            if not name.startswith("_"):
                _score_page(con, name, expected, result)
    finally:
        con.close()
    return result


def _rows(con: duckdb.DuckDBPyConnection, sql: str, doc_id: str) -> list[tuple]:
    return con.execute(sql, [doc_id]).fetchall()


def _score_page(con: duckdb.DuckDBPyConnection, name: str, exp: dict, out: Score) -> None:
    found = con.execute(
        "SELECT doc_id, title, agency, fiscal_year, code FROM documents "
        "WHERE source_path LIKE '%/' || ?",
        [name],
    ).fetchone()
    if found is None:
        out.not_loaded.append(name)
        found = ("", None, None, None, None)
    doc_id, title, agency, fy, code = found
    for key, actual in (("title", title), ("agency", agency)):
        if key in exp:
            out.add(key, _same_text(exp[key], actual), f"{name}: {key} {exp[key]!r} != {actual!r}")
    for key, actual in (("fiscal_year", fy), ("code", code)):
        if key in exp:
            out.add(key, exp[key] == actual, f"{name}: {key} {exp[key]!r} != {actual!r}")
    _score_indicators(con, name, doc_id, exp.get("indicators", []), out)
    _score_mentions(con, name, doc_id, exp, out)


def _score_indicators(con, name: str, doc_id: str, wanted: list[dict], out: Score) -> None:
    rows = _rows(
        con, "SELECT name, target_value, achieved_value FROM indicators WHERE doc_id = ?", doc_id
    )
    # a project page's progress ("ความคืบหน้าโครงการ ร้อยละ 95") is held as the document's
    # progress_pct: the same fact, in the place the project_progress kind puts it
    progress = _rows(con, "SELECT progress_pct FROM documents WHERE doc_id = ?", doc_id)
    rows += [("ความคืบหน้าโครงการ", None, pct) for (pct,) in progress if pct is not None]
    for ind in wanted:
        prefix = _norm(ind["name"])
        row = next((r for r in rows if _norm(r[0]).startswith(prefix)), None)
        out.add("indicator", row is not None, f"{name}: no indicator {prefix[:50]!r}")
        for key, k in (("target", 1), ("achieved", 2)):
            if key in ind:
                actual = row[k] if row else None
                out.add(
                    f"indicator.{key}",
                    _close(ind[key], actual),
                    f"{name}: {prefix[:30]!r} {key} {ind[key]} != {actual}",
                )


def _score_mentions(con, name: str, doc_id: str, exp: dict, out: Score) -> None:
    dates = _rows(con, "SELECT start_date, end_date FROM date_mentions WHERE doc_id = ?", doc_id)
    spans = {(s.isoformat(), e.isoformat()) for s, e in dates}
    for d in exp.get("dates", []):
        out.add("date", (d["start"], d["end"]) in spans, f"{name}: no date {d}")
    values = [v for (v,) in _rows(con, "SELECT value FROM amounts WHERE doc_id = ?", doc_id)]
    for a in exp.get("amounts", []):
        out.add("amount", any(_close(a, v) for v in values), f"{name}: no amount {a:,.2f}")
    lines = [t for (t,) in _rows(con, "SELECT text FROM document_lines WHERE doc_id = ?", doc_id)]
    for phrase in exp.get("lines", []):
        out.add("line", any(phrase in t for t in lines), f"{name}: no line with {phrase!r}")
    attrs = dict(_rows(con, "SELECT key, value FROM attributes WHERE doc_id = ?", doc_id))
    for key, value in exp.get("attributes", {}).items():
        ok = _norm(attrs.get(key)) == _norm(value)
        out.add("attribute", ok, f"{name}: {key} {value!r} != {attrs.get(key)!r}")


def run(pages: Path = PAGES, facts_path: Path = FACTS) -> Score:
    facts = json.loads(facts_path.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "generic.duckdb"
        ingest(db, pages)
        return score(db, facts)


def section(result: Score, name: str = "default") -> str:
    """The markdown section of bench/RESULTS.md."""
    matched, total = result.total
    where = "bench/generic" if name == "default" else f"bench/generic/{name}"
    lines = [
        f"### Generic facts ({where}: real pages of other layouts, facts read by hand)",
        "",
        f"{matched} of {total} facts in the warehouse ({matched / max(total, 1):.1%}); "
        f"pages not loaded: {len(result.not_loaded)}.",
        "",
        "| fact | matched / facts |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {result.matched[k]} / {n} |" for k, n in sorted(result.facts.items())]
    if result.misses:
        lines += ["", "Missed:", ""] + [f"- {m}" for m in result.misses]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the score as JSON")
    ap.add_argument("--set", choices=sorted(SETS), default="default", help="which page set")
    args = ap.parse_args(argv)
    result = run(*SETS[args.set])
    matched, total = result.total
    if args.json:
        out = {"matched": matched, "facts": total, "by_type": dict(result.facts)}
        out["matched_by_type"] = {k: result.matched[k] for k in result.facts}
        print(json.dumps(out))
    else:
        print(section(result, args.set))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
