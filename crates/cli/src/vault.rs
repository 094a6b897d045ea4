//! `factdesk vault` and `factdesk reviewer`: a desk's vault (source
//! protection at rest) and who is recorded on every change. Secrets never
//! come from argv: a passphrase from a no-echo prompt or the file named by
//! `FACTDESK_PASSPHRASE_FILE`, a confidential field from stdin (`-`).

use clap::Subcommand;
use factdesk_core::review::Review;
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{lock, DeskId, SharedStore};
use factdesk_core::vault::{has_vault, KeyringUnlock, VaultError};
use secrecy::{ExposeSecret, SecretString};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The file a script names to give the passphrase (never the passphrase itself in the environment).
pub(crate) const PASSPHRASE_FILE: &str = "FACTDESK_PASSPHRASE_FILE";
/// The file holding the new passphrase for `vault passwd` when there is no terminal.
const NEW_PASSPHRASE_FILE: &str = "FACTDESK_NEW_PASSPHRASE_FILE";
/// The file holding the recovery key for `vault recover` when there is no terminal.
const RECOVERY_KEY_FILE: &str = "FACTDESK_RECOVERY_KEY_FILE";

fn new_passphrase() -> Result<SecretString, String> {
    secret(NEW_PASSPHRASE_FILE, "New passphrase: ")?.ok_or_else(|| {
        format!("no new passphrase: type it at the prompt in a terminal, or name a file holding it with {NEW_PASSPHRASE_FILE}")
    })
}

/// The passphrase a person's wrapping of the desk key is made with: from
/// FACTDESK_NEW_PASSPHRASE_FILE, or typed twice at the prompt (by them).
fn person_passphrase(person: &str) -> Result<SecretString, String> {
    let first = secret(NEW_PASSPHRASE_FILE, &format!("Passphrase for {person}: "))?.ok_or_else(|| {
        format!(
            "no passphrase for {person}: they type it at the prompt in a terminal, or name a file holding it \
             with {NEW_PASSPHRASE_FILE}"
        )
    })?;
    if std::env::var_os(NEW_PASSPHRASE_FILE).is_none() {
        let again = secret("", &format!("Passphrase for {person} again: "))?.unwrap_or_else(|| SecretString::from(""));
        if again.expose_secret() != first.expose_secret() {
            return Err("the two passphrases differ; nothing was changed".into());
        }
    }
    Ok(first)
}

#[derive(Subcommand)]
pub(crate) enum VaultAction {
    /// Set up the desk's vault: every confidential source field is sealed
    /// with a new desk key, wrapped by your passphrase. Prints the recovery
    /// key once: write it down, it is the only way in without the passphrase.
    Init {
        /// The folder of drafts (a desk).
        desk: PathBuf,
    },
    /// Change your passphrase (the new one from a prompt or FACTDESK_NEW_PASSPHRASE_FILE).
    Passwd {
        /// The folder of drafts (a desk).
        desk: PathBuf,
    },
    /// Lost the passphrase: open the vault with the recovery key (from a prompt or
    /// FACTDESK_RECOVERY_KEY_FILE) and set a new passphrase (prompt or FACTDESK_NEW_PASSPHRASE_FILE).
    Recover {
        /// The folder of drafts (a desk).
        desk: PathBuf,
    },
    /// Replace the desk key and re-seal every field in one transaction; prints the new recovery key.
    Rotate {
        /// The folder of drafts (a desk).
        desk: PathBuf,
    },
    /// Remember the desk on this computer, in the OS keyring (Secret Service), after checking the
    /// passphrase: it then unlocks without one, for your user on this computer. Opt-in; see `forget`.
    Remember {
        /// The folder of drafts (a desk).
        desk: PathBuf,
    },
    /// Stop remembering the desk on this computer: the keyring's item and the vault's wrapping for
    /// this computer are deleted; the passphrase is needed again.
    Forget {
        /// The folder of drafts (a desk).
        desk: PathBuf,
    },
    /// Wrap the desk key for one of the desk's people allowed to unlock it (a standards editor, or
    /// an editor a source names as the editor who knows it), under their own passphrase: they type
    /// it at the prompt, or FACTDESK_NEW_PASSPHRASE_FILE holds one they change at once with `vault
    /// passwd`. Your own passphrase (prompt or FACTDESK_PASSPHRASE_FILE) unlocks the vault first.
    Grant {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The person, as `factdesk people list` names them.
        person: String,
    },
    /// Take back a person's wrapping of the desk key (and their computers'): they no longer unlock
    /// the vault. What they could read while they held it stays theirs: `vault rotate` shuts them
    /// out of the key itself. An admin of the desk may, or a holder of the vault with their passphrase
    /// (prompt or FACTDESK_PASSPHRASE_FILE).
    Revoke {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The person, as `factdesk people list` names them.
        person: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReviewerAction {
    /// Set the name recorded on every change (default before one is set: the OS user name).
    Set { name: String },
    /// Print the name recorded on every change.
    Show,
}

/// Reads a secret from the file named by `variable`, else from a no-echo prompt on the terminal.
pub(crate) fn secret(variable: &str, prompt: &str) -> Result<Option<SecretString>, String> {
    if let Some(file) = std::env::var_os(variable).filter(|f| !f.is_empty()) {
        let text = zeroize::Zeroizing::new(
            std::fs::read_to_string(&file).map_err(|e| format!("cannot read the file named by {variable}: {e}"))?,
        );
        return Ok(Some(SecretString::from(text.trim_end_matches(['\r', '\n']))));
    }
    if std::io::stderr().is_terminal() {
        let typed = rpassword::prompt_password(prompt).map_err(|e| format!("cannot read it at the prompt: {e}"))?;
        return Ok(Some(SecretString::from(typed)));
    }
    Ok(None)
}

/// The passphrase, required (for `restore`).
pub(crate) fn required_passphrase() -> Result<SecretString, String> {
    passphrase()
}

/// A passphrase to encrypt with: from the file, or typed twice at the prompt.
pub(crate) fn confirmed_passphrase() -> Result<SecretString, String> {
    let first = passphrase()?;
    if std::env::var_os(PASSPHRASE_FILE).is_none() {
        let again = secret("", "Passphrase again: ")?.unwrap_or_else(|| SecretString::from(""));
        if again.expose_secret() != first.expose_secret() {
            return Err("the two passphrases differ; nothing was written".into());
        }
    }
    Ok(first)
}

/// The passphrase, required.
fn passphrase() -> Result<SecretString, String> {
    secret(PASSPHRASE_FILE, "Passphrase: ")?.ok_or_else(|| {
        format!("no passphrase: type it at the prompt in a terminal, or name a file holding it with {PASSPHRASE_FILE}")
    })
}

/// Unlocks the desk's vault for `review` when it has one and a passphrase
/// is at hand; otherwise leaves it locked (what needs it then says so).
pub(crate) fn unlock_if_vaulted(review: &Review, store: &SharedStore, desk: DeskId) -> Result<(), String> {
    let vaulted = has_vault(&lock(store), desk).map_err(|e| e.to_string())?;
    if !vaulted {
        return Ok(());
    }
    // Remembered on this computer (opt-in): no passphrase needed. Without a keyring, or when the
    // desk is not remembered, nothing is said: the passphrase is asked as before.
    match review.unlock_vault_from_keyring(desk).map_err(|e| e.to_string())? {
        KeyringUnlock::Unlocked => return Ok(()),
        KeyringUnlock::Forgotten { reason } => eprintln!("{reason}"),
        KeyringUnlock::NotRemembered | KeyringUnlock::Unavailable { .. } => {}
    }
    match secret(PASSPHRASE_FILE, "Vault passphrase: ")? {
        Some(passphrase) => review.unlock_vault(desk, &passphrase).map_err(|e| e.to_string()),
        None => Ok(()),
    }
}

fn desk_review(db: &Path, desk: &Path) -> Result<(DeskId, Review), String> {
    let (desk, review) = super::open_review(db, desk)?;
    Ok((desk.id(), review))
}

pub(crate) fn vault(db: &Path, action: VaultAction) -> Result<(), String> {
    match action {
        VaultAction::Init { desk } => {
            let (desk, review) = desk_review(db, &desk)?;
            // The role before the passphrase: no secret is asked of someone who may not set the vault up.
            let set_up = factdesk_core::rights::Action::SetUpVault;
            factdesk_core::rights::check(&super::open_store(db)?, desk, review.reviewer(), set_up, None)
                .map_err(|e| e.to_string())?;
            let first = passphrase()?;
            if std::env::var_os(PASSPHRASE_FILE).is_none() {
                let again = secret("", "Passphrase again: ")?.unwrap_or_else(|| SecretString::from(""));
                if again.expose_secret() != first.expose_secret() {
                    return Err("the two passphrases differ; nothing was changed".into());
                }
            }
            let recovery = review.init_vault(desk, &first).map_err(|e| e.to_string())?;
            super::print_out(&format!(
                "Vault set up: every confidential source field of this desk is now encrypted.\n\
                 Recovery key (shown once; keep it offline, apart from the passphrase):\n{}",
                recovery.expose()
            ))
        }
        VaultAction::Passwd { desk } => {
            let (desk, review) = desk_review(db, &desk)?;
            review.unlock_vault(desk, &passphrase()?).map_err(|e| e.to_string())?;
            review.change_vault_passphrase(desk, &new_passphrase()?).map_err(|e| e.to_string())?;
            let remembered = if review.is_vault_remembered(desk).unwrap_or(false) {
                "\nThis computer still remembers the desk (the desk key is unchanged): \
                 `factdesk vault forget` stops that."
            } else {
                ""
            };
            super::print_out(&format!("Passphrase changed.{remembered}"))
        }
        VaultAction::Recover { desk } => {
            let (desk, review) = desk_review(db, &desk)?;
            let recovery = secret(RECOVERY_KEY_FILE, "Recovery key: ")?.ok_or_else(|| {
                format!("no recovery key: type it at the prompt in a terminal, or name a file holding it with {RECOVERY_KEY_FILE}")
            })?;
            review.unlock_vault_with_recovery(desk, &recovery).map_err(|e| e.to_string())?;
            review.change_vault_passphrase(desk, &new_passphrase()?).map_err(|e| e.to_string())?;
            super::print_out("Vault opened with the recovery key; new passphrase set. The recovery key still works.")
        }
        VaultAction::Rotate { desk } => {
            let (desk, review) = desk_review(db, &desk)?;
            let recovery = review.rotate_vault_key(desk, &passphrase()?).map_err(|e| e.to_string())?;
            let remembered = if review.is_vault_remembered(desk).unwrap_or(false) {
                "\nThis computer still remembers the desk, with the new key; other computers must be remembered again."
            } else {
                ""
            };
            super::print_out(&format!(
                "Desk key replaced; every field re-encrypted. The old recovery key no longer opens anything.\n\
                 New recovery key (shown once):\n{}{remembered}",
                recovery.expose()
            ))
        }
        VaultAction::Remember { desk } => {
            let (desk, review) = desk_review(db, &desk)?;
            // Checked first, so nobody types a passphrase for nothing.
            factdesk_core::keyring::available().map_err(|e| e.to_string())?;
            review.unlock_vault(desk, &passphrase()?).map_err(|e| e.to_string())?;
            review.remember_vault(desk).map_err(|e| e.to_string())?;
            super::print_out(
                "This computer now remembers the desk in the OS keyring: it unlocks without the passphrase for \
                 your user here, as long as the keyring is open. `factdesk vault forget` stops it.",
            )
        }
        VaultAction::Grant { desk, person } => {
            let (desk, review) = desk_review(db, &desk)?;
            review.unlock_vault(desk, &passphrase()?).map_err(|e| e.to_string())?;
            let theirs = person_passphrase(&person)?;
            review.grant_vault(desk, &person, &theirs).map_err(|e| e.to_string())?;
            super::print_out(&format!(
                "The desk key is now wrapped for {person}: they unlock the vault with their own passphrase \
                 (if you chose it for them, they change it with `factdesk vault passwd`)."
            ))
        }
        VaultAction::Revoke { desk, person } => {
            let (desk, review) = desk_review(db, &desk)?;
            let revoked = match review.revoke_vault(desk, &person) {
                // A holder shows they hold the key by unlocking it (an admin needs no passphrase).
                Err(SourcingError::Vault(VaultError::Locked(_))) => {
                    review.unlock_vault(desk, &passphrase()?).map_err(|e| e.to_string())?;
                    review.revoke_vault(desk, &person)
                }
                other => other,
            };
            if revoked.map_err(|e| e.to_string())? {
                super::print_out(&format!(
                    "{person} no longer unlocks the vault. `factdesk vault rotate` replaces the key they held."
                ))
            } else {
                super::print_out(&format!("The desk key was not wrapped for {person}; nothing was changed."))
            }
        }
        VaultAction::Forget { desk } => {
            let (desk, review) = desk_review(db, &desk)?;
            if review.forget_vault(desk).map_err(|e| e.to_string())? {
                super::print_out("This computer no longer remembers the desk: the passphrase is needed again.")
            } else {
                super::print_out("This computer did not remember the desk; nothing was changed.")
            }
        }
    }
}

pub(crate) fn reviewer(db: &Path, action: ReviewerAction) -> Result<(), String> {
    let store = crate::open_store(db)?.shared();
    let store = lock(&store);
    match action {
        ReviewerAction::Set { name } => {
            let name = Review::set_reviewer_name(&store, &name).map_err(|e| e.to_string())?;
            super::print_out(&name)
        }
        ReviewerAction::Show => super::print_out(&Review::reviewer_name(&store)),
    }
}
