-- 0002: analyst views (docs/cookbook.md answers its questions with these).
-- Views only: they read the 0001 tables and views and store nothing.  Every view except
-- document_versions looks at the latest export of each report only (latest_documents), so a
-- report exported twice is never counted twice; document_versions shows every export.

-- One row per KPI a latest document describes: target against achieved.  `met` assumes
-- higher is better: the forms state no direction, and every sample KPI is a "reach at least".
CREATE OR REPLACE VIEW kpi_results AS
SELECT
    i.doc_id,
    d.kind,
    i.code,
    i.name,
    d.fiscal_year,
    d.agency,
    i.indicator_type,
    i.result_level,
    i.target_value,
    i.target_unit,
    i.achieved_value,
    i.achieved_value - i.target_value AS gap,
    CASE
        WHEN i.achieved_value IS NULL OR i.target_value IS NULL THEN NULL
        ELSE i.achieved_value >= i.target_value
    END AS met,
    i.line_no
FROM indicators AS i
JOIN documents AS d USING (doc_id)
WHERE i.doc_id IN (SELECT doc_id FROM latest_documents);

-- One row per KPI and quarter: the quarter's result against the KPI's yearly target.
-- The target comes from the indicator with the same code in the same document.
CREATE OR REPLACE VIEW kpi_progress AS
WITH targets AS (
    SELECT doc_id, code, any_value(name) AS name, max(target_value) AS target_value,
           any_value(target_unit) AS target_unit
    FROM indicators
    GROUP BY doc_id, code
)
SELECT
    q.doc_id,
    q.code,
    t.name,
    d.fiscal_year,
    q.quarter,
    q.result_pct,
    q.score,
    q.eval_1,
    q.eval_2,
    t.target_value,
    t.target_unit,
    CASE
        WHEN q.result_pct IS NULL OR t.target_value IS NULL THEN NULL
        ELSE q.result_pct >= t.target_value
    END AS met,
    q.line_no
FROM quarterly_results AS q
JOIN documents AS d USING (doc_id)
LEFT JOIN targets AS t ON t.doc_id = q.doc_id AND t.code IS NOT DISTINCT FROM q.code
WHERE q.doc_id IN (SELECT doc_id FROM latest_documents);

-- One row per dated progress entry: progress against the share of the fiscal year elapsed
-- by the end of the report date (fiscal year N runs 1 October N-544 CE .. 30 September N-543).
CREATE OR REPLACE VIEW project_timeline AS
WITH entries AS (
    SELECT
        d.doc_id, d.kind, d.code, d.title, d.agency, e.entry_no, e.quarter, e.report_date,
        e.progress_pct, e.line_no,
        coalesce(
            d.fiscal_year,
            year(e.report_date) + 543 + CASE WHEN month(e.report_date) >= 10 THEN 1 ELSE 0 END
        ) AS fiscal_year
    FROM report_entries AS e
    JOIN documents AS d USING (doc_id)
    WHERE e.doc_id IN (SELECT doc_id FROM latest_documents)
      AND e.progress_pct IS NOT NULL
), spans AS (
    SELECT *,
        make_date(CAST(fiscal_year AS BIGINT) - 544, 10, 1) AS fy_start,
        make_date(CAST(fiscal_year AS BIGINT) - 543, 10, 1) AS fy_next
    FROM entries
)
SELECT
    doc_id, kind, code, title, agency, fiscal_year, entry_no, quarter, report_date,
    progress_pct,
    CASE WHEN report_date IS NULL THEN NULL ELSE round(
        100.0 * least(greatest(date_diff('day', fy_start, report_date) + 1, 0),
                      date_diff('day', fy_start, fy_next))
        / date_diff('day', fy_start, fy_next), 1)
    END AS fy_elapsed_pct,
    line_no
FROM spans;

-- One row per reach or views figure (one published post, as a rule) of a latest document.
CREATE OR REPLACE VIEW post_reach AS
SELECT
    r.doc_id,
    d.kind,
    d.code,
    d.fiscal_year,
    r.entry_no,
    r.report_date,
    CAST(date_trunc('month', r.report_date) AS DATE) AS month,
    r.item_no,
    r.title,
    r.metric,
    r.value,
    r.unit,
    r.line_no
FROM reach_metrics AS r
JOIN documents AS d USING (doc_id)
WHERE r.doc_id IN (SELECT doc_id FROM latest_documents)
  AND r.metric IN ('reach', 'views');

-- One row per latest document that has report entries and per fiscal quarter 1-4: how many
-- entries the quarter has and how many of them are dated (0 and 0: the quarter is missing).
CREATE OR REPLACE VIEW report_coverage AS
SELECT
    d.doc_id,
    d.kind,
    d.code,
    d.fiscal_year,
    q.quarter,
    CAST(count(e.doc_id) AS INTEGER) AS entries,
    CAST(count(e.report_date) AS INTEGER) AS dated_entries,
    min(e.report_date) AS first_date,
    max(e.report_date) AS last_date
FROM documents AS d
CROSS JOIN (VALUES (1), (2), (3), (4)) AS q(quarter)
LEFT JOIN report_entries AS e ON e.doc_id = d.doc_id AND e.quarter = q.quarter
WHERE d.doc_id IN (SELECT doc_id FROM latest_documents)
  AND d.doc_id IN (SELECT doc_id FROM report_entries)
GROUP BY d.doc_id, d.kind, d.code, d.fiscal_year, q.quarter;

-- Anomalies of the latest documents counted by rule, severity, kind and agency.
CREATE OR REPLACE VIEW anomaly_summary AS
SELECT
    a.rule,
    a.severity,
    d.kind,
    d.agency,
    CAST(count(DISTINCT a.doc_id) AS INTEGER) AS documents,
    CAST(count(*) AS INTEGER) AS anomalies
FROM anomalies AS a
JOIN documents AS d USING (doc_id)
WHERE a.doc_id IN (SELECT doc_id FROM latest_documents)
GROUP BY a.rule, a.severity, d.kind, d.agency;

-- Every export of every report, numbered oldest first within the report (the same key and
-- order as latest_documents), so two exports of one report can be compared.
CREATE OR REPLACE VIEW document_versions AS
SELECT
    d.doc_id,
    d.kind,
    d.code,
    d.title_key,
    d.fiscal_year,
    d.source_path,
    d.latest_entry_date,
    d.progress_pct,
    d.first_loaded_at,
    CAST(row_number() OVER (
        PARTITION BY d.kind, d.title_key, d.fiscal_year
        ORDER BY d.latest_entry_date ASC NULLS FIRST, d.first_loaded_at ASC, d.loaded_at ASC,
                 d.doc_id ASC
    ) AS INTEGER) AS version_no,
    CAST(count(*) OVER (PARTITION BY d.kind, d.title_key, d.fiscal_year) AS INTEGER)
        AS versions,
    d.doc_id IN (SELECT doc_id FROM latest_documents) AS is_latest
FROM documents AS d;
