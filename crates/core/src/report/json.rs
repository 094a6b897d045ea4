//! The JSON report: the model as data, with `schema_version` and each
//! draft's summary. Its schema is docs/report-schema.json (described in
//! docs/report-schema.md); [`super::SCHEMA_VERSION`] says which.

use super::{visible, Profile, Report, ReportError, Summary, SCHEMA_VERSION};
use serde_json::{json, Map, Value};

/// `"CONFIDENTIAL"` on the report and on each draft of an internal report.
fn classification(profile: Profile) -> &'static str {
    match profile {
        Profile::Desk => "desk",
        Profile::Internal => "CONFIDENTIAL",
    }
}

/// A draft's summary as JSON: counts keyed by status and by attribution kind.
pub fn summary_json(summary: &Summary) -> Value {
    let by_status: Map<String, Value> =
        summary.by_status.iter().map(|(s, n)| (s.as_str().to_owned(), json!(n))).collect();
    let attribution: Map<String, Value> =
        summary.attribution.iter().map(|(k, n)| (k.as_str().to_owned(), json!(n))).collect();
    json!({
        "claims": summary.claims,
        "by_status": by_status,
        "attribution": attribution,
        "unnamed_share": summary.unnamed_share,
        "corroborated_claims": summary.corroborated_claims,
        "corroboration_coverage": summary.corroboration_coverage,
        "independently_corroborated": summary.independently_corroborated,
        "two_source_rule_holds": summary.two_source_rule_holds,
        "needs_attention": summary.needs_attention,
        "findings": summary.findings,
        "overridden": summary.overridden,
    })
}

/// The report as pretty-printed JSON (keys sorted, so outputs diff well).
pub fn render(report: &Report) -> Result<String, ReportError> {
    let report = visible(report);
    let mut value = serde_json::to_value(&*report).map_err(|e| ReportError::Encode(e.to_string()))?;
    let stamp = classification(report.profile);
    if let Some(object) = value.as_object_mut() {
        object.insert("schema_version".into(), json!(SCHEMA_VERSION));
        object.insert("classification".into(), json!(stamp));
    }
    if let Some(drafts) = value.get_mut("drafts").and_then(Value::as_array_mut) {
        for (json_draft, draft) in drafts.iter_mut().zip(&report.drafts) {
            if let Some(object) = json_draft.as_object_mut() {
                object.insert("summary".into(), summary_json(&Summary::of(draft)));
                object.insert("classification".into(), json!(stamp));
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&value).map_err(|e| ReportError::Encode(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
