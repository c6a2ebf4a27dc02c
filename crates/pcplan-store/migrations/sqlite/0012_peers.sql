-- A body's peers: the other forces or areas it chooses to compare its figures with (a
-- force's most similar group, or neighbouring forces), each with its population when
-- known so that counts can be compared as rates. A peer's figures are observations of
-- the body's measures whose `area_code` is the peer's code; a peer's code is never one of
-- the body's own areas' codes, nor `""` (the whole force area).

CREATE TABLE peers (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    population BIGINT,
    note TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (body_id, code)
);
