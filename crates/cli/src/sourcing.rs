//! The sourcing commands: sources, claim links, evidence, notes, the
//! editor's note, the sourcing rules, the draft's status and the audit trail.

use super::{find_draft, open_review, print_out};
use clap::{ArgGroup, Subcommand};
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::Review;
use factdesk_core::rules::Finding;
use factdesk_core::sourcing::corroboration::{Corroboration, TwoSourceRule};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence, Stance};
use factdesk_core::sourcing::note::{NoteTarget, NoteView};
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole, SourceUpdate};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{ClaimId, DraftId, EvidenceId, NoteId, SourceId};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The confidential fields of an unnamed source (stored apart, never exported by default).
#[derive(clap::Args, Default)]
pub(crate) struct ConfidentialArgs {
    /// Confidential: who the source really is. Give `-` and write it to stdin (a value typed here is refused:
    /// others see argv in `ps`, and it stays in shell history).
    #[arg(long)]
    identity: Option<String>,
    /// Confidential: how to reach the source (`-`, then stdin).
    #[arg(long)]
    contact: Option<String>,
    /// Confidential: whether the source knows first-hand (true or false).
    #[arg(long, value_name = "BOOL")]
    first_hand: Option<bool>,
    /// Confidential: how the source knows what it says (`-`, then stdin).
    #[arg(long)]
    how_known: Option<String>,
    /// Confidential: why anonymity was granted (`-`, then stdin).
    #[arg(long)]
    reason: Option<String>,
    /// Confidential: the editor who knows the source's identity (`-`, then stdin).
    #[arg(long, value_name = "NAME")]
    editor_knows: Option<String>,
    /// Confidential: who approved using the source anonymously (`-`, then stdin; several `-`: one line each, in
    /// this order).
    #[arg(long, value_name = "NAME")]
    approved_by: Option<String>,
}

impl ConfidentialArgs {
    /// The fields, those given as `-` read from stdin (one line each, in the
    /// order listed by --help; all of stdin when only one is `-`). A value
    /// given in argv is refused: other users see it in `ps`, and it stays in
    /// shell history. An empty value (clearing a field) is no secret.
    fn into_fields(self) -> Result<Confidential, String> {
        let mut texts = [
            ("--identity", self.identity),
            ("--contact", self.contact),
            ("--how-known", self.how_known),
            ("--reason", self.reason),
            ("--editor-knows", self.editor_knows),
            ("--approved-by", self.approved_by),
        ];
        if let Some((flag, _)) = texts.iter().find(|(_, v)| v.as_deref().is_some_and(|v| v != "-" && !v.is_empty())) {
            return Err(format!(
                "{flag} is confidential and must not be given on the command line (other users see it in `ps`, \
                 and it stays in your shell history): pass `{flag} -` and write the value to stdin"
            ));
        }
        let from_stdin = texts.iter().filter(|(_, v)| v.as_deref() == Some("-")).count();
        let mut lines: Vec<String> = Vec::new();
        if from_stdin > 0 {
            let mut input = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
                .map_err(|e| format!("cannot read the confidential fields from stdin: {e}"))?;
            lines = if from_stdin == 1 {
                vec![input.trim_end_matches(['\r', '\n']).to_owned()]
            } else {
                input.lines().map(str::to_owned).collect()
            };
            if lines.len() < from_stdin {
                return Err(format!("{from_stdin} fields are `-`: write one line for each to stdin"));
            }
        }
        let mut lines = lines.into_iter();
        for (_, value) in &mut texts {
            if value.as_deref() == Some("-") {
                *value = lines.next();
            }
        }
        let [identity, contact, how_known, reason, editor_knows, approved_by] = texts.map(|(_, v)| v);
        Ok(Confidential {
            identity,
            contact,
            first_hand: self.first_hand,
            how_known,
            anonymity_reason: reason,
            editor_knows,
            approved_by,
        })
    }
}

#[derive(Subcommand)]
pub(crate) enum SourcingCommand {
    /// Add a source to a desk's register, change, show, remove or restore one.
    Source {
        #[command(subcommand)]
        action: SourceAction,
    },
    /// List a desk's sources (never their confidential fields).
    Sources {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// Print a JSON array: [{"id", "descriptor", "kind", "notes", "confidential": {field: recorded?}, …}].
        #[arg(long)]
        json: bool,
    },
    /// Add evidence to a claim, list a claim's evidence, remove or restore an item.
    Evidence {
        #[command(subcommand)]
        action: EvidenceAction,
    },
    /// Comment threads on a claim or a draft: add, edit, resolve, reopen, list, remove, restore.
    Note {
        #[command(subcommand)]
        action: NoteAction,
    },
    /// Show a draft's editor's note, save the reviewer's own, or propose one.
    ///
    /// Until the reviewer saves one, a paragraph of the draft opening with
    /// "Editor's Note:" is the current note. --propose drafts a text from the
    /// review (unnamed sources and why, claims not independently verified)
    /// and saves nothing.
    #[command(name = "editor-note")]
    EditorNote {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The draft's path relative to the desk.
        draft: String,
        /// Save this text as the draft's editor's note.
        #[arg(long, value_name = "TEXT", conflicts_with = "propose")]
        set: Option<String>,
        /// With --set: save only if the note is still at this version (`version` in --json; 0 before any
        /// save): when someone saved another since, nothing is saved and the error gives their text and name.
        #[arg(long, value_name = "N", requires = "set")]
        expect_version: Option<i64>,
        /// Print a proposed note drafted from the review (nothing is saved).
        #[arg(long)]
        propose: bool,
        /// Print one JSON object: {"draft", "text", "origin": saved|from-draft|none|proposed, "saved_by", "saved_at"}.
        #[arg(long)]
        json: bool,
    },
    /// Run the desk's sourcing rules on a draft and list the findings.
    ///
    /// Rules: unresolved-claim (a claim still needs-corroboration or
    /// disputed), unnamed-needs-two-corroborations (a claim attributed only to
    /// unnamed sources has fewer than two independent corroborations),
    /// unnamed-source-incomplete (an unnamed source lacks the reason for
    /// anonymity, how it knows, or the editor who knows its identity),
    /// editor-note-required (the draft relies on unnamed sources without an
    /// editor's note), anonymity-for-opinion (a claim marked as opinion or as an attack on a person is
    /// attributed to an unnamed source), changed-since-ready (the text changed, in ways that matter, since
    /// the draft was marked ready: what changed; marking it ready again clears it). Each finding is one line,
    /// the rule's name then its id: "Two-source rule (unnamed-needs-two-corroborations): claim 4 …".
    /// Exits 0 whatever the findings.
    Check {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The draft's path relative to the desk.
        draft: String,
        /// Print a JSON array: [{"rule", "message", "claim", "source", "overridden", "override": {"id", "reason", "by", "at"}}].
        #[arg(long)]
        json: bool,
    },
    /// The draft's claims × sources matrix with each claim's corroboration.
    Matrix {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The draft's path relative to the desk.
        draft: String,
        /// Print one JSON object: {"draft", "sources": […], "rows": [{"claim", "roles", "corroboration", …}]}.
        #[arg(long)]
        json: bool,
    },
    /// Show a draft's workflow status, or move it: in-review, needs-work, ready, published, updated.
    ///
    /// Moving to ready runs the sourcing rules (see `check`) and is refused
    /// with the findings unless --override records a reason covering them
    /// (with who and when). Once published, a draft can only be marked updated.
    /// A ready draft whose text then changes (a claim reworded, moved with low
    /// confidence or gone, a new check-worthy sentence) is shown as changed
    /// since ready, with what changed, and goes back to needs-work unless the
    /// desk's setting says otherwise (`settings --reopen-when-changed false`).
    Status {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The draft's path relative to the desk.
        draft: String,
        /// in-review, needs-work, ready, published or updated; without it, the current status is shown.
        status: Option<String>,
        /// Go ahead despite the sourcing findings, for this reason.
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// Print the status as JSON: {"draft", "status", "changed_by", "changed_at", "changed_since_ready": {"reason", "changes", "findings", …} | null}.
        #[arg(long)]
        json: bool,
    },
    /// Every draft of a desk with its workflow status, whether it changed since ready, and its claims by status.
    Overview {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// Print a JSON array: [{"draft", "status", "changed_since_ready", "change_reason", "claims": {"total", "needs_corroboration", …}}].
        #[arg(long)]
        json: bool,
    },
    /// The desk's review settings; shows them, or changes the one given.
    Settings {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// Whether a ready draft whose text changes goes back to needs-work (true by default).
        #[arg(long, value_name = "true|false")]
        reopen_when_changed: Option<bool>,
    },
    /// The tamper-evident audit trail of every change.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
}

#[derive(Subcommand)]
pub(crate) enum SourceAction {
    /// Add a source to a desk's register and print its id.
    ///
    /// Kinds: named-person, unnamed, document, official-statement,
    /// public-record, media-report, social-media, other (any case). Only an
    /// unnamed source takes the confidential fields.
    Add {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The source as published, e.g. "a senior Western diplomat".
        #[arg(long)]
        descriptor: String,
        /// named-person, unnamed, document, official-statement, public-record, media-report, social-media or other.
        #[arg(long)]
        kind: String,
        /// Notes anyone with the review may read.
        #[arg(long, default_value = "")]
        notes: String,
        #[command(flatten)]
        confidential: ConfidentialArgs,
    },
    /// Change a source: its public fields and, for an unnamed source, its
    /// confidential ones (an empty value clears a field).
    Set {
        /// The source's id, as `source add` printed it.
        id: i64,
        #[arg(long)]
        descriptor: Option<String>,
        /// named-person, unnamed, document, official-statement, public-record, media-report, social-media or other.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[command(flatten)]
        confidential: ConfidentialArgs,
        /// Change the descriptor, kind, notes or confidential fields only if the source is still at this
        /// version (`version` in `source show`): when someone changed it since, nothing is changed and the
        /// error says who changed it (naming confidential fields, never their content).
        #[arg(long, value_name = "N")]
        expect_version: Option<i64>,
    },
    /// Show a source; --reveal also prints its confidential fields (and
    /// records in the audit trail that you looked).
    Show {
        id: i64,
        #[arg(long)]
        reveal: bool,
    },
    /// Remove a source from the desk's register. Refused, naming the claims,
    /// while a claim cites it, unless --with-links. Recorded in the audit
    /// trail; `source restore` undoes it.
    Rm {
        /// The source's id.
        id: i64,
        /// Also remove its links to the claims that cite it (they come back with `source restore`).
        #[arg(long)]
        with_links: bool,
    },
    /// Bring back a removed source, with the links removed along with it.
    Restore { id: i64 },
}

#[derive(Subcommand)]
pub(crate) enum EvidenceAction {
    /// Add an evidence item to a claim and print its id.
    ///
    /// Kinds: document, url, interview, public-record, photo-video, dataset (any case).
    Add {
        /// The claim's id.
        claim: i64,
        /// document, url, interview, public-record, photo-video or dataset.
        #[arg(long)]
        kind: String,
        /// A URL or a file.
        #[arg(long)]
        reference: String,
        /// What it shows.
        #[arg(long)]
        summary: String,
        /// It is independent of the claim's attributed source.
        #[arg(long)]
        independent: bool,
        /// It contradicts the claim (it supports it otherwise).
        #[arg(long)]
        contradicts: bool,
        /// When it was obtained: 2021-09-27 or an RFC 3339 time.
        #[arg(long, value_name = "DATE")]
        obtained: Option<String>,
    },
    /// List a claim's evidence.
    List {
        claim: i64,
        #[arg(long)]
        json: bool,
    },
    /// Remove an evidence item (recorded in the audit trail with what it said; `evidence restore` undoes it).
    Rm {
        /// The evidence item's id, as `evidence add` printed it.
        id: i64,
    },
    /// Bring back a removed evidence item, as it was.
    Restore { id: i64 },
}

#[derive(Subcommand)]
pub(crate) enum NoteAction {
    /// Add a note to a claim or a draft and print its id.
    #[command(group(ArgGroup::new("target").required(true).args(["claim", "draft"])))]
    Add {
        /// The claim's id.
        #[arg(long)]
        claim: Option<i64>,
        /// The desk's folder and the draft's path relative to it.
        #[arg(long, num_args = 2, value_names = ["DESK_DIR", "DRAFT"])]
        draft: Option<Vec<String>>,
        #[arg(long)]
        text: String,
        /// Reply in the thread of this note.
        #[arg(long, value_name = "NOTE_ID")]
        reply_to: Option<i64>,
        /// Read by editors, standards editors and the lawyer only: never in a desk-profile report (nor are replies to it).
        #[arg(long)]
        private: bool,
    },
    /// Change a note's text (the earlier text is kept in its history).
    Edit {
        id: i64,
        #[arg(long)]
        text: String,
        /// Edit only if the note is still at this version (`version` in `note list --json`): when someone
        /// changed it since, nothing is changed and the error gives their text and name.
        #[arg(long, value_name = "N")]
        expect_version: Option<i64>,
    },
    /// Resolve the note's thread.
    Resolve { id: i64 },
    /// Reopen the note's thread.
    Reopen { id: i64 },
    /// Remove a note; the note that opens a thread takes its replies with it
    /// (recorded in the audit trail; `note restore` undoes it).
    Rm { id: i64 },
    /// Bring back a removed note, with the replies removed along with it.
    Restore { id: i64 },
    /// List the notes on a claim or a draft.
    #[command(group(ArgGroup::new("target").required(true).args(["claim", "draft"])))]
    List {
        #[arg(long)]
        claim: Option<i64>,
        #[arg(long, num_args = 2, value_names = ["DESK_DIR", "DRAFT"])]
        draft: Option<Vec<String>>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum AuditAction {
    /// Check the audit trail: its hash chain, its head file, and the current rows replayed against it.
    ///
    /// Exits 0 when intact; 1 naming the first broken entry, the newest entries deleted or the
    /// chain rewritten (against the head file beside the database), or listing the rows of claims,
    /// sources, links, evidence and notes that disagree with the trail. On a team store a reporter's
    /// login sees only its own drafts' rows: the whole chain is checked, the rows are not compared.
    Verify,
    /// Print the audit trail (optionally of one entity, e.g. claim:3).
    Log {
        #[arg(long)]
        entity: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn text_error(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// Unlocks the vault of a source's desk, when it has one and a passphrase is at hand.
fn unlock_for_source(review: &Review, db: &Path, id: SourceId) -> Result<(), String> {
    let desk = review.source(id).map_err(text_error)?.desk;
    let store = crate::open_store(db)?.shared();
    // Asked before the vault is unlocked: someone who may not reveal or record an identity is told that, not
    // that they may not unlock the vault (only a step on the way).
    let reveal = factdesk_core::rights::Action::RevealIdentity;
    factdesk_core::rights::check(&factdesk_core::store::lock(&store), desk, review.reviewer(), reveal, None)
        .map_err(text_error)?;
    let vaulted =
        factdesk_core::vault::has_vault(&factdesk_core::store::lock(&store), desk).map_err(|e| e.to_string())?;
    if vaulted {
        crate::vault::unlock_if_vaulted(review, &store, desk)?;
    }
    Ok(())
}

/// A review bound to the database only, for commands that take ids.
pub(crate) fn review_of(db: &Path) -> Result<Review, String> {
    let store = crate::open_store(db)?;
    let reviewer = Review::reviewer_name(&store);
    Ok(Review::new(store.shared(), Arc::new(SystemClock), reviewer))
}

fn json<T: Serialize>(value: &T) -> Result<(), String> {
    print_out(&serde_json::to_string_pretty(value).map_err(|e| e.to_string())?)
}

fn draft_of(db: &Path, desk: &Path, draft: &str) -> Result<(Review, DraftId), String> {
    let (desk, review) = open_review(db, desk)?;
    let draft = find_draft(&desk, draft)?;
    Ok((review, draft))
}

fn note_target(db: &Path, claim: Option<i64>, draft: Option<Vec<String>>) -> Result<(Review, NoteTarget), String> {
    match (claim, draft.as_deref()) {
        (Some(claim), _) => Ok((review_of(db)?, NoteTarget::Claim(ClaimId(claim)))),
        (None, Some([desk, draft])) => {
            let (review, draft) = draft_of(db, Path::new(desk), draft)?;
            Ok((review, NoteTarget::Draft(draft)))
        }
        _ => Err("give --claim ID or --draft DESK_DIR DRAFT".to_owned()),
    }
}

/// `claim link CLAIM SOURCE --role ROLE`.
pub(crate) fn link(db: &Path, claim: i64, source: i64, role: &str) -> Result<(), String> {
    let role: SourceRole = role.parse().map_err(text_error)?;
    review_of(db)?.link_source(ClaimId(claim), SourceId(source), role).map_err(text_error)
}

/// `claim unlink CLAIM SOURCE`.
pub(crate) fn unlink(db: &Path, claim: i64, source: i64) -> Result<(), String> {
    review_of(db)?.unlink_source(ClaimId(claim), SourceId(source)).map_err(text_error)
}

/// `claim relink CLAIM SOURCE`.
pub(crate) fn relink(db: &Path, claim: i64, source: i64) -> Result<(), String> {
    review_of(db)?.restore_source_link(ClaimId(claim), SourceId(source)).map(drop).map_err(text_error)
}

/// `claim set ID --opinion BOOL`.
pub(crate) fn set_opinion(review: &Review, claim: i64, opinion: bool) -> Result<(), String> {
    review.set_opinion(ClaimId(claim), opinion).map_err(text_error)
}

#[derive(Serialize)]
struct EditorNoteJson<'a> {
    draft: DraftId,
    text: Option<&'a str>,
    origin: &'a str,
    saved_by: Option<&'a str>,
    saved_at: Option<&'a str>,
}

fn print_notes(notes: &[NoteView]) -> Result<(), String> {
    let lines: Vec<String> = notes
        .iter()
        .map(|n| {
            let indent = if n.reply_to.is_some() { "    " } else { "" };
            let state = match (&n.reply_to, &n.resolved_by) {
                (None, Some(by)) => format!(" [resolved by {by}]"),
                _ => String::new(),
            };
            let edited = if n.history.is_empty() { "" } else { " (edited)" };
            // A reply is private with the note that opened its thread (as the window shows it).
            let thread_private =
                n.private || n.reply_to.is_some_and(|root| notes.iter().any(|r| r.id == root && r.private));
            let private = if thread_private { " [private]" } else { "" };
            format!("{indent}{:>4}  {} {}{edited}{state}{private}: {}", n.id, n.author, n.created_at, n.text)
        })
        .collect();
    print_out(&lines.join("\n"))
}

fn print_status(view: &factdesk_core::sourcing::workflow::DraftStatusView) -> Result<(), String> {
    let mut lines = vec![view.status.as_str().to_owned()];
    if let (Some(by), Some(at)) = (&view.changed_by, &view.changed_at) {
        lines[0].push_str(&format!(" (set by {by}, {at})"));
    }
    if let Some(changed) = &view.changed_since_ready {
        lines.push(format!(
            "changed since {}{}: {}",
            changed.status_was.as_str(),
            if changed.reopened { ", sent back to needs-work" } else { "" },
            changed.reason.trim_start_matches("the text changed since the draft was marked ready: ")
        ));
        for finding in changed.findings.iter().filter(|f| !f.overridden) {
            lines.push(format!("  {}: {}", finding.rule.label_and_id(), finding.message));
        }
    }
    print_out(&lines.join("\n"))
}

/// The matrix's two-source mark, as the window's Draft review prints it: "met", what is missing as
/// "1/2", or "n/a" where the rule asks nothing of the claim.
fn two_source_mark(corroboration: &Corroboration) -> String {
    match corroboration.rule {
        TwoSourceRule::Met => "met".to_owned(),
        TwoSourceRule::NotMet => format!("{}/{}", corroboration.independent_corroborations, corroboration.needed),
        TwoSourceRule::DoesNotApply => "n/a".to_owned(),
    }
}

fn print_findings(findings: &[Finding]) -> Result<(), String> {
    if findings.is_empty() {
        return print_out("no findings: the draft meets the desk's sourcing rules");
    }
    let lines: Vec<String> = findings
        .iter()
        .map(|f| {
            let overridden = f
                .override_record
                .as_ref()
                .map(|o| format!("  (overridden by {} at {}: {})", o.by, o.at, o.reason))
                .unwrap_or_default();
            format!("{}: {}{overridden}", f.rule.label_and_id(), f.message)
        })
        .collect();
    print_out(&lines.join("\n"))
}

pub(crate) fn run(db: &Path, command: SourcingCommand) -> Result<(), String> {
    match command {
        SourcingCommand::Source { action } => source(db, action),
        SourcingCommand::Sources { desk, json: as_json } => {
            let store = crate::open_store(db)?.shared();
            let reviewer = Review::reviewer_name(&factdesk_core::store::lock(&store));
            let desk = Desk::open(store.clone(), &desk, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
            let review = Review::new(store, Arc::new(SystemClock), reviewer);
            let sources = review.sources(desk.id()).map_err(text_error)?;
            if as_json {
                return json(&sources);
            }
            let lines: Vec<String> =
                sources.iter().map(|s| format!("{:>5}  {:<18} {}", s.id, s.kind.as_str(), s.descriptor)).collect();
            print_out(&lines.join("\n"))
        }
        SourcingCommand::Evidence {
            action: EvidenceAction::Add { claim, kind, reference, summary, independent, contradicts, obtained },
        } => {
            let kind: EvidenceKind = kind.parse().map_err(text_error)?;
            let new = NewEvidence {
                kind,
                reference,
                summary,
                obtained_at: obtained,
                independent,
                stance: if contradicts { Stance::Contradicts } else { Stance::Supports },
            };
            let id = review_of(db)?.add_evidence(ClaimId(claim), &new).map_err(text_error)?;
            print_out(&id.to_string())
        }
        SourcingCommand::Evidence { action: EvidenceAction::Rm { id } } => {
            review_of(db)?.remove_evidence(EvidenceId(id)).map(drop).map_err(text_error)
        }
        SourcingCommand::Evidence { action: EvidenceAction::Restore { id } } => {
            review_of(db)?.restore_evidence(EvidenceId(id)).map(drop).map_err(text_error)
        }
        SourcingCommand::Evidence { action: EvidenceAction::List { claim, json: as_json } } => {
            let evidence = review_of(db)?.evidence(ClaimId(claim)).map_err(text_error)?;
            if as_json {
                return json(&evidence);
            }
            let lines: Vec<String> = evidence
                .iter()
                .map(|e| {
                    let independent = if e.independent { "independent" } else { "dependent" };
                    format!(
                        "{:>5}  {:<13} {:<11} {:<11} {}  {}",
                        e.id,
                        e.kind.as_str(),
                        e.stance.as_str(),
                        independent,
                        e.reference,
                        e.summary
                    )
                })
                .collect();
            print_out(&lines.join("\n"))
        }
        SourcingCommand::Note { action } => note(db, action),
        SourcingCommand::EditorNote { desk, draft, set, propose, expect_version, json: as_json } => {
            let (review, draft) = draft_of(db, &desk, &draft)?;
            if propose {
                let text = review.propose_editor_note(draft).map_err(text_error)?;
                if as_json {
                    return json(&EditorNoteJson {
                        draft,
                        text: Some(&text),
                        origin: "proposed",
                        saved_by: None,
                        saved_at: None,
                    });
                }
                return print_out(&text);
            }
            let note = match (set, expect_version) {
                (Some(text), Some(seen)) => review.save_editor_note_expecting(draft, &text, seen),
                (Some(text), None) => review.save_editor_note(draft, &text),
                (None, _) => review.editor_note(draft),
            }
            .map_err(text_error)?;
            if as_json {
                return json(&note);
            }
            match note.text {
                Some(text) => print_out(&text),
                None => {
                    eprintln!("factdesk: the draft has no editor's note");
                    Ok(())
                }
            }
        }
        SourcingCommand::Check { desk, draft, json: as_json } => {
            let (review, draft) = draft_of(db, &desk, &draft)?;
            let findings = review.check(draft).map_err(text_error)?;
            if as_json {
                json(&findings)
            } else {
                print_findings(&findings)
            }
        }
        SourcingCommand::Matrix { desk, draft, json: as_json } => {
            let (review, draft) = draft_of(db, &desk, &draft)?;
            let matrix = review.sourcing_matrix(draft).map_err(text_error)?;
            if as_json {
                return json(&matrix);
            }
            let mut lines = vec![format!(
                "claim  {}  support  contra  2-src  quote",
                matrix.sources.iter().map(|s| format!("s{:<4}", s.id)).collect::<Vec<_>>().join(" ")
            )];
            for row in &matrix.rows {
                let cells: Vec<String> = row
                    .roles
                    .iter()
                    .map(|r| {
                        let mark = match r {
                            Some(SourceRole::Attributed) => "A",
                            Some(SourceRole::Corroborates) => "C",
                            Some(SourceRole::Contradicts) => "X",
                            None => ".",
                        };
                        format!("{mark:<5}")
                    })
                    .collect();
                let c = &row.corroboration;
                lines.push(format!(
                    "{:>5}  {}  {:>7}  {:>6}  {:<5}  {}",
                    row.claim,
                    cells.join(" "),
                    c.independent_corroborations,
                    c.contradicting,
                    two_source_mark(c),
                    row.quote
                ));
            }
            lines.push("A attributed, C corroborates, X contradicts".to_owned());
            lines.push(
                "2-src: met, 1/2 not met (independent corroborations of those needed), n/a does not apply (not \
                 attributed only to unnamed sources)"
                    .to_owned(),
            );
            print_out(&lines.join("\n"))
        }
        SourcingCommand::Status { desk, draft, status: None, override_reason, json: as_json } => {
            if override_reason.is_some() {
                return Err("--override goes with a status to move the draft to, e.g. `status DIR DRAFT ready --override REASON`".to_owned());
            }
            let (review, draft) = draft_of(db, &desk, &draft)?;
            // Catching up with the folder first: the status follows the text as it is now.
            review.claims(draft).map_err(|e| e.to_string())?;
            let view = review.draft_status(draft).map_err(text_error)?;
            if as_json {
                return json(&view);
            }
            print_status(&view)
        }
        SourcingCommand::Status { desk, draft, status: Some(status), override_reason, json: as_json } => {
            let status: DraftStatus = status.parse().map_err(text_error)?;
            let (review, draft) = draft_of(db, &desk, &draft)?;
            let change = review.set_draft_status(draft, status, override_reason.as_deref()).map_err(text_error)?;
            if override_reason.is_some() && change.override_id.is_none() {
                eprintln!("factdesk: no open findings to override; no override was recorded");
            }
            if !change.overridden.is_empty() {
                eprintln!(
                    "factdesk: {} finding{} overridden (override {})",
                    change.overridden.len(),
                    if change.overridden.len() == 1 { "" } else { "s" },
                    change.override_id.map(|id| id.to_string()).unwrap_or_default()
                );
            }
            if as_json {
                return json(&change.status);
            }
            print_out(change.status.status.as_str())
        }
        SourcingCommand::Overview { desk, json: as_json } => {
            let (desk, review) = open_review(db, &desk)?;
            let desk = desk.id();
            let overview = review.desk_overview(desk).map_err(text_error)?;
            if as_json {
                return json(&overview);
            }
            let lines: Vec<String> = overview
                .iter()
                .map(|o| {
                    let c = &o.claims;
                    format!(
                        "{:>4}  {:<11}  {} claims ({} needs corroboration, {} corroborated, {} disputed, {} unverifiable, {} cleared){}",
                        o.draft,
                        o.status.as_str(),
                        c.total,
                        c.needs_corroboration,
                        c.corroborated,
                        c.disputed,
                        c.unverifiable,
                        c.cleared,
                        o.change_reason.as_deref().map(|r| format!("\n      changed since ready: {r}")).unwrap_or_default()
                    )
                })
                .collect();
            print_out(&lines.join("\n"))
        }
        SourcingCommand::Settings { desk, reopen_when_changed } => {
            let (desk, review) = open_review(db, &desk)?;
            let desk = desk.id();
            let on = match reopen_when_changed {
                Some(on) => review.set_reopens_when_changed(desk, on).map_err(text_error)?,
                None => review.reopens_when_changed(desk).map_err(text_error)?,
            };
            print_out(&format!("reopen-when-changed: {on}"))
        }
        SourcingCommand::Audit { action: AuditAction::Verify } => {
            let report = review_of(db)?.verify_audit().map_err(|e| e.to_string())?;
            crate::audit_verify::print(db, &report)
        }
        SourcingCommand::Audit { action: AuditAction::Log { entity, json: as_json } } => {
            let entries = review_of(db)?.audit_trail(entity.as_deref()).map_err(|e| e.to_string())?;
            print_audit_entries(&entries, as_json)
        }
    }
}

/// `audit log`'s output, from either engine.
pub(crate) fn print_audit_entries(entries: &[factdesk_core::audit::AuditEntry], as_json: bool) -> Result<(), String> {
    if as_json {
        return json(&entries);
    }
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            // People read the label; --json keeps the stable action keys and the full before/after.
            format!(
                "{:>5}  {}  {:<12} {:<12} {}",
                e.seq,
                e.at,
                e.actor,
                e.entity,
                factdesk_core::audit_labels::describe(e)
            )
        })
        .collect();
    print_out(&lines.join("\n"))
}

fn source(db: &Path, action: SourceAction) -> Result<(), String> {
    match action {
        SourceAction::Add { desk, descriptor, kind, notes, confidential } => {
            let kind: SourceKind = kind.parse().map_err(text_error)?;
            let store = crate::open_store(db)?.shared();
            let reviewer = Review::reviewer_name(&factdesk_core::store::lock(&store));
            let desk = Desk::open(store.clone(), &desk, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
            let fields = confidential.into_fields()?;
            let review = Review::new(store.clone(), Arc::new(SystemClock), reviewer);
            if fields != Confidential::default() {
                crate::vault::unlock_if_vaulted(&review, &store, desk.id())?;
            }
            let new = NewSource { descriptor, kind, notes, confidential: Some(fields) };
            let id = review.add_source(desk.id(), &new).map_err(text_error)?;
            print_out(&id.to_string())
        }
        SourceAction::Set { id, descriptor, kind, notes, confidential, expect_version } => {
            let kind: Option<SourceKind> = kind.map(|k| k.parse()).transpose().map_err(text_error)?;
            let review = review_of(db)?;
            let id = SourceId(id);
            let fields = confidential.into_fields()?;
            if fields != Confidential::default() {
                unlock_for_source(&review, db, id)?;
            }
            let update = SourceUpdate { descriptor, kind, notes };
            // Public and confidential changes in one transaction, both compared with --expect-version:
            // a refusal of either leaves the source as it was.
            review.edit_source(id, &update, &fields, expect_version).map_err(text_error)?;
            review.source(id).map(drop).map_err(text_error)
        }
        SourceAction::Rm { id, with_links } => match review_of(db)?.remove_source(SourceId(id), with_links) {
            Ok(_) => Ok(()),
            Err(error @ SourcingError::SourceInUse { .. }) => Err(format!("{error} (--with-links)")),
            Err(error) => Err(text_error(error)),
        },
        SourceAction::Restore { id } => review_of(db)?.restore_source(SourceId(id)).map(drop).map_err(text_error),
        SourceAction::Show { id, reveal } => {
            let review = review_of(db)?;
            let view = review.source(SourceId(id)).map_err(text_error)?;
            if reveal {
                unlock_for_source(&review, db, SourceId(id))?;
                let fields = review.reveal_source(SourceId(id)).map_err(text_error)?;
                #[derive(Serialize)]
                struct Revealed<'a> {
                    #[serde(flatten)]
                    source: &'a factdesk_core::sourcing::source::SourceView,
                    revealed: &'a Confidential,
                }
                return json(&Revealed { source: &view, revealed: &fields });
            }
            json(&view)
        }
    }
}

fn note(db: &Path, action: NoteAction) -> Result<(), String> {
    match action {
        NoteAction::Add { claim, draft, text, reply_to, private } => {
            let (review, target) = note_target(db, claim, draft)?;
            let add = if private { Review::add_private_note } else { Review::add_note };
            let id = add(&review, target, &text, reply_to.map(NoteId)).map_err(text_error)?;
            print_out(&id.to_string())
        }
        NoteAction::Edit { id, text, expect_version } => {
            let review = review_of(db)?;
            match expect_version {
                Some(seen) => review.edit_note_expecting(NoteId(id), &text, seen),
                None => review.edit_note(NoteId(id), &text),
            }
            .map(drop)
            .map_err(text_error)
        }
        NoteAction::Resolve { id } => review_of(db)?.resolve_note(NoteId(id)).map(drop).map_err(text_error),
        NoteAction::Reopen { id } => review_of(db)?.reopen_note(NoteId(id)).map(drop).map_err(text_error),
        NoteAction::Rm { id } => review_of(db)?.remove_note(NoteId(id)).map(drop).map_err(text_error),
        NoteAction::Restore { id } => review_of(db)?.restore_note(NoteId(id)).map(drop).map_err(text_error),
        NoteAction::List { claim, draft, json: as_json } => {
            let (review, target) = note_target(db, claim, draft)?;
            let notes = review.notes(target).map_err(text_error)?;
            if as_json {
                json(&notes)
            } else {
                print_notes(&notes)
            }
        }
    }
}
