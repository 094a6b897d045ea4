//! How `factdesk audit verify` reports what it found.

use factdesk_core::audit::{head_path, AuditReport};
use std::path::Path;

/// Prints the verdict; an error (exit 1) when the trail is broken or rows disagree with it.
pub(crate) fn print(db: &Path, report: &AuditReport) -> Result<(), String> {
    let on_team_store = db.to_str().is_some_and(factdesk_core::store::postgres::is_postgres_url);
    if let Some(broken) = &report.broken {
        return Err(match broken.seq {
            Some(seq) => format!("audit trail broken at entry {seq}: {}", broken.reason),
            // The server names only entries this login reads (migrations/postgres/0032).
            None => format!("audit trail broken: {}", broken.reason),
        });
    }
    let mut lines = vec![format!("audit trail intact: {} entries", report.entries)];
    match &report.head {
        // No file of Factdesk's to hold a head: the server keeps the trail, appended under its lock.
        _ if on_team_store => {
            lines.push("head: none on a team store (the server keeps the trail)".to_owned());
            // The server's verdict says how the whole chain stands, not how long it is (migrations/postgres/0032):
            // a login counts the entries up to the newest it reads.
            lines.push(
                "the server checked the whole chain: the entries counted are those up to the newest this login \
                 reads; any after it were checked too, and are not counted"
                    .to_owned(),
            );
        }
        Some(head) => lines.push(format!("head: entry {} {} ({})", head.seq, head.hash, head_path(db).display())),
        None if report.entries > 0 => lines.push(format!(
            "head: no head file at {} yet (written with the next change): deleting the newest entries cannot be detected until then",
            head_path(db).display()
        )),
        None => lines.push("head: none (the trail is empty)".to_owned()),
    }
    if report.head.is_some() && report.beyond_head > 0 {
        lines.push(format!(
            "note: {} entries were written after the head file was last updated (a crash between the two?); they are checked only by the chain",
            report.beyond_head
        ));
    }
    if report.entries_checked_by_server > 0 {
        // The server walked the whole chain as its owner and answered a verdict only: no hash that depends on
        // an entry this login may not read reaches it (migrations/postgres/0023), nor how many there are after
        // the newest it reads (0032).
        let after_one = report.entries_checked_by_server.saturating_sub(report.entries_not_read);
        let mut line =
            format!("{} entries this login may not read were checked by the server", report.entries_not_read);
        if after_one > 0 {
            line.push_str(&format!(
                ", and {after_one} it reads after the first of them (their hashes depend on that one, so the \
                 server keeps them from this login)"
            ));
        }
        line.push_str(&format!("; {} checked here", report.entries - report.entries_checked_by_server));
        lines.push(line);
    }
    if report.rows_not_compared {
        // The core names this login's missing part (a lawyer's is the vault's entries, not a reporter's drafts).
        let part = report.part_not_read.as_deref().unwrap_or("it may not read some entries");
        lines.push(format!(
            "current rows not compared: this login sees only part of the review ({part}); an editor's login, or the \
             store's owner, compares them"
        ));
        return crate::print_out(&lines.join("\n"));
    }
    if report.disagreements.is_empty() {
        lines.push("current rows agree with the trail".to_owned());
        return crate::print_out(&lines.join("\n"));
    }
    crate::print_out(&lines.join("\n"))?;
    let mut problems = Vec::new();
    for d in &report.disagreements {
        problems
            .push(format!("  {} {}: the trail says {}, the database holds {}", d.entity, d.field, d.trail, d.current));
    }
    Err(format!(
        "{} current rows disagree with the audit trail (edited outside Factdesk?):\n{}",
        report.disagreements.len(),
        problems.join("\n")
    ))
}
