//! The comments a .docx or .odt draft carries (Word comments, LibreOffice
//! annotations), kept as read-only notes of the draft.
//!
//! Each read of the document brings the table in step with it: a comment
//! still in the file is open or resolved as the file says, on the span it
//! comments (as a claim is: a W3C TextQuoteSelector, and exact offsets on
//! the current version); a comment a later save no longer holds is kept and
//! shown resolved, marked removed, on the words it was last on. Nothing here
//! writes to the document: these notes are edited in Word or LibreOffice.
//!
//! A comment is known by its author, date and text: Word renumbers comment
//! ids on every save. All of this module's SQL is here.

use crate::anchor::{describe, TextPositionSelector, TextQuoteSelector};
use crate::ingest::{hex_sha256, DocumentComment};
use crate::store::{DraftId, Store, StoreError};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Where a document's comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum CommentState {
    Open,
    /// Marked done in the document.
    Resolved,
    /// No longer in the document: removed, or resolved by deleting it.
    Removed,
}

/// A document's comment as the reader shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DocumentNote {
    pub id: i64,
    pub author: String,
    /// As the document gives it (ISO 8601).
    pub date: Option<String>,
    pub text: String,
    pub quote: TextQuoteSelector,
    pub state: CommentState,
    /// When a save of the document no longer held it.
    pub removed_at: Option<String>,
    /// Its span on the current version, while the document holds it.
    pub start: Option<u32>,
    pub end: Option<u32>,
}

fn key(comment: &DocumentComment) -> String {
    hex_sha256(format!("{}\0{}\0{}", comment.author, comment.date.as_deref().unwrap_or(""), comment.text).as_bytes())
}

fn quote_of(text: &str, comment: &DocumentComment) -> TextQuoteSelector {
    describe(text, TextPositionSelector { start: comment.start, end: comment.end }).map_or_else(
        // A comment on a point (no span) keeps its context only.
        |_| TextQuoteSelector { exact: String::new(), prefix: String::new(), suffix: String::new() },
        |anchor| anchor.quote,
    )
}

/// Brings the draft's document comments in step with `comments`, read from
/// the document whose canonical text is `text`.
pub fn sync(
    store: &Store,
    draft: DraftId,
    text: &str,
    comments: &[DocumentComment],
    now: &str,
) -> Result<(), StoreError> {
    let conn = store.conn();
    let mut present = HashSet::new();
    let mut upsert = conn.prepare_cached(
        "INSERT INTO document_comments (draft_id, comment_key, author, written_at, body, quote_exact, quote_prefix,
                                        quote_suffix, resolved, removed_at, first_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10)
         ON CONFLICT (draft_id, comment_key) DO UPDATE SET
             quote_exact = excluded.quote_exact, quote_prefix = excluded.quote_prefix,
             quote_suffix = excluded.quote_suffix, resolved = excluded.resolved, removed_at = NULL",
    )?;
    for comment in comments {
        let key = key(comment);
        let quote = quote_of(text, comment);
        upsert.execute(params![
            draft.0,
            key,
            comment.author,
            comment.date,
            comment.text,
            quote.exact,
            quote.prefix,
            quote.suffix,
            comment.resolved,
            now
        ])?;
        present.insert(key);
    }
    let mut known =
        conn.prepare_cached("SELECT comment_key FROM document_comments WHERE draft_id = ?1 AND removed_at IS NULL")?;
    let gone: Vec<String> = known
        .query_map([draft.0], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|key| !present.contains(key))
        .collect();
    let mut remove =
        conn.prepare_cached("UPDATE document_comments SET removed_at = ?3 WHERE draft_id = ?1 AND comment_key = ?2")?;
    for key in gone {
        remove.execute(params![draft.0, key, now])?;
    }
    Ok(())
}

/// The draft's document comments, open ones first, then resolved, then
/// removed; `current` (the comments of the file as it is now, when it holds
/// the version shown) gives the spans.
pub fn list(
    store: &Store,
    draft: DraftId,
    current: Option<&[DocumentComment]>,
) -> Result<Vec<DocumentNote>, StoreError> {
    let mut stmt = store.conn().prepare_cached(
        "SELECT id, comment_key, author, written_at, body, quote_exact, quote_prefix, quote_suffix, resolved, removed_at
         FROM document_comments WHERE draft_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([draft.0], |row| {
        Ok((
            row.get::<_, String>(1)?,
            DocumentNote {
                id: row.get(0)?,
                author: row.get(2)?,
                date: row.get(3)?,
                text: row.get(4)?,
                quote: TextQuoteSelector { exact: row.get(5)?, prefix: row.get(6)?, suffix: row.get(7)? },
                state: match (row.get::<_, Option<String>>(9)?, row.get::<_, bool>(8)?) {
                    (Some(_), _) => CommentState::Removed,
                    (None, true) => CommentState::Resolved,
                    (None, false) => CommentState::Open,
                },
                removed_at: row.get(9)?,
                start: None,
                end: None,
            },
        ))
    })?;
    let mut notes = Vec::new();
    for row in rows {
        let (key_of_row, mut note) = row?;
        if let Some(comment) = current.and_then(|c| c.iter().find(|c| key(c) == key_of_row)) {
            note.start = Some(comment.start);
            note.end = Some(comment.end);
        }
        notes.push(note);
    }
    notes.sort_by_key(|n| (n.state as u8, n.start.unwrap_or(u32::MAX), n.id));
    Ok(notes)
}
