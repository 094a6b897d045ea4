//! Where a draft's file is, from its row: the one place a stored path
//! becomes a path on disk.
//!
//! A draft's row is not trusted: on a team store every login may write
//! `drafts.path` and `drafts.path_bytes`, so a reporter could point a row on
//! an editor's desk at `/home/ed/Downloads/report.md` or at
//! `bo/../../../etc/x.md`, and the editor's Factdesk would read that file and
//! store its text where every login reads it. A stored path is therefore
//! turned into a file only when it names a file inside the desk folder the
//! way a scan records one: relative, `/`-separated names with no `.`, `..`,
//! empty or backslash component and no NUL; and its raw bytes (kept for a
//! name that is not UTF-8) agreeing with its display form.
//!
//! No symbolic link is gone through, as a scan follows none; and that is not
//! a check made before the file is opened, which a link swapped in between
//! would defeat (on a shared network folder another person can do that at
//! any time): [`Folder::open_file`] opens the file one name at a time from
//! the desk folder's own descriptor, each step refusing a link, and the file
//! is then read from what was opened. Every read of a draft's file (a scan,
//! the watcher, the background read of texts, a document's marks, `draft
//! move`) goes through it.

use std::ffi::OsStr;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

use rustix::fs::{Mode, OFlags};

/// Why a draft's recorded path names no file of the desk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its recorded path {path:?} does not name a file inside the desk folder ({why}); it is not read")]
pub struct OutsideDesk {
    pub path: String,
    pub why: &'static str,
}

/// Why a draft file whose name was fine could not be opened through the
/// folder because a symbolic link stands on its way (see [`is_link_on_the_way`]).
pub(crate) const THROUGH_A_LINK: &str = "goes through a symbolic link";

/// The path, relative to the desk folder, of the draft recorded at `path`
/// (display form) with `raw` bytes (when the name is not UTF-8); or why it
/// names no file inside the folder. Open it with [`Folder::open_file`].
pub(crate) fn draft_file(path: &str, raw: Option<&[u8]>) -> Result<PathBuf, OutsideDesk> {
    let refuse = |why| Err(OutsideDesk { path: path.to_owned(), why });
    // The display form of a name that is not UTF-8 holds `\xNN` escapes:
    // the names checked are then the raw bytes, which it must agree with.
    if let Err(why) = check_names(raw.unwrap_or(path.as_bytes())) {
        return refuse(why);
    }
    let relative = match raw {
        Some(bytes) => {
            if display_of(bytes) != path {
                return refuse("its raw bytes name another path");
            }
            super::path_from_bytes(bytes)
        }
        None => PathBuf::from(path),
    };
    // What the platform makes of each name: a drive prefix or a root is no
    // name of a file in the folder.
    if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return refuse("not a path inside the folder");
    }
    Ok(relative)
}

/// A desk folder opened for reading its files without following a symbolic
/// link anywhere below it.
///
/// Unix only (`openat` with `O_NOFOLLOW`, through rustix): Factdesk ships as
/// a .deb, Windows is not a target, and this does not compile there.
pub(crate) struct Folder {
    dir: OwnedFd,
}

impl Folder {
    /// Opens the desk folder at `root`, as it was canonicalised when the desk
    /// was opened (so a link at its own name now is another folder swapped in,
    /// and refused). Open it once for a batch of files: one descriptor spares
    /// walking `root`'s own names again for each.
    pub(crate) fn open(root: &Path) -> std::io::Result<Self> {
        let dir = open_folder(rustix::fs::CWD, root.as_os_str())?;
        Ok(Self { dir })
    }

    /// Opens the file at `relative` (normal names only, as [`draft_file`]
    /// gives) for reading: each folder on the way is opened from the one
    /// before with `O_DIRECTORY | O_NOFOLLOW`, the file itself with
    /// `O_NOFOLLOW | O_NONBLOCK` (a named pipe put there must not block the
    /// read), all `O_CLOEXEC`. A symbolic link at any step fails the open
    /// (see [`is_link_on_the_way`]); nothing is ever read through one. The
    /// caller reads from the file it gets (its metadata is `fstat`'s), never
    /// from the path again.
    pub(crate) fn open_file(&self, relative: &Path) -> std::io::Result<std::fs::File> {
        let mut names = Vec::new();
        for component in relative.components() {
            match component {
                Component::Normal(name) => names.push(name),
                _ => return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a name inside the folder")),
            }
        }
        let Some((file_name, folders)) = names.split_last() else {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "an empty path"));
        };
        let mut parent: Option<OwnedFd> = None;
        for name in folders {
            parent = Some(open_folder(parent.as_ref().unwrap_or(&self.dir).as_fd(), name)?);
        }
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        let file = rustix::fs::openat(parent.as_ref().unwrap_or(&self.dir), *file_name, flags, Mode::empty())?;
        Ok(std::fs::File::from(file))
    }

    /// Whether something (a file, a folder, a link) is at `relative`, looked
    /// up as [`Folder::open_file`] opens: `Err` when a link stands on the way.
    pub(crate) fn has_entry(&self, relative: &Path) -> std::io::Result<bool> {
        let mut names: Vec<_> = relative.components().map(Component::as_os_str).collect();
        let Some(last) = names.pop() else { return Ok(true) };
        let mut parent: Option<OwnedFd> = None;
        for name in names {
            match open_folder(parent.as_ref().unwrap_or(&self.dir).as_fd(), name) {
                Ok(next) => parent = Some(next),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
                Err(error) => return Err(error),
            }
        }
        let dir = parent.as_ref().unwrap_or(&self.dir);
        match rustix::fs::statat(dir, last, rustix::fs::AtFlags::SYMLINK_NOFOLLOW) {
            Ok(_) => Ok(true),
            Err(rustix::io::Errno::NOENT) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }
}

/// Opens the folder `name` in `parent`: never through a link, and never
/// inherited by a process Factdesk starts. Linux refuses a link opened with
/// `O_DIRECTORY | O_NOFOLLOW` as `ENOTDIR`, as it would a file; when `name`
/// is a link, that is told as `ELOOP`, as the last name's refusal is.
fn open_folder(parent: BorrowedFd<'_>, name: &OsStr) -> std::io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    rustix::fs::openat(parent, name, flags, Mode::empty()).map_err(|errno| {
        let is_link = || {
            rustix::fs::statat(parent, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW)
                .is_ok_and(|stat| rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::Symlink)
        };
        if errno == rustix::io::Errno::NOTDIR && is_link() {
            rustix::io::Errno::LOOP.into()
        } else {
            errno.into()
        }
    })
}

/// Whether an error of [`Folder::open`], [`Folder::open_file`] or
/// [`Folder::has_entry`] means a symbolic link stands where the desk folder,
/// a folder on the way or the file was (`ELOOP`: see [`open_folder`]).
pub(crate) fn is_link_on_the_way(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

/// Checks each `/`-separated name of a stored path.
fn check_names(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.contains(&0) {
        return Err("a NUL byte");
    }
    if bytes.contains(&b'\\') {
        return Err("a backslash");
    }
    for name in bytes.split(|&b| b == b'/') {
        match name {
            b"" => return Err("an empty name or an absolute path"),
            b"." | b".." => return Err("a `.` or `..` name"),
            _ => {}
        }
    }
    Ok(())
}

/// The display form a scan records for raw path bytes (see `rel_path`):
/// each undecodable byte as `\xNN`.
fn display_of(bytes: &[u8]) -> String {
    let mut display = String::new();
    for (index, name) in bytes.split(|&b| b == b'/').enumerate() {
        if index > 0 {
            display.push('/');
        }
        super::push_escaped(&mut display, super::path_from_bytes(name).as_os_str());
    }
    display
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_path_inside_the_folder_is_its_file() {
        assert_eq!(draft_file("bo/story.md", None), Ok(PathBuf::from("bo/story.md")));
    }

    #[test]
    fn a_path_out_of_the_folder_is_refused() {
        for path in ["/etc/passwd", "bo/../../etc/x.md", "..", "./x.md", "bo//x.md", "bo/", "a\\..\\b.md", "a\0b"] {
            assert!(draft_file(path, None).is_err(), "{path:?} was taken");
        }
    }

    #[test]
    fn raw_bytes_must_agree_with_the_display_form() {
        let raw = b"bo/caf\xe9.md";
        assert_eq!(draft_file("bo/caf\\xe9.md", Some(raw)), Ok(super::super::path_from_bytes(raw)));
        assert!(draft_file("bo/caf\\xe9.md", Some(b"/home/ed/Downloads/report.md")).is_err());
        assert!(draft_file("bo/story.md", Some(b"bo/../../x.md")).is_err());
    }

    /// A desk folder `desk` with `bo/story.md`, and beside it (outside the
    /// desk) a folder `elsewhere` holding a `story.md` that must never be read.
    fn desk_and_elsewhere() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().expect("tmp");
        let desk = tmp.path().join("desk");
        std::fs::create_dir_all(desk.join("bo")).expect("mkdir");
        std::fs::write(desk.join("bo/story.md"), "the draft").expect("write");
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).expect("mkdir");
        std::fs::write(elsewhere.join("story.md"), "the editor's private file").expect("write");
        (tmp, desk, elsewhere)
    }

    fn read(folder: &Folder, relative: &str) -> std::io::Result<String> {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut folder.open_file(Path::new(relative))?, &mut text)?;
        Ok(text)
    }

    #[test]
    fn a_file_inside_the_folder_is_opened_and_read() {
        let (_tmp, desk, _) = desk_and_elsewhere();
        let folder = Folder::open(&desk).expect("open the desk");
        assert_eq!(read(&folder, "bo/story.md").expect("read"), "the draft");
        assert!(folder.has_entry(Path::new("bo/story.md")).expect("look"));
        assert!(!folder.has_entry(Path::new("bo/gone.md")).expect("look"));
        assert!(!folder.has_entry(Path::new("nobody/gone.md")).expect("look"));
    }

    /// Regression (issue 13, TOCTOU): a folder on the way checked as a plain
    /// folder, then swapped for a link (another person on a shared network
    /// folder can) before the file is opened, was followed: `draft_file`
    /// lstat'ed each name and the caller then opened the whole path.
    #[test]
    fn a_folder_swapped_for_a_link_after_the_check_is_not_gone_through() {
        let (_tmp, desk, elsewhere) = desk_and_elsewhere();
        let folder = Folder::open(&desk).expect("open the desk");
        let relative = draft_file("bo/story.md", None).expect("a name inside the desk");
        // The swap, between the check of the names and the open.
        std::fs::rename(desk.join("bo"), desk.join("bo-moved")).expect("move the folder away");
        std::os::unix::fs::symlink(&elsewhere, desk.join("bo")).expect("link in its place");
        let refused = folder.open_file(&relative).expect_err("a link on the way is refused");
        assert!(is_link_on_the_way(&refused), "{refused:?}");
        assert!(is_link_on_the_way(&folder.has_entry(&relative).expect_err("nor looked through")));
        assert_eq!(std::fs::read_to_string(desk.join(&relative)).expect("the path"), "the editor's private file");
    }

    /// The same race at the file itself: a link put where the file was.
    #[test]
    fn a_file_swapped_for_a_link_after_the_check_is_not_opened() {
        let (_tmp, desk, elsewhere) = desk_and_elsewhere();
        let folder = Folder::open(&desk).expect("open the desk");
        let relative = draft_file("bo/story.md", None).expect("a name inside the desk");
        std::fs::remove_file(desk.join("bo/story.md")).expect("remove");
        std::os::unix::fs::symlink(elsewhere.join("story.md"), desk.join("bo/story.md")).expect("link");
        let refused = read(&folder, "bo/story.md").expect_err("a link is not opened");
        assert!(is_link_on_the_way(&refused), "{refused:?}");
        assert!(folder.has_entry(&relative).expect("the link itself is an entry"));
    }

    /// The desk folder itself swapped for a link to another folder.
    #[test]
    fn a_desk_folder_swapped_for_a_link_is_not_opened() {
        let (tmp, desk, elsewhere) = desk_and_elsewhere();
        std::fs::rename(&desk, tmp.path().join("desk-moved")).expect("move the desk away");
        std::os::unix::fs::symlink(&elsewhere, &desk).expect("link in its place");
        assert!(is_link_on_the_way(&Folder::open(&desk).err().expect("refused")));
    }

    #[test]
    fn only_plain_names_are_opened() {
        let (_tmp, desk, _) = desk_and_elsewhere();
        let folder = Folder::open(&desk).expect("open the desk");
        for path in ["../elsewhere/story.md", "/etc/passwd", "./bo/story.md", ""] {
            assert!(folder.open_file(Path::new(path)).is_err(), "{path:?} was opened");
        }
    }
}
