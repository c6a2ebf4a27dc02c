-- The full-text search index over the records people look for: plan versions and the
-- working draft, Notices of Decision, Panel reports and the Commissioner's responses,
-- meeting papers (with the text read from their files), consultations and their
-- "you said, we did", and annual reports.
--
-- One row is one text of one record as one audience sees it. Audiences are numbered
-- 0 (the public), 1 (staff who may read, viewers) and 2 (editors and administrators, who
-- also read confidential decisions); a row serves every audience from `audience_from` to
-- `audience_to`, so a confidential decision has a stub row (0 to 1) and a full row (2 to
-- 2) and a draft starts at 1. Which rows a record has is worked out in Rust
-- (`search.rs`), with the same rules the public pages use, and written in the same
-- transaction as the record; this table holds no rule of its own.
--
-- SQLite searches it through an external-content FTS5 table, kept in step by the
-- triggers below (the porter stemmer over unicode61, accents folded). PostgreSQL's
-- migration has a generated `tsvector` column and a GIN index instead; the schema test
-- leaves both machineries out, as they are each backend's own.

CREATE TABLE search_documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    body_id TEXT NOT NULL,
    audience_from BIGINT NOT NULL,
    audience_to BIGINT NOT NULL,
    locator TEXT NOT NULL,
    context TEXT NOT NULL,
    on_date TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    UNIQUE (kind, record_id, audience_from)
);
CREATE INDEX search_documents_by_date ON search_documents (on_date);

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, content,
    content = 'search_documents', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_documents_inserted AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_fts (rowid, title, content) VALUES (NEW.id, NEW.title, NEW.content);
END;
CREATE TRIGGER search_documents_deleted AFTER DELETE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, content) VALUES ('delete', OLD.id, OLD.title, OLD.content);
END;
CREATE TRIGGER search_documents_updated AFTER UPDATE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, content) VALUES ('delete', OLD.id, OLD.title, OLD.content);
    INSERT INTO search_fts (rowid, title, content) VALUES (NEW.id, NEW.title, NEW.content);
END;

-- When the index was last built whole. NULL until the first start after this migration,
-- which builds it from the records already stored (`Store::connect`).
CREATE TABLE search_state (
    id BIGINT PRIMARY KEY NOT NULL,
    built_at TEXT
);
INSERT INTO search_state (id, built_at) VALUES (1, NULL);
