"""Every sample parses to its golden JSON (tests/golden/regen.py rewrites them on purpose)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from parsers.model import to_jsonable
from parsers.registry import parse_document

_REGEN = Path(__file__).resolve().parent / "golden" / "regen.py"
_spec = importlib.util.spec_from_file_location("golden_regen", _REGEN)
assert _spec and _spec.loader
regen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen)

SAMPLES = regen.sample_paths()


def test_there_are_samples():
    assert len(SAMPLES) >= 5


@pytest.mark.parametrize("path", SAMPLES, ids=regen.sample_name)
def test_sample_matches_golden(path: Path):
    golden = regen.golden_path(path)
    if not golden.exists():
        pytest.skip(
            f"No golden file {golden.name} for samples/{regen.sample_name(path)}; "
            "write it with `python tests/golden/regen.py` once its parser is done."
        )
    expected = json.loads(golden.read_text(encoding="utf-8"))
    doc = parse_document(regen.load_text(path), regen.sample_name(path))
    assert to_jsonable(doc) == expected
