-- A password set by someone else (an administrator, `pcplan user add`, the demo) is a
-- one-time password: the account must choose its own before doing anything else.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
