//! The team store on PostgreSQL from the command line: `team init URL` and
//! `migrate-store --from PATH.db --to URL` (every other command runs on a
//! team store through `--db postgres://…` as on a SQLite file).
//!
//! A URL is only ever shown without secrets; one holding a password is
//! refused (the password goes in ~/.pgpass), whether it came from argv or
//! from FACTDESK_DB.

use crate::print_out;
use clap::Subcommand;
use factdesk_core::audit;
use factdesk_core::store::postgres::{migrate_from_sqlite, LoginGrant, PgLocation, PgStore};
use factdesk_core::store::Store;
use std::path::Path;

#[derive(Subcommand)]
pub(crate) enum TeamAction {
    /// Create (or bring up to date) the Factdesk schema in a PostgreSQL database.
    ///
    /// The database must exist (createdb); the login needs the right to create tables in it.
    /// The password, if the server asks for one, comes from ~/.pgpass (or the file PGPASSFILE
    /// names), never from the URL.
    Init {
        /// postgres://USER@HOST:PORT/DATABASE
        url: String,
    },
}

fn location(url: &str) -> Result<PgLocation, String> {
    url.parse().map_err(|e: factdesk_core::store::StoreError| e.to_string())
}

pub(crate) fn team(action: TeamAction) -> Result<(), String> {
    match action {
        TeamAction::Init { url } => {
            let location = location(&url)?;
            let mut store = PgStore::init(&location).map_err(|e| e.to_string())?;
            let version = store.schema_version().map_err(|e| e.to_string())?;
            let connection =
                if store.encrypted() { "encrypted (TLS, the server's certificate verified)" } else { "not encrypted" };
            print_out(&format!(
                "team store ready at {location} (schema {version}); changes are recorded as the database login, here {}; the connection is {connection}",
                store.actor()
            ))?;
            // People are added by the server's own functions now (migrations/postgres/0031): an admin made
            // CREATEROLE for the old `people add` could still, before PostgreSQL 16, join any role, the tables'
            // owner's too. Said, never changed behind the owner's back.
            let (owner, members) = store.members_of_owner().map_err(|e| e.to_string())?;
            if !members.is_empty() {
                let owner = quoted_role(&owner);
                let statements: Vec<String> =
                    members.iter().map(|login| format!("  REVOKE {owner} FROM {};", quoted_role(login))).collect();
                eprintln!(
                    "factdesk: warning: these logins are members of the store's owner's role, so they may act as the \
                     owner (no row-level security): {}\nunless each is meant to, run, as the server's administrator:\n{}",
                    members.join(", "),
                    statements.join("\n")
                );
            }
            let holders = store.logins_with_createrole().map_err(|e| e.to_string())?;
            if !holders.is_empty() {
                let statements: Vec<String> =
                    holders.iter().map(|login| format!("  ALTER ROLE {} NOCREATEROLE;", quoted_role(login))).collect();
                eprintln!(
                    "factdesk: warning: these logins hold CREATEROLE, which adding people no longer needs and which \
                     lets them take any role on PostgreSQL 15 (the tables' owner's too): {}\n\
                     unless each is meant to (another store's owner on this server, say), run, as the server's \
                     administrator:\n{}",
                    holders.join(", "),
                    statements.join("\n")
                );
            }
            // A person's login leaving a transaction idle is ended after five minutes (migrations/postgres/0035, 0036), unless
            // it took that away itself or the owner could not set it (PostgreSQL 16 and later): said, with the fix.
            let (database, unbounded) = store.people_with_idle_transactions_unbounded().map_err(|e| e.to_string())?;
            if !unbounded.is_empty() {
                let statements: Vec<String> = unbounded
                    .iter()
                    .map(|login| {
                        format!(
                            "  ALTER ROLE {} IN DATABASE {} SET idle_in_transaction_session_timeout = '5min';",
                            quoted_role(login),
                            quoted_role(&database)
                        )
                    })
                    .collect();
                eprintln!(
                    "factdesk: warning: these people's logins keep a transaction they leave idle open for as long as \
                     they like, holding every other person's changes up (no idle_in_transaction_session_timeout in \
                     this database: taken away by the login itself, or not the owner's to set): {}\n\
                     unless the server's configuration sets one for every session, run, as the server's \
                     administrator:\n{}",
                    unbounded.join(", "),
                    statements.join("\n")
                );
            }
            Ok(())
        }
    }
}

/// A role's name as SQL writes it in a statement to copy and run.
fn quoted_role(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `factdesk migrate-store`: everything in the SQLite store at `from` into
/// the empty team store at `to`, then the counts and the copied chain checked.
pub(crate) fn migrate_store(from: &Path, to: &str) -> Result<(), String> {
    let location = location(to)?;
    if !from.is_file() {
        // Store::open would create an empty database there.
        return Err(format!("there is no Factdesk database at {}", from.display()));
    }
    let source = Store::open(from).map_err(|e| e.to_string())?;
    let mut target = PgStore::connect(&location).map_err(|e| e.to_string())?;
    let report = migrate_from_sqlite(&source, &mut target).map_err(|e| e.to_string())?;
    let mut lines = vec![format!("copied {} into {location}:", from.display())];
    for table in &report.tables {
        let mark = if table.source == table.target { "" } else { "   <- DIFFERS" };
        lines.push(format!("  {:<28} {:>8} rows, {:>8} on the server{mark}", table.table, table.source, table.target));
    }
    // The people's logins: in the group of their role where the server has them, else what to do.
    for person in &report.logins {
        let roles = person.roles.join(", ");
        lines.push(match person.outcome {
            LoginGrant::Granted => format!("  {}: login put in the {roles} group", person.name),
            LoginGrant::NoLogin => format!(
                "  {}: no login on the server yet: `factdesk people add DESK {} --role {roles}` there creates it",
                person.name, person.name
            ),
            LoginGrant::NotAllowed => format!(
                "  {}: login NOT put in the {roles} group: this login may not grant roles (it needs CREATEROLE); \
                 `factdesk people add DESK {} --role {roles}` by an admin of the desk (the server's function puts it in the group)",
                person.name, person.name
            ),
            LoginGrant::LeftAlone => format!(
                "  {}: login left as it is on the server (the login running this copy, or a superuser)",
                person.name
            ),
            LoginGrant::Refused => format!(
                "  {}: REFUSED: the server role {} is not a login Factdesk makes a person of (a group, a pg_ or \
                 factdesk_ name, a login that may create roles or bypass row security, or a member of the owner): \
                 put in no group",
                person.name, person.name
            ),
            LoginGrant::RolesDiffer => format!(
                "  {}: roles {roles} on different desks, and a login holds one group on a server: \
                 `factdesk people add` gives the one chosen",
                person.name
            ),
        });
    }
    // `audit verify` on the target: the copied chain walked on the server.
    let chain = audit::verify_chain(&target.audit_entries(None).map_err(|e| e.to_string())?);
    match (&chain.broken, &report.target_last_hash) {
        (Some(broken), _) => {
            let at = broken.seq.map_or_else(|| "an entry".to_owned(), |seq| format!("entry {seq}"));
            lines.push(format!("audit trail on the server broken at {at}: {}", broken.reason));
        }
        (None, Some(hash)) => lines.push(format!(
            "audit trail on the server intact: {} entries, the newest {hash}{}",
            chain.entries,
            if report.source_last_hash.as_deref() == Some(hash) {
                ", as in the file"
            } else {
                ", NOT the file's newest"
            }
        )),
        (None, None) => lines.push("audit trail: empty on both sides".to_owned()),
    }
    print_out(&lines.join("\n"))?;
    if report.is_complete() && chain.broken.is_none() {
        Ok(())
    } else {
        Err("the copy on the server does not match the file: see above".to_owned())
    }
}
