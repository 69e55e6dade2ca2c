"""Reliability tests share the end-to-end helpers of tests/ingest."""

from __future__ import annotations
