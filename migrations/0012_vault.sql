-- Source protection at rest (issue 10): a desk's vault, who may open it, and
-- the confidential fields of its unnamed sources sealed with its key.

-- A desk with a vault keeps every confidential source field as ciphertext.
-- `generation` counts key rotations; it is bound into every sealed field.
CREATE TABLE vaults (
    desk_id     INTEGER PRIMARY KEY REFERENCES desks(id) ON DELETE CASCADE,
    generation  INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- The desk key, wrapped once per person (their own passphrase) and once by
-- the recovery key: several rows per desk, so a team can share a desk.
-- The Argon2id parameters are kept beside each wrapped key.
CREATE TABLE vault_keys (
    id               INTEGER PRIMARY KEY,
    desk_id          INTEGER NOT NULL REFERENCES vaults(desk_id) ON DELETE CASCADE,
    recipient        TEXT NOT NULL CHECK (length(trim(recipient)) > 0),
    kind             TEXT NOT NULL CHECK (kind IN ('passphrase', 'recovery')),
    kdf              TEXT NOT NULL CHECK (kdf = 'argon2id-v19'),
    kdf_memory_kib   INTEGER NOT NULL CHECK (kdf_memory_kib >= 65536),
    kdf_iterations   INTEGER NOT NULL CHECK (kdf_iterations >= 1),
    kdf_parallelism  INTEGER NOT NULL CHECK (kdf_parallelism >= 1),
    salt             BLOB NOT NULL CHECK (length(salt) >= 16),
    nonce            BLOB NOT NULL CHECK (length(nonce) = 24),
    wrapped_key      BLOB NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (desk_id, kind, recipient)
);

-- One confidential field of a source, sealed (XChaCha20-Poly1305) with the
-- desk key; a field not recorded has no row.
CREATE TABLE source_sealed (
    source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    field       TEXT NOT NULL CHECK (field IN ('identity', 'contact', 'first-hand', 'how-known', 'anonymity-reason',
                                               'editor-knows', 'approved-by')),
    nonce       BLOB NOT NULL CHECK (length(nonce) = 24),
    ciphertext  BLOB NOT NULL,
    PRIMARY KEY (source_id, field)
);
