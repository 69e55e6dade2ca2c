"""Parsers: text in, a :class:`parsers.model.Document` out.

``registry`` is the only list of report kinds; ``detect`` holds every built-in kind's cues and
the one decision between them; one module per built-in kind (``parse``); data kinds are TOML
files (``kinds/``, read by ``datakind``); ``blocks`` are the shared pieces, ``accumulator`` and
``anomalies`` what every parse gathers and reports.  docs/adding-a-kind.md adds a kind.
"""

# Bump when a parser change alters what is extracted: the next ingest re-parses
# every document loaded by an older version.
PARSER_VERSION = "2"  # 2: contacts as written; generic kind; lines, date mentions, amounts
