-- A body's transparency log: each publication of a duty on the transparency checklist
-- that the body publishes outside pcplan (spending over £500 on its finance pages, the
-- register of interests), with the date it was published and where the public can read
-- it. The duties themselves are a table in `pcplan_domain::transparency`, named here by
-- their stable key. Duties pcplan publishes itself take their dates from those records.

CREATE TABLE publications (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    duty TEXT NOT NULL,
    published_on TEXT NOT NULL,
    url TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE INDEX publications_by_duty ON publications (body_id, duty, published_on);
