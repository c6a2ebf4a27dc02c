-- Boards that meet (the Police and Crime Panel, the Strategic Policing and Crime Board,
-- an audit and risk panel, local policing and crime boards), their members with the
-- register of interests, the board each meeting belongs to, and the papers of meetings
-- with their bytes and SHA-256.
--
-- Meetings stored before boards existed belong to their body's Panel: one Panel board
-- is made for each body that has meetings, with an identity derived from the body's
-- (`b0a4d000` and the body id after its first eight digits), the same identity
-- `Board::panel_id` computes, so a meeting scheduled later for the body finds it.

CREATE TABLE boards (
    id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX boards_by_body ON boards (body_id);

CREATE TABLE board_members (
    id TEXT PRIMARY KEY NOT NULL,
    board_id TEXT NOT NULL REFERENCES boards (id),
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX board_members_by_board ON board_members (board_id);

ALTER TABLE meetings ADD COLUMN board_id TEXT REFERENCES boards (id);

INSERT INTO boards (id, body_id, kind, data, created_at, updated_at)
SELECT 'b0a4d000' || substr(b.id, 9), b.id, 'police_and_crime_panel',
       '{"id":"b0a4d000' || substr(b.id, 9) || '","body_id":"' || b.id ||
       '","kind":{"kind":"police_and_crime_panel"},"name":"Police and Crime Panel"}',
       (SELECT MIN(m.created_at) FROM meetings m WHERE m.body_id = b.id),
       (SELECT MIN(m.created_at) FROM meetings m WHERE m.body_id = b.id)
FROM bodies b WHERE b.id IN (SELECT body_id FROM meetings);

UPDATE meetings SET board_id = 'b0a4d000' || substr(body_id, 9) WHERE board_id IS NULL;

-- Papers are kept at least six years (LGA 1972 s.100C): a published paper cannot be
-- deleted and no paper's bytes or hash can change; withdrawal is an update of `data`.
CREATE TABLE papers (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BYTEA NOT NULL,
    published_at TEXT,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX papers_by_meeting ON papers (meeting_id, created_at);
CREATE INDEX papers_by_published ON papers (published_at);

CREATE FUNCTION pcplan_papers_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.published_at IS NOT NULL THEN
            RAISE EXCEPTION 'published papers are kept for at least six years';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.content IS DISTINCT FROM OLD.content OR NEW.sha256 IS DISTINCT FROM OLD.sha256
       OR NEW.size_bytes IS DISTINCT FROM OLD.size_bytes THEN
        RAISE EXCEPTION 'a paper''s bytes cannot be changed';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER papers_kept BEFORE UPDATE OR DELETE ON papers
FOR EACH ROW EXECUTE FUNCTION pcplan_papers_kept();
