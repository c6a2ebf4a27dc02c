-- Panel meetings with their papers deadline fixed when scheduled, and the issue and
-- variation processes of each plan (PRSRA 2011 s.5(6)-(8)) with their steps' evidence.

CREATE TABLE meetings (
    id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    held_on TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meetings_by_body ON meetings (body_id, held_on);

CREATE TABLE processes (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    kind TEXT NOT NULL,
    meeting_id TEXT REFERENCES meetings (id),
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX processes_by_plan ON processes (plan_id, created_at);
