//! The full-text index. On SQLite: `search_drafts` (the drafts' current
//! text) and `search_items` (claims, notes, evidence, source descriptors),
//! FTS5 tables kept in step by the triggers of migration 0014; queries,
//! bm25 ranking and snippets are FTS5's. On a team store (PostgreSQL):
//! `search_entries`, one tsvector per item under a GIN index, kept in step
//! by the triggers of `migrations/postgres/0005_search.sql`, ranked by
//! `ts_rank_cd`; snippets are made by `crate::search` from the text read
//! here. What a hit means is `crate::search`'s.

use super::engine::{params as engine_params, Optional as _};
use super::{DeskId, Store, StoreError};
use rusqlite::{params, OptionalExtension};

/// A typed query in each engine's language.
pub struct SearchExpression {
    /// An FTS5 expression in which every term is a quoted string.
    pub fts5: String,
    /// The terms as a JSON array of `{"text", "prefix", "excluded"}`, which
    /// the team store's `search_query()` turns into a tsquery.
    pub terms_json: String,
}

/// A hit as the index gives it, before its snippet is made.
pub struct SearchRow {
    /// `draft`, `claim`, `note`, `evidence` or `source`.
    pub kind: String,
    pub id: i64,
    pub claim: Option<i64>,
    pub draft: Option<i64>,
    pub draft_path: Option<String>,
    /// Lower is better: FTS5's bm25 (negative, more negative for a better
    /// match) on SQLite, minus `ts_rank_cd` on a team store.
    pub rank: f64,
}

impl SearchRow {
    /// A draft's own hit: the draft is both the item and where it stands.
    fn draft(id: i64, path: String, rank: f64) -> Self {
        Self { kind: "draft".to_owned(), id, claim: None, draft: Some(id), draft_path: Some(path), rank }
    }
}

/// The date a hit last changed, for the date filter.
const ITEM_CHANGED_AT: &str = "CASE search_items.kind
     WHEN 'claim' THEN c.updated_at
     WHEN 'evidence' THEN (SELECT added_at FROM evidence WHERE id = search_items.item_id)
     WHEN 'note' THEN (SELECT coalesce(edited_at, created_at) FROM notes WHERE id = search_items.item_id)
     ELSE (SELECT updated_at FROM sources WHERE id = search_items.item_id) END";

/// How the best drafts are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DraftOrder {
    /// By FTS5's bm25, best first.
    Bm25,
    /// The drafts added to the store last, first (highest id first).
    NewestFirst,
}

/// Matches at or above which a query can be answered newest first (see `DraftOrder::of`).
pub const NEWEST_FIRST_MIN_MATCHES: i64 = 1_000;

impl DraftOrder {
    /// Newest first when the query matches more than half of the desk's
    /// indexed drafts, and more than [`NEWEST_FIRST_MIN_MATCHES`] of them;
    /// else bm25. Counted on the desk searched, not the store: with several
    /// desks in one store, a word common in one desk must not change the
    /// order of another's hits.
    ///
    /// Why half: bm25's weight of a word is its idf, ln((N - n + 0.5) / (n + 0.5))
    /// for a word in n of N drafts, which FTS5 floors at 10⁻⁶ once n reaches N/2.
    /// A query whose drafts are more than half the desk has that floor for every
    /// one of its words, so bm25 only orders those drafts by how often (for
    /// their length) they repeat them: "the" ranked by how many "the"s. And it is
    /// where bm25 costs most: FTS5 reads the positions of every matching draft
    /// (and its length) to score it, 25-60 ms for a word in every draft of
    /// 10,000, however few are kept; newest first reads the index backwards and
    /// stops after the drafts it keeps. Why the minimum: on a smaller desk bm25
    /// over every match takes a few milliseconds, and its order is kept.
    ///
    /// The count stops at the first draft past the threshold, reading only
    /// rowids (not positions, except to match a phrase).
    fn of(conn: &rusqlite::Connection, desk: DeskId, expression: &str) -> Result<Self, StoreError> {
        // Whether the store's drafts are all this desk's: two lookups in the (desk_id, path) index.
        let alone: bool = conn
            .prepare_cached(
                "SELECT coalesce((SELECT min(desk_id) FROM drafts) = ?1 AND (SELECT max(desk_id) FROM drafts) = ?1, 0)",
            )?
            .query_row([desk], |row| row.get(0))?;
        // The desk's drafts that the index holds (N). For the only desk, counted on FTS5's own table of
        // their lengths (a row of a few bytes each): counted on `drafts`, whose rows are wider, it took
        // 3 ms on 10,000.
        let drafts: i64 = if alone {
            conn.prepare_cached("SELECT count(*) FROM search_drafts_docsize")?.query_row([], |row| row.get(0))?
        } else {
            // Both counts read the index `drafts_with_text_by_desk` (migration 0022) alone: the drafts
            // with a text were counted on the table's rows before it, 0.9 ms for a desk of 10,000 in a
            // shared store. A desk of at most the minimum needs no more than the first.
            let all: i64 = conn
                .prepare_cached("SELECT count(*) FROM drafts WHERE desk_id = ?1")?
                .query_row([desk], |row| row.get(0))?;
            if all <= NEWEST_FIRST_MIN_MATCHES {
                return Ok(Self::Bm25);
            }
            conn.prepare_cached("SELECT count(*) FROM drafts WHERE desk_id = ?1 AND current_version_id IS NOT NULL")?
                .query_row([desk], |row| row.get(0))?
        };
        let enough = (drafts / 2).max(NEWEST_FIRST_MIN_MATCHES) + 1;
        if drafts < enough {
            // Fewer drafts than the threshold: no query can reach it.
            return Ok(Self::Bm25);
        }
        let matched: i64 = if alone {
            conn.prepare_cached(
                "SELECT count(*) FROM (SELECT rowid FROM search_drafts WHERE search_drafts MATCH ?1 LIMIT ?2)",
            )?
            .query_row(params![expression, enough], |row| row.get(0))?
        } else {
            // CROSS JOIN keeps the index the outer loop (see `search_draft_hits`).
            conn.prepare_cached(
                "SELECT count(*) FROM (SELECT search_drafts.rowid FROM search_drafts
                     CROSS JOIN drafts d ON d.id = search_drafts.rowid
                     WHERE search_drafts MATCH ?1 AND d.desk_id = ?3 LIMIT ?2)",
            )?
            .query_row(params![expression, enough, desk], |row| row.get(0))?
        };
        Ok(if matched >= enough { Self::NewestFirst } else { Self::Bm25 })
    }
}

/// The join and the condition a draft query needs for the date filter, its
/// `since` and `before` bound at `?first` and `?first + 1` (both still bound,
/// and required NULL, when there is no date filter). The version is joined only
/// for a date filter: its date sits after the text in the row, so reading it
/// walks the text's overflow pages, which for a word in every draft of a big
/// desk was most of the search's time.
fn draft_date_filter(filters: &SearchFilters, first: usize) -> (&'static str, String) {
    let (since, before) = (first, first + 1);
    if filters.since.is_some() || filters.before.is_some() {
        (
            "JOIN draft_versions v ON v.id = d.current_version_id",
            format!("AND (?{since} IS NULL OR v.first_seen_at >= ?{since}) AND (?{before} IS NULL OR v.first_seen_at < ?{before})"),
        )
    } else {
        ("", format!("AND ?{since} IS NULL AND ?{before} IS NULL"))
    }
}

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
        query: &SearchExpression,
        filters: &SearchFilters,
        limit: i64,
    ) -> Result<Vec<SearchRow>, StoreError> {
        if self.is_team_store() {
            return self.team_draft_hits(desk, query, filters, limit);
        }
        let expression = query.fts5.as_str();
        if limit >= 0 && filters.draft.is_none() {
            return self.ranked_draft_hits(desk, expression, filters, limit);
        }
        // CROSS JOIN keeps the index the outer loop: the other way round SQLite
        // would run the full-text query once per draft of the desk.
        let (version_join, date_filter) = draft_date_filter(filters, 5);
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
            |row| Ok(SearchRow::draft(row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The best `limit` drafts: FTS5 ranks alone first, then the desk and the
    /// filters are applied to what it kept. Joined to the drafts inside the
    /// ranking query, SQLite looked up every matching draft's row (and its
    /// workflow) before sorting, 10,000 lookups for a common word on a big
    /// desk; here only the best `window`. While the filters leave fewer than
    /// `limit` and FTS5 had more, the window widens.
    ///
    /// A query matching most drafts is answered newest first (see
    /// [`DraftOrder::of`]); its drafts' rank is then 0.
    fn ranked_draft_hits(
        &self,
        desk: DeskId,
        expression: &str,
        filters: &SearchFilters,
        limit: i64,
    ) -> Result<Vec<SearchRow>, StoreError> {
        let conn = self.sqlite_only("search")?;
        let order = DraftOrder::of(conn, desk, expression)?;
        let mut window = limit.saturating_mul(2).max(64);
        loop {
            let mut ranked = conn.prepare_cached(match order {
                DraftOrder::Bm25 => {
                    "SELECT rowid, rank FROM search_drafts WHERE search_drafts MATCH ?1 ORDER BY rank LIMIT ?2"
                }
                // FTS5 walks its rowids backwards and stops at the limit: no draft's positions are read
                // beyond those returned.
                DraftOrder::NewestFirst => {
                    "SELECT rowid, 0.0 FROM search_drafts WHERE search_drafts MATCH ?1 ORDER BY rowid DESC LIMIT ?2"
                }
            })?;
            let best: Vec<(i64, f64)> = ranked
                .query_map(params![expression, window], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let ids = serde_json::Value::from(best.iter().map(|(id, _)| *id).collect::<Vec<_>>()).to_string();
            let (version_join, date_filter) = draft_date_filter(filters, 4);
            let sql = format!(
                "SELECT d.id, d.path FROM drafts d {version_join}
                 LEFT JOIN draft_workflow w ON w.draft_id = d.id
                 WHERE d.id IN (SELECT value FROM json_each(?1)) AND d.desk_id = ?2
                   AND (?3 IS NULL OR coalesce(w.status, 'in-review') IN (SELECT value FROM json_each(?3)))
                   {date_filter}"
            );
            let mut kept = conn.prepare_cached(&sql)?;
            let paths: std::collections::HashMap<i64, String> = kept
                .query_map(params![ids, desk, filters.workflow, filters.since, filters.before], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let exhausted = i64::try_from(best.len()).unwrap_or(i64::MAX) < window;
            if exhausted || i64::try_from(paths.len()).unwrap_or(i64::MAX) >= limit {
                let mut found = Vec::new();
                for (id, rank) in best {
                    if let Some(path) = paths.get(&id) {
                        found.push(SearchRow::draft(id, path.clone(), rank));
                    }
                }
                found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                return Ok(found);
            }
            window = window.saturating_mul(4);
        }
    }

    /// The desk's claims, notes, evidence and sources that match, best first.
    #[allow(clippy::too_many_arguments)]
    pub fn search_item_hits(
        &self,
        desk: DeskId,
        query: &SearchExpression,
        filters: &SearchFilters,
        kinds: &[&str],
        on_claims_only: bool,
        limit: i64,
    ) -> Result<Vec<SearchRow>, StoreError> {
        if self.is_team_store() {
            return self.team_item_hits(desk, query, filters, kinds, on_claims_only, limit);
        }
        let expression = query.fts5.as_str();
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
            let (kind, id, claim, draft, draft_path, rank) = row?;
            found.push(SearchRow { kind, id, claim, draft, draft_path, rank });
        }
        Ok(found)
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

    /// A draft's current text (a team store's snippets are made from it).
    pub fn search_draft_text(&self, draft: i64) -> Result<Option<String>, StoreError> {
        self.prepare_cached(
            "SELECT v.text FROM drafts d JOIN draft_versions v ON v.id = d.current_version_id WHERE d.id = ?1",
        )?
        .query_row([draft], |row| row.get(0))
        .optional()
    }

    /// The text a team store indexed for an item (a claim's quote, a note, …).
    pub fn search_item_text(&self, kind: &str, id: i64) -> Result<Option<String>, StoreError> {
        self.prepare_cached("SELECT body FROM search_entries WHERE kind = ?1 AND item_id = ?2")?
            .query_row(engine_params![kind, id], |row| row.get(0))
            .optional()
    }

    /// [`Store::search_draft_hits`] on a team store: the GIN index and
    /// `ts_rank_cd` (cover density: how close together the query's words
    /// are, rather than bm25's rarity of each word), best first.
    fn team_draft_hits(
        &self,
        desk: DeskId,
        query: &SearchExpression,
        filters: &SearchFilters,
        limit: i64,
    ) -> Result<Vec<SearchRow>, StoreError> {
        let mut stmt = self.prepare_cached(
            "WITH q AS (SELECT search_query(?1::text) AS query)
             SELECT e.item_id, d.path, -ts_rank_cd(e.words, q.query) AS score
             FROM q JOIN search_entries e ON e.words @@ q.query
             JOIN drafts d ON d.id = e.item_id
             JOIN draft_versions v ON v.id = d.current_version_id
             LEFT JOIN draft_workflow w ON w.draft_id = d.id
             WHERE e.kind = 'draft' AND e.desk_id = ?2
               AND (?3::bigint IS NULL OR d.id = ?3::bigint)
               AND (?4::text IS NULL OR coalesce(w.status, 'in-review')
                                        IN (SELECT jsonb_array_elements_text(?4::text::jsonb)))
               AND (?5::text IS NULL OR v.first_seen_at >= ?5::text)
               AND (?6::text IS NULL OR v.first_seen_at < ?6::text)
             ORDER BY score, e.item_id LIMIT ?7::bigint",
        )?;
        let limit = (limit >= 0).then_some(limit);
        let rows = stmt.query_map(
            engine_params![
                query.terms_json.as_str(),
                desk,
                filters.draft,
                filters.workflow.as_deref(),
                filters.since.as_deref(),
                filters.before.as_deref(),
                limit
            ],
            |row| Ok(SearchRow::draft(row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        rows.collect()
    }

    /// [`Store::search_item_hits`] on a team store.
    #[allow(clippy::too_many_arguments)]
    fn team_item_hits(
        &self,
        desk: DeskId,
        query: &SearchExpression,
        filters: &SearchFilters,
        kinds: &[&str],
        on_claims_only: bool,
        limit: i64,
    ) -> Result<Vec<SearchRow>, StoreError> {
        let changed_at = ITEM_CHANGED_AT.replace("search_items.", "e.");
        let sql = format!(
            "WITH q AS (SELECT search_query(?1::text) AS query)
             SELECT e.kind, e.item_id, e.claim_id, e.draft_id, d.path, -ts_rank_cd(e.words, q.query) AS score
             FROM q JOIN search_entries e ON e.words @@ q.query
             LEFT JOIN claims c ON c.id = e.claim_id
             LEFT JOIN drafts d ON d.id = e.draft_id
             LEFT JOIN draft_workflow w ON w.draft_id = e.draft_id
             WHERE e.kind <> 'draft' AND e.desk_id = ?2
               AND e.kind IN (SELECT jsonb_array_elements_text(?3::text::jsonb))
               AND (?4::bigint IS NULL OR e.draft_id = ?4::bigint)
               AND (?5::boolean = FALSE OR e.claim_id IS NOT NULL)
               AND (?6::text IS NULL OR c.status IN (SELECT jsonb_array_elements_text(?6::text::jsonb)))
               AND (?7::text IS NULL OR (e.draft_id IS NOT NULL
                                   AND coalesce(w.status, 'in-review') IN (SELECT jsonb_array_elements_text(?7::text::jsonb))))
               AND (?8::text IS NULL OR ({changed_at}) >= ?8::text)
               AND (?9::text IS NULL OR ({changed_at}) < ?9::text)
             ORDER BY score, e.kind, e.item_id LIMIT ?10::bigint"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let kinds = serde_json::Value::from(kinds.to_vec()).to_string();
        let limit = (limit >= 0).then_some(limit);
        let rows = stmt.query_map(
            engine_params![
                query.terms_json.as_str(),
                desk,
                kinds.as_str(),
                filters.draft,
                on_claims_only,
                filters.claim_statuses.as_deref(),
                filters.workflow.as_deref(),
                filters.since.as_deref(),
                filters.before.as_deref(),
                limit
            ],
            |row| {
                Ok(SearchRow {
                    kind: row.get(0)?,
                    id: row.get(1)?,
                    claim: row.get(2)?,
                    draft: row.get(3)?,
                    draft_path: row.get(4)?,
                    rank: row.get(5)?,
                })
            },
        )?;
        rows.collect()
    }

    /// FTS5's own integrity check of both indexes (an error when they
    /// disagree with their rows); on a team store, every entry compared with
    /// the entry its row would make now (and no entry missing or left over).
    pub fn check_search_index(&self) -> Result<(), StoreError> {
        if self.is_team_store() {
            let differ: i64 = self
                .prepare(
                    "WITH expected AS (
                         SELECT 'draft' AS kind, d.id AS item_id, d.desk_id, search_vector(v.text) AS words
                         FROM drafts d JOIN draft_versions v ON v.id = d.current_version_id
                         UNION ALL
                         SELECT 'claim', c.id, d.desk_id, search_vector(c.exact)
                         FROM claims c JOIN drafts d ON d.id = c.draft_id WHERE c.removed_at IS NULL
                         UNION ALL
                         SELECT 'evidence', e.id, d.desk_id, search_vector(e.summary || chr(10) || e.reference)
                         FROM evidence e JOIN claims c ON c.id = e.claim_id JOIN drafts d ON d.id = c.draft_id
                         WHERE e.removed_at IS NULL AND c.removed_at IS NULL
                         UNION ALL
                         SELECT 'note', n.id, d.desk_id, search_vector(n.text)
                         FROM notes n LEFT JOIN claims c ON c.id = n.claim_id
                         JOIN drafts d ON d.id = coalesce(n.draft_id, c.draft_id)
                         WHERE n.removed_at IS NULL AND n.private = FALSE AND (n.claim_id IS NULL OR c.removed_at IS NULL)
                           AND NOT EXISTS (SELECT 1 FROM notes t WHERE t.id = n.reply_to AND t.private)
                         UNION ALL
                         SELECT 'source', s.id, s.desk_id, search_vector(s.descriptor)
                         FROM sources s WHERE s.removed_at IS NULL
                     ), indexed AS (SELECT kind, item_id, desk_id, words FROM search_entries)
                     SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM indexed) AS missing)
                          + (SELECT count(*) FROM (SELECT * FROM indexed EXCEPT SELECT * FROM expected) AS stale)",
                )?
                .query_row([], |row| row.get(0))?;
            return match differ {
                0 => Ok(()),
                n => Err(StoreError::Malformed(format!("the search index differs from its rows in {n} entries"))),
            };
        }
        self.sqlite_only("search")?.execute_batch(
            "INSERT INTO search_drafts (search_drafts, rank) VALUES ('integrity-check', 1);
             INSERT INTO search_items (search_items) VALUES ('integrity-check');",
        )?;
        Ok(())
    }
}
