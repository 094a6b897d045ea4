-- A note may be private: for the editors only, never in a desk-profile
-- report (nor are replies to it).
ALTER TABLE notes ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1));
