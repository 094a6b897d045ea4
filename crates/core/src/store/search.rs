//! The full-text index: `search_drafts` (the drafts' current text) and
//! `search_items` (claims, notes, evidence, source descriptors), kept in step
//! by the triggers of migration 0014. Queries, ranking and snippets are
//! FTS5's; what a hit means is `crate::search`'s.

use super::{DeskId, Store, StoreError};
use rusqlite::{params, OptionalExtension};

/// A hit as the index gives it, before its snippet is made.
pub struct SearchRow {
    /// `draft`, `claim`, `note`, `evidence` or `source`.
    pub kind: String,
    pub id: i64,
    pub claim: Option<i64>,
    pub draft: Option<i64>,
    pub draft_path: Option<String>,
    /// FTS5's bm25: negative, more negative for a better match.
    pub bm25: f64,
}

/// The date a hit last changed, for the date filter.
const ITEM_CHANGED_AT: &str = "CASE search_items.kind
     WHEN 'claim' THEN c.updated_at
     WHEN 'evidence' THEN (SELECT added_at FROM evidence WHERE id = search_items.item_id)
     WHEN 'note' THEN (SELECT coalesce(edited_at, created_at) FROM notes WHERE id = search_items.item_id)
     ELSE (SELECT updated_at FROM sources WHERE id = search_items.item_id) END";

/// The filters as SQL parameters: JSON arrays for `IN (SELECT value FROM json_each(?))`, NULL when unset.
pub struct SearchFilters {
    pub draft: Option<i64>,
    pub claim_statuses: Option<String>,
    pub workflow: Option<String>,
    pub since: Option<String>,
    /// Exclusive: the day after `until`.
    pub before: Option<String>,
}

impl Store {
    /// The desk's drafts whose current text matches, best first.
    pub fn search_draft_hits(
        &self,
        desk: DeskId,
        expression: &str,
        filters: &SearchFilters,
        limit: i64,
    ) -> Result<Vec<SearchRow>, StoreError> {
        // CROSS JOIN keeps the index the outer loop: the other way round SQLite
        // would run the full-text query once per draft of the desk. The version
        // is joined only for a date filter: its date sits after the text in the
        // row, so reading it walks the text's overflow pages, which for a word
        // in every draft of a big desk was most of the search's time.
        let dated = filters.since.is_some() || filters.before.is_some();
        let (version_join, date_filter) = if dated {
            (
                "JOIN draft_versions v ON v.id = d.current_version_id",
                "AND (?5 IS NULL OR v.first_seen_at >= ?5) AND (?6 IS NULL OR v.first_seen_at < ?6)",
            )
        } else {
            ("", "AND ?5 IS NULL AND ?6 IS NULL")
        };
        let sql = format!(
            "SELECT search_drafts.rowid, d.path, bm25(search_drafts) AS score
         FROM search_drafts CROSS JOIN drafts d ON d.id = search_drafts.rowid
         {version_join}
         LEFT JOIN draft_workflow w ON w.draft_id = d.id
         WHERE search_drafts MATCH ?1 AND d.desk_id = ?2
           AND (?3 IS NULL OR d.id = ?3)
           AND (?4 IS NULL OR coalesce(w.status, 'in-review') IN (SELECT value FROM json_each(?4)))
           {date_filter}
         ORDER BY score LIMIT ?7"
        );
        let mut stmt = self.sqlite_only("search")?.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![expression, desk, filters.draft, filters.workflow, filters.since, filters.before, limit],
            |row| {
                let id: i64 = row.get(0)?;
                Ok(SearchRow {
                    kind: "draft".to_owned(),
                    id,
                    claim: None,
                    draft: Some(id),
                    draft_path: Some(row.get(1)?),
                    bm25: row.get(2)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The desk's claims, notes, evidence and sources that match, best first.
    #[allow(clippy::too_many_arguments)]
    pub fn search_item_hits(
        &self,
        desk: DeskId,
        expression: &str,
        filters: &SearchFilters,
        kinds: &[&str],
        on_claims_only: bool,
        limit: i64,
    ) -> Result<Vec<SearchRow>, StoreError> {
        let sql = format!(
            "SELECT search_items.kind, search_items.item_id, search_items.claim_id, search_items.draft_id, d.path,
                bm25(search_items) AS score
         FROM search_items LEFT JOIN claims c ON c.id = search_items.claim_id
         LEFT JOIN drafts d ON d.id = search_items.draft_id
         LEFT JOIN draft_workflow w ON w.draft_id = search_items.draft_id
         WHERE search_items MATCH ?1 AND search_items.desk_id = ?2
           AND search_items.kind IN (SELECT value FROM json_each(?3))
           AND (?4 IS NULL OR search_items.draft_id = ?4)
           AND (?5 = 0 OR search_items.claim_id IS NOT NULL)
           AND (?6 IS NULL OR c.status IN (SELECT value FROM json_each(?6)))
           AND (?7 IS NULL OR (search_items.draft_id IS NOT NULL
                               AND coalesce(w.status, 'in-review') IN (SELECT value FROM json_each(?7))))
           AND (?8 IS NULL OR ({ITEM_CHANGED_AT}) >= ?8)
           AND (?9 IS NULL OR ({ITEM_CHANGED_AT}) < ?9)
         ORDER BY score LIMIT ?10"
        );
        let mut stmt = self.sqlite_only("search")?.prepare_cached(&sql)?;
        let kinds = serde_json::Value::from(kinds.to_vec()).to_string();
        let rows = stmt.query_map(
            params![
                expression,
                desk,
                kinds,
                filters.draft,
                on_claims_only,
                filters.claim_statuses,
                filters.workflow,
                filters.since,
                filters.before,
                limit
            ],
            |row| {
                let kind: String = row.get(0)?;
                Ok((kind, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
            },
        )?;
        let mut found = Vec::new();
        for row in rows {
            let (kind, id, claim, draft, draft_path, bm25) = row?;
            found.push(SearchRow { kind, id, claim, draft, draft_path, bm25 });
        }
        Ok(found)
    }

    /// A draft's whole current text with every match of `expression` between `start` and `end`.
    pub fn search_highlight_draft(
        &self,
        expression: &str,
        start: &str,
        end: &str,
        draft: i64,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .sqlite_only("search")?
            .prepare_cached(
                "SELECT highlight(search_drafts, 0, ?2, ?3) FROM search_drafts
                 WHERE search_drafts MATCH ?1 AND rowid = ?4",
            )?
            .query_row(params![expression, start, end, draft], |row| row.get(0))
            .optional()?)
    }

    /// FTS5's snippet of an item's matches: `tokens` tokens, matches between
    /// `start` and `end`, `cut` where the text was cut.
    pub fn search_item_snippet(
        &self,
        expression: &str,
        markers: (&str, &str, &str),
        tokens: u32,
        rowid: i64,
    ) -> Result<Option<String>, StoreError> {
        let (start, end, cut) = markers;
        Ok(self
            .sqlite_only("search")?
            .prepare_cached(
                "SELECT snippet(search_items, 0, ?2, ?3, ?4, ?5) FROM search_items
                 WHERE search_items MATCH ?1 AND rowid = ?6",
            )?
            .query_row(params![expression, start, end, cut, tokens, rowid], |row| row.get(0))
            .optional()?)
    }

    /// FTS5's own integrity check of both indexes (an error when they disagree with their rows).
    pub fn check_search_index(&self) -> Result<(), StoreError> {
        self.sqlite_only("search")?.execute_batch(
            "INSERT INTO search_drafts (search_drafts, rank) VALUES ('integrity-check', 1);
             INSERT INTO search_items (search_items) VALUES ('integrity-check');",
        )?;
        Ok(())
    }
}
