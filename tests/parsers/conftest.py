"""Shared helpers of the parser tests live in parser_helpers.py (importable from here)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # for parser_helpers
