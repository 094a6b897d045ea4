-- Full-text search on a team store (issues 15 and 12): the counterpart of SQLite's 0014_search.sql (FTS5), with
-- PostgreSQL's own full-text search: one table of entries, each with its words as a tsvector under a GIN index,
-- kept in step by triggers in the transaction of every change, as on SQLite. What is indexed is what SQLite
-- indexes: each draft's current text, each live claim's quote, each note that is not private, each evidence item's
-- summary and reference, each source's descriptor; never a confidential field (source_confidential and
-- source_sealed, which nothing here reads), never a private note. A removed claim takes its evidence and notes out
-- of the index with it, and brings them back when restored.
--
-- search_entries is derived from the desk's rows, written only by these triggers: migrate-store does not copy it
-- (the triggers fill it as the rows are copied in), and it needs no note_store_write trigger (every write to it
-- comes with the write to a table that has one).
--
-- Tokenizer: the same choices as SQLite's `unicode61 remove_diacritics 2` (crates/core/src/search.rs says why):
-- letters and digits make tokens, everything else separates them, so `$1.2bn` is `1` `2bn`, `U.S.` is `u` `s` and
-- `No. 4` is `no` `4`; case and diacritics are folded (unaccent, when the server has it: Debian's postgresql-15
-- does; case with ICU's rules when the server is built with ICU, so a C-locale database folds more than ASCII). The
-- text is folded and its separators made spaces by search_words(); the `simple` configuration (no stop words, no
-- stemming) then makes each remaining word a lexeme. Separators are written as code point ranges, not [:alnum:],
-- whose meaning beyond ASCII depends on the database's locale (none in the C locale the tests use).

CREATE TABLE search_entries (
    -- draft, claim, note, evidence or source
    kind      TEXT NOT NULL,
    item_id   BIGINT NOT NULL,
    -- What the item hangs from, for the filters.
    claim_id  BIGINT,
    draft_id  BIGINT,
    desk_id   BIGINT NOT NULL,
    -- An item's text, for its snippet; NULL for a draft, whose text is its current version's (not stored twice).
    body      TEXT,
    words     TSVECTOR NOT NULL,
    PRIMARY KEY (kind, item_id)
);
CREATE INDEX search_entries_words ON search_entries USING GIN (words);
CREATE INDEX search_entries_by_desk ON search_entries (desk_id, kind);

DO $$
DECLARE
    fold TEXT := 'coalesce(body, '''')';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
        CREATE EXTENSION IF NOT EXISTS unaccent;
        fold := 'unaccent(' || fold || ')';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
        fold := 'lower(' || fold || ' COLLATE "und-x-icu")';
    ELSE
        fold := 'lower(' || fold || ')';
    END IF;
    -- Token characters: ASCII letters and digits, Latin-1's letters and digits, and every code point from U+0100
    -- on but General Punctuation, currency, arrows, mathematical and technical symbols, box drawing, shapes,
    -- dingbats, CJK punctuation, the specials block and fullwidth punctuation (FTS5 separates those too).
    EXECUTE format(
        'CREATE FUNCTION search_words(body TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $f$
            SELECT regexp_replace(%s,
                ''[^0-9a-z\u00AA\u00B2\u00B3\u00B5\u00B9\u00BA\u00BC-\u00BE\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u1FFF\u2070-\u209F\u2C00-\u2DFF\u3040-\uD7FF\uF900-\uFDFF\uFE70-\uFEFE\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF66-\uFFDC\U00010000-\U0010FFFF]+'',
                '' '', ''g'')
        $f$', fold);
END;
$$;

CREATE FUNCTION search_vector(body TEXT) RETURNS TSVECTOR LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple', search_words(body))
$$;

-- A typed query as a tsquery: `terms` is a JSON array of {"text", "prefix", "excluded"}, as
-- crates/core/src/search.rs parses what a reviewer typed. Each term's words are a phrase (adjacent, in order),
-- the last a prefix when asked; every term not excluded is required. A required term with no word in it matches
-- nothing (as FTS5's empty phrase); NULL is returned then.
CREATE FUNCTION search_query(terms TEXT) RETURNS TSQUERY LANGUAGE plpgsql STABLE AS $$
DECLARE
    term JSONB;
    phrase TEXT;
    required TEXT[] := '{}';
    excluded TEXT[] := '{}';
BEGIN
    FOR term IN SELECT value FROM jsonb_array_elements(terms::jsonb) LOOP
        SELECT string_agg('''' || replace(replace(p.token, '\', '\\'), '''', '''''') || '''', ' <-> ' ORDER BY p.n)
            INTO phrase
            FROM ts_parse('default', search_words(term->>'text')) WITH ORDINALITY AS p(tokid, token, n)
            WHERE btrim(p.token) <> '';
        IF phrase IS NULL THEN
            IF (term->>'excluded')::boolean THEN
                CONTINUE;
            END IF;
            RETURN NULL;
        END IF;
        IF (term->>'prefix')::boolean THEN
            phrase := phrase || ':*';
        END IF;
        IF (term->>'excluded')::boolean THEN
            excluded := excluded || ('!(' || phrase || ')');
        ELSE
            required := required || ('(' || phrase || ')');
        END IF;
    END LOOP;
    IF cardinality(required) = 0 THEN
        RETURN NULL;
    END IF;
    RETURN array_to_string(required || excluded, ' & ')::tsquery;
END;
$$;

-- Each item's entry made again from its row: removed when the row is gone, removed or hidden.
CREATE FUNCTION search_index_draft(draft BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_entries WHERE kind = 'draft' AND item_id = draft;
    INSERT INTO search_entries (kind, item_id, claim_id, draft_id, desk_id, body, words)
        SELECT 'draft', d.id, NULL, d.id, d.desk_id, NULL, search_vector(v.text)
        FROM drafts d JOIN draft_versions v ON v.id = d.current_version_id WHERE d.id = draft;
$$;

CREATE FUNCTION search_index_claim(claim BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_entries WHERE kind = 'claim' AND item_id = claim;
    INSERT INTO search_entries (kind, item_id, claim_id, draft_id, desk_id, body, words)
        SELECT 'claim', c.id, c.id, c.draft_id, d.desk_id, c.exact, search_vector(c.exact)
        FROM claims c JOIN drafts d ON d.id = c.draft_id WHERE c.id = claim AND c.removed_at IS NULL;
$$;

CREATE FUNCTION search_index_evidence(item BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_entries WHERE kind = 'evidence' AND item_id = item;
    INSERT INTO search_entries (kind, item_id, claim_id, draft_id, desk_id, body, words)
        SELECT 'evidence', e.id, c.id, c.draft_id, d.desk_id, e.summary || chr(10) || e.reference,
               search_vector(e.summary || chr(10) || e.reference)
        FROM evidence e JOIN claims c ON c.id = e.claim_id JOIN drafts d ON d.id = c.draft_id
        WHERE e.id = item AND e.removed_at IS NULL AND c.removed_at IS NULL;
$$;

CREATE FUNCTION search_index_note(note BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_entries WHERE kind = 'note' AND item_id = note;
    INSERT INTO search_entries (kind, item_id, claim_id, draft_id, desk_id, body, words)
        SELECT 'note', n.id, c.id, d.id, d.desk_id, n.text, search_vector(n.text)
        FROM notes n LEFT JOIN claims c ON c.id = n.claim_id JOIN drafts d ON d.id = coalesce(n.draft_id, c.draft_id)
        WHERE n.id = note AND n.removed_at IS NULL AND n.private = FALSE
          AND (n.claim_id IS NULL OR c.removed_at IS NULL);
$$;

CREATE FUNCTION search_index_source(source BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_entries WHERE kind = 'source' AND item_id = source;
    INSERT INTO search_entries (kind, item_id, claim_id, draft_id, desk_id, body, words)
        SELECT 'source', s.id, NULL, NULL, s.desk_id, s.descriptor, search_vector(s.descriptor)
        FROM sources s WHERE s.id = source AND s.removed_at IS NULL;
$$;

CREATE FUNCTION search_follow_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_entries WHERE kind = 'draft' AND item_id = OLD.id;
    ELSIF TG_OP = 'INSERT' OR OLD.current_version_id IS DISTINCT FROM NEW.current_version_id THEN
        PERFORM search_index_draft(NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_follow_drafts AFTER INSERT OR DELETE OR UPDATE OF current_version_id ON drafts
    FOR EACH ROW EXECUTE FUNCTION search_follow_drafts();

CREATE FUNCTION search_follow_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_entries WHERE kind = 'claim' AND item_id = OLD.id;
        RETURN NULL;
    END IF;
    PERFORM search_index_claim(NEW.id);
    -- A removed claim keeps its evidence and notes (they come back with it): they leave the index with it.
    IF TG_OP = 'UPDATE' AND (OLD.removed_at IS NULL) <> (NEW.removed_at IS NULL) THEN
        PERFORM search_index_evidence(e.id) FROM evidence e WHERE e.claim_id = NEW.id;
        PERFORM search_index_note(n.id) FROM notes n WHERE n.claim_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_follow_claims AFTER INSERT OR DELETE OR UPDATE OF exact, removed_at ON claims
    FOR EACH ROW EXECUTE FUNCTION search_follow_claims();

CREATE FUNCTION search_follow_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_entries WHERE kind = 'evidence' AND item_id = OLD.id;
    ELSE
        PERFORM search_index_evidence(NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_follow_evidence AFTER INSERT OR DELETE OR UPDATE OF summary, reference, removed_at
    ON evidence FOR EACH ROW EXECUTE FUNCTION search_follow_evidence();

CREATE FUNCTION search_follow_notes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_entries WHERE kind = 'note' AND item_id = OLD.id;
    ELSE
        PERFORM search_index_note(NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_follow_notes AFTER INSERT OR DELETE OR UPDATE OF text, private, removed_at ON notes
    FOR EACH ROW EXECUTE FUNCTION search_follow_notes();

CREATE FUNCTION search_follow_sources() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_entries WHERE kind = 'source' AND item_id = OLD.id;
    ELSE
        PERFORM search_index_source(NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_follow_sources AFTER INSERT OR DELETE OR UPDATE OF descriptor, removed_at ON sources
    FOR EACH ROW EXECUTE FUNCTION search_follow_sources();

-- What a team store from before this migration already holds.
SELECT search_index_draft(id) FROM drafts;
SELECT search_index_claim(id) FROM claims;
SELECT search_index_evidence(id) FROM evidence;
SELECT search_index_note(id) FROM notes;
SELECT search_index_source(id) FROM sources;
