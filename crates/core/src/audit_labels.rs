//! What the actions on the audit trail mean, in words: the trail stores
//! stable keys (`claim.attribution`, `draft.status`); whatever the core
//! shows people names them from the one [`AuditAction`] enum: the command
//! line's `audit log` with [`describe`], a claim's history in the window as
//! sentences with [`claim_change`] ("Marked as an attack on a person by Ana"),
//! so no raw key reaches a reader and the UI parses none.

use crate::audit::{AuditAction, AuditEntry};
use crate::review::{ClaimStatus, Review, ReviewError};
use crate::store::{ClaimId, SourceId};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// "Attribution read from the wording" for `claim.attribution`. An action
/// this version does not know is put in words from its key
/// (`evidence.remove` → "Evidence: remove"), never shown raw.
pub fn label(action: &str) -> String {
    let known = match AuditAction::parse(action) {
        Some(AuditAction::Assign) => "Assigned",
        Some(AuditAction::Unassign) => "Assignment ended",
        Some(AuditAction::ClaimAdd) => "Tagged as a claim",
        Some(AuditAction::ClaimStatus) => "Status changed",
        Some(AuditAction::ChangeRefused) => "Change refused: changed by someone else since it was seen",
        Some(AuditAction::ClaimAttribution) => "Attribution read from the wording",
        Some(AuditAction::ClaimLink) => "Source linked",
        Some(AuditAction::ClaimUnlink) => "Source removed from the claim",
        Some(AuditAction::ClaimOpinion) => "Opinion mark",
        Some(AuditAction::ClaimPersonalAttack) => "Attack-on-a-person mark",
        Some(AuditAction::ClaimPlace) => "Place in the text settled",
        Some(AuditAction::DeskSetting) => "Desk setting changed",
        Some(AuditAction::DraftStatus) => "Workflow status changed",
        Some(AuditAction::DraftMove) => "Draft moved with its review",
        Some(AuditAction::DraftChangedSinceReady) => "Text changed since ready",
        Some(AuditAction::EditorNoteSave) => "Editor's note saved",
        Some(AuditAction::EvidenceAdd) => "Evidence added",
        Some(AuditAction::NoteAdd) => "Note added",
        Some(AuditAction::NoteEdit) => "Note edited",
        Some(AuditAction::NotePrivate) => "Note privacy changed",
        Some(AuditAction::NoteReopen) => "Note thread reopened",
        Some(AuditAction::NoteResolve) => "Note thread resolved",
        Some(AuditAction::PersonAdd) => "Person added to the desk, or their role changed",
        Some(AuditAction::PersonRemove) => "Person taken off the desk",
        Some(AuditAction::SourceAdd) => "Source added to the register",
        Some(AuditAction::SourceConfidential) => "Confidential fields recorded",
        Some(AuditAction::SourceReveal) => "Confidential fields revealed",
        Some(AuditAction::SourceUpdate) => "Source edited",
        Some(AuditAction::SourceRemove) => "Source removed from the register",
        Some(AuditAction::SourceRestore) => "Source restored to the register",
        Some(AuditAction::SuggestionDismiss) => "Suggestion dismissed",
        Some(AuditAction::VaultInit) => "Vault set up",
        Some(AuditAction::VaultUnlock) => "Vault unlocked",
        Some(AuditAction::VaultPasswd) => "Vault passphrase changed",
        Some(AuditAction::VaultRotate) => "Vault key replaced",
        Some(AuditAction::VaultRemember) => "Vault remembered on this computer",
        Some(AuditAction::VaultForget) => "Vault forgotten on this computer",
        Some(AuditAction::VaultGrant) => "Vault key wrapped for a person",
        Some(AuditAction::VaultRevoke) => "Vault key taken back from a person",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let (noun, verb) = action.split_once('.').unwrap_or((action, ""));
    let mut words = noun.replace('-', " ");
    if let Some(first) = words.get(..1) {
        words = format!("{}{}", first.to_uppercase(), &words[1..]);
    }
    if verb.is_empty() {
        words
    } else {
        format!("{words}: {}", verb.replace(['-', '.'], " "))
    }
}

/// One line for an entry: its label and, where the entry says it, what it
/// changed to (a status, an attribution, the reason a draft went back).
pub fn describe(entry: &AuditEntry) -> String {
    let after: serde_json::Value =
        entry.after.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or(serde_json::Value::Null);
    let before: serde_json::Value =
        entry.before.as_deref().and_then(|b| serde_json::from_str(b).ok()).unwrap_or(serde_json::Value::Null);
    let text = |value: &serde_json::Value, key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let detail = match AuditAction::parse(&entry.action) {
        Some(AuditAction::ClaimStatus | AuditAction::DraftStatus | AuditAction::DraftChangedSinceReady) => {
            let moved = match (text(&before, "status"), text(&after, "status")) {
                (Some(from), Some(to)) if from != to => Some(format!("{from} \u{2192} {to}")),
                (None, Some(to)) => Some(to),
                _ => None,
            };
            match (moved, text(&after, "reason")) {
                (Some(moved), Some(reason)) => Some(format!("{moved} ({reason})")),
                (moved, reason) => moved.or(reason),
            }
        }
        Some(AuditAction::ClaimAttribution) => text(&after, "attribution").map(|kind| match text(&after, "cue") {
            Some(cue) => format!("{kind}, \u{201c}{cue}\u{201d}"),
            None => kind,
        }),
        Some(AuditAction::DraftMove) => match (text(&before, "path"), text(&after, "path")) {
            (Some(from), Some(to)) => Some(format!("{from} \u{2192} {to}")),
            _ => None,
        },
        _ => None,
    };
    match detail {
        Some(detail) => format!("{}: {detail}", label(&entry.action)),
        None => label(&entry.action),
    }
}

/// One line of a claim's history: the entry's place in the trail, who and when, and what happened as a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimChange {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    /// The stored key (`claim.link`), for tests and styling; never shown.
    pub action: String,
    /// "Linked a senior Western diplomat (attributed) by Ana".
    pub sentence: String,
}

impl ClaimChange {
    /// `source_name` names a source by id (its descriptor, which is never confidential).
    pub fn of(entry: &AuditEntry, source_name: &dyn Fn(i64) -> String) -> Self {
        Self {
            seq: entry.seq,
            at: entry.at.clone(),
            actor: entry.actor.clone(),
            action: entry.action.clone(),
            sentence: claim_change(entry, source_name),
        }
    }
}

/// A claim's history as sentences, sources named by their descriptors. (Here rather than on `Review`, which
/// the sentences' words depend on: the review does not need to know how its trail reads.)
/// Only for whom may see the claim: its history quotes it, its notes and its sources.
pub fn claim_changes(review: &Review, claim: ClaimId) -> Result<Vec<ClaimChange>, ReviewError> {
    let store = crate::store::lock(review.store());
    // A claim the login may not see is not there for it on a team store (row-level security): not found.
    let draft = store.claim(claim)?.ok_or(ReviewError::ClaimNotFound(claim))?.draft_id;
    review.require_on_draft(&store, draft, crate::rights::Action::ReadClaims)?;
    let entries = crate::audit::claim_history(&store, claim)?;
    let name = |id: i64| match store.source(SourceId(id)) {
        Ok(Some(source)) => source.descriptor,
        _ => format!("source {id}"),
    };
    Ok(entries.iter().map(|entry| ClaimChange::of(entry, &name)).collect())
}

/// A claim's history entry as a sentence, with who did it: "Marked as an attack on a person by Ana".
pub fn claim_change(entry: &AuditEntry, source_name: &dyn Fn(i64) -> String) -> String {
    format!("{} by {}", claim_change_without_actor(entry, source_name), entry.actor)
}

/// What happened to the claim, without who: "Status: Needs corroboration → Corroborated".
pub fn claim_change_without_actor(entry: &AuditEntry, source_name: &dyn Fn(i64) -> String) -> String {
    let json = |side: Option<&str>| side.and_then(|s| serde_json::from_str::<Value>(s).ok()).unwrap_or(Value::Null);
    let before = json(entry.before.as_deref());
    let after = json(entry.after.as_deref());
    let text = |side: &Value, key: &str| side.get(key).and_then(Value::as_str).map(str::to_owned);
    let source_of =
        |side: &Value| side.get("source").and_then(Value::as_i64).map_or_else(|| "a source".into(), source_name);
    let status = |side: &Value| {
        let key = text(side, "status").unwrap_or_default();
        key.parse::<ClaimStatus>().map_or(key, |status| crate::report::status_label(status).to_owned())
    };
    let role = |side: &Value| text(side, "role").unwrap_or_default().to_lowercase();
    // A source's removal or restore is in a claim's history when its link went or came back with it; the entry
    // names the source as it was (a removed source is no longer in the register).
    let removed_source = |side: &Value| match text(side, "descriptor").filter(|d| !d.is_empty()) {
        Some(descriptor) => descriptor,
        None => entry
            .entity
            .strip_prefix("source:")
            .and_then(|id| id.parse::<i64>().ok())
            .map_or_else(|| "a source".into(), source_name),
    };
    let flag = |key: &str| after.get(key).and_then(Value::as_bool).unwrap_or(false);
    match AuditAction::parse(&entry.action) {
        Some(AuditAction::SourceRemove) => format!("Link to {} removed with the source", removed_source(&before)),
        Some(AuditAction::SourceRestore) => format!("Link to {} restored with the source", removed_source(&after)),
        Some(AuditAction::ClaimAdd) => "Tagged as a claim".into(),
        Some(AuditAction::Assign) => {
            let to = text(&after, "to").unwrap_or_else(|| "someone".into());
            match text(&after, "due") {
                Some(due) => format!("Assigned to {to}, due {due}"),
                None => format!("Assigned to {to}"),
            }
        }
        Some(AuditAction::Unassign) => {
            format!("No longer assigned to {}", text(&before, "to").unwrap_or_else(|| "anyone".into()))
        }
        Some(AuditAction::ClaimStatus) => format!("Status: {} \u{2192} {}", status(&before), status(&after)),
        Some(AuditAction::ChangeRefused) if after.get("status").is_some() => format!(
            "Status {} refused: {} had set it to {} since it was seen",
            status(&after),
            text(&before, "changed-by").unwrap_or_default(),
            status(&before)
        ),
        Some(AuditAction::ClaimLink) if before.get("role").is_some() => {
            format!("{}: {} \u{2192} {}", source_of(&after), role(&before), role(&after))
        }
        Some(AuditAction::ClaimLink) => format!("Linked {} ({})", source_of(&after), role(&after)),
        // A link a source's removal took, or its restore brought back, says so (`with`: the source).
        Some(AuditAction::ClaimUnlink) if before.get("with").is_some() => {
            format!("Link to {} removed with the source", source_of(&before))
        }
        Some(AuditAction::ClaimUnlink) => format!("Removed {}", source_of(&before)),
        Some(AuditAction::ClaimOpinion) if flag("opinion") => "Marked as opinion".into(),
        Some(AuditAction::ClaimOpinion) => "No longer marked as opinion".into(),
        Some(AuditAction::ClaimPersonalAttack) if flag("personal-attack") => "Marked as an attack on a person".into(),
        Some(AuditAction::ClaimPersonalAttack) => "No longer marked as an attack on a person".into(),
        Some(AuditAction::ClaimAttribution) => {
            let kind = match text(&after, "attribution").as_deref() {
                Some("anonymous") => "unnamed source".to_owned(),
                Some("named") => "named source".to_owned(),
                Some("document") => "document".to_owned(),
                Some("none") => "no attribution".to_owned(),
                Some(other) => other.to_owned(),
                None => "unknown".to_owned(),
            };
            let cue = text(&after, "cue").filter(|c| !c.is_empty()).map(|c| format!(" (\u{201c}{c}\u{201d})"));
            let from = if text(&after, "from").as_deref() == Some("suggestion") { ", from the suggestion" } else { "" };
            format!("Attribution: {kind}{}{from}", cue.unwrap_or_default())
        }
        Some(AuditAction::ClaimPlace) => "Place in the text settled".into(),
        Some(AuditAction::ClaimMove) => "Moved to new text".into(),
        Some(AuditAction::ClaimRemove) => "Removed".into(),
        Some(AuditAction::ClaimRestore) => "Restored".into(),
        Some(AuditAction::ClaimLinkRestore) if after.get("with").is_some() => {
            format!("Link to {} restored with the source", source_of(&after))
        }
        Some(AuditAction::ClaimLinkRestore) => format!("Link to {} restored", source_of(&after)),
        Some(AuditAction::EvidenceAdd) => "Evidence added".into(),
        Some(AuditAction::EvidenceRemove) => "Evidence removed".into(),
        Some(AuditAction::EvidenceRestore) => "Evidence restored".into(),
        _ => label(&entry.action),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, before: Option<&str>, after: Option<&str>) -> AuditEntry {
        AuditEntry {
            seq: 1,
            at: "2026-11-30T20:46:56Z".into(),
            actor: "Ana".into(),
            action: action.into(),
            entity: "claim:7".into(),
            before: before.map(str::to_owned),
            after: after.map(str::to_owned),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn name(id: i64) -> String {
        if id == 4 {
            "a senior Western diplomat".into()
        } else {
            format!("source {id}")
        }
    }

    fn line(action: &str, before: Option<&str>, after: Option<&str>) -> String {
        claim_change_without_actor(&entry(action, before, after), &name)
    }

    // Moved from the UI (ui/src/lib/sourcing/sourcing.test.ts), which no longer reads action names.
    #[test]
    fn a_claims_history_reads_each_audit_entry_as_a_sentence() {
        assert_eq!(line("claim.add", None, Some(r#"{"status":"needs-corroboration"}"#)), "Tagged as a claim");
        assert_eq!(
            line("claim.status", Some(r#"{"status":"needs-corroboration"}"#), Some(r#"{"status":"corroborated"}"#)),
            "Status: Needs corroboration \u{2192} Corroborated"
        );
        assert_eq!(
            line("claim.link", None, Some(r#"{"source":4,"role":"attributed"}"#)),
            "Linked a senior Western diplomat (attributed)"
        );
        assert_eq!(
            line(
                "claim.link",
                Some(r#"{"source":4,"role":"attributed"}"#),
                Some(r#"{"source":4,"role":"contradicts"}"#)
            ),
            "a senior Western diplomat: attributed \u{2192} contradicts"
        );
        assert_eq!(line("claim.unlink", Some(r#"{"source":9,"role":"corroborates"}"#), None), "Removed source 9");
        assert_eq!(
            line("claim.opinion", Some(r#"{"opinion":false}"#), Some(r#"{"opinion":true}"#)),
            "Marked as opinion"
        );
        assert_eq!(line("claim.other-thing", Some("not json"), None), "Claim: other thing");
        let attack =
            entry("claim.personal-attack", Some(r#"{"personal-attack":false}"#), Some(r#"{"personal-attack":true}"#));
        assert_eq!(claim_change(&attack, &name), "Marked as an attack on a person by Ana");
        assert_eq!(
            line("claim.personal-attack", Some(r#"{"personal-attack":true}"#), Some(r#"{"personal-attack":false}"#)),
            "No longer marked as an attack on a person"
        );
        assert_eq!(
            line(
                "claim.attribution",
                None,
                Some(r#"{"attribution":"anonymous","cue":"Sources in","from":"suggestion"}"#)
            ),
            "Attribution: unnamed source (\u{201c}Sources in\u{201d}), from the suggestion"
        );
        assert_eq!(
            line("assignment.assign", Some(r#"{"to":"ana","due":null}"#), Some(r#"{"to":"ben","due":"2026-12-24"}"#)),
            "Assigned to ben, due 2026-12-24"
        );
        assert_eq!(line("assignment.assign", None, Some(r#"{"to":"ben","due":null}"#)), "Assigned to ben");
        assert_eq!(line("assignment.unassign", Some(r#"{"to":"ben","due":null}"#), None), "No longer assigned to ben");
    }

    #[test]
    fn a_claims_link_goes_and_comes_back_with_a_removed_source() {
        let links = r#""links":[{"claim":7,"role":"attributed"}]"#;
        let with_source = |action: &str, before: Option<String>, after: Option<String>| {
            let mut change = entry(action, before.as_deref(), after.as_deref());
            change.entity = "source:4".into();
            claim_change_without_actor(&change, &name)
        };
        let described = format!(r#"{{"descriptor":"a plant manager","kind":"unnamed",{links}}}"#);
        assert_eq!(
            with_source("source.remove", Some(described.clone()), None),
            "Link to a plant manager removed with the source"
        );
        assert_eq!(
            with_source("source.restore", None, Some(described)),
            "Link to a plant manager restored with the source"
        );
        // Without a descriptor, by the source named in the entry.
        assert_eq!(
            with_source("source.remove", Some(format!("{{{links}}}")), None),
            "Link to a senior Western diplomat removed with the source"
        );
    }

    #[test]
    fn a_link_a_source_took_or_brought_back_says_so_in_its_claims_own_entry() {
        let link = Some(r#"{"source":4,"role":"attributed","with":"source:4"}"#);
        assert_eq!(line("claim.unlink", link, None), "Link to a senior Western diplomat removed with the source");
        assert_eq!(
            line("claim.link-restore", None, link),
            "Link to a senior Western diplomat restored with the source"
        );
        let alone = Some(r#"{"source":4,"role":"attributed"}"#);
        assert_eq!(line("claim.unlink", alone, None), "Removed a senior Western diplomat");
        assert_eq!(line("claim.link-restore", None, alone), "Link to a senior Western diplomat restored");
    }

    #[test]
    fn no_claim_change_shows_a_raw_key() {
        for action in AuditAction::ALL {
            let sentence = line(action.key(), None, Some("{}"));
            assert!(!sentence.contains(action.key()), "{action}: {sentence}");
            assert!(!sentence.is_empty(), "{action}");
        }
    }

    #[test]
    fn a_draft_move_names_both_places() {
        let entry = AuditEntry {
            seq: 1,
            at: "2026-12-01T20:00:00Z".into(),
            actor: "ed".into(),
            action: "draft.move".into(),
            entity: "draft:3".into(),
            before: Some(r#"{"path":"bo/story.md"}"#.into()),
            after: Some(r#"{"path":"shared/story.md"}"#.into()),
            prev_hash: String::new(),
            hash: String::new(),
        };
        assert_eq!(describe(&entry), "Draft moved with its review: bo/story.md \u{2192} shared/story.md");
    }

    #[test]
    fn every_action_reads_as_words() {
        assert_eq!(label("claim.attribution"), "Attribution read from the wording");
        assert_eq!(label("evidence.remove"), "Evidence: remove");
        assert_eq!(label("claim-set"), "Claim set");
        let entry = AuditEntry {
            seq: 1,
            at: "2026-11-30T20:46:56Z".into(),
            actor: "Ana".into(),
            action: "claim.attribution".into(),
            entity: "claim:1".into(),
            before: None,
            after: Some(r#"{"attribution":"anonymous","cue":"Sources in","from":"suggestion"}"#.into()),
            prev_hash: String::new(),
            hash: String::new(),
        };
        assert_eq!(describe(&entry), "Attribution read from the wording: anonymous, \u{201c}Sources in\u{201d}");
        let status = AuditEntry {
            action: "draft.status".into(),
            before: Some(r#"{"status":"ready"}"#.into()),
            after: Some(r#"{"status":"needs-work","reason":"claim 2 is gone"}"#.into()),
            ..entry
        };
        assert_eq!(describe(&status), "Workflow status changed: ready \u{2192} needs-work (claim 2 is gone)");
    }
}
