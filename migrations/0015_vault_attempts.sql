-- Wrong passphrases slowed down (issue 10): the unlock attempts of a desk's
-- vault not yet followed by a right one, and when the last one began. The
-- next attempt waits a delay that grows with `failures` (see vault.rs); a
-- right passphrase or recovery key deletes the row.
CREATE TABLE vault_attempts (
    desk_id     INTEGER PRIMARY KEY REFERENCES desks(id) ON DELETE CASCADE,
    failures    INTEGER NOT NULL CHECK (failures >= 0),
    last_at     TEXT NOT NULL
);
