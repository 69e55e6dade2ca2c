"""What a parse gathers while it reads a text: the one accumulator every parser uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsers.anomalies import anomaly
from parsers.model import (
    Anomaly,
    Attribute,
    Indicator,
    PlanStep,
    QuarterlyResult,
    ReachMetric,
    ReportEntry,
    StrategyLink,
)


@dataclass
class Accumulator:
    """Records gathered so far (mutable while parsing; the Document is built frozen at the
    end).  A parser with more state of its own subclasses it."""

    entries: list[ReportEntry] = field(default_factory=list)
    reach: list[ReachMetric] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    strategy: list[StrategyLink] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    quarterly: list[QuarterlyResult] = field(default_factory=list)
    plan: list[PlanStep] = field(default_factory=list)

    def attr(self, key: str, value: str | None, line_no: int | None) -> None:
        """Keep a labelled value (an empty one is no fact and is dropped)."""
        if value:
            self.attributes.append(Attribute(key, value, line_no))

    def anomaly(self, rule: str, line_no: int | None, variant: str = "", **values: Any) -> None:
        """Record catalog rule ``rule`` (:mod:`parsers.anomalies`) with its template's values."""
        self.anomalies.append(anomaly(rule, line_no, variant=variant, **values))

    def attributes_in_text_order(self) -> tuple[Attribute, ...]:
        """The attributes in the order of their lines (stable for equal lines)."""
        return tuple(sorted(self.attributes, key=lambda a: a.line_no or 0))
