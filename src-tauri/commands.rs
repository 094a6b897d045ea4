//! The commands and events the UI uses. Each command is one call into the
//! core; errors cross as `{code, message}`.

use crate::export::{self, ExportFormat, ExportRequest, SavedReport};
use crate::session::Session;
use factdesk_core::anchor::{AnchorError, TextPositionSelector, TextQuoteSelector};
use factdesk_core::desk::{
    Desk, DeskError, DeskEvent, DeskWatch, DraftDocument, DraftSummary, ScanProgress, WatchMode,
};
use factdesk_core::history::{VersionComparison, VersionSummary};
use factdesk_core::review::{AnchorResolution, ClaimStatus, ClaimView, DraftSuggestions, Review, ReviewError};
use factdesk_core::store::{lock, ClaimId, DeskId, DraftId, StoreError, VersionId};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::PathBuf;
use tauri::State;

/// What went wrong, for the UI to react to (`code`) and show (`message`).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    FolderMissing,
    NotAFolder,
    Unreadable,
    Watch,
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
}

impl CommandError {
    pub fn not_found(draft: DraftId) -> Self {
        Self { code: ErrorCode::NotFound, message: format!("Draft {draft} is not on the open desk.") }
    }

    /// A background task that did not finish (it panicked).
    pub fn task(error: impl std::fmt::Display) -> Self {
        Self { code: ErrorCode::ReportFailed, message: format!("The report could not be made: {error}") }
    }

    pub fn no_desk() -> Self {
        Self { code: ErrorCode::NoDesk, message: "No desk is open: open a folder of drafts first.".into() }
    }
}

impl From<DeskError> for CommandError {
    fn from(error: DeskError) -> Self {
        let code = match &error {
            DeskError::FolderMissing { .. } => ErrorCode::FolderMissing,
            DeskError::NotAFolder { .. } => ErrorCode::NotAFolder,
            DeskError::Unreadable { .. } => ErrorCode::Unreadable,
            DeskError::Watch { .. } => ErrorCode::Watch,
            DeskError::Store(_) | DeskError::Review(_) => ErrorCode::Store,
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
            | ReviewError::InvalidReviewerName(_) => ErrorCode::InvalidInput,
            ReviewError::DraftNotFound(_) | ReviewError::ClaimNotFound(_) | ReviewError::VersionNotFound { .. } => {
                ErrorCode::NotFound
            }
            ReviewError::Store(_) | ReviewError::Malformed(_) => ErrorCode::Store,
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
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

/// Sets a claim's status (recorded with who and when).
#[tauri::command]
#[specta::specta]
pub async fn set_claim_status(
    session: State<'_, Session>,
    claim: ClaimId,
    status: ClaimStatus,
) -> Result<ClaimView, CommandError> {
    let review = session.review()?;
    review.set_status(claim, status)?;
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
    if request.format == ExportFormat::Pdf {
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
    let target = export::target_path(&path)?;
    let job = session.report_job(request)?;
    tauri::async_runtime::spawn_blocking(move || export::write(&target, &job.render()?))
        .await
        .map_err(CommandError::task)?
}
