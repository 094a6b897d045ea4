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
//! empty or backslash component and no NUL; its raw bytes (kept for a name
//! that is not UTF-8) agreeing with its display form; and no symbolic link
//! on the way, as a scan follows none.

use std::path::{Component, Path, PathBuf};

/// Why a draft's recorded path names no file of the desk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its recorded path {path:?} does not name a file inside the desk folder ({why}); it is not read")]
pub struct OutsideDesk {
    pub path: String,
    pub why: &'static str,
}

/// The file of the draft recorded at `path` (display form) with `raw`
/// bytes (when the name is not UTF-8), under `root`; or why there is none.
pub(crate) fn draft_file(root: &Path, path: &str, raw: Option<&[u8]>) -> Result<PathBuf, OutsideDesk> {
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
    let file = root.join(&relative);
    if !file.starts_with(root) {
        return refuse("outside the folder");
    }
    // A symbolic link inside the folder may point anywhere: like a scan,
    // never go through one.
    let mut walked = root.to_path_buf();
    for name in relative.components() {
        walked.push(name);
        if std::fs::symlink_metadata(&walked).is_ok_and(|m| m.file_type().is_symlink()) {
            return refuse("goes through a symbolic link");
        }
    }
    Ok(file)
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
        let root = Path::new("/desk");
        assert_eq!(draft_file(root, "bo/story.md", None), Ok(PathBuf::from("/desk/bo/story.md")));
    }

    #[test]
    fn a_path_out_of_the_folder_is_refused() {
        let root = Path::new("/desk");
        for path in ["/etc/passwd", "bo/../../etc/x.md", "..", "./x.md", "bo//x.md", "bo/", "a\\..\\b.md", "a\0b"] {
            assert!(draft_file(root, path, None).is_err(), "{path:?} was taken");
        }
    }

    #[cfg(unix)]
    #[test]
    fn raw_bytes_must_agree_with_the_display_form() {
        let root = Path::new("/desk");
        let raw = b"bo/caf\xe9.md";
        assert_eq!(draft_file(root, "bo/caf\\xe9.md", Some(raw)), Ok(root.join(super::super::path_from_bytes(raw))));
        assert!(draft_file(root, "bo/caf\\xe9.md", Some(b"/home/ed/Downloads/report.md")).is_err());
        assert!(draft_file(root, "bo/story.md", Some(b"bo/../../x.md")).is_err());
    }
}
