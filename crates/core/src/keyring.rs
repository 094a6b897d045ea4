//! The OS keyring: where "Remember on this computer" keeps its secret.
//!
//! Only the Secret Service (D-Bus `org.freedesktop.secrets`: GNOME Keyring,
//! KWallet, KeePassXC…) is used, through the `keyring` crate's Secret
//! Service credential named explicitly: the crate's default entry falls back
//! to an in-memory mock when no backend is compiled in, which would pretend
//! to remember and forget at exit. Elsewhere (another OS, a headless machine,
//! no session bus, no keyring daemon) the keyring is *unavailable*, with the
//! reason, and the passphrase alone works.
//!
//! What is kept is one item per desk and database: 16 bytes naming this
//! computer's wrapping of the desk key and 32 random bytes that open it (see
//! `vault`'s module doc for why this, rather than the desk key or the
//! passphrase). The item is found by its service and user attributes, which
//! name the desk and the database's full path: a copy of the database
//! elsewhere, or another desk, never picks it up. Secrets read back are held
//! in zeroizing buffers and never logged.

use crate::store::DeskId;
use std::path::Path;
use zeroize::Zeroizing;

/// The Secret Service item's `service` attribute.
const SERVICE: &str = "Factdesk vault";

/// Bytes of the computer's name (its wrapping's id) at the start of an item.
pub(crate) const COMPUTER_ID_BYTES: usize = 16;
/// Bytes of the random secret after it.
pub(crate) const SECRET_BYTES: usize = 32;

/// Why the keyring cannot be used, in words for the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    #[error("no OS keyring is available here ({0}); the passphrase alone works")]
    Unavailable(String),
    #[error("the OS keyring refused: {0}")]
    Failed(String),
    /// Remembering is not offered for this store, whatever the keyring: said as it is (a team store is not "an
    /// in-memory database" nor a machine without a keyring).
    #[error("{0}")]
    NotOffered(&'static str),
}

/// A remembered item: this computer's wrapping id and the secret that opens it.
pub(crate) struct Item {
    pub computer: [u8; COMPUTER_ID_BYTES],
    pub secret: Zeroizing<[u8; SECRET_BYTES]>,
}

fn user(desk: DeskId, database: &Path) -> String {
    format!("desk {desk} of {}", database.display())
}

#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn entry(desk: DeskId, database: &Path) -> Result<keyring::Entry, KeyringError> {
    let credential = keyring::secret_service::SsCredential::new_with_target(None, SERVICE, &user(desk, database))
        .map_err(|e| KeyringError::Failed(e.to_string()))?;
    Ok(keyring::Entry::new_with_credential(Box::new(credential)))
}

#[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
fn entry(_desk: DeskId, _database: &Path) -> Result<keyring::Entry, KeyringError> {
    Err(KeyringError::Unavailable("only the Secret Service of Linux and the BSDs is supported so far".into()))
}

/// Sorts the crate's errors: no bus or no keyring daemon is "unavailable",
/// anything else (a locked keyring whose unlock was refused…) a failure.
fn classify(error: keyring::Error) -> KeyringError {
    match error {
        keyring::Error::PlatformFailure(inner) => KeyringError::Unavailable(unavailable_reason(&inner.to_string())),
        keyring::Error::NoStorageAccess(inner) => KeyringError::Failed(inner.to_string()),
        other => KeyringError::Failed(other.to_string()),
    }
}

/// A short reason for the common cases, else D-Bus's own words.
fn unavailable_reason(detail: &str) -> String {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").filter(|a| !a.is_empty()).is_none() {
        return "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)".into();
    }
    if detail.contains("org.freedesktop.secrets") || detail.contains("ServiceUnknown") {
        return "no Secret Service (such as GNOME Keyring) is running".into();
    }
    format!("the Secret Service cannot be reached: {detail}")
}

/// Whether the keyring can be used now: `Ok` or the reason it cannot.
pub fn available() -> Result<(), KeyringError> {
    // Looking up an item that is never stored asks the service without changing anything.
    match entry(DeskId(0), Path::new("/availability-probe"))?.get_secret() {
        Ok(_) | Err(keyring::Error::NoEntry | keyring::Error::Ambiguous(_)) => Ok(()),
        Err(error) => Err(classify(error)),
    }
}

/// The item remembered for `desk` of `database`, if any. An item of another
/// size (not written by Factdesk) is a failure, never a key.
pub(crate) fn load(desk: DeskId, database: &Path) -> Result<Option<Item>, KeyringError> {
    let bytes = match entry(desk, database)?.get_secret() {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(keyring::Error::NoEntry) => return Ok(None),
        Err(error) => return Err(classify(error)),
    };
    if bytes.len() != COMPUTER_ID_BYTES + SECRET_BYTES {
        return Err(KeyringError::Failed("the remembered item is not one Factdesk wrote".into()));
    }
    let (id, secret_part) = bytes.split_at(COMPUTER_ID_BYTES);
    let mut computer = [0u8; COMPUTER_ID_BYTES];
    computer.copy_from_slice(id);
    let mut secret = Zeroizing::new([0u8; SECRET_BYTES]);
    secret.copy_from_slice(secret_part);
    Ok(Some(Item { computer, secret }))
}

/// Whether an item is remembered for `desk` of `database` (its secret is not read).
pub(crate) fn is_remembered(desk: DeskId, database: &Path) -> Result<bool, KeyringError> {
    match entry(desk, database)?.get_attributes() {
        Ok(_) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(error) => Err(classify(error)),
    }
}

/// Stores (or replaces) the item for `desk` of `database`.
pub(crate) fn save(desk: DeskId, database: &Path, item: &Item) -> Result<(), KeyringError> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(COMPUTER_ID_BYTES + SECRET_BYTES));
    bytes.extend_from_slice(&item.computer);
    bytes.extend_from_slice(item.secret.as_ref());
    entry(desk, database)?.set_secret(&bytes).map_err(classify)
}

/// Deletes the item for `desk` of `database`; `Ok(false)` when there was none.
pub(crate) fn delete(desk: DeskId, database: &Path) -> Result<bool, KeyringError> {
    match entry(desk, database)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(error) => Err(classify(error)),
    }
}
