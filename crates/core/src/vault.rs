//! A desk's vault: source protection at rest.
//!
//! A desk with a vault keeps every confidential field of its sources as
//! ciphertext: XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`) under a
//! random 256-bit desk key, a fresh random nonce per write, the source id,
//! the field's name and the key's generation bound as associated data (a
//! sealed value moved to another source or field does not open).
//!
//! The desk key is never stored as such: it is wrapped (with the same AEAD)
//! by a key derived with Argon2id from each allowed person's passphrase, and
//! once more by a random recovery key shown once when the vault is set up.
//! One row of `vault_keys` per person or recovery key, with the Argon2id
//! parameters beside it, so a team can share a desk and the parameters can
//! grow without breaking older rows. Keys live in `zeroize`/`secrecy` types,
//! wiped from memory when dropped.
//!
//! On a desk with people (see [`crate::rights`]) a passphrase opens only its
//! own person's row: the key is wrapped for each standards editor and named
//! editor a holder granted it to, and a role change that no longer allows it
//! deletes that person's row. On a desk without people any of the vault's
//! passphrases opens it, as before people. The review's commands that use
//! all this (set up, unlock, grant, rotate, remember) are in
//! [`crate::vault_access`]; this module is the layer below them.
//!
//! A desk without a vault behaves as before this feature (plain text, as in
//! a database from before it); `vault init` seals what is there.
//!
//! An unlocked key is held in memory only ([`UnlockedKeys`]), and dropped
//! (wiped) when locked, or once unused for the idle time ([`idle_timeout`],
//! ten minutes unless set). Wrong passphrases are slowed down per desk, for
//! the window and the command line alike: each attempt is counted in the
//! database *before* the key derivation runs (so parallel attempts count
//! too), a right one clears the count, and from the [`FREE_FAILURES`]th wrong
//! one on the next attempt is refused until [`retry_delay`] has passed.
//!
//! ## Remember on this computer (opt-in)
//!
//! A person may ask that this computer open the desk without the
//! passphrase ([`crate::review::Review::remember_vault`] in [`crate::vault_access`]). What the OS keyring then holds
//! (see [`crate::keyring`]) is neither the passphrase nor the desk key: it is
//! 32 random bytes, and the vault gains one more wrapping of the desk key,
//! by those bytes, under a recipient name of its own (see
//! [`COMPUTER_RECIPIENT`]). Why:
//! - the passphrase is often reused elsewhere and opens every copy of the
//!   vault, on any machine: it never leaves the person's head and the prompt;
//! - the desk key in the keyring could not be checked against the vault (a
//!   vault set up again has a different key of the same generation, found out
//!   only when a field fails to open), and would go on opening every copy of
//!   the database, even after "forget", for whoever read the keyring once;
//! - a wrapping row is checked by its AEAD like any other: an item that no
//!   longer opens the vault (the key rotated, the vault set up again, the
//!   computer forgotten from elsewhere) is found at once, forgotten with a
//!   message, and the passphrase asked. "Forget" deletes the row too, so a
//!   copy of the keyring's secret is then worth nothing; the keyring's secret
//!   alone opens nothing without this database, nor the database without it.
//!
//! The row uses the same Argon2id as a passphrase's (redundant for 256 random
//! bits, but one format for every wrapping and the schema's checks kept).
//! A passphrase change leaves the desk key, so the computer's wrapping, as
//! they were: a remembered computer stays remembered. A rotation removes
//! every wrapping; the computer rotating re-remembers itself with the new
//! key if it was remembered, others' items become stale. Remembering,
//! forgetting and each unlock from the keyring are audited with the
//! reviewer. The idle lock and locking on close still drop the key from
//! memory: the next use unlocks from the keyring again.

use crate::clock::to_rfc3339;
use crate::keyring::KeyringError;
use crate::store::vault::NewWrappedKey;
use crate::store::{DeskId, SourceId, Store, StoreError};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use zeroize::Zeroizing;

/// Errors from the vault. [`VaultError::code`] names each for the window.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the vault of desk {0} is locked: unlock it with the passphrase (FACTDESK_PASSPHRASE_FILE names a file holding it, for scripts)")]
    Locked(DeskId),
    #[error("desk {0} has no vault; set one up with `factdesk vault init`")]
    NoVault(DeskId),
    #[error("desk {0} already has a vault")]
    AlreadyExists(DeskId),
    #[error("wrong passphrase: the vault stays locked and nothing was changed")]
    WrongPassphrase,
    #[error("wrong recovery key: the vault stays locked and nothing was changed")]
    WrongRecoveryKey,
    #[error("the passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters")]
    WeakPassphrase,
    #[error("a sealed field of source {0} does not open with this desk's key: it was altered or moved")]
    Tampered(SourceId),
    #[error("the key derivation failed: {0}")]
    Kdf(String),
    #[error("too many wrong passphrases for this vault: try again in {seconds} s (nothing was changed)")]
    Throttled { seconds: u64 },
    #[error("the vault's idle time must be between 1 and {MAX_IDLE_MINUTES} minutes")]
    InvalidIdle,
    #[error(
        "{0} already holds the desk key: they change their passphrase themselves with `factdesk vault passwd` \
         (if they forgot it, take their access back, then give it again)"
    )]
    AlreadyHolds(String),
    #[error(
        "you unlocked the vault with the recovery key and hold no wrapping of the desk key of your own: the team \
         store lets only someone who holds the key under their own passphrase give access (a passphrase of your own \
         included) or take it back; ask one of them to give it to you (`factdesk vault grant DIR YOUR-NAME`), then \
         unlock with your passphrase"
    )]
    NoWrappingOfYourOwn,
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for VaultError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(error))
    }
}

impl VaultError {
    /// A stable name for the error, as the window and scripts match on it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Locked(_) => "vault_locked",
            Self::NoVault(_) => "no_vault",
            Self::AlreadyExists(_) => "vault_exists",
            Self::WrongPassphrase => "wrong_passphrase",
            Self::WrongRecoveryKey => "wrong_recovery_key",
            Self::WeakPassphrase => "weak_passphrase",
            Self::Tampered(_) => "vault_tampered",
            Self::Kdf(_) => "vault_kdf",
            Self::Throttled { .. } => "vault_throttled",
            Self::InvalidIdle | Self::AlreadyHolds(_) | Self::NoWrappingOfYourOwn => "invalid_input",
            Self::Keyring(_) => "keyring",
            Self::Store(_) => "store",
        }
    }
}

/// The shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Argon2id's cost, stored beside every key it wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// What a new vault uses: 64 MiB, 3 passes, one lane (OWASP's
    /// recommendation for Argon2id is at least 19 MiB and 2 passes).
    pub const DEFAULT: Self = Self { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };
}

/// The name of the KDF in `vault_keys.kdf`.
const KDF_NAME: &str = "argon2id-v19";

/// A desk's key, with the generation it belongs to. Wiped when dropped.
#[derive(Clone)]
pub struct DeskKey {
    bytes: Zeroizing<[u8; 32]>,
    generation: i64,
}

impl std::fmt::Debug for DeskKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeskKey(generation {}, redacted)", self.generation)
    }
}

impl DeskKey {
    fn random(generation: i64) -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(bytes.as_mut());
        Self { bytes, generation }
    }

    /// The generation of the vault this key belongs to.
    pub(crate) fn generation(&self) -> i64 {
        self.generation
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.bytes.as_ref().into())
    }

    /// Seals one field of a source: (nonce, ciphertext).
    pub(crate) fn seal(&self, source: SourceId, field: &str, plaintext: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let aad = field_aad(source, field, self.generation);
        // Encryption with a valid key and nonce cannot fail for inputs this size
        // (the AEAD errors only past 2^38 bytes); an empty ciphertext would not open.
        let sealed = self.cipher().encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: &aad });
        (nonce.to_vec(), sealed.unwrap_or_default())
    }

    /// Opens one sealed field of a source.
    pub(crate) fn open(
        &self,
        source: SourceId,
        field: &str,
        nonce: &[u8],
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        if nonce.len() != 24 {
            return Err(VaultError::Tampered(source));
        }
        let aad = field_aad(source, field, self.generation);
        self.cipher()
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: &aad })
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Tampered(source))
    }
}

fn field_aad(source: SourceId, field: &str, generation: i64) -> Vec<u8> {
    format!("factdesk source-field v1\0source {source}\0field {field}\0generation {generation}").into_bytes()
}

fn wrap_aad(desk: DeskId, kind: &str, recipient: &str, generation: i64) -> Vec<u8> {
    format!("factdesk desk-key v1\0desk {desk}\0{kind} {recipient}\0generation {generation}").into_bytes()
}

/// The desk keys a review has unlocked, each with when it was last used:
/// shared by the review's clones (the window's commands), wiped from memory
/// when locked, when unused for the idle time, or when dropped.
#[derive(Clone, Default)]
pub struct UnlockedKeys(Arc<Mutex<HashMap<DeskId, Held>>>);

struct Held {
    key: DeskKey,
    used_at: DateTime<Utc>,
}

impl std::fmt::Debug for UnlockedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UnlockedKeys({} desks, redacted)", self.held().len())
    }
}

impl UnlockedKeys {
    fn held(&self) -> MutexGuard<'_, HashMap<DeskId, Held>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The key of `desk`, if unlocked; using it counts as activity at `now`.
    pub(crate) fn get(&self, desk: DeskId, now: DateTime<Utc>) -> Option<DeskKey> {
        let mut held = self.held();
        let entry = held.get_mut(&desk)?;
        entry.used_at = now;
        Some(entry.key.clone())
    }

    /// Keeps (or, with `None`, forgets) the key of `desk`.
    pub(crate) fn hold(&self, desk: DeskId, key: Option<DeskKey>, now: DateTime<Utc>) {
        let mut held = self.held();
        match key {
            Some(key) => held.insert(desk, Held { key, used_at: now }),
            None => held.remove(&desk),
        };
    }

    /// Whether the key of `desk` is unlocked.
    pub fn is_unlocked(&self, desk: DeskId) -> bool {
        self.held().contains_key(&desk)
    }

    /// Forgets every key (the window closing); returns the desks locked.
    pub fn lock_all(&self) -> Vec<DeskId> {
        self.held().drain().map(|(desk, _)| desk).collect()
    }

    /// Forgets the keys unused since `now - idle`; returns the desks locked.
    pub fn lock_idle(&self, now: DateTime<Utc>, idle: Duration) -> Vec<DeskId> {
        let idle = chrono::Duration::from_std(idle).unwrap_or(chrono::Duration::MAX);
        let mut held = self.held();
        let stale: Vec<DeskId> =
            held.iter().filter(|(_, h)| now.signed_duration_since(h.used_at) >= idle).map(|(desk, _)| *desk).collect();
        for desk in &stale {
            held.remove(desk);
        }
        stale
    }
}

/// The setting holding how many minutes an unused unlocked vault stays open.
pub const IDLE_MINUTES_SETTING: &str = "vault_idle_minutes";
/// The idle time when none is set.
pub const DEFAULT_IDLE_MINUTES: u32 = 10;
/// The longest idle time accepted: a working day.
pub const MAX_IDLE_MINUTES: u32 = 8 * 60;
/// Overrides the idle time in seconds, for tests of the idle lock (never needed in use).
pub const IDLE_SECONDS_ENV: &str = "FACTDESK_VAULT_IDLE_SECONDS";

/// The idle time set in Factdesk, in minutes.
pub fn idle_minutes(store: &Store) -> u32 {
    store
        .setting(IDLE_MINUTES_SETTING)
        .ok()
        .flatten()
        .and_then(|text| text.parse().ok())
        .filter(|m| (1..=MAX_IDLE_MINUTES).contains(m))
        .unwrap_or(DEFAULT_IDLE_MINUTES)
}

/// How long an unlocked vault may go unused before it locks itself:
/// `FACTDESK_VAULT_IDLE_SECONDS` when set (tests), else [`idle_minutes`].
pub fn idle_timeout(store: &Store) -> Duration {
    let test_seconds = std::env::var(IDLE_SECONDS_ENV).ok().and_then(|s| s.trim().parse::<u64>().ok());
    match test_seconds {
        Some(seconds) if seconds > 0 => Duration::from_secs(seconds),
        _ => Duration::from_secs(u64::from(idle_minutes(store)) * 60),
    }
}

/// Why this login may not change the idle time, asked of the server as it stands; `None` when it may (always on
/// SQLite).
pub fn idle_minutes_refused(store: &Store) -> Result<Option<String>, StoreError> {
    Ok((!store.may_write_setting(IDLE_MINUTES_SETTING)?)
        .then(|| format!("You may not change the idle time: {}.", crate::store::whose_setting(IDLE_MINUTES_SETTING))))
}

/// Saves the idle time, in minutes (1 to [`MAX_IDLE_MINUTES`]).
pub fn set_idle_minutes(store: &Store, minutes: u32) -> Result<u32, VaultError> {
    if !(1..=MAX_IDLE_MINUTES).contains(&minutes) {
        return Err(VaultError::InvalidIdle);
    }
    store.set_setting(IDLE_MINUTES_SETTING, &minutes.to_string())?;
    Ok(minutes)
}

/// Wrong passphrases in a row that cost nothing more than the key derivation itself.
pub const FREE_FAILURES: u32 = 3;
/// The longest wait between two attempts.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(15 * 60);

/// How long the next attempt waits after `failures` wrong passphrases in a
/// row: nothing for the first two, then 5 s after the third, doubling with
/// each further one (10 s, 20 s, …), at most [`MAX_RETRY_DELAY`].
pub fn retry_delay(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    Duration::from_secs(5u64 << doublings).min(MAX_RETRY_DELAY)
}

fn attempts(store: &Store, desk: DeskId) -> Result<Option<(u32, DateTime<Utc>)>, StoreError> {
    let row = store.vault_attempts(desk)?;
    // An unreadable time counts as now: the delay runs again rather than being skipped.
    Ok(row.map(|(failures, at)| {
        (failures, DateTime::parse_from_rfc3339(&at).map_or_else(|_| Utc::now(), |t| t.with_timezone(&Utc)))
    }))
}

/// How long until the next unlock attempt of `desk` is accepted (zero: now).
pub fn retry_after(store: &Store, desk: DeskId, now: DateTime<Utc>) -> Result<Duration, StoreError> {
    let Some((failures, last_at)) = attempts(store, desk)? else { return Ok(Duration::ZERO) };
    let until = chrono::Duration::from_std(retry_delay(failures)).unwrap_or(chrono::Duration::MAX);
    let left = (last_at + until).signed_duration_since(now);
    Ok(left.to_std().unwrap_or(Duration::ZERO))
}

/// Starts an unlock attempt inside the caller's transaction: refused while
/// the delay runs, otherwise counted as a failure until [`attempt_succeeded`].
pub(crate) fn begin_attempt(store: &Store, desk: DeskId, now: DateTime<Utc>) -> Result<(), VaultError> {
    let wait = retry_after(store, desk, now)?;
    if !wait.is_zero() {
        // Rounded up: "try again in 0 s" would be refused again.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return Err(VaultError::Throttled { seconds });
    }
    store.count_vault_attempt(desk, &to_rfc3339(now))?;
    Ok(())
}

pub(crate) fn attempt_succeeded(store: &Store, desk: DeskId) -> Result<(), StoreError> {
    store.clear_vault_attempts(desk)
}

/// What the window shows of a desk's vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VaultStatus {
    pub desk: DeskId,
    /// Whether the desk has a vault (its confidential fields are sealed).
    pub has_vault: bool,
    /// Whether this session holds the desk's key.
    pub unlocked: bool,
    /// How many minutes unused before it locks itself.
    pub idle_minutes: u32,
    /// Seconds until the next passphrase is accepted after wrong ones (0: now).
    pub retry_after_seconds: u32,
    /// Whether this computer remembers the desk in the OS keyring.
    pub remembered: bool,
    /// Why "Remember on this computer" cannot be offered here (no keyring), if so.
    pub keyring_unavailable: Option<String>,
    /// Why this login may not change the idle time (on a team store it is every desk's: the store's owner sets
    /// it), if so: the window then shows it rather than offering the setting.
    pub idle_minutes_refused: Option<String>,
}

/// What trying the OS keyring for an unlock came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum KeyringUnlock {
    /// Unlocked with what this computer remembered (or it was unlocked already).
    Unlocked,
    /// This computer does not remember the desk: ask the passphrase.
    NotRemembered,
    /// What was remembered no longer opens the vault and was forgotten: say why, ask the passphrase.
    Forgotten { reason: String },
    /// No keyring here: ask the passphrase.
    Unavailable { reason: String },
}

/// The message when a remembered item no longer opens the vault.
pub const STALE_MESSAGE: &str = "The key remembered on this computer no longer opens this desk's vault (its key was \
    replaced or the vault set up again, or it was forgotten elsewhere): it has been forgotten. Unlock with the \
    passphrase; you may remember it again.";

/// Recipients of computers' wrappings start with this. It begins with a
/// control character, which no reviewer's name may hold, so a computer's row
/// and a person's never collide, and passphrase unlocks skip computers' rows.
pub const COMPUTER_RECIPIENT: &str = "\u{1f}computer ";

pub(crate) fn computer_recipient(id: &[u8]) -> String {
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    format!("{COMPUTER_RECIPIENT}{hex}")
}

/// The wrapping secret of a remembered item, as the KDF's input (hex).
pub(crate) fn computer_secret(secret: &[u8]) -> SecretString {
    let hex: Zeroizing<String> = Zeroizing::new(secret.iter().map(|b| format!("{b:02x}")).collect());
    SecretString::from(hex.as_str())
}

/// The database's full path, which binds a keyring item to it.
pub(crate) fn database_path(store: &Store) -> Result<std::path::PathBuf, KeyringError> {
    if store.is_team_store() {
        return Err(KeyringError::NotOffered(
            "a team store's vault is not remembered on a computer: each person unlocks it with their own passphrase",
        ));
    }
    let path =
        store.path().ok_or_else(|| KeyringError::Unavailable("an in-memory database cannot be remembered".into()))?;
    Ok(std::fs::canonicalize(&path).unwrap_or(path))
}

/// The recovery key, shown once when a vault is set up: 32 random bytes as
/// eight groups of eight hex digits.
pub struct RecoveryKey(SecretString);

impl RecoveryKey {
    fn random() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(bytes.as_mut());
        let hex: Zeroizing<String> = Zeroizing::new(bytes.iter().map(|b| format!("{b:02x}")).collect());
        let grouped: Vec<&str> = (0..8).filter_map(|i| hex.get(i * 8..i * 8 + 8)).collect();
        Self(SecretString::from(grouped.join("-")))
    }

    /// The key as the person writes it down.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// A recovery key as typed: case, spaces and dashes do not matter.
fn normalised_recovery(typed: &SecretString) -> SecretString {
    let kept: Zeroizing<String> = Zeroizing::new(
        typed.expose_secret().chars().filter(char::is_ascii_hexdigit).map(|c| c.to_ascii_lowercase()).collect(),
    );
    SecretString::from(kept.as_str())
}

fn derive(secret: &[u8], salt: &[u8], kdf: KdfParams) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let params = Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(32))
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, out.as_mut())
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
    Ok(out)
}

/// Who may open a desk key: a person's passphrase, or the recovery key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Passphrase,
    Recovery,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Passphrase => "passphrase",
            Self::Recovery => "recovery",
        }
    }
}

/// The recipient name of the recovery key's row.
const RECOVERY: &str = "recovery";

/// Stores `key` wrapped by `secret` for one recipient (replacing that recipient's row).
#[allow(clippy::too_many_arguments)]
fn store_wrapped(
    store: &Store,
    desk: DeskId,
    kind: Kind,
    recipient: &str,
    secret: &SecretString,
    key: &DeskKey,
    kdf: KdfParams,
    by: &str,
    at: &str,
) -> Result<(), VaultError> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let wrapping = DeskKey { bytes: derive(secret.expose_secret().as_bytes(), &salt, kdf)?, generation: 0 };
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut nonce);
    let aad = wrap_aad(desk, kind.as_str(), recipient, key.generation);
    let wrapped = wrapping
        .cipher()
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.bytes.as_ref(), aad: &aad })
        .map_err(|_| VaultError::Kdf("cannot wrap the desk key".into()))?;
    store.put_wrapped_key(&NewWrappedKey {
        desk,
        recipient,
        kind: kind.as_str(),
        kdf: KDF_NAME,
        memory_kib: kdf.memory_kib,
        iterations: kdf.iterations,
        parallelism: kdf.parallelism,
        salt: &salt,
        nonce: &nonce,
        wrapped: &wrapped,
        by,
        at,
    })?;
    Ok(())
}

/// One stored wrapping of a desk key.
struct Wrapped {
    recipient: String,
    kdf: KdfParams,
    salt: Vec<u8>,
    nonce: Vec<u8>,
    wrapped: Vec<u8>,
}

fn wrapped_rows(store: &Store, desk: DeskId, kind: Kind) -> Result<Vec<Wrapped>, VaultError> {
    let rows = store.wrapped_keys(desk, kind.as_str())?;
    Ok(rows
        .into_iter()
        .map(|row| Wrapped {
            recipient: row.recipient,
            kdf: KdfParams { memory_kib: row.memory_kib, iterations: row.iterations, parallelism: row.parallelism },
            salt: row.salt,
            nonce: row.nonce,
            wrapped: row.wrapped,
        })
        .collect())
}

fn unwrap_row(
    desk: DeskId,
    kind: Kind,
    row: &Wrapped,
    secret: &SecretString,
    generation: i64,
) -> Result<Option<DeskKey>, VaultError> {
    if row.nonce.len() != 24 {
        return Ok(None);
    }
    let wrapping = DeskKey { bytes: derive(secret.expose_secret().as_bytes(), &row.salt, row.kdf)?, generation: 0 };
    let aad = wrap_aad(desk, kind.as_str(), &row.recipient, generation);
    let Ok(opened) =
        wrapping.cipher().decrypt(XNonce::from_slice(&row.nonce), Payload { msg: &row.wrapped, aad: &aad })
    else {
        return Ok(None);
    };
    let opened = Zeroizing::new(opened);
    let mut bytes = Zeroizing::new([0u8; 32]);
    if opened.len() != 32 {
        return Ok(None);
    }
    bytes.copy_from_slice(&opened);
    Ok(Some(DeskKey { bytes, generation }))
}

/// The generation of a desk's vault, or `None` when the desk has none.
pub(crate) fn generation(store: &Store, desk: DeskId) -> Result<Option<i64>, StoreError> {
    store.vault_generation(desk)
}

/// Whether a desk has a vault (its confidential fields are sealed).
pub fn has_vault(store: &Store, desk: DeskId) -> Result<bool, StoreError> {
    Ok(generation(store, desk)?.is_some())
}

pub(crate) fn check_passphrase(passphrase: &SecretString) -> Result<(), VaultError> {
    if passphrase.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(VaultError::WeakPassphrase);
    }
    Ok(())
}

/// Creates a desk's vault inside the caller's transaction: a new desk key,
/// wrapped by `recipient`'s passphrase and by a new recovery key.
pub(crate) fn create(
    store: &Store,
    desk: DeskId,
    recipient: &str,
    passphrase: &SecretString,
    kdf: KdfParams,
    by: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(DeskKey, RecoveryKey), VaultError> {
    check_passphrase(passphrase)?;
    if has_vault(store, desk)? {
        return Err(VaultError::AlreadyExists(desk));
    }
    let at = to_rfc3339(at);
    store.insert_vault(desk, by, &at)?;
    let key = DeskKey::random(1);
    let recovery = RecoveryKey::random();
    store_wrapped(store, desk, Kind::Passphrase, recipient, passphrase, &key, kdf, by, &at)?;
    store_wrapped(store, desk, Kind::Recovery, RECOVERY, &normalised_recovery(&recovery.0), &key, kdf, by, &at)?;
    Ok((key, recovery))
}

/// Opens a desk key with a passphrase. On a desk without people, `recipient`'s
/// own row first, then the others (a person may have been added under another
/// name): the vault's passphrases are shared, as before people. On a desk with
/// people (`own_only`), only `recipient`'s own wrapping: each person opens the
/// key with their own passphrase and no one else's.
pub(crate) fn unlock(
    store: &Store,
    desk: DeskId,
    recipient: &str,
    passphrase: &SecretString,
    own_only: bool,
) -> Result<DeskKey, VaultError> {
    let generation = generation(store, desk)?.ok_or(VaultError::NoVault(desk))?;
    let mut rows = wrapped_rows(store, desk, Kind::Passphrase)?;
    // A computer's row is wrapped by 256 random bits: no passphrase opens it, only costs a KDF run.
    rows.retain(|row| !row.recipient.starts_with(COMPUTER_RECIPIENT));
    if own_only {
        rows.retain(|row| row.recipient == recipient);
    }
    rows.sort_by_key(|row| row.recipient != recipient);
    for row in &rows {
        if let Some(key) = unwrap_row(desk, Kind::Passphrase, row, passphrase, generation)? {
            return Ok(key);
        }
    }
    Err(VaultError::WrongPassphrase)
}

/// Whether `recipient` has a wrapping of the desk key (a person's passphrase
/// row, or a computer's).
pub(crate) fn has_wrapping(store: &Store, desk: DeskId, recipient: &str) -> Result<bool, VaultError> {
    Ok(wrapped_rows(store, desk, Kind::Passphrase)?.iter().any(|row| row.recipient == recipient))
}

/// Wraps `key` for `recipient` (a person's passphrase, or a computer's
/// secret), replacing their row, inside the caller's transaction.
pub(crate) fn wrap_for(
    store: &Store,
    desk: DeskId,
    recipient: &str,
    secret: &SecretString,
    key: &DeskKey,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), VaultError> {
    store_wrapped(store, desk, Kind::Passphrase, recipient, secret, key, KdfParams::DEFAULT, by, &to_rfc3339(at))
}

/// Deletes `recipient`'s wrapping of the desk key (a person or a computer).
pub(crate) fn drop_wrapping(store: &Store, desk: DeskId, recipient: &str) -> Result<(), StoreError> {
    store.delete_wrapped_key(desk, Kind::Passphrase.as_str(), recipient)
}

/// Opens the desk key with `recipient`'s own wrapping (a computer's secret):
/// `None` when there is no such row or it does not open.
pub(crate) fn open_wrapping(
    store: &Store,
    desk: DeskId,
    recipient: &str,
    secret: &SecretString,
) -> Result<Option<DeskKey>, VaultError> {
    let generation = generation(store, desk)?.ok_or(VaultError::NoVault(desk))?;
    let mut opened = None;
    for row in wrapped_rows(store, desk, Kind::Passphrase)?.iter().filter(|row| row.recipient == recipient) {
        opened = unwrap_row(desk, Kind::Passphrase, row, secret, generation)?;
    }
    Ok(opened)
}

/// Opens a desk key with its recovery key.
pub(crate) fn unlock_with_recovery(
    store: &Store,
    desk: DeskId,
    recovery: &SecretString,
) -> Result<DeskKey, VaultError> {
    let generation = generation(store, desk)?.ok_or(VaultError::NoVault(desk))?;
    let recovery = normalised_recovery(recovery);
    for row in &wrapped_rows(store, desk, Kind::Recovery)? {
        if let Some(key) = unwrap_row(desk, Kind::Recovery, row, &recovery, generation)? {
            return Ok(key);
        }
    }
    Err(VaultError::WrongRecoveryKey)
}

/// Wraps `key` for `recipient` with a (new) passphrase, inside the caller's transaction.
pub(crate) fn set_passphrase(
    store: &Store,
    desk: DeskId,
    recipient: &str,
    passphrase: &SecretString,
    key: &DeskKey,
    by: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), VaultError> {
    check_passphrase(passphrase)?;
    store_wrapped(store, desk, Kind::Passphrase, recipient, passphrase, key, KdfParams::DEFAULT, by, &to_rfc3339(at))
}

/// Replaces a desk's key with a new one of the next generation, re-wrapping
/// it for every passphrase row with `passphrase` only where it opened the old
/// key (the others are removed: those people need the new key given again)
/// and for a new recovery key. The caller re-seals every field in the same
/// transaction.
pub(crate) fn rotate(
    store: &Store,
    desk: DeskId,
    old: &DeskKey,
    recipient: &str,
    passphrase: &SecretString,
    by: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(DeskKey, RecoveryKey), VaultError> {
    let key = DeskKey::random(old.generation + 1);
    let recovery = RecoveryKey::random();
    let at = to_rfc3339(at);
    store.delete_wrapped_keys(desk)?;
    store.set_vault_generation(desk, key.generation)?;
    store_wrapped(store, desk, Kind::Passphrase, recipient, passphrase, &key, KdfParams::DEFAULT, by, &at)?;
    store_wrapped(
        store,
        desk,
        Kind::Recovery,
        RECOVERY,
        &normalised_recovery(&recovery.0),
        &key,
        KdfParams::DEFAULT,
        by,
        &at,
    )?;
    Ok((key, recovery))
}

/// Removes what SQLite's free pages and WAL still hold of rows overwritten
/// or deleted: with `secure_delete` on, the freed space was zeroed; the
/// checkpoint writes the WAL into the database and truncates it; VACUUM
/// rebuilds the file with no free page left.
pub(crate) fn scrub(store: &Store) -> Result<(), StoreError> {
    store.scrub_free_pages()
}
