//! The report's two pictures, as inline SVG: where the claims stand (one
//! bar, a segment per status) and how they are sourced (a bar per kind).
//! Plain shapes and text, no script, so they print and can be read by
//! `pdftotext` and screen readers (each has a title and a text legend).

use super::html::escape;
use super::{status_label, AttributedTo, Summary};
use crate::review::ClaimStatus;
use std::fmt::Write;

/// Fill colour of a status, the same as the window's highlights.
pub fn status_colour(status: ClaimStatus) -> &'static str {
    match status {
        ClaimStatus::NeedsCorroboration => "#b7791f",
        ClaimStatus::Corroborated => "#2f855a",
        ClaimStatus::Disputed => "#c53030",
        ClaimStatus::Unverifiable => "#8f8f89",
        ClaimStatus::Cleared => "#3f6c99",
    }
}

/// The soft tone of a status, for highlights in the text.
pub fn status_soft(status: ClaimStatus) -> &'static str {
    match status {
        ClaimStatus::NeedsCorroboration => "#fcefc7",
        ClaimStatus::Corroborated => "#d8f0df",
        ClaimStatus::Disputed => "#fbdcdc",
        ClaimStatus::Unverifiable => "#e6e6e3",
        ClaimStatus::Cleared => "#dce8f4",
    }
}

fn kind_colour(kind: AttributedTo) -> &'static str {
    match kind {
        AttributedTo::Unnamed => "#9b2226",
        AttributedTo::Named => "#1f4e79",
        AttributedTo::Document => "#2f855a",
        AttributedTo::OfficialStatement => "#5a4fcf",
        AttributedTo::PublicRecord => "#2c7a7b",
        AttributedTo::MediaReport => "#b7791f",
        AttributedTo::SocialMedia => "#b83280",
        AttributedTo::Other => "#6b5b4b",
        AttributedTo::None => "#8f8f89",
    }
}

const WIDTH: f64 = 640.0;

#[allow(clippy::cast_precision_loss)] // claim counts are small
fn fraction(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// One horizontal bar, a segment per status, with a legend under it.
pub fn status_bar(summary: &Summary) -> String {
    let mut svg = String::new();
    let total = summary.claims;
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} 64" width="{WIDTH}" height="64" aria-labelledby="status-bar-title"><title id="status-bar-title">Claims by status</title>"#
    );
    if total == 0 {
        let _ = write!(
            svg,
            r##"<rect x="0" y="0" width="{WIDTH}" height="22" rx="3" fill="#e8e5de"/><text x="8" y="15" font-size="12" fill="#55524b">No claims tagged</text>"##
        );
    }
    let mut x = 0.0;
    for (status, count) in summary.by_status.iter().filter(|(_, n)| *n > 0) {
        let width = WIDTH * fraction(*count, total);
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="0" width="{width:.1}" height="22" fill="{}"><title>{}: {count}</title></rect>"#,
            status_colour(*status),
            escape(status_label(*status))
        );
        if width >= 24.0 {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="15" font-size="12" font-weight="bold" text-anchor="middle" fill="#ffffff">{count}</text>"##,
                x + width / 2.0
            );
        }
        x += width;
    }
    // The legend names every status, counted, so the picture also reads as text.
    let mut lx = 0.0;
    for (status, count) in &summary.by_status {
        let label = format!("{} {count}", status_label(*status));
        let _ = write!(
            svg,
            r##"<rect x="{lx:.1}" y="36" width="10" height="10" rx="2" fill="{}"/><text x="{:.1}" y="45" font-size="11" fill="#1f1e1b">{}</text>"##,
            status_colour(*status),
            lx + 14.0,
            escape(&label)
        );
        lx += 14.0 + 6.2 * label.chars().count() as f64 + 14.0;
    }
    svg.push_str("</svg>");
    svg
}

/// A bar per attribution kind that occurs, longest first.
pub fn sourcing_mix(summary: &Summary) -> String {
    let mut kinds: Vec<(AttributedTo, usize)> = summary.attribution.iter().copied().filter(|(_, n)| *n > 0).collect();
    kinds.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let rows = kinds.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let height = 24.0 * rows as f64 + 4.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" aria-labelledby="sourcing-mix-title"><title id="sourcing-mix-title">Sourcing mix: claims by attribution</title>"#
    );
    if kinds.is_empty() {
        svg.push_str(r##"<text x="0" y="16" font-size="12" fill="#55524b">No claims tagged</text>"##);
    }
    let label_width = 130.0;
    let bar_room = WIDTH - label_width - 70.0;
    for (row, (kind, count)) in kinds.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = 24.0 * row as f64 + 2.0;
        let width = (bar_room * fraction(*count, summary.claims)).max(2.0);
        let share = super::percent(fraction(*count, summary.claims));
        let _ = write!(
            svg,
            r##"<text x="0" y="{:.1}" font-size="12" fill="#1f1e1b">{}</text><rect x="{label_width}" y="{y:.1}" width="{width:.1}" height="16" rx="2" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#1f1e1b">{count} · {}</text>"##,
            y + 12.5,
            escape(kind.label()),
            kind_colour(*kind),
            label_width + width + 6.0,
            y + 12.5,
            escape(&share)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A thin status bar for one row of the desk overview (no legend: the row says the counts).
pub fn mini_status_bar(summary: &Summary) -> String {
    let mut svg = String::from(
        r#"<svg class="mini" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 10" width="100%" height="10" preserveAspectRatio="none" aria-hidden="true">"#,
    );
    if summary.claims == 0 {
        svg.push_str(r##"<rect x="0" y="0" width="200" height="10" fill="#e8e5de"/>"##);
    }
    let mut x = 0.0;
    for (status, count) in summary.by_status.iter().filter(|(_, n)| *n > 0) {
        let width = 200.0 * fraction(*count, summary.claims);
        let _ =
            write!(svg, r#"<rect x="{x:.2}" y="0" width="{width:.2}" height="10" fill="{}"/>"#, status_colour(*status));
        x += width;
    }
    svg.push_str("</svg>");
    svg
}
