-- The annual report of each body on each financial year (PRSRA 2011 s.12): one per
-- body and year. `sections` holds the report's sections (their texts and the facts they
-- were drafted from) as JSON in a column of its own, so that a trigger can keep them
-- fixed once the report has been sent to the Panel; `data` holds the rest of the report
-- (the year, the day its facts are as at, its issue and publication) with its sections
-- left empty. A report sent to the Panel is never deleted, and its dates of issue and
-- publication, once recorded, never change.

CREATE TABLE annual_reports (
    id TEXT PRIMARY KEY NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    year BIGINT NOT NULL,
    issued_on TEXT,
    published_on TEXT,
    sections TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (body_id, year)
);

CREATE FUNCTION pcplan_annual_reports_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.issued_on IS NOT NULL THEN
            RAISE EXCEPTION 'an annual report sent to the Panel is kept';
        END IF;
        RETURN OLD;
    END IF;
    IF (OLD.issued_on IS NOT NULL AND (NEW.sections IS DISTINCT FROM OLD.sections
            OR NEW.issued_on IS DISTINCT FROM OLD.issued_on OR NEW.body_id IS DISTINCT FROM OLD.body_id
            OR NEW.year IS DISTINCT FROM OLD.year))
       OR (OLD.published_on IS NOT NULL AND NEW.published_on IS DISTINCT FROM OLD.published_on) THEN
        RAISE EXCEPTION 'an annual report sent to the Panel cannot change';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER annual_reports_kept BEFORE UPDATE OR DELETE ON annual_reports
FOR EACH ROW EXECUTE FUNCTION pcplan_annual_reports_kept();
