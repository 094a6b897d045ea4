//! The draft's editor's note: what tells readers how the story was sourced.
//!
//! One per draft. Until the reviewer saves their own, a paragraph of the
//! draft that opens with "Editor's Note:" (or a close spelling) is the
//! current note. [`Review::propose_editor_note`] drafts a text from the
//! review: unnamed sources and why they were granted anonymity, claims that
//! could not be independently verified. It proposes; the reviewer edits and
//! saves.

use super::corroboration::corroboration_of;
use super::evidence::{evidence_of_claim, EvidenceKind, Stance};
use super::source::{links_of_claim, read_confidential, SourceKind, SourceRole};
use super::{audit, existing_draft, required, SourcingError};
use crate::attribution::{attributions_of_draft, AttributedTo};
use crate::audit::{AuditAction, Entity};
use crate::conflict::{compare, write_or_refuse, Current, Guarded};
use crate::ingest::BlockKind;
use crate::review::{ClaimStatus, Review};
use crate::store::{lock, DraftId, SourceId, Store};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Where the current editor's note comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum EditorNoteOrigin {
    /// The reviewer saved it.
    Saved,
    /// Recognised in the draft's text.
    FromDraft,
    /// There is none.
    None,
}

/// A draft's current editor's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EditorNote {
    pub draft: DraftId,
    pub text: Option<String>,
    pub origin: EditorNoteOrigin,
    pub saved_by: Option<String>,
    pub saved_at: Option<String>,
    /// Counts the saves (0: none yet): a save carries it ([`Review::save_editor_note_expecting`]).
    pub version: i64,
}

/// How an editor's note opens, lower case, apostrophes straightened.
const OPENINGS: [&str; 7] = [
    "editor's note",
    "editors' note",
    "editors note",
    "editor note",
    "a note from the editor",
    "note from the editor",
    "note to readers",
];

/// The paragraph of `text` that is an editor's note, if any: one that opens
/// with "Editor's Note" (any case, straight or curly apostrophe, optional
/// Markdown emphasis) followed by a colon or a dash. The last one wins: a
/// note closes an article.
pub fn find_editor_note(text: &str, blocks: &[crate::ingest::Block]) -> Option<String> {
    let paragraphs: Vec<String> = if blocks.is_empty() {
        text.split("\n\n").map(str::to_owned).collect()
    } else {
        let chars: Vec<char> = text.chars().collect();
        blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::Quote))
            .filter_map(|b| chars.get(b.start as usize..b.end as usize).map(|s| s.iter().collect()))
            .collect()
    };
    paragraphs.into_iter().map(|p| p.trim().to_owned()).rfind(|p| is_editor_note(p))
}

fn is_editor_note(paragraph: &str) -> bool {
    let plain: String = paragraph
        .trim_start_matches(['*', '_', ' ', '>'])
        .chars()
        .take(40)
        .map(|c| if matches!(c, '\u{2019}' | '\u{2018}' | '`') { '\'' } else { c })
        .collect::<String>()
        .to_lowercase();
    OPENINGS.iter().any(|opening| {
        plain.strip_prefix(opening).is_some_and(|rest| {
            let rest = rest.trim_start_matches(['*', '_', ' ']);
            rest.starts_with([':', '\u{2014}', '\u{2013}', '-'])
        })
    })
}

pub(crate) fn editor_note_of(store: &Store, draft: DraftId) -> Result<EditorNote, SourcingError> {
    let record = existing_draft(store, draft)?;
    let saved = store.saved_editor_note(draft)?;
    if let Some(saved) = saved {
        return Ok(EditorNote {
            draft,
            text: Some(saved.text),
            origin: EditorNoteOrigin::Saved,
            saved_by: Some(saved.saved_by),
            saved_at: Some(saved.saved_at),
            version: saved.version,
        });
    }
    let version = match record.current_version {
        Some(version) => store.version(version)?,
        None => None,
    };
    let found = version.and_then(|v| find_editor_note(&v.text, &v.blocks));
    Ok(EditorNote {
        draft,
        origin: if found.is_some() { EditorNoteOrigin::FromDraft } else { EditorNoteOrigin::None },
        text: found,
        saved_by: None,
        saved_at: None,
        version: 0,
    })
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{} {}", number_word(count), if count == 1 { one } else { many })
}

fn number_word(count: usize) -> String {
    const WORDS: [&str; 10] = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    WORDS.get(count).map_or_else(|| count.to_string(), |w| (*w).to_owned())
}

/// What the review knows about a draft's unnamed sourcing, for the note.
#[derive(Debug, Default)]
struct UnnamedSourcing {
    /// Unnamed sources of the register linked to the draft's claims, by descriptor, in link order.
    sources: Vec<(SourceId, String)>,
    /// Statements attributed to people the draft does not name: the text's
    /// unnamed attributions, and claims attributed to unnamed sources by the reviewer.
    attributions: usize,
    /// Claims resting only on unnamed sources, and those of them the two-source rule holds for.
    resting: usize,
    corroborated: usize,
    /// What corroborates them: corroborating sources (by descriptor) and independent evidence kinds.
    corroborating_sources: Vec<String>,
    evidence: Vec<(EvidenceKind, usize)>,
}

fn unnamed_sourcing(store: &Store, draft: DraftId) -> Result<(UnnamedSourcing, usize), SourcingError> {
    let record = existing_draft(store, draft)?;
    let text = match record.current_version {
        Some(version) => store.version(version)?.map(|v| v.text).unwrap_or_default(),
        None => String::new(),
    };
    // The text's unnamed attributions, as the sourcing summary counts them.
    let unnamed_sentences: Vec<(usize, usize)> = crate::suggest::suggest(&text)
        .into_iter()
        .filter(|s| s.attribution.kind == crate::suggest::AttributionKind::Anonymous)
        .map(|s| (s.start, s.end))
        .collect();
    let attributions = attributions_of_draft(store, draft)?;
    let mut found = UnnamedSourcing { attributions: unnamed_sentences.len(), ..UnnamedSourcing::default() };
    let mut unverified = 0;
    for claim in store.claims_of_draft(draft)? {
        let links = links_of_claim(store, claim.id)?;
        for link in &links {
            if link.source.kind == SourceKind::Unnamed && !found.sources.iter().any(|(id, _)| *id == link.source.id) {
                found.sources.push((link.source.id, link.source.descriptor.clone()));
            }
        }
        // A claim attributed to unnamed sources on a sentence the engine did not read as such counts too.
        let unnamed = attributions.get(&claim.id).is_some_and(|a| a.kind == AttributedTo::Unnamed);
        let placed = match record.current_version {
            Some(version) => store.claim_anchor(claim.id, version)?.and_then(|a| a.start.zip(a.end)),
            None => None,
        };
        let counted = placed.is_some_and(|(start, end)| {
            unnamed_sentences.iter().any(|(s, e)| *s < (end as usize).max(start as usize + 1) && (start as usize) < *e)
        });
        if unnamed && !counted {
            found.attributions += 1;
        }
        let attribution = attributions.get(&claim.id).ok_or(SourcingError::ClaimNotFound(claim.id))?;
        let corroboration = corroboration_of(store, claim.id, attribution)?;
        let status: ClaimStatus = claim.status.parse()?;
        if status == ClaimStatus::Unverifiable
            || (corroboration.attributed_only_to_unnamed && corroboration.independent_corroborations == 0)
        {
            unverified += 1;
        }
        if !corroboration.attributed_only_to_unnamed {
            continue;
        }
        found.resting += 1;
        if corroboration.two_source_rule {
            found.corroborated += 1;
        }
        for link in links.iter().filter(|l| l.role == SourceRole::Corroborates) {
            let name = if link.source.kind == SourceKind::Unnamed {
                "another source who is not named".to_owned()
            } else {
                link.source.descriptor.clone()
            };
            if !found.corroborating_sources.contains(&name) {
                found.corroborating_sources.push(name);
            }
        }
        for item in evidence_of_claim(store, claim.id)? {
            if item.independent && item.stance == Stance::Supports {
                match found.evidence.iter_mut().find(|(kind, _)| *kind == item.kind) {
                    Some((_, count)) => *count += 1,
                    None => found.evidence.push((item.kind, 1)),
                }
            }
        }
    }
    Ok((found, unverified))
}

fn evidence_words(kind: EvidenceKind, count: usize) -> String {
    let (one, many) = match kind {
        EvidenceKind::Document => ("document", "documents"),
        EvidenceKind::Url => ("web page", "web pages"),
        EvidenceKind::Interview => ("interview", "interviews"),
        EvidenceKind::PublicRecord => ("public record", "public records"),
        EvidenceKind::PhotoVideo => ("photo or video", "photos or videos"),
        EvidenceKind::Dataset => ("dataset", "datasets"),
    };
    plural(count, one, many)
}

/// "a, b and c".
fn listed(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn propose(store: &Store, review: &Review, draft: DraftId) -> Result<String, SourcingError> {
    let (unnamed, unverified) = unnamed_sourcing(store, draft)?;
    let mut sentences = Vec::new();
    if !unnamed.sources.is_empty() || unnamed.attributions > 0 {
        let statements = plural(unnamed.attributions, "statement", "statements");
        let sources = plural(unnamed.sources.len(), "source", "sources");
        let descriptors: Vec<String> = unnamed.sources.iter().map(|(_, d)| format!("\u{201c}{d}\u{201d}")).collect();
        sentences.push(match (unnamed.sources.len(), unnamed.attributions) {
            (0, _) => format!(
                "This report relies on people who are not named: {statements} in it {} attributed to them.",
                if unnamed.attributions == 1 { "is" } else { "are" }
            ),
            (n, 0) => format!(
                "This report relies on {sources} who {} not named ({}).",
                if n == 1 { "is" } else { "are" },
                listed(&descriptors)
            ),
            (n, _) => format!(
                "This report relies on {sources} who {} not named ({}); {statements} in it {} attributed to people who are not named.",
                if n == 1 { "is" } else { "are" },
                listed(&descriptors),
                if unnamed.attributions == 1 { "is" } else { "are" }
            ),
        });
        let mut reasons: Vec<String> = Vec::new();
        let mut editors_know_all = !unnamed.sources.is_empty();
        for (source, _) in &unnamed.sources {
            let fields = read_confidential(store, review, *source)?;
            editors_know_all &= fields.editor_knows.is_some();
            if let Some(reason) = fields.anonymity_reason {
                let reason = reason.trim_end_matches('.').to_owned();
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }
        // The reasons are the reviewer's words, quoted as given rather than
        // forced into a sentence they may not fit; never an identity.
        match reasons.len() {
            0 => {}
            1 => sentences.push(format!("Reason for anonymity: {}.", reasons[0])),
            _ => sentences.push(format!("Reasons for anonymity: {}.", reasons.join("; "))),
        }
        if editors_know_all {
            sentences.push(format!(
                "The editors know {}.",
                if unnamed.sources.len() == 1 { "the source's identity" } else { "the identity of each source" }
            ));
        }
        if unnamed.resting > 0 {
            let mut by: Vec<String> = unnamed.evidence.iter().map(|(kind, n)| evidence_words(*kind, *n)).collect();
            by.extend(unnamed.corroborating_sources.iter().cloned());
            let what = if by.is_empty() { String::new() } else { format!(", by {}", listed(&by)) };
            let (c, n) = (unnamed.corroborated, unnamed.resting);
            let claims = if n == 1 { "the claim".to_owned() } else { format!("the {} claims", number_word(n)) };
            sentences.push(if c == n {
                format!(
                    "{} resting only on unnamed sources {} corroborated independently{what}.",
                    capitalise(&if n == 1 { claims } else { format!("all {}", claims.trim_start_matches("the ")) }),
                    if n == 1 { "was" } else { "were" }
                )
            } else if by.is_empty() {
                // Nothing corroborates them: the sentence on unverified claims below says it.
                String::new()
            } else {
                format!(
                    "{} of {claims} resting only on unnamed sources {} corroborated by two independent sources; what corroborates them so far: {}.",
                    if c == 0 { "None".to_owned() } else { capitalise(&number_word(c)) },
                    if c == 1 || c == 0 { "was" } else { "were" },
                    listed(&by)
                )
            });
        }
    }
    sentences.retain(|s| !s.is_empty());
    if unverified > 0 {
        sentences.push(format!(
            "{} in this report could not be independently verified.",
            capitalise(&plural(unverified, "claim", "claims"))
        ));
    }
    if sentences.is_empty() {
        sentences.push("The claims in this report are attributed to named sources or documents.".to_owned());
    }
    Ok(format!("Editor's Note: {}", sentences.join(" ")))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl Review {
    /// The draft's current editor's note: the one the reviewer saved, else
    /// the one recognised in the draft's text.
    pub fn editor_note(&self, draft: DraftId) -> Result<EditorNote, SourcingError> {
        editor_note_of(&lock(self.store()), draft)
    }

    /// Saves the reviewer's editor's note for a draft, replacing whatever
    /// one it has when the change lands (see [`crate::conflict`]).
    pub fn save_editor_note(&self, draft: DraftId, text: &str) -> Result<EditorNote, SourcingError> {
        self.change_editor_note(draft, text, None)
    }

    /// Saves the editor's note if it is still at `seen`, the version the
    /// person saw ([`EditorNote::version`], 0 when none was saved); else
    /// refuses with [`SourcingError::Conflict`]: the note now and who saved it.
    pub fn save_editor_note_expecting(
        &self,
        draft: DraftId,
        text: &str,
        seen: i64,
    ) -> Result<EditorNote, SourcingError> {
        self.change_editor_note(draft, text, Some(seen))
    }

    fn change_editor_note(&self, draft: DraftId, text: &str, seen: Option<i64>) -> Result<EditorNote, SourcingError> {
        let text = required(text, "editor's note")?;
        let store = lock(self.store());
        let now = self.now();
        write_or_refuse(&store, |store| {
            // The role is read in the transaction that writes (see `Review::write_as`).
            self.require_on_draft(store, draft, crate::rights::Action::ChangeDesk)?;
            // Read under the write lock: what this save replaces, and whether it is what the person saw.
            let before = editor_note_of(store, draft)?;
            let current = Current {
                version: before.version,
                value: before.saved_by.as_ref().and(before.text.clone()).unwrap_or_default(),
                by: before.saved_by.clone().unwrap_or_default(),
                at: before.saved_at.clone().unwrap_or_default(),
            };
            let what = Guarded::EditorNote(draft);
            if let Some(conflict) = compare(store, self.reviewer(), now, what, seen, current, &text)? {
                return Ok(Err(conflict));
            }
            store.save_editor_note(draft, &text, self.reviewer(), now)?;
            audit(
                store,
                self,
                now,
                AuditAction::EditorNoteSave,
                Entity::Draft(draft),
                before.text.as_ref().map(|t| json!({ "text": t, "origin": before.origin })),
                Some(json!({ "text": text })),
            )?;
            editor_note_of(store, draft).map(Ok)
        })
    }

    /// Drafts an editor's note from the review; nothing is saved.
    pub fn propose_editor_note(&self, draft: DraftId) -> Result<String, SourcingError> {
        propose(&lock(self.store()), self, draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_usual_spellings() {
        for text in [
            "Editor’s Note: Sources for this report have not been named.",
            "EDITOR'S NOTE — This story was updated.",
            "**Editor's note:** corrected a date.",
            "Editors' Note: a fix.",
        ] {
            assert!(is_editor_note(text), "{text}");
        }
        for text in ["The editor's note said nothing.", "Editor's notebook: entries", "Editor"] {
            assert!(!is_editor_note(text), "{text}");
        }
    }

    #[test]
    fn finds_the_last_note_paragraph_without_blocks() {
        let text = "Title\n\nBody.\n\nEditor's Note: first.\n\nMore.\n\nEditor’s note: the last one.";
        assert_eq!(find_editor_note(text, &[]).as_deref(), Some("Editor’s note: the last one."));
        assert_eq!(find_editor_note("No note here.", &[]), None);
    }
}
