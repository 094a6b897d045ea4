-- The reviewer marks a claim as an attack on a person: like opinion,
-- anonymity is not granted for it.
ALTER TABLE claims ADD COLUMN personal_attack INTEGER NOT NULL DEFAULT 0 CHECK (personal_attack IN (0, 1));
