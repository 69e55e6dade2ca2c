"""parsers.model.fast_init: records built by the fast __init__ behave as generated ones."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from datetime import date

import pytest

from parsers import blocks, model
from parsers.blocks import dated, indicator, lines, page, quarters, reach
from parsers.model import fast_init

FAST = [
    cls
    for module in (model, dated, indicator, lines, page, quarters, reach)
    for cls in vars(module).values()
    if isinstance(cls, type)
    and dataclasses.is_dataclass(cls)
    and cls.__module__ == module.__name__
    and cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
    and "__create_fn__" not in cls.__init__.__code__.co_qualname
]


def test_the_hot_records_have_the_fast_init():
    names = {cls.__name__ for cls in FAST}
    assert {"Line", "Anomaly", "ReachMetric", "ReportEntry", "Attribute", "Section"} <= names


@pytest.mark.parametrize("cls", FAST, ids=lambda cls: cls.__name__)
def test_signature_matches_the_fields(cls):
    params = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        default = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert p.default is default


def test_records_stay_frozen_equal_hashable_and_picklable():
    a = model.Anomaly("rule", "info", "A message.", line_no=3)
    b = model.Anomaly(rule="rule", severity="info", message="A message.", line_no=3)
    assert a == b and hash(a) == hash(b) and a.page is None
    assert (
        repr(a)
        == "Anomaly(rule='rule', severity='info', message='A message.', line_no=3, page=None)"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.line_no = 4  # type: ignore[misc]
    assert dataclasses.replace(a, page=2).page == 2
    assert pickle.loads(pickle.dumps(a)) == a
    row = model.ReachMetric(1, date(2023, 1, 31), "2", "ข่าว", "reach", 5, "คน", line_no=9)
    assert dataclasses.asdict(row)["value"] == 5 and row.page is None


def test_missing_and_extra_arguments_are_refused():
    with pytest.raises(TypeError):
        model.Anomaly("rule", "info")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        blocks.Line(1, "x", "y")  # type: ignore[call-arg]


def test_classes_it_cannot_handle_keep_their_init():
    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        items: list[int] = dataclasses.field(default_factory=list)

    generated = WithFactory.__init__
    assert fast_init(WithFactory).__init__ is generated
    assert WithFactory().items == []
