"""Every ``python`` block of docs/api.md runs as written, in order, in one namespace."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def test_the_api_page_runs_as_written() -> None:
    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {}
    old = os.getcwd()
    os.chdir(REPO)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            for block in blocks:
                exec(compile(block, "docs/api.md", "exec"), namespace)
    finally:
        os.chdir(old)
    printed = out.getvalue()
    assert "kpi_detail 0411-2029 2566" in printed
    assert "2020-03-31" in printed
