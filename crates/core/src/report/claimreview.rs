//! schema.org ClaimReview (JSON-LD), for claims with a verdict.
//!
//! The rating scale is 1 to 5 (`worstRating` 1, `bestRating` 5):
//! corroborated is 5 ("Corroborated", true-ish), unverifiable 3
//! ("Unverifiable", unproven), disputed 1 ("Disputed", false-ish). Claims
//! still needing corroboration, and claims cleared without a check, have no
//! verdict and no ClaimReview. This format is for publication: it carries
//! no source, evidence or note, whatever the profile. `url` (where the
//! review is published) is left to the publisher, who knows it.

use super::{status_label, visible, Report, ReportError};
use crate::review::ClaimStatus;
use serde_json::json;

pub const BEST_RATING: u8 = 5;
pub const WORST_RATING: u8 = 1;

/// The rating a status gives, if it is a verdict.
pub fn rating(status: ClaimStatus) -> Option<u8> {
    match status {
        ClaimStatus::Corroborated => Some(5),
        ClaimStatus::Unverifiable => Some(3),
        ClaimStatus::Disputed => Some(1),
        ClaimStatus::NeedsCorroboration | ClaimStatus::Cleared => None,
    }
}

/// The claims with a verdict as a JSON-LD graph of ClaimReviews.
pub fn render(report: &Report) -> Result<String, ReportError> {
    let report = visible(report);
    let mut graph = Vec::new();
    for draft in &report.drafts {
        for claim in &draft.claims {
            let Some(value) = rating(claim.status) else { continue };
            // The verdict's date and author: the change that set the current status.
            let verdict = claim.history.iter().rev().find(|h| h.to == claim.status);
            let (author, at) = verdict
                .map_or((claim.created_by.as_str(), claim.created_at.as_str()), |h| (h.by.as_str(), h.at.as_str()));
            graph.push(json!({
                "@type": "ClaimReview",
                "@id": format!("urn:factdesk:claim:{}:review", claim.id),
                "claimReviewed": claim.quote,
                "datePublished": at.get(..10).unwrap_or(at),
                "author": {"@type": "Person", "name": author},
                "itemReviewed": {
                    "@type": "Claim",
                    // Named only: the draft's place on the reviewer's disk is nobody else's business.
                    "appearance": {"@type": "CreativeWork", "name": draft.title},
                },
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": value,
                    "bestRating": BEST_RATING,
                    "worstRating": WORST_RATING,
                    "alternateName": status_label(claim.status),
                },
            }));
        }
    }
    let document = json!({"@context": "https://schema.org", "@graph": graph});
    let mut text = serde_json::to_string_pretty(&document).map_err(|e| ReportError::Encode(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
