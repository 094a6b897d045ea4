//! The standalone HTML report: one file, inline CSS and SVG, a print
//! stylesheet, no script and no external resource. Every piece of draft or
//! note text goes through [`escape`]. The PDF is this page printed.

use super::chart::{self, status_colour, status_soft};
use super::outline::{outline, ClaimEntry, ClaimRow, Findings, Particular, Section, Stretch};
use super::{
    anchor_label, claim_label, percent, status_label, visible, ClaimReport, DraftReport, Profile, Report, ReportScope,
    Severity, Summary,
};
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
* { box-sizing: border-box; }
html { background: #eceae4; }
body { margin: 0 auto; max-width: 860px; background: #ffffff; color: #1f1e1b; padding: 48px 56px 64px;
  font: 15px/1.55 Charter, "Bitstream Charter", "Noto Serif", "DejaVu Serif", Georgia, serif; }
.masthead, h1, h2, h3, table.meta, .pill, table, .label, .stamp, figure figcaption { font-family: system-ui, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
.masthead { display:flex; justify-content:space-between; align-items:baseline; border-bottom: 3px double #1f1e1b;
  padding-bottom: 6px; margin-bottom: 18px; font-size: 12px; color: #55524b; }
.masthead strong { color: #1f1e1b; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 14px; }
h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d9d5cc; }
h3 { font-size: 15px; margin: 0; }
table.meta { width: auto; font-size: 13px; margin: 0 0 8px; }
table.meta th { background: none; color: #55524b; font-weight: 400; padding: 1px 16px 1px 0; border: none; white-space: nowrap; }
table.meta td { padding: 1px 0; border: none; }
.meta code, code { font: 12.5px "DejaVu Sans Mono", monospace; }
.stamp { border: 2px solid #9b2226; color: #9b2226; font-weight: 700; text-align:center;
  padding: 4px 8px; margin: 0 0 16px; font-size: 13px; }
.stamp small { display:block; font-weight: 400; font-size: 11.5px; }
table.figures { border-collapse: separate; border-spacing: 0; margin: 8px 0 18px; width: 100%; table-layout: fixed; }
td.figure { background: #f2f0eb; padding: 8px 10px; border: none; width: 25%; }
/* White borders as gutters: the background stays inside them. */
td.figure + td.figure { border-left: 8px solid #ffffff; background-clip: padding-box; }
td.figure .n { font: 700 22px/1.1 system-ui, "DejaVu Sans", sans-serif; display:block; }
td.figure .label { font-size: 11.5px; color: #55524b; }
figure { margin: 8px 0 18px; }
figure figcaption { font-size: 12px; color: #55524b; margin-bottom: 6px; font-weight: 600; }
svg.chart { width: 100%; height: auto; display:block; } /* the content box's width: an A4 page's is wider than 640 px */
td.rule-met { color: #2f855a; }
td.rule-not-met { color: #8a5a12; font-weight: 600; }
td.rule-does-not-apply { color: #55524b; }
.note-box { border-left: 4px solid #1f4e79; background: #f4f7fb; padding: 8px 14px; margin: 8px 0; white-space: pre-wrap; }
.claim { border: 1px solid #d9d5cc; border-left: 5px solid #8a867c; border-radius: 4px; padding: 12px 16px; margin: 0 0 12px; }
.claim header, blockquote.quote { break-after: avoid; break-inside: avoid; }
.claim header { margin-bottom: 6px; }
.claim header > * { margin-right: 8px; }
.claim .num { font: 700 13px system-ui, "DejaVu Sans", sans-serif; color: #55524b; }
.pill { display:inline-block; font-size: 11.5px; font-weight: 600; padding: 1px 8px; border-radius: 10px; color: #fff; }
.attention { font-size: 11.5px; color: #9b2226; font-weight: 600; }
blockquote.quote { margin: 0 0 8px; font-size: 15px; }
blockquote.quote .ctx { color: #8a867c; }
blockquote.quote mark { padding: 0 1px; color: #1f1e1b; }
table.fields { margin: 0; font-size: 13px; }
table.fields th { width: 100px; background: none; color: #55524b; font-weight: 400; font-size: 12px; padding: 2px 12px 2px 0; border: none; }
table.fields td { padding: 2px 0; border: none; }
.claim ul, .claim ol { margin: 0; padding-left: 18px; }
.private { color: #9b2226; font-weight: 600; font-size: 11.5px; }
.none { color: #8a867c; font-style: italic; }
table.rules { table-layout: fixed; }
table.rules th:first-child { width: 38%; }
table.rules th:nth-child(3) { width: 9%; }
table.rules code { font-size: 11.5px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; margin: 6px 0 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #d9d5cc; vertical-align: top; }
th { background: #f2f0eb; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.overview { table-layout: fixed; }
table.overview th { font-size: 11.5px; }
table.overview th:first-child { width: 40%; }
table.overview th:nth-child(2), table.overview th:nth-child(4) { width: 12%; }
table.overview .counts { display: block; font-size: 11px; color: #55524b; margin-top: 2px; }
svg.mini { display: block; margin-top: 4px; }
table.overview code { font-size: 11px; color: #55524b; }
.key { display: inline-block; width: 8px; height: 8px; border-radius: 2px; }
.sev-blocking { color: #9b2226; font-weight: 700; }
.sev-warning { color: #8a5a00; font-weight: 600; }
.draft-text { white-space: pre-wrap; font-size: 14.5px; line-height: 1.7; background: #fcfbf8; border: 1px solid #d9d5cc; padding: 14px 18px; border-radius: 4px; }
.draft-text mark { border-bottom: 2px solid; padding: 0 1px; color: inherit; }
.draft-text sup { font: 700 9.5px system-ui, "DejaVu Sans", sans-serif; color: #55524b; }
section.draft + section.draft { margin-top: 48px; border-top: 3px double #1f1e1b; padding-top: 24px; }
footer { margin-top: 40px; border-top: 1px solid #d9d5cc; padding-top: 8px; font-size: 11.5px; color: #8a867c; }
@media print {
  @page { size: A4; margin: 18mm 16mm 20mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt "DejaVu Sans", sans-serif; color: #8a867c; }
    @bottom-left { content: "Factdesk review report"; font: 9pt "DejaVu Sans", sans-serif; color: #8a867c; } }
  html { background: none; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  tr, .figure, figure, .note-box { break-inside: avoid; }
  section.draft + section.draft { break-before: page; border-top: none; margin-top: 0; padding-top: 0; }
  .draft-text { background: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Printed on every page of an internal report (CSS paged media margin boxes).
const CONFIDENTIAL_PAGES: &str = r#"
@media print { @page { @top-center { content: "CONFIDENTIAL — internal review report, not for distribution";
  font: 700 9pt "DejaVu Sans", sans-serif; color: #9b2226; } } }
"#;

/// The whole report as one HTML document.
pub fn render(report: &Report) -> String {
    let report = visible(report);
    let internal = report.profile == Profile::Internal;
    let title = match (report.scope, report.drafts.as_slice()) {
        (ReportScope::Draft, [draft]) => format!("Review report: {}", draft.title),
        _ => format!("Review report: desk {}", report.desk),
    };
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n",
        escape(&report.generator),
        escape(&title),
        if internal { CONFIDENTIAL_PAGES } else { "" }
    );
    let _ = writeln!(
        out,
        "<div class=\"masthead\"><strong>Factdesk</strong><span>Review report · {} profile</span></div>",
        report.profile.as_str()
    );
    if report.scope == ReportScope::Desk {
        if internal {
            out.push_str(&stamp());
        }
        let _ = write!(out, "<h1>Desk review report</h1>\n<table class=\"meta\"><tr><th>Desk</th><td><code>{}</code></td></tr><tr><th>Drafts</th><td>{}</td></tr><tr><th>Generated</th><td>{} by {}</td></tr></table>\n",
            escape(&report.desk), report.drafts.len(), escape(&super::human_time(&report.generated_at)), escape(&report.generator));
        desk_overview(&mut out, &report.drafts);
    }
    for draft in &report.drafts {
        draft_section(&mut out, &report, draft);
    }
    let _ = write!(
        out,
        "<footer>Generated {} by {} · profile {}{}. Claim positions count Unicode code points in the draft's text as Factdesk reads it.</footer>\n</body>\n</html>\n",
        escape(&super::human_time(&report.generated_at)),
        escape(&report.generator),
        report.profile.as_str(),
        if internal { " · CONFIDENTIAL" } else { " · no confidential source data, no private notes" }
    );
    out
}

fn stamp() -> String {
    "<div class=\"stamp\">CONFIDENTIAL<small>Internal profile: source identities and private notes. Not for distribution.</small></div>\n".to_owned()
}

fn desk_overview(out: &mut String, drafts: &[DraftReport]) {
    out.push_str(
        "<h2>Drafts</h2>\n<table class=\"overview\"><thead><tr><th>Draft</th><th class=\"n\">Claims</th>\
         <th>By status</th><th class=\"n\">Unnamed</th></tr></thead><tbody>\n",
    );
    for draft in drafts {
        let summary = Summary::of(draft);
        let counts: Vec<String> = summary
            .by_status
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {}", status_label(*s).to_lowercase()))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}{}<br><code>{}</code></td><td class=\"n\">{}</td><td>{}<span class=\"counts\">{}</span></td><td class=\"n\">{}</td></tr>",
            escape(&draft.title),
            if draft.missing { " <span class=\"none\">(missing)</span>" } else { "" },
            escape(&draft.file),
            summary.claims,
            chart::mini_status_bar(&summary),
            escape(&counts.join(" · ")),
            percent(summary.unnamed_share)
        );
    }
    out.push_str("</tbody></table>\n");
}

fn draft_section(out: &mut String, report: &Report, draft: &DraftReport) {
    let _ = writeln!(out, "<section class=\"draft\" id=\"draft-{}\">", draft.id);
    if report.profile == Profile::Internal {
        out.push_str(&stamp());
    }
    let heading = if report.scope == ReportScope::Desk { "h2" } else { "h1" };
    let _ = writeln!(out, "<{heading} class=\"title\">{}</{heading}>", escape(&draft.title));
    for section in outline(report, draft) {
        match section {
            Section::Particulars(rows) => particulars(out, &rows),
            Section::Summary(summary) => summary_section(out, &summary),
            Section::EditorsNote(note) => {
                out.push_str("<h2>Editor’s note</h2>\n");
                match note {
                    Some(note) => {
                        let _ = writeln!(out, "<div class=\"note-box\">{}</div>", escape(note));
                    }
                    None => out.push_str("<p class=\"none\">No editor’s note recorded.</p>\n"),
                }
            }
            Section::SincePublication(changes) => {
                out.push_str("<h2>Changes since publication</h2>\n");
                if changes.is_empty() {
                    out.push_str("<p class=\"none\">Nothing in the review changed since it was published.</p>\n");
                } else {
                    out.push_str("<ul class=\"since-publication\">");
                    for change in &changes {
                        let _ = write!(out, "<li>{}</li>", escape(change));
                    }
                    out.push_str("</ul>\n");
                }
            }
            Section::Findings(findings) => findings_section(out, &findings),
            Section::Notes(list) => {
                out.push_str("<h2>Notes on the draft</h2>\n");
                notes(out, list);
            }
            Section::Claims(entries) => {
                let _ = writeln!(out, "<h2>Claims ({})</h2>", entries.len());
                if entries.is_empty() {
                    out.push_str("<p class=\"none\">No claims tagged.</p>\n");
                }
                for entry in &entries {
                    claim_card(out, entry);
                }
            }
            Section::Text(stretches) => text_section(out, &stretches, &draft.claims),
        }
    }
    out.push_str("</section>\n");
}

fn particulars(out: &mut String, rows: &[Particular<'_>]) {
    out.push_str("<table class=\"meta\">");
    for row in rows {
        let _ = match row {
            Particular::File { path, missing } => write!(
                out,
                "<tr><th>File</th><td><code>{}</code>{}</td></tr>",
                escape(path),
                if *missing { " (missing: the file is gone, the review is kept)" } else { "" }
            ),
            Particular::Version(Some(version)) => write!(
                out,
                "<tr><th>Version</th><td>{} words, first read {} <span class=\"none\">(version {} of {}; <code>{}</code>)</span></td></tr>",
                version.words,
                escape(&super::human_time(&version.first_seen_at)),
                version.number,
                version.versions,
                escape(version.content_hash.get(..12).unwrap_or(&version.content_hash))
            ),
            Particular::Version(None) => write!(out, "<tr><th>Version</th><td class=\"none\">no readable text</td></tr>"),
            Particular::ReviewedBy(reviewers) => write!(out, "<tr><th>Reviewed by</th><td>{}</td></tr>", escape(reviewers)),
            Particular::Workflow(status) => write!(out, "<tr><th>Workflow</th><td>{}</td></tr>", escape(status)),
            Particular::Report { at, generator } => {
                writeln!(out, "<tr><th>Report</th><td>{} by {}</td></tr></table>", escape(at), escape(generator))
            }
        };
    }
}

/// Figures, then the two pictures.
fn summary_section(out: &mut String, summary: &Summary) {
    out.push_str("<h2>Summary</h2>\n<table class=\"figures\"><tr>");
    let figure = |out: &mut String, n: String, label: &str| {
        let _ = write!(
            out,
            "<td class=\"figure\"><span class=\"n\">{}</span><span class=\"label\">{}</span></td>",
            escape(&n),
            escape(label)
        );
    };
    figure(out, summary.claims.to_string(), "claims tagged");
    figure(out, percent(summary.unnamed_share), "attributed to unnamed sources");
    figure(
        out,
        percent(summary.corroboration_coverage),
        &format!("corroborated by a source or evidence ({} of {})", summary.corroborated_claims, summary.claims),
    );
    figure(out, summary.findings.to_string(), &format!("rule findings, {} overridden", summary.overridden));
    out.push_str("</tr></table>\n");
    // With no claims the two charts were two empty boxes each saying "No claims tagged": the figure above
    // ("0 claims tagged") and the Claims section's one line say it.
    if summary.claims > 0 {
        let _ =
            writeln!(out, "<figure><figcaption>Claims by status</figcaption>{}</figure>", chart::status_bar(summary));
        let _ = writeln!(out, "<figure><figcaption>Sourcing mix</figcaption>{}</figure>", chart::sourcing_mix(summary));
    }
    if summary.needs_attention > 0 {
        let _ = writeln!(
            out,
            "<p class=\"attention\">{} claim(s) could not be placed with certainty on this version and need the reviewer's attention.</p>",
            summary.needs_attention
        );
    }
}

/// A confidential field as the internal report prints it: said "not recorded" when it was never recorded, rather
/// than left blank (which reads like a value lost on the way).
fn recorded(value: &str) -> String {
    if value.is_empty() {
        "<span class=\"none\">not recorded</span>".to_owned()
    } else {
        escape(value)
    }
}

fn findings_section(out: &mut String, findings: &Findings<'_>) {
    out.push_str("<h2>Sourcing rules</h2>\n<table class=\"rules\"><thead><tr><th>Rule</th><th>Finding</th><th>Claim</th><th>Override</th></tr></thead><tbody>\n");
    for row in &findings.rows {
        let (class, severity) = match row.finding.severity {
            Severity::Blocking => ("sev-blocking", "blocking"),
            Severity::Warning => ("sev-warning", "warning"),
            Severity::Info => ("", "info"),
        };
        let overridden = row
            .override_number
            .map_or_else(|| "<span class=\"none\">none</span>".to_owned(), |n| format!("override {n}"));
        let _ = writeln!(
            out,
            "<tr><td>{}<br><code>{}</code><br><span class=\"{class}\">{severity}</span></td><td>{}</td><td>{}</td><td>{overridden}</td></tr>",
            // The rule's name as the window gives it, then its id (what `factdesk override` and `check --json` use).
            escape(&row.finding.label),
            // A break allowed after each hyphen for a narrow browser window. (WeasyPrint breaks neither there nor at
            // a hyphen: the column is wide enough in the PDF for `unnamed-needs-two-corroborations`, which ran
            // into the finding beside it at 32 %.)
            escape(&row.finding.rule).replace('-', "-<wbr>"),
            escape(&row.finding.message),
            row.claim
        );
    }
    out.push_str("</tbody></table>\n");
    if !findings.overrides.is_empty() {
        out.push_str("<ul class=\"overrides\">");
        for (index, o) in findings.overrides.iter().enumerate() {
            let _ = write!(
                out,
                "<li><strong>Override {}</strong> by {}, {}: {}</li>",
                index + 1,
                escape(&o.by),
                escape(&super::human_time(&o.at)),
                escape(&o.reason)
            );
        }
        out.push_str("</ul>\n");
    }
}

fn text_section(out: &mut String, stretches: &[Stretch<'_>], claims: &[ClaimReport]) {
    out.push_str("<h2>Draft text</h2>\n<div class=\"draft-text\">");
    for stretch in stretches {
        match stretch.claims.first() {
            None => out.push_str(&escape(stretch.text)),
            Some(first) => {
                let status = claims[*first].status;
                let labels: Vec<String> = stretch.claims.iter().map(|i| claim_label(*i)).collect();
                let _ = write!(
                    out,
                    "<mark style=\"background:{};border-color:{}\" title=\"{}\">{}</mark>",
                    status_soft(status),
                    status_colour(status),
                    escape(&labels.join(", ")),
                    escape(stretch.text)
                );
                // The label goes after the last stretch of each claim.
                for index in &stretch.ending {
                    let _ = write!(out, "<sup>{}</sup>", claim_label(*index));
                }
            }
        }
    }
    out.push_str("</div>\n");
}

fn claim_card(out: &mut String, entry: &ClaimEntry<'_>) {
    let claim = entry.claim;
    let _ = write!(
        out,
        "<article class=\"claim\" id=\"claim-{}\" style=\"border-left-color:{}\">\n<header><span class=\"num\">{}</span><span class=\"pill\" style=\"background:{}\">{}</span>",
        claim.id,
        status_colour(claim.status),
        entry.label,
        status_colour(claim.status),
        escape(status_label(claim.status))
    );
    if claim.needs_attention {
        out.push_str("<span class=\"attention\">needs attention</span>");
    }
    out.push_str("</header>\n");
    let _ = write!(
        out,
        "<blockquote class=\"quote\"><span class=\"ctx\">…{}</span><mark style=\"background:{}\">{}</mark><span class=\"ctx\">{}…</span></blockquote>\n<table class=\"fields\">",
        escape(&claim.prefix),
        status_soft(claim.status),
        escape(&claim.quote),
        escape(&claim.suffix)
    );
    for row in &entry.rows {
        match row {
            ClaimRow::Attribution(attribution) => {
                let cue = attribution.cue.as_deref().map(|c| format!(" — “{}”", escape(c))).unwrap_or_default();
                let basis = match attribution.basis {
                    super::AttributionBasis::Sources => "from its sources",
                    super::AttributionBasis::Detected => "read from the wording",
                };
                let _ = write!(
                    out,
                    "<tr><th>Attribution</th><td>{}{cue} <span class=\"none\">({basis})</span></td></tr>",
                    escape(attribution.kind.label())
                );
            }
            ClaimRow::Corroboration(corroboration) => {
                let _ = write!(
                    out,
                    "<tr><th>Corroboration</th><td class=\"{}\">{}</td></tr>",
                    match (corroboration.two_source_rule, corroboration.blocks_ready) {
                        (true, _) => "rule-met",
                        (false, true) => "rule-not-met",
                        (false, false) => "rule-does-not-apply",
                    },
                    escape(&corroboration.verdict)
                );
            }
            ClaimRow::Anchor { state, place } => {
                let placement = match place {
                    Some((start, end)) => format!("{}, code points {start}–{end}", anchor_label(*state)),
                    None => format!("{} (not placed on this version)", anchor_label(*state)),
                };
                let _ = write!(out, "<tr><th>Anchor</th><td>{}</td></tr>", escape(&placement));
            }
            ClaimRow::AsTagged(original) => {
                let _ = write!(out, "<tr><th>As tagged</th><td>“{}”</td></tr>", escape(original));
            }
            ClaimRow::Sources(sources) => {
                out.push_str("<tr><th>Sources</th><td>");
                if sources.is_empty() {
                    out.push_str("<span class=\"none\">none recorded</span>");
                } else {
                    out.push_str("<ul>");
                    for source in sources {
                        let _ = write!(
                            out,
                            "<li>{} <span class=\"none\">({}, {})</span>",
                            escape(source.descriptor),
                            source.kind.label(),
                            source.role.as_str()
                        );
                        if let Some(secret) = source.confidential {
                            let _ = write!(
                                out,
                                "<br><span class=\"private\">CONFIDENTIAL</span> {}",
                                secret.listed(recorded)
                            );
                        }
                        out.push_str("</li>");
                    }
                    out.push_str("</ul>");
                }
                out.push_str("</td></tr>");
            }
            ClaimRow::Evidence(evidence) => {
                out.push_str("<tr><th>Evidence</th><td>");
                if evidence.is_empty() {
                    out.push_str("<span class=\"none\">none recorded</span>");
                } else {
                    out.push_str("<ul>");
                    for item in *evidence {
                        let _ = write!(
                            out,
                            "<li><strong>{}</strong>{}: {} — <code>{}</code> <span class=\"none\">({}{}, added by {})</span></li>",
                            escape(&item.kind),
                            if item.contradicts { " <em>(contradicts)</em>" } else { "" },
                            escape(&item.summary),
                            escape(&item.reference),
                            item.obtained.as_deref().map(|o| format!("obtained {}, ", escape(o))).unwrap_or_default(),
                            if item.independent { "independent" } else { "not independent" },
                            escape(&item.added_by)
                        );
                    }
                    out.push_str("</ul>");
                }
                out.push_str("</td></tr>");
            }
            ClaimRow::Notes(list) => {
                out.push_str("<tr><th>Notes</th><td>");
                notes(out, list);
                out.push_str("</td></tr>");
            }
            ClaimRow::History(history) => {
                out.push_str("<tr><th>History</th><td><ol>");
                for change in *history {
                    let from = change.from.map(|f| format!("{} → ", status_label(f))).unwrap_or_default();
                    let _ = write!(
                        out,
                        "<li>{}{} <span class=\"none\">by {}, {}</span></li>",
                        escape(&from),
                        escape(status_label(change.to)),
                        escape(&change.by),
                        escape(&super::human_time(&change.at))
                    );
                }
                out.push_str("</ol></td></tr>");
            }
        }
    }
    out.push_str("</table>\n</article>\n");
}

fn notes(out: &mut String, notes: &[super::Note]) {
    out.push_str("<ul class=\"notes\">");
    for note in notes {
        let _ = write!(
            out,
            "<li>{}{}<strong>{}</strong> <span class=\"none\">{}</span>: {}</li>",
            if note.reply_to.is_some() { "↳ " } else { "" },
            if note.private { "<span class=\"private\">PRIVATE</span> " } else { "" },
            escape(&note.author),
            escape(&super::human_time(&note.at)),
            escape(&note.text)
        );
    }
    out.push_str("</ul>");
}
