-- Delivery and performance: observations of the plan's measures (entered, imported or
-- computed), the feeds that compute a measure from police.uk crime data, the crime data
-- itself aggregated per force and month, the LSOA-to-area lookup staff load, the body's
-- grade scales with the grades given per period, and the status updates owners give on
-- milestones and commitments (kept, never changed: the latest is the status).
--
-- A measure or milestone is an item of a plan: its id is the item's, the same in every
-- version. A month of crime data is replaced whole when it is imported again, so
-- `crime_counts` never holds two imports of one (force, month).

CREATE TABLE observations (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    measure_id TEXT NOT NULL,
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    area_code TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    numerator BIGINT,
    denominator BIGINT,
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (measure_id, period, area_code)
);
CREATE INDEX observations_by_body ON observations (body_id, measure_id, period_start);

CREATE TABLE measure_feeds (
    measure_id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE crime_months (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    crimes BIGINT NOT NULL,
    data TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (body_id, force, month)
);

CREATE TABLE crime_counts (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    area_code TEXT NOT NULL,
    area_name TEXT NOT NULL,
    crime_type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (body_id, force, month, area_code, crime_type, outcome)
);
CREATE INDEX crime_counts_by_month ON crime_counts (body_id, month, area_code);

CREATE TABLE lsoa_areas (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    lsoa_code TEXT NOT NULL,
    area_code TEXT NOT NULL,
    area_name TEXT NOT NULL,
    PRIMARY KEY (body_id, lsoa_code)
);

CREATE TABLE grade_scales (
    body_id TEXT PRIMARY KEY NOT NULL REFERENCES bodies (id),
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE grades (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    item_id TEXT NOT NULL,
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    data TEXT NOT NULL,
    graded_by TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    PRIMARY KEY (item_id, period)
);

CREATE TABLE status_updates (
    id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    item_id TEXT NOT NULL,
    on_date TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX status_updates_by_item ON status_updates (item_id, on_date);
