//! `factdesk`: the headless command line over factdesk-core. Tests,
//! benchmarks and scripts reach everything the desktop app does through it.

mod anchor;
mod assignment;
mod audit_verify;
mod backup;
mod draft;
mod manual;
mod people;
mod search;
mod sourcing;
mod team;
mod vault;

use clap::{ArgGroup, Parser, Subcommand};
use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::{Desk, DeskEvent, WatchPreference};
use factdesk_core::ingest::{read_draft, FileState};
use factdesk_core::report::destination::{protected_paths, Destination, Existing, Readers};
use factdesk_core::report::{self, Format, GatherOptions, Profile, ReportError, Scope, WriteOptions};
use factdesk_core::review::{ClaimStatus, ClaimView, Review, ReviewError};
use factdesk_core::store::{ClaimId, DraftId, Store};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Factdesk: review news drafts before they are published.
///
/// Every command works on a local SQLite database (default: the OS app-data
/// folder, e.g. ~/.local/share/factdesk/factdesk.db), or on a team store on
/// PostgreSQL given as --db postgres://USER@HOST:PORT/DATABASE.
#[derive(Parser)]
#[command(name = "factdesk", version = factdesk_core::VERSION)]
struct Cli {
    /// The database: a SQLite file, or a team store as postgres://USER@HOST:PORT/DATABASE (its password,
    /// if any, in ~/.pgpass or the file PGPASSFILE names: a URL holding a password is refused).
    #[arg(long, global = true, env = "FACTDESK_DB", value_name = "PATH|URL")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index a folder of drafts once and list what was found.
    ///
    /// Re-scanning picks up changes: new, edited, renamed and deleted files.
    /// Exits 0 when the folder could be read, whatever the files held.
    Scan {
        /// The folder of drafts (a desk).
        dir: PathBuf,
        /// Print one JSON object: {"desk", "drafts": [{"path", "title", "format", "words", "state", "reason"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Scan a folder, then follow changes until interrupted (Ctrl-C).
    Watch {
        /// The folder of drafts (a desk).
        dir: PathBuf,
        /// Print one JSON line per event: added, changed, renamed (with "from"), missing, restored, problem,
        /// many (with "count": that many drafts changed at once).
        #[arg(long)]
        json: bool,
        /// Poll the folder instead of using the OS's file events (network drives).
        #[arg(long)]
        poll: bool,
    },
    /// Tag claims on a draft, set their status, link sources, move, remove and restore them.
    Claim {
        #[command(subcommand)]
        action: ClaimAction,
    },
    /// List a draft's claims as placed on its current version.
    ///
    /// Brings the desk up to date with the folder first, so an edited draft's
    /// claims come out re-anchored: anchored, moved, fuzzy, ambiguous or orphaned.
    Claims {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The draft's path relative to the desk, e.g. `kabul-embassy.txt`.
        draft: String,
        /// Print a JSON array: [{"id", "status", "quote", "start", "end", "anchor": {"state", "confidence", "candidates"}}]
        /// (with --removed: [{"id", "draft", "status", "quote", "removed_by", "removed_at"}]).
        #[arg(long)]
        json: bool,
        /// List the claims removed from the draft instead (most recent first), to restore one.
        #[arg(long)]
        removed: bool,
    },
    /// Write a review report of one draft, or of every draft of a desk.
    ///
    /// Brings the desk up to date with the folder first, so the report
    /// describes the drafts as they are now. Text formats go to standard
    /// output unless -o is given; a PDF needs -o.
    Export {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The draft's path relative to the desk; without it, every draft of the desk.
        draft: Option<String>,
        /// md, html, pdf (needs WeasyPrint), json, csv, annotation (W3C Web Annotation) or claimreview (schema.org).
        #[arg(long, short = 'f', value_name = "FORMAT")]
        format: String,
        /// desk (default): no confidential source field, no private note. internal: everything, stamped CONFIDENTIAL.
        #[arg(long, default_value = "desk", value_name = "PROFILE")]
        profile: String,
        /// Include the draft's text with its claims marked (md, html, pdf, json).
        #[arg(long)]
        with_text: bool,
        /// Write the report to this file instead of standard output. Refused inside the desk's folder;
        /// an existing file is kept unless --force.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the file given with -o if it exists (a symbolic link there is replaced, not followed).
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Propose the claims worth checking in a draft file, with their attribution.
    ///
    /// Needs no database.
    Suggest {
        /// A draft file (.md, .txt, .html, .docx, .odt).
        file: PathBuf,
        /// Print a JSON array: [{"quote", "start", "end", "score", "attribution": {"kind", "cue"}, "reasons"}].
        #[arg(long)]
        json: bool,
    },
    /// Re-anchor W3C selectors made on one text onto an edited version of it.
    ///
    /// Needs no database. For running Factdesk's anchoring beside another tool on the same files.
    Anchor(anchor::AnchorArgs),
    /// Back the database up, list its backups, or restore one (SQLite's online backup).
    ///
    /// `backup -o FILE` writes an encrypted backup to take away: a consistent snapshot of the whole database,
    /// encrypted with age to a passphrase (FACTDESK_PASSPHRASE_FILE, or typed twice at the prompt);
    /// `factdesk restore FILE` puts it back.
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        /// Write an encrypted backup (age, to the passphrase) to FILE, readable by you only.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(subcommand)]
        action: Option<backup::BackupAction>,
    },
    /// Restore an encrypted backup made with `backup -o` as the database (--db PATH, or the default).
    ///
    /// Refused, with nothing changed, when the passphrase does not open it, when it was written by a newer
    /// Factdesk, or while the database is in use (close the window first). The database as it was is kept
    /// aside, beside it.
    Restore {
        /// A file written by `factdesk backup -o`.
        file: PathBuf,
    },
    /// A desk's vault: confidential source fields encrypted at rest.
    Vault {
        #[command(subcommand)]
        action: vault::VaultAction,
    },
    /// The reviewer recorded on every change.
    Reviewer {
        #[command(subcommand)]
        action: vault::ReviewerAction,
    },
    /// Search a desk: drafts' text, claims, notes, evidence and source descriptors (never a confidential field).
    ///
    /// Brings the desk up to date with the folder first.
    Search(search::SearchArgs),
    /// A desk's people and their roles: reporter, editor, standards-editor, lawyer, admin.
    ///
    /// A desk without people is one reviewer who may do everything. Once it has people, every action is
    /// checked against the role of whoever acts (the reviewer set in Factdesk; on a team store, the
    /// database login), and a refused one exits non-zero naming the role it needs.
    People {
        #[command(subcommand)]
        action: people::PeopleAction,
    },
    /// A desk's team store on a PostgreSQL server.
    Team {
        #[command(subcommand)]
        action: team::TeamAction,
    },
    /// Copy everything in a SQLite store into an empty team store on PostgreSQL.
    ///
    /// Drafts, versions, claims, placements, sources with their confidential side as stored
    /// (sealed fields stay sealed), evidence, notes, the workflow and the audit trail with its
    /// hashes unchanged, ids kept; then the rows are counted on both sides and the copied trail's
    /// chain is walked. Exits 1 unless everything matches. The target needs `team init` first.
    MigrateStore {
        /// The SQLite database file to copy.
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
        /// The team store: postgres://USER@HOST:PORT/DATABASE.
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Assign a claim, or a whole draft, to a person, with an optional due date.
    ///
    /// `factdesk assign CLAIM_ID --to NAME [--due YYYY-MM-DD]`, or `factdesk assign --draft DESK DRAFT --to NAME`.
    /// Assigning again hands it to someone else; the person finds it in their inbox.
    Assign(assignment::AssignArgs),
    /// End the assignment of a claim (CLAIM_ID) or a whole draft (--draft DESK DRAFT).
    Unassign(assignment::Target),
    /// Carry a draft's review to another place (`draft move`).
    Draft {
        #[command(subcommand)]
        action: draft::DraftAction,
    },
    /// What was assigned to you and the notes that mention you (@name), newest first; `*` marks unread.
    ///
    /// "You" is the reviewer set in Factdesk, or on a team store your database login.
    Inbox {
        /// Print a JSON array: [{"kind": "assignment"|"mention", "claim", "draft", "from", "at", "read"}].
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Sourcing(sourcing::SourcingCommand),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell.
    ///
    /// For example: `factdesk completions bash > ~/.local/share/bash-completion/completions/factdesk`.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff) made from these definitions; `make package` installs it.
    #[command(hide = true)]
    Manual,
}

#[derive(Subcommand)]
enum ClaimAction {
    /// Tag a claim on the current version of a draft and print its id.
    ///
    /// A quote that is not found, or found more than once without context to
    /// decide, is an error that says so.
    Add {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The draft's path relative to the desk.
        draft: String,
        /// The exact text of the claim, as in the draft.
        #[arg(long)]
        quote: String,
        /// Text just before the quote, to tell apart repeated quotes.
        #[arg(long, default_value = "")]
        prefix: String,
        /// Text just after the quote.
        #[arg(long, default_value = "")]
        suffix: String,
        /// needs-corroboration (default), corroborated, disputed, unverifiable or cleared.
        #[arg(long, default_value = "needs-corroboration")]
        status: String,
    },
    /// Set a claim's status, or mark it as opinion or as an attack on a person (recorded with who and when).
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args(["status", "opinion", "attack"])))]
    Set {
        /// The claim's id, as `claim add` printed it.
        id: i64,
        /// needs-corroboration, corroborated, disputed, unverifiable or cleared.
        #[arg(long)]
        status: Option<String>,
        /// true: the claim is opinion (anonymity is not granted for opinion); false: it is not.
        #[arg(long, value_name = "BOOL")]
        opinion: Option<bool>,
        /// true: the claim is an attack on a person (anonymity is not granted for one); false: it is not.
        #[arg(long, value_name = "BOOL")]
        attack: Option<bool>,
        /// Set the status only if it is still at this version (`version` in `claim list --json`): when someone
        /// changed it since, nothing is changed and the error says what it is now and who set it. Without it,
        /// the status is set over whatever it is.
        #[arg(long, value_name = "N", requires = "status")]
        expect_version: Option<i64>,
    },
    /// Link a source of the claim's desk to a claim, with its role.
    Link {
        /// The claim's id.
        claim: i64,
        /// The source's id, as `source add` printed it.
        source: i64,
        /// attributed (the draft attributes the claim to it), corroborates or contradicts.
        #[arg(long)]
        role: String,
    },
    /// Remove a source from a claim.
    Unlink { claim: i64, source: i64 },
    /// Bring back a link removed with `claim unlink`, with its role and who linked it when.
    Relink { claim: i64, source: i64 },
    /// Move a claim to other text of the draft's current version (its id, status, sources,
    /// evidence and notes stay); recorded with the old and the new quote.
    Move {
        /// The claim's id.
        id: i64,
        /// The exact text the claim should cover now, as in the draft.
        #[arg(long)]
        quote: String,
        /// Text just before the quote, to tell apart repeated quotes.
        #[arg(long, default_value = "")]
        prefix: String,
        /// Text just after the quote.
        #[arg(long, default_value = "")]
        suffix: String,
    },
    /// Remove a claim tagged by mistake: it leaves every list, report and check; its links,
    /// evidence and notes are kept with it. Recorded in the audit trail; `claim restore` undoes it.
    Rm {
        /// The claim's id.
        id: i64,
    },
    /// Bring back a removed claim with its status, history, links, evidence and notes
    /// (`claims DESK DRAFT --removed` lists them).
    Restore {
        /// The claim's id.
        id: i64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("factdesk: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the database, saying on stderr when this opening upgraded it (a
/// newer Factdesk on an older database) and where the backup of it went.
pub(crate) fn open_store(db: &Path) -> Result<Store, String> {
    let store = Store::open(db).map_err(|e| e.to_string())?;
    if let Some(upgrade) = store.upgrade() {
        eprintln!("factdesk: {upgrade}");
    }
    Ok(store)
}

fn run(cli: Cli) -> Result<(), String> {
    let db = cli.db.clone().unwrap_or_else(Store::default_path);
    match cli.command {
        Command::Team { action } => team::team(action),
        Command::People { action } => people::run(&db, action),
        Command::MigrateStore { from, to } => team::migrate_store(&from, &to),
        Command::Scan { dir, json } => scan(&db, &dir, json),
        Command::Completions { shell } => manual::completions::<Cli>(shell),
        Command::Manual => manual::manual::<Cli>(),
        Command::Watch { dir, json, poll } => watch(&db, &dir, json, poll),
        Command::Suggest { file, json } => suggest(&file, json),
        Command::Anchor(args) => anchor::run(&args),
        Command::Claim { action: ClaimAction::Add { desk, draft, quote, prefix, suffix, status } } => {
            let status: ClaimStatus = status.parse().map_err(|e: ReviewError| e.to_string())?;
            let (desk, review) = open_review(&db, &desk)?;
            let draft = find_draft(&desk, &draft)?;
            let quote = TextQuoteSelector { exact: quote, prefix, suffix };
            let id = review.add_claim(draft, &quote, status).map_err(|e| e.to_string())?;
            print_out(&id.to_string())
        }
        Command::Claim { action: ClaimAction::Set { id, status, opinion, attack, expect_version } } => {
            let status: Option<ClaimStatus> =
                status.map(|s| s.parse()).transpose().map_err(|e: ReviewError| e.to_string())?;
            let review = sourcing::review_of(&db)?;
            match (status, expect_version) {
                (Some(status), Some(seen)) => review.set_status_expecting(ClaimId(id), status, seen),
                (Some(status), None) => review.set_status(ClaimId(id), status),
                (None, _) => Ok(()),
            }
            .map_err(|e| e.to_string())?;
            if let Some(opinion) = opinion {
                sourcing::set_opinion(&review, id, opinion)?;
            }
            match attack {
                Some(attack) => review.set_personal_attack(ClaimId(id), attack).map_err(|e| e.to_string()),
                None => Ok(()),
            }
        }
        Command::Claim { action: ClaimAction::Link { claim, source, role } } => {
            sourcing::link(&db, claim, source, &role)
        }
        Command::Claim { action: ClaimAction::Unlink { claim, source } } => sourcing::unlink(&db, claim, source),
        Command::Claim { action: ClaimAction::Relink { claim, source } } => sourcing::relink(&db, claim, source),
        Command::Claim { action: ClaimAction::Move { id, quote, prefix, suffix } } => {
            let review = sourcing::review_of(&db)?;
            let quote = TextQuoteSelector { exact: quote, prefix, suffix };
            let moved = review.move_claim(ClaimId(id), &quote).map_err(|e| e.to_string())?;
            eprintln!("factdesk: claim {id} now covers {:?}", moved.quote);
            Ok(())
        }
        Command::Claim { action: ClaimAction::Rm { id } } => {
            let removed = sourcing::review_of(&db)?.remove_claim(ClaimId(id)).map_err(|e| e.to_string())?;
            eprintln!(
                "factdesk: removed claim {id} ({:?}); `factdesk claim restore {id}` brings it back",
                removed.quote
            );
            Ok(())
        }
        Command::Claim { action: ClaimAction::Restore { id } } => {
            let restored = sourcing::review_of(&db)?.restore_claim(ClaimId(id)).map_err(|e| e.to_string())?;
            eprintln!("factdesk: restored claim {id} ({:?})", restored.quote);
            Ok(())
        }
        Command::Vault { action } => vault::vault(&db, action),
        Command::Reviewer { action } => vault::reviewer(&db, action),
        Command::Sourcing(command) => sourcing::run(&db, command),
        Command::Assign(args) => assignment::assign(&db, &args),
        Command::Unassign(target) => assignment::unassign(&db, &target),
        Command::Inbox { json } => assignment::inbox(&db, json),
        Command::Draft { action } => draft::run(&db, action),
        Command::Search(args) => search::run(&db, args),
        Command::Backup { output: Some(output), .. } => backup::create_encrypted(&db, &output),
        Command::Backup { action: Some(action), .. } => backup::run(&db, action),
        Command::Backup { output: None, action: None } => Err(
            "say where: `factdesk backup -o FILE` (encrypted), or `backup now`, `backup list`, `backup restore FILE`"
                .into(),
        ),
        Command::Restore { file } => backup::restore_encrypted(&db, &file),
        Command::Export { desk, draft, format, profile, with_text, output, force } => {
            let existing = if force { Existing::Replace } else { Existing::Keep };
            let request = ExportRequest { draft: draft.as_deref(), format: &format, profile: &profile, with_text };
            export(&db, &desk, &request, output.as_deref(), existing)
        }
        Command::Claims { desk, draft, json, removed: true } => {
            let (desk, review) = open_review(&db, &desk)?;
            let removed = review.removed_claims(find_draft(&desk, &draft)?).map_err(|e| e.to_string())?;
            if json {
                return print_out(&serde_json::to_string_pretty(&removed).map_err(|e| e.to_string())?);
            }
            let lines: Vec<String> = removed
                .iter()
                .map(|c| {
                    format!(
                        "{:>5}  {:<20} removed by {} at {}  {}",
                        c.id,
                        c.status.as_str(),
                        c.removed_by,
                        c.removed_at,
                        c.quote
                    )
                })
                .collect();
            print_out(&lines.join("\n"))
        }
        Command::Claims { desk, draft, json, removed: false } => {
            let (desk, review) = open_review(&db, &desk)?;
            let claims = review.claims(find_draft(&desk, &draft)?).map_err(|e| e.to_string())?;
            if json {
                let rows: Vec<ClaimJson<'_>> = claims.iter().map(ClaimJson::from).collect();
                print_out(&serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?)
            } else {
                let lines: Vec<String> = claims
                    .iter()
                    .map(|c| {
                        format!(
                            "{:>5}  {:<20} {:<10} {}",
                            c.id,
                            c.status.as_str(),
                            format!("{:?}", c.anchor.state).to_lowercase(),
                            c.quote
                        )
                    })
                    .collect();
                print_out(&lines.join("\n"))
            }
        }
    }
}

/// What `export` was asked for, besides where to write it.
struct ExportRequest<'a> {
    draft: Option<&'a str>,
    format: &'a str,
    profile: &'a str,
    with_text: bool,
}

fn export(
    db: &Path,
    dir: &Path,
    request: &ExportRequest<'_>,
    output: Option<&Path>,
    existing: Existing,
) -> Result<(), String> {
    // Arguments first: a typo should not cost a scan of the folder.
    let format: Format = request.format.parse().map_err(|e: ReportError| e.to_string())?;
    let profile: Profile = request.profile.parse().map_err(|e: ReportError| e.to_string())?;
    if !format.is_text() && output.is_none() {
        return Err(format!("a {} report is binary: write it to a file with -o FILE", format.as_str()));
    }
    // The destination too, before anything is gathered: a report must not replace a draft or the review.
    let protected = protected_paths(dir, Some(db));
    let protected: Vec<&Path> = protected.iter().map(PathBuf::as_path).collect();
    let destination =
        output.map(|path| Destination::check(path, &protected, existing)).transpose().map_err(|e| e.to_string())?;
    let store = open_store(db)?.shared();
    let desk = Desk::open(store.clone(), dir, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
    // Up to date with the folder first, as `claims` is: edited drafts' claims are re-anchored.
    desk.scan_lazily(&mut |_| {}, &mut |_| {}).map_err(|e| e.to_string())?;
    let scope = match request.draft {
        Some(path) => Scope::Draft(find_draft(&desk, path)?),
        None => {
            // A desk report shows every draft's words and text.
            desk.read_all_texts().map_err(|e| e.to_string())?;
            Scope::Desk(desk.id())
        }
    };
    let options = GatherOptions { profile, include_text: request.with_text };
    // Recorded as the reviewer set in Factdesk; an internal report of a desk
    // with a vault needs it unlocked.
    let reviewer = Review::reviewer_name(&factdesk_core::store::lock(&store));
    let review = Review::new(store.clone(), Arc::new(SystemClock), reviewer);
    if profile == Profile::Internal {
        // Asked before the vault is unlocked: the refusal names the internal report, not the unlock on its way.
        let internal = factdesk_core::rights::Action::ExportInternal;
        factdesk_core::rights::check(&factdesk_core::store::lock(&store), desk.id(), review.reviewer(), internal, None)
            .map_err(|e| e.to_string())?;
        vault::unlock_if_vaulted(&review, &store, desk.id())?;
    }
    let model = report::gather_as(&review, scope, &options).map_err(|e| e.to_string())?;
    let bytes = report::render(&model, format, &WriteOptions::default()).map_err(|e| e.to_string())?;
    match destination {
        Some(destination) => {
            let readers = if profile == Profile::Internal { Readers::OwnerOnly } else { Readers::Default };
            destination.write(&bytes, readers).map_err(|e| e.to_string())
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes).and_then(|()| out.flush()) {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.to_string()),
                _ => Ok(()),
            }
        }
    }
}

fn open_desk(db: &Path, dir: &Path) -> Result<Desk, String> {
    let store = open_store(db)?.shared();
    Desk::open(store, dir, Arc::new(SystemClock)).map_err(|e| e.to_string())
}

/// Opens the desk, brings it up to date with its folder (which re-anchors
/// the claims of edited drafts) and binds a review to it.
pub(crate) fn open_review(db: &Path, dir: &Path) -> Result<(Desk, Review), String> {
    let store = open_store(db)?.shared();
    let reviewer = Review::reviewer_name(&factdesk_core::store::lock(&store));
    let desk = Desk::open(store.clone(), dir, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
    // A file first seen here is recorded without its text, which is read
    // when a command needs it (`find_draft`, search, a desk report).
    desk.scan_lazily(&mut |_| {}, &mut |_| {}).map_err(|e| e.to_string())?;
    Ok((desk, Review::new(store, Arc::new(SystemClock), reviewer)))
}

/// The draft at `path`, its text read and stored if a lazy scan left it
/// unread: every command given a draft reviews, lists or reports its text.
pub(crate) fn find_draft(desk: &Desk, path: &str) -> Result<DraftId, String> {
    let id = desk
        .draft_by_path(path)
        .map_err(|e| e.to_string())?
        .map(|d| d.id)
        .ok_or_else(|| format!("no draft {path} in {}", desk.root().display()))?;
    desk.read_text(&[id]).map_err(|e| e.to_string())?;
    Ok(id)
}

/// One claim as `claims --json` prints it (the contract).
#[derive(Serialize)]
struct ClaimJson<'a> {
    id: ClaimId,
    status: ClaimStatus,
    quote: &'a str,
    start: Option<u32>,
    end: Option<u32>,
    anchor: &'a factdesk_core::review::ClaimAnchor,
    original_quote: &'a str,
    /// {"kind", "from": "sources"|"wording", "cue"}: the same answer as the window, `matrix` and the reports.
    attribution: &'a factdesk_core::attribution::ClaimAttribution,
    /// The status's version, for `claim set --status … --expect-version N`.
    version: i64,
}

impl<'a> From<&'a ClaimView> for ClaimJson<'a> {
    fn from(claim: &'a ClaimView) -> Self {
        Self {
            id: claim.id,
            status: claim.status,
            quote: &claim.quote,
            start: claim.start,
            end: claim.end,
            anchor: &claim.anchor,
            original_quote: &claim.original_quote,
            attribution: &claim.attribution,
            version: claim.version,
        }
    }
}

#[derive(Serialize)]
struct ScanOutput<'a> {
    desk: String,
    drafts: &'a [factdesk_core::desk::ScannedFile],
}

/// Prints `text` to stdout; a reader that went away (`| head`) is not an error.
pub(crate) fn print_out(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.to_string()),
        _ => Ok(()),
    }
}

fn scan(db: &Path, dir: &Path, json: bool) -> Result<(), String> {
    let desk = open_desk(db, dir)?;
    let report = desk.scan(&mut |_| {}, &mut |_| {}).map_err(|e| e.to_string())?;
    if json {
        let output = ScanOutput { desk: dir.display().to_string(), drafts: &report.files };
        print_out(&serde_json::to_string_pretty(&output).map_err(|e| e.to_string())?)
    } else {
        let lines: Vec<String> = report
            .files
            .iter()
            .map(|file| {
                let reason = file.reason.as_deref().map(|r| format!("  ({r})")).unwrap_or_default();
                format!("{:<8} {:>6} words  {}  {}{reason}", file.state.as_str(), file.words, file.path, file.title)
            })
            .collect();
        print_out(&lines.join("\n"))
    }
}

fn watch(db: &Path, dir: &Path, json: bool, poll: bool) -> Result<(), String> {
    let desk = open_desk(db, dir)?;
    let print = move |event: DeskEvent| {
        let mut out = std::io::stdout().lock();
        let line = if json {
            serde_json::to_string(&event).unwrap_or_else(|e| format!("{{\"event\":\"problem\",\"message\":\"{e}\"}}"))
        } else {
            format!("{event:?}")
        };
        // A closed stdout (the reader went away) ends nothing here; Ctrl-C does.
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    };
    // Watch first, then scan, so nothing saved during the scan is missed.
    let preference = if poll { WatchPreference::Polling } else { WatchPreference::from_env() };
    let watch = desk.watch(preference, print).map_err(|e| e.to_string())?;
    desk.scan_lazily(&mut |_| {}, &mut |event| print(event)).map_err(|e| e.to_string())?;
    eprintln!("factdesk: watching {} ({:?}); Ctrl-C to stop", desk.root().display(), watch.mode);
    loop {
        std::thread::park();
    }
}

fn suggest(file: &Path, json: bool) -> Result<(), String> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let draft = read_draft(file);
    let content = match (&draft.content, draft.state) {
        (Some(content), FileState::Ok | FileState::Warning) => content,
        _ => {
            return Err(format!("cannot read {}: {}", file.display(), draft.reason.as_deref().unwrap_or("not a draft")))
        }
    };
    if let Some(reason) = draft.reason.as_deref() {
        eprintln!("factdesk: warning: {reason}");
    }
    let suggestions = factdesk_core::suggest::suggest(&content.text);
    let output = if json {
        serde_json::to_string_pretty(&suggestions).map_err(|e| e.to_string())?
    } else {
        suggestions
            .iter()
            .map(|s| format!("{:.2} [{:?}] {}", s.score, s.attribution.kind, s.quote))
            .collect::<Vec<_>>()
            .join("\n")
    };
    print_out(&output)
}
