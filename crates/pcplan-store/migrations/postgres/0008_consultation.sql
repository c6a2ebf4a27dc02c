-- Consultation: exercises, their questions and events, responses with their answers,
-- the files responses were imported from, theme sets (versioned) with their themes and
-- assignments, what each theme did to the plan, the redacted quotes published, and each
-- body's population table per area.
--
-- Responses are many (a national consultation has 100,000), so respondent fields that
-- breakdowns group by are columns, and answers are rows keyed by (response, question).
-- `fingerprint` makes a re-import of the same rows, or a survey form submitted twice,
-- store nothing new. A final theme set version never changes: the triggers refuse any
-- change to it, its themes or its assignments; review starts a new draft version.

CREATE TABLE exercises (
    id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    slug TEXT NOT NULL UNIQUE,
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    published_at TEXT,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX exercises_by_body ON exercises (body_id, opens);

CREATE TABLE questions (
    id TEXT PRIMARY KEY NOT NULL,
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    number BIGINT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (exercise_id, number)
);

CREATE TABLE consultation_events (
    id TEXT PRIMARY KEY NOT NULL,
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    held_on TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX consultation_events_by_exercise ON consultation_events (exercise_id, held_on);

CREATE TABLE response_imports (
    id TEXT PRIMARY KEY NOT NULL,
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX response_imports_by_exercise ON response_imports (exercise_id, created_at);

CREATE TABLE responses (
    id TEXT PRIMARY KEY NOT NULL,
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    reference BIGINT NOT NULL,
    channel TEXT NOT NULL,
    received_at TEXT NOT NULL,
    respondent_type TEXT,
    area TEXT,
    organisation TEXT NOT NULL,
    demographics TEXT NOT NULL,
    publish_consent BIGINT,
    event_id TEXT REFERENCES consultation_events (id),
    import_id TEXT REFERENCES response_imports (id),
    source_line BIGINT,
    fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (exercise_id, fingerprint),
    UNIQUE (exercise_id, reference)
);
CREATE INDEX responses_by_area ON responses (exercise_id, area);

CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (id),
    question_id TEXT NOT NULL REFERENCES questions (id),
    text TEXT NOT NULL,
    choices TEXT,
    PRIMARY KEY (response_id, question_id)
);
CREATE INDEX answers_by_question ON answers (question_id);

CREATE TABLE theme_sets (
    id TEXT PRIMARY KEY NOT NULL,
    question_id TEXT NOT NULL REFERENCES questions (id),
    version BIGINT NOT NULL,
    state TEXT NOT NULL,
    based_on BIGINT,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finalised_at TEXT,
    UNIQUE (question_id, version)
);

CREATE TABLE themes (
    id TEXT PRIMARY KEY NOT NULL,
    set_id TEXT NOT NULL REFERENCES theme_sets (id),
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (set_id, position)
);

CREATE TABLE theme_assignments (
    set_id TEXT NOT NULL REFERENCES theme_sets (id),
    theme_id TEXT NOT NULL REFERENCES themes (id),
    response_id TEXT NOT NULL REFERENCES responses (id),
    score DOUBLE PRECISION,
    assigned_by TEXT,
    PRIMARY KEY (theme_id, response_id)
);
CREATE INDEX theme_assignments_by_set ON theme_assignments (set_id, response_id);

CREATE TABLE theme_outcomes (
    theme_id TEXT PRIMARY KEY NOT NULL REFERENCES themes (id),
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE published_quotes (
    theme_id TEXT NOT NULL REFERENCES themes (id),
    response_id TEXT NOT NULL REFERENCES responses (id),
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    redactions TEXT NOT NULL,
    withdrawn BIGINT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (theme_id, response_id)
);

CREATE TABLE area_populations (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    population BIGINT NOT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (body_id, code)
);

CREATE FUNCTION pcplan_theme_set_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'final' THEN
        RAISE EXCEPTION 'a final theme set version cannot change; start a new draft';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER theme_sets_final BEFORE UPDATE OR DELETE ON theme_sets
FOR EACH ROW EXECUTE FUNCTION pcplan_theme_set_final();

CREATE FUNCTION pcplan_theme_rows_final() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    set_state TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT state INTO set_state FROM theme_sets WHERE id = NEW.set_id;
    ELSE
        SELECT state INTO set_state FROM theme_sets WHERE id = OLD.set_id;
    END IF;
    IF set_state = 'final' THEN
        RAISE EXCEPTION 'a final theme set version cannot change; start a new draft';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER themes_final BEFORE INSERT OR UPDATE OR DELETE ON themes
FOR EACH ROW EXECUTE FUNCTION pcplan_theme_rows_final();
CREATE TRIGGER theme_assignments_final BEFORE INSERT OR UPDATE OR DELETE ON theme_assignments
FOR EACH ROW EXECUTE FUNCTION pcplan_theme_rows_final();
