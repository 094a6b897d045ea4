-- Search (issue 15): whether a query is answered newest first depends on how many of the searched desk's drafts
-- have a text (`DraftOrder::of` in crates/core/src/store/search.rs). With several desks in one store that count
-- read every row of the desk's drafts (about 0.9 ms for 10,000): with this index it reads the index alone.
CREATE INDEX drafts_with_text_by_desk ON drafts(desk_id, current_version_id);
