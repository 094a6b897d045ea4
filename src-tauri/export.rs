//! What the export dialog sends and gets back, and the checks on where a
//! report may be written. The report itself is made by the core
//! (`factdesk_core::report`): gathered, rendered, and for PDF printed by
//! WeasyPrint.

use crate::commands::{CommandError, ErrorCode};
use factdesk_core::report::destination::{protected_paths, Destination, DestinationError, Existing, Readers};
use factdesk_core::report::{self, Format, GatherOptions, Profile, ReportError, Scope, WriteOptions};
use factdesk_core::review::Review;
use factdesk_core::store::{lock, DraftId, SharedStore};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::{Path, PathBuf};

/// Which drafts a report covers.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportScope {
    /// One draft of the open desk.
    Draft { draft: DraftId },
    /// Every draft of the open desk, missing ones included.
    Desk,
}

/// A report the reviewer asked for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type, PartialEq, Eq)]
pub struct ExportRequest {
    pub scope: ExportScope,
    pub format: Format,
    pub profile: Profile,
    /// Include each draft's text, with its claims marked.
    pub include_text: bool,
}

impl ExportRequest {
    pub fn gather_options(&self) -> GatherOptions {
        GatherOptions { profile: self.profile, include_text: self.include_text }
    }
}

/// A report to make, bound to the store: runs off the async runtime, as
/// gathering a desk and printing a PDF take a while.
pub struct ReportJob {
    pub store: SharedStore,
    /// The session's review: an internal report reveals as its reviewer, with its unlocked vault keys.
    pub review: Review,
    pub scope: Scope,
    pub request: ExportRequest,
}

impl ReportJob {
    /// Gathers the report from the store and renders it.
    pub fn render(&self) -> Result<Vec<u8>, CommandError> {
        let model = report::gather_as(&self.review, self.scope, &self.request.gather_options())?;
        Ok(report::render(&model, self.request.format, &WriteOptions::default())?)
    }
}

/// A report written to disk.
#[derive(Debug, Clone, Serialize, Deserialize, Type, PartialEq, Eq)]
pub struct SavedReport {
    pub path: String,
    pub bytes: u32,
}

/// Where the window may write a report: an absolute path (the save dialog
/// gives one) checked by the core as the command line's `export -o` is, the
/// open desk's folder and the database protected. The dialog has asked about
/// replacing an existing file, so one is replaced (a link there too: the link,
/// never what it points to).
pub fn destination(path: &str, desk: &Path, store: &SharedStore) -> Result<Destination, CommandError> {
    let invalid = |message: String| CommandError { code: ErrorCode::InvalidPath, message };
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Err(invalid("Choose where to save the report.".into()));
    }
    let target = PathBuf::from(trimmed);
    if !target.is_absolute() {
        return Err(invalid(format!("{trimmed} is not an absolute path: choose the file in the save dialog.")));
    }
    let protected = protected_paths(desk, lock(store).file_path().as_deref());
    let protected: Vec<&Path> = protected.iter().map(PathBuf::as_path).collect();
    Ok(Destination::check(&target, &protected, Existing::Replace)?)
}

/// Writes `bytes` to `destination` (through a temporary file beside it, so a
/// failed write never leaves half a report where a good one was); an
/// internal-profile report is readable by its owner only.
pub fn write(destination: &Destination, bytes: &[u8], profile: Profile) -> Result<SavedReport, CommandError> {
    let readers = match profile {
        Profile::Desk => Readers::Default,
        Profile::Internal => Readers::OwnerOnly,
    };
    destination.write(bytes, readers)?;
    Ok(SavedReport {
        path: destination.path().display().to_string(),
        bytes: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
    })
}

impl From<DestinationError> for CommandError {
    fn from(error: DestinationError) -> Self {
        let code = match &error {
            DestinationError::Io { .. } => ErrorCode::Unwritable,
            _ => ErrorCode::InvalidPath,
        };
        Self { code, message: error.to_string() }
    }
}

impl From<ReportError> for CommandError {
    fn from(error: ReportError) -> Self {
        let code = match &error {
            ReportError::Review(review) => CommandError::review_code(review),
            ReportError::Store(_) | ReportError::Sourcing(_) => ErrorCode::Store,
            ReportError::DraftNotFound(_) | ReportError::DeskNotFound(_) => ErrorCode::NotFound,
            ReportError::UnknownFormat(_) | ReportError::UnknownProfile(_) => ErrorCode::InvalidInput,
            ReportError::PdfEngineMissing { .. } => ErrorCode::PdfEngineMissing,
            ReportError::PdfEngine(_) | ReportError::Encode(_) => ErrorCode::ReportFailed,
        };
        Self { code, message: error.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No desk open at a real path: nothing to protect but the store.
    fn no_desk() -> &'static Path {
        Path::new("/nonexistent/factdesk-desk")
    }

    /// The window's check, with a store in a temporary folder (a path such
    /// as ":memory:" would leave an empty file of that name where the tests run).
    fn check(path: &str, desk: &Path) -> Result<Destination, CommandError> {
        let folder = tempfile::tempdir().unwrap();
        let store = factdesk_core::store::Store::open(&folder.path().join("factdesk.db")).unwrap().shared();
        destination(path, desk, &store)
    }

    #[test]
    fn the_database_is_protected_too() {
        let folder = std::env::temp_dir().join(format!("factdesk-export-db-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let store = factdesk_core::store::Store::open(&folder.join("factdesk.db")).unwrap().shared();
        let error = destination(&folder.join("factdesk.db").to_string_lossy(), no_desk(), &store).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidPath, "{}", error.message);
        drop(store);
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_relative_path_is_refused() {
        let error = check("kabul-embassy-review.html", no_desk()).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidPath);
        assert!(error.message.contains("not an absolute path"), "{}", error.message);
    }

    #[test]
    fn a_missing_folder_is_refused() {
        let path = std::env::temp_dir().join("factdesk-no-such-folder").join("report.html");
        let error = check(&path.to_string_lossy(), no_desk()).unwrap_err();
        assert!(error.message.contains("does not exist"), "{}", error.message);
    }

    #[test]
    fn a_folder_is_refused_and_an_empty_path_too() {
        let error = check(&std::env::temp_dir().to_string_lossy(), no_desk()).unwrap_err();
        assert!(error.message.contains("is a folder"), "{}", error.message);
        assert_eq!(check("  ", no_desk()).unwrap_err().code, ErrorCode::InvalidPath);
    }

    /// Save… over a draft (chosen in the dialog, confirmed as an overwrite) is refused and the draft kept,
    /// however the path reaches the desk.
    #[test]
    fn a_path_inside_the_open_desk_is_refused_and_the_draft_kept() {
        let folder = std::env::temp_dir().join(format!("factdesk-export-inside-{}", std::process::id()));
        let desk = folder.join("desk");
        std::fs::create_dir_all(desk.join("sub")).unwrap();
        std::fs::write(desk.join("draft.txt"), "the writer's draft").unwrap();
        std::os::unix::fs::symlink(&desk, folder.join("link")).unwrap();
        for path in [desk.join("draft.txt"), desk.join("sub/../draft.txt"), folder.join("link/draft.txt")] {
            let error = check(&path.to_string_lossy(), &desk).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidPath, "{}", error.message);
            assert!(error.message.contains("outside the desk"), "{}", error.message);
        }
        assert_eq!(std::fs::read_to_string(desk.join("draft.txt")).unwrap(), "the writer's draft");
        std::fs::remove_dir_all(&folder).unwrap();
    }

    /// The dialog's request reaches the core's report: scope, format and profile as asked.
    #[test]
    fn a_job_renders_the_draft_or_the_desk_in_the_format_and_profile_asked() {
        use factdesk_core::desk::Desk;
        use factdesk_core::store::Store;
        let folder = std::env::temp_dir().join(format!("factdesk-export-job-{}", std::process::id()));
        let drafts = folder.join("drafts");
        std::fs::create_dir_all(&drafts).unwrap();
        std::fs::write(drafts.join("bridge.md"), "# Bridge closed\n\nThe county closed the bridge, officials said.\n")
            .unwrap();
        std::fs::write(drafts.join("rates.txt"), "Rates <script>alert(1)</script> rose 12 percent.\n").unwrap();
        let store = Store::open(&folder.join("factdesk.db")).unwrap().shared();
        let desk = Desk::open(store.clone(), &drafts, Arc::new(SystemClock)).unwrap();
        desk.scan(&mut |_| {}, &mut |_| {}).unwrap();
        let bridge = desk.draft_by_path("bridge.md").unwrap().unwrap().id;
        use factdesk_core::clock::SystemClock;
        use std::sync::Arc;
        let job = |scope, format, profile| ReportJob {
            store: store.clone(),
            review: factdesk_core::review::Review::new(store.clone(), Arc::new(SystemClock), "Ana Editor".into()),
            scope,
            request: ExportRequest { scope: ExportScope::Desk, format, profile, include_text: true },
        };

        let html = job(Scope::Draft(bridge), Format::Html, Profile::Desk).render().unwrap();
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("Bridge closed") && html.contains("desk profile"), "{html}");
        assert!(!html.contains("Rates"), "one draft only");

        let markdown = job(Scope::Desk(desk.id()), Format::Markdown, Profile::Internal).render().unwrap();
        let markdown = String::from_utf8(markdown).unwrap();
        assert!(markdown.contains("Bridge closed") && markdown.contains("Rates"), "{markdown}");
        assert!(markdown.contains("CONFIDENTIAL"), "{markdown}");

        let desk_html = job(Scope::Desk(desk.id()), Format::Html, Profile::Desk).render().unwrap();
        assert!(!String::from_utf8(desk_html).unwrap().contains("<script>"), "draft text is escaped");

        let claim_review = job(Scope::Desk(desk.id()), Format::ClaimReview, Profile::Desk).render().unwrap();
        assert!(serde_json::from_slice::<serde_json::Value>(&claim_review).is_ok());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_report_is_written_whole_and_replaces_an_older_one() {
        let folder = std::env::temp_dir().join(format!("factdesk-export-test-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("report.md");
        std::fs::write(&path, "old report, longer than the new one").unwrap();
        let target = check(&path.to_string_lossy(), no_desk()).unwrap();
        let saved = write(&target, b"# Review report", Profile::Desk).unwrap();
        assert_eq!(saved.bytes, 15);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# Review report");
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "no temporary file left");
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn an_internal_report_is_saved_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let folder = std::env::temp_dir().join(format!("factdesk-export-internal-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("internal.html");
        write(&check(&path.to_string_lossy(), no_desk()).unwrap(), b"<p>", Profile::Internal).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_link_chosen_in_the_dialog_is_replaced_not_written_through() {
        let folder = std::env::temp_dir().join(format!("factdesk-export-link-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("elsewhere.txt"), "keep me").unwrap();
        let link = folder.join("report.md");
        std::os::unix::fs::symlink(folder.join("elsewhere.txt"), &link).unwrap();
        write(&check(&link.to_string_lossy(), no_desk()).unwrap(), b"report", Profile::Desk).unwrap();
        assert_eq!(std::fs::read_to_string(folder.join("elsewhere.txt")).unwrap(), "keep me");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
