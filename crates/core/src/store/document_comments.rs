//! The comments a .docx or .odt draft carries: the `document_comments` table.
//! What they mean (open, resolved, gone from the file) is the domain's
//! (`crate::document_comments`); rows are keyed by the comment's content key.

use super::engine::params;
use super::{DraftId, Store, StoreError};

/// One comment as read from the document, to be upserted.
pub struct DocumentCommentWrite<'a> {
    pub key: &'a str,
    pub author: &'a str,
    pub date: Option<&'a str>,
    pub body: &'a str,
    pub quote_exact: &'a str,
    pub quote_prefix: &'a str,
    pub quote_suffix: &'a str,
    pub resolved: bool,
}

/// A stored document comment.
pub struct DocumentCommentRow {
    pub id: i64,
    pub key: String,
    pub author: String,
    pub date: Option<String>,
    pub body: String,
    pub quote_exact: String,
    pub quote_prefix: String,
    pub quote_suffix: String,
    pub resolved: bool,
    pub removed_at: Option<String>,
}

impl Store {
    /// Brings the draft's comments in step with `comments`, those its
    /// document holds now (in its order): each recorded (again present if it
    /// was gone), the others still present marked gone at `now`.
    pub fn sync_document_comments(
        &self,
        draft: DraftId,
        comments: &[DocumentCommentWrite<'_>],
        now: &str,
    ) -> Result<(), StoreError> {
        if self.is_team_store() {
            // A reporter's Factdesk brings another reporter's document comments in step with the file it
            // found in the folder, but may not read them (row-level security, migrations/postgres/0015):
            // the server does it, and tells nothing back.
            let given: Vec<_> = comments
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "key": c.key, "author": c.author, "date": c.date, "body": c.body,
                        "quote_exact": c.quote_exact, "quote_prefix": c.quote_prefix,
                        "quote_suffix": c.quote_suffix, "resolved": c.resolved,
                    })
                })
                .collect();
            let given = serde_json::Value::Array(given).to_string();
            self.prepare_cached("SELECT factdesk_sync_document_comments(?1, ?2, ?3)")?
                .query_row(params![draft, given, now], |_| Ok(()))?;
            return Ok(());
        }
        let mut present = std::collections::HashSet::new();
        for comment in comments {
            self.upsert_document_comment(draft, comment, now)?;
            present.insert(comment.key);
        }
        for key in self.present_document_comment_keys(draft)? {
            if !present.contains(key.as_str()) {
                self.mark_document_comment_gone(draft, &key, now)?;
            }
        }
        Ok(())
    }

    /// Records a comment the document holds now (again present if it was gone).
    fn upsert_document_comment(
        &self,
        draft: DraftId,
        comment: &DocumentCommentWrite<'_>,
        now: &str,
    ) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO document_comments (draft_id, comment_key, author, written_at, body, quote_exact, quote_prefix,
                                                quote_suffix, resolved, removed_at, first_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10)
                 ON CONFLICT (draft_id, comment_key) DO UPDATE SET
                     quote_exact = excluded.quote_exact, quote_prefix = excluded.quote_prefix,
                     quote_suffix = excluded.quote_suffix, resolved = excluded.resolved, removed_at = NULL",
        )?
        .execute(params![
            draft,
            comment.key,
            comment.author,
            comment.date,
            comment.body,
            comment.quote_exact,
            comment.quote_prefix,
            comment.quote_suffix,
            comment.resolved,
            now
        ])?;
        Ok(())
    }

    /// The keys of the draft's comments still in its document.
    fn present_document_comment_keys(&self, draft: DraftId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .prepare_cached("SELECT comment_key FROM document_comments WHERE draft_id = ?1 AND removed_at IS NULL")?;
        let keys = stmt.query_map([draft], |row| row.get::<String>(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(keys)
    }

    /// Marks a comment as no longer in the document.
    fn mark_document_comment_gone(&self, draft: DraftId, key: &str, now: &str) -> Result<(), StoreError> {
        self.prepare_cached("UPDATE document_comments SET removed_at = ?3 WHERE draft_id = ?1 AND comment_key = ?2")?
            .execute(params![draft, key, now])?;
        Ok(())
    }

    /// Every comment of the draft's document, in the order first seen.
    pub fn document_comments(&self, draft: DraftId) -> Result<Vec<DocumentCommentRow>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT id, comment_key, author, written_at, body, quote_exact, quote_prefix, quote_suffix, resolved, removed_at
             FROM document_comments WHERE draft_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([draft], |row| {
                Ok(DocumentCommentRow {
                    id: row.get(0)?,
                    key: row.get(1)?,
                    author: row.get(2)?,
                    date: row.get(3)?,
                    body: row.get(4)?,
                    quote_exact: row.get(5)?,
                    quote_prefix: row.get(6)?,
                    quote_suffix: row.get(7)?,
                    resolved: row.get(8)?,
                    removed_at: row.get(9)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
