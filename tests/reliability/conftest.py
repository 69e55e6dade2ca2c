"""Reliability tests share the end-to-end helpers of tests/ingest."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))  # ingest_helpers
sys.path.insert(0, str(Path(__file__).resolve().parent))  # fault_helpers
