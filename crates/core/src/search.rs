//! Finding anything on a desk: SQLite FTS5 over the drafts' current text,
//! claims' quotes, notes, evidence (summary and reference) and source
//! descriptors, ranked by bm25, with a snippet of each hit and the matches
//! in it given as offsets (never HTML: the window renders text nodes).
//!
//! On a team store (PostgreSQL) the same things are found with the server's
//! full-text search (`migrations/postgres/0005_search.sql`: a tsvector per
//! item under a GIN index, the same tokens as below, built by the same kind
//! of triggers): the same hits for the same desk. The ranking differs a
//! little: `ts_rank_cd` (cover density: how often and how close together
//! the query's words are) instead of bm25 (which also weighs how rare each
//! word is across the desk and normalises by length), so hits of similar
//! relevance can come in another order. A draft's snippet (on both
//! engines), and on a team store an item's, is cut from its text by
//! `search::highlight`, around the first match (where FTS5's `snippet()`
//! picks an item's densest fragment).
//!
//! The index lives in the database (migration `0014_search.sql`) and is
//! kept in step by triggers, in the same transaction as every save and
//! review change: a removed claim, note, evidence item or source leaves it
//! (with a claim, the evidence and notes hanging from it), and comes back
//! when restored. Nothing confidential is ever indexed: neither a source's
//! confidential fields (sealed or not) nor a private note, which the desk
//! report leaves out too, as a hit can be pasted anywhere.
//!
//! # Query language
//!
//! Words are all required (`ministry figures`); `"a phrase"` keeps its
//! words adjacent and in order; `minist*` is a prefix; `-word` leaves out
//! what holds it. Case and diacritics do not matter (`Kabul` finds
//! `kābul`). Everything a reviewer types is quoted before it reaches FTS5,
//! so no input is a syntax error.
//!
//! # Ranking
//!
//! Best first by bm25, except for drafts when a query matches more than half
//! of the desk's drafts, and over a thousand of them: those come newest first
//! (the drafts added last first), with a score of 0 (counted on the desk
//! searched: another desk in the same store changes nothing). There bm25 says little
//! (FTS5 floors the weight of a word in half the drafts or more, so it only
//! counts how often each draft repeats it) and costs most (every matching
//! draft's positions are read to score it). `Store::search_draft_hits` says
//! more; on a team store the order stays `ts_rank_cd`'s.
//!
//! # Figures and punctuation: the tokenizer
//!
//! The index uses FTS5's `unicode61` tokenizer with its default separators
//! and `remove_diacritics 2`: punctuation splits tokens, so `$1.2bn` is
//! indexed as `1` `2bn`, `U.S.` as `u` `s` and `No. 4` as `no` `4`. A query
//! term is made a phrase of the same tokens, so `$1.2bn` finds `$1.2bn` and
//! `€1.2bn` (the currency sign is not a token), never `1.2 million` or a
//! `1` far from a `2bn`; `U.S.` finds `U.S.` and `u.s.` (not `US`); `"No. 4"`
//! finds `No. 4` and `no 4`. Chosen over the alternatives because:
//! - making `.` `$` `,` token characters (`tokenchars`) would glue the full
//!   stop to the last word of every sentence (`embassy.` would not match
//!   `embassy`), breaking ordinary word search for the sake of figures;
//! - the `trigram` tokenizer finds any substring, but an index about three
//!   times larger, no match for terms under three characters and a bm25 on
//!   trigrams that ranks poorly;
//! - adjacency already tells `1.2bn` from a `1` and a `2bn` apart, and a
//!   decimal comma (`1,2 Mrd.`) lands on the same tokens as a decimal point.
//!
//! ```no_run
//! # use factdesk_core::{review::Review, store::DeskId};
//! # fn demo(review: &Review, desk: DeskId) -> Result<(), factdesk_core::search::SearchError> {
//! use factdesk_core::search::SearchQuery;
//! for hit in review.search(desk, &SearchQuery::new("\"according to sources\""))? {
//!     println!("{} {} {:?} {}", hit.kind, hit.id, hit.draft_path, hit.snippet.text);
//! }
//! # Ok(()) }
//! ```

use crate::attribution::{attributions_of_draft, AttributedTo};
use crate::names::kebab_enum;
use crate::review::{ClaimStatus, Review};
use crate::sourcing::workflow::DraftStatus;
use crate::store::assignments::AssignmentTarget;
use crate::store::search::{SearchExpression, SearchFilters, SearchRow};
use crate::store::{lock, ClaimId, DeskId, DraftId, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

mod highlight;

kebab_enum!(
    /// What a search hit is.
    HitKind, "result kind" {
        /// A draft's current text.
        Draft => "draft",
        /// A claim's quote.
        Claim => "claim",
        /// A note on a claim or a draft (never a private one).
        Note => "note",
        /// An evidence item's summary and reference.
        Evidence => "evidence",
        /// A source's descriptor, as published (never its confidential side).
        Source => "source",
    }
);

/// Errors from search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("type a word to search for (punctuation alone finds nothing)")]
    EmptyQuery,
    #[error("the date range ends ({until}) before it starts ({since})")]
    BackwardsDates { since: NaiveDate, until: NaiveDate },
    #[error(transparent)]
    Rights(#[from] crate::rights::RightsError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SearchError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(StoreError::from(error))
    }
}

/// What to look for, and where.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchQuery {
    /// Words, `"phrases"`, `prefix*`, `-excluded` (see the module's docs).
    pub text: String,
    /// Only these kinds of hit (all when empty).
    pub kinds: Vec<HitKind>,
    /// Only claims with one of these statuses, and the notes and evidence on them.
    pub claim_statuses: Vec<ClaimStatus>,
    /// Only claims attributed so (the attribution the inspector shows), and the notes and evidence on them.
    pub attributions: Vec<AttributedTo>,
    /// Only what belongs to a draft with one of these workflow statuses.
    pub workflow: Vec<DraftStatus>,
    /// Only what belongs to this draft.
    pub draft: Option<DraftId>,
    /// Only what last changed on or after this day (UTC), "YYYY-MM-DD" in JSON.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub since: Option<NaiveDate>,
    /// Only what last changed on or before this day (UTC).
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub until: Option<NaiveDate>,
    /// At most this many hits (50 when absent).
    pub limit: Option<u32>,
    /// Only claims assigned to this person (and the notes and evidence on them), and what belongs to a draft
    /// assigned to them.
    #[serde(default)]
    pub assignee: Option<String>,
}

impl SearchQuery {
    /// A query for `text` with no filter.
    pub fn new(text: &str) -> Self {
        Self { text: text.to_owned(), ..Self::default() }
    }
}

/// Hits returned when a query does not say how many.
pub const DEFAULT_LIMIT: u32 = 50;

/// A span of text in Unicode code points (as the W3C anchors count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// A few words around the matches, with the matches as spans of `text`.
/// `…` marks where the text was cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<Span>,
}

/// One thing found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    pub kind: HitKind,
    /// The draft's, claim's, note's, evidence item's or source's id.
    pub id: i64,
    /// The draft it belongs to (none for a source).
    pub draft: Option<DraftId>,
    /// That draft's path in the desk.
    pub draft_path: Option<String>,
    /// The claim it belongs to (a claim, or a note or evidence on one).
    pub claim: Option<ClaimId>,
    pub snippet: Snippet,
    /// bm25 relevance, higher is better; comparable within one search. 0 for
    /// a draft when the query matched most of a big desk's drafts: those come
    /// newest first (see the module's docs).
    pub score: f64,
    /// For a draft: where the first match is in its current text, to open it there.
    pub passage: Option<Span>,
}

impl Review {
    /// Searches a desk; the best `limit` hits, best first. A claim, note or
    /// evidence item of a draft whose claims this reviewer may not see (another
    /// reporter's) is left out; drafts' text and the register's descriptors are
    /// the desk's (its people's: someone who is not one of them finds no draft).
    pub fn search(&self, desk: DeskId, query: &SearchQuery) -> Result<Vec<SearchHit>, SearchError> {
        let store = lock(self.store());
        let hits = search(&store, desk, query)?;
        // Asked once: on a desk without people everything is allowed, and most desks have none.
        let rights = crate::rights::ReviewerRights::on_desk(&store, desk, || self.reviewer().to_owned())?;
        if rights.allows_everything() {
            return Ok(hits);
        }
        // A hit carries its draft's path (the desk is the one searched): the rights are answered with it,
        // without reading the draft again.
        let may_read = |path: &str| rights.check(crate::rights::Action::ReadClaims, Some(path)).is_ok();
        // Someone who is not one of the desk's people (an editor of another desk of the server who opened its
        // folder) opens none of its drafts: a draft's hit would only answer a click with a refusal.
        let outsider = matches!(rights, crate::rights::ReviewerRights::AsPerson { role: None, .. });
        Ok(hits
            .into_iter()
            .filter(|hit| match (hit.kind, hit.draft_path.as_deref()) {
                (HitKind::Claim | HitKind::Note | HitKind::Evidence, Some(path)) => may_read(path),
                (HitKind::Draft, _) => !outsider,
                _ => true,
            })
            .collect())
    }
}

// Markers FTS5's snippet() puts around matches and where it cuts: private-use
// characters, turned into spans and `…` here. Text holding them already (a
// hostile draft) can only shift a highlight, never inject markup.
const MATCH_START: char = '\u{E000}';
const MATCH_END: char = '\u{E001}';
const CUT: char = '\u{E002}';
/// Tokens in a snippet: a line's worth.
const SNIPPET_TOKENS: u32 = 16;

/// Searches `desk` in `store`.
pub fn search(store: &Store, desk: DeskId, query: &SearchQuery) -> Result<Vec<SearchHit>, SearchError> {
    let terms = parse_terms(&query.text)?;
    let expression = SearchExpression { fts5: fts5_of(&terms), terms_json: json_of(&terms) };
    if let (Some(since), Some(until)) = (query.since, query.until) {
        if until < since {
            return Err(SearchError::BackwardsDates { since, until });
        }
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let wants = |kind: HitKind| query.kinds.is_empty() || query.kinds.contains(&kind);
    let claim_filter = !query.claim_statuses.is_empty() || !query.attributions.is_empty();
    // The attribution the inspector shows is computed (linked sources, else the
    // wording read by the suggestion engine), so it filters after SQL: then
    // every candidate is read, not only the best `limit`.
    let assignee = query.assignee.as_deref().map(str::trim).filter(|name| !name.is_empty());
    // So does the assignee (a claim's, or its draft's).
    let sql_limit: i64 = if query.attributions.is_empty() && assignee.is_none() { i64::from(limit) } else { -1 };
    let filters = filters_of(query);

    let mut found: Vec<Found> = Vec::new();
    if wants(HitKind::Draft) && !claim_filter {
        found.extend(found_of(store.search_draft_hits(desk, &expression, &filters, sql_limit)?)?);
    }
    let item_kinds: Vec<&str> = HitKind::ALL
        .iter()
        .filter(|k| **k != HitKind::Draft && wants(**k))
        .filter(|k| !claim_filter || matches!(k, HitKind::Claim | HitKind::Note | HitKind::Evidence))
        .map(|k| k.as_str())
        .collect();
    if !item_kinds.is_empty() {
        found.extend(found_of(store.search_item_hits(
            desk,
            &expression,
            &filters,
            &item_kinds,
            claim_filter,
            sql_limit,
        )?)?);
    }
    if !query.attributions.is_empty() {
        found = with_attribution(store, found, &query.attributions)?;
    }
    if let Some(person) = assignee {
        found = assigned_to(store, found, person)?;
    }
    // Lower ranks first (bm25() is negative, more negative for a better match).
    found.sort_by(|a, b| a.rank.total_cmp(&b.rank));
    found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let finder = highlight::Finder::new(
        terms.iter().filter(|t| !t.excluded).map(|t| highlight::Phrase::new(&t.text, t.prefix)).collect(),
    );
    if store.is_team_store() {
        return found.into_iter().map(|hit| complete_from_text(store, &finder, hit)).collect();
    }
    found.into_iter().map(|hit| complete(store, &expression.fts5, &finder, hit)).collect()
}

/// The query's filters as the index's parameters.
fn filters_of(query: &SearchQuery) -> SearchFilters {
    let names = |names: Vec<&str>| (!names.is_empty()).then(|| serde_json::Value::from(names).to_string());
    SearchFilters {
        draft: query.draft.map(|d| d.0),
        claim_statuses: names(query.claim_statuses.iter().map(|s| s.as_str()).collect()),
        workflow: names(query.workflow.iter().map(|s| s.as_str()).collect()),
        // Stored times are RFC 3339 UTC ("2026-12-01T03:15:00Z"): a day compares as a prefix.
        since: query.since.map(|d| d.format("%Y-%m-%d").to_string()),
        before: query.until.and_then(|d| d.succ_opt()).map(|d| d.format("%Y-%m-%d").to_string()),
    }
}

/// The index's rows as hits.
fn found_of(rows: Vec<SearchRow>) -> Result<Vec<Found>, SearchError> {
    rows.into_iter()
        .map(|row| {
            let kind =
                row.kind.parse().map_err(|_| StoreError::Malformed(format!("search index kind {:?}", row.kind)))?;
            Ok(Found {
                kind,
                id: row.id,
                claim: row.claim,
                draft: row.draft,
                draft_path: row.draft_path,
                rank: row.rank,
            })
        })
        .collect()
}

/// A hit before its snippet is made.
struct Found {
    kind: HitKind,
    id: i64,
    claim: Option<i64>,
    draft: Option<i64>,
    draft_path: Option<String>,
    /// Lower is better (see [`SearchRow::rank`]).
    rank: f64,
}

/// Keeps the hits on claims attributed as one of `wanted`, by the same
/// answer the inspector, the matrix and the reports give.
fn with_attribution(store: &Store, found: Vec<Found>, wanted: &[AttributedTo]) -> Result<Vec<Found>, SearchError> {
    let mut by_draft: HashMap<i64, HashMap<ClaimId, AttributedTo>> = HashMap::new();
    let mut kept = Vec::new();
    for hit in found {
        let (Some(claim), Some(draft)) = (hit.claim, hit.draft) else { continue };
        let attributions = match by_draft.entry(draft) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => entry.insert(
                attributions_of_draft(store, DraftId(draft))?.into_iter().map(|(id, a)| (id, a.kind)).collect(),
            ),
        };
        if attributions.get(&ClaimId(claim)).is_some_and(|kind| wanted.contains(kind)) {
            kept.push(hit);
        }
    }
    Ok(kept)
}

/// Keeps the hits on a claim assigned to `person` (the claim, its notes and
/// evidence) or in a draft assigned to them.
fn assigned_to(store: &Store, found: Vec<Found>, person: &str) -> Result<Vec<Found>, SearchError> {
    let mut answers: HashMap<(bool, i64), bool> = HashMap::new();
    let mut is_theirs = |target: AssignmentTarget| -> Result<bool, StoreError> {
        let key = match target {
            AssignmentTarget::Claim(claim) => (true, claim.0),
            AssignmentTarget::Draft(draft) => (false, draft.0),
        };
        if let Some(known) = answers.get(&key) {
            return Ok(*known);
        }
        let theirs = store.live_assignment(target)?.is_some_and(|a| a.assignee == person);
        answers.insert(key, theirs);
        Ok(theirs)
    };
    let mut kept = Vec::new();
    for hit in found {
        let claim = match hit.claim {
            Some(claim) => is_theirs(AssignmentTarget::Claim(ClaimId(claim)))?,
            None => false,
        };
        let draft = match hit.draft {
            Some(draft) if !claim => is_theirs(AssignmentTarget::Draft(DraftId(draft)))?,
            _ => false,
        };
        if claim || draft {
            kept.push(hit);
        }
    }
    Ok(kept)
}

/// Adds the snippet (and, for a draft, where its first match is).
fn complete(store: &Store, expression: &str, finder: &highlight::Finder, hit: Found) -> Result<SearchHit, SearchError> {
    let (snippet, passage) = match hit.kind {
        HitKind::Draft => {
            // The text read as it is stored and its words found here, only as far as the snippet
            // needs: FTS5's highlight() tokenized the whole 10 KB again, through the index, for
            // each hit (about 0.2 ms a hit, the floor of any query with 50 draft hits).
            let text = store.search_draft_text(hit.id)?.unwrap_or_default();
            draft_snippet(&text, finder)
        }
        kind => {
            let marked = store.search_item_snippet(
                expression,
                (&MATCH_START.to_string(), &MATCH_END.to_string(), &CUT.to_string()),
                SNIPPET_TOKENS,
                item_rowid(kind, hit.id),
            )?;
            (parse_snippet(&marked.unwrap_or_default()), None)
        }
    };
    Ok(SearchHit {
        kind: hit.kind,
        id: hit.id,
        draft: hit.draft.map(DraftId),
        draft_path: hit.draft_path,
        claim: hit.claim.map(ClaimId),
        snippet,
        score: score_of(hit.rank),
        passage,
    })
}

/// Adds the snippet (and, for a draft, where its first match is) from the
/// item's text, on a team store.
fn complete_from_text(store: &Store, finder: &highlight::Finder, hit: Found) -> Result<SearchHit, SearchError> {
    let (snippet, passage) = match hit.kind {
        HitKind::Draft => {
            let text = store.search_draft_text(hit.id)?.unwrap_or_default();
            draft_snippet(&text, finder)
        }
        kind => {
            let text = store.search_item_text(kind.as_str(), hit.id)?.unwrap_or_default();
            (item_snippet(&text, finder.phrases()), None)
        }
    };
    Ok(SearchHit {
        kind: hit.kind,
        id: hit.id,
        draft: hit.draft.map(DraftId),
        draft_path: hit.draft_path,
        claim: hit.claim.map(ClaimId),
        snippet,
        score: score_of(hit.rank),
        passage,
    })
}

/// A hit's score from its rank: negated, and `0.0 - rank` so that a rank of
/// 0 (newest first) is a score of 0, not `-0.0` in JSON.
fn score_of(rank: f64) -> f64 {
    0.0 - rank
}

/// A draft's snippet and where its first match is: its words are read only
/// around its first match and up to the end of the snippet.
fn draft_snippet(text: &str, finder: &highlight::Finder) -> (Snippet, Option<Span>) {
    let spans = finder.matches_up_to_first(text, SNIPPET_CHARS);
    cut_around_first_match(text, &spans_of(&spans))
}

/// Code-point spans as [`Span`]s.
fn spans_of(spans: &[(usize, usize)]) -> Vec<Span> {
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    spans.iter().map(|(start, end)| Span { start: at(*start), end: at(*end) }).collect()
}

/// An item's snippet: the whole text when it has at most [`SNIPPET_TOKENS`]
/// words, else that many words from a little before the first match, `…`
/// where cut (FTS5's `snippet()` makes the same shape on SQLite).
fn item_snippet(text: &str, phrases: &[highlight::Phrase]) -> Snippet {
    let tokens = highlight::tokens(text);
    let spans = highlight::matches(&tokens, phrases);
    let window = SNIPPET_TOKENS as usize;
    if tokens.len() <= window {
        return Snippet { text: text.to_owned(), highlights: spans_of(&spans) };
    }
    let first = spans.first().map_or(0, |(start, _)| tokens.iter().position(|t| t.end > *start).unwrap_or(0));
    let from = first.saturating_sub(2).min(tokens.len() - window);
    let to = from + window;
    let (start, end) = (tokens[from].start, tokens[to - 1].end);
    let lead = usize::from(from > 0);
    let mut cut: String = if lead == 1 { "…".into() } else { String::new() };
    cut.extend(text.chars().skip(start).take(end - start));
    if to < tokens.len() {
        cut.push('…');
    }
    let shifted: Vec<(usize, usize)> = spans
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start + lead, e - start + lead))
        .collect();
    Snippet { text: cut, highlights: spans_of(&shifted) }
}

/// Code points of context kept before the first match and in a whole snippet.
const CONTEXT_BEFORE: usize = 60;
const SNIPPET_CHARS: usize = 200;

/// A snippet of a whole highlighted text: about [`SNIPPET_CHARS`] code points
/// from a little before its first match, cut at spaces, `…` where cut; and
/// that first match's place in the whole text. Only the code points the
/// snippet can hold are copied out of the text (a draft is 10 KB and more, and
/// 50 hits copied whole were a millisecond).
fn cut_around_first_match(text: &str, highlights: &[Span]) -> (Snippet, Option<Span>) {
    let first = highlights.first().copied();
    let anchor = first.map_or(0, |f| f.start as usize);
    let mut start = anchor.saturating_sub(CONTEXT_BEFORE);
    // Code points `base..` of the text: the snippet ends before `anchor + SNIPPET_CHARS`, and one
    // more tells whether the text goes on.
    let base = start;
    let chars: Vec<char> = text.chars().skip(base).take(CONTEXT_BEFORE + SNIPPET_CHARS + 1).collect();
    let total = base + chars.len();
    let at = |i: usize| chars[i - base];
    if start > 0 {
        // Start on a word: after the first space following the cut, unless that passes the match.
        if let Some(space) = (start..anchor).position(|i| at(i).is_whitespace()) {
            start += space + 1;
        }
    }
    let mut end = (start + SNIPPET_CHARS).min(total);
    if end < total {
        let last_match_end = first.map_or(0, |f| f.end as usize);
        if let Some(space) = (last_match_end.min(end)..end).rposition(|i| at(i).is_whitespace()) {
            end = last_match_end.min(end) + space;
        }
    }
    let lead = usize::from(start > 0);
    let mut cut: String = if lead == 1 { "…".into() } else { String::new() };
    cut.extend(&chars[start - base..end - base]);
    if end < total {
        cut.push('…');
    }
    let shift = |at: u32| u32::try_from(at as usize - start + lead).unwrap_or(u32::MAX);
    let highlights = highlights
        .iter()
        .filter(|s| s.start as usize >= start && s.end as usize <= end)
        .map(|s| Span { start: shift(s.start), end: shift(s.end) })
        .collect();
    (Snippet { text: cut, highlights }, first)
}

/// FTS5's own check that the index holds exactly the words of the rows it
/// covers (for the drafts, compared with their current text): a trigger
/// that missed a change shows here.
pub fn check_index(store: &Store) -> Result<(), SearchError> {
    Ok(store.check_search_index()?)
}

/// The index's rowid of an item (see the migration: id * 4 + kind).
fn item_rowid(kind: HitKind, id: i64) -> i64 {
    let code = match kind {
        HitKind::Claim | HitKind::Draft => 0,
        HitKind::Note => 1,
        HitKind::Evidence => 2,
        HitKind::Source => 3,
    };
    id.saturating_mul(4).saturating_add(code)
}

/// Turns snippet() output into text and highlight spans (code points).
fn parse_snippet(marked: &str) -> Snippet {
    let mut text = String::with_capacity(marked.len());
    let mut highlights = Vec::new();
    let mut at: u32 = 0;
    let mut open: Option<u32> = None;
    for c in marked.chars() {
        match c {
            MATCH_START => open = Some(at),
            MATCH_END => {
                if let Some(start) = open.take() {
                    if start < at {
                        highlights.push(Span { start, end: at });
                    }
                }
            }
            CUT => {
                text.push('…');
                at += 1;
            }
            other => {
                text.push(other);
                at += 1;
            }
        }
    }
    Snippet { text, highlights }
}

/// A term of a query as typed: words (a phrase when quoted), a prefix
/// when it ends in `*`, left out when it starts with `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    text: String,
    prefix: bool,
    excluded: bool,
}

/// Reads what the reviewer typed: every term a quoted string to the index,
/// so no input is query syntax; at least one term must be required.
fn parse_terms(typed: &str) -> Result<Vec<Term>, SearchError> {
    let mut terms = Vec::new();
    let mut chars = typed.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-' && chars.clone().nth(1).is_some_and(|n| !n.is_whitespace());
        if negated {
            chars.next();
        }
        let (body, prefix) = if chars.peek() == Some(&'"') {
            chars.next();
            let mut phrase = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                phrase.push(c);
            }
            let mut prefix = false;
            while chars.peek() == Some(&'*') {
                chars.next();
                prefix = true;
            }
            (phrase, prefix)
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            let stem = word.trim_end_matches('*');
            let prefix = stem.len() < word.len();
            (stem.to_owned(), prefix)
        };
        // A term with nothing the tokenizer keeps (a dash, `$`) would be an empty phrase.
        if !body.chars().any(char::is_alphanumeric) {
            continue;
        }
        terms.push(Term { text: body, prefix, excluded: negated });
    }
    if terms.iter().all(|t| t.excluded) {
        return Err(SearchError::EmptyQuery);
    }
    Ok(terms)
}

/// The terms as an FTS5 expression in which every term is a quoted string:
/// all positive terms required, `-term` excluded, `"…"` a phrase, a
/// trailing `*` a prefix.
fn fts5_of(terms: &[Term]) -> String {
    let quoted = |t: &Term| format!("\"{}\"{}", t.text.replace('"', "\"\""), if t.prefix { " *" } else { "" });
    let required: Vec<String> = terms.iter().filter(|t| !t.excluded).map(quoted).collect();
    let mut expression = format!("({})", required.join(" AND "));
    for term in terms.iter().filter(|t| t.excluded) {
        expression.push_str(" NOT ");
        expression.push_str(&quoted(term));
    }
    expression
}

/// The terms as the team store's `search_query()` reads them.
fn json_of(terms: &[Term]) -> String {
    let terms: Vec<serde_json::Value> =
        terms.iter().map(|t| serde_json::json!({"text": t.text, "prefix": t.prefix, "excluded": t.excluded})).collect();
    serde_json::Value::from(terms).to_string()
}

/// What the reviewer typed as an FTS5 expression (see [`fts5_of`]).
#[cfg(test)]
fn fts_expression(typed: &str) -> Result<String, SearchError> {
    Ok(fts5_of(&parse_terms(typed)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_queries_become_quoted_terms() {
        assert_eq!(fts_expression("ministry figures").unwrap(), "(\"ministry\" AND \"figures\")");
        assert_eq!(fts_expression("\"according to sources\"").unwrap(), "(\"according to sources\")");
        assert_eq!(fts_expression("minist*").unwrap(), "(\"minist\" *)");
        assert_eq!(fts_expression("$1.2bn -U.S.").unwrap(), "(\"$1.2bn\") NOT \"U.S.\"");
        assert_eq!(fts_expression("a - b").unwrap(), "(\"a\" AND \"b\")");
        // FTS5 operators and column filters are only words here.
        assert_eq!(fts_expression("body: NEAR(x) OR").unwrap(), "(\"body:\" AND \"NEAR(x)\" AND \"OR\")");
        assert_eq!(fts_expression("\"unterminated phrase").unwrap(), "(\"unterminated phrase\")");
        assert!(matches!(fts_expression("  $ — * "), Err(SearchError::EmptyQuery)));
        assert!(matches!(fts_expression("-excluded"), Err(SearchError::EmptyQuery)));
    }

    #[test]
    fn a_long_text_is_cut_around_its_first_match_on_word_boundaries() {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let mut marked = words[..40].join(" ");
        marked.push_str(&format!(" {MATCH_START}target{MATCH_END} "));
        marked.push_str(&words[40..].join(" "));
        let whole = parse_snippet(&marked);
        let (snippet, first) = cut_around_first_match(&whole.text, &whole.highlights);
        let first = first.expect("a match");
        let found: String = whole.text.chars().skip(first.start as usize).take(6).collect();
        assert_eq!(found, "target");
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'), "{}", snippet.text);
        assert!(snippet.text.chars().nth(1).is_some_and(|c| c == 'w'), "starts on a word: {}", snippet.text);
        let span = snippet.highlights[0];
        let shown: String =
            snippet.text.chars().skip(span.start as usize).take((span.end - span.start) as usize).collect();
        assert_eq!(shown, "target");
        assert!(snippet.text.chars().count() <= SNIPPET_CHARS + 2);
        // A short text is whole, uncut.
        let whole = parse_snippet(&format!("a {MATCH_START}b{MATCH_END} c"));
        let (short, _) = cut_around_first_match(&whole.text, &whole.highlights);
        assert_eq!((short.text.as_str(), short.highlights.clone()), ("a b c", vec![Span { start: 2, end: 3 }]));
    }

    #[test]
    fn snippet_markers_become_spans() {
        let marked = format!("{CUT}the {MATCH_START}ministry{MATCH_END}’s {MATCH_START}figures{MATCH_END}{CUT}");
        let snippet = parse_snippet(&marked);
        assert_eq!(snippet.text, "…the ministry’s figures…");
        assert_eq!(snippet.highlights, vec![Span { start: 5, end: 13 }, Span { start: 16, end: 23 }]);
    }
}
