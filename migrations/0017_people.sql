-- The people of a desk and their role (issue 13): reporter, editor, standards-editor, lawyer or admin.
-- A desk with no row here is as before: one reviewer, every action allowed. Once a desk has people,
-- who acts (the reviewer name set in Factdesk on SQLite, the database login on PostgreSQL) must be
-- one of them, and their role decides what they may do (crates/core/src/rights.rs).
CREATE TABLE people (
    id        INTEGER PRIMARY KEY,
    desk_id   INTEGER NOT NULL REFERENCES desks(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'standards-editor', 'lawyer', 'admin')),
    added_by  TEXT NOT NULL,
    added_at  TEXT NOT NULL,
    UNIQUE (desk_id, name)
);
