//! Sources and their links to claims: the `sources`, `source_confidential`
//! (plain confidential fields, for a desk without a vault), `source_sealed`
//! (sealed ones, for a desk with a vault) and `claim_sources` tables.
//! Sealing and opening happen above the store: it only keeps the bytes.

use super::engine::{params, Optional, Row};
use super::{ClaimId, DeskId, DraftId, SourceId, Store, StoreError};
use serde::{Deserialize, Serialize};

/// The confidential side of an unnamed source, following AP/NYT/SPJ
/// practice. Each field is optional; blank counts as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Confidential {
    /// Who the source really is.
    pub identity: Option<String>,
    pub contact: Option<String>,
    /// Whether the source saw or heard it first-hand.
    pub first_hand: Option<bool>,
    /// How the source knows what it says.
    pub how_known: Option<String>,
    /// Why anonymity was granted.
    pub anonymity_reason: Option<String>,
    /// The editor who knows the source's identity.
    pub editor_knows: Option<String>,
    /// Who approved using the source anonymously.
    pub approved_by: Option<String>,
}

/// Which confidential fields are recorded, without their content: what the
/// UI shows masked, and what the rules check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConfidentialRecorded {
    pub identity: bool,
    pub contact: bool,
    pub first_hand: bool,
    pub how_known: bool,
    pub anonymity_reason: bool,
    pub editor_knows: bool,
    pub approved_by: bool,
}

/// A source's row, public fields only; its kind as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    pub id: SourceId,
    pub desk: DeskId,
    pub descriptor: String,
    pub kind: String,
    pub notes: String,
    pub confidential: ConfidentialRecorded,
    pub created_by: String,
    pub created_at: String,
    pub updated_by: String,
    pub updated_at: String,
    /// Counts the changes of its public fields: the version an edit is compared with (no silent overwrite).
    pub version: i64,
}

/// A claim's live link to a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    pub source: SourceId,
    pub role: String,
    pub linked_by: String,
    pub linked_at: String,
}

/// A link's row, live or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkState {
    pub removed_at: Option<String>,
    /// What it was removed with (`source:N`), when it went with its source.
    pub removed_with: Option<String>,
    pub role: String,
}

/// One sealed confidential field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedField {
    pub source: SourceId,
    pub field: String,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

// A field is recorded when its plain column holds it (a desk without a
// vault) or when a sealed row does (a desk with one): the view
// `source_fields_recorded` (migration 0017) says which, never what, so a
// team store's login without the right to identities reads it too.
const SOURCE_COLUMNS: &str = "s.id, s.desk_id, s.descriptor, s.kind, s.notes, s.created_by, s.created_at, \
     s.updated_by, s.updated_at, \
     r.identity, r.contact, r.first_hand, r.how_known, r.anonymity_reason, r.editor_knows, r.approved_by, \
     s.version";
const SOURCE_FROM: &str = "sources s JOIN source_fields_recorded r ON r.source_id = s.id";

fn source_from_row(row: &Row<'_>) -> Result<SourceRecord, StoreError> {
    Ok(SourceRecord {
        id: row.get(0)?,
        desk: row.get(1)?,
        descriptor: row.get(2)?,
        kind: row.get(3)?,
        notes: row.get(4)?,
        created_by: row.get(5)?,
        created_at: row.get(6)?,
        updated_by: row.get(7)?,
        updated_at: row.get(8)?,
        confidential: ConfidentialRecorded {
            identity: row.get::<Option<bool>>(9)?.unwrap_or(false),
            contact: row.get::<Option<bool>>(10)?.unwrap_or(false),
            first_hand: row.get::<Option<bool>>(11)?.unwrap_or(false),
            how_known: row.get::<Option<bool>>(12)?.unwrap_or(false),
            anonymity_reason: row.get::<Option<bool>>(13)?.unwrap_or(false),
            editor_knows: row.get::<Option<bool>>(14)?.unwrap_or(false),
            approved_by: row.get::<Option<bool>>(15)?.unwrap_or(false),
        },
        version: row.get(16)?,
    })
}

fn confidential_from_row(row: &Row<'_>) -> Result<Confidential, StoreError> {
    Ok(Confidential {
        identity: row.get(0)?,
        contact: row.get(1)?,
        first_hand: row.get(2)?,
        how_known: row.get(3)?,
        anonymity_reason: row.get(4)?,
        editor_knows: row.get(5)?,
        approved_by: row.get(6)?,
    })
}

impl Store {
    /// A source of the register, unless it was removed.
    pub fn source(&self, id: SourceId) -> Result<Option<SourceRecord>, StoreError> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM {SOURCE_FROM} WHERE s.id = ?1 AND s.removed_at IS NULL");
        self.prepare_cached(&sql)?.query_row([id], source_from_row).optional()
    }

    /// A desk's register by descriptor, removed sources left out.
    pub fn sources_of_desk(&self, desk: DeskId) -> Result<Vec<SourceRecord>, StoreError> {
        let sql = format!(
            "SELECT {SOURCE_COLUMNS} FROM {SOURCE_FROM} WHERE s.desk_id = ?1 AND s.removed_at IS NULL ORDER BY s.descriptor, s.id"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([desk], source_from_row)?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// The desk a source belongs to, removed or not.
    pub fn desk_of_source(&self, id: SourceId) -> Result<Option<DeskId>, StoreError> {
        self.prepare_cached("SELECT desk_id FROM sources WHERE id = ?1")?.query_row([id], |row| row.get(0)).optional()
    }

    /// Whether a source is removed; `None` when there is no such source.
    pub fn source_removed(&self, id: SourceId) -> Result<Option<bool>, StoreError> {
        self.prepare_cached("SELECT removed_at IS NOT NULL FROM sources WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()
    }

    /// Adds a source to a desk's register.
    pub fn insert_source(
        &self,
        desk: DeskId,
        descriptor: &str,
        kind: &str,
        notes: &str,
        by: &str,
        at: &str,
    ) -> Result<SourceId, StoreError> {
        self.prepare_cached(
            "INSERT INTO sources (desk_id, descriptor, kind, notes, created_by, created_at, updated_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6) RETURNING id",
        )?
        .query_row(params![desk, descriptor, kind, notes, by, at], |row| row.get(0))
    }

    /// Sets a source's public fields, raising its version unless the other
    /// part of the same change (its confidential fields) already did.
    #[allow(clippy::too_many_arguments)] // one per column the statement sets
    pub fn update_source(
        &self,
        id: SourceId,
        descriptor: &str,
        kind: &str,
        notes: &str,
        by: &str,
        at: &str,
        raise_version: bool,
    ) -> Result<(), StoreError> {
        self.prepare_cached(
            "UPDATE sources SET descriptor = ?2, kind = ?3, notes = ?4, updated_by = ?5, updated_at = ?6,
                 version = version + ?7 WHERE id = ?1",
        )?
        .execute(params![id, descriptor, kind, notes, by, at, i64::from(raise_version)])?;
        Ok(())
    }

    /// Counts a change of a source's confidential fields on its row: the
    /// version a later change is compared with, and who changed it when.
    pub fn count_source_change(&self, id: SourceId, by: &str, at: &str) -> Result<(), StoreError> {
        self.prepare_cached(
            "UPDATE sources SET updated_by = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
        )?
        .execute(params![id, by, at])?;
        Ok(())
    }

    /// Marks a source removed, by whom and when.
    pub fn mark_source_removed(&self, id: SourceId, at: &str, by: &str) -> Result<(), StoreError> {
        self.prepare_cached("UPDATE sources SET removed_at = ?2, removed_by = ?3 WHERE id = ?1")?
            .execute(params![id, at, by])?;
        Ok(())
    }

    /// Brings back a removed source; returns whether it was still removed.
    pub fn unmark_source_removed(&self, id: SourceId) -> Result<bool, StoreError> {
        let restored = self
            .prepare_cached(
                "UPDATE sources SET removed_at = NULL, removed_by = NULL WHERE id = ?1 AND removed_at IS NOT NULL",
            )?
            .execute([id])?;
        Ok(restored > 0)
    }

    // ---- confidential fields ---------------------------------------------

    /// A source's plain confidential fields, when it has a row of them.
    pub fn plain_confidential(&self, id: SourceId) -> Result<Option<Confidential>, StoreError> {
        self.prepare_cached(
            "SELECT identity, contact, first_hand, how_known, anonymity_reason, editor_knows, approved_by
                 FROM source_confidential WHERE source_id = ?1",
        )?
        .query_row([id], confidential_from_row)
        .optional()
    }

    /// Writes a source's plain confidential fields (all of them), by whom and when.
    pub fn put_plain_confidential(
        &self,
        id: SourceId,
        plain: &Confidential,
        by: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        self.prepare_cached(
                "INSERT INTO source_confidential (source_id, identity, contact, first_hand, how_known, anonymity_reason,
                                                  editor_knows, approved_by, updated_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(source_id) DO UPDATE SET identity = excluded.identity, contact = excluded.contact,
                     first_hand = excluded.first_hand, how_known = excluded.how_known,
                     anonymity_reason = excluded.anonymity_reason, editor_knows = excluded.editor_knows,
                     approved_by = excluded.approved_by, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )?
            .execute(params![
                id,
                plain.identity,
                plain.contact,
                plain.first_hand,
                plain.how_known,
                plain.anonymity_reason,
                plain.editor_knows,
                plain.approved_by,
                by,
                at
            ])?;
        Ok(())
    }

    /// Empties a source's plain confidential columns (its fields are sealed instead).
    pub fn clear_plain_confidential(&self, id: SourceId) -> Result<(), StoreError> {
        self.prepare_cached(
            "UPDATE source_confidential SET identity = NULL, contact = NULL, first_hand = NULL, how_known = NULL,
                     anonymity_reason = NULL, editor_knows = NULL, approved_by = NULL WHERE source_id = ?1",
        )?
        .execute([id])?;
        Ok(())
    }

    /// The sources of a desk that have a row of plain confidential fields.
    pub fn sources_with_plain_confidential(&self, desk: DeskId) -> Result<Vec<SourceId>, StoreError> {
        self.prepare(
            "SELECT c.source_id FROM source_confidential c JOIN sources s ON s.id = c.source_id WHERE s.desk_id = ?1",
        )?
        .query_map([desk], |row| row.get(0))?
        .collect::<Result<_, StoreError>>()
    }

    /// The sources of a desk (removed ones too) with some confidential field
    /// recorded, plain or sealed: the view `source_fields_recorded` says so
    /// for every source whoever asks, where a team store shows a login only
    /// the plain rows it may read (migrations/postgres/0039).
    pub fn sources_with_fields_recorded(&self, desk: DeskId) -> Result<Vec<SourceId>, StoreError> {
        self.prepare(
            "SELECT r.source_id FROM source_fields_recorded r JOIN sources s ON s.id = r.source_id
                 WHERE s.desk_id = ?1 AND (r.identity OR r.contact OR r.first_hand OR r.how_known
                                           OR r.anonymity_reason OR r.editor_knows OR r.approved_by)",
        )?
        .query_map([desk], |row| row.get(0))?
        .collect::<Result<_, StoreError>>()
    }

    /// A source's sealed fields.
    pub fn sealed_fields(&self, id: SourceId) -> Result<Vec<SealedField>, StoreError> {
        self.prepare_cached("SELECT field, nonce, ciphertext FROM source_sealed WHERE source_id = ?1")?
            .query_map([id], |row| {
                Ok(SealedField { source: id, field: row.get(0)?, nonce: row.get(1)?, ciphertext: row.get(2)? })
            })?
            .collect::<Result<_, StoreError>>()
    }

    /// Every sealed field of a desk's sources.
    pub fn sealed_fields_of_desk(&self, desk: DeskId) -> Result<Vec<SealedField>, StoreError> {
        self.prepare(
                "SELECT z.source_id, z.field, z.nonce, z.ciphertext FROM source_sealed z JOIN sources s ON s.id = z.source_id
                 WHERE s.desk_id = ?1",
            )?
            .query_map([desk], |row| {
                Ok(SealedField { source: row.get(0)?, field: row.get(1)?, nonce: row.get(2)?, ciphertext: row.get(3)? })
            })?
            .collect::<Result<_, StoreError>>()
    }

    /// Forgets every sealed field of a source.
    pub fn delete_sealed_fields(&self, id: SourceId) -> Result<(), StoreError> {
        self.prepare_cached("DELETE FROM source_sealed WHERE source_id = ?1")?.execute([id])?;
        Ok(())
    }

    /// Stores one sealed field of a source.
    pub fn insert_sealed_field(
        &self,
        id: SourceId,
        field: &str,
        nonce: &[u8],
        ciphertext: &[u8],
    ) -> Result<(), StoreError> {
        self.prepare_cached("INSERT INTO source_sealed (source_id, field, nonce, ciphertext) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![id, field, nonce, ciphertext])?;
        Ok(())
    }

    /// Replaces one sealed field of a source (re-sealed under a new key).
    pub fn update_sealed_field(&self, sealed: &SealedField) -> Result<(), StoreError> {
        self.prepare_cached(
            "UPDATE source_sealed SET nonce = ?3, ciphertext = ?4 WHERE source_id = ?1 AND field = ?2",
        )?
        .execute(params![sealed.source, sealed.field, sealed.nonce, sealed.ciphertext])?;
        Ok(())
    }

    // ---- links -----------------------------------------------------------

    /// A claim's live links in the order they were made; links to removed sources left out.
    pub fn live_links_of_claim(&self, claim: ClaimId) -> Result<Vec<LinkRecord>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT l.source_id, l.role, l.linked_by, l.linked_at FROM claim_sources l JOIN sources s ON s.id = l.source_id
             WHERE l.claim_id = ?1 AND l.removed_at IS NULL AND s.removed_at IS NULL ORDER BY l.linked_at, l.source_id",
        )?;
        let rows = stmt.query_map([claim], |row| {
            Ok(LinkRecord { source: row.get(0)?, role: row.get(1)?, linked_by: row.get(2)?, linked_at: row.get(3)? })
        })?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// The kinds of the sources one claim is attributed to, in the order
    /// they were linked (as [`Self::attributed_source_kinds_of_draft`] gives them).
    pub fn attributed_source_kinds_of_claim(&self, claim: ClaimId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT s.kind FROM claim_sources cs
               JOIN sources s ON s.id = cs.source_id
             WHERE cs.claim_id = ?1
               AND cs.role = 'attributed' AND cs.removed_at IS NULL AND s.removed_at IS NULL
             ORDER BY cs.linked_at, cs.source_id",
        )?;
        let kinds = stmt.query_map([claim], |row| row.get(0))?;
        kinds.collect::<Result<_, StoreError>>()
    }

    /// The kinds of the sources each live claim of `draft` is attributed to,
    /// in the order they were linked: one query for the whole draft.
    pub fn attributed_source_kinds_of_draft(&self, draft: DraftId) -> Result<Vec<(ClaimId, String)>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT cs.claim_id, s.kind FROM claim_sources cs
               JOIN sources s ON s.id = cs.source_id
               JOIN claims c ON c.id = cs.claim_id
             WHERE c.draft_id = ?1 AND c.removed_at IS NULL
               AND cs.role = 'attributed' AND cs.removed_at IS NULL AND s.removed_at IS NULL
             ORDER BY cs.claim_id, cs.linked_at, cs.source_id",
        )?;
        let kinds = stmt.query_map([draft], |row| Ok((row.get(0)?, row.get(1)?)))?;
        kinds.collect::<Result<_, StoreError>>()
    }

    /// The role of a claim's live link to a source, if any.
    pub fn live_link_role(&self, claim: ClaimId, source: SourceId) -> Result<Option<String>, StoreError> {
        self.prepare_cached(
            "SELECT role FROM claim_sources WHERE claim_id = ?1 AND source_id = ?2 AND removed_at IS NULL",
        )?
        .query_row(params![claim, source], |row| row.get(0))
        .optional()
    }

    /// A link's row, live or removed.
    pub fn link_state(&self, claim: ClaimId, source: SourceId) -> Result<Option<LinkState>, StoreError> {
        self.prepare_cached(
            "SELECT removed_at, removed_with, role FROM claim_sources WHERE claim_id = ?1 AND source_id = ?2",
        )?
        .query_row(params![claim, source], |row| {
            Ok(LinkState { removed_at: row.get(0)?, removed_with: row.get(1)?, role: row.get(2)? })
        })
        .optional()
    }

    /// Links a source to a claim with a role: a new link, a changed role, or
    /// a removed link made live again.
    pub fn put_link(&self, claim: ClaimId, source: SourceId, role: &str, by: &str, at: &str) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO claim_sources (claim_id, source_id, role, linked_by, linked_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(claim_id, source_id) DO UPDATE SET role = excluded.role,
                     linked_by = excluded.linked_by, linked_at = excluded.linked_at,
                     removed_at = NULL, removed_by = NULL, removed_with = NULL",
        )?
        .execute(params![claim, source, role, by, at])?;
        Ok(())
    }

    /// Marks a live link removed on its own; returns whether it was live.
    pub fn remove_link(&self, claim: ClaimId, source: SourceId, at: &str, by: &str) -> Result<bool, StoreError> {
        let unlinked = self
            .prepare_cached(
                "UPDATE claim_sources SET removed_at = ?3, removed_by = ?4, removed_with = NULL
                 WHERE claim_id = ?1 AND source_id = ?2 AND removed_at IS NULL",
            )?
            .execute(params![claim, source, at, by])?;
        Ok(unlinked > 0)
    }

    /// Brings back a link removed on its own; returns whether it still was.
    pub fn restore_link(&self, claim: ClaimId, source: SourceId) -> Result<bool, StoreError> {
        let restored = self
            .prepare_cached(
                "UPDATE claim_sources SET removed_at = NULL, removed_by = NULL
                 WHERE claim_id = ?1 AND source_id = ?2 AND removed_at IS NOT NULL AND removed_with IS NULL",
            )?
            .execute(params![claim, source])?;
        Ok(restored > 0)
    }

    /// A source's live links to live claims, by claim.
    pub fn live_links_of_source(&self, id: SourceId) -> Result<Vec<(ClaimId, String)>, StoreError> {
        self.prepare_cached(
            "SELECT l.claim_id, l.role FROM claim_sources l JOIN claims c ON c.id = l.claim_id
                 WHERE l.source_id = ?1 AND l.removed_at IS NULL AND c.removed_at IS NULL ORDER BY l.claim_id",
        )?
        .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, StoreError>>()
    }

    /// How many live claims cite a source through a live link, counted by the team store's server as the
    /// tables' owner: the claims this login may not see too (migrations/postgres/0030), as a number only.
    /// `None` on SQLite, where [`Store::live_links_of_source`] already sees every claim.
    pub fn every_live_claim_citing_source(&self, id: SourceId) -> Result<Option<i64>, StoreError> {
        if !self.is_team_store() {
            return Ok(None);
        }
        let citing = self.prepare_cached("SELECT factdesk_live_link_count(?1)")?.query_row([id], |row| row.get(0))?;
        Ok(Some(citing))
    }

    /// Marks a source's live links to live claims removed along with `with`
    /// (links of removed claims are left: they come back with their claim).
    pub fn remove_links_of_source(&self, id: SourceId, at: &str, by: &str, with: &str) -> Result<(), StoreError> {
        self.prepare_cached(
            "UPDATE claim_sources SET removed_at = ?2, removed_by = ?3, removed_with = ?4
                 WHERE source_id = ?1 AND removed_at IS NULL
                   AND claim_id IN (SELECT id FROM claims WHERE removed_at IS NULL)",
        )?
        .execute(params![id, at, by, with])?;
        Ok(())
    }

    /// On a team store, brings back the links of `id` its removal took that this login could not
    /// ([`Store::restore_links_of_source`] restores those it sees: row security), as the tables' owner
    /// (migrations/postgres/0034), each recorded about its claim at `at` in the login's name; the server says
    /// neither which nor how many. Nothing on SQLite, where the restore saw them all.
    pub fn restore_unseen_links_of_source(&self, id: SourceId, at: &str) -> Result<(), StoreError> {
        if !self.is_team_store() {
            return Ok(());
        }
        self.prepare_cached("SELECT factdesk_restore_links_removed_with_source(?1, ?2)")?.execute(params![id, at])?;
        Ok(())
    }

    /// Brings back a source's links removed along with `with`; returns them.
    pub fn restore_links_of_source(&self, id: SourceId, with: &str) -> Result<Vec<(ClaimId, String)>, StoreError> {
        self.prepare_cached(
            "UPDATE claim_sources SET removed_at = NULL, removed_by = NULL, removed_with = NULL
                 WHERE source_id = ?1 AND removed_with = ?2 RETURNING claim_id, role",
        )?
        .query_map(params![id, with], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, StoreError>>()
    }
}
