"""Parsers: one module per report kind, each with ``detect`` and ``parse``."""

# Bump when a parser change alters what is extracted: the next ingest re-parses
# every document loaded by an older version.
PARSER_VERSION = "2"  # 2: generic kind; lines, date mentions and amounts of every document
