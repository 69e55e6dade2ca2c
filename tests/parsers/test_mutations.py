"""Mutated web-page samples (kpi_detail and project_progress, the real captures included):
parsing returns a Document or raises only the named detection/parse errors."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parser_helpers import SAMPLES, load

from parsers.errors import DetectionError, ParseError
from parsers.model import Document, to_jsonable
from parsers.registry import parse_document

MUTABLE = [
    "001_355c1ca7b5fb9819.txt",
    "004_a8b6aaaadac5bd4d.txt",
    *sorted(
        p.relative_to(SAMPLES).as_posix()
        for pattern in ("kpi_detail_*.txt", "project_progress_*.txt")
        for p in (SAMPLES / "real").glob(pattern)
    ),
]


def parse_or_named_error(text: str) -> None:
    try:
        doc = parse_document(text, "mutated")
    except (DetectionError, ParseError):
        return
    assert isinstance(doc, Document)
    to_jsonable(doc)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(MUTABLE), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=30)
)
def test_byte_flips(name, flips):
    data = bytearray((SAMPLES / name).read_bytes())
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    parse_or_named_error(bytes(data).decode("utf-8", errors="replace"))


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(MUTABLE), st.floats(0, 1), st.floats(0, 1))
def test_truncation_at_random_points(name, a, b):
    text = load(name)
    lo, hi = sorted((int(a * len(text)), int(b * len(text))))
    parse_or_named_error(text[:hi])
    parse_or_named_error(text[lo:])


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(MUTABLE), st.randoms(use_true_random=False))
def test_shuffled_lines(name, rnd: random.Random):
    lines = load(name).split("\n")
    rnd.shuffle(lines)
    parse_or_named_error("\n".join(lines))


def test_every_web_page_sample_is_mutated():
    assert len(MUTABLE) == 2 + 16
