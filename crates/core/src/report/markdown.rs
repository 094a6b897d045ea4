//! The Markdown report, for pasting into a ticket, a wiki or an email.
//! Draft and note text is escaped ([`escape_inline`]) so it reads as
//! written and never turns into markup, links or raw HTML.

use super::outline::{outline, ClaimEntry, ClaimRow, Findings, Particular, Section, Stretch};
use super::{
    anchor_label, claim_label, human_time, percent, status_label, visible, AttributionBasis, DraftReport, Note,
    Profile, Report, ReportScope, Summary,
};
use crate::review::ClaimStatus;
use std::fmt::Write;

/// A confidential field as the internal report prints it: "not recorded" (in italics) when it was never
/// recorded, rather than nothing (which reads like a value lost on the way).
fn recorded(value: &str) -> String {
    if value.is_empty() {
        "*not recorded*".to_owned()
    } else {
        escape_inline(value)
    }
}

/// Escapes text for one line of Markdown: punctuation that CommonMark reads
/// as markup is backslash-escaped, and line breaks become a space.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // Only at the start of a line do these open a heading, a list or a block quote.
            '#' | '-' | '+' | '=' | '!' if line_start => {
                out.push('\\');
                out.push(c);
            }
            // A paragraph break in a quote's context reads as one space.
            '\r' | '\n' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                line_start = false;
                continue;
            }
            _ => out.push(c),
        }
        line_start = false;
    }
    out
}

/// Escapes text of several lines as a block quote, keeping its line breaks.
fn quote_block(text: &str) -> String {
    text.lines().map(|line| format!("> {}", escape_inline(line))).collect::<Vec<_>>().join("  \n")
}

/// The whole report as Markdown.
pub fn render(report: &Report) -> String {
    let report = visible(report);
    let internal = report.profile == Profile::Internal;
    let mut out = String::with_capacity(8 * 1024);
    if report.scope == ReportScope::Desk {
        let _ = writeln!(out, "# Desk review report\n");
        if internal {
            out.push_str(&stamp());
        }
        let _ = writeln!(out, "| | |\n| --- | --- |");
        let _ = writeln!(out, "| Desk | `{}` |", code(&report.desk));
        let _ = writeln!(out, "| Drafts | {} |", report.drafts.len());
        let _ = writeln!(
            out,
            "| Generated | {} by {}, profile {} |\n",
            escape_inline(&human_time(&report.generated_at)),
            escape_inline(&report.generator),
            report.profile.as_str()
        );
        let _ = writeln!(
            out,
            "| Draft | Claims | Needs corroboration | Corroborated | Disputed | Unverifiable | Cleared | Unnamed |"
        );
        let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for draft in &report.drafts {
            let summary = Summary::of(draft);
            let _ = write!(out, "| {} | {} |", escape_inline(&draft.title), summary.claims);
            for status in ClaimStatus::ALL {
                let _ = write!(out, " {} |", summary.count(status));
            }
            let _ = writeln!(out, " {} |", percent(summary.unnamed_share));
        }
        out.push('\n');
    }
    for draft in &report.drafts {
        draft_section(&mut out, &report, draft);
    }
    let _ = writeln!(
        out,
        "---\n\nGenerated {} by {}, profile {}{}. Positions count Unicode code points in the draft's text as Factdesk reads it.",
        escape_inline(&human_time(&report.generated_at)),
        escape_inline(&report.generator),
        report.profile.as_str(),
        if internal { " (CONFIDENTIAL)" } else { ": no confidential source data, no private notes" }
    );
    out
}

fn stamp() -> String {
    "> **CONFIDENTIAL**: internal profile, with source identities and private notes. Not for distribution.\n\n"
        .to_owned()
}

/// Text inside a code span: backticks would end it, so they are replaced.
fn code(text: &str) -> String {
    text.replace('`', "'").replace(['\n', '\r'], " ")
}

fn draft_section(out: &mut String, report: &Report, draft: &DraftReport) {
    let hashes = if report.scope == ReportScope::Desk { "##" } else { "#" };
    let sub = format!("{hashes}#");
    let _ = writeln!(out, "{hashes} Review report: {}\n", escape_inline(&draft.title));
    if report.profile == Profile::Internal {
        out.push_str(&stamp());
    }
    for section in outline(report, draft) {
        match section {
            Section::Particulars(rows) => particulars(out, &rows),
            Section::Summary(summary) => summary_section(out, &sub, &summary),
            Section::EditorsNote(note) => {
                let _ = writeln!(out, "{sub} Editor’s note\n");
                match note {
                    Some(note) => {
                        let _ = writeln!(out, "{}\n", quote_block(note));
                    }
                    None => out.push_str("_No editor’s note recorded._\n\n"),
                }
            }
            Section::SincePublication(changes) => {
                let _ = writeln!(out, "{sub} Changes since publication\n");
                if changes.is_empty() {
                    out.push_str("_Nothing in the review changed since it was published._\n\n");
                } else {
                    for change in &changes {
                        let _ = writeln!(out, "- {}", escape_inline(change));
                    }
                    out.push('\n');
                }
            }
            Section::Findings(findings) => findings_section(out, &sub, &findings),
            Section::Notes(list) => {
                let _ = writeln!(out, "{sub} Notes on the draft\n");
                notes(out, list, "");
                out.push('\n');
            }
            Section::Claims(entries) => {
                let _ = writeln!(out, "{sub} Claims\n");
                if entries.is_empty() {
                    out.push_str("_No claims tagged._\n\n");
                }
                for entry in &entries {
                    claim_section(out, &sub, entry);
                }
            }
            Section::Text(stretches) => text_section(out, &sub, &stretches),
        }
    }
}

fn particulars(out: &mut String, rows: &[Particular<'_>]) {
    let _ = writeln!(out, "| | |\n| --- | --- |");
    for row in rows {
        let _ = match row {
            Particular::File { path, missing } => {
                writeln!(out, "| File | `{}`{} |", code(path), if *missing { " (missing)" } else { "" })
            }
            Particular::Version(Some(v)) => writeln!(
                out,
                "| Version | {} words, first read {} (version {} of {}, `{}`) |",
                v.words,
                escape_inline(&human_time(&v.first_seen_at)),
                v.number,
                v.versions,
                code(v.content_hash.get(..12).unwrap_or(&v.content_hash))
            ),
            Particular::Version(None) => writeln!(out, "| Version | no readable text |"),
            Particular::ReviewedBy(reviewers) => writeln!(out, "| Reviewed by | {} |", escape_inline(reviewers)),
            Particular::Workflow(status) => writeln!(out, "| Workflow | {} |", escape_inline(status)),
            Particular::Report { at, generator } => {
                writeln!(out, "| Report | {} by {} |\n", escape_inline(at), escape_inline(generator))
            }
        };
    }
}

fn summary_section(out: &mut String, sub: &str, summary: &Summary) {
    let _ = writeln!(out, "{sub} Summary\n");
    let statuses: Vec<String> = summary
        .by_status
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", status_label(*s).to_lowercase()))
        .collect();
    let _ = writeln!(
        out,
        "- **Claims:** {}{}",
        summary.claims,
        if statuses.is_empty() { String::new() } else { format!(" ({})", statuses.join(", ")) }
    );
    let mix: Vec<String> =
        summary.attribution.iter().filter(|(_, n)| *n > 0).map(|(k, n)| format!("{n} {}", k.label())).collect();
    let _ = writeln!(
        out,
        "- **Attribution:** {}; unnamed share {}",
        if mix.is_empty() { "none".to_owned() } else { mix.join(", ") },
        percent(summary.unnamed_share)
    );
    let _ = writeln!(
        out,
        "- **Corroboration:** {} of {} claims have a corroborating source or evidence ({}); {}",
        summary.corroborated_claims,
        summary.claims,
        percent(summary.corroboration_coverage),
        // Where no claim rests only on unnamed sources the rule asks nothing: "met for 0 of 0" read as a failure.
        match summary.two_source_rule_applies {
            0 => "the two-source rule applies to none (no claim is attributed only to unnamed sources)".to_owned(),
            1 =>
                format!("the two-source rule is met for {} of the 1 claim it applies to", summary.two_source_rule_holds),
            n => format!(
                "the two-source rule is met for {} of the {n} claims it applies to",
                summary.two_source_rule_holds
            ),
        }
    );
    let _ = writeln!(out, "- **Rule findings:** {} ({} overridden)", summary.findings, summary.overridden);
    let _ = writeln!(out, "- **Needing attention:** {}\n", summary.needs_attention);
}

fn findings_section(out: &mut String, sub: &str, findings: &Findings<'_>) {
    let _ = writeln!(out, "{sub} Sourcing rules\n");
    let _ = writeln!(out, "| Rule | Severity | Finding | Claim | Override |\n| --- | --- | --- | --- | --- |");
    for row in &findings.rows {
        let overridden = row.override_number.map_or_else(|| "none".to_owned(), |n| format!("override {n}"));
        let _ = writeln!(
            out,
            "| {} (`{}`) | {:?} | {} | {} | {overridden} |",
            // The rule's name as the window gives it, then its id (what `factdesk override` and `check --json` use).
            escape_inline(&row.finding.label),
            code(&row.finding.rule),
            row.finding.severity,
            escape_inline(&row.finding.message),
            row.claim
        );
    }
    out.push('\n');
    for (index, o) in findings.overrides.iter().enumerate() {
        let _ = writeln!(
            out,
            "- **Override {}** by {}, {}: {}",
            index + 1,
            escape_inline(&o.by),
            escape_inline(&human_time(&o.at)),
            escape_inline(&o.reason)
        );
    }
    if !findings.overrides.is_empty() {
        out.push('\n');
    }
}

fn text_section(out: &mut String, sub: &str, stretches: &[Stretch<'_>]) {
    let _ = writeln!(out, "{sub} Draft text\n\nClaims are in bold, each followed by its number.\n");
    let mut marked = String::new();
    for stretch in stretches {
        // The markers below are control characters no draft needs; a draft's own are dropped.
        let text = stretch.text.replace(MARKERS, "");
        if stretch.claims.is_empty() {
            marked.push_str(&text);
            continue;
        }
        // Markers go round each line of the stretch: bold cannot span a paragraph break.
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| if line.trim().is_empty() { line.to_owned() } else { format!("\u{1}{line}\u{2}") })
            .collect();
        marked.push_str(&lines.join("\n"));
        for index in &stretch.ending {
            let _ = write!(marked, "\u{3}{}\u{4}", claim_label(*index));
        }
    }
    for line in marked.lines() {
        let escaped =
            escape_inline(line).replace(['\u{1}', '\u{2}'], "**").replace('\u{3}', " \\[").replace('\u{4}', "\\]");
        let _ = writeln!(out, "> {escaped}  ");
    }
    out.push('\n');
}

const MARKERS: [char; 4] = ['\u{1}', '\u{2}', '\u{3}', '\u{4}'];

fn claim_section(out: &mut String, sub: &str, entry: &ClaimEntry<'_>) {
    let claim = entry.claim;
    let _ = writeln!(
        out,
        "{sub}# {}: {}{}\n",
        entry.label,
        status_label(claim.status),
        if claim.needs_attention { " (needs attention)" } else { "" }
    );
    let _ = writeln!(
        out,
        "> …{}**{}**{}…\n",
        escape_inline(&claim.prefix),
        escape_inline(&claim.quote),
        escape_inline(&claim.suffix)
    );
    for row in &entry.rows {
        match row {
            ClaimRow::Attribution(attribution) => {
                let cue = attribution.cue.as_deref().map(|c| format!(" (“{}”)", escape_inline(c))).unwrap_or_default();
                let basis = match attribution.basis {
                    AttributionBasis::Sources => "from its sources",
                    AttributionBasis::Detected => "read from the wording",
                };
                let _ = writeln!(out, "- **Attribution:** {}{cue}, {basis}", attribution.kind.label());
            }
            ClaimRow::Corroboration(corroboration) => {
                let _ = writeln!(out, "- **Corroboration:** {}", escape_inline(&corroboration.verdict));
            }
            ClaimRow::Anchor { state, place } => {
                let placement = match place {
                    Some((start, end)) => format!("{}, code points {start}–{end}", anchor_label(*state)),
                    None => format!("{}, not placed on this version", anchor_label(*state)),
                };
                let _ = writeln!(out, "- **Anchor:** {placement}");
            }
            ClaimRow::AsTagged(original) => {
                let _ = writeln!(out, "- **As tagged:** “{}”", escape_inline(original));
            }
            ClaimRow::Sources(sources) if sources.is_empty() => out.push_str("- **Sources:** none recorded\n"),
            ClaimRow::Sources(sources) => {
                out.push_str("- **Sources:**\n");
                for source in sources {
                    let _ = writeln!(
                        out,
                        "  - {} ({}, {})",
                        escape_inline(source.descriptor),
                        source.kind.label(),
                        source.role.as_str()
                    );
                    if let Some(secret) = source.confidential {
                        let _ = writeln!(out, "    - **CONFIDENTIAL** {}", secret.listed(recorded));
                    }
                }
            }
            ClaimRow::Evidence([]) => out.push_str("- **Evidence:** none recorded\n"),
            ClaimRow::Evidence(evidence) => {
                out.push_str("- **Evidence:**\n");
                for item in *evidence {
                    let _ = writeln!(
                        out,
                        "  - {}{}: {} (`{}`; {}{}, added by {})",
                        escape_inline(&item.kind),
                        if item.contradicts { " (contradicts)" } else { "" },
                        escape_inline(&item.summary),
                        code(&item.reference),
                        item.obtained
                            .as_deref()
                            .map(|o| format!("obtained {}, ", escape_inline(o)))
                            .unwrap_or_default(),
                        if item.independent { "independent" } else { "not independent" },
                        escape_inline(&item.added_by)
                    );
                }
            }
            ClaimRow::Notes(list) => {
                out.push_str("- **Notes:**\n");
                notes(out, list, "  ");
            }
            ClaimRow::History(history) => {
                out.push_str("- **History:**\n");
                for change in *history {
                    let from = change.from.map(|f| format!("{} → ", status_label(f))).unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "  - {from}{} by {}, {}",
                        status_label(change.to),
                        escape_inline(&change.by),
                        escape_inline(&human_time(&change.at))
                    );
                }
            }
        }
    }
    out.push('\n');
}

fn notes(out: &mut String, notes: &[Note], indent: &str) {
    for note in notes {
        let _ = writeln!(
            out,
            "{indent}- {}{}**{}** ({}): {}",
            if note.reply_to.is_some() { "↳ " } else { "" },
            if note.private { "**PRIVATE** " } else { "" },
            escape_inline(&note.author),
            escape_inline(&human_time(&note.at)),
            escape_inline(&note.text)
        );
    }
}
