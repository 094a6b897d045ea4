//! Who holds a desk's vault: setting it up, unlocking it (with a person's
//! passphrase, the recovery key or this computer's keyring), changing a
//! passphrase, rotating the key, remembering and forgetting this computer,
//! and, on a desk with people, wrapping the desk key for each person allowed
//! to unlock it.
//!
//! These are the review's commands (`impl Review`); the keys, wrappings,
//! the slow-down of wrong passphrases and the sealing primitives are the
//! lower layer, [`crate::vault`]. Sealing a desk's register is sourcing's.

use crate::audit::{AuditAction, Entity};
use crate::keyring::{self, KeyringError};
use crate::review::Subject;
use crate::rights::{check_named_editor_for, check_person_name, role_of, Action, Role};
use crate::sourcing::source::{has_unread_identities, read_confidential, reseal_desk, seal_desk};
use crate::sourcing::{audit, write, SourcingError};
use crate::store::{lock, DeskId, Store, StoreError};
use crate::vault::{
    attempt_succeeded, begin_attempt, check_passphrase, computer_recipient, computer_secret, create, database_path,
    drop_wrapping, has_vault, has_wrapping, idle_minutes, idle_minutes_refused, open_wrapping, retry_after, rotate,
    scrub, set_passphrase, unlock, unlock_with_recovery, wrap_for, DeskKey, KdfParams, KeyringUnlock, RecoveryKey,
    VaultError, VaultStatus, STALE_MESSAGE,
};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::json;
use zeroize::Zeroizing;

/// One person the desk key is wrapped for, as the window lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VaultHolder {
    pub name: String,
    /// Their role on the desk; `None` for a wrapping left for someone no longer one of its people.
    pub role: Option<Role>,
}

/// Who holds a desk's key, for someone who may give or take it back: on a
/// desk with people only (on a desk without, the one reviewer holds it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VaultAccess {
    /// The people the key is wrapped for, by name.
    pub holders: Vec<VaultHolder>,
    /// The desk's people whose role may hold the key (standards editors and editors) and who do not
    /// hold it yet: whom *Give access* offers. The core decides at the grant (an editor needs a
    /// source naming them).
    pub candidates: Vec<VaultHolder>,
    /// Whether the reviewer may give access (with the vault unlocked): a standards editor, or an editor
    /// holding a wrapping of their own (one no source names can never unlock).
    pub may_grant: bool,
    /// Whether the reviewer may take access back (an admin, or one who may give it, with it unlocked).
    pub may_revoke: bool,
}

/// Which secret an unlock attempt tries.
enum Opener<'a> {
    Passphrase(&'a SecretString),
    Recovery(&'a SecretString),
}

impl crate::review::Review {
    /// Sets up a desk's vault with the reviewer's passphrase and seals every
    /// confidential field already recorded, in one transaction; then clears
    /// what the file still holds of the plain values (see `scrub`). The
    /// review keeps the key unlocked. Returns the recovery key, to show once.
    pub fn init_vault(&self, desk: DeskId, passphrase: &SecretString) -> Result<RecoveryKey, SourcingError> {
        self.init_vault_with(desk, passphrase, KdfParams::DEFAULT)
    }

    /// [`Self::init_vault`] with other Argon2id costs (at least 64 MiB).
    pub fn init_vault_with(
        &self,
        desk: DeskId,
        passphrase: &SecretString,
        kdf: KdfParams,
    ) -> Result<RecoveryKey, SourcingError> {
        let store = lock(self.store());
        if store.desk_path(desk)?.is_none() {
            return Err(SourcingError::Invalid(format!("no desk {desk} in the store")));
        }
        let now = self.now();
        // Asked first too: someone whose role may not set a vault up is told that, not that one exists already.
        self.require_on_desk(&store, desk, Action::SetUpVault)?;
        let (key, recovery) = self.write_as(&store, Action::SetUpVault, Subject::Desk(desk), |store| {
            // Sealing is reading every identity recorded: an editor whom the server shows only those naming them
            // is refused as revealing the others would be (a standards editor sets the vault up).
            if has_unread_identities(store, desk)? {
                crate::rights::check_named_editor(store, desk, self.reviewer(), None)?;
            }
            let (key, recovery) = create(store, desk, self.reviewer(), passphrase, kdf, self.reviewer(), now)?;
            let sealed = seal_desk(store, desk, &key)?;
            audit(
                store,
                self,
                now,
                AuditAction::VaultInit,
                Entity::Desk(desk),
                None,
                Some(json!({ "sources-sealed": sealed })),
            )?;
            Ok::<_, SourcingError>((key, recovery))
        })?;
        scrub(&store)?;
        self.hold_vault_key(desk, Some(key));
        Ok(recovery)
    }

    /// Opens a desk's key with a passphrase or the recovery key, slowed down
    /// after wrong ones (see [`crate::vault::retry_delay`]): the attempt is counted before
    /// the key derivation runs and a right secret clears the count; a wrong
    /// one changes nothing else (the audit trail records unlocks, not guesses).
    fn open_vault(&self, store: &Store, desk: DeskId, opener: &Opener<'_>) -> Result<DeskKey, SourcingError> {
        if !has_vault(store, desk)? {
            return Err(VaultError::NoVault(desk).into());
        }
        // Before the passphrase is even tried: a refused role, or no wrapping to try, costs no attempt.
        self.require_on_desk(store, desk, crate::rights::Action::UnlockVault)?;
        let people = store.desk_has_people(desk)?;
        if people && matches!(opener, Opener::Passphrase(_)) {
            self.require_wrapping(store, desk)?;
        }
        let now = self.now();
        // The role asked again in each transaction that writes (see `Review::write_as`): taken away meanwhile,
        // the attempt is neither counted nor tried.
        self.write_as(store, Action::UnlockVault, Subject::Desk(desk), |store| {
            Ok::<_, SourcingError>(begin_attempt(store, desk, now)?)
        })?;
        let opened = match opener {
            Opener::Passphrase(passphrase) => unlock(store, desk, self.reviewer(), passphrase, people),
            Opener::Recovery(recovery) => unlock_with_recovery(store, desk, recovery),
        };
        let key = opened?;
        self.write_as(store, Action::UnlockVault, Subject::Desk(desk), |store| {
            Ok::<_, SourcingError>(attempt_succeeded(store, desk)?)
        })?;
        Ok(key)
    }

    /// Unlocks a desk's vault with a passphrase for this review (recorded in
    /// the audit trail). A wrong passphrase changes nothing but the count of
    /// failed attempts, which slows the next ones down.
    pub fn unlock_vault(&self, desk: DeskId, passphrase: &SecretString) -> Result<(), SourcingError> {
        let store = lock(self.store());
        let key = self.open_vault(&store, desk, &Opener::Passphrase(passphrase))?;
        self.record_unlock(&store, desk, key, None)
    }

    /// Unlocks a desk's vault with its recovery key (recorded in the audit trail).
    pub fn unlock_vault_with_recovery(&self, desk: DeskId, recovery: &SecretString) -> Result<(), SourcingError> {
        let store = lock(self.store());
        let key = self.open_vault(&store, desk, &Opener::Recovery(recovery))?;
        self.record_unlock(&store, desk, key, Some("recovery-key"))
    }

    /// Holds the key when this person may (see `hold_if_named`) and records
    /// the unlock in the audit trail (`with` what, when not the passphrase);
    /// the key is dropped again when it cannot be recorded: a key is never
    /// held unrecorded.
    fn record_unlock(
        &self,
        store: &Store,
        desk: DeskId,
        key: DeskKey,
        with: Option<&str>,
    ) -> Result<(), SourcingError> {
        self.hold_if_named(store, desk, key)?;
        let now = self.now();
        let detail = with.map(|with| json!({ "with": with }));
        // A role taken away since the key was opened: not recorded, so not held (see `Review::write_as`).
        self.write_as(store, Action::UnlockVault, Subject::Desk(desk), |store| {
            Ok::<_, SourcingError>(audit(store, self, now, AuditAction::VaultUnlock, Entity::Desk(desk), None, detail)?)
        })
        .inspect_err(|_| self.hold_vault_key(desk, None))?;
        Ok(())
    }

    /// On a desk with people, the desk key is wrapped for each person who may
    /// unlock it: someone it is not wrapped for is refused before anything is
    /// tried, with the role it needs.
    fn require_wrapping(&self, store: &Store, desk: DeskId) -> Result<(), SourcingError> {
        if has_wrapping(store, desk, self.reviewer())? {
            return Ok(());
        }
        Err(crate::rights::no_wrapping(store, desk, self.reviewer())?.into())
    }

    /// Keeps the desk's unlocked key, unless the reviewer is an editor (not a
    /// standards editor) on a desk with people whom no source names as the
    /// editor who knows it: only the standards editors and the named editor
    /// unlock the vault (see [`crate::rights`]). Telling needs the key (the
    /// name is sealed): on a refusal it is dropped at once, nothing revealed.
    fn hold_if_named(&self, store: &Store, desk: DeskId, key: DeskKey) -> Result<(), SourcingError> {
        self.hold_vault_key(desk, Some(key));
        let editor = store.desk_has_people(desk)? && role_of(store, desk, self.reviewer())? == Some(Role::Editor);
        if !editor {
            return Ok(());
        }
        let named = self.names_as_editor(store, desk, self.reviewer());
        if !matches!(named, Ok(true)) {
            self.hold_vault_key(desk, None);
        }
        let named = named?.then_some(self.reviewer());
        check_named_editor_for(store, desk, self.reviewer(), named, Action::UnlockVault)?;
        Ok(())
    }

    /// Whether one of the desk's sources names `person` as the editor who
    /// knows it (read with the key this review holds).
    fn names_as_editor(&self, store: &Store, desk: DeskId, person: &str) -> Result<bool, SourcingError> {
        for source in store.sources_of_desk(desk)?.iter().filter(|s| s.confidential.editor_knows) {
            let fields = read_confidential(store, self, source.id)?;
            if fields.editor_knows.as_deref().map(str::trim) == Some(person) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Wraps the desk key for `person`, one of the desk's people allowed to
    /// unlock it (a standards editor, or an editor a source names as the
    /// editor who knows it), under `passphrase`: theirs, typed by them, or one
    /// they change at once with `vault passwd`. Needs the vault unlocked by
    /// this review (whoever holds the key gives it). Someone who already
    /// holds it is refused: their passphrase is theirs to change, never
    /// replaced by one the giver chose (a wrapping left by a role that no
    /// longer allows it is gone already). Audited with the reviewer and the
    /// person.
    pub fn grant_vault(&self, desk: DeskId, person: &str, passphrase: &SecretString) -> Result<(), SourcingError> {
        let key = self.vault_key(desk).ok_or(VaultError::Locked(desk))?;
        let store = lock(self.store());
        self.require_on_desk(&store, desk, Action::UnlockVault)?;
        if store.desk_has_people(desk)? {
            let named = self.names_as_editor(&store, desk, person)?.then_some(person);
            check_named_editor_for(&store, desk, person, named, Action::UnlockVault)?;
        }
        check_person_name(person).map_err(SourcingError::from)?;
        // By name from the server on a team store, where the granter does not read the person's wrapping.
        if store.vault_holder_names(desk)?.iter().any(|holder| holder == person) {
            return Err(VaultError::AlreadyHolds(person.to_owned()).into());
        }
        let now = self.now();
        // The granter's role asked again in the transaction that writes (see `Review::write_as`).
        self.write_as(&store, Action::UnlockVault, Subject::Desk(desk), |store| {
            check_passphrase(passphrase)?;
            // Their computers' rows go first (a holder's own would have been refused above): on a
            // team store they are not the granter's to read, so an upsert could not replace them.
            store.drop_person_vault_wrapping(desk, person)?;
            wrap_for(store, desk, person, passphrase, &key, self.reviewer(), now)?;
            let detail = json!({ "person": person });
            Ok(audit(store, self, now, AuditAction::VaultGrant, Entity::Desk(desk), None, Some(detail))?)
        })
        .map_err(|error| self.explain_team_store_refusal(&store, desk, error))?;
        scrub(&store)?;
        Ok(())
    }

    /// The team store's refusal (insufficient_privilege) to someone who
    /// unlocked with the recovery key and holds no wrapping of their own:
    /// the server lets only a holder give access (a passphrase of their own
    /// included) or take it back, so say that and what to do rather than the
    /// server's words. Anything else as it is.
    fn explain_team_store_refusal(&self, store: &Store, desk: DeskId, error: SourcingError) -> SourcingError {
        let refused_by_the_server = match &error {
            SourcingError::Store(StoreError::Postgres(message))
            | SourcingError::Vault(VaultError::Store(StoreError::Postgres(message))) => message.contains("(42501)"),
            _ => false,
        };
        if refused_by_the_server
            && store.is_team_store()
            && self.is_vault_unlocked(desk)
            && matches!(has_wrapping(store, desk, self.reviewer()), Ok(false))
        {
            return VaultError::NoWrappingOfYourOwn.into();
        }
        error
    }

    /// Takes back `person`'s wrapping of the desk key (and their computers'):
    /// they no longer unlock the vault. An admin of the desk may, or a
    /// holder: one whose role may unlock it, with it unlocked by this review
    /// (known to hold it: on a desk with people only their own wrapping or
    /// the recovery key opens it). `Ok(false)` when they held none (nothing
    /// recorded). What they may have seen or copied while they held it stays
    /// theirs: rotate the key to shut them out of it.
    pub fn revoke_vault(&self, desk: DeskId, person: &str) -> Result<bool, SourcingError> {
        let store = lock(self.store());
        if !has_vault(&store, desk)? {
            return Err(VaultError::NoVault(desk).into());
        }
        self.require_revoking(&store, desk)?;
        let now = self.now();
        // No look first: on a team store an admin may not read the wrappings, only take them back.
        let gone = write(&store, |store| {
            // Asked again in the transaction that writes (see `Review::write_as`).
            self.require_revoking(store, desk)?;
            let gone = store.drop_person_vault_wrapping(desk, person)?;
            if gone > 0 {
                let detail = json!({ "person": person });
                audit(store, self, now, AuditAction::VaultRevoke, Entity::Desk(desk), None, Some(detail))?;
            }
            Ok(gone)
        })
        .map_err(|error| self.explain_team_store_refusal(&store, desk, error))?;
        scrub(&store)?;
        Ok(gone > 0)
    }

    /// Who may take a person's access back (see [`Self::revoke_vault`]): an admin of the desk, or one whose
    /// role may unlock it, with it unlocked by this review.
    fn require_revoking(&self, store: &Store, desk: DeskId) -> Result<(), SourcingError> {
        if let Err(refused) = self.require_on_desk(store, desk, Action::ManagePeople) {
            // Someone who may hold the key shows it by unlocking first; anyone else is refused for want of a role.
            self.require_on_desk(store, desk, Action::UnlockVault).map_err(|_| refused)?;
            if !self.is_vault_unlocked(desk) {
                return Err(VaultError::Locked(desk).into());
            }
        }
        Ok(())
    }

    /// After a source's editor who knows it changed from `previous`: an
    /// editor (not a standards editor) whom no source of the desk names any
    /// more loses their wrapping, inside the caller's transaction, with the
    /// key this review holds to read the sources' sealed names. Else they
    /// could still unwrap the key offline with their passphrase.
    pub(crate) fn drop_wrapping_if_unnamed(
        &self,
        store: &Store,
        desk: DeskId,
        previous: &str,
    ) -> Result<(), SourcingError> {
        let previous = previous.trim();
        if !store.desk_has_people(desk)?
            || role_of(store, desk, previous)? != Some(Role::Editor)
            || self.names_as_editor(store, desk, previous)?
        {
            return Ok(());
        }
        store.drop_person_vault_wrapping(desk, previous)?;
        Ok(())
    }

    /// Who holds the desk's key and whom the reviewer may give it to, for
    /// the window's vault panel. `None` when there is nothing to manage or
    /// it is not the reviewer's to: no vault, no people on the desk, or a
    /// role that may neither give nor take back access.
    pub fn vault_access(&self, desk: DeskId) -> Result<Option<VaultAccess>, SourcingError> {
        let store = lock(self.store());
        if !has_vault(&store, desk)? || !store.desk_has_people(desk)? {
            return Ok(None);
        }
        let may_unlock = self.require_on_desk(&store, desk, Action::UnlockVault).is_ok();
        let may_manage = self.require_on_desk(&store, desk, Action::ManagePeople).is_ok();
        if !may_unlock && !may_manage {
            return Ok(None);
        }
        let people = crate::rights::people(&store, desk)?;
        let role_of = |name: &str| people.iter().find(|p| p.name == name).map(|p| p.role);
        let holders: Vec<VaultHolder> = store
            .vault_holder_names(desk)?
            .into_iter()
            .map(|name| VaultHolder { role: role_of(&name), name })
            .collect();
        // Giving and taking back (as a holder) need the vault unlocked, which an editor does only with a
        // wrapping of their own: given to the editor a source names, taken back when none names them any
        // more. An editor without one can never unlock: nothing to offer them.
        let may_grant = may_unlock
            && (role_of(self.reviewer()) != Some(Role::Editor)
                || holders.iter().any(|holder| holder.name == self.reviewer()));
        let may_revoke = may_grant || may_manage;
        if !may_revoke {
            return Ok(None);
        }
        let holds = |name: &str| holders.iter().any(|holder| holder.name == name);
        let candidates = people
            .iter()
            .filter(|p| matches!(p.role, Role::StandardsEditor | Role::Editor) && !holds(&p.name))
            .map(|p| VaultHolder { name: p.name.clone(), role: Some(p.role) })
            .collect();
        Ok(Some(VaultAccess { holders, candidates, may_grant, may_revoke }))
    }

    /// Forgets the desk's unlocked key.
    pub fn lock_vault(&self, desk: DeskId) {
        self.hold_vault_key(desk, None);
    }

    /// Whether this review holds the desk's key.
    pub fn is_vault_unlocked(&self, desk: DeskId) -> bool {
        self.unlocked_keys().is_unlocked(desk)
    }

    /// What the window shows of a desk's vault: set up or not, unlocked or
    /// not, its idle time, and how long a wrong passphrase made it wait.
    pub fn vault_status(&self, desk: DeskId) -> Result<VaultStatus, SourcingError> {
        let store = lock(self.store());
        let wait = retry_after(&store, desk, self.now())?;
        let remembered = database_path(&store).and_then(|db| keyring::is_remembered(desk, &db));
        Ok(VaultStatus {
            desk,
            has_vault: has_vault(&store, desk)?,
            unlocked: self.is_vault_unlocked(desk),
            idle_minutes: idle_minutes(&store),
            retry_after_seconds: u32::try_from(wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).unwrap_or(u32::MAX),
            remembered: remembered.as_ref().is_ok_and(|r| *r),
            keyring_unavailable: remembered.err().map(|e| e.to_string()),
            idle_minutes_refused: idle_minutes_refused(&store)?,
        })
    }

    /// Wraps the desk key, unlocked first, with the reviewer's new passphrase.
    pub fn change_vault_passphrase(&self, desk: DeskId, new: &SecretString) -> Result<(), SourcingError> {
        let key = self.vault_key(desk).ok_or(VaultError::Locked(desk))?;
        let store = lock(self.store());
        let now = self.now();
        // The role read in the transaction that writes (see `Review::write_as`): one taken away since the
        // unlock wraps nothing.
        self.write_as(&store, Action::UnlockVault, Subject::Desk(desk), |store| {
            set_passphrase(store, desk, self.reviewer(), new, &key, self.reviewer(), now)?;
            Ok::<_, SourcingError>(audit(store, self, now, AuditAction::VaultPasswd, Entity::Desk(desk), None, None)?)
        })
        // `vault recover` by someone holding no wrapping: on a team store only a holder gives one, theirs too.
        .map_err(|error| self.explain_team_store_refusal(&store, desk, error))?;
        // The old wrapping's row was overwritten: nothing of it stays in free pages.
        scrub(&store)?;
        Ok(())
    }

    /// Replaces the desk key with a new one and re-seals every field under
    /// it, in one transaction. The passphrase that opens the old key wraps the
    /// new one; other people's rows are removed (give them the desk again);
    /// returns the new recovery key (the old one no longer opens anything).
    pub fn rotate_vault_key(&self, desk: DeskId, passphrase: &SecretString) -> Result<RecoveryKey, SourcingError> {
        let store = lock(self.store());
        let old = self.open_vault(&store, desk, &Opener::Passphrase(passphrase))?;
        // Rotating takes the key in hand: only those who may unlock it (a named editor, a standards editor).
        self.hold_if_named(&store, desk, old.clone())?;
        let now = self.now();
        let (key, recovery) = self.write_as(&store, Action::UnlockVault, Subject::Desk(desk), |store| {
            let (key, recovery) = rotate(store, desk, &old, self.reviewer(), passphrase, self.reviewer(), now)?;
            let fields = reseal_desk(store, desk, &old, &key)?;
            audit(
                store,
                self,
                now,
                AuditAction::VaultRotate,
                Entity::Desk(desk),
                None,
                Some(json!({ "generation": key.generation(), "fields-resealed": fields })),
            )?;
            Ok::<_, SourcingError>((key, recovery))
        })?;
        scrub(&store)?;
        // The rotation removed every computer's wrapping: this one, if it remembered the
        // desk, remembers the new key (others' items are now stale and get forgotten).
        if let Ok(db) = database_path(&store) {
            if let Ok(Some(_)) = keyring::load(desk, &db) {
                if self.remember_with(&store, desk, &db, &key, Some(json!({ "after": "rotate" }))).is_err() {
                    // Could not re-remember: an item that cannot open anything is only noise.
                    let _ = keyring::delete(desk, &db);
                }
            }
        }
        self.hold_vault_key(desk, Some(key));
        Ok(recovery)
    }

    /// "Remember on this computer": the unlocked desk will open from the OS
    /// keyring without the passphrase (see the module doc for what is kept
    /// and why). Audited with the reviewer. Fails with the reason when there
    /// is no keyring here, changing nothing.
    pub fn remember_vault(&self, desk: DeskId) -> Result<(), SourcingError> {
        let key = self.vault_key(desk).ok_or(VaultError::Locked(desk))?;
        let store = lock(self.store());
        let db = database_path(&store).map_err(VaultError::from)?;
        keyring::available().map_err(VaultError::from)?;
        self.remember_with(&store, desk, &db, &key, None)
    }

    /// Wraps `key` for a new computer secret, then stores that secret in the
    /// keyring (replacing this computer's previous wrapping, if any).
    fn remember_with(
        &self,
        store: &Store,
        desk: DeskId,
        db: &std::path::Path,
        key: &DeskKey,
        detail: Option<serde_json::Value>,
    ) -> Result<(), SourcingError> {
        let previous = keyring::load(desk, db).ok().flatten().map(|item| computer_recipient(&item.computer));
        let mut item = keyring::Item { computer: [0u8; keyring::COMPUTER_ID_BYTES], secret: Zeroizing::new([0u8; 32]) };
        OsRng.fill_bytes(&mut item.computer);
        OsRng.fill_bytes(item.secret.as_mut());
        let recipient = computer_recipient(&item.computer);
        let now = self.now();
        // Only one whose role may unlock the vault wraps its key, the role read as it writes (`Review::write_as`).
        self.write_as(store, Action::UnlockVault, Subject::Desk(desk), |store| {
            if let Some(previous) = &previous {
                drop_wrapping(store, desk, previous)?;
            }
            let secret = computer_secret(item.secret.as_ref());
            wrap_for(store, desk, &recipient, &secret, key, self.reviewer(), now)?;
            Ok::<_, SourcingError>(audit(
                store,
                self,
                now,
                AuditAction::VaultRemember,
                Entity::Desk(desk),
                None,
                detail,
            )?)
        })?;
        if let Err(error) = keyring::save(desk, db, &item) {
            // Nothing remembered after all: the row no secret opens goes again.
            write(store, |store| Ok(drop_wrapping(store, desk, &recipient)?))?;
            return Err(VaultError::from(error).into());
        }
        Ok(())
    }

    /// Stops remembering the desk on this computer: its wrapping is deleted
    /// from the vault and its item from the keyring. `Ok(false)` when it was
    /// not remembered. Audited with the reviewer.
    pub fn forget_vault(&self, desk: DeskId) -> Result<bool, SourcingError> {
        let store = lock(self.store());
        let db = database_path(&store).map_err(VaultError::from)?;
        let Some(item) = keyring::load(desk, &db).map_err(VaultError::from)? else { return Ok(false) };
        let now = self.now();
        // As every write of the vault, by a role that may unlock it, read as it writes (`Review::write_as`).
        self.write_as(&store, Action::UnlockVault, Subject::Desk(desk), |store| {
            drop_wrapping(store, desk, &computer_recipient(&item.computer))?;
            Ok::<_, SourcingError>(audit(store, self, now, AuditAction::VaultForget, Entity::Desk(desk), None, None)?)
        })?;
        keyring::delete(desk, &db).map_err(VaultError::from)?;
        scrub(&store)?;
        Ok(true)
    }

    /// Unlocks the desk from the OS keyring when this computer remembers it
    /// (audited as an unlock "with": "keyring"). What no longer opens the
    /// vault is forgotten (audited) and reported with [`STALE_MESSAGE`]; no
    /// keyring, or nothing remembered, is not an error: the caller asks the
    /// passphrase. Not counted as a guess by the slow-down of wrong passphrases.
    pub fn unlock_vault_from_keyring(&self, desk: DeskId) -> Result<KeyringUnlock, SourcingError> {
        let store = lock(self.store());
        if !has_vault(&store, desk)? {
            return Err(VaultError::NoVault(desk).into());
        }
        self.require_on_desk(&store, desk, crate::rights::Action::UnlockVault)?;
        if store.desk_has_people(desk)? {
            self.require_wrapping(&store, desk)?;
        }
        if self.is_vault_unlocked(desk) {
            return Ok(KeyringUnlock::Unlocked);
        }
        let db = match database_path(&store) {
            Ok(db) => db,
            Err(error) => return Ok(KeyringUnlock::Unavailable { reason: error.to_string() }),
        };
        let item = match keyring::load(desk, &db) {
            Ok(Some(item)) => item,
            Ok(None) => return Ok(KeyringUnlock::NotRemembered),
            Err(error) => return Ok(KeyringUnlock::Unavailable { reason: error.to_string() }),
        };
        let recipient = computer_recipient(&item.computer);
        let secret = computer_secret(item.secret.as_ref());
        let opened = open_wrapping(&store, desk, &recipient, &secret)?;
        let now = self.now();
        let Some(key) = opened else {
            let _ = keyring::delete(desk, &db);
            self.write_as(&store, Action::UnlockVault, Subject::Desk(desk), |store| {
                // A row that did not open (the vault set up again under the same name) goes too.
                drop_wrapping(store, desk, &recipient)?;
                audit(
                    store,
                    self,
                    now,
                    AuditAction::VaultForget,
                    Entity::Desk(desk),
                    None,
                    Some(json!({ "reason": "no longer opens the vault" })),
                )?;
                Ok::<_, SourcingError>(())
            })?;
            return Ok(KeyringUnlock::Forgotten { reason: STALE_MESSAGE.to_owned() });
        };
        self.record_unlock(&store, desk, key, Some("keyring"))?;
        Ok(KeyringUnlock::Unlocked)
    }

    /// Whether this computer remembers the desk in the OS keyring (an error says why it cannot tell).
    pub fn is_vault_remembered(&self, desk: DeskId) -> Result<bool, KeyringError> {
        let db = database_path(&lock(self.store()))?;
        keyring::is_remembered(desk, &db)
    }
}
