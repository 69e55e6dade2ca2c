"""Extraction: bytes of one file -> decoded text (encodings, saved pages, PDF, zip members)."""
