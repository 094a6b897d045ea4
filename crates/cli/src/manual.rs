//! The command line describing itself: shell completions and the manual page,
//! both generated from the clap definitions so they never drift from them.
//! `make package` runs these to put `factdesk.1` and the completions into the
//! .deb; a user can also install them by hand.

use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

/// Writes the completion script for `shell` to stdout.
pub fn completions<C: CommandFactory>(shell: Shell) -> Result<(), String> {
    let mut command = C::command();
    // Generated into memory first: clap_complete panics when its writer fails
    // (a closed pipe), where a write error here is an ordinary message.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "factdesk", &mut script);
    std::io::stdout().lock().write_all(&script).map_err(|e| format!("cannot write the completions: {e}"))
}

/// Writes the manual page (roff, section 1) to stdout: the top-level page
/// followed by a section per subcommand, so `man factdesk` holds everything.
pub fn manual<C: CommandFactory>() -> Result<(), String> {
    let command = C::command();
    let mut page = Vec::new();
    let write_error = |e: std::io::Error| format!("cannot write the manual page: {e}");
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut page).map_err(write_error)?;
    man.render_name_section(&mut page).map_err(write_error)?;
    man.render_synopsis_section(&mut page).map_err(write_error)?;
    man.render_description_section(&mut page).map_err(write_error)?;
    man.render_options_section(&mut page).map_err(write_error)?;
    render_commands(&mut page, &command, "factdesk").map_err(write_error)?;
    man.render_version_section(&mut page).map_err(write_error)?;
    page.extend_from_slice(FILES_SECTION.as_bytes());
    std::io::stdout().lock().write_all(&page).map_err(write_error)
}

/// Where Factdesk keeps its data: what `dpkg -r` leaves alone.
const FILES_SECTION: &str = r#".SH FILES
.TP
\fI~/.local/share/factdesk/factdesk.db\fR
The review database (claims, sources, notes, the audit trail), with its \fI-wal\fR and \fI-shm\fR files and the
\fIfactdesk.db.audit-head\fR file beside it. Owner-only (0600) in an owner-only folder (0700).
.TP
\fI~/.local/share/factdesk/backups/\fR
Backups taken before each upgrade of the database and daily while the app runs.
.PP
Removing the package leaves these files in place; delete the folder to remove every review.
.SH ENVIRONMENT
.TP
\fBFACTDESK_DB\fR
The database file to use, as \fB\-\-db\fR.
.TP
\fBFACTDESK_PASSPHRASE_FILE\fR
A file holding the vault's passphrase, for scripts (never pass a passphrase in the arguments).
"#;

/// One `.SH` per subcommand, depth first, each with its about text, usage and
/// arguments, so the single page documents the whole tree.
fn render_commands(page: &mut Vec<u8>, command: &clap::Command, path: &str) -> std::io::Result<()> {
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("{path} {}", sub.get_name());
        let sub = sub.clone().name(name.clone());
        writeln!(page, ".SH \"{}\"", name.to_uppercase())?;
        let man = clap_mangen::Man::new(sub.clone());
        let mut body = Vec::new();
        man.render_synopsis_section(&mut body)?;
        man.render_description_section(&mut body)?;
        man.render_options_section(&mut body)?;
        // The sections a subcommand renders are headed SYNOPSIS/DESCRIPTION/OPTIONS:
        // demoted to sub-headings under the command's own heading.
        page.extend_from_slice(String::from_utf8_lossy(&body).replace(".SH ", ".SS ").as_bytes());
        render_commands(page, &sub, &name)?;
    }
    Ok(())
}
