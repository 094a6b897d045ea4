//! Where a report file may be written, and writing it there safely: the one
//! place the command line's `export -o` and the window's Save… both go through.
//!
//! A report must never cost a writer their draft or the desk its review, so a
//! destination is refused when it lies inside a protected path (the desk's
//! folder, the review database), however it is spelled: `..`, a symbolic link
//! to a folder and a relative path are resolved first. An existing file is
//! kept unless the caller says to replace it. The report is written to a new
//! temporary file in the target's folder, flushed to disk and then renamed
//! over the target, so a reader sees the old report or the new one, never
//! half of one; a symbolic link at the target is replaced, never written
//! through. A report that carries identities is created readable by its owner
//! only (0600).

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Why a report cannot be written where asked.
#[derive(Debug, thiserror::Error)]
pub enum DestinationError {
    #[error("{0} does not name a file: give the report a file name")]
    NoFileName(PathBuf),
    #[error("the folder {0} does not exist")]
    NoFolder(PathBuf),
    #[error("{0} is a folder: give the report a file name")]
    Folder(PathBuf),
    #[error(
        "{target} is inside {protected}: a report written there could replace a draft or the review; \
         write it outside the desk"
    )]
    Protected { target: PathBuf, protected: PathBuf },
    #[error("{0} already exists: choose another name, or replace it with --force")]
    Exists(PathBuf),
    #[error("{0} is a symbolic link: choose another name, or replace the link (not what it points to) with --force")]
    Link(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Whether an existing file at the destination may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: the command line's default.
    Keep,
    /// The user said so: `--force`, or the save dialog's overwrite question.
    Replace,
}

/// Who may read the written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    /// As the user's umask says (a desk-profile report holds nothing confidential).
    Default,
    /// The owner only (0600): an internal-profile report names confidential sources.
    OwnerOnly,
}

/// A checked place to write a report: its folder exists, it is outside every
/// protected path, and it is free (or may be replaced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The target with its folder resolved (no `..`, no symbolic link to a folder).
    path: PathBuf,
    existing: Existing,
}

impl Destination {
    /// Checks `target` (absolute, or relative to the current folder) against
    /// `protected`: folders and files a report must not land in or on.
    /// Protected paths that do not exist are ignored.
    pub fn check(target: &Path, protected: &[&Path], existing: Existing) -> Result<Self, DestinationError> {
        let io = |source| DestinationError::Io { path: target.to_path_buf(), source };
        // `file_name` is `None` for a path ending in `..` or for `/`: neither names a file.
        let name = target.file_name().ok_or_else(|| DestinationError::NoFileName(target.to_path_buf()))?;
        let folder = match target.parent() {
            Some(parent) if parent.as_os_str().is_empty() => Path::new("."),
            Some(parent) => parent,
            None => return Err(DestinationError::NoFileName(target.to_path_buf())),
        };
        // Resolving the folder (not the file) turns `..` and links to folders into the real place,
        // while a link at the target itself stays a link: it is then replaced, not followed.
        let folder = match folder.canonicalize() {
            Ok(folder) if folder.is_dir() => folder,
            Ok(_) => return Err(DestinationError::NoFolder(folder.to_path_buf())),
            Err(error) if error.kind() == ErrorKind::NotFound => {
                return Err(DestinationError::NoFolder(folder.to_path_buf()))
            }
            Err(error) => return Err(io(error)),
        };
        let path = folder.join(name);
        for protected in protected {
            let Ok(resolved) = protected.canonicalize() else { continue };
            if path.starts_with(&resolved) {
                return Err(DestinationError::Protected { target: target.to_path_buf(), protected: resolved });
            }
        }
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => return Err(DestinationError::Folder(target.to_path_buf())),
            Ok(meta) if existing == Existing::Keep && meta.file_type().is_symlink() => {
                return Err(DestinationError::Link(target.to_path_buf()))
            }
            Ok(_) if existing == Existing::Keep => return Err(DestinationError::Exists(target.to_path_buf())),
            Ok(_) => {}
            Err(error) if error.kind() == ErrorKind::NotFound => {}
            Err(error) => return Err(io(error)),
        }
        Ok(Self { path, existing })
    }

    /// The resolved path the report goes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` through a temporary file beside the target: written,
    /// flushed to disk, then moved into place. With [`Existing::Keep`] a file
    /// that appeared at the target since [`Destination::check`] is still kept.
    pub fn write(&self, bytes: &[u8], readers: Readers) -> Result<(), DestinationError> {
        let io = |source| DestinationError::Io { path: self.path.clone(), source };
        let folder = self.path.parent().unwrap_or(Path::new("."));
        let (temporary, mut file) = create_temporary(&self.path, readers).map_err(io)?;
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        drop(file);
        let placed = written.and_then(|()| match self.existing {
            Existing::Replace => std::fs::rename(&temporary, &self.path),
            Existing::Keep => place_without_replacing(&temporary, &self.path),
        });
        if let Err(error) = placed {
            // Best effort: the temporary file is ours and useless now; the error that matters is `error`.
            let _ = std::fs::remove_file(&temporary);
            return Err(if error.kind() == ErrorKind::AlreadyExists {
                DestinationError::Exists(self.path.clone())
            } else {
                io(error)
            });
        }
        // The rename is durable once the folder's entry is on disk too.
        File::open(folder).and_then(|dir| dir.sync_all()).map_err(io)
    }
}

/// Moves `temporary` to `target` unless `target` exists. A hard link fails
/// if the name is taken, where a rename would replace it; on a file system
/// without hard links (a FAT USB stick) the name is checked just before the
/// rename instead, which leaves only a moment for another program to take it.
fn place_without_replacing(temporary: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(temporary, target) {
        Ok(()) => std::fs::remove_file(temporary),
        Err(error) if error.kind() == ErrorKind::AlreadyExists => Err(error),
        Err(_) => match std::fs::symlink_metadata(target) {
            Ok(_) => Err(ErrorKind::AlreadyExists.into()),
            Err(error) if error.kind() == ErrorKind::NotFound => std::fs::rename(temporary, target),
            Err(error) => Err(error),
        },
    }
}

/// What a report file must never land in or on: the desk's folder, and the
/// review database with its journal files.
pub fn protected_paths(desk: &Path, database: Option<&Path>) -> Vec<PathBuf> {
    let mut paths = vec![desk.to_path_buf()];
    if let Some(database) = database {
        paths.push(database.to_path_buf());
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut journal = database.as_os_str().to_owned();
            journal.push(suffix);
            paths.push(PathBuf::from(journal));
        }
    }
    paths
}

/// A new file beside `target`, named so it is hidden and cannot clash: created
/// exclusively, so a link planted at that name is not followed.
fn create_temporary(target: &Path, readers: Readers) -> std::io::Result<(PathBuf, File)> {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let mut attempt = 0u32;
    loop {
        let temporary = target.with_file_name(format!(".{name}.{}-{nanos}-{attempt}.factdesk-tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if readers == Readers::OwnerOnly {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&temporary) {
            Ok(file) => return Ok((temporary, file)),
            Err(error) if error.kind() == ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_inside_the_desk_is_refused_however_it_is_spelled() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = tmp.path().join("desk");
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(desk.join("sub")).unwrap();
        std::fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&desk, tmp.path().join("link-to-desk")).unwrap();
        for target in [
            desk.join("draft.txt"),
            desk.join("sub/new.md"),
            elsewhere.join("../desk/draft.txt"),
            desk.join("sub/../report.md"),
            tmp.path().join("link-to-desk/report.md"),
        ] {
            let error = Destination::check(&target, &[&desk], Existing::Replace).unwrap_err();
            assert!(matches!(error, DestinationError::Protected { .. }), "{}: {error}", target.display());
        }
        let fine = Destination::check(&elsewhere.join("report.md"), &[&desk], Existing::Keep).unwrap();
        assert_eq!(fine.path(), elsewhere.canonicalize().unwrap().join("report.md"));
    }

    #[test]
    fn the_review_database_and_its_journal_are_protected() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = tmp.path().join("desk");
        std::fs::create_dir(&desk).unwrap();
        let database = tmp.path().join("factdesk.db");
        let store = crate::store::Store::open(&database).unwrap();
        let protected = protected_paths(&desk, store.file_path().as_deref());
        let protected: Vec<&Path> = protected.iter().map(PathBuf::as_path).collect();
        for name in ["factdesk.db", "factdesk.db-wal", "factdesk.db-shm"] {
            let error = Destination::check(&tmp.path().join(name), &protected, Existing::Replace).unwrap_err();
            assert!(matches!(error, DestinationError::Protected { .. }), "{name}: {error}");
        }
        Destination::check(&tmp.path().join("factdesk.db.md"), &protected, Existing::Keep).unwrap();
    }

    #[test]
    fn an_existing_file_is_kept_unless_replacing_is_asked() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("report.md");
        std::fs::write(&target, "the older report").unwrap();
        let error = Destination::check(&target, &[], Existing::Keep).unwrap_err();
        assert!(matches!(error, DestinationError::Exists(_)), "{error}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "the older report");
        Destination::check(&target, &[], Existing::Replace).unwrap().write(b"new", Readers::Default).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn a_file_appearing_after_the_check_is_still_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("report.md");
        let destination = Destination::check(&target, &[], Existing::Keep).unwrap();
        std::fs::write(&target, "written meanwhile").unwrap();
        let error = destination.write(b"report", Readers::Default).unwrap_err();
        assert!(matches!(error, DestinationError::Exists(_)), "{error}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "written meanwhile");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn a_link_at_the_target_is_refused_or_replaced_never_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let pointed = tmp.path().join("someone-elses-file.txt");
        std::fs::write(&pointed, "keep me").unwrap();
        let link = tmp.path().join("report.md");
        std::os::unix::fs::symlink(&pointed, &link).unwrap();
        let error = Destination::check(&link, &[], Existing::Keep).unwrap_err();
        assert!(matches!(error, DestinationError::Link(_)), "{error}");
        Destination::check(&link, &[], Existing::Replace).unwrap().write(b"report", Readers::Default).unwrap();
        assert!(!std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link itself is replaced");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");
        assert_eq!(std::fs::read_to_string(&pointed).unwrap(), "keep me");
    }

    #[test]
    fn a_link_at_the_target_into_the_desk_does_not_reach_the_draft() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = tmp.path().join("desk");
        std::fs::create_dir(&desk).unwrap();
        std::fs::write(desk.join("draft.txt"), "the writer's draft").unwrap();
        let link = tmp.path().join("report.md");
        std::os::unix::fs::symlink(desk.join("draft.txt"), &link).unwrap();
        Destination::check(&link, &[&desk], Existing::Replace).unwrap().write(b"report", Readers::Default).unwrap();
        assert_eq!(std::fs::read_to_string(desk.join("draft.txt")).unwrap(), "the writer's draft");
    }

    #[test]
    fn a_folder_a_missing_folder_and_no_file_name_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = Destination::check(tmp.path(), &[], Existing::Replace).unwrap_err();
        assert!(matches!(folder, DestinationError::Folder(_)), "{folder}");
        let missing = Destination::check(&tmp.path().join("no/such/report.md"), &[], Existing::Keep).unwrap_err();
        assert!(matches!(missing, DestinationError::NoFolder(_)), "{missing}");
        let dots = Destination::check(&tmp.path().join(".."), &[], Existing::Keep).unwrap_err();
        assert!(matches!(dots, DestinationError::NoFileName(_)), "{dots}");
    }

    #[test]
    fn an_internal_report_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("internal.html");
        Destination::check(&target, &[], Existing::Keep).unwrap().write(b"<p>", Readers::OwnerOnly).unwrap();
        assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
        // Replacing a readable file does not keep its looser mode.
        let shared = tmp.path().join("shared.html");
        std::fs::write(&shared, "old").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
        Destination::check(&shared, &[], Existing::Replace).unwrap().write(b"<p>", Readers::OwnerOnly).unwrap();
        assert_eq!(std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
