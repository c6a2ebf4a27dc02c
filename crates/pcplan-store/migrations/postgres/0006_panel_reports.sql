-- Reports of the Police and Crime Panel (PRSRA 2011 s.28(3)) with their sections,
-- recommendations, requests for information, work programme items and noted
-- commitments, and the Commissioner's response, held as one JSON document per report.
-- `response_published_on` stays NULL until the response is published, so that the
-- public pages can find published responses without reading drafts.

CREATE TABLE panel_reports (
    id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    process_id TEXT REFERENCES processes (id),
    received_on TEXT NOT NULL,
    response_published_on TEXT,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX panel_reports_by_body ON panel_reports (body_id, received_on);
