//! W3C Web Annotation (JSON-LD): one annotation per claim, gathered in an
//! `AnnotationCollection` with one `AnnotationPage`, as the Web Annotation
//! Data Model groups annotations.
//!
//! Each annotation has the model's required `@context` (on the collection,
//! and on each annotation so it stands alone), an `id`, `type` `Annotation`
//! and a `target`: the draft file as `source`, a `TextQuoteSelector` and,
//! when the claim is placed, a `TextPositionSelector` (code points in the
//! draft's text as Factdesk reads it), and a `TimeState` naming when that
//! version was read. Bodies: the status (`assessing`), the attribution
//! (`describing`) and each note (`commenting`). Ids are `urn:factdesk:…`
//! names, stable for a claim.

use super::{visible, Profile, Report, ReportError};
use serde_json::json;

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// A `file://` IRI for a draft, its path percent-encoded.
pub fn file_iri(desk: &str, file: &str) -> String {
    let path = format!("{}/{}", desk.trim_end_matches('/'), file);
    let mut iri = String::from("file://");
    if !path.starts_with('/') {
        iri.push('/');
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => iri.push(char::from(byte)),
            _ => iri.push_str(&format!("%{byte:02X}")),
        }
    }
    iri
}

/// The report's claims as a Web Annotation collection.
pub fn render(report: &Report) -> Result<String, ReportError> {
    let report = visible(report);
    let internal = report.profile == Profile::Internal;
    let mut items = Vec::new();
    for draft in &report.drafts {
        let source = file_iri(&report.desk, &draft.file);
        for claim in &draft.claims {
            let mut selectors = vec![json!({
                "type": "TextQuoteSelector",
                "exact": claim.quote,
                "prefix": claim.prefix,
                "suffix": claim.suffix,
            })];
            if let (Some(start), Some(end)) = (claim.start, claim.end) {
                selectors.push(json!({"type": "TextPositionSelector", "start": start, "end": end}));
            }
            let mut target = json!({"source": source, "selector": selectors});
            if let Some(version) = &draft.version {
                target["state"] = json!({"type": "TimeState", "sourceDate": version.first_seen_at});
            }
            let mut bodies = vec![
                json!({"type": "TextualBody", "purpose": "assessing", "value": claim.status.as_str(), "format": "text/plain"}),
                json!({"type": "TextualBody", "purpose": "describing", "format": "text/plain",
                       "value": format!("attribution: {}", claim.attribution.kind.as_str())}),
            ];
            for note in &claim.notes {
                bodies.push(json!({
                    "type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": note.text,
                    "creator": {"type": "Person", "name": note.author}, "created": note.at,
                }));
            }
            if internal {
                bodies.push(json!({"type": "TextualBody", "purpose": "classifying", "value": "CONFIDENTIAL"}));
            }
            let modified = claim.history.last().map_or(claim.created_at.as_str(), |h| h.at.as_str());
            items.push(json!({
                "@context": CONTEXT,
                "id": format!("urn:factdesk:claim:{}", claim.id),
                "type": "Annotation",
                "motivation": "assessing",
                "creator": {"type": "Person", "name": claim.created_by},
                "created": claim.created_at,
                "modified": modified,
                "body": bodies,
                "target": target,
            }));
        }
    }
    let label = match report.drafts.as_slice() {
        [draft] => format!("Factdesk claims: {}", draft.title),
        _ => format!("Factdesk claims: desk {}", report.desk),
    };
    let collection = json!({
        "@context": CONTEXT,
        "id": format!("urn:factdesk:report:{}", report.generated_at),
        "type": "AnnotationCollection",
        "label": if internal { format!("CONFIDENTIAL: {label}") } else { label },
        "total": items.len(),
        "generator": {"type": "Software", "name": report.generator},
        "generated": report.generated_at,
        "first": {
            "id": format!("urn:factdesk:report:{}:page:0", report.generated_at),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
    let mut text = serde_json::to_string_pretty(&collection).map_err(|e| ReportError::Encode(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
