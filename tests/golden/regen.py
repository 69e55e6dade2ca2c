"""Rewrite the golden JSON of every sample: run only to change the goldens on purpose.

    python tests/golden/regen.py            # every *.txt under samples/
    python tests/golden/regen.py 004 real/  # only samples whose path contains one of these

Each sample ``samples/<path>`` gets ``tests/golden/<path with / replaced by __>.json``: the
``parse_document`` output through ``parsers.model.to_jsonable``.  ``tests/test_golden.py``
compares against these files; review ``git diff tests/golden`` before committing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "tests" / "golden"


def sample_paths() -> list[Path]:
    """Every text sample under samples/ (READMEs excluded), in a stable order."""
    return sorted(
        p for p in SAMPLES.rglob("*.txt") if p.is_file() and not p.name.upper().startswith("README")
    )


def sample_name(path: Path) -> str:
    """The sample's path relative to samples/, as the parser's ``source``."""
    return path.relative_to(SAMPLES).as_posix()


def golden_path(path: Path) -> Path:
    return GOLDEN / (sample_name(path).replace("/", "__") + ".json")


def load_text(path: Path) -> str:
    """The sample as the pipeline sees it: UTF-8, a cut last character replaced."""
    return path.read_bytes().decode("utf-8", errors="replace")


def render(path: Path) -> str:
    """The golden text of one sample."""
    from parsers.model import to_jsonable
    from parsers.registry import parse_document

    doc = parse_document(load_text(path), sample_name(path))
    return json.dumps(to_jsonable(doc), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    wanted = argv[1:]
    for path in sample_paths():
        name = sample_name(path)
        if wanted and not any(w in name for w in wanted):
            continue
        target = golden_path(path)
        text = render(path)
        old = target.read_text(encoding="utf-8") if target.exists() else None
        if old != text:
            target.write_text(text, encoding="utf-8")
        print(f"{'unchanged' if old == text else 'written':9} {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
