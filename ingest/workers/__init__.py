"""Worker processes: the fork server, the pool and the per-file work (extract + parse)."""
