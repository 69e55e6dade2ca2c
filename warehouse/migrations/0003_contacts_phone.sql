-- contacts.phone now holds the number as written ('6822-3', '0 2203 2725'; Arabic digits,
-- one row per number) and phone_digits the first number's digits, for joining.
-- Rows loaded before this migration hold digits only in phone: copy them, so phone_digits
-- is filled on every row; PARSER_VERSION 2 makes the next ingest re-parse those documents.
ALTER TABLE contacts ADD COLUMN phone_digits VARCHAR;
UPDATE contacts SET phone_digits = regexp_replace(phone, '[^0-9]', '', 'g') WHERE phone IS NOT NULL;
