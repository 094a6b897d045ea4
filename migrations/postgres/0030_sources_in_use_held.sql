-- Two things the server took on the client's word (security review, session 8, findings 5 and 6).
--
-- 1. A source is removed from the register only while no live claim cites it. Factdesk asked "is it in use?"
--    with the links the login sees, so a reporter, who sees the claims of their own drafts only, removed a
--    source other reporters' claims cite, and those links stayed live, pointing at a removed source (an UPDATE
--    of `removed_at` straight at the table did the same). The server now counts the live links to live claims
--    as the tables' owner (`factdesk_live_link_count`) and refuses the removal (restrict_violation) while there
--    are any; its message gives how many claims cite the source and how many of those the login may not see,
--    never which. Factdesk asks the same count inside its write first and says it plainly; removing a source
--    "with its links", a login unlinks only the claims it sees, so one that does not see them all is refused.
-- 2. Who added, changed, removed or resolved a row (`created_by`, `updated_by`, `removed_by`, `added_by`,
--    `linked_by`, `author`, `resolved_by`) is, for a login in Factdesk's groups, that login (`session_user`,
--    as the audit trail's `actor` since 0019): a reporter wrote a change in the standards editor's name. Factdesk
--    already writes the login there on a team store (`Review::reviewer_name`). On INSERT every such column
--    given a value is the login; on UPDATE each one changed to a value is (one left as it was, the row's
--    adder for instance, stays; one cleared, a restore's `removed_by`, stays cleared). The store's owner is
--    exempt: `migrate-store` copies a desk's history, names and all, as the owner. Left as they were:
--    `source_confidential.approved_by` (the person who approved the source, a confidential field, not its
--    writer) and `document_comments.author` (a Word or LibreOffice comment's author); the workflow's
--    `changed_by` may be Factdesk's own automatic actor and is not held here.
--
-- Functions name this schema's tables (search_path pinned, pg_temp last, as 0016 and later).

-- 1. ---------------------------------------------------------------------------------------------------------
-- How many live claims cite `source` through a live link, every desk's and every reporter's: counted as the
-- tables' owner, whatever the login asking may see. A number only, no ids: every login may ask it (the trigger
-- below asks it for whoever removes a source, a login the newsroom granted the table directly too).
CREATE FUNCTION factdesk_live_link_count(source BIGINT) RETURNS BIGINT
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT pg_catalog.count(DISTINCT l.claim_id)
        FROM claim_sources l JOIN claims c ON c.id = l.claim_id
        WHERE l.source_id = source AND l.removed_at IS NULL AND c.removed_at IS NULL
$$;

-- Refuses to mark a source removed while live claims cite it. Invoker's rights, so that the second count is
-- what the login sees (its row-level security); the refusal rests on the owner's count above.
CREATE FUNCTION factdesk_refuse_removing_cited_source() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
    citing BIGINT;
    seen   BIGINT;
BEGIN
    IF OLD.removed_at IS NULL AND NEW.removed_at IS NOT NULL THEN
        citing := factdesk_live_link_count(NEW.id);
        IF citing > 0 THEN
            SELECT pg_catalog.count(DISTINCT l.claim_id) INTO seen
                FROM claim_sources l JOIN claims c ON c.id = l.claim_id
                WHERE l.source_id = NEW.id AND l.removed_at IS NULL AND c.removed_at IS NULL;
            RAISE EXCEPTION 'source % is cited by % claim%, % of which you may not see; it stays on the register '
                            'until no claim cites it', NEW.id, citing,
                            CASE WHEN citing = 1 THEN '' ELSE 's' END, citing - seen
                USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER sources_removed_only_when_uncited BEFORE UPDATE OF removed_at ON sources
    FOR EACH ROW EXECUTE FUNCTION factdesk_refuse_removing_cited_source();

-- 2. ---------------------------------------------------------------------------------------------------------
-- Sets the columns named by the trigger's arguments to the login (see 2. above). Invoker's rights: it reads
-- nothing but the catalog.
CREATE FUNCTION factdesk_attribute_to_login() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
    given   JSONB := pg_catalog.to_jsonb(NEW);
    before  JSONB;
    login   JSONB := pg_catalog.to_jsonb(session_user::pg_catalog.text);
    changed JSONB := '{}'::JSONB;
    col     TEXT;
BEGIN
    IF pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID),
                              'MEMBER'::pg_catalog.text)
       OR NOT factdesk_in_any_group() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        before := pg_catalog.to_jsonb(OLD);
    END IF;
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF given->col IS NOT NULL AND given->col <> 'null'::JSONB
           AND (before IS NULL OR given->col IS DISTINCT FROM before->col) THEN
            changed := changed || pg_catalog.jsonb_build_object(col, login);
        END IF;
    END LOOP;
    IF changed = '{}'::JSONB THEN
        RETURN NEW;
    END IF;
    RETURN pg_catalog.jsonb_populate_record(NEW, changed);
END;
$$;

CREATE TRIGGER sources_attributed_to_login BEFORE INSERT OR UPDATE ON sources
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('created_by', 'updated_by', 'removed_by');
CREATE TRIGGER claims_attributed_to_login BEFORE INSERT OR UPDATE ON claims
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('created_by', 'updated_by', 'removed_by');
CREATE TRIGGER source_confidential_attributed_to_login BEFORE INSERT OR UPDATE ON source_confidential
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('updated_by');
CREATE TRIGGER claim_sources_attributed_to_login BEFORE INSERT OR UPDATE ON claim_sources
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('linked_by', 'removed_by');
CREATE TRIGGER evidence_attributed_to_login BEFORE INSERT OR UPDATE ON evidence
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('added_by', 'removed_by');
CREATE TRIGGER notes_attributed_to_login BEFORE INSERT OR UPDATE ON notes
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('author', 'resolved_by', 'removed_by');
CREATE TRIGGER people_attributed_to_login BEFORE INSERT OR UPDATE ON people
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('added_by');

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_live_link_count(BIGINT)', 'factdesk_refuse_removing_cited_source()', 'factdesk_attribute_to_login()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
GRANT EXECUTE ON FUNCTION factdesk_live_link_count(BIGINT), factdesk_refuse_removing_cited_source(),
    factdesk_attribute_to_login() TO PUBLIC;
