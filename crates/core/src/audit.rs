//! The audit trail: every change to claims, sources, evidence, notes, the
//! editor's note and a draft's status, with who, when, what, and the state
//! before and after.
//!
//! The trail is tamper-evident: each entry carries a SHA-256 over its own
//! content and the previous entry's hash, so altering, inserting or removing
//! an entry in the middle breaks the chain from that entry on, and
//! [`verify`] names the first broken one. The newest entry's number and hash
//! are also kept outside the database, in a head file beside it
//! (`factdesk.db.audit-head`, replaced atomically after every audited
//! change), so deleting the newest entries, or rewriting the whole chain,
//! no longer leaves a trail that checks out. [`verify`] also replays the trail
//! and lists the current rows of claims, sources, links, evidence and notes
//! that disagree with it (a row edited, added or deleted by hand).
//!
//! What this cannot catch: someone who can write both the database and the
//! head file can rewrite both consistently (the hash is not keyed: there is
//! no secret); entries after the last head update are only as safe as the
//! database; and columns the trail does not record (times, the confidential
//! fields, placements) are not replayed.
//!
//! Confidential source fields never enter the trail: an entry says which of
//! them changed, not what they say.
//!
//! ```no_run
//! # fn demo(store: &factdesk_core::store::Store) -> Result<(), factdesk_core::store::StoreError> {
//! let report = factdesk_core::audit::verify(store)?;
//! match report.broken {
//!     None => println!("{} entries, intact", report.entries),
//!     Some(broken) => println!("broken at entry {:?}: {}", broken.seq, broken.reason),
//! }
//! # Ok(()) }
//! ```

use crate::clock::to_rfc3339;
pub use crate::store::audit::AuditEntry;
use crate::store::audit::{ChainLink, ServerVerdict};
use crate::store::{ClaimId, DeskId, DraftId, EvidenceId, NoteId, SourceId, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::ops::ControlFlow;

/// Who records what no person decided: a draft sent back to needs work
/// because its text changed. A reviewer may not take this name.
pub const SYSTEM_ACTOR: &str = "factdesk";

mod replay;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

macro_rules! audit_actions {
    ($($variant:ident => $key:literal,)*) => {
        /// What a change did: every kind of entry the trail records. Stored
        /// (and hashed) as its key, e.g. `claim.status`; those keys never
        /// change, or every existing chain would break.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            /// Every action, in the order they are declared.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The key stored in the trail.
            pub const fn key(self) -> &'static str {
                match self {
                    $(Self::$variant => $key,)*
                }
            }

            /// The action a stored key names, if this version knows it.
            pub fn parse(key: &str) -> Option<Self> {
                match key {
                    $($key => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

audit_actions! {
    Assign => "assignment.assign",
    Unassign => "assignment.unassign",
    ClaimAdd => "claim.add",
    ClaimStatus => "claim.status",
    ClaimAttribution => "claim.attribution",
    ClaimLink => "claim.link",
    ClaimUnlink => "claim.unlink",
    ClaimLinkRestore => "claim.link-restore",
    ClaimOpinion => "claim.opinion",
    ClaimPersonalAttack => "claim.personal-attack",
    ClaimPlace => "claim.place",
    ClaimUnplace => "claim.unplace",
    ClaimMove => "claim.move",
    ClaimRemove => "claim.remove",
    ClaimRestore => "claim.restore",
    ChangeRefused => "change.refused",
    DeskSetting => "desk.setting",
    DraftStatus => "draft.status",
    DraftMove => "draft.move",
    DraftChangedSinceReady => "draft.changed-since-ready",
    EditorNoteSave => "editor-note.save",
    EvidenceAdd => "evidence.add",
    EvidenceRemove => "evidence.remove",
    EvidenceRestore => "evidence.restore",
    NoteAdd => "note.add",
    NoteEdit => "note.edit",
    NotePrivate => "note.private",
    NoteResolve => "note.resolve",
    NoteReopen => "note.reopen",
    NoteRemove => "note.remove",
    NoteRestore => "note.restore",
    PersonAdd => "person.add",
    PersonRemove => "person.remove",
    RulesOverride => "rules.override",
    SourceAdd => "source.add",
    SourceUpdate => "source.update",
    SourceConfidential => "source.confidential",
    SourceReveal => "source.reveal",
    SourceRemove => "source.remove",
    SourceRestore => "source.restore",
    SuggestionDismiss => "suggestion.dismiss",
    SuggestionRestore => "suggestion.restore",
    VaultInit => "vault.init",
    VaultUnlock => "vault.unlock",
    VaultPasswd => "vault.passwd",
    VaultRotate => "vault.rotate",
    VaultRemember => "vault.remember",
    VaultForget => "vault.forget",
    VaultGrant => "vault.grant",
    VaultRevoke => "vault.revoke",
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// What a change was done to: stored as `claim:12`, `draft:3`, …
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Claim(ClaimId),
    Source(SourceId),
    Evidence(EvidenceId),
    Note(NoteId),
    Draft(DraftId),
    Desk(DeskId),
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Claim(id) => write!(f, "claim:{id}"),
            Self::Source(id) => write!(f, "source:{id}"),
            Self::Evidence(id) => write!(f, "evidence:{id}"),
            Self::Note(id) => write!(f, "note:{id}"),
            Self::Draft(id) => write!(f, "draft:{id}"),
            Self::Desk(id) => write!(f, "desk:{id}"),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub by: &'a str,
    pub at: DateTime<Utc>,
    /// What was done.
    pub action: AuditAction,
    /// What it was done to.
    pub entity: Entity,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The first entry where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BrokenEntry {
    /// Its number; `None` on a team store when it is an entry this login may not read (the server's verdict
    /// names only entries the login reads, migrations/postgres/0032).
    pub seq: Option<i64>,
    pub reason: String,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditReport {
    /// How many entries were checked: on a team store, those numbered up to the newest this login reads (the
    /// server's verdict covers any after it as well, without saying how many: migrations/postgres/0032).
    pub entries: u64,
    pub broken: Option<BrokenEntry>,
    /// The head file beside the database, when there is one.
    pub head: Option<AuditHead>,
    /// Entries written after the head file was last updated (a crash between
    /// the two, or a database from before head files): not proof of tampering.
    pub beyond_head: u64,
    /// Current rows that disagree with what the trail says they should be.
    pub disagreements: Vec<Disagreement>,
    /// The current rows were not compared: the login sees only part of them (a reporter's on a team store,
    /// held to their own drafts by row-level security), so a row it may not see would read as deleted. The
    /// chain, which holds every change, was still walked in full.
    #[serde(default)]
    pub rows_not_compared: bool,
    /// When rows were not compared on a team store: what the login does not read, in words, by its group
    /// ("a lawyer reads no entries about the vault or sources' identities"), from [`part_not_read`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_not_read: Option<String>,
    /// Entries of the chain this login may not read (on a team store, another reporter's drafts or private
    /// notes, hidden by row-level security) numbered before the newest it reads: the server checked them, and any
    /// after it. Counted in `entries`.
    #[serde(default)]
    pub entries_not_read: u64,
    /// Entries the server checked for this login rather than this login itself (on a team store): those it may
    /// not read, and those it reads after the first of them, whose hashes depend on it and are kept from it, up to
    /// the newest it reads. Counted in `entries`; 0 on SQLite and for a login that reads the whole trail.
    #[serde(default)]
    pub entries_checked_by_server: u64,
}

impl AuditReport {
    /// Whether the chain holds, agrees with its head and with the current rows.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none() && self.disagreements.is_empty()
    }
}

/// A current row that disagrees with the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Disagreement {
    /// e.g. `claim:3`, `link:3/5` (claim 3, source 5).
    pub entity: String,
    /// The field that differs, or `row` when the row itself is missing or unrecorded.
    pub field: String,
    /// What the trail says (JSON), `null` when it has no such row.
    pub trail: String,
    /// What the row holds now (JSON), `null` when there is no row.
    pub current: String,
}

/// The canonical hash of an entry: SHA-256 (lower-case hex) over the compact
/// UTF-8 JSON array of its fields in a fixed order,
/// `[seq, at, actor, action, entity, before, after, prev_hash]`, with no
/// whitespace and non-ASCII left unescaped (before and after are the JSON
/// texts as stored, so they appear as strings, or `null`). JSON escaping
/// keeps field boundaries unambiguous, and the chain can be re-checked
/// outside Factdesk, e.g. with Python's `json.dumps(…, separators=(",", ":"),
/// ensure_ascii=False)`, or on a team store with the server's
/// `factdesk_audit_hash(…)` (migrations/postgres/0023, which recomputes it
/// on every append; `tests/fixtures/audit-hash-vectors.json` holds the
/// entries both are checked against).
/// (`entry.hash` itself is not part of it.)
pub fn entry_hash(entry: &AuditEntry) -> String {
    crate::ingest::hex_sha256(entry_canonical(entry).as_bytes())
}

/// The text [`entry_hash`] hashes (serde_json's compact JSON of the array).
pub fn entry_canonical(entry: &AuditEntry) -> String {
    serde_json::json!([
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.entity,
        entry.before,
        entry.after,
        entry.prev_hash
    ])
    .to_string()
}

/// Runs `work` in one write transaction ([`Store::write_transaction`]), for
/// changes that write an audit entry: the change and its entry are stored
/// together or not at all. Once committed, the head file is brought up to
/// date with the newest entry.
pub(crate) fn write_transaction<T, E: From<StoreError>>(
    store: &Store,
    work: impl FnOnce(&Store) -> Result<T, E>,
) -> Result<T, E> {
    let value = store.write_transaction(work)?;
    update_head(store)?;
    Ok(value)
}

/// The newest entry of the trail as last written beside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

/// Where the head file of the database at `db` lives.
pub fn head_path(db: &std::path::Path) -> std::path::PathBuf {
    let mut name = db.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
    name.push(".audit-head");
    db.with_file_name(name)
}

/// Reads the head file beside the store's database: `Ok(None)` when there is none.
pub fn read_head(store: &Store) -> Result<Option<AuditHead>, StoreError> {
    let Some(db) = store.path() else { return Ok(None) };
    let path = head_path(&db);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::Malformed(format!("the audit head file {} is unreadable: {e}", path.display()))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => {
            Err(StoreError::Malformed(format!("cannot read the audit head file {}: {error}", path.display())))
        }
    }
}

fn newest_entry(store: &Store) -> Result<Option<AuditHead>, StoreError> {
    Ok(store.newest_audit_entry()?.map(|(seq, hash)| AuditHead { seq, hash }))
}

/// Writes the trail's newest entry to the head file, atomically (temporary
/// file, fsync, rename, fsync of the folder). It runs under the database's
/// write lock, so two processes never leave an older head over a newer one.
fn update_head(store: &Store) -> Result<(), StoreError> {
    let Some(db) = store.path() else { return Ok(()) };
    store.write_transaction(|store| {
        let Some(newest) = newest_entry(store)? else { return Ok(()) };
        if read_head(store).ok().flatten().as_ref() == Some(&newest) {
            return Ok(());
        }
        let bytes = serde_json::to_vec(&newest).map_err(|e| StoreError::Malformed(e.to_string()))?;
        let path = head_path(&db);
        crate::private_file::write_atomically(&path, &bytes)
            .map_err(|e| StoreError::Malformed(format!("cannot write the audit head file {}: {e}", path.display())))
    })
}

/// Appends a change to the trail. Call it inside the transaction that makes
/// the change, so the two are stored together or not at all.
///
/// On a team store the entry is recorded as the connection's database login
/// (`current_user`), not `change.by`, and it is written holding the audit
/// chain's lock (taken by the change's transaction, or here).
pub(crate) fn record(store: &Store, change: &Change<'_>) -> Result<(), StoreError> {
    store.in_audit_lock(|store| record_locked(store, change))
}

fn record_locked(store: &Store, change: &Change<'_>) -> Result<(), StoreError> {
    match store.team_actor() {
        // The server links it (migrations/postgres/0027): the newest entry's hash may be one this login may not
        // read, so it is never given to the login, which sends the content only.
        Some(login) => store.insert_audit_entry_linked_by_server(&unlinked_entry(login, change)),
        None => {
            let newest = store.newest_audit_entry()?;
            store.insert_audit_entry(&next_entry(newest, change.by.to_owned(), change)?)
        }
    }
}

/// The entry that records `change` by `actor`, not yet linked into the chain (no number, no hashes): what a team
/// store's server links and hashes itself, with the same canonical hash as [`entry_hash`].
fn unlinked_entry(actor: String, change: &Change<'_>) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: to_rfc3339(change.at),
        actor,
        action: change.action.key().to_owned(),
        entity: change.entity.to_string(),
        before: change.before.as_ref().map(Value::to_string),
        after: change.after.as_ref().map(Value::to_string),
        prev_hash: String::new(),
        hash: String::new(),
    }
}

/// The entry that records `change` after the trail's newest one (`(seq,
/// hash)`, none for the first), by `actor`, hashed: SQLite's append. A team
/// store's server links [`unlinked_entry`] itself with the same hash
/// (`factdesk_audit_hash`, pinned to [`entry_hash`] by shared test vectors).
/// A newest entry numbered at the end of the numbers (a forged one) has no next: refused, not wrapped around.
fn next_entry(newest: Option<(i64, String)>, actor: String, change: &Change<'_>) -> Result<AuditEntry, StoreError> {
    let (seq, prev_hash) = match newest {
        Some((seq, hash)) => {
            let next = seq.checked_add(1).ok_or_else(|| {
                StoreError::Malformed(format!("the audit trail's newest entry is numbered {seq}: no entry follows it"))
            })?;
            (next, hash)
        }
        None => (1, GENESIS_HASH.to_owned()),
    };
    let mut entry = AuditEntry { seq, prev_hash, ..unlinked_entry(actor, change) };
    entry.hash = entry_hash(&entry);
    Ok(entry)
}

/// The trail, oldest first; only the entries about `entity` when given.
pub fn entries(store: &Store, entity: Option<&str>) -> Result<Vec<AuditEntry>, StoreError> {
    store.audit_entries(entity)
}

/// A source's removal or restore entry that lists `claim` among the links
/// that went or came back with it (`links: [{claim, role}]`).
fn lists_link_of(entry: &AuditEntry, claim: ClaimId) -> bool {
    [entry.before.as_deref(), entry.after.as_deref()].into_iter().flatten().any(|side| {
        serde_json::from_str::<serde_json::Value>(side).ok().is_some_and(|value| {
            value.get("links").and_then(|l| l.as_array()).is_some_and(|links| {
                links.iter().any(|link| link.get("claim").and_then(|id| ClaimId::deserialize(id).ok()) == Some(claim))
            })
        })
    })
}

/// A claim's history, oldest first: the entries about the claim, and those
/// of a source removed with its links (or restored with them) that took or
/// brought back this claim's link. Those are recorded once, on the source,
/// so the chain holds one entry per change; a claim's reader still sees its
/// link go and come back.
pub fn claim_history(store: &Store, claim: ClaimId) -> Result<Vec<AuditEntry>, StoreError> {
    let entity = Entity::Claim(claim).to_string();
    let mut found = Vec::new();
    for entry in store.audit_entries_about_or_source_removals(&entity)? {
        if entry.entity == entity || lists_link_of(&entry, claim) {
            found.push(entry);
        }
    }
    Ok(found)
}

/// Walks the whole chain and names the first entry that does not hold: a
/// gap in the sequence, a link to something other than the previous entry's
/// hash, content that no longer matches its own hash, or a chain that ends
/// before, or differs at, the entry the head file records. Then replays the
/// trail against the current rows (see [`Disagreement`]).
///
/// On a team store a login may read only part of the trail (row-level
/// security): it recomputes the hashes of the entries it reads up to the first
/// it may not read, and the server (`factdesk_audit_verdict()`, walking every
/// entry as the tables' owner) answers for the rest without giving this login
/// any hash that depends on an entry it may not read
/// ([`AuditReport::entries_checked_by_server`]), how many entries it may not
/// read, or the number of one. A login reading the whole trail checks every
/// entry itself, and asks the server as well.
pub fn verify(store: &Store) -> Result<AuditReport, StoreError> {
    let head = read_head(store)?;
    let mut expected_seq = 1;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut replay = replay::Replay::default();
    // Entries this login reads; of those, checked here (the leading run that comes with its hashes).
    let (mut read, mut checked_here) = (0_u64, 0_u64);
    let mut newest_read = 0;
    let mut hashes_withheld = false;
    // The first entry that does not hold, with why.
    let mut first_broken: Option<BrokenEntry> = None;
    store.visit_audit_chain(|link| {
        read += 1;
        let entry = match link {
            ChainLink::Read(entry) if !hashes_withheld => entry,
            // Past the first entry this login may not read: the server checks the rest.
            ChainLink::Read(entry) | ChainLink::Unhashed(entry) => {
                hashes_withheld = true;
                newest_read = entry.seq;
                return ControlFlow::Continue(());
            }
        };
        newest_read = entry.seq;
        let mut broken = |reason: String| {
            first_broken = Some(BrokenEntry { seq: Some(entry.seq), reason });
            ControlFlow::Break(())
        };
        if entry.seq != expected_seq {
            return broken(format!("entry {expected_seq} is missing before entry {}", entry.seq));
        }
        if entry.prev_hash != expected_prev {
            return broken("it does not link to the previous entry's hash".to_owned());
        }
        if entry_hash(&entry) != entry.hash {
            return broken("its content does not match its hash (altered after it was written)".to_owned());
        }
        if let Some(head) = head.as_ref().filter(|h| h.seq == entry.seq && h.hash != entry.hash) {
            return broken(format!(
                "its hash differs from the one the head file recorded ({}): the chain was rewritten",
                head.hash
            ));
        }
        replay.apply(&entry);
        checked_here += 1;
        expected_seq += 1;
        expected_prev = entry.hash;
        ControlFlow::Continue(())
    })?;
    // Asked after the walk above: the server walks every entry committed by then, so every entry this login read.
    let server = store.audit_server_verdict()?;
    // The chain's length as far as this login knows it: on a team store the entries numbered up to the newest it
    // reads (the numbers it reads say that many exist), those read otherwise.
    let entries = if store.is_team_store() { u64::try_from(newest_read).unwrap_or(0) } else { read };
    // The first break, whoever found it: both walked the same chain, the server all of it, so a break it found
    // at an entry this login may not read comes before any this login found.
    let server_broken = match server {
        Some(ServerVerdict::Broken { seq, reason }) => Some(BrokenEntry {
            reason: if seq.is_some() {
                reason
            } else {
                "the server found it broken at an entry this login may not read (an editor's login, or the \
                 store's owner, is told which)"
                    .to_owned()
            },
            seq,
        }),
        Some(ServerVerdict::Intact) | None => None,
    };
    let broken = match (first_broken, server_broken) {
        (Some(here), Some(there)) if there.seq.is_none_or(|there| here.seq.is_some_and(|here| there < here)) => {
            Some(there)
        }
        (here, there) => here.or(there),
    };
    let report = AuditReport {
        entries,
        broken: None,
        head: head.clone(),
        beyond_head: 0,
        disagreements: Vec::new(),
        rows_not_compared: false,
        part_not_read: None,
        entries_not_read: if store.is_team_store() { entries.saturating_sub(read) } else { 0 },
        entries_checked_by_server: if store.is_team_store() { entries.saturating_sub(checked_here) } else { 0 },
    };
    if broken.is_some() {
        return Ok(AuditReport { broken, ..report });
    }
    let last = expected_seq - 1;
    let mut beyond_head = 0;
    if let Some(head) = &head {
        if head.seq > last {
            let reason = format!(
                "the head file records entry {} but the trail ends at entry {last}: the newest entries were deleted",
                head.seq
            );
            return Ok(AuditReport { broken: Some(BrokenEntry { seq: Some(head.seq), reason }), ..report });
        }
        beyond_head = u64::try_from(last - head.seq).unwrap_or(0);
    } else if store.path().is_some() {
        beyond_head = entries;
    }
    // A login that did not check every entry here did not replay them all; one that may not read some rows (a
    // reporter; an admin, to whom private notes are hidden) sees only part of the rows as well: a row it may
    // not see would read as deleted.
    if checked_here < entries || store.login_sees_part_of_review()? {
        let part_not_read = part_not_read(&store.login_groups()?);
        return Ok(AuditReport { rows_not_compared: true, part_not_read, beyond_head, ..report });
    }
    let disagreements = replay.compare(store)?;
    Ok(AuditReport { beyond_head, disagreements, ..report })
}

/// What a team store's login in `groups` (Factdesk's group roles, `factdesk_lawyer`…) does not read of the
/// trail, in words, as row-level security holds it (migrations/postgres/0019, 0042): each group's own part,
/// so that `audit verify` names the lawyer's missing part, not the reporter's. `None` for a login in no group
/// (it reads everything).
pub fn part_not_read(groups: &[String]) -> Option<String> {
    let mut parts: Vec<&str> = groups
        .iter()
        .filter_map(|group| match group.as_str() {
            "factdesk_reporter" => {
                Some("a reporter reads only their own drafts' entries, and none about the vault or sources' identities")
            }
            "factdesk_lawyer" => Some("a lawyer reads no entries about the vault or sources' identities"),
            "factdesk_admin" => Some("an admin reads no private notes and no entries about sources' identities"),
            "factdesk_editor" | "factdesk_standards_editor" => {
                Some("an editor reads the entries about a desk's sources and vault only on the desks they work on")
            }
            _ => None,
        })
        .collect();
    parts.dedup();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Appends a change to the trail of a team store on PostgreSQL, recorded as
/// the connection's database login (not `change.by`, a name the client
/// claims). The server links it after the newest entry and hashes it, with
/// the same canonical hash as on SQLite (migrations/postgres/0027).
pub fn record_on_team_store(
    store: &mut crate::store::postgres::PgStore,
    change: &Change<'_>,
) -> Result<(), StoreError> {
    let entry = unlinked_entry(store.actor().to_owned(), change);
    store.append_audit_entry(&entry)
}

/// What a walk of the chain alone found (a team store has no head file, and
/// its rows are not replayed yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: u64,
    pub broken: Option<BrokenEntry>,
}

/// The chain checks of [`verify`] over entries in `seq` order: a gap, a
/// link to something other than the previous entry's hash, content that no
/// longer matches its hash.
pub fn verify_chain(entries: &[AuditEntry]) -> ChainReport {
    let mut expected_prev = GENESIS_HASH;
    let mut count = 0;
    for (expected_seq, entry) in (1..).zip(entries) {
        count += 1;
        let reason = if entry.seq != expected_seq {
            Some(format!("entry {expected_seq} is missing before entry {}", entry.seq))
        } else if entry.prev_hash != expected_prev {
            Some("it does not link to the previous entry's hash".to_owned())
        } else if entry_hash(entry) != entry.hash {
            Some("its content does not match its hash (altered after it was written)".to_owned())
        } else {
            None
        };
        if let Some(reason) = reason {
            return ChainReport { entries: count, broken: Some(BrokenEntry { seq: Some(entry.seq), reason }) };
        }
        expected_prev = &entry.hash;
    }
    ChainReport { entries: count, broken: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_key_reads_back_as_its_action() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.key()), Some(*action));
        }
        assert_eq!(AuditAction::ClaimLinkRestore.key(), "claim.link-restore");
        assert_eq!(Entity::Evidence(EvidenceId(7)).to_string(), "evidence:7");
        assert_eq!(AuditAction::parse("claim.unknown"), None);
    }

    fn entry(actor: &str, action: &str) -> AuditEntry {
        AuditEntry {
            seq: 1,
            at: "2026-11-29T08:00:00Z".into(),
            actor: actor.into(),
            action: action.into(),
            entity: "claim:1".into(),
            before: None,
            after: Some(r#"{"status":"disputed"}"#.into()),
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn the_canonical_hash_is_pinned() {
        // Changing how an entry is serialised for hashing breaks every
        // stored chain: this value must never change.
        assert_eq!(
            entry_hash(&entry("Ana", "claim.status")),
            "b158d3c26324ef33bd8ae8aaf4145f8d5da8526087e99c70774d507d8dbdc325"
        );
    }

    /// The shared test vectors (hostile strings: quotes, backslashes, every control character, NUL, emoji,
    /// right-to-left marks, U+2028, U+007F, null before and after, the largest seq), also checked against the
    /// team store's SQL functions on a real server (crates/core/tests/audit_trail.rs): the two cannot drift.
    #[test]
    fn the_canonical_hash_matches_the_shared_test_vectors() {
        let vectors: Value =
            serde_json::from_str(include_str!("../tests/fixtures/audit-hash-vectors.json")).expect("vectors");
        let entries = vectors["entries"].as_array().expect("entries");
        assert!(entries.len() >= 10, "{}", entries.len());
        for vector in entries {
            let text = |key: &str| vector[key].as_str().map(str::to_owned);
            let entry = AuditEntry {
                seq: vector["seq"].as_i64().expect("seq"),
                at: text("at").expect("at"),
                actor: text("actor").expect("actor"),
                action: text("action").expect("action"),
                entity: text("entity").expect("entity"),
                before: text("before"),
                after: text("after"),
                prev_hash: text("prev_hash").expect("prev_hash"),
                hash: String::new(),
            };
            let name = &vector["name"];
            assert_eq!(Some(entry_canonical(&entry)), text("canonical"), "{name}");
            assert_eq!(Some(entry_hash(&entry)), text("hash"), "{name}");
        }
        assert!(entries.iter().any(|v| v["seq"] == i64::MAX), "the largest seq is checked");
        assert!(entries.iter().any(|v| v["actor"].as_str().is_some_and(|a| a.contains('\u{0}'))), "NUL is checked");
    }

    #[test]
    fn field_boundaries_are_part_of_the_hash() {
        assert_ne!(entry_hash(&entry("Ana", "claim.status")), entry_hash(&entry("Anaclaim", ".status")));
        let mut with_hash = entry("Ana", "claim.status");
        with_hash.hash = "anything".into();
        assert_eq!(entry_hash(&with_hash), entry_hash(&entry("Ana", "claim.status")), "the hash field is not hashed");
    }
}
