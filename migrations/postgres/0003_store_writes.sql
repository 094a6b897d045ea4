-- Which connections have written, so a reader can tell another process's
-- commits from its own (what SQLite's PRAGMA data_version tells): every
-- statement that changes a table of the review adds one to the row of the
-- server process (backend) that ran it, in the same transaction; a reader
-- sums the rows of the other backends. A backend writes only its own row,
-- so writers never wait on each other here. Bookkeeping only: not copied,
-- not audited. A table added by a later migration gets the same trigger.
CREATE TABLE store_writes (
    backend  BIGINT PRIMARY KEY,
    writes   BIGINT NOT NULL
);

CREATE FUNCTION note_store_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO store_writes (backend, writes) VALUES (pg_backend_pid(), 1)
    ON CONFLICT (backend) DO UPDATE SET writes = store_writes.writes + 1;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    name TEXT;
BEGIN
    FOR name IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema() AND tablename NOT IN ('schema_migrations', 'store_writes')
    LOOP
        EXECUTE format(
            'CREATE TRIGGER note_store_write AFTER INSERT OR UPDATE OR DELETE ON %I
             FOR EACH STATEMENT EXECUTE FUNCTION note_store_write()', name);
    END LOOP;
END;
$$;
