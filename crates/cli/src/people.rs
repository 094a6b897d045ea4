//! `factdesk people add DESK NAME --role ROLE`, `factdesk people remove DESK
//! NAME` and `factdesk people list DESK --json`: a desk's people and their roles (see
//! `factdesk_core::rights`). On a team store each person is a database
//! login: `people add` creates it (the password from a no-echo prompt or the
//! file FACTDESK_PASSWORD_FILE names, never argv) and puts it in the group
//! role of its Factdesk role.

use crate::{open_store, print_out};
use clap::Subcommand;
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::Review;
use factdesk_core::rights::{self, Role};
use factdesk_core::store::{lock, SharedStore};
use secrecy::ExposeSecret;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The store and the desk at `dir` (registered if new; its folder is not scanned).
fn open(db: &Path, dir: &Path) -> Result<(SharedStore, Desk), String> {
    let store = open_store(db)?.shared();
    let desk = Desk::open(store.clone(), dir, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
    Ok((store, desk))
}

/// The file holding a new login's password (a team store), instead of the prompt.
const PASSWORD_FILE: &str = "FACTDESK_PASSWORD_FILE";

#[derive(Subcommand)]
pub(crate) enum PeopleAction {
    /// Add a person to a desk with a role, or give one already there another role.
    ///
    /// Once a desk has people, only its admins may add more, and everyone acting on the desk must be one of
    /// them. On a team store the person is a database login, created if it does not exist (its password
    /// from a no-echo prompt or the file FACTDESK_PASSWORD_FILE names; the server's own function creates it, so the
    /// admin's login needs no CREATEROLE).
    Add {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The person's name (on a team store, their database login).
        name: String,
        /// reporter, editor, standards-editor, lawyer or admin.
        #[arg(long)]
        role: String,
    },
    /// Take a person off a desk (an admin of the desk, about someone else). On a team store their login stays,
    /// and leaves Factdesk's groups once it is on no desk of the store.
    Remove {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The person's name (on a team store, their database login).
        name: String,
    },
    /// List a desk's people and their roles.
    List {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// Print a JSON array: [{"name", "role", "added_by", "added_at"}].
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn run(db: &Path, action: PeopleAction) -> Result<(), String> {
    match action {
        PeopleAction::Add { desk, name, role } => add(db, &desk, &name, &role),
        PeopleAction::Remove { desk, name } => remove(db, &desk, &name),
        PeopleAction::List { desk, json } => list(db, &desk, json),
    }
}

fn add(db: &Path, dir: &Path, name: &str, role: &str) -> Result<(), String> {
    // Arguments first: a typo costs no connection and no prompt.
    let role: Role = role.parse().map_err(|e: rights::RightsError| e.to_string())?;
    rights::check_person_name(name).map_err(|e| e.to_string())?;
    let (store, desk) = open(db, dir)?;
    let store = lock(&store);
    let by = Review::reviewer_name(&store);
    // Whoever may not add people is told so before being asked for the new login's password, a secret the
    // refusal would throw away; `add_person` checks again in the transaction that writes.
    rights::check(&store, desk.id(), &by, rights::Action::ManagePeople, None).map_err(|e| e.to_string())?;
    let needs_password = store.is_team_store() && store.login_needs_password(name).map_err(|e| e.to_string())?;
    let login_existed = store.is_team_store() && store.login_exists(name).map_err(|e| e.to_string())?;
    let verifier = if needs_password {
        let prompt = format!("Password for {name}'s login: ");
        let password = crate::vault::secret(PASSWORD_FILE, &prompt)?.ok_or_else(|| {
            format!(
                "{name} has no login on the server yet: type its password at the prompt in a terminal, \
                 or name a file holding it with {PASSWORD_FILE}"
            )
        })?;
        if password.expose_secret().is_empty() {
            return Err(format!("the password for {name}'s new login must not be empty"));
        }
        Some(rights::login_verifier(password.expose_secret().as_bytes()))
    } else {
        None
    };
    let had_people = store.desk_has_people(desk.id()).map_err(|e| e.to_string())?;
    let added = rights::add_person(&store, desk.id(), name, role, &by, chrono::Utc::now(), verifier.as_deref())
        .map_err(|e| e.to_string())?;
    if store.is_team_store() && !needs_password && name != by {
        // Not silently: whoever knows an existing login's password logs in as the desk's new person, so the one
        // adding it sees whose it is. The server named it on a new desk only for its maker or the owner (review
        // session 10, finding 4 and P6; anyone else was refused above, saying who made it); said once it is done.
        let whose = match store.login_maker(name).map_err(|e| e.to_string())? {
            Some(maker) => format!("made by {} on desk {} at {}", maker.made_by, maker.desk.0, maker.made_at),
            None => "made outside Factdesk".to_owned(),
        };
        eprintln!("factdesk: {name}'s login exists already ({whose}): its password is unchanged");
    }
    let mut message = match added.previous {
        Some(previous) if previous == role => format!("{name} is already {} on this desk", role.label()),
        Some(previous) => format!("{name} is now {} on this desk (was {})", role.label(), previous.label()),
        None => format!("added {name} to this desk as {}", role.label()),
    };
    if added.login_created && login_existed {
        // A login Factdesk made whose password was cleared when it left the store's last desk (0036).
        message.push_str(&format!("; gave the database login {name} a new password"));
    } else if added.login_created {
        message.push_str(&format!("; created the database login {name}"));
    }
    print_out(&message)?;
    if !had_people && name != by {
        eprintln!(
            "factdesk: this desk now has people, and you ({by}) are not one of them: from now on only its people \
             may act on it, and only an admin may add people"
        );
    }
    Ok(())
}

fn remove(db: &Path, dir: &Path, name: &str) -> Result<(), String> {
    let (store, desk) = open(db, dir)?;
    let store = lock(&store);
    let by = Review::reviewer_name(&store);
    let previous =
        rights::remove_person(&store, desk.id(), name, &by, chrono::Utc::now()).map_err(|e| e.to_string())?;
    print_out(&format!("took {name} ({}) off this desk", previous.label()))
}

fn list(db: &Path, dir: &Path, json: bool) -> Result<(), String> {
    let (store, desk) = open(db, dir)?;
    let people = rights::people(&lock(&store), desk.id()).map_err(|e| e.to_string())?;
    if json {
        return print_out(&serde_json::to_string_pretty(&people).map_err(|e| e.to_string())?);
    }
    if people.is_empty() {
        return print_out("no people on this desk: whoever uses it may do everything (one reviewer)");
    }
    let lines: Vec<String> = people
        .iter()
        .map(|p| format!("{:<24} {:<17} added by {} at {}", p.name, p.role.label(), p.added_by, p.added_at))
        .collect();
    print_out(&lines.join("\n"))
}
