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

-- Which confidential fields of each source are recorded (plain, or sealed by the vault), never
-- their values: what the register shows to everyone. On a team store it is the one way a login
-- without the right to identities learns that a field is recorded.
CREATE VIEW source_fields_recorded AS
SELECT s.id AS source_id,
       c.identity IS NOT NULL
           OR EXISTS (SELECT 1 FROM source_sealed z WHERE z.source_id = s.id AND z.field = 'identity') AS identity,
       c.contact IS NOT NULL
           OR EXISTS (SELECT 1 FROM source_sealed z WHERE z.source_id = s.id AND z.field = 'contact') AS contact,
       c.first_hand IS NOT NULL
           OR EXISTS (SELECT 1 FROM source_sealed z WHERE z.source_id = s.id AND z.field = 'first-hand') AS first_hand,
       c.how_known IS NOT NULL
           OR EXISTS (SELECT 1 FROM source_sealed z WHERE z.source_id = s.id AND z.field = 'how-known') AS how_known,
       c.anonymity_reason IS NOT NULL
           OR EXISTS (SELECT 1 FROM source_sealed z WHERE z.source_id = s.id AND z.field = 'anonymity-reason')
           AS anonymity_reason,
       c.editor_knows IS NOT NULL
           OR EXISTS (SELECT 1 FROM source_sealed z WHERE z.source_id = s.id AND z.field = 'editor-knows') AS editor_knows,
       c.approved_by IS NOT NULL
           OR EXISTS (SELECT 1 FROM source_sealed z WHERE z.source_id = s.id AND z.field = 'approved-by') AS approved_by
FROM sources s LEFT JOIN source_confidential c ON c.source_id = s.id;
