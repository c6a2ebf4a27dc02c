-- The register of Notices of Decision. Each decision is one row holding its JSON, with
-- its body, numbering year and number as columns: the number is given by the store
-- inside the write transaction as one more than the highest in that body and year, and
-- the unique constraint makes a second use of a number impossible even if that rule
-- were ever bypassed. Rows are never deleted: a withdrawn draft keeps its number.
-- `signed_on` is the date the public register searches by; `title` is kept as a column
-- for the register's search. Each body's register settings (the year basis) are JSON.

CREATE TABLE decisions (
    id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    num_year BIGINT NOT NULL,
    num_seq BIGINT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    confidential BIGINT NOT NULL,
    signed_on TEXT,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (body_id, num_year, num_seq)
);
CREATE INDEX decisions_by_signed ON decisions (status, signed_on);

CREATE TABLE decision_settings (
    body_id TEXT PRIMARY KEY NOT NULL REFERENCES bodies (id),
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
