"""Small helpers the parser tests share: read a sample, list anomaly rules, group attributes."""

from __future__ import annotations

from pathlib import Path

from parsers.model import Document

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def load(name: str) -> str:
    """A sample's text; undecodable bytes (a capture cut inside a character) become U+FFFD."""
    return (SAMPLES / name).read_bytes().decode("utf-8", errors="replace")


def rules(doc: Document) -> list[str]:
    return [a.rule for a in doc.anomalies]


def attrs(doc: Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in doc.attributes:
        out.setdefault(a.key, []).append(a.value)
    return out


def claims(kind: str, text: str) -> bool:
    """Whether registered kind ``kind`` claims ``text`` (strong or weak; parsers.detect)."""
    from parsers.registry import registry

    return registry()[kind].claim(text) is not None
