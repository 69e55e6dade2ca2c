-- Why a file failed: 'transient' (caused by the run, not the file: disk full, the time
-- budget on a busy night, a file that vanished or was busy; tried again automatically by
-- the next runs, up to a cap) or 'permanent' (the bytes themselves fail: kept until the file
-- changes or `rayngan ingest --retry-failed`).  NULL when the path did not fail.
ALTER TABLE source_files ADD COLUMN failure_class VARCHAR;
-- Consecutive runs in which the path failed transiently (0 once it loads or fails for good).
ALTER TABLE source_files ADD COLUMN transient_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE source_file_events ADD COLUMN failure_class VARCHAR;
