//! The review of a draft as it stood when it was published: the `published_reviews` table.

use super::engine::{params, Optional};
use super::{DraftId, Store, StoreError, VersionId};

/// A published record as stored: its review is a JSON document the domain reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRecord {
    pub version: Option<VersionId>,
    pub published_by: String,
    pub published_at: String,
    pub record: String,
}

impl Store {
    /// Keeps the review of `draft` as it stands at publication.
    pub fn insert_published_review(
        &self,
        draft: DraftId,
        version: Option<VersionId>,
        by: &str,
        at: &str,
        record: &str,
    ) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO published_reviews (draft_id, version_id, published_by, published_at, record)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![draft, version, by, at, record])?;
        Ok(())
    }

    /// The last published record of a draft, if it was published.
    pub fn last_published_review(&self, draft: DraftId) -> Result<Option<PublishedRecord>, StoreError> {
        self.prepare_cached(
            "SELECT version_id, published_by, published_at, record FROM published_reviews
                 WHERE draft_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([draft], |row| {
            Ok(PublishedRecord {
                version: row.get::<Option<i64>>(0)?.map(VersionId),
                published_by: row.get(1)?,
                published_at: row.get(2)?,
                record: row.get(3)?,
            })
        })
        .optional()
    }
}
