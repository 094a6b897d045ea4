//! Evidence on claims: the `evidence` table. Kinds and stances are stored
//! as text; the domain parses them.

use super::engine::{params, Optional, Row};
use super::{ClaimId, EvidenceId, Store, StoreError};

/// An evidence row's columns, and whether it is removed.
const EVIDENCE_COLUMNS: &str = "id, claim_id, kind, reference, summary, obtained_at, independent, stance, added_by, \
     added_at, removed_at IS NOT NULL";

/// An evidence row as stored (kind and stance still text), and whether it is removed.
pub type EvidenceRow =
    (EvidenceId, ClaimId, String, String, String, Option<String>, bool, String, String, String, bool);

fn evidence_row(row: &Row<'_>) -> Result<EvidenceRow, StoreError> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
        row.get(10)?,
    ))
}

/// An evidence item to store.
#[derive(Debug, Clone, Copy)]
pub struct NewEvidenceRecord<'a> {
    pub claim: ClaimId,
    pub kind: &'a str,
    pub reference: &'a str,
    pub summary: &'a str,
    pub obtained_at: Option<&'a str>,
    pub independent: bool,
    pub stance: &'a str,
    pub by: &'a str,
    pub at: &'a str,
}

impl Store {
    /// A claim's live evidence, oldest first.
    pub fn evidence_of_claim(&self, claim: ClaimId) -> Result<Vec<EvidenceRow>, StoreError> {
        let sql =
            format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE claim_id = ?1 AND removed_at IS NULL ORDER BY id");
        self.prepare_cached(&sql)?.query_map([claim], evidence_row)?.collect::<Result<_, StoreError>>()
    }

    /// One evidence item, removed or not.
    pub fn evidence_item(&self, id: EvidenceId) -> Result<Option<EvidenceRow>, StoreError> {
        let sql = format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE id = ?1");
        self.prepare_cached(&sql)?.query_row([id], evidence_row).optional()
    }

    /// Stores an evidence item.
    pub fn insert_evidence(&self, new: &NewEvidenceRecord<'_>) -> Result<EvidenceId, StoreError> {
        self.prepare_cached(
            "INSERT INTO evidence (claim_id, kind, reference, summary, obtained_at, independent, stance,
                                       added_by, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        )?
        .query_row(
            params![
                new.claim,
                new.kind,
                new.reference,
                new.summary,
                new.obtained_at,
                new.independent,
                new.stance,
                new.by,
                new.at
            ],
            |row| row.get(0),
        )
    }

    /// Marks an evidence item removed; returns whether it was live.
    pub fn remove_evidence(&self, id: EvidenceId, at: &str, by: &str) -> Result<bool, StoreError> {
        let removed = self
            .prepare_cached(
                "UPDATE evidence SET removed_at = ?2, removed_by = ?3 WHERE id = ?1 AND removed_at IS NULL",
            )?
            .execute(params![id, at, by])?;
        Ok(removed > 0)
    }

    /// Brings back a removed evidence item; returns whether it still was removed.
    pub fn restore_evidence(&self, id: EvidenceId) -> Result<bool, StoreError> {
        let restored = self
            .prepare_cached(
                "UPDATE evidence SET removed_at = NULL, removed_by = NULL WHERE id = ?1 AND removed_at IS NOT NULL",
            )?
            .execute([id])?;
        Ok(restored > 0)
    }
}
