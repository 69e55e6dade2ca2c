"""Runtime dependencies are exactly what runtime code imports (the rest live in extras)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "normalize", "parsers", "warehouse")
# The import name of a distribution where the two differ.
IMPORT_NAMES = {
    "python-docx": "docx",
    "python-pptx": "pptx",
    "python-calamine": "python_calamine",
    "odfpy": "odf",
    "pillow": "PIL",
}
# Imported only inside a function that says how to install it (an extra).
OPTIONAL = {"pandas", "ray"}


def _top_level_imports() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - set(PACKAGES) - {"__future__"}


def _dependencies() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~\[ ;]", dep, maxsplit=1)[0] for dep in project["dependencies"]}
    return {IMPORT_NAMES.get(name, name.replace("-", "_")) for name in names}


def test_runtime_dependencies_are_what_runtime_code_imports() -> None:
    imported = _top_level_imports() - OPTIONAL
    declared = _dependencies()
    assert imported - declared == set(), "imported but not a dependency"
    assert declared - imported == set(), "a dependency no runtime code imports"
