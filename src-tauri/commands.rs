//! The commands and events the UI uses. Each command is one call into the
//! core; errors cross as `{code, message}`.

use crate::export::{self, ExportRequest, SavedReport};
use crate::session::{Session, StoreView};
use factdesk_core::anchor::{AnchorError, TextPositionSelector, TextQuoteSelector};
use factdesk_core::assignment::{AssignedWork, Assignment, AssignmentError, AssignmentTarget};
use factdesk_core::audit_labels::ClaimChange;
use factdesk_core::backup::BackupError;
use factdesk_core::dashboard::DeskDashboard;
use factdesk_core::desk::{
    Desk, DeskError, DeskEvent, DeskWatch, DraftDocument, DraftSummary, ReviewCarry, ScanProgress, WatchMode,
};
use factdesk_core::history::{VersionComparison, VersionSummary};
use factdesk_core::inbox::{InboxEntry, InboxError};
use factdesk_core::report::{Format, Profile};
use factdesk_core::review::{
    AnchorResolution, ClaimStatus, ClaimView, DraftSuggestions, RemovedClaim, Review, ReviewError,
};
use factdesk_core::rights::{DeskPerson, DraftRefusals, RightsError};
use factdesk_core::rules::Finding;
use factdesk_core::search::{SearchError, SearchHit, SearchQuery};
use factdesk_core::sourcing::corroboration::{Corroboration, SourcingMatrix};
use factdesk_core::sourcing::editor_note::EditorNote;
use factdesk_core::sourcing::evidence::{EvidenceView, NewEvidence};
use factdesk_core::sourcing::note::{NoteTarget, NoteView};
use factdesk_core::sourcing::publication::{PublishedReview, ReviewChange};
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceLink, SourceRole, SourceUpdate, SourceView};
use factdesk_core::sourcing::workflow::{DraftOverview, DraftStatus, DraftStatusView, StatusChange};
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{
    lock, ClaimId, DeskId, DraftId, EvidenceId, InboxId, NoteId, SourceId, StoreError, VersionId,
};
use factdesk_core::store_choice::StoreChoiceError;
use factdesk_core::vault::{KeyringUnlock, VaultError, VaultStatus};
use factdesk_core::vault_access::VaultAccess;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::PathBuf;
use tauri::{Manager, State};

/// What went wrong, for the UI to react to (`code`) and show (`message`).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

/// The codes the UI tells apart (the message says the rest). Kept few: a code earns its place when the UI reacts
/// to it (`rules_fail`, `source_in_use`, `vault_locked`) or a test of the boundary pins it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The folder cannot be opened as a desk (missing, not a folder, unreadable): choose another.
    FolderMissing,
    /// Anything else that failed on our side (the database, following the folder's changes).
    Store,
    NotFound,
    NoDesk,
    /// The selected text is not in the draft's current version.
    QuoteNotFound,
    /// The selected text occurs more than once and its context does not decide.
    QuoteAmbiguous,
    InvalidInput,
    /// A report cannot be written there (not absolute, no such folder, a folder).
    InvalidPath,
    /// The file could not be written.
    Unwritable,
    /// PDF needs WeasyPrint, which is not installed.
    PdfEngineMissing,
    /// The report could not be made (WeasyPrint failed, encoding failed).
    ReportFailed,
    /// The sourcing rules refuse the change (a draft marked ready with open findings):
    /// check the findings and fix them or override them with a reason.
    RulesFail,
    /// A source a claim still cites cannot be removed alone: the message names the claims; remove
    /// it with its links (after the reviewer confirms) or unlink it first.
    SourceInUse,
    /// The desk's vault is locked: the confidential fields of its sources are
    /// encrypted; ask for the passphrase, unlock, and try again.
    VaultLocked,
    /// The vault stays locked and nothing changed: a wrong passphrase or recovery key, or too many of them (the
    /// message says how many seconds until the next try).
    WrongPassphrase,
    /// The OS keyring (Secret Service) is not available or refused: the message says why; the
    /// passphrase alone works.
    Keyring,
    /// Someone changed the row (a claim's status, a note, a source, the editor's note) since the version this
    /// change was made on: nothing was saved. The message gives their value and name; the window shows them and
    /// offers to reapply the change (on the version it reloads) or keep theirs.
    Conflict,
}

impl CommandError {
    pub fn not_found(draft: DraftId) -> Self {
        Self { code: ErrorCode::NotFound, message: format!("Draft {draft} is not on the open desk.") }
    }

    /// A background task that did not finish (it panicked).
    pub fn task(error: impl std::fmt::Display) -> Self {
        Self { code: ErrorCode::ReportFailed, message: format!("The report could not be made: {error}") }
    }

    /// The switch of stores stopped half-way (its thread failed): the previous store is still in use.
    pub fn store_switch(error: impl std::fmt::Display) -> Self {
        Self {
            code: ErrorCode::Store,
            message: format!("The store could not be switched ({error}); the previous one is still in use."),
        }
    }

    pub fn no_desk() -> Self {
        Self { code: ErrorCode::NoDesk, message: "No desk is open: open a folder of drafts first.".into() }
    }
}

impl From<DeskError> for CommandError {
    fn from(error: DeskError) -> Self {
        let code = match &error {
            DeskError::FolderMissing { .. } | DeskError::NotAFolder { .. } | DeskError::Unreadable { .. } => {
                ErrorCode::FolderMissing
            }
            DeskError::Watch { .. } | DeskError::Store(_) | DeskError::Review(_) => ErrorCode::Store,
            DeskError::Rights(rights) => CommandError::rights_code(rights),
            DeskError::CannotCarry(_) => ErrorCode::InvalidInput,
        };
        Self { code, message: error.to_string() }
    }
}

impl From<ReviewError> for CommandError {
    fn from(error: ReviewError) -> Self {
        Self { code: Self::review_code(&error), message: error.to_string() }
    }
}

impl CommandError {
    pub fn review_code(error: &ReviewError) -> ErrorCode {
        match error {
            ReviewError::Anchor(AnchorError::NotFound { .. }) => ErrorCode::QuoteNotFound,
            ReviewError::Anchor(AnchorError::Ambiguous { .. }) => ErrorCode::QuoteAmbiguous,
            ReviewError::Anchor(_)
            | ReviewError::UnknownStatus(_)
            | ReviewError::NoText(_)
            | ReviewError::CannotResolve(_)
            | ReviewError::InvalidReviewerName(_)
            | ReviewError::NotRemoved(_) => ErrorCode::InvalidInput,
            ReviewError::DraftNotFound(_) | ReviewError::ClaimNotFound(_) | ReviewError::VersionNotFound { .. } => {
                ErrorCode::NotFound
            }
            ReviewError::Store(_) | ReviewError::Malformed(_) => ErrorCode::Store,
            ReviewError::Conflict(_) => ErrorCode::Conflict,
            ReviewError::Rights(rights) => Self::rights_code(rights),
        }
    }

    /// A refused action (the message names the role it needs) is the reviewer's to read, as an
    /// invalid input is: the window does not react to it otherwise yet.
    pub fn rights_code(error: &RightsError) -> ErrorCode {
        match error {
            RightsError::Refused(_) | RightsError::UnknownRole(_) | RightsError::InvalidName(_) => {
                ErrorCode::InvalidInput
            }
            RightsError::Store(_) | RightsError::Malformed(_) => ErrorCode::Store,
        }
    }
}

impl From<SourcingError> for CommandError {
    fn from(error: SourcingError) -> Self {
        // A review error keeps the code it has on its own (a quote not found stays quote_not_found).
        let error = match error {
            SourcingError::Review(inner) => return inner.into(),
            other => other,
        };
        let code = match &error {
            SourcingError::DraftNotFound(_)
            | SourcingError::ClaimNotFound(_)
            | SourcingError::SourceNotFound(_)
            | SourcingError::EvidenceNotFound(_)
            | SourcingError::NoteNotFound(_) => ErrorCode::NotFound,
            SourcingError::UnknownName { .. }
            | SourcingError::Empty(_)
            | SourcingError::Invalid(_)
            | SourcingError::OtherDesk { .. }
            | SourcingError::NotUnnamed(_)
            | SourcingError::AlreadyResolved(_)
            | SourcingError::NotResolved(_)
            | SourcingError::Transition { .. }
            | SourcingError::NotRemoved(_)
            | SourcingError::RestoreRefused(_) => ErrorCode::InvalidInput,
            SourcingError::RulesFail(_) => ErrorCode::RulesFail,
            SourcingError::SourceInUse { .. } | SourcingError::SourceCitedUnseen { .. } => ErrorCode::SourceInUse,
            SourcingError::Conflict(_) => ErrorCode::Conflict,
            SourcingError::Vault(vault) => CommandError::vault_code(vault),
            SourcingError::Rights(rights) => CommandError::rights_code(rights),
            SourcingError::Review(_) | SourcingError::Store(_) | SourcingError::Malformed(_) => ErrorCode::Store,
        };
        Self { code, message: error.to_string() }
    }
}

impl CommandError {
    pub fn vault_code(error: &VaultError) -> ErrorCode {
        match error {
            VaultError::Locked(_) => ErrorCode::VaultLocked,
            VaultError::WrongPassphrase | VaultError::WrongRecoveryKey | VaultError::Throttled { .. } => {
                ErrorCode::WrongPassphrase
            }
            VaultError::NoVault(_)
            | VaultError::AlreadyExists(_)
            | VaultError::WeakPassphrase
            | VaultError::InvalidIdle
            | VaultError::AlreadyHolds(_)
            | VaultError::NoWrappingOfYourOwn => ErrorCode::InvalidInput,
            VaultError::Tampered(_) | VaultError::Kdf(_) | VaultError::Store(_) => ErrorCode::Store,
            VaultError::Keyring(_) => ErrorCode::Keyring,
        }
    }
}

impl From<VaultError> for CommandError {
    fn from(error: VaultError) -> Self {
        Self { code: Self::vault_code(&error), message: error.to_string() }
    }
}

impl From<BackupError> for CommandError {
    fn from(error: BackupError) -> Self {
        let code = match &error {
            BackupError::WeakPassphrase | BackupError::NotABackup { .. } => ErrorCode::InvalidInput,
            BackupError::WrongPassphrase(_) => ErrorCode::WrongPassphrase,
            BackupError::OverDatabase(_) => ErrorCode::InvalidPath,
            BackupError::Write { .. } => ErrorCode::Unwritable,
            BackupError::InMemory
            | BackupError::TeamStore
            | BackupError::List { .. }
            | BackupError::Copy(_)
            | BackupError::InUse(_) => ErrorCode::Store,
        };
        Self { code, message: error.to_string() }
    }
}

impl From<SearchError> for CommandError {
    fn from(error: SearchError) -> Self {
        let code = match &error {
            SearchError::EmptyQuery | SearchError::BackwardsDates { .. } => ErrorCode::InvalidInput,
            SearchError::Rights(rights) => CommandError::rights_code(rights),
            SearchError::Store(_) => ErrorCode::Store,
        };
        Self { code, message: error.to_string() }
    }
}

impl From<AssignmentError> for CommandError {
    fn from(error: AssignmentError) -> Self {
        let code = match &error {
            AssignmentError::ClaimNotFound(_) | AssignmentError::DraftNotFound(_) => ErrorCode::NotFound,
            AssignmentError::NotAPerson(_)
            | AssignmentError::AssigneeMayNotSee { .. }
            | AssignmentError::BadDate(_)
            | AssignmentError::NotAssigned(_) => ErrorCode::InvalidInput,
            AssignmentError::Rights(rights) => CommandError::rights_code(rights),
            AssignmentError::Store(_) => ErrorCode::Store,
        };
        Self { code, message: error.to_string() }
    }
}

impl From<InboxError> for CommandError {
    fn from(error: InboxError) -> Self {
        let code = match &error {
            InboxError::EntryNotFound { .. } => ErrorCode::NotFound,
            InboxError::Store(_) => ErrorCode::Store,
        };
        Self { code, message: error.to_string() }
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        Self { code: ErrorCode::Store, message: error.to_string() }
    }
}

impl From<StoreChoiceError> for CommandError {
    fn from(error: StoreChoiceError) -> Self {
        Self { code: ErrorCode::Store, message: error.to_string() }
    }
}

/// The open desk.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DeskView {
    pub id: DeskId,
    pub path: String,
    /// How changes are followed; `null` while the first scan runs.
    pub watch: Option<WatchMode>,
    /// Why the desk is polled, when it fell back to polling.
    pub notice: Option<String>,
}

impl DeskView {
    pub fn of(desk: &Desk, watch: Option<&DeskWatch>) -> Self {
        Self {
            id: desk.id(),
            path: desk.root().display().to_string(),
            watch: watch.map(|w| w.mode),
            notice: watch.and_then(|w| w.notice.clone()),
        }
    }
}

/// A draft was added, changed, renamed, went missing or came back; or a problem.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct DeskChanged(pub DeskEvent);

/// Progress of a desk scan.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct ScanProgressed(pub ScanProgress);

/// A desk's vault locked itself (unused for its idle time): revealed values must be hidden.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct VaultLocked(pub DeskId);

/// The desk opened at start-up, if any.
#[tauri::command]
#[specta::specta]
pub async fn current_desk(session: State<'_, Session>) -> Result<Option<DeskView>, CommandError> {
    session.current()
}

/// Opens a folder as the desk: scans it and starts watching it.
#[tauri::command]
#[specta::specta]
pub async fn open_desk(session: State<'_, Session>, path: String) -> Result<DeskView, CommandError> {
    session.open(&PathBuf::from(path))
}

/// Every draft of the open desk, skipped and missing ones included.
#[tauri::command]
#[specta::specta]
pub async fn list_drafts(session: State<'_, Session>) -> Result<Vec<DraftSummary>, CommandError> {
    Ok(session.desk()?.summaries()?)
}

/// What may be done with the review of the missing draft `draft`: the files it may be carried to (the likely
/// one first) or, for someone whose role may not carry it, the line saying who may; `null` when it is not
/// missing or holds no review.
#[tauri::command]
#[specta::specta]
pub async fn review_carry(session: State<'_, Session>, draft: DraftId) -> Result<Option<ReviewCarry>, CommandError> {
    session.check_draft(draft)?;
    Ok(session.desk()?.review_carry(session.review()?.reviewer(), draft)?)
}

/// Carries the review of the missing draft at `from` to the file at `to` (both relative to the desk), as
/// `factdesk draft move` does: an editor's or standards editor's (anyone's on a desk without people), refused
/// otherwise naming the role. Returns the draft carried, now at `to`.
#[tauri::command]
#[specta::specta]
pub async fn carry_review(session: State<'_, Session>, from: String, to: String) -> Result<DraftId, CommandError> {
    let review = session.review()?;
    Ok(session.desk()?.carry_review(review.reviewer(), &from, &to)?)
}

/// One draft with its current text in blocks.
#[tauri::command]
#[specta::specta]
pub async fn get_draft(session: State<'_, Session>, draft: DraftId) -> Result<DraftDocument, CommandError> {
    session
        .desk()?
        .document(draft)?
        .ok_or(CommandError { code: ErrorCode::NotFound, message: format!("Draft {draft} is not on the open desk.") })
}

/// Tags the text the reviewer selected as a claim; the core finds it in the
/// draft's current version (the UI sends the quote with its context, never
/// offsets the core relies on).
#[tauri::command]
#[specta::specta]
pub async fn tag_claim(
    session: State<'_, Session>,
    draft: DraftId,
    quote: TextQuoteSelector,
) -> Result<ClaimView, CommandError> {
    let review = session.review()?;
    session.check_draft(draft)?;
    let claim = review.add_claim(draft, &quote, ClaimStatus::NeedsCorroboration)?;
    Ok(review.claim(claim)?)
}

/// A draft's claims, placed on its current version.
#[tauri::command]
#[specta::specta]
pub async fn list_claims(session: State<'_, Session>, draft: DraftId) -> Result<Vec<ClaimView>, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.claims(draft)?)
}

/// Sets a claim's status (recorded with who and when) if it is still at `version`, the one the reviewer saw;
/// else `conflict`.
#[tauri::command]
#[specta::specta]
pub async fn set_claim_status(
    session: State<'_, Session>,
    claim: ClaimId,
    status: ClaimStatus,
    version: i64,
) -> Result<ClaimView, CommandError> {
    let review = session.review()?;
    review.set_status_expecting(claim, status, version)?;
    Ok(review.claim(claim)?)
}

/// Settles a claim re-anchoring could not place with certainty: accept the
/// proposed place, choose a candidate, re-attach to a new selection, or keep
/// it detached.
#[tauri::command]
#[specta::specta]
pub async fn resolve_claim(
    session: State<'_, Session>,
    claim: ClaimId,
    resolution: AnchorResolution,
) -> Result<ClaimView, CommandError> {
    let review = session.review()?;
    session.check_draft(review.claim(claim)?.draft)?;
    Ok(review.resolve(claim, &resolution)?)
}

/// Undoes `resolve_claim`: forgets the reviewer's decision on the current version, so the claim is
/// placed by re-anchoring again (and needs attention again, as before).
#[tauri::command]
#[specta::specta]
pub async fn unresolve_claim(session: State<'_, Session>, claim: ClaimId) -> Result<ClaimView, CommandError> {
    Ok(session.review()?.unresolve(claim)?)
}

/// Offers again a dismissed suggestion, named by its quote (the undo of `dismiss_suggestion`);
/// returns what is offered now.
#[tauri::command]
#[specta::specta]
pub async fn restore_suggestion(
    session: State<'_, Session>,
    draft: DraftId,
    sentence: String,
) -> Result<DraftSuggestions, CommandError> {
    session.check_draft(draft)?;
    let review = session.review()?;
    review.restore_suggestion(draft, &sentence)?;
    Ok(review.suggestions(draft)?)
}

/// Moves a claim to the text the reviewer selected ("Move claim here"), located by the core in the
/// draft's current version; the claim keeps its id, status, sources, evidence and notes.
#[tauri::command]
#[specta::specta]
pub async fn move_claim(
    session: State<'_, Session>,
    claim: ClaimId,
    quote: TextQuoteSelector,
) -> Result<ClaimView, CommandError> {
    let review = session.review()?;
    session.check_draft(review.claim(claim)?.draft)?;
    Ok(review.move_claim(claim, &quote)?)
}

/// Removes a claim (its links, evidence and notes go and come back with it); returns it as it was.
/// Undo: `restore_claim`.
#[tauri::command]
#[specta::specta]
pub async fn remove_claim(session: State<'_, Session>, claim: ClaimId) -> Result<ClaimView, CommandError> {
    Ok(session.review()?.remove_claim(claim)?)
}

/// Brings back a removed claim with everything it had, placed on the current version.
#[tauri::command]
#[specta::specta]
pub async fn restore_claim(session: State<'_, Session>, claim: ClaimId) -> Result<ClaimView, CommandError> {
    Ok(session.review()?.restore_claim(claim)?)
}

/// The claims removed from a draft, most recent first (to offer their restore).
#[tauri::command]
#[specta::specta]
pub async fn removed_claims(session: State<'_, Session>, draft: DraftId) -> Result<Vec<RemovedClaim>, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.removed_claims(draft)?)
}

/// Every claim of the open desk that needs the reviewer's attention.
#[tauri::command]
#[specta::specta]
pub async fn desk_attention(session: State<'_, Session>) -> Result<Vec<ClaimView>, CommandError> {
    Ok(session.review()?.needing_attention(session.desk()?.id())?)
}

/// A draft's versions, oldest first, with how each edit placed the claims.
#[tauri::command]
#[specta::specta]
pub async fn draft_history(session: State<'_, Session>, draft: DraftId) -> Result<Vec<VersionSummary>, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.history(draft)?)
}

/// Two versions of a draft side by side, word by word, with the claims on both sides.
#[tauri::command]
#[specta::specta]
pub async fn compare_versions(
    session: State<'_, Session>,
    draft: DraftId,
    from: VersionId,
    to: VersionId,
) -> Result<VersionComparison, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.compare(draft, from, to)?)
}

/// The claims worth checking that the reviewer has not tagged or dismissed, with the draft's sourcing profile.
#[tauri::command]
#[specta::specta]
pub async fn draft_suggestions(session: State<'_, Session>, draft: DraftId) -> Result<DraftSuggestions, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.suggestions(draft)?)
}

/// Tags a suggestion (named by the span the core gave it) as a claim, its attribution pre-filled.
#[tauri::command]
#[specta::specta]
pub async fn accept_suggestion(
    session: State<'_, Session>,
    draft: DraftId,
    span: TextPositionSelector,
) -> Result<ClaimView, CommandError> {
    session.check_draft(draft)?;
    let review = session.review()?;
    let claim = review.accept_suggestion(draft, span)?;
    Ok(review.claim(claim)?)
}

/// Hides a suggestion until its sentence changes; returns what is offered now.
#[tauri::command]
#[specta::specta]
pub async fn dismiss_suggestion(
    session: State<'_, Session>,
    draft: DraftId,
    span: TextPositionSelector,
) -> Result<DraftSuggestions, CommandError> {
    session.check_draft(draft)?;
    let review = session.review()?;
    review.dismiss_suggestion(draft, span)?;
    Ok(review.suggestions(draft)?)
}

/// Which store the window works on: this computer's file or a team store.
#[tauri::command]
#[specta::specta]
pub async fn store_in_use(session: State<'_, Session>) -> Result<StoreView, CommandError> {
    Ok(session.store_view())
}

/// Settings → Team store…: connects to the team store at `url` and works
/// on it from now on (remembered without the password, which stays in this
/// window's memory). Refused with the reason, the previous store in use.
#[tauri::command]
#[specta::specta]
pub async fn connect_team_store(
    app: tauri::AppHandle,
    url: String,
    password: Option<String>,
) -> Result<StoreView, CommandError> {
    let password = password.map(SecretString::from);
    // Off the async runtime: connecting may wait for the server, and the previous store closes here.
    tauri::async_runtime::spawn_blocking(move || {
        app.state::<Session>().use_team_store(&url, password.as_ref().map(|p| p.expose_secret()))
    })
    .await
    .map_err(CommandError::store_switch)?
}

/// Settings → Team store… → Use this computer's file.
#[tauri::command]
#[specta::specta]
pub async fn use_this_computers_file(app: tauri::AppHandle) -> Result<StoreView, CommandError> {
    tauri::async_runtime::spawn_blocking(move || app.state::<Session>().use_this_computers_file())
        .await
        .map_err(CommandError::store_switch)?
}

/// The name recorded on the reviewer's changes: the `reviewer` setting, else the OS user name.
#[tauri::command]
#[specta::specta]
pub async fn reviewer_name(session: State<'_, Session>) -> Result<String, CommandError> {
    Ok(Review::reviewer_name(&lock(&session.store()?)))
}

/// Saves the reviewer's name; returns it as saved (trimmed).
#[tauri::command]
#[specta::specta]
pub async fn set_reviewer_name(session: State<'_, Session>, name: String) -> Result<String, CommandError> {
    Ok(Review::set_reviewer_name(&lock(&session.store()?), &name)?)
}

/// A review report of the open draft or the whole open desk, as text: for
/// the export dialog's preview and the text formats (PDF is binary: save it).
#[tauri::command]
#[specta::specta]
pub async fn render_report(session: State<'_, Session>, request: ExportRequest) -> Result<String, CommandError> {
    if request.format == Format::Pdf {
        return Err(CommandError {
            code: ErrorCode::InvalidInput,
            message: "A PDF report is binary: preview the HTML report, then save the PDF.".into(),
        });
    }
    let job = session.report_job(request)?;
    let bytes = tauri::async_runtime::spawn_blocking(move || job.render()).await.map_err(CommandError::task)??;
    String::from_utf8(bytes).map_err(|error| CommandError { code: ErrorCode::ReportFailed, message: error.to_string() })
}

/// Writes a review report of the open draft or the whole open desk to
/// `path` (absolute, in a folder that exists); for PDF the core runs WeasyPrint.
#[tauri::command]
#[specta::specta]
pub async fn save_report(
    session: State<'_, Session>,
    request: ExportRequest,
    path: String,
) -> Result<SavedReport, CommandError> {
    let job = session.report_job(request)?;
    let target = export::destination(&path, session.desk()?.root(), &job.store)?;
    tauri::async_runtime::spawn_blocking(move || export::write(&target, &job.render()?, request.profile))
        .await
        .map_err(CommandError::task)?
}

/// The open desk's register of sources, by descriptor: no confidential content, only which fields are recorded.
#[tauri::command]
#[specta::specta]
pub async fn list_sources(session: State<'_, Session>) -> Result<Vec<SourceView>, CommandError> {
    Ok(session.review()?.sources(session.desk()?.id())?)
}

/// Adds a source to the open desk's register (confidential fields only for an unnamed source).
#[tauri::command]
#[specta::specta]
pub async fn add_source(session: State<'_, Session>, source: NewSource) -> Result<SourceView, CommandError> {
    let review = session.review()?;
    let id = review.add_source(session.desk()?.id(), &source)?;
    Ok(review.source(id)?)
}

/// Changes a source's public fields (descriptor, kind, notes) and, when given, its confidential
/// ones (`null` leaves a field, blank clears it) in one transaction, if the source is still at
/// `version`; else `conflict`, naming the confidential fields, never their content. Nothing is
/// written when either part is refused (`vault_locked`: unlock and save again).
#[tauri::command]
#[specta::specta]
pub async fn update_source(
    session: State<'_, Session>,
    source: SourceId,
    update: SourceUpdate,
    confidential: Option<Confidential>,
    version: i64,
) -> Result<SourceView, CommandError> {
    let fields = confidential.unwrap_or_default();
    Ok(session.review()?.edit_source(source, &update, &fields, Some(version))?)
}

/// Records an unnamed source's confidential fields (`null` leaves a field, blank clears it) if the
/// source is still at `version`; else `conflict`, naming the fields, never their content.
#[tauri::command]
#[specta::specta]
pub async fn set_source_confidential(
    session: State<'_, Session>,
    source: SourceId,
    fields: Confidential,
    version: i64,
) -> Result<SourceView, CommandError> {
    Ok(session.review()?.set_confidential_expecting(source, &fields, version)?)
}

/// The open desk's vault: set up or not, unlocked in this window or not, its idle time.
#[tauri::command]
#[specta::specta]
pub async fn vault_status(session: State<'_, Session>) -> Result<VaultStatus, CommandError> {
    let (review, desk) = (session.review()?, session.desk()?.id());
    // Whether this computer remembers the desk is a D-Bus round trip to the keyring: off the async runtime.
    tauri::async_runtime::spawn_blocking(move || review.vault_status(desk))
        .await
        .map_err(CommandError::task)?
        .map_err(CommandError::from)
}

/// Unlocks the open desk's vault with the passphrase (held in memory only, wiped after use);
/// audited with the reviewer. A wrong passphrase changes nothing; repeated ones are slowed down.
/// With `remember` ("Remember on this computer", opt-in), this computer then keeps the desk in
/// the OS keyring and later unlocks it without the passphrase (`unlock_vault_from_keyring`).
#[tauri::command]
#[specta::specta]
pub async fn unlock_vault(
    session: State<'_, Session>,
    passphrase: String,
    remember: bool,
) -> Result<VaultStatus, CommandError> {
    let (review, desk) = (session.review()?, session.desk()?.id());
    let passphrase = SecretString::from(passphrase);
    // Argon2id takes a good part of a second: off the async runtime.
    tauri::async_runtime::spawn_blocking(move || {
        review.unlock_vault(desk, &passphrase)?;
        if remember {
            review.remember_vault(desk)?;
        }
        review.vault_status(desk)
    })
    .await
    .map_err(CommandError::task)?
    .map_err(CommandError::from)
}

/// Unlocks the open desk's vault from the OS keyring when this computer remembers it (audited);
/// otherwise says why not: not remembered, no keyring here, or what was remembered no longer
/// opens the vault (then forgotten, with the reason to show). The window asks the passphrase then.
#[tauri::command]
#[specta::specta]
pub async fn unlock_vault_from_keyring(session: State<'_, Session>) -> Result<KeyringUnlock, CommandError> {
    let (review, desk) = (session.review()?, session.desk()?.id());
    // A D-Bus round trip and Argon2id: off the async runtime.
    tauri::async_runtime::spawn_blocking(move || review.unlock_vault_from_keyring(desk))
        .await
        .map_err(CommandError::task)?
        .map_err(CommandError::from)
}

/// Stops remembering the open desk on this computer (keyring item and wrapping deleted; audited).
#[tauri::command]
#[specta::specta]
pub async fn forget_vault(session: State<'_, Session>) -> Result<VaultStatus, CommandError> {
    let (review, desk) = (session.review()?, session.desk()?.id());
    tauri::async_runtime::spawn_blocking(move || review.forget_vault(desk).and_then(|_| review.vault_status(desk)))
        .await
        .map_err(CommandError::task)?
        .map_err(CommandError::from)
}

/// Locks the open desk's vault now: its key is wiped from memory.
#[tauri::command]
#[specta::specta]
pub async fn lock_vault(session: State<'_, Session>) -> Result<VaultStatus, CommandError> {
    let (review, desk) = (session.review()?, session.desk()?.id());
    review.lock_vault(desk);
    Ok(review.vault_status(desk)?)
}

/// Sets up the open desk's vault (the passphrase typed twice): seals every confidential field
/// already recorded and returns the recovery key, to show once. The vault stays unlocked.
#[tauri::command]
#[specta::specta]
pub async fn set_up_vault(
    session: State<'_, Session>,
    passphrase: String,
    again: String,
) -> Result<String, CommandError> {
    let (passphrase, again) = (SecretString::from(passphrase), SecretString::from(again));
    if passphrase.expose_secret() != again.expose_secret() {
        return Err(CommandError {
            code: ErrorCode::InvalidInput,
            message: "The two passphrases differ; nothing was changed.".into(),
        });
    }
    let (review, desk) = (session.review()?, session.desk()?.id());
    let recovery = tauri::async_runtime::spawn_blocking(move || review.init_vault(desk, &passphrase))
        .await
        .map_err(CommandError::task)??;
    Ok(recovery.expose().to_owned())
}

/// On a desk with people, who holds the open desk's key and whom it may be given to; `null` when
/// there is nothing for the reviewer to manage (no vault, no people, or a role that may not).
#[tauri::command]
#[specta::specta]
pub async fn vault_access(session: State<'_, Session>) -> Result<Option<VaultAccess>, CommandError> {
    let (review, desk) = (session.review()?, session.desk()?.id());
    // Reading who a source names needs no key here; the list is the register's and the people's.
    Ok(review.vault_access(desk)?)
}

/// Give access: wraps the open desk's key for `person` (a standards editor, or an editor a source
/// names) under their new passphrase, typed twice (held in memory only, wiped after use). The vault
/// must be unlocked here (`vault_locked` otherwise); a refusal names the role it needs. Audited.
#[tauri::command]
#[specta::specta]
pub async fn grant_vault(
    session: State<'_, Session>,
    person: String,
    passphrase: String,
    again: String,
) -> Result<Option<VaultAccess>, CommandError> {
    let (passphrase, again) = (SecretString::from(passphrase), SecretString::from(again));
    let (review, desk) = (session.review()?, session.desk()?.id());
    // Argon2id takes a good part of a second: off the async runtime.
    tauri::async_runtime::spawn_blocking(move || give_vault_access(&review, desk, &person, &passphrase, &again))
        .await
        .map_err(CommandError::task)?
}

/// [`grant_vault`] once the passphrases are wrapped: the two must agree, then the core decides.
fn give_vault_access(
    review: &Review,
    desk: DeskId,
    person: &str,
    passphrase: &SecretString,
    again: &SecretString,
) -> Result<Option<VaultAccess>, CommandError> {
    if passphrase.expose_secret() != again.expose_secret() {
        return Err(CommandError {
            code: ErrorCode::InvalidInput,
            message: "The two passphrases differ; nothing was changed.".into(),
        });
    }
    review.grant_vault(desk, person, passphrase)?;
    Ok(review.vault_access(desk)?)
}

/// Take access back: `person` no longer unlocks the open desk's vault (an admin may, or a holder
/// with the vault unlocked here: `vault_locked` otherwise). Audited. What they saw while they held
/// it stays theirs.
#[tauri::command]
#[specta::specta]
pub async fn revoke_vault(session: State<'_, Session>, person: String) -> Result<Option<VaultAccess>, CommandError> {
    take_vault_access_back(&session.review()?, session.desk()?.id(), &person)
}

/// [`revoke_vault`]: someone who held nothing is said, not silently passed over.
fn take_vault_access_back(review: &Review, desk: DeskId, person: &str) -> Result<Option<VaultAccess>, CommandError> {
    if !review.revoke_vault(desk, person)? {
        return Err(CommandError {
            code: ErrorCode::InvalidInput,
            message: format!("The desk key was not wrapped for {person}; nothing was changed."),
        });
    }
    Ok(review.vault_access(desk)?)
}

/// Sets how many minutes an unused unlocked vault stays open (1 to 480).
#[tauri::command]
#[specta::specta]
pub async fn set_vault_idle_minutes(session: State<'_, Session>, minutes: u32) -> Result<VaultStatus, CommandError> {
    factdesk_core::vault::set_idle_minutes(&lock(&session.store()?), minutes)?;
    Ok(session.review()?.vault_status(session.desk()?.id())?)
}

/// Writes an encrypted backup of the whole database (age, to the passphrase given) to `path`,
/// chosen in the save dialog; readable by its owner only.
#[tauri::command]
#[specta::specta]
pub async fn back_up_database(
    session: State<'_, Session>,
    path: String,
    passphrase: String,
) -> Result<SavedReport, CommandError> {
    let passphrase = SecretString::from(passphrase);
    let store = session.store()?;
    let target = export::destination(&path, session.desk()?.root(), &store)?;
    let output = target.path().to_owned();
    // scrypt and a snapshot of the whole database: off the async runtime.
    let bytes = tauri::async_runtime::spawn_blocking(move || {
        factdesk_core::backup::create_encrypted(&lock(&store), &output, &passphrase)
    })
    .await
    .map_err(CommandError::task)??;
    Ok(SavedReport { path: target.path().display().to_string(), bytes: u32::try_from(bytes).unwrap_or(u32::MAX) })
}

/// Whether a reviewer's name was saved (the window asks for one on first start).
#[tauri::command]
#[specta::specta]
pub async fn reviewer_is_set(session: State<'_, Session>) -> Result<bool, CommandError> {
    Ok(Review::reviewer_is_set(&lock(&session.store()?)))
}

/// Reads a source's confidential fields, on the editor's explicit request; the reveal is audited.
#[tauri::command]
#[specta::specta]
pub async fn reveal_source(session: State<'_, Session>, source: SourceId) -> Result<Confidential, CommandError> {
    Ok(session.review()?.reveal_source(source)?)
}

/// Links a source to a claim with a role (or changes the role); returns the claim's sources.
#[tauri::command]
#[specta::specta]
pub async fn link_source(
    session: State<'_, Session>,
    claim: ClaimId,
    source: SourceId,
    role: SourceRole,
) -> Result<Vec<SourceLink>, CommandError> {
    let review = session.review()?;
    review.link_source(claim, source, role)?;
    Ok(review.claim_sources(claim)?)
}

/// Removes a source from a claim; returns the claim's sources.
#[tauri::command]
#[specta::specta]
pub async fn unlink_source(
    session: State<'_, Session>,
    claim: ClaimId,
    source: SourceId,
) -> Result<Vec<SourceLink>, CommandError> {
    let review = session.review()?;
    review.unlink_source(claim, source)?;
    Ok(review.claim_sources(claim)?)
}

/// Brings back a link removed with `unlink_source` (same role, same linker); returns the claim's sources.
#[tauri::command]
#[specta::specta]
pub async fn restore_source_link(
    session: State<'_, Session>,
    claim: ClaimId,
    source: SourceId,
) -> Result<Vec<SourceLink>, CommandError> {
    let review = session.review()?;
    review.restore_source_link(claim, source)?;
    Ok(review.claim_sources(claim)?)
}

/// A source made and linked in one step: its id (what Undo removes) and the claim's sources.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct NewSourceLinked {
    pub source: SourceId,
    pub links: Vec<SourceLink>,
}

/// Creates a source (confidential fields only for an unnamed one, stored as `add_source` stores
/// them) and links it to the claim, in one step; returns the new source's id and the claim's
/// sources. Undo: `remove_source` of that id with its links.
#[tauri::command]
#[specta::specta]
pub async fn link_new_source(
    session: State<'_, Session>,
    claim: ClaimId,
    source: NewSource,
    role: SourceRole,
) -> Result<NewSourceLinked, CommandError> {
    let review = session.review()?;
    let source = review.link_new_source(claim, &source, role)?;
    Ok(NewSourceLinked { source, links: review.claim_sources(claim)? })
}

/// Removes a source from the register; refused with `source_in_use` (naming the claims) while a
/// claim cites it, unless `with_links`. Returns the register. Undo: `restore_source`.
#[tauri::command]
#[specta::specta]
pub async fn remove_source(
    session: State<'_, Session>,
    source: SourceId,
    with_links: bool,
) -> Result<Vec<SourceView>, CommandError> {
    let review = session.review()?;
    review.remove_source(source, with_links)?;
    Ok(review.sources(session.desk()?.id())?)
}

/// Brings back a removed source, with the links removed along with it.
#[tauri::command]
#[specta::specta]
pub async fn restore_source(session: State<'_, Session>, source: SourceId) -> Result<SourceView, CommandError> {
    Ok(session.review()?.restore_source(source)?)
}

/// A claim's sources, with their roles.
#[tauri::command]
#[specta::specta]
pub async fn claim_sources(session: State<'_, Session>, claim: ClaimId) -> Result<Vec<SourceLink>, CommandError> {
    Ok(session.review()?.claim_sources(claim)?)
}

/// Adds an evidence item to a claim; returns the claim's evidence.
#[tauri::command]
#[specta::specta]
pub async fn add_evidence(
    session: State<'_, Session>,
    claim: ClaimId,
    evidence: NewEvidence,
) -> Result<Vec<EvidenceView>, CommandError> {
    let review = session.review()?;
    review.add_evidence(claim, &evidence)?;
    Ok(review.evidence(claim)?)
}

/// A claim's evidence, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn list_evidence(session: State<'_, Session>, claim: ClaimId) -> Result<Vec<EvidenceView>, CommandError> {
    Ok(session.review()?.evidence(claim)?)
}

/// How well a claim is corroborated, and whether the two-source rule holds.
#[tauri::command]
#[specta::specta]
pub async fn claim_corroboration(session: State<'_, Session>, claim: ClaimId) -> Result<Corroboration, CommandError> {
    Ok(session.review()?.corroboration(claim)?)
}

/// Whether the reviewer marked a claim as opinion.
#[tauri::command]
#[specta::specta]
pub async fn claim_opinion(session: State<'_, Session>, claim: ClaimId) -> Result<bool, CommandError> {
    Ok(session.review()?.is_opinion(claim)?)
}

/// Marks a claim as opinion or not (anonymity is not granted for opinion); returns the new value.
#[tauri::command]
#[specta::specta]
pub async fn set_opinion(session: State<'_, Session>, claim: ClaimId, opinion: bool) -> Result<bool, CommandError> {
    session.review()?.set_opinion(claim, opinion)?;
    Ok(opinion)
}

/// Whether a claim is marked as an attack on a person.
#[tauri::command]
#[specta::specta]
pub async fn claim_personal_attack(session: State<'_, Session>, claim: ClaimId) -> Result<bool, CommandError> {
    Ok(session.review()?.is_personal_attack(claim)?)
}

/// Marks a claim as an attack on a person or not (anonymity is not granted for one); returns the new value.
#[tauri::command]
#[specta::specta]
pub async fn set_personal_attack(
    session: State<'_, Session>,
    claim: ClaimId,
    attack: bool,
) -> Result<bool, CommandError> {
    session.review()?.set_personal_attack(claim, attack)?;
    Ok(attack)
}

/// Removes an evidence item; returns the claim's evidence. Undo: `restore_evidence`.
#[tauri::command]
#[specta::specta]
pub async fn remove_evidence(
    session: State<'_, Session>,
    evidence: EvidenceId,
) -> Result<Vec<EvidenceView>, CommandError> {
    let review = session.review()?;
    let removed = review.remove_evidence(evidence)?;
    Ok(review.evidence(removed.claim)?)
}

/// Brings back a removed evidence item; returns the claim's evidence.
#[tauri::command]
#[specta::specta]
pub async fn restore_evidence(
    session: State<'_, Session>,
    evidence: EvidenceId,
) -> Result<Vec<EvidenceView>, CommandError> {
    let review = session.review()?;
    let restored = review.restore_evidence(evidence)?;
    Ok(review.evidence(restored.claim)?)
}

/// Removes a note (a thread's first note takes its replies with it); returns the target's notes.
/// Undo: `restore_note`.
#[tauri::command]
#[specta::specta]
pub async fn remove_note(session: State<'_, Session>, note: NoteId) -> Result<Vec<NoteView>, CommandError> {
    let review = session.review()?;
    let removed = review.remove_note(note)?;
    Ok(review.notes(removed.target)?)
}

/// Brings back a removed note (with the replies removed with it); returns the target's notes.
#[tauri::command]
#[specta::specta]
pub async fn restore_note(session: State<'_, Session>, note: NoteId) -> Result<Vec<NoteView>, CommandError> {
    let review = session.review()?;
    let restored = review.restore_note(note)?;
    Ok(review.notes(restored.target)?)
}

/// The notes on a claim or a draft: each thread's first note, then its replies.
#[tauri::command]
#[specta::specta]
pub async fn list_notes(session: State<'_, Session>, target: NoteTarget) -> Result<Vec<NoteView>, CommandError> {
    Ok(session.review()?.notes(target)?)
}

/// Adds a note (opening a thread, or replying in one); returns the target's notes.
#[tauri::command]
#[specta::specta]
pub async fn add_note(
    session: State<'_, Session>,
    target: NoteTarget,
    text: String,
    reply_to: Option<NoteId>,
    is_private: bool,
) -> Result<Vec<NoteView>, CommandError> {
    let review = session.review()?;
    if is_private {
        review.add_private_note(target, &text, reply_to)?;
    } else {
        review.add_note(target, &text, reply_to)?;
    }
    Ok(review.notes(target)?)
}

/// Replaces a note's text, keeping the earlier one in its history, if it is still at `version`; else `conflict`.
#[tauri::command]
#[specta::specta]
pub async fn edit_note(
    session: State<'_, Session>,
    note: NoteId,
    text: String,
    version: i64,
) -> Result<NoteView, CommandError> {
    Ok(session.review()?.edit_note_expecting(note, &text, version)?)
}

/// Resolves the thread a note belongs to; returns the thread's first note.
#[tauri::command]
#[specta::specta]
pub async fn resolve_note(session: State<'_, Session>, note: NoteId) -> Result<NoteView, CommandError> {
    Ok(session.review()?.resolve_note(note)?)
}

/// Reopens a resolved thread; returns the thread's first note.
#[tauri::command]
#[specta::specta]
pub async fn reopen_note(session: State<'_, Session>, note: NoteId) -> Result<NoteView, CommandError> {
    Ok(session.review()?.reopen_note(note)?)
}

/// A draft's current editor's note: the saved one, else the one recognised in its text.
#[tauri::command]
#[specta::specta]
pub async fn editor_note(session: State<'_, Session>, draft: DraftId) -> Result<EditorNote, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.editor_note(draft)?)
}

/// Saves the reviewer's editor's note for a draft if it is still at `version` (0: none saved yet); else `conflict`.
#[tauri::command]
#[specta::specta]
pub async fn save_editor_note(
    session: State<'_, Session>,
    draft: DraftId,
    text: String,
    version: i64,
) -> Result<EditorNote, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.save_editor_note_expecting(draft, &text, version)?)
}

/// Drafts an editor's note from the review, for the reviewer to edit; nothing is saved.
#[tauri::command]
#[specta::specta]
pub async fn propose_editor_note(session: State<'_, Session>, draft: DraftId) -> Result<String, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.propose_editor_note(draft)?)
}

/// A published draft's record: its review as it stood when published, and what changed in it since.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PublishedRecord {
    pub published: PublishedReview,
    /// Claim by claim, as a correction would list them; empty when nothing changed.
    pub changes: Vec<ReviewChange>,
}

/// The published record of a draft and what changed since; `null` before it is published.
#[tauri::command]
#[specta::specta]
pub async fn published_record(
    session: State<'_, Session>,
    draft: DraftId,
) -> Result<Option<PublishedRecord>, CommandError> {
    session.check_draft(draft)?;
    let review = session.review()?;
    let Some(published) = review.published_review(draft)? else { return Ok(None) };
    let changes = review.changes_since_publication(draft)?.unwrap_or_default();
    Ok(Some(PublishedRecord { published, changes }))
}

/// Where a draft stands in the workflow.
#[tauri::command]
#[specta::specta]
pub async fn draft_status(session: State<'_, Session>, draft: DraftId) -> Result<DraftStatusView, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.draft_status(draft)?)
}

/// Moves a draft in the workflow. Moving to ready runs the sourcing rules: open findings refuse
/// it (`rules_fail`) unless an override reason is given, recorded with the move.
#[tauri::command]
#[specta::specta]
pub async fn set_draft_status(
    session: State<'_, Session>,
    draft: DraftId,
    status: DraftStatus,
    override_reason: Option<String>,
) -> Result<StatusChange, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.set_draft_status(draft, status, override_reason.as_deref())?)
}

/// What the reviewer may not do on a draft (move it, override a finding, write its editor's note, add a
/// note or a private one), each with the core's refusal naming the role it needs; `null` where allowed.
#[tauri::command]
#[specta::specta]
pub async fn draft_refusals(session: State<'_, Session>, draft: DraftId) -> Result<DraftRefusals, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.draft_refusals(draft)?)
}

/// The open desk's people with their roles, by name (empty on a desk without people): whom *Assign…* offers, and
/// the reviewer's role the header shows.
#[tauri::command]
#[specta::specta]
pub async fn desk_people(session: State<'_, Session>) -> Result<Vec<DeskPerson>, CommandError> {
    Ok(session.review()?.desk_people(session.desk()?.id())?)
}

/// Runs the desk's sourcing rules on a draft.
#[tauri::command]
#[specta::specta]
pub async fn check_draft(session: State<'_, Session>, draft: DraftId) -> Result<Vec<Finding>, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.check(draft)?)
}

/// The draft's claims × sources, with each claim's corroboration.
#[tauri::command]
#[specta::specta]
pub async fn sourcing_matrix(session: State<'_, Session>, draft: DraftId) -> Result<SourcingMatrix, CommandError> {
    session.check_draft(draft)?;
    Ok(session.review()?.sourcing_matrix(draft)?)
}

/// Every draft of the open desk with its workflow status, whether its text changed since it was
/// marked ready (and why), and its claims counted by status: what the drafts list shows.
#[tauri::command]
#[specta::specta]
pub async fn desk_overview(session: State<'_, Session>) -> Result<Vec<DraftOverview>, CommandError> {
    Ok(session.review()?.desk_overview(session.desk()?.id())?)
}

/// Searches the open desk: drafts' text, claims, notes, evidence and source descriptors (never a
/// confidential field or a private note), best first, each with a snippet and its matches as offsets.
#[tauri::command]
#[specta::specta]
pub async fn search(session: State<'_, Session>, query: SearchQuery) -> Result<Vec<SearchHit>, CommandError> {
    // The index holds only texts that were read (see `Desk::read_text`).
    let desk = session.desk()?;
    desk.read_all_texts()?;
    Ok(session.review()?.search(desk.id(), &query)?)
}

/// The open desk at a glance: every draft with its workflow status, claims by status, unnamed
/// share, what blocks it and when its text changed; the desk's totals and charts (the report's SVG).
#[tauri::command]
#[specta::specta]
pub async fn desk_dashboard(session: State<'_, Session>) -> Result<DeskDashboard, CommandError> {
    let desk = session.desk()?;
    desk.read_all_texts()?;
    Ok(session.review()?.desk_dashboard(desk.id())?)
}

/// Saves the dashboard as CSV at `path` (from the save dialog): the rows of `drafts`, in that order (the rows
/// the window shows, as sorted and filtered). Nothing confidential is on the dashboard, so it is written as a
/// desk report is.
#[tauri::command]
#[specta::specta]
pub async fn save_dashboard_csv(
    session: State<'_, Session>,
    drafts: Vec<DraftId>,
    path: String,
) -> Result<SavedReport, CommandError> {
    let desk = session.desk()?;
    let target = export::destination(&path, desk.root(), &session.store()?)?;
    let dashboard = session.review()?.desk_dashboard(desk.id())?;
    let csv = dashboard.to_csv(Some(&drafts));
    tauri::async_runtime::spawn_blocking(move || export::write(&target, csv.as_bytes(), Profile::Desk))
        .await
        .map_err(CommandError::task)?
}

/// Whether a ready draft of the open desk whose text changes goes back to needs work (on by default).
#[tauri::command]
#[specta::specta]
pub async fn reopens_when_changed(session: State<'_, Session>) -> Result<bool, CommandError> {
    Ok(session.review()?.reopens_when_changed(session.desk()?.id())?)
}

/// Turns the open desk's setting on or off (recorded on the audit trail).
#[tauri::command]
#[specta::specta]
pub async fn set_reopens_when_changed(session: State<'_, Session>, on: bool) -> Result<bool, CommandError> {
    Ok(session.review()?.set_reopens_when_changed(session.desk()?.id(), on)?)
}

/// What happened to a claim, oldest first, each entry of the audit trail as a sentence the core wrote (tagging,
/// status changes, links, opinion). Sources are named by their descriptors, never their confidential fields.
#[tauri::command]
#[specta::specta]
pub async fn claim_history(session: State<'_, Session>, claim: ClaimId) -> Result<Vec<ClaimChange>, CommandError> {
    Ok(factdesk_core::audit_labels::claim_changes(&session.review()?, claim)?)
}

/// Assigns a claim or a draft to a person (due on `due`, YYYY-MM-DD, if given), replacing whoever had it.
#[tauri::command]
#[specta::specta]
pub async fn assign(
    session: State<'_, Session>,
    target: AssignmentTarget,
    to: String,
    due: Option<String>,
) -> Result<Assignment, CommandError> {
    Ok(session.review()?.assign(target, &to, due.as_deref())?)
}

/// Ends the assignment of a claim or a draft.
#[tauri::command]
#[specta::specta]
pub async fn unassign(session: State<'_, Session>, target: AssignmentTarget) -> Result<(), CommandError> {
    Ok(session.review()?.unassign(target)?)
}

/// Who a claim or a draft is assigned to, if anyone.
#[tauri::command]
#[specta::specta]
pub async fn assignment_of(
    session: State<'_, Session>,
    target: AssignmentTarget,
) -> Result<Option<Assignment>, CommandError> {
    Ok(session.review()?.assignment(target)?)
}

/// What is assigned to the reviewer on the open desk, the soonest due first, overdue ones marked.
#[tauri::command]
#[specta::specta]
pub async fn assigned_to_me(session: State<'_, Session>) -> Result<Vec<AssignedWork>, CommandError> {
    Ok(session.review()?.assigned_to_me(Some(session.desk()?.id()))?)
}

/// The reviewer's inbox on the open desk (assignments and mentions), newest first.
#[tauri::command]
#[specta::specta]
pub async fn inbox(session: State<'_, Session>) -> Result<Vec<InboxEntry>, CommandError> {
    Ok(session.review()?.inbox(Some(session.desk()?.id()))?)
}

/// Marks an entry of the reviewer's inbox read (opening it does).
#[tauri::command]
#[specta::specta]
pub async fn mark_inbox_read(session: State<'_, Session>, entry: InboxId) -> Result<(), CommandError> {
    Ok(session.review()?.mark_inbox_read(entry)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sourcing_errors_cross_with_codes_the_ui_can_react_to() {
        let code = |error: SourcingError| CommandError::from(error).code;
        assert_eq!(code(SourcingError::RulesFail(Vec::new())), ErrorCode::RulesFail);
        assert_eq!(code(SourcingError::SourceNotFound(SourceId(4))), ErrorCode::NotFound);
        // A source still cited: the window asks before removing its links too.
        let in_use = SourcingError::SourceInUse { source_id: SourceId(4), claims: vec![ClaimId(1), ClaimId(2)] };
        assert!(in_use.to_string().contains("claims 1, 2"));
        assert_eq!(code(in_use), ErrorCode::SourceInUse);
        assert_eq!(code(SourcingError::NotRemoved("note 3".into())), ErrorCode::InvalidInput);
        assert_eq!(CommandError::from(ReviewError::NotRemoved(ClaimId(3))).code, ErrorCode::InvalidInput);
        assert_eq!(code(SourcingError::Empty("note's text")), ErrorCode::InvalidInput);
        assert_eq!(
            code(SourcingError::Transition { from: "published".into(), to: "ready".into(), allowed: "updated".into() }),
            ErrorCode::InvalidInput
        );
        // A review error inside keeps its own code.
        assert_eq!(code(SourcingError::Review(ReviewError::ClaimNotFound(ClaimId(9)))), ErrorCode::NotFound);
        let message = CommandError::from(SourcingError::NotUnnamed("document".into())).message;
        assert!(message.contains("only an unnamed source"), "{message}");
    }

    /// A desk with people on a real SQLite file: an admin, a standards editor who sets the vault up,
    /// an editor and a reporter; each acts through their own review.
    struct Staffed {
        _tmp: tempfile::TempDir,
        store: factdesk_core::store::SharedStore,
        desk: DeskId,
    }

    impl Staffed {
        fn new() -> Self {
            use factdesk_core::rights::{add_person, Role};
            let tmp = tempfile::tempdir().expect("tmp");
            let folder = tmp.path().join("desk");
            std::fs::create_dir(&folder).expect("mkdir");
            let store = factdesk_core::store::Store::open(&tmp.path().join("f.db")).expect("store").shared();
            let clock = std::sync::Arc::new(factdesk_core::clock::SystemClock);
            let desk = Desk::open(store.clone(), &folder, clock).expect("desk").id();
            let now = factdesk_core::clock::Clock::now(&factdesk_core::clock::SystemClock);
            let guard = lock(&store);
            add_person(&guard, desk, "Ada", Role::Admin, "Ada", now, None).expect("admin");
            for (name, role) in [("Sue", Role::StandardsEditor), ("Sam", Role::StandardsEditor), ("Bo", Role::Reporter)]
            {
                add_person(&guard, desk, name, role, "Ada", now, None).expect("person");
            }
            drop(guard);
            let staffed = Self { _tmp: tmp, store, desk };
            staffed.as_person("Sue").init_vault(desk, &SecretString::from("Sue's own passphrase")).expect("vault");
            staffed
        }

        fn as_person(&self, name: &str) -> Review {
            Review::new(self.store.clone(), std::sync::Arc::new(factdesk_core::clock::SystemClock), name.into())
        }
    }

    #[test]
    fn give_and_take_back_vault_access_cross_with_the_list_and_codes_the_window_reacts_to() {
        let staffed = Staffed::new();
        let desk = staffed.desk;
        let sue = staffed.as_person("Sue");
        let theirs = SecretString::from("Sam's new passphrase");
        // Typed twice, differently: nothing is tried.
        let differ = give_vault_access(&sue, desk, "Sam", &theirs, &SecretString::from("Sam's new passphrasf"))
            .expect_err("differ");
        assert_eq!((differ.code, differ.message.contains("differ")), (ErrorCode::InvalidInput, true));
        // Locked here: the window asks for the passphrase and tries again.
        sue.lock_vault(desk);
        assert_eq!(
            give_vault_access(&sue, desk, "Sam", &theirs, &theirs).expect_err("locked").code,
            ErrorCode::VaultLocked
        );
        sue.unlock_vault(desk, &SecretString::from("Sue's own passphrase")).expect("unlock");
        // A role that may not hold it: refused, naming the role it needs.
        let refused = give_vault_access(&sue, desk, "Bo", &theirs, &theirs).expect_err("reporter");
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        assert!(refused.message.contains("(reporter) may not unlock the vault"), "{}", refused.message);
        assert!(refused.message.contains("standards editor"), "{}", refused.message);
        let access = give_vault_access(&sue, desk, "Sam", &theirs, &theirs).expect("granted").expect("listed");
        let holders: Vec<_> = access.holders.into_iter().map(|h| h.name).collect();
        assert_eq!(holders, ["Sam", "Sue"]);
        staffed.as_person("Sam").unlock_vault(desk, &theirs).expect("Sam unlocks with their own passphrase");

        // The admin takes it back without the key; a second time there is nothing to take.
        let ada = staffed.as_person("Ada");
        let access = take_vault_access_back(&ada, desk, "Sam").expect("revoked").expect("listed");
        assert_eq!(access.holders.len(), 1);
        assert!(!access.may_grant && access.may_revoke);
        let none = take_vault_access_back(&ada, desk, "Sam").expect_err("held nothing");
        assert!(none.message.contains("not wrapped for Sam"), "{}", none.message);
        // A reporter does not: refused, naming the role.
        let bo = take_vault_access_back(&staffed.as_person("Bo"), desk, "Sue").expect_err("reporter");
        assert!(bo.message.contains("admin role"), "{}", bo.message);
    }
}
