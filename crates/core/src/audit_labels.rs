//! What the actions on the audit trail mean, in words: the trail stores
//! stable keys (`claim.attribution`, `draft.status`); whatever the core
//! shows people (the command line's `audit log`, a claim's history) names
//! them with [`label`], so no raw key reaches a reader.

use crate::audit::{AuditAction, AuditEntry};

/// "Attribution read from the wording" for `claim.attribution`. An action
/// this version does not know is put in words from its key
/// (`evidence.remove` → "Evidence: remove"), never shown raw.
pub fn label(action: &str) -> String {
    let known = match AuditAction::parse(action) {
        Some(AuditAction::ClaimAdd) => "Tagged as a claim",
        Some(AuditAction::ClaimStatus) => "Status changed",
        Some(AuditAction::ClaimAttribution) => "Attribution read from the wording",
        Some(AuditAction::ClaimLink) => "Source linked",
        Some(AuditAction::ClaimUnlink) => "Source removed from the claim",
        Some(AuditAction::ClaimOpinion) => "Opinion mark",
        Some(AuditAction::ClaimPersonalAttack) => "Attack-on-a-person mark",
        Some(AuditAction::ClaimPlace) => "Place in the text settled",
        Some(AuditAction::DeskSetting) => "Desk setting changed",
        Some(AuditAction::DraftStatus) => "Workflow status changed",
        Some(AuditAction::DraftChangedSinceReady) => "Text changed since ready",
        Some(AuditAction::EditorNoteSave) => "Editor's note saved",
        Some(AuditAction::EvidenceAdd) => "Evidence added",
        Some(AuditAction::NoteAdd) => "Note added",
        Some(AuditAction::NoteEdit) => "Note edited",
        Some(AuditAction::NotePrivate) => "Note privacy changed",
        Some(AuditAction::NoteReopen) => "Note thread reopened",
        Some(AuditAction::NoteResolve) => "Note thread resolved",
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
        _ => None,
    };
    match detail {
        Some(detail) => format!("{}: {detail}", label(&entry.action)),
        None => label(&entry.action),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
