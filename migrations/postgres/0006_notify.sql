-- Another process's writes are pushed to every open window, not only counted:
-- the trigger of 0003 that counts a server process's writes also notifies the
-- channel `factdesk_store`, its payload that process's id (pg_backend_pid), so
-- a listener can ignore its own process's writes. PostgreSQL delivers a
-- notification when the writing transaction commits (never for one rolled
-- back), once per transaction for the same payload, to every connection
-- LISTENing on the channel (see store/postgres/listener.rs). The count stays:
-- it is how a reader that was not listening (its listening connection lost
-- and being made again) tells what it missed.
CREATE OR REPLACE FUNCTION note_store_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO store_writes (backend, writes) VALUES (pg_backend_pid(), 1)
    ON CONFLICT (backend) DO UPDATE SET writes = store_writes.writes + 1;
    PERFORM pg_notify('factdesk_store', pg_backend_pid()::text);
    RETURN NULL;
END;
$$;
