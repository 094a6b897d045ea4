-- The tables made after 0007_people (the published record, assignments and the inbox) get what 0007 gave every
-- table then: Factdesk's group roles may read and write them (Factdesk's own rights say who may do what with
-- them; row-level security does not cover them yet), and their identity sequences. Tables and sequences made by
-- later migrations get the same by default (they are made by the login running `team init`, as these were).
DO $$
DECLARE
    group_name TEXT;
    table_name TEXT;
BEGIN
    FOREACH group_name IN ARRAY ARRAY['factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                      'factdesk_lawyer', 'factdesk_admin']
    LOOP
        FOREACH table_name IN ARRAY ARRAY['published_reviews', 'assignments', 'inbox']
        LOOP
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', table_name, group_name);
        END LOOP;
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), group_name);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                       current_schema(), group_name);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I',
                       current_schema(), group_name);
    END LOOP;
END;
$$;
