"""Default per-file budgets of ``rayngan ingest`` (kept apart so ``--help`` loads no DuckDB)."""

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_FILE_TIMEOUT = 30.0
# One scanned page read by OCR (a clean 300-dpi page takes 1.5-3 s on one core); the
# pages of a file share what is left of its --file-timeout as well.
DEFAULT_OCR_PAGE_TIMEOUT = 60.0
