"""Inline SVG charts for the report (pure functions: data in, SVG text out)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date


def esc(value: object) -> str:
    """Escape any value for HTML text or an attribute ('' for None)."""
    return "" if value is None else html.escape(str(value), quote=True)


def fmt_num(value: float | int | None) -> str:
    """12345.0 -> '12,345'; 84.8 -> '84.8'; None -> '–'."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _nice_max(value: float) -> float:
    """A round axis top at or above ``value`` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    step = 10 ** len(str(int(value))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def nice_ticks(value: float, *, integer: bool = False, most: int = 5) -> list[float]:
    """Axis ticks from 0 to a round top at or above ``value``, at most ``most`` steps of
    1, 2 or 5 × 10^n; ``integer`` (counts) never steps by less than 1.

    >>> nice_ticks(3, integer=True)
    [0, 1, 2, 3]
    >>> nice_ticks(12.5)
    [0, 5, 10, 15]
    >>> nice_ticks(250218)
    [0, 100000, 200000, 300000]
    """
    value = max(float(value), 1e-9)
    exponent = math.floor(math.log10(value / most)) if value > 0 else 0
    for power in range(exponent - 1, exponent + 3):
        for factor in (1, 2, 5):
            step = factor * 10.0**power
            if integer and step < 1:
                continue
            steps = math.ceil(value / step - 1e-9)
            if steps <= most:
                ticks = [step * i for i in range(max(steps, 1) + 1)]
                return [int(t) if float(t).is_integer() else round(t, 10) for t in ticks]
    return [0, value]


def bar_svg(
    bars: Sequence[tuple[str, float | None]],
    *,
    target: float | None = None,
    width: int = 520,
    height: int = 220,
    caption: str = "",
    integer: bool = False,
) -> str:
    """Vertical bars with value labels and an optional dashed target line.  A bar whose
    value is None is a gap ("no data"), drawn empty and labelled so, never as zero."""
    left, top, bottom = 64, 16, 36
    plot_w, plot_h = width - left - 12, height - top - bottom
    ticks = nice_ticks(max([v or 0 for _, v in bars] + [target or 0]), integer=integer)
    top_value = ticks[-1]
    slot = plot_w / max(len(bars), 1)
    every = max(1, math.ceil(len(bars) / 14))  # labels that would overlap are thinned
    parts = _axis(left, top, plot_w, plot_h, ticks)
    for i, (label, value) in enumerate(bars):
        x = left + i * slot + slot * 0.15
        h = plot_h * (value or 0) / top_value
        cx = x + slot * 0.35
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="#2f80ed"><title>{esc(label)}: {esc(fmt_num(value))}'
            "</title></rect>"
        )
        if value is None:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h - 3:.1f}" font-size="9" fill="#9aa5b1" '
                'text-anchor="middle">no data</text>'
            )
        elif len(bars) <= 14:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="11" '
                f'text-anchor="middle">{esc(fmt_num(value))}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16:.1f}" font-size="11" '
                f'text-anchor="middle">{esc(label)}</text>'
            )
    if target is not None:
        y = top + plot_h - plot_h * target / top_value
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            'stroke="#b42318" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    return _svg(width, height, parts, caption)


def stacked_svg(
    groups: Sequence[tuple[str, Sequence[tuple[str, int, str]]]], *, width: int = 1080
) -> str:
    """Horizontal stacked bars of counts: one row per group, (label, count, colour) parts."""
    row, left = 24, 300
    height = row * len(groups) + 30
    ticks = nice_ticks(
        max([sum(c for _, c, _ in parts) for _, parts in groups] + [1]), integer=True
    )
    scale = (width - left - 20) / ticks[-1]
    out: list[str] = []
    for t in ticks:
        x = left + t * scale
        out.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 22}" stroke="#e4e7eb"/>'
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle">'
            f"{esc(fmt_num(t))}</text>"
        )
    for i, (label, parts) in enumerate(groups):
        y, x = 2 + i * row, float(left)
        out.append(
            f'<text x="{left - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
            f"{esc(label[:48])}</text>"
        )
        for name, count, colour in parts:
            w = count * scale
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="{colour}">'
                f"<title>{esc(label)}: {esc(name)} {count:,}</title></rect>"
            )
            x += w
    return _svg(width, height, out, "")


def hbar_svg(bars: Sequence[tuple[str, float | None]], *, unit: str = "", width: int = 520) -> str:
    """Horizontal bars (target against achieved) on one shared scale."""
    row, left = 26, 80
    height = row * len(bars) + 8
    top_value = _nice_max(max([v or 0 for _, v in bars]))
    colors = {"target": "#9aa5b1", "achieved": "#127a3a"}
    parts = []
    for i, (label, value) in enumerate(bars):
        w = (width - left - 110) * (value or 0) / top_value
        y = 4 + i * row
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end">{esc(label)}'
            f'</text><rect x="{left}" y="{y}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{colors.get(label, "#2f80ed")}"/>'
            f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{esc(fmt_num(value))} {esc(unit)}</text>"
        )
    return _svg(width, height, parts, "")


def line_svg(
    points: Sequence[tuple[date, float | None]],
    reference: Sequence[tuple[date, float | None]] = (),
    *,
    width: int = 520,
    height: int = 230,
    caption: str = "",
) -> str:
    """A 0-100 % line over dates, with an optional dashed reference line."""
    left, top, bottom = 48, 14, 40
    plot_w, plot_h = width - left - 16, height - top - bottom
    dates = [d for d, _ in points] + [d for d, _ in reference]
    if not dates:
        return _svg(width, height, [], caption)
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)

    def xy(d: date, v: float) -> str:
        x = left + plot_w * (d - first).days / span
        return f"{x:.1f},{top + plot_h - plot_h * min(max(v, 0), 100) / 100:.1f}"

    parts = _axis(left, top, plot_w, plot_h, [0, 25, 50, 75, 100])
    ref = " ".join(xy(d, v) for d, v in reference if v is not None)
    if ref:
        parts.append(
            f'<polyline points="{ref}" fill="none" stroke="#9aa5b1" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    line = [(d, v) for d, v in points if v is not None]
    parts.append(
        f'<polyline points="{" ".join(xy(d, v) for d, v in line)}" fill="none" '
        'stroke="#2f80ed" stroke-width="2.5"/>'
    )
    for d, v in line:
        cx, cy = xy(d, v).split(",")
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="#2f80ed"><title>'
            f"{esc(d.isoformat())}: {esc(fmt_num(v))}%</title></circle>"
        )
    for d, anchor in ((first, "start"), (last, "end")):
        x = xy(d, 0).split(",")[0]
        parts.append(
            f'<text x="{x}" y="{top + plot_h + 16}" font-size="11" '
            f'text-anchor="{anchor}">{esc(d.isoformat())}</text>'
        )
    return _svg(width, height, parts, caption)


def _axis(left: int, top: int, plot_w: float, plot_h: float, ticks: list[float]) -> list[str]:
    parts = []
    for value in ticks:
        y = top + plot_h - plot_h * value / ticks[-1]
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            'stroke="#e4e7eb"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{esc(fmt_num(value))}</text>"
        )
    return parts


def _svg(width: int, height: int, parts: Sequence[str], caption: str) -> str:
    label = f'<div class="note">{esc(caption)}</div>' if caption else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">' + "".join(parts) + "</svg>" + label
    )
