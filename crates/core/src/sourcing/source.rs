//! The desk's register of sources and the links between claims and sources.
//!
//! A [`SourceView`] is what anyone with the review may see: the descriptor as
//! published, the kind, notes, and *whether* each confidential field is
//! recorded, never what it says. The confidential side of an unnamed source
//! ([`Confidential`]) lives in its own table and is read only by
//! [`Review::reveal_source`], which is itself written to the audit trail:
//! who looked at a source's identity, and when, is part of the record.
//!
//! Removing a source or a link keeps its row, marked with who removed it
//! and when, so restoring it brings it back exactly as it was (a source
//! removed with its links brings those links back with it).

use super::{audit, desk_of_claim, kebab_enum, optional, required, write, SourcingError};
pub use crate::attribution::SourceKind;
use crate::audit::{AuditAction, Entity};
use crate::clock::to_rfc3339;
use crate::conflict::{compare, write_or_refuse, Conflict, Current, Guarded};
use crate::review::{Review, Subject};
use crate::rights::Action;
use crate::store::claims::ClaimMark;
pub use crate::store::sources::{Confidential, ConfidentialRecorded};
use crate::store::sources::{LinkRecord, SealedField, SourceRecord};
use crate::store::{lock, ClaimId, DeskId, SourceId, Store};
use crate::vault::{self, DeskKey, VaultError};
use serde::{Deserialize, Serialize};
use serde_json::json;

kebab_enum!(
    /// What a source does for a claim.
    SourceRole, "role" {
        /// The draft attributes the claim to it.
        Attributed => "attributed",
        Corroborates => "corroborates",
        Contradicts => "contradicts",
    }
);

impl ConfidentialRecorded {
    /// Whether any confidential field is recorded.
    pub fn any(&self) -> bool {
        self.identity
            || self.contact
            || self.first_hand
            || self.how_known
            || self.anonymity_reason
            || self.editor_knows
            || self.approved_by
    }
}

/// How one part of a change to a source counts on its row (its version,
/// who changed it and when): alone, as each change always has; or as one of
/// the two parts of [`Review::edit_source`], which raise the version once
/// between them, and write the public part only when it changes something.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Alone,
    /// `counted`: the other part of the edit already raised the version.
    OfAnEdit {
        counted: bool,
    },
}

impl Part {
    /// Whether a write of this part raises the source's version.
    fn counts(self) -> bool {
        !matches!(self, Self::OfAnEdit { counted: true })
    }
}
/// The names of the confidential fields recorded (never their content).
fn recorded_names(recorded: &ConfidentialRecorded) -> Vec<&'static str> {
    [
        ("identity", recorded.identity),
        ("contact", recorded.contact),
        ("first-hand", recorded.first_hand),
        ("how-known", recorded.how_known),
        ("anonymity-reason", recorded.anonymity_reason),
        ("editor-knows", recorded.editor_knows),
        ("approved-by", recorded.approved_by),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect()
}

impl Confidential {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A source as anyone with the review may see it: no confidential content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SourceView {
    pub id: SourceId,
    pub desk: DeskId,
    /// As published, e.g. "a senior Western diplomat".
    pub descriptor: String,
    pub kind: SourceKind,
    pub notes: String,
    pub confidential: ConfidentialRecorded,
    pub created_by: String,
    pub created_at: String,
    pub updated_by: String,
    pub updated_at: String,
    /// Counts the changes of its public fields: an edit carries it ([`Review::update_source_expecting`]).
    pub version: i64,
}

/// A source to add to a desk's register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewSource {
    pub descriptor: String,
    pub kind: SourceKind,
    pub notes: String,
    /// Only for an unnamed source.
    pub confidential: Option<Confidential>,
}

/// Changes to a source's public fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SourceUpdate {
    pub descriptor: Option<String>,
    pub kind: Option<SourceKind>,
    pub notes: Option<String>,
}

/// A source linked to a claim, with its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SourceLink {
    pub claim: ClaimId,
    pub source: SourceView,
    pub role: SourceRole,
    pub linked_by: String,
    pub linked_at: String,
}

fn view_of(record: SourceRecord) -> Result<SourceView, SourcingError> {
    let SourceRecord {
        id,
        desk,
        descriptor,
        kind,
        notes,
        confidential,
        created_by,
        created_at,
        updated_by,
        updated_at,
        version,
    } = record;
    let kind = kind.parse().map_err(|_| SourcingError::Malformed(format!("source kind {kind:?}")))?;
    Ok(SourceView {
        id,
        desk,
        descriptor,
        kind,
        notes,
        confidential,
        created_by,
        created_at,
        updated_by,
        updated_at,
        version,
    })
}

/// One source of the register, without its confidential content; a removed one is not found.
pub(crate) fn source_view(store: &Store, id: SourceId) -> Result<SourceView, SourcingError> {
    view_of(store.source(id)?.ok_or(SourcingError::SourceNotFound(id))?)
}

/// Every source linked to a claim, with its role, in the order they were
/// linked; removed links and removed sources left out.
pub(crate) fn links_of_claim(store: &Store, claim: ClaimId) -> Result<Vec<SourceLink>, SourcingError> {
    store
        .live_links_of_claim(claim)?
        .into_iter()
        .map(|LinkRecord { source, role, linked_by, linked_at }| {
            Ok(SourceLink {
                claim,
                source: source_view(store, source)?,
                role: role.parse().map_err(|_| SourcingError::Malformed(format!("role {role:?}")))?,
                linked_by,
                linked_at,
            })
        })
        .collect()
}

/// What the reviewer can mark a claim as: things anonymity is not granted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClaimFlag {
    Opinion,
    PersonalAttack,
}

impl ClaimFlag {
    fn mark(self) -> ClaimMark {
        match self {
            Self::Opinion => ClaimMark::Opinion,
            Self::PersonalAttack => ClaimMark::PersonalAttack,
        }
    }

    fn action(self) -> AuditAction {
        match self {
            Self::Opinion => AuditAction::ClaimOpinion,
            Self::PersonalAttack => AuditAction::ClaimPersonalAttack,
        }
    }

    /// Its name in the audit trail's before and after.
    fn key(self) -> &'static str {
        match self {
            Self::Opinion => "opinion",
            Self::PersonalAttack => "personal-attack",
        }
    }
}

/// Whether a claim carries `mark`; a removed claim is not found.
pub(crate) fn is_marked(store: &Store, claim: ClaimId, mark: ClaimFlag) -> Result<bool, SourcingError> {
    store.claim_mark(claim, mark.mark())?.ok_or(SourcingError::ClaimNotFound(claim))
}

/// Whether a claim is marked as opinion.
pub(crate) fn is_opinion(store: &Store, claim: ClaimId) -> Result<bool, SourcingError> {
    is_marked(store, claim, ClaimFlag::Opinion)
}

/// Reads the confidential side of a source (empty when none is recorded):
/// the plain columns of a desk without a vault, the sealed fields, opened
/// with the review's unlocked key, of a desk with one.
pub(crate) fn read_confidential(store: &Store, review: &Review, id: SourceId) -> Result<Confidential, SourcingError> {
    if let Some(key) = vault_key_for(store, review, id)? {
        return read_sealed(store, &key, id);
    }
    read_plain(store, id)
}

/// The key a source's confidential fields are sealed with: `None` when its
/// desk has no vault, [`VaultError::Locked`] when it has one this review has
/// not unlocked.
fn vault_key_for(store: &Store, review: &Review, id: SourceId) -> Result<Option<DeskKey>, SourcingError> {
    let desk = store.desk_of_source(id)?.ok_or(SourcingError::SourceNotFound(id))?;
    if !vault::has_vault(store, desk)? {
        return Ok(None);
    }
    review.vault_key(desk).map(Some).ok_or(SourcingError::Vault(VaultError::Locked(desk)))
}

/// The confidential fields by their names in `source_sealed`, as bytes.
fn field_texts(fields: &Confidential) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("identity", fields.identity.clone()),
        ("contact", fields.contact.clone()),
        ("first-hand", fields.first_hand.map(|b| b.to_string())),
        ("how-known", fields.how_known.clone()),
        ("anonymity-reason", fields.anonymity_reason.clone()),
        ("editor-knows", fields.editor_knows.clone()),
        ("approved-by", fields.approved_by.clone()),
    ]
}

fn read_sealed(store: &Store, key: &DeskKey, id: SourceId) -> Result<Confidential, SourcingError> {
    let mut fields = Confidential::default();
    for SealedField { field, nonce, ciphertext: sealed, .. } in store.sealed_fields(id)? {
        let opened = key.open(id, &field, &nonce, &sealed)?;
        let text = String::from_utf8(opened.to_vec()).map_err(|_| VaultError::Tampered(id))?;
        match field.as_str() {
            "identity" => fields.identity = Some(text),
            "contact" => fields.contact = Some(text),
            "first-hand" => fields.first_hand = Some(text == "true"),
            "how-known" => fields.how_known = Some(text),
            "anonymity-reason" => fields.anonymity_reason = Some(text),
            "editor-knows" => fields.editor_knows = Some(text),
            "approved-by" => fields.approved_by = Some(text),
            other => return Err(SourcingError::Malformed(format!("sealed field {other:?}"))),
        }
    }
    Ok(fields)
}

/// Seals every field of `fields` for a source, replacing what was sealed
/// before, and leaves its plain columns empty.
fn write_sealed(store: &Store, key: &DeskKey, id: SourceId, fields: &Confidential) -> Result<(), SourcingError> {
    store.delete_sealed_fields(id)?;
    for (field, text) in field_texts(fields) {
        if let Some(text) = text.map(zeroize::Zeroizing::new) {
            let (nonce, sealed) = key.seal(id, field, text.as_bytes());
            store.insert_sealed_field(id, field, &nonce, &sealed)?;
        }
    }
    store.clear_plain_confidential(id)?;
    Ok(())
}

/// Seals the plain confidential fields of every source of a desk (setting
/// up its vault), in the caller's transaction.
pub(crate) fn seal_desk(store: &Store, desk: DeskId, key: &DeskKey) -> Result<usize, SourcingError> {
    let ids = store.sources_with_plain_confidential(desk)?;
    for id in &ids {
        let fields = read_plain(store, *id)?;
        write_sealed(store, key, *id, &fields)?;
    }
    Ok(ids.len())
}

/// Whether some source of a desk without a vault has plain confidential
/// fields recorded that the store's login does not read (a team store shows
/// an editor only the rows naming them, migrations/postgres/0039): sealing
/// the desk would leave them out.
pub(crate) fn has_unread_identities(store: &Store, desk: DeskId) -> Result<bool, SourcingError> {
    for id in store.sources_with_fields_recorded(desk)? {
        if read_plain(store, id)? == Confidential::default() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn read_plain(store: &Store, id: SourceId) -> Result<Confidential, SourcingError> {
    Ok(store.plain_confidential(id)?.unwrap_or_default())
}

/// Re-seals every sealed field of a desk's sources from `old` to `new` (a
/// key rotation), in the caller's transaction; returns how many fields.
pub(crate) fn reseal_desk(store: &Store, desk: DeskId, old: &DeskKey, new: &DeskKey) -> Result<usize, SourcingError> {
    let rows = store.sealed_fields_of_desk(desk)?;
    for SealedField { source, field, nonce, ciphertext } in &rows {
        let opened = old.open(*source, field, nonce, ciphertext)?;
        let (nonce, ciphertext) = new.seal(*source, field, &opened);
        store.update_sealed_field(&SealedField { source: *source, field: field.clone(), nonce, ciphertext })?;
    }
    Ok(rows.len())
}

fn cleaned(fields: &Confidential) -> Confidential {
    Confidential {
        identity: optional(fields.identity.as_deref()),
        contact: optional(fields.contact.as_deref()),
        first_hand: fields.first_hand,
        how_known: optional(fields.how_known.as_deref()),
        anonymity_reason: optional(fields.anonymity_reason.as_deref()),
        editor_knows: optional(fields.editor_knows.as_deref()),
        approved_by: optional(fields.approved_by.as_deref()),
    }
}

/// The names of the confidential fields that differ: what the audit trail
/// records instead of their content.
fn changed_fields(before: &Confidential, after: &Confidential) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut check = |name, differs| {
        if differs {
            changed.push(name);
        }
    };
    check("identity", before.identity != after.identity);
    check("contact", before.contact != after.contact);
    check("first-hand", before.first_hand != after.first_hand);
    check("how-known", before.how_known != after.how_known);
    check("anonymity-reason", before.anonymity_reason != after.anonymity_reason);
    check("editor-knows", before.editor_knows != after.editor_knows);
    check("approved-by", before.approved_by != after.approved_by);
    changed
}

fn write_confidential(
    store: &Store,
    review: &Review,
    id: SourceId,
    fields: &Confidential,
    by: &str,
    at: &str,
) -> Result<(), SourcingError> {
    let key = vault_key_for(store, review, id)?;
    let plain = if key.is_some() { Confidential::default() } else { fields.clone() };
    store.put_plain_confidential(id, &plain, by, at)?;
    if let Some(key) = key {
        write_sealed(store, &key, id, fields)?;
    }
    Ok(())
}

/// A new source's descriptor and confidential fields, checked: the
/// descriptor is required and only an unnamed source has confidential fields.
fn checked_source(new: &NewSource) -> Result<(String, Option<Confidential>), SourcingError> {
    let descriptor = required(&new.descriptor, "source's descriptor")?;
    let confidential = new.confidential.as_ref().map(cleaned).filter(|c| !c.is_empty());
    if confidential.is_some() && new.kind != SourceKind::Unnamed {
        return Err(SourcingError::NotUnnamed(new.kind.as_str().to_owned()));
    }
    Ok((descriptor, confidential))
}

/// The role of a claim's live link to a source, if any.
fn live_role(store: &Store, claim: ClaimId, source: SourceId) -> Result<Option<String>, SourcingError> {
    Ok(store.live_link_role(claim, source)?)
}

fn public_json(view: &SourceView) -> serde_json::Value {
    json!({ "descriptor": view.descriptor, "kind": view.kind.as_str(), "notes": view.notes })
}

impl Review {
    /// Adds a source to a desk's register. Only an unnamed source may carry
    /// confidential fields.
    pub fn add_source(&self, desk: DeskId, new: &NewSource) -> Result<SourceId, SourcingError> {
        let checked = checked_source(new)?;
        let store = lock(self.store());
        if store.desk_path(desk)?.is_none() {
            return Err(SourcingError::Invalid(format!("no desk {desk} in the store")));
        }
        let now = self.now();
        write(&store, |store| self.insert_source(store, desk, new, &checked, now))
    }

    /// Adds a new source to the claim's desk's register and links it to the
    /// claim, in one step: the source is created with its confidential
    /// fields exactly as [`Review::add_source`] creates it (only their names
    /// reach the audit trail), and nothing is stored if either part fails.
    pub fn link_new_source(
        &self,
        claim: ClaimId,
        new: &NewSource,
        role: SourceRole,
    ) -> Result<SourceId, SourcingError> {
        let checked = checked_source(new)?;
        let store = lock(self.store());
        let desk = desk_of_claim(&store, claim)?;
        let now = self.now();
        // Linking is changing the claim (it was not asked: another reporter's claim took a new source).
        self.write_as(&store, Action::ChangeClaims, Subject::Claim(claim), |store| {
            let source = self.insert_source(store, desk, new, &checked, now)?;
            self.store_link(store, claim, source, role, None, now)?;
            Ok(source)
        })
    }

    fn insert_source(
        &self,
        store: &Store,
        desk: DeskId,
        new: &NewSource,
        (descriptor, confidential): &(String, Option<Confidential>),
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<SourceId, SourcingError> {
        self.require_on_desk(store, desk, Action::ChangeSources)?;
        if confidential.as_ref().is_some_and(|c| field_texts(c).iter().any(|(_, value)| value.is_some())) {
            self.require_on_desk(store, desk, Action::RevealIdentity)?;
        }
        let at = to_rfc3339(now);
        let id = store.insert_source(desk, descriptor, new.kind.as_str(), new.notes.trim(), self.reviewer(), &at)?;
        let mut after =
            json!({ "desk": desk, "descriptor": descriptor, "kind": new.kind.as_str(), "notes": new.notes.trim() });
        if let Some(fields) = confidential {
            write_confidential(store, self, id, fields, self.reviewer(), &at)?;
            after["confidential-fields-set"] = json!(changed_fields(&Confidential::default(), fields));
        }
        audit(store, self, now, AuditAction::SourceAdd, Entity::Source(id), None, Some(after))?;
        Ok(id)
    }

    /// Changes a source's public fields, over whatever they are when the
    /// change lands (see [`crate::conflict`]).
    pub fn update_source(&self, id: SourceId, update: &SourceUpdate) -> Result<SourceView, SourcingError> {
        self.change_source(id, update, None)
    }

    /// Changes a source's public fields if the source is still at `seen`,
    /// the version the person saw ([`SourceView::version`]); else refuses
    /// with [`SourcingError::Conflict`]: the descriptor now and who changed it.
    pub fn update_source_expecting(
        &self,
        id: SourceId,
        update: &SourceUpdate,
        seen: i64,
    ) -> Result<SourceView, SourcingError> {
        self.change_source(id, update, Some(seen))
    }

    fn change_source(
        &self,
        id: SourceId,
        update: &SourceUpdate,
        seen: Option<i64>,
    ) -> Result<SourceView, SourcingError> {
        let store = lock(self.store());
        let desk = source_view(&store, id)?.desk;
        let now = self.now();
        write_or_refuse(&store, |store| {
            // The role is read in the transaction that writes (see `Review::write_as`).
            self.require_on_desk(store, desk, Action::ChangeSources)?;
            self.change_source_locked(store, id, update, seen, now, Part::Alone)
        })
    }

    /// [`Review::update_source`] under the write lock: what it replaces is read there.
    fn change_source_locked(
        &self,
        store: &Store,
        id: SourceId,
        update: &SourceUpdate,
        seen: Option<i64>,
        now: chrono::DateTime<chrono::Utc>,
        part: Part,
    ) -> Result<Result<SourceView, Conflict>, SourcingError> {
        let before = source_view(store, id)?;
        let descriptor = match &update.descriptor {
            Some(text) => required(text, "source's descriptor")?,
            None => before.descriptor.clone(),
        };
        let kind = update.kind.unwrap_or(before.kind);
        // An identity must not linger, unseen and unchecked, behind a source
        // that no longer counts as unnamed.
        if kind != SourceKind::Unnamed && before.confidential.any() {
            return Err(SourcingError::Invalid(format!(
                "source {id} still has confidential fields; clear them before making it {}",
                kind.as_str()
            )));
        }
        let notes = update.notes.as_deref().map_or_else(|| before.notes.clone(), |n| n.trim().to_owned());
        let current = Current {
            version: before.version,
            value: before.descriptor.clone(),
            by: before.updated_by.clone(),
            at: before.updated_at.clone(),
        };
        if let Some(conflict) = compare(store, self.reviewer(), now, Guarded::Source(id), seen, current, &descriptor)? {
            return Ok(Err(conflict));
        }
        if part != Part::Alone && descriptor == before.descriptor && kind == before.kind && notes == before.notes {
            // Nothing public changes in this edit: not written again, nor audited as a change.
            return Ok(Ok(before));
        }
        let raise_version = part.counts();
        store.update_source(
            id,
            &descriptor,
            kind.as_str(),
            &notes,
            self.reviewer(),
            &to_rfc3339(now),
            raise_version,
        )?;
        let after = source_view(store, id)?;
        audit(
            store,
            self,
            now,
            AuditAction::SourceUpdate,
            Entity::Source(id),
            Some(public_json(&before)),
            Some(public_json(&after)),
        )?;
        Ok(Ok(after))
    }

    /// Changes a source's public fields (`update`) and its confidential ones
    /// (`fields`, as [`Review::set_confidential`] takes them) in one
    /// transaction: both are written, or neither. With `seen`, the version
    /// the person saw, the source is compared once, before either part: if
    /// someone changed it since, nothing is written and the change is
    /// refused with [`SourcingError::Conflict`] (naming the confidential
    /// fields, never their content). A source ceasing to be unnamed has its
    /// confidential fields changed (cleared) before the change of kind; one
    /// staying or becoming unnamed takes them after.
    pub fn edit_source(
        &self,
        id: SourceId,
        update: &SourceUpdate,
        fields: &Confidential,
        seen: Option<i64>,
    ) -> Result<SourceView, SourcingError> {
        let public = *update != SourceUpdate::default();
        let confidential = !fields.is_empty();
        if !public && !confidential {
            return self.source(id);
        }
        if !confidential {
            return self.change_source(id, update, seen);
        }
        if !public {
            return self.change_confidential(id, fields, seen);
        }
        let store = lock(self.store());
        let desk = source_view(&store, id)?.desk;
        let confidential_first = update.kind.is_some_and(|kind| kind != SourceKind::Unnamed);
        let now = self.now();
        write_or_refuse(&store, |store| {
            // The roles are read in the transaction that writes (see `Review::write_as`).
            self.require_on_desk(store, desk, Action::ChangeSources)?;
            self.require_on_desk(store, desk, Action::RevealIdentity)?;
            // Compared once, before either part, with what the person saw; the parts then write on
            // the version they leave each other (no one else writes in between: the transaction
            // holds the write lock). What the refused change would have done names the fields it
            // set, never their content: a conflict is shown and audited.
            let view = source_view(store, id)?;
            let given: Vec<&str> =
                field_texts(fields).into_iter().filter_map(|(name, value)| value.is_some().then_some(name)).collect();
            let descriptor = update.descriptor.as_deref().map_or(view.descriptor.as_str(), str::trim);
            let attempted = format!("{descriptor} (confidential fields: {})", given.join(", "));
            let current = Current {
                version: view.version,
                value: view.descriptor.clone(),
                by: view.updated_by.clone(),
                at: view.updated_at.clone(),
            };
            if let Some(conflict) =
                compare(store, self.reviewer(), now, Guarded::Source(id), seen, current, &attempted)?
            {
                return Ok(Err(conflict));
            }
            // One edit, one version: the second part raises it only if the first changed nothing.
            let first_part = Part::OfAnEdit { counted: false };
            let first = if confidential_first {
                self.change_confidential_locked(store, id, fields, None, now, first_part)?
            } else {
                self.change_source_locked(store, id, update, None, now, first_part)?
            };
            let first = match first {
                Ok(first) => first,
                Err(conflict) => return Ok(Err(conflict)),
            };
            let second_part = Part::OfAnEdit { counted: first.version != view.version };
            if confidential_first {
                self.change_source_locked(store, id, update, None, now, second_part)
            } else {
                self.change_confidential_locked(store, id, fields, None, now, second_part)
            }
        })
    }

    /// Records the confidential fields of an unnamed source; `None` leaves a
    /// field as it is, a blank text clears it. The audit trail records which
    /// fields changed, never their content. A change made raises the
    /// source's version (see [`Review::set_confidential_expecting`]).
    pub fn set_confidential(&self, id: SourceId, fields: &Confidential) -> Result<SourceView, SourcingError> {
        self.change_confidential(id, fields, None)
    }

    /// [`Review::set_confidential`] if the source is still at `seen`, the
    /// version the person saw ([`SourceView::version`], which its public
    /// fields' changes raise too); else refuses with
    /// [`SourcingError::Conflict`]: who changed the source and when. The
    /// conflict, like the audit trail, names the fields, never their content.
    pub fn set_confidential_expecting(
        &self,
        id: SourceId,
        fields: &Confidential,
        seen: i64,
    ) -> Result<SourceView, SourcingError> {
        self.change_confidential(id, fields, Some(seen))
    }

    fn change_confidential(
        &self,
        id: SourceId,
        fields: &Confidential,
        seen: Option<i64>,
    ) -> Result<SourceView, SourcingError> {
        let store = lock(self.store());
        let view = source_view(&store, id)?;
        // Asked first too, so that a source not unnamed is not what someone without the role is told.
        self.require_on_desk(&store, view.desk, Action::RevealIdentity)?;
        if view.kind != SourceKind::Unnamed {
            return Err(SourcingError::NotUnnamed(view.kind.as_str().to_owned()));
        }
        let now = self.now();
        write_or_refuse(&store, |store| {
            // And in the transaction that writes (see `Review::write_as`).
            self.require_on_desk(store, view.desk, Action::RevealIdentity)?;
            self.change_confidential_locked(store, id, fields, seen, now, Part::Alone)
        })
    }

    /// [`Review::set_confidential`] under the write lock: what it replaces,
    /// and the version it is compared with, are read there.
    fn change_confidential_locked(
        &self,
        store: &Store,
        id: SourceId,
        fields: &Confidential,
        seen: Option<i64>,
        now: chrono::DateTime<chrono::Utc>,
        part: Part,
    ) -> Result<Result<SourceView, Conflict>, SourcingError> {
        let view = source_view(store, id)?;
        // Read again under the lock: a change of kind in the same transaction (see `edit_source`) comes before.
        if view.kind != SourceKind::Unnamed {
            return Err(SourcingError::NotUnnamed(view.kind.as_str().to_owned()));
        }
        let before = read_confidential(store, self, id)?;
        // Fields recorded that the login read none of: a team store shows an editor only the plain rows naming
        // them (migrations/postgres/0039), so what is recorded is asked of the register, which says for everyone.
        let unread = before == Confidential::default() && view.confidential != ConfidentialRecorded::default();
        // Changing what is recorded is as good as reading it (an editor naming themselves as the one who knows
        // the source could then reveal it): once something is recorded, only whom the rights let reveal it may.
        if before != Confidential::default() || unread {
            crate::rights::check_named_editor(store, view.desk, self.reviewer(), before.editor_knows.as_deref())?;
        }
        let merge = |new: &Option<String>, old: &Option<String>| match new {
            Some(text) => optional(Some(text)),
            None => old.clone(),
        };
        let after = Confidential {
            identity: merge(&fields.identity, &before.identity),
            contact: merge(&fields.contact, &before.contact),
            first_hand: fields.first_hand.or(before.first_hand),
            how_known: merge(&fields.how_known, &before.how_known),
            anonymity_reason: merge(&fields.anonymity_reason, &before.anonymity_reason),
            editor_knows: merge(&fields.editor_knows, &before.editor_knows),
            approved_by: merge(&fields.approved_by, &before.approved_by),
        };
        let changed = changed_fields(&before, &after);
        // The source as the person saw it is compared even when nothing would change: they acted on a stale view.
        let current = Current {
            version: view.version,
            value: view.descriptor.clone(),
            by: view.updated_by.clone(),
            at: view.updated_at.clone(),
        };
        // What the refused change would have done, by field name: a conflict is shown and audited, so never content.
        let attempted = format!("{} (confidential fields: {})", view.descriptor, changed.join(", "));
        if let Some(conflict) = compare(store, self.reviewer(), now, Guarded::Source(id), seen, current, &attempted)? {
            return Ok(Err(conflict));
        }
        if changed.is_empty() {
            return Ok(Ok(view));
        }
        let at = to_rfc3339(now);
        write_confidential(store, self, id, &after, self.reviewer(), &at)?;
        if part.counts() {
            store.count_source_change(id, self.reviewer(), &at)?;
        }
        // The editor it named no longer knows this source: if no other names them, their wrapping goes.
        if let Some(previous) = before.editor_knows.as_deref().filter(|_| before.editor_knows != after.editor_knows) {
            self.drop_wrapping_if_unnamed(store, view.desk, previous)?;
        }
        audit(
            store,
            self,
            now,
            AuditAction::SourceConfidential,
            Entity::Source(id),
            None,
            Some(json!({ "confidential-fields-changed": changed })),
        )?;
        Ok(Ok(source_view(store, id)?))
    }

    /// One source, without its confidential content.
    pub fn source(&self, id: SourceId) -> Result<SourceView, SourcingError> {
        source_view(&lock(self.store()), id)
    }

    /// A desk's register, by descriptor (removed sources left out).
    pub fn sources(&self, desk: DeskId) -> Result<Vec<SourceView>, SourcingError> {
        let store = lock(self.store());
        store.sources_of_desk(desk)?.into_iter().map(view_of).collect()
    }

    /// Reads a source's confidential fields: the one call that does. Each
    /// reveal is written to the audit trail (who looked, and when).
    pub fn reveal_source(&self, id: SourceId) -> Result<Confidential, SourcingError> {
        let store = lock(self.store());
        // The role first, from the register alone: on a team store a login without the right
        // cannot read the confidential side at all.
        let desk = store.desk_of_source(id)?.ok_or(SourcingError::SourceNotFound(id))?;
        self.require_on_desk(&store, desk, Action::RevealIdentity)?;
        source_view(&store, id)?;
        let now = self.now();
        self.write_as(&store, Action::RevealIdentity, Subject::Desk(desk), |store| {
            let fields = read_confidential(store, self, id)?;
            // An editor sees only the identities of the sources that name them as the editor who knows.
            crate::rights::check_named_editor(store, desk, self.reviewer(), fields.editor_knows.as_deref())?;
            audit(store, self, now, AuditAction::SourceReveal, Entity::Source(id), None, None)?;
            Ok(fields)
        })
    }

    /// Links a source to a claim with a role (changing the role of an
    /// existing link). The source must be in the claim's desk's register.
    pub fn link_source(&self, claim: ClaimId, source: SourceId, role: SourceRole) -> Result<(), SourcingError> {
        let store = lock(self.store());
        let claim_desk = desk_of_claim(&store, claim)?;
        // Asked first too, so that a source of another desk is not what someone without the role is told.
        self.require_on_claim(&store, claim, Action::ChangeClaims)?;
        if source_view(&store, source)?.desk != claim_desk {
            return Err(SourcingError::OtherDesk { claim, source_id: source });
        }
        let previous = live_role(&store, claim, source)?;
        if previous.as_deref() == Some(role.as_str()) {
            return Ok(());
        }
        let now = self.now();
        self.write_as(&store, Action::ChangeClaims, Subject::Claim(claim), |store| {
            self.store_link(store, claim, source, role, previous, now)
        })
    }

    /// Stores a link (a new one, a changed role, or one removed before and
    /// made again) and its audit entry.
    fn store_link(
        &self,
        store: &Store,
        claim: ClaimId,
        source: SourceId,
        role: SourceRole,
        previous: Option<String>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), SourcingError> {
        store.put_link(claim, source, role.as_str(), self.reviewer(), &to_rfc3339(now))?;
        audit(
            store,
            self,
            now,
            AuditAction::ClaimLink,
            Entity::Claim(claim),
            previous.map(|role| json!({ "source": source, "role": role })),
            Some(json!({ "source": source, "role": role.as_str() })),
        )?;
        Ok(())
    }

    /// Removes a source from a claim. The link is kept, marked removed, so
    /// [`Review::restore_source_link`] brings it back as it was.
    pub fn unlink_source(&self, claim: ClaimId, source: SourceId) -> Result<(), SourcingError> {
        let store = lock(self.store());
        desk_of_claim(&store, claim)?;
        let Some(previous) = live_role(&store, claim, source)? else {
            return Err(SourcingError::Invalid(format!("source {source} is not linked to claim {claim}")));
        };
        let now = self.now();
        self.write_as(&store, Action::ChangeClaims, Subject::Claim(claim), |store| {
            // Only if still linked: unlinked meanwhile from another window, it is not unlinked twice.
            if !store.remove_link(claim, source, &to_rfc3339(now), self.reviewer())? {
                return Err(SourcingError::Invalid(format!("source {source} is not linked to claim {claim}")));
            }
            audit(
                store,
                self,
                now,
                AuditAction::ClaimUnlink,
                Entity::Claim(claim),
                Some(json!({ "source": source, "role": previous })),
                None,
            )?;
            Ok(())
        })
    }

    /// Brings back a link removed with [`Review::unlink_source`], with its
    /// role and who linked it when.
    pub fn restore_source_link(&self, claim: ClaimId, source: SourceId) -> Result<SourceLink, SourcingError> {
        let store = lock(self.store());
        desk_of_claim(&store, claim)?;
        let removed = store.link_state(claim, source)?.map(|l| (l.removed_at, l.removed_with, l.role));
        let role = match removed {
            None | Some((None, _, _)) => {
                return Err(SourcingError::NotRemoved(format!("the link of source {source} to claim {claim}")))
            }
            Some((Some(_), Some(with), _)) => {
                return Err(SourcingError::RestoreRefused(format!(
                    "the link of source {source} to claim {claim} was removed with {}: restore that instead",
                    with.replace(':', " ")
                )))
            }
            Some((Some(_), None, role)) => role,
        };
        source_view(&store, source)?;
        let now = self.now();
        self.write_as(&store, Action::ChangeClaims, Subject::Claim(claim), |store| {
            // Only if still removed on its own: linked again meanwhile from another window (perhaps
            // with another role), it is left as it is now.
            if !store.restore_link(claim, source)? {
                return Err(SourcingError::NotRemoved(format!("the link of source {source} to claim {claim}")));
            }
            audit(
                store,
                self,
                now,
                AuditAction::ClaimLinkRestore,
                Entity::Claim(claim),
                None,
                Some(json!({ "source": source, "role": role })),
            )?;
            links_of_claim(store, claim)?
                .into_iter()
                .find(|l| l.source.id == source)
                .ok_or(SourcingError::SourceNotFound(source))
        })
    }

    /// Removes a source from the desk's register. Refused, naming the
    /// claims, while a claim cites it, unless `with_links`: then its links
    /// are removed with it (and come back when it is restored). Kept in the
    /// audit trail with its public fields and links (of its confidential
    /// fields, only which are recorded).
    pub fn remove_source(&self, id: SourceId, with_links: bool) -> Result<SourceView, SourcingError> {
        let store = lock(self.store());
        let now = self.now();
        let at = to_rfc3339(now);
        // Decided inside the write transaction: a claim linked to it meanwhile
        // (from another window or the command line) refuses the removal.
        write(&store, |store| {
            let view = source_view(store, id)?;
            self.require_on_desk(store, view.desk, Action::ChangeSources)?;
            let links = store.live_links_of_source(id)?;
            // On a team store a reporter sees the claims of their own drafts only: the server counts every
            // citing claim (and refuses the removal itself while any is left, migrations/postgres/0030). A
            // login cannot unlink claims it does not see, so with its links too the removal is refused.
            let seen = links.iter().map(|link| link.0).collect::<std::collections::BTreeSet<_>>().len();
            if let Some(citing) = store.every_live_claim_citing_source(id)? {
                let citing = usize::try_from(citing).unwrap_or(usize::MAX);
                if citing > seen {
                    return Err(SourcingError::SourceCitedUnseen {
                        source_id: id,
                        claims: citing,
                        unseen: citing - seen,
                    });
                }
            }
            if !links.is_empty() && !with_links {
                return Err(SourcingError::SourceInUse {
                    source_id: id,
                    claims: links.into_iter().map(|l| l.0).collect(),
                });
            }
            // Links of removed claims are left as they are: they come back with their claim.
            store.remove_links_of_source(id, &at, self.reviewer(), &Entity::Source(id).to_string())?;
            store.mark_source_removed(id, &at, self.reviewer())?;
            let mut before = public_json(&view);
            before["confidential-fields-recorded"] = json!(recorded_names(&view.confidential));
            audit(store, self, now, AuditAction::SourceRemove, Entity::Source(id), Some(before), None)?;
            self.audit_links_with_source(store, id, &links, AuditAction::ClaimUnlink, now)?;
            Ok(view)
        })
    }

    /// Brings back a removed source, with the links removed along with it.
    pub fn restore_source(&self, id: SourceId) -> Result<SourceView, SourcingError> {
        let store = lock(self.store());
        match store.source_removed(id)? {
            None => return Err(SourcingError::SourceNotFound(id)),
            Some(false) => return Err(SourcingError::NotRemoved(format!("source {id}"))),
            Some(true) => {}
        }
        let desk = store.desk_of_source(id)?.ok_or(SourcingError::SourceNotFound(id))?;
        let now = self.now();
        self.write_as(&store, Action::ChangeSources, Subject::Desk(desk), |store| {
            // Only if still removed: restored meanwhile from another window, it is not restored twice.
            if !store.unmark_source_removed(id)? {
                return Err(SourcingError::NotRemoved(format!("source {id}")));
            }
            let mut links = store.restore_links_of_source(id, &Entity::Source(id).to_string())?;
            links.sort();
            let view = source_view(store, id)?;
            audit(store, self, now, AuditAction::SourceRestore, Entity::Source(id), None, Some(public_json(&view)))?;
            self.audit_links_with_source(store, id, &links, AuditAction::ClaimLinkRestore, now)?;
            // On a team store the links of claims this login may not see (another reporter's) were left removed
            // by its row security: the server brings them back too, and records them, telling it no claim.
            store.restore_unseen_links_of_source(id, &to_rfc3339(now))?;
            Ok(view)
        })
    }

    /// The audit entries of the links a source's removal took (`claim.unlink`) or its restore brought back
    /// (`claim.link-restore`): one per claim, about the claim, saying the source did it (`with`). A source's
    /// own entry is read by everyone who reads the register; the claim ids it cites are not everyone's (another
    /// reporter's drafts), so they are in entries about each claim, which the server holds to those who may
    /// see that claim (migrations/postgres/0019), and which a claim's history and `audit verify` read as any
    /// unlink or link restore.
    fn audit_links_with_source(
        &self,
        store: &Store,
        source: SourceId,
        links: &[(ClaimId, String)],
        action: AuditAction,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), SourcingError> {
        let with = Entity::Source(source).to_string();
        for (claim, role) in links {
            let link = json!({ "source": source, "role": role, "with": with });
            let (before, after) =
                if action == AuditAction::ClaimUnlink { (Some(link), None) } else { (None, Some(link)) };
            audit(store, self, now, action, Entity::Claim(*claim), before, after)?;
        }
        Ok(())
    }

    /// The sources of a claim, with their roles.
    pub fn claim_sources(&self, claim: ClaimId) -> Result<Vec<SourceLink>, SourcingError> {
        let store = lock(self.store());
        desk_of_claim(&store, claim)?;
        self.require_on_claim(&store, claim, Action::ReadClaims)?;
        links_of_claim(&store, claim)
    }

    /// Marks a claim as opinion (or not): anonymity is not granted for opinion.
    pub fn set_opinion(&self, claim: ClaimId, opinion: bool) -> Result<(), SourcingError> {
        self.set_mark(claim, ClaimFlag::Opinion, opinion)
    }

    /// Marks a claim as an attack on a person (or not): anonymity is not granted for one either.
    pub fn set_personal_attack(&self, claim: ClaimId, attack: bool) -> Result<(), SourcingError> {
        self.set_mark(claim, ClaimFlag::PersonalAttack, attack)
    }

    /// Whether the reviewer marked a claim as an attack on a person.
    pub fn is_personal_attack(&self, claim: ClaimId) -> Result<bool, SourcingError> {
        is_marked(&lock(self.store()), claim, ClaimFlag::PersonalAttack)
    }

    fn set_mark(&self, claim: ClaimId, mark: ClaimFlag, value: bool) -> Result<(), SourcingError> {
        let store = lock(self.store());
        let before = is_marked(&store, claim, mark)?;
        if before == value {
            return Ok(());
        }
        let now = self.now();
        self.write_as(&store, Action::ChangeClaims, Subject::Claim(claim), |store| {
            store.set_claim_mark(claim, mark.mark(), value, self.reviewer(), now)?;
            let key = mark.key();
            audit(
                store,
                self,
                now,
                mark.action(),
                Entity::Claim(claim),
                Some(json!({ key: before })),
                Some(json!({ key: value })),
            )?;
            Ok(())
        })
    }

    /// Whether the reviewer marked a claim as opinion.
    pub fn is_opinion(&self, claim: ClaimId) -> Result<bool, SourcingError> {
        is_opinion(&lock(self.store()), claim)
    }
}
