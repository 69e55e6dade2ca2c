-- Every document of every kind: its lines (for `rayngan search`), the dates and the baht
-- amounts it mentions. Rows are deleted and re-inserted with their document, like every
-- fact table (no primary key: a bulk insert into a keyless table is what keeps loads fast).

CREATE TABLE document_lines (
    doc_id   VARCHAR NOT NULL,
    line_no  INTEGER NOT NULL,
    page     INTEGER,
    text     VARCHAR NOT NULL,
    run_id   VARCHAR NOT NULL
);

CREATE TABLE date_mentions (
    doc_id      VARCHAR NOT NULL,
    line_no     INTEGER,
    page        INTEGER,
    raw         VARCHAR NOT NULL,
    start_date  DATE NOT NULL,
    end_date    DATE NOT NULL,
    grain       VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL
);

CREATE TABLE amounts (
    doc_id   VARCHAR NOT NULL,
    line_no  INTEGER,
    page     INTEGER,
    raw      VARCHAR NOT NULL,
    value    DOUBLE NOT NULL,
    unit     VARCHAR NOT NULL,
    run_id   VARCHAR NOT NULL
);
