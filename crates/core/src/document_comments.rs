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
//! ids on every save. Its rows are read and written through
//! `store::document_comments`.

use crate::anchor::{describe, TextPositionSelector, TextQuoteSelector};
use crate::ingest::{hex_sha256, DocumentComment};
use crate::store::document_comments::DocumentCommentWrite;
use crate::store::{DraftId, Store, StoreError};
use serde::{Deserialize, Serialize};

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
/// the document whose canonical text is `text`. On a team store, a login
/// that may not see the draft's claims (a reporter's Factdesk scanning
/// another reporter's document) may not write its comments either
/// (migrations/postgres/0024): they are left as they are, for a login that
/// sees them (its scan of a new version, or its opening of the draft, see
/// [`in_step`]), as a ready draft's re-check is.
pub fn sync(
    store: &Store,
    draft: DraftId,
    text: &str,
    comments: &[DocumentComment],
    now: &str,
) -> Result<(), StoreError> {
    if !store.login_sees_claims_of(draft)? {
        return Ok(());
    }
    let read: Vec<_> = comments.iter().map(|comment| (comment, key(comment), quote_of(text, comment))).collect();
    let writes: Vec<_> = read
        .iter()
        .map(|(comment, key, quote)| DocumentCommentWrite {
            key,
            author: &comment.author,
            date: comment.date.as_deref(),
            body: &comment.text,
            quote_exact: &quote.exact,
            quote_prefix: &quote.prefix,
            quote_suffix: &quote.suffix,
            resolved: comment.resolved,
        })
        .collect();
    store.sync_document_comments(draft, &writes, now)
}

/// Whether the draft's stored comments are those `comments` (its document's
/// now) hold: the same comments present, each resolved as the file says.
/// Opening a document brings them in step when not: a scan by a login that
/// could not write them ([`sync`]) recorded the file's new version without
/// them, and no later scan reads that file again until it changes.
pub fn in_step(store: &Store, draft: DraftId, comments: &[DocumentComment]) -> Result<bool, StoreError> {
    let mut stored: Vec<(String, bool)> = store
        .document_comments(draft)?
        .into_iter()
        .filter(|row| row.removed_at.is_none())
        .map(|row| (row.key, row.resolved))
        .collect();
    // A document may hold the same comment twice: one row.
    let mut file: Vec<(String, bool)> = comments.iter().map(|comment| (key(comment), comment.resolved)).collect();
    for side in [&mut stored, &mut file] {
        side.sort();
        side.dedup();
    }
    Ok(stored == file)
}

/// The draft's document comments, open ones first, then resolved, then
/// removed; `current` (the comments of the file as it is now, when it holds
/// the version shown) gives the spans.
pub fn list(
    store: &Store,
    draft: DraftId,
    current: Option<&[DocumentComment]>,
) -> Result<Vec<DocumentNote>, StoreError> {
    let rows = store.document_comments(draft)?.into_iter().map(|row| {
        let state = match (&row.removed_at, row.resolved) {
            (Some(_), _) => CommentState::Removed,
            (None, true) => CommentState::Resolved,
            (None, false) => CommentState::Open,
        };
        (
            row.key,
            DocumentNote {
                id: row.id,
                author: row.author,
                date: row.date,
                text: row.body,
                quote: TextQuoteSelector { exact: row.quote_exact, prefix: row.quote_prefix, suffix: row.quote_suffix },
                state,
                removed_at: row.removed_at,
                start: None,
                end: None,
            },
        )
    });
    let mut notes = Vec::new();
    for (key_of_row, mut note) in rows {
        if let Some(comment) = current.and_then(|c| c.iter().find(|c| key(c) == key_of_row)) {
            note.start = Some(comment.start);
            note.end = Some(comment.end);
        }
        notes.push(note);
    }
    notes.sort_by_key(|n| (n.state as u8, n.start.unwrap_or(u32::MAX), n.id));
    Ok(notes)
}
