"""The kind contract: what every registered report kind must have (docs/adding-a-kind.md).

:func:`problems` returns one sentence per thing missing or wrong, naming the kind and the
file, so a failing contract says what to add.  It takes the registry and the three places
as arguments, so a test can check a temporary copy (tests/parsers/test_kind_contract.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from normalize import repair_text
from parsers.errors import DetectionError
from parsers.model import to_jsonable
from parsers.registry import KindSpec, Registry

ROOT = Path(__file__).resolve().parents[2]


def sample_names(spec: KindSpec, samples: Path) -> list[str]:
    """The kind's samples: paths under ``samples`` (with "/") its patterns match."""
    found = {p.relative_to(samples).as_posix() for pat in spec.samples for p in samples.glob(pat)}
    return sorted(found)


def golden_of(name: str, golden: Path) -> Path:
    return golden / (name.replace("/", "__") + ".json")


def problems(registry: Registry, samples: Path, golden: Path, kinds_doc: Path) -> list[str]:
    """Everything the registered kinds lack, one sentence each; [] when the contract holds."""
    doc_text = kinds_doc.read_text(encoding="utf-8")
    found: list[str] = []
    for spec in registry:
        if f"| `{spec.name}` |" not in doc_text:
            found.append(f"Kind {spec.name!r} has no row in {kinds_doc.name}.")
        names = sample_names(spec, samples)
        if not names:
            patterns = ", ".join(repr(p) for p in spec.samples) or "(no sample pattern given)"
            found.append(f"Kind {spec.name!r} has no sample: nothing under samples/ matches "
                         f"{patterns}.")  # fmt: skip
        for name in names:
            found += _sample_problems(registry, spec, name, samples, golden)
    return found


def _sample_problems(
    registry: Registry, spec: KindSpec, name: str, samples: Path, golden: Path
) -> list[str]:
    raw = (samples / name).read_bytes().decode("utf-8", errors="replace")
    text = repair_text(raw)
    out: list[str] = []
    others = [k.name for k in registry if k is not spec and not k.fallback and k.claim(text)]
    if others:
        out.append(f"Sample {name} of kind {spec.name!r} is also claimed by {', '.join(others)}.")
    try:
        detected = registry.detect_kind(text, name)
    except DetectionError as exc:
        detected = f"an error ({exc.message})"
    if detected != spec.name:
        out.append(f"Sample {name} of kind {spec.name!r} is detected as {detected}.")
    target = golden_of(name, golden)
    if not target.exists():
        out.append(f"Sample {name} of kind {spec.name!r} has no golden {target.name} "
                   "(write it with tests/golden/regen.py).")  # fmt: skip
    elif to_jsonable(registry.parse_document(raw, name, spec.name)) != json.loads(
        target.read_text("utf-8")
    ):
        out.append(f"Sample {name} does not parse to its golden {target.name}.")
    return out
