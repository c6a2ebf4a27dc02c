-- The statutory clock's stored state beyond processes and meetings: each body's clock
-- settings, the holiday overrides staff keep for England and Wales, the recurring
-- obligations of each body (annual report, precept, equality, plan issue) with the
-- deadline fixed when they were added, who owns each deadline, the e-mail reminders
-- claimed and sent, and the secret links to each person's calendar feed.

CREATE TABLE body_settings (
    body_id TEXT PRIMARY KEY NOT NULL REFERENCES bodies (id),
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE holiday_overrides (
    on_date TEXT PRIMARY KEY NOT NULL,
    holiday BIGINT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE obligations (
    id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    cycle_key TEXT NOT NULL,
    due_on TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (body_id, cycle_key)
);
CREATE INDEX obligations_by_due ON obligations (body_id, due_on);

CREATE TABLE owners (
    item_key TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    assigned_at TEXT NOT NULL
);

ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE reminders (
    reminder_key TEXT PRIMARY KEY NOT NULL,
    item_key TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    due_on TEXT NOT NULL,
    stage TEXT NOT NULL,
    state TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    finished_at TEXT,
    detail TEXT
);

CREATE TABLE feed_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id),
    created_at TEXT NOT NULL
);
