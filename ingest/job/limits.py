"""Default per-file budgets of ``rayngan ingest`` (kept apart so ``--help`` loads no DuckDB)."""

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_FILE_TIMEOUT = 30.0
