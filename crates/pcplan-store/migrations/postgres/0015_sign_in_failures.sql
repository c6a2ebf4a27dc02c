-- Failed sign-ins by the username typed (lower case), whether or not an account has that
-- name, so a lockout says nothing about which usernames exist. A success deletes the
-- row; so does an administrator's unlock or a new one-time password. `failures` counts
-- the failures since `first_at`; a failure more than the window after `last_at` starts
-- the count again. `locked_until` is set when the count reaches the limit
-- (pcplan_store::LOCKOUT). Times are RFC 3339 in UTC, as everywhere in this schema.

CREATE TABLE sign_in_failures (
    username TEXT PRIMARY KEY NOT NULL,
    failures BIGINT NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    locked_until TEXT
);
