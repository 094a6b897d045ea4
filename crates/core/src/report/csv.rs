//! The CSV report: one row per claim, for spreadsheets.
//!
//! RFC 4180: comma-separated, CRLF line ends, a header row, and a field
//! with a comma, a double quote or a line break quoted with its quotes
//! doubled. Spreadsheets run a cell that starts with `=`, `+`, `-` or `@`
//! (and, in some, a tab or carriage return) as a formula: such a cell gets
//! a leading apostrophe (`'=1+1`), which spreadsheets show as text (OWASP's
//! advice on CSV injection). The apostrophe is part of the value for other
//! readers.

use super::outline::{claim_entry, ClaimRow, SourceEntry};
use super::{anchor_label, visible, Profile, Report};
use std::fmt::Write;

/// The columns, in order.
pub const COLUMNS: [&str; 26] = [
    "draft_id",
    "draft_title",
    "draft_file",
    "version_id",
    "claim",
    "claim_id",
    "status",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor",
    "needs_attention",
    "attribution",
    "attribution_cue",
    "corroboration",
    "sources",
    "confidential_sources",
    "evidence",
    "notes",
    "status_history",
    "created_by",
    "created_at",
    "editors_note",
    "classification",
];

/// Quotes a field as RFC 4180 says, after neutralising a formula.
pub fn field(value: &str) -> String {
    let guarded = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The report as CSV.
pub fn render(report: &Report) -> String {
    let report = visible(report);
    let internal = report.profile == Profile::Internal;
    let mut out = String::with_capacity(4096);
    out.push_str(&COLUMNS.join(","));
    out.push_str("\r\n");
    for draft in &report.drafts {
        for (index, claim) in draft.claims.iter().enumerate() {
            // The claim's sources as the outline resolves them for every format (confidential
            // fields only in an internal report).
            let entry = claim_entry(draft, index, claim, internal);
            let linked: &[SourceEntry<'_>] = entry
                .rows
                .iter()
                .find_map(|row| match row {
                    ClaimRow::Sources(sources) => Some(sources.as_slice()),
                    _ => None,
                })
                .unwrap_or_default();
            let sources: Vec<String> =
                linked.iter().map(|source| format!("{} ({})", source.descriptor, source.role.as_str())).collect();
            let confidential: Vec<String> = linked
                .iter()
                .filter_map(|source| source.confidential.map(|c| (source.descriptor, c)))
                .map(|(descriptor, c)| {
                    format!(
                        "{}: identity {}; contact {}; how known {}; reason {}; known by {}; approved by {}",
                        descriptor,
                        c.identity,
                        c.contact,
                        c.how_known,
                        c.anonymity_reason,
                        c.editor_knows,
                        c.approved_by
                    )
                })
                .collect();
            let evidence: Vec<String> = claim
                .evidence
                .iter()
                .map(|e| {
                    format!(
                        "{}: {} [{}]{}{}",
                        e.kind,
                        e.summary,
                        e.reference,
                        if e.independent { " (independent)" } else { "" },
                        if e.contradicts { " (contradicts)" } else { "" }
                    )
                })
                .collect();
            let notes: Vec<String> = claim
                .notes
                .iter()
                .map(|n| format!("{}{} ({}): {}", if n.private { "PRIVATE " } else { "" }, n.author, n.at, n.text))
                .collect();
            let history: Vec<String> =
                claim.history.iter().map(|h| format!("{} {} {}", h.at, h.to.as_str(), h.by)).collect();
            let cells = [
                draft.id.to_string(),
                draft.title.clone(),
                draft.file.clone(),
                draft.version.as_ref().map(|v| v.id.to_string()).unwrap_or_default(),
                entry.label.clone(),
                claim.id.to_string(),
                claim.status.as_str().to_owned(),
                claim.quote.clone(),
                claim.prefix.clone(),
                claim.suffix.clone(),
                claim.start.map(|s| s.to_string()).unwrap_or_default(),
                claim.end.map(|e| e.to_string()).unwrap_or_default(),
                anchor_label(claim.anchor).to_owned(),
                claim.needs_attention.to_string(),
                claim.attribution.kind.as_str().to_owned(),
                claim.attribution.cue.clone().unwrap_or_default(),
                claim.corroboration.verdict.clone(),
                sources.join(" | "),
                confidential.join(" | "),
                evidence.join(" | "),
                notes.join(" | "),
                history.join(" | "),
                claim.created_by.clone(),
                claim.created_at.clone(),
                draft.editors_note.clone().unwrap_or_default(),
                if internal { "CONFIDENTIAL" } else { "desk" }.to_owned(),
            ];
            let row: Vec<String> = cells.iter().map(|c| field(c)).collect();
            let _ = write!(out, "{}\r\n", row.join(","));
        }
    }
    out
}
