-- 0007: one row per report, and how it is known (code, title or content fingerprint).
-- Pages with neither code nor title used to be one report per file (title_key 'doc:<id>');
-- from parser version 2 on their title_key is a content fingerprint ('content:<16 hex>',
-- warehouse/identity.py), so a page saved as text, HTML and PDF is one report and a
-- re-export with changed figures is a newer snapshot of it.  The next ingest re-parses the
-- documents of version 1 (a parser version change), which rewrites their title_key.

CREATE OR REPLACE VIEW reports AS
SELECT
    d.kind,
    d.title_key,
    d.fiscal_year,
    CASE
        WHEN d.title_key LIKE 'content:%' THEN 'content'
        WHEN d.title_key LIKE 'doc:%' THEN 'file'
        WHEN any_value(l.code) IS NOT NULL THEN 'code'
        ELSE 'title'
    END AS identified_by,
    any_value(l.doc_id) AS latest_doc_id,
    any_value(l.code) AS code,
    any_value(l.title) AS title,
    any_value(l.agency) AS agency,
    any_value(l.source_path) AS latest_source_path,
    CAST(count(*) AS INTEGER) AS exports,
    min(d.first_loaded_at) AS first_loaded_at,
    max(d.first_loaded_at) AS last_loaded_at
FROM documents AS d
LEFT JOIN latest_documents AS l USING (doc_id)
GROUP BY d.kind, d.title_key, d.fiscal_year;
