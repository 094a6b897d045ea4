//! Suggestion decisions: the `suggestion_dismissals` table.

use super::engine::params;
use super::{DraftId, Store, StoreError};
use crate::clock::to_rfc3339;
use chrono::{DateTime, Utc};

impl Store {
    /// Hides the suggestion for `sentence` on a draft (until the sentence changes).
    pub fn dismiss_suggestion(
        &self,
        draft: DraftId,
        sentence: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO suggestion_dismissals (draft_id, sentence_hash, sentence, dismissed_by, dismissed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(draft_id, sentence_hash) DO NOTHING",
        )?
        .execute(params![
            draft,
            crate::ingest::hex_sha256(sentence.as_bytes()),
            sentence,
            by,
            to_rfc3339(at)
        ])?;
        Ok(())
    }

    /// Offers again the suggestion for `sentence`; returns whether it was dismissed.
    pub fn undismiss_suggestion(&self, draft: DraftId, sentence: &str) -> Result<bool, StoreError> {
        let deleted = self
            .prepare_cached("DELETE FROM suggestion_dismissals WHERE draft_id = ?1 AND sentence_hash = ?2")?
            .execute(params![draft, crate::ingest::hex_sha256(sentence.as_bytes())])?;
        Ok(deleted > 0)
    }

    /// The hashes of the sentences whose suggestions were dismissed on a draft.
    pub fn dismissed_sentences(&self, draft: DraftId) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut stmt = self.prepare_cached("SELECT sentence_hash FROM suggestion_dismissals WHERE draft_id = ?1")?;
        let rows = stmt.query_map([draft], |row| row.get(0))?;
        rows.collect::<Result<_, StoreError>>()
    }
}
