"""Shared helpers of the parser tests live in parser_helpers.py (importable from here)."""

from __future__ import annotations
