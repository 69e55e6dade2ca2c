-- 0005: where a document's text came from, and how sure OCR was of each line it read.
-- documents.text_source: 'text' (a text layer or a text file), 'ocr' (every line read by
-- tesseract from a scan or an image), 'mixed' (a PDF with some pages read by OCR).
-- A fact came from OCR when its (doc_id, line_no) has a line_confidence row.
ALTER TABLE documents ADD COLUMN text_source VARCHAR DEFAULT 'text';

CREATE TABLE line_confidence (
    doc_id      VARCHAR NOT NULL,
    line_no     INTEGER NOT NULL,
    page        INTEGER,
    confidence  DOUBLE,
    run_id      VARCHAR NOT NULL
);
