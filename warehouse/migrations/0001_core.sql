-- 0001: the core warehouse schema (tables of docs/schema.md and the two contract views).
-- Fact tables carry no PRIMARY KEY on purpose: the loader deletes then inserts by doc_id,
-- and a key makes bulk inserts about 10x slower (performance-notes.md).

CREATE TABLE ingest_runs (
    run_id          VARCHAR NOT NULL,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    files_seen      INTEGER,
    files_loaded    INTEGER,
    files_unchanged INTEGER,
    files_failed    INTEGER,
    parser_version  VARCHAR
);

CREATE TABLE source_files (
    path           VARCHAR NOT NULL,
    sha256         VARCHAR,
    size_bytes     BIGINT,
    mtime_ns       BIGINT,
    encoding       VARCHAR,
    media_type     VARCHAR,
    status         VARCHAR NOT NULL CHECK (status IN ('loaded', 'unchanged', 'failed')),
    error          VARCHAR,
    run_id         VARCHAR NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

CREATE TABLE source_file_events (
    path           VARCHAR NOT NULL,
    sha256         VARCHAR,
    size_bytes     BIGINT,
    mtime_ns       BIGINT,
    status         VARCHAR NOT NULL,
    error          VARCHAR,
    run_id         VARCHAR NOT NULL,
    recorded_at    TIMESTAMP NOT NULL
);

CREATE TABLE documents (
    doc_id            VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    code              VARCHAR,
    title             VARCHAR,
    title_key         VARCHAR NOT NULL,
    fiscal_year       INTEGER,
    agency            VARCHAR,
    progress_pct      DOUBLE,
    latest_entry_date DATE,
    source_path       VARCHAR,
    encoding          VARCHAR,
    media_type        VARCHAR,
    size_bytes        BIGINT,
    source_mtime      TIMESTAMP,
    anomaly_count     INTEGER,
    parser_version    VARCHAR,
    loaded_at         TIMESTAMP NOT NULL,
    first_loaded_at   TIMESTAMP NOT NULL,
    first_run_id      VARCHAR NOT NULL,
    run_id            VARCHAR NOT NULL
);

CREATE TABLE indicators (
    doc_id          VARCHAR NOT NULL,
    code            VARCHAR,
    name            VARCHAR,
    indicator_type  VARCHAR,
    result_level    VARCHAR,
    target_value    DOUBLE,
    target_unit     VARCHAR,
    achieved_value  DOUBLE,
    line_no         INTEGER,
    page            INTEGER,
    run_id          VARCHAR NOT NULL
);

CREATE TABLE quarterly_results (
    doc_id      VARCHAR NOT NULL,
    code        VARCHAR,
    quarter     INTEGER,
    result_pct  DOUBLE,
    score       DOUBLE,
    eval_1      DOUBLE,
    eval_2      DOUBLE,
    line_no     INTEGER,
    page        INTEGER,
    run_id      VARCHAR NOT NULL
);

CREATE TABLE report_entries (
    doc_id        VARCHAR NOT NULL,
    entry_no      INTEGER,
    quarter       INTEGER,
    report_date   DATE,
    progress_pct  DOUBLE,
    body          VARCHAR,
    line_no       INTEGER,
    page          INTEGER,
    run_id        VARCHAR NOT NULL
);

CREATE TABLE reach_metrics (
    doc_id       VARCHAR NOT NULL,
    entry_no     INTEGER,
    report_date  DATE,
    item_no      VARCHAR,
    title        VARCHAR,
    metric       VARCHAR NOT NULL,
    value        BIGINT,
    unit         VARCHAR,
    line_no      INTEGER,
    page         INTEGER,
    run_id       VARCHAR NOT NULL
);

CREATE TABLE success_levels (
    doc_id       VARCHAR NOT NULL,
    level        INTEGER,
    pct          DOUBLE,
    description  VARCHAR,
    line_no      INTEGER,
    page         INTEGER,
    run_id       VARCHAR NOT NULL
);

CREATE TABLE strategy_links (
    doc_id   VARCHAR NOT NULL,
    path     VARCHAR,
    name     VARCHAR,
    line_no  INTEGER,
    page     INTEGER,
    run_id   VARCHAR NOT NULL
);

CREATE TABLE plan_steps (
    doc_id       VARCHAR NOT NULL,
    step_no      INTEGER,
    description  VARCHAR,
    weight_pct   DOUBLE,
    start_date   DATE,
    end_date     DATE,
    line_no      INTEGER,
    page         INTEGER,
    run_id       VARCHAR NOT NULL
);

CREATE TABLE key_results (
    doc_id        VARCHAR NOT NULL,
    code          VARCHAR,
    name          VARCHAR,
    fiscal_year   INTEGER,
    host_agency   VARCHAR,
    aspect        VARCHAR,
    issue         VARCHAR,
    target_value  DOUBLE,
    target_unit   VARCHAR,
    line_no       INTEGER,
    page          INTEGER,
    run_id        VARCHAR NOT NULL
);

CREATE TABLE contacts (
    doc_id    VARCHAR NOT NULL,
    name      VARCHAR,
    position  VARCHAR,
    phone     VARCHAR,
    agency    VARCHAR,
    line_no   INTEGER,
    page      INTEGER,
    run_id    VARCHAR NOT NULL
);

CREATE TABLE assessments (
    doc_id   VARCHAR NOT NULL,
    quarter  INTEGER,
    score    DOUBLE,
    line_no  INTEGER,
    page     INTEGER,
    run_id   VARCHAR NOT NULL
);

CREATE TABLE checkboxes (
    doc_id   VARCHAR NOT NULL,
    grp      VARCHAR,
    label    VARCHAR,
    checked  BOOLEAN,
    line_no  INTEGER,
    page     INTEGER,
    run_id   VARCHAR NOT NULL
);

CREATE TABLE attributes (
    doc_id   VARCHAR NOT NULL,
    key      VARCHAR NOT NULL,
    value    VARCHAR,
    line_no  INTEGER,
    page     INTEGER,
    run_id   VARCHAR NOT NULL
);

CREATE TABLE anomalies (
    doc_id    VARCHAR NOT NULL,
    line_no   INTEGER,
    page      INTEGER,
    rule      VARCHAR NOT NULL,
    severity  VARCHAR NOT NULL,
    message   VARCHAR,
    run_id    VARCHAR NOT NULL
);

-- One row per report (kind + code-or-title + fiscal year): its newest export.  Newest is the
-- latest dated entry in the content, then the export whose bytes arrived last, then (for
-- exports first loaded together) the newer file.
CREATE VIEW latest_documents AS
SELECT *
FROM documents
QUALIFY row_number() OVER (
    PARTITION BY kind, title_key, fiscal_year
    ORDER BY latest_entry_date DESC NULLS LAST, first_loaded_at DESC, source_mtime DESC NULLS LAST,
        loaded_at DESC, doc_id DESC
) = 1;

-- Reach per calendar month from the latest export of each report only, so a report exported
-- twice (the later export repeating the earlier entries) is never counted twice.
CREATE VIEW monthly_reach AS
SELECT
    CAST(date_trunc('month', r.report_date) AS DATE) AS month,
    r.doc_id,
    l.kind,
    l.code,
    l.title_key,
    l.fiscal_year,
    r.metric,
    CAST(sum(r.value) AS BIGINT) AS total_value,
    CAST(sum(r.value) AS BIGINT) AS value,
    CAST(count(*) AS INTEGER) AS row_count
FROM reach_metrics AS r
JOIN latest_documents AS l USING (doc_id)
WHERE r.report_date IS NOT NULL AND r.value IS NOT NULL
GROUP BY ALL;
