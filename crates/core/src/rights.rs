//! People, roles and rights on a desk: who may do what.
//!
//! A desk's people each have one [`Role`]. **A desk with no people is as
//! Factdesk always was**: one reviewer, every action allowed, so the
//! single-reviewer app and every desk made before this feature work
//! unchanged. Once a desk has people, who acts (the reviewer name set in
//! Factdesk on SQLite; the database login, `current_user`, on a team store)
//! must be one of them, and [`check`] answers each action from the table
//! below. A refused action is a [`Refused`] error that names the role it
//! needs; the command line prints it and exits non-zero.
//!
//! | action | reporter | editor | standards editor | lawyer | admin |
//! |---|---|---|---|---|---|
//! | see a draft's claims | own drafts | yes | yes | yes | yes |
//! | tag, set status, link, evidence, move, remove claims | own drafts | yes | yes | no | no |
//! | add a note, answer one | own drafts | yes | yes | yes | yes |
//! | read private notes (and the replies in their threads) | no | yes | yes | yes | no |
//! | add or edit sources of the register | yes | yes | yes | no | no |
//! | the editor's note, desk settings | no | yes | yes | no | no |
//! | move a draft to *ready* (or any workflow status), override a finding | no | yes | yes | no | no |
//! | set the vault up | no | yes | yes | no | no |
//! | export the internal report | no | when its sources name them | yes | no | no |
//! | unlock the vault (or rotate it) | no | when a source names them | yes | no | no |
//! | reveal or record a source's identity | no | the source's named editor | yes | no | no |
//! | add people, change roles | no | no | no | no | yes |
//!
//! A reporter's **own drafts** are those in the desk's folder named after
//! them: `bo/…` is bo's (the simplest rule that needs nothing recorded: a
//! newsroom's shared folder has one folder per reporter). An editor unlocks
//! the vault only when one of the desk's sources names them as the editor
//! who knows it (the vault checks it with the key in hand, and drops the key
//! otherwise), and reveals only the sources that name them.
//!
//! On SQLite this is enforced by the core only: anyone with the database
//! file and another tool can read and change it. On a team store the server
//! enforces the same rules itself (grants and row-level security, see
//! `migrations/postgres/0007_people.sql`).
//!
//! ```no_run
//! use factdesk_core::rights::{check, Action, Role};
//! # fn demo(store: &factdesk_core::store::Store, desk: factdesk_core::store::DeskId) -> Result<(), factdesk_core::rights::RightsError> {
//! check(store, desk, "bo", Action::MarkReady, None)?; // refused unless bo is an editor or standards editor
//! # Ok(()) }
//! ```

use crate::audit::{self, AuditAction, Change, Entity};
use crate::store::people::PersonRecord;
use crate::store::{DeskId, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A person's role on a desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Reporter,
    Editor,
    StandardsEditor,
    Lawyer,
    Admin,
}

impl Role {
    pub const ALL: [Self; 5] = [Self::Reporter, Self::Editor, Self::StandardsEditor, Self::Lawyer, Self::Admin];

    /// The name stored and typed (`--role standards-editor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reporter => "reporter",
            Self::Editor => "editor",
            Self::StandardsEditor => "standards-editor",
            Self::Lawyer => "lawyer",
            Self::Admin => "admin",
        }
    }

    /// The role in words, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::StandardsEditor => "standards editor",
            other => other.as_str(),
        }
    }

    /// The server's group role its logins belong to on a team store.
    pub fn group_role(self) -> &'static str {
        match self {
            Self::Reporter => "factdesk_reporter",
            Self::Editor => "factdesk_editor",
            Self::StandardsEditor => "factdesk_standards_editor",
            Self::Lawyer => "factdesk_lawyer",
            Self::Admin => "factdesk_admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = RightsError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|r| r.as_str() == name).ok_or_else(|| RightsError::UnknownRole(name.to_owned()))
    }
}

/// What someone asks to do, for [`check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See a draft's claims (and what hangs from them).
    ReadClaims,
    /// Tag, set the status of, link, add evidence to, move, remove or restore claims of a draft.
    ChangeClaims,
    /// Add a note to a claim or draft, or answer one.
    AddNote,
    /// Read the private notes of a claim or draft (for the editors; the lawyer reads everything but
    /// identities) and the replies in their threads.
    ReadPrivateNotes,
    /// Add, edit, remove or restore a source of the desk's register (not its identity).
    ChangeSources,
    /// The editor's note and the desk's settings.
    ChangeDesk,
    /// Move a draft to *ready*.
    MarkReady,
    /// Move a draft to another workflow status (needs work, published…).
    MoveDraft,
    /// Carry a missing draft's review to a file at another place, across owner folders (`factdesk draft move`).
    CarryReview,
    /// Override a sourcing finding.
    OverrideFinding,
    /// Unlock the desk's vault, change its passphrase, rotate or remember it.
    UnlockVault,
    /// Set the desk's vault up (the editors: a standards editor, or any editor).
    SetUpVault,
    /// Export the internal report, which holds the sources' identities.
    ExportInternal,
    /// Reveal or record a source's confidential fields.
    RevealIdentity,
    /// Add people to the desk or change their roles.
    ManagePeople,
}

impl Action {
    /// What is refused, in words ("may not …").
    fn what(self) -> &'static str {
        match self {
            Self::ReadClaims => "see these claims",
            Self::ChangeClaims => "change claims",
            Self::AddNote => "add notes",
            Self::ReadPrivateNotes => "read private notes",
            Self::ChangeSources => "change the register of sources",
            Self::ChangeDesk => "change the editor's note or the desk's settings",
            Self::MarkReady => "move a draft to ready",
            Self::MoveDraft => "change a draft's workflow status",
            Self::CarryReview => "carry a draft's review to another place",
            Self::OverrideFinding => "override a finding",
            Self::UnlockVault => "unlock the vault",
            Self::SetUpVault => "set up the vault",
            Self::ExportInternal => "export the internal report (it holds the sources' identities)",
            Self::RevealIdentity => "reveal or record a source's identity",
            Self::ManagePeople => "add people or change roles",
        }
    }

    /// The roles that may, in words.
    fn needed(self) -> &'static str {
        match self {
            Self::ReadClaims | Self::AddNote => {
                "editor, standards editor, lawyer or admin role, or to be the draft's reporter"
            }
            Self::ChangeClaims => "editor or standards editor role, or to be the draft's reporter",
            Self::ReadPrivateNotes => "editor, standards editor or lawyer role",
            Self::ChangeSources => "reporter, editor or standards editor role",
            Self::ChangeDesk | Self::MarkReady | Self::MoveDraft | Self::CarryReview | Self::OverrideFinding => {
                "editor or standards editor role"
            }
            // An editor unlocks only once a source names them (checked with the key in hand): "or editor role"
            // would send any editor to try.
            Self::UnlockVault => {
                "standards editor role, or to be the editor named as knowing one of the desk's sources"
            }
            Self::SetUpVault => "standards editor or editor role",
            // An editor's internal report reveals each source: those naming them only.
            Self::ExportInternal => "standards editor role, or to be the editor named as knowing its sources",
            Self::RevealIdentity => "standards editor role, or to be the editor named as knowing the source",
            Self::ManagePeople => "admin role",
        }
    }
}

/// Whether `role` may do `action`, given whether the draft concerned (if
/// any) is the person's own and whether a source concerned names them as
/// its editor.
fn allows(role: Role, action: Action, own_draft: bool) -> bool {
    use Action as A;
    match role {
        Role::StandardsEditor => action != A::ManagePeople,
        // An editor's reveal is checked against the source's named editor after reading it.
        Role::Editor => action != A::ManagePeople,
        Role::Reporter => match action {
            A::ReadClaims | A::ChangeClaims | A::AddNote => own_draft,
            A::ChangeSources => true,
            _ => false,
        },
        Role::Lawyer => matches!(action, A::ReadClaims | A::AddNote | A::ReadPrivateNotes),
        Role::Admin => matches!(action, A::ReadClaims | A::AddNote | A::ManagePeople),
    }
}

/// An action refused for want of a role. The message names the role needed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{person} ({role}) may not {what} here: it needs the {needed}")]
    Role { person: String, role: &'static str, what: &'static str, needed: &'static str },
    #[error(
        "{person} is not one of this desk's people and may not {what}: it needs the {needed} on this desk \
         (an admin adds people with `factdesk people add DESK NAME --role ROLE`)"
    )]
    NotAPerson { person: String, what: &'static str, needed: &'static str },
    #[error(
        "{person} ({role}) holds no wrapping of this desk's key and may not unlock the vault: it needs the standards \
         editor role, or to be the editor named as knowing one of the desk's sources, and the key wrapped for them by \
         someone who has the vault unlocked (`factdesk vault grant DESK {person}`)"
    )]
    NoWrapping { person: String, role: &'static str },
}

/// Errors from people and rights.
#[derive(Debug, thiserror::Error)]
pub enum RightsError {
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("unknown role {0:?}: use reporter, editor, standards-editor, lawyer or admin")]
    UnknownRole(String),
    #[error("{0}")]
    InvalidName(String),
    #[error("stored data is malformed: {0}")]
    Malformed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A person's role on a desk, read from the store.
pub fn role_of(store: &Store, desk: DeskId, person: &str) -> Result<Option<Role>, RightsError> {
    store
        .role_on_desk(desk, person)?
        .map(|role| role.parse().map_err(|_| RightsError::Malformed(format!("role {role:?} of {person}"))))
        .transpose()
}

/// Answers whether `person` may do `action` on `desk`; `draft_path` is the
/// path (relative to the desk) of the draft concerned, if any, for a
/// reporter's own drafts. Everything is allowed on a desk without people.
pub fn check(
    store: &Store,
    desk: DeskId,
    person: &str,
    action: Action,
    draft_path: Option<&str>,
) -> Result<(), RightsError> {
    check_as_reviewer(store, desk, || person.to_owned(), action, draft_path)
}

/// [`check`] for the reviewer, whose name `reviewer` gives: it is asked only
/// once the desk is known to have people (a desk without lets anyone act,
/// and most desks have none), and whether it has is asked once.
pub fn check_as_reviewer(
    store: &Store,
    desk: DeskId,
    reviewer: impl FnOnce() -> String,
    action: Action,
    draft_path: Option<&str>,
) -> Result<(), RightsError> {
    Ok(ReviewerRights::on_desk(store, desk, reviewer)?.check(action, draft_path)?)
}

/// What the reviewer may do on one desk, read from the store once: whether
/// the desk has people and, if it has, the reviewer's role. For a check of
/// many drafts (a desk's report, its search, the claims needing attention),
/// each answered without asking the store again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewerRights {
    /// A desk without people: one reviewer with every right.
    Everything,
    /// A desk with people: `person`'s `role`, or `None` when they are not one of them.
    AsPerson { person: String, role: Option<Role> },
}

impl ReviewerRights {
    /// The reviewer's rights on `desk`; `reviewer` gives their name, asked
    /// only when the desk has people. On a team store a desk without people
    /// is the store owner's until it is given people (migrations/postgres/0043):
    /// a login the server lets act on none (a person of another desk) is no one there.
    pub fn on_desk(store: &Store, desk: DeskId, reviewer: impl FnOnce() -> String) -> Result<Self, RightsError> {
        if !store.desk_has_people(desk)? {
            if store.is_team_store() && !store.login_writes_drafts_of(desk)? {
                return Ok(Self::AsPerson { person: reviewer(), role: None });
            }
            return Ok(Self::Everything);
        }
        let person = reviewer();
        let role = role_of(store, desk, &person)?;
        Ok(Self::AsPerson { person, role })
    }

    /// Whether the desk lets anyone do anything (it has no people).
    pub fn allows_everything(&self) -> bool {
        matches!(self, Self::Everything)
    }

    /// Answers whether the reviewer may do `action`, on the draft at
    /// `draft_path` (relative to the desk) if one is concerned.
    pub fn check(&self, action: Action, draft_path: Option<&str>) -> Result<(), Refused> {
        let Self::AsPerson { person, role } = self else { return Ok(()) };
        let Some(role) = *role else {
            return Err(Refused::NotAPerson { person: person.clone(), what: action.what(), needed: action.needed() });
        };
        let own_draft = draft_path.is_some_and(|path| is_own_draft(person, path));
        if allows(role, action, own_draft) {
            return Ok(());
        }
        Err(Refused::Role { person: person.clone(), role: role.label(), what: action.what(), needed: action.needed() })
    }
}

/// What the reviewer may not do on one draft, each as the core's refusal
/// of it (the message names the role it needs); `None` where they may.
/// The window disables each control with its refusal as the reason rather
/// than know the table of rights itself; asking it refuses nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftRefusals {
    /// Moving the draft to *ready* ([`Action::MarkReady`]).
    pub mark_ready: Option<String>,
    /// Moving it to another workflow status ([`Action::MoveDraft`]).
    pub move_draft: Option<String>,
    /// Overriding a finding of the sourcing rules ([`Action::OverrideFinding`]).
    pub override_finding: Option<String>,
    /// Writing its editor's note ([`Action::ChangeDesk`]).
    pub editor_note: Option<String>,
    /// Adding a note on it or its claims, answering, editing or resolving one ([`Action::AddNote`]).
    pub add_note: Option<String>,
    /// Writing a private note ([`Action::ReadPrivateNotes`]: only those who read them write them).
    pub private_note: Option<String>,
    /// Changing its claims: tagging, status, sources linked and their roles, evidence, opinion marks, moving,
    /// removing, assigning ([`Action::ChangeClaims`]): the claim inspector disables them with this reason.
    pub change_claims: Option<String>,
}

impl ReviewerRights {
    /// What the reviewer may not do on the draft at `draft_path` (relative to the desk).
    pub fn refusals_on_draft(&self, draft_path: &str) -> DraftRefusals {
        let refused = |action| self.check(action, Some(draft_path)).err().map(|refusal| refusal.to_string());
        DraftRefusals {
            mark_ready: refused(Action::MarkReady),
            move_draft: refused(Action::MoveDraft),
            override_finding: refused(Action::OverrideFinding),
            editor_note: refused(Action::ChangeDesk),
            add_note: refused(Action::AddNote),
            private_note: refused(Action::ReadPrivateNotes),
            change_claims: refused(Action::ChangeClaims),
        }
    }
}

impl Refused {
    /// The roles the refused action needs, in words ("editor or standards
    /// editor role"), as the refusal's message says them; `None` for the
    /// refusal of an unlock for want of a wrapping, which is not a role's.
    pub fn needed(&self) -> Option<&'static str> {
        match self {
            Self::Role { needed, .. } | Self::NotAPerson { needed, .. } => Some(needed),
            Self::NoWrapping { .. } => None,
        }
    }
}

/// Of a desk's `drafts`, those `person` may do `action` on (`path` gives a
/// draft's path relative to the desk): a list shows what opens, never an
/// entry that answers with a refusal. Asked once for the desk, not once
/// per draft; a desk without people keeps them all, and someone who is not
/// one of its people gets none.
pub fn allowed_drafts<T>(
    store: &Store,
    desk: DeskId,
    person: &str,
    action: Action,
    drafts: Vec<T>,
    path: impl Fn(&T) -> &str,
) -> Result<Vec<T>, RightsError> {
    let rights = ReviewerRights::on_desk(store, desk, || person.to_owned())?;
    Ok(drafts.into_iter().filter(|draft| rights.check(action, Some(path(draft))).is_ok()).collect())
}

/// Whether the draft at `path` (relative to its desk) is `person`'s own: it
/// is in the desk's folder named after them.
pub fn is_own_draft(person: &str, path: &str) -> bool {
    path.strip_prefix(person).is_some_and(|rest| rest.starts_with('/'))
}

/// The owner folder of a draft at `path` (relative to its desk): its first
/// folder, after a deleted draft's `.factdesk-missing/<id>/`; `""` for a
/// draft at the desk's top. As the server's `factdesk_owner_folder`
/// (migrations/postgres/0021).
pub fn owner_folder(path: &str) -> &str {
    let stripped = path
        .strip_prefix(".factdesk-missing/")
        .and_then(|rest| rest.split_once('/'))
        .filter(|(id, _)| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        .map_or(path, |(_, rest)| rest);
    stripped.split_once('/').map_or("", |(folder, _)| folder)
}

/// After reading a source's identity: an editor (not a standards editor)
/// sees it only when the source names them as the editor who knows it.
pub fn check_named_editor(
    store: &Store,
    desk: DeskId,
    person: &str,
    editor_knows: Option<&str>,
) -> Result<(), RightsError> {
    check_named_editor_for(store, desk, person, editor_knows, Action::RevealIdentity)
}

/// [`check_named_editor`] for another action that only standards editors
/// and the named editor may take (unlocking the vault: `editor_knows` is then
/// the person when some source of the desk names them).
pub fn check_named_editor_for(
    store: &Store,
    desk: DeskId,
    person: &str,
    editor_knows: Option<&str>,
    action: Action,
) -> Result<(), RightsError> {
    let role = match ReviewerRights::on_desk(store, desk, || person.to_owned())? {
        ReviewerRights::Everything => return Ok(()),
        ReviewerRights::AsPerson { role, .. } => role,
    };
    match role {
        Some(Role::StandardsEditor) => Ok(()),
        Some(Role::Editor) if editor_knows.is_some_and(|named| named.trim() == person) => Ok(()),
        role => {
            let refused = match role {
                Some(role) => Refused::Role {
                    person: person.to_owned(),
                    role: role.label(),
                    what: action.what(),
                    needed: action.needed(),
                },
                None => Refused::NotAPerson { person: person.to_owned(), what: action.what(), needed: action.needed() },
            };
            Err(refused.into())
        }
    }
}

/// Whether `role` may keep a wrapping of the desk's key after a change from
/// `previous`: a standards editor, or an editor who was one already (an
/// editor holds it only while a source names them, which only a holder can
/// tell, with the key in hand: whoever becomes an editor is granted again).
pub fn keeps_vault_wrapping(previous: Option<Role>, role: Role) -> bool {
    match role {
        Role::StandardsEditor => true,
        Role::Editor => previous == Some(Role::Editor),
        Role::Reporter | Role::Lawyer | Role::Admin => false,
    }
}

/// The refusal of an unlock by a person of the desk whom the desk key is
/// not wrapped for.
pub fn no_wrapping(store: &Store, desk: DeskId, person: &str) -> Result<RightsError, RightsError> {
    let action = Action::UnlockVault;
    Ok(match role_of(store, desk, person)? {
        Some(role) => Refused::NoWrapping { person: person.to_owned(), role: role.label() },
        None => Refused::NotAPerson { person: person.to_owned(), what: action.what(), needed: action.needed() },
    }
    .into())
}

/// The longest name of a person, in characters (PostgreSQL's limit on a login's name).
pub const MAX_PERSON_NAME: usize = 63;

/// Checks a person's name: it becomes a database login on a team store and
/// a folder name for a reporter's own drafts, so it has no `/`, `\\`, quote
/// or control character, no space at either end, and does not start with
/// `pg_` or `factdesk_` (the server's own roles and Factdesk's groups).
pub fn check_person_name(name: &str) -> Result<(), RightsError> {
    let invalid = |why: &str| Err(RightsError::InvalidName(format!("{name:?} cannot be a person's name: {why}")));
    if name.trim().is_empty() || name.chars().count() > MAX_PERSON_NAME {
        return invalid("it must be 1 to 63 characters long");
    }
    if name.trim() != name {
        return invalid("it starts or ends with a space");
    }
    if name.chars().any(|c| c.is_control() || matches!(c, '/' | '\\' | '"' | '\'')) || name.starts_with('.') {
        return invalid("it may not hold '/', '\\', quotes or control characters, nor start with '.'");
    }
    let lower = name.to_lowercase();
    if lower.starts_with("pg_") || lower.starts_with("factdesk_") {
        return invalid("names starting with pg_ or factdesk_ are the server's and Factdesk's own");
    }
    Ok(())
}

/// A person of a desk as `factdesk people list --json` prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub role: Role,
    pub added_by: String,
    pub added_at: String,
}

/// One of a desk's people as the window offers them: whom *Assign…* lists, and the reviewer's role the header
/// shows (which decides what works). No one added them: the register of who did is `people list`'s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeskPerson {
    pub name: String,
    pub role: Role,
}

/// The people of a desk, by name.
pub fn people(store: &Store, desk: DeskId) -> Result<Vec<Person>, RightsError> {
    store
        .people_of_desk(desk)?
        .into_iter()
        .map(|PersonRecord { name, role, added_by, added_at }| {
            let role = role.parse().map_err(|_| RightsError::Malformed(format!("role {role:?} of {name}")))?;
            Ok(Person { name, role, added_by, added_at })
        })
        .collect()
}

/// What adding a person did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonAdded {
    /// Their role before, when they were already one of the desk's people.
    pub previous: Option<Role>,
    /// Whether a database login was created for them (team store).
    pub login_created: bool,
}

/// How a new login's password is given (on a team store), as the
/// SCRAM-SHA-256 verifier the server stores: the password never reaches it.
pub fn login_verifier(password: &[u8]) -> String {
    postgres_protocol::password::scram_sha_256(password)
}

/// Adds `name` to a desk with `role` (or gives them that role), as `by`,
/// recorded in the audit trail. On a desk with people only an admin may; on
/// a desk without, anyone (the first people set the desk's rights up).
///
/// On a team store the person is a database login: created with the
/// password whose SCRAM verifier `login_verifier` gives (`None` when the
/// login exists already; one that does not exist needs it), and put in the
/// group role of `role` (and no other Factdesk group), by the server's own
/// `factdesk_put_person` (migrations/postgres/0031), which holds the caller
/// to the same rule: the admin adding people needs no CREATEROLE.
pub fn add_person(
    store: &Store,
    desk: DeskId,
    name: &str,
    role: Role,
    by: &str,
    now: DateTime<Utc>,
    verifier: Option<&str>,
) -> Result<PersonAdded, RightsError> {
    check_person_name(name)?;
    check(store, desk, by, Action::ManagePeople, None)?;
    // An admin does not hand themselves another role (a standards editor's identities, say): another admin
    // does, on the record. Adding yourself first, to a desk without people, is how a desk starts.
    if name.trim() == by.trim() && store.desk_has_people(desk)? {
        return Err(RightsError::InvalidName(format!(
            "{name} cannot change their own role: another admin of the desk does"
        )));
    }
    if store.is_team_store() && verifier.is_none() && store.login_needs_password(name)? {
        return Err(RightsError::InvalidName(format!(
            "{name} has no login (or no password, cleared when they left the store's last desk) on the server: \
             a password is needed to give it one"
        )));
    }
    let at = crate::clock::to_rfc3339(now);
    let (previous, login_created) = audit::write_transaction(store, |store| {
        // Asked again in the transaction that writes: an admin whose role was taken away meanwhile adds no one.
        check(store, desk, by, Action::ManagePeople, None)?;
        let previous = role_of(store, desk, name)?;
        // On a team store the server's own function creates the login, sets its group and writes the row, after
        // deciding itself whether this login may (migrations/postgres/0031): no person holds CREATEROLE. In this
        // transaction, so a refused audit entry takes the login and the row back with it.
        let login_created = if store.is_team_store() {
            store.put_person_on_server(desk, name, role.as_str(), &at, verifier)?
        } else {
            store.put_person(desk, name, role.as_str(), by, &at)?;
            false
        };
        // The desk key is wrapped only for whom may unlock it: a role that no longer may loses its wrapping.
        if !keeps_vault_wrapping(previous, role) {
            store.drop_person_vault_wrapping(desk, name)?;
        }
        // On a team store the server's function wrote the entry itself (so a call by raw SQL is on the record
        // too): written once.
        if store.is_team_store() {
            return Ok::<_, RightsError>((previous, login_created));
        }
        audit::record(
            store,
            &Change {
                by,
                at: now,
                action: AuditAction::PersonAdd,
                entity: Entity::Desk(desk),
                before: previous.map(|r| serde_json::json!({ "person": name, "role": r.as_str() })),
                after: Some(serde_json::json!({ "person": name, "role": role.as_str() })),
            },
        )?;
        Ok::<_, RightsError>((previous, login_created))
    })?;
    Ok(PersonAdded { previous, login_created })
}

/// Takes `name` off a desk's people, as `by`, recorded in the audit trail (with the role they had): an admin
/// of the desk, about someone else (nobody takes themselves off: another admin does). The desk key's wrapping
/// for them goes too. On a team store the server's own `factdesk_remove_person` (migrations/postgres/0031)
/// removes the row, holding the caller to the same rule, and takes a login then on no desk of the store out of
/// Factdesk's groups; the login itself stays. The role they had.
pub fn remove_person(
    store: &Store,
    desk: DeskId,
    name: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Role, RightsError> {
    check(store, desk, by, Action::ManagePeople, None)?;
    if name.trim() == by.trim() {
        return Err(RightsError::InvalidName(format!(
            "{name} cannot take themselves off the desk: another admin of the desk does"
        )));
    }
    audit::write_transaction(store, |store| {
        // Asked again in the transaction that writes, as for adding.
        check(store, desk, by, Action::ManagePeople, None)?;
        let Some(previous) = role_of(store, desk, name)? else {
            return Err(RightsError::InvalidName(format!("{name} is not one of this desk's people")));
        };
        store.drop_person_vault_wrapping(desk, name)?;
        if store.is_team_store() {
            // The server's function writes the `person.remove` entry itself, as for adding.
            store.remove_person_on_server(desk, name)?;
            return Ok(previous);
        }
        store.delete_person(desk, name)?;
        audit::record(
            store,
            &Change {
                by,
                at: now,
                action: AuditAction::PersonRemove,
                entity: Entity::Desk(desk),
                before: Some(serde_json::json!({ "person": name, "role": previous.as_str() })),
                after: None,
            },
        )?;
        Ok::<_, RightsError>(previous)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drafts_owner_folder_is_its_first_folder_as_the_server_says() {
        assert_eq!(owner_folder("bo/story.md"), "bo");
        assert_eq!(owner_folder("bo/2026/story.md"), "bo");
        assert_eq!(owner_folder("shared.md"), "");
        assert_eq!(owner_folder(".factdesk-missing/12/bo/story.md"), "bo");
        assert_eq!(owner_folder(".factdesk-missing/12/story.md"), "");
        assert_eq!(owner_folder(".factdesk-missing/x/story.md"), ".factdesk-missing");
    }

    #[test]
    fn roles_parse_from_their_names_and_refuse_others() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().expect("parse"), role);
        }
        assert!(matches!("chief".parse::<Role>(), Err(RightsError::UnknownRole(_))));
    }

    #[test]
    fn own_drafts_are_in_the_folder_named_after_the_reporter() {
        assert!(is_own_draft("bo", "bo/story.md"));
        assert!(is_own_draft("bo", "bo/2026/story.md"));
        assert!(!is_own_draft("bo", "bob/story.md"));
        assert!(!is_own_draft("bo", "story-bo.md"));
        assert!(!is_own_draft("bo", "bo"));
    }

    #[test]
    fn names_that_could_not_be_a_login_or_a_folder_are_refused() {
        for bad in ["", " bo", "a/b", "x\"y", "o'hara", "a\nb", "pg_admin", "factdesk_editor", "..", &"x".repeat(64)] {
            assert!(check_person_name(bad).is_err(), "{bad:?}");
        }
        for good in ["bo", "ana.lima", "j-doe_2", "zoë", "Ana Editor"] {
            check_person_name(good).expect(good);
        }
    }

    #[test]
    fn the_table_of_rights_as_the_module_says() {
        use Action as A;
        assert!(allows(Role::Reporter, A::ChangeClaims, true));
        assert!(!allows(Role::Reporter, A::ChangeClaims, false));
        assert!(!allows(Role::Reporter, A::ReadClaims, false));
        assert!(!allows(Role::Reporter, A::MarkReady, true));
        assert!(!allows(Role::Lawyer, A::ChangeClaims, true));
        assert!(allows(Role::Lawyer, A::AddNote, false));
        assert!(allows(Role::Lawyer, A::ReadPrivateNotes, false));
        assert!(!allows(Role::Reporter, A::ReadPrivateNotes, true));
        assert!(!allows(Role::Admin, A::ReadPrivateNotes, false));
        assert!(allows(Role::Editor, A::ReadPrivateNotes, false));
        assert!(!allows(Role::Lawyer, A::UnlockVault, false));
        assert!(allows(Role::Editor, A::MarkReady, false));
        assert!(allows(Role::StandardsEditor, A::RevealIdentity, false));
        assert!(!allows(Role::Admin, A::MarkReady, false));
        assert!(allows(Role::Admin, A::ManagePeople, false));
        assert!(!allows(Role::StandardsEditor, A::ManagePeople, false));
    }
}
