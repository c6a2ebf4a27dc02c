-- An exercise is public from the moment staff make it so (`public_at`), not from the
-- moment it is created: a draft exercise, its questions and its survey stay off the
-- public site until then. Exercises stored before this migration were already listed
-- publicly, so they keep that, dated from their creation.

ALTER TABLE exercises ADD COLUMN public_at TEXT;
UPDATE exercises SET public_at = created_at;
