//! Review reports: what a draft's review says, for the writer, the masthead
//! or the archive, in seven formats.
//!
//! A report is a plain data model ([`Report`]) filled from the store by
//! [`gather`]; each format is a pure function of the model and
//! [`WriteOptions`] ([`render`]), so every writer can be tested on a model
//! built by hand. The model names things as the core does: attribution and
//! source kinds are [`AttributedTo`], roles [`SourceRole`], statuses
//! [`ClaimStatus`]. The formats people read (HTML, and the PDF printed from
//! it, Markdown, CSV) walk one [`outline`]: a draft's sections in order, each
//! with its rows worked out once.
//!
//! Redaction happens twice, on purpose. Under the default [`Profile::Desk`]
//! the model is built without any confidential source field or private note
//! ([`redact`]), and every writer redacts again what it is handed unless
//! the report says [`Profile::Internal`], so a model built by other code
//! cannot leak either. Under `Internal` every page or section is stamped
//! CONFIDENTIAL.
//!
//! ```no_run
//! use factdesk_core::report::{self, Format, GatherOptions, Scope, WriteOptions};
//! # fn demo(store: factdesk_core::store::SharedStore, draft: factdesk_core::store::DraftId)
//! #     -> Result<(), factdesk_core::report::ReportError> {
//! let clock = std::sync::Arc::new(factdesk_core::clock::SystemClock);
//! let model = report::gather(&store, clock, Scope::Draft(draft), &GatherOptions::default())?;
//! let markdown = report::render(&model, Format::Markdown, &WriteOptions::default())?;
//! # Ok(()) }
//! ```
//!
//! [`gather`] fills every part of the model from the store: claims with their
//! places, statuses and history, the desk's sources (confidential fields only
//! in an internal report, read through the unlocked vault), evidence, notes,
//! rule findings and overrides, the editor's note and the draft's workflow
//! status.

pub mod annotation;
pub mod chart;
pub mod claimreview;
pub mod csv;
pub mod destination;
pub mod html;
pub mod json;
pub mod markdown;
pub mod outline;
pub mod pdf;

use crate::anchor::AnchorState;
use crate::clock::{to_rfc3339, Clock};
use crate::review::{ClaimStatus, Review, ReviewError};
use crate::store::{
    lock, ClaimId, DeskId, DraftId, EvidenceId, NoteId, OverrideId, SharedStore, SourceId, StoreError, VersionId,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// The version of the JSON report's schema (docs/report-schema.json).
/// Minor bumps add fields; a major bump removes or changes one.
pub const SCHEMA_VERSION: &str = "1.2";

/// What the report tool says it is, in every format.
pub const GENERATOR: &str = concat!("Factdesk ", env!("CARGO_PKG_VERSION"));

/// Errors from building or writing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("no draft {0} in the store")]
    DraftNotFound(DraftId),
    #[error("no desk {0} in the store")]
    DeskNotFound(DeskId),
    #[error("unknown report format {0:?}: use md, html, pdf, json, csv, annotation or claimreview")]
    UnknownFormat(String),
    #[error("unknown redaction profile {0:?}: use desk or internal")]
    UnknownProfile(String),
    #[error(
        "PDF reports need WeasyPrint, which was not found ({engine}); install it with `apt-get install weasyprint` \
         (scripts/setup-system.sh does) or choose another format"
    )]
    PdfEngineMissing { engine: String },
    #[error("WeasyPrint could not make the PDF: {0}")]
    PdfEngine(String),
    #[error("cannot encode the report: {0}")]
    Encode(String),
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error(transparent)]
    Sourcing(#[from] crate::sourcing::SourcingError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who a report may be shown to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(rename = "ExportProfile"))]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// For the desk and beyond: never a confidential source field, never a private note.
    #[default]
    Desk,
    /// For the editors who may know: everything, every page stamped CONFIDENTIAL.
    Internal,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Desk => "desk",
            Self::Internal => "internal",
        }
    }
}

impl std::str::FromStr for Profile {
    type Err = ReportError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "desk" => Ok(Self::Desk),
            "internal" => Ok(Self::Internal),
            _ => Err(ReportError::UnknownProfile(name.to_owned())),
        }
    }
}

/// The formats a report is written in (on the wire, as the window's export dialog names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(rename = "ExportFormat"))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Markdown,
    Html,
    Pdf,
    Json,
    Csv,
    /// W3C Web Annotation JSON-LD, one annotation per claim.
    Annotation,
    /// schema.org ClaimReview JSON-LD, one per claim with a verdict.
    ClaimReview,
}

impl Format {
    pub const ALL: [Self; 7] =
        [Self::Markdown, Self::Html, Self::Pdf, Self::Json, Self::Csv, Self::Annotation, Self::ClaimReview];

    /// The name the command line takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Annotation => "annotation",
            Self::ClaimReview => "claimreview",
        }
    }

    /// Whether the output is text (fit for a terminal).
    pub fn is_text(self) -> bool {
        self != Self::Pdf
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Annotation | Self::ClaimReview => "jsonld",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = ReportError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "markdown" => Ok(Self::Markdown),
            _ => Self::ALL
                .into_iter()
                .find(|f| f.as_str() == name)
                .ok_or_else(|| ReportError::UnknownFormat(name.into())),
        }
    }
}

// ---- the model ----------------------------------------------------------

/// A review report: one draft, or every draft of a desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// When the report was made (UTC RFC 3339).
    pub generated_at: String,
    pub generator: String,
    pub profile: Profile,
    pub scope: ReportScope,
    /// The desk's folder.
    pub desk: String,
    pub drafts: Vec<DraftReport>,
    /// The audit trail's head (newest entry and its hash) when the report was
    /// made: a reader who keeps the report can later check the trail was not
    /// rewritten. Not yet written by any format (the writers decide how to show it).
    #[serde(default, skip)]
    pub audit_head: Option<crate::audit::AuditHead>,
    /// The computer's login the changes made before a reviewer's name was set
    /// are recorded under ([`Review::login_before_name`]): the formats people
    /// read say what that name is. The JSON keeps actors as recorded.
    #[serde(default, skip)]
    pub computer_login: Option<String>,
}

/// Whether a report covers one draft or a whole desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportScope {
    Draft,
    Desk,
}

/// One draft's review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftReport {
    pub id: DraftId,
    pub title: String,
    /// The draft's path inside the desk.
    pub file: String,
    /// Its file format (markdown, text, html), when it could be read.
    pub format: Option<String>,
    /// The file is gone; the review is kept.
    pub missing: bool,
    /// The version the claims are placed on; `None` when the draft has no readable text.
    pub version: Option<VersionInfo>,
    /// Everyone who tagged a claim or changed a status, in order of first appearance.
    pub reviewers: Vec<String>,
    /// The draft's workflow status (`in-review` … `updated`).
    pub workflow_status: Option<String>,
    /// The editor's note: saved by the reviewer, else recognised in the draft's text.
    pub editors_note: Option<String>,
    pub claims: Vec<ClaimReport>,
    /// The sources the claims are linked to, from the desk's register.
    pub sources: Vec<Source>,
    /// Note threads on the draft as a whole.
    pub notes: Vec<Note>,
    /// What the desk's sourcing rules found, with overrides.
    pub findings: Vec<Finding>,
    /// The draft's text, when the report includes it (claims are marked in it).
    pub text: Option<String>,
    /// Once published: what changed in the review since publication (the update's changes, as a correction
    /// lists them); absent before publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_publication: Option<Vec<crate::sourcing::publication::ReviewChange>>,
}

/// The draft version a report describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub id: VersionId,
    /// Which version of the draft this is: 1 for the first Factdesk read, counting up.
    pub number: u32,
    /// SHA-256 of the text.
    pub content_hash: String,
    /// When Factdesk first read this text.
    pub first_seen_at: String,
    pub words: u32,
    /// How many distinct versions the draft has had.
    pub versions: u32,
}

/// One claim, as placed on the reported version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimReport {
    pub id: ClaimId,
    pub status: ClaimStatus,
    /// The text the claim covers now.
    pub quote: String,
    /// Up to 32 code points before and after it, for context.
    pub prefix: String,
    pub suffix: String,
    /// The text as it was tagged.
    pub original_quote: String,
    /// Code points into the version's text; `None` when the claim could not be placed.
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub anchor: AnchorState,
    /// 0..1, how sure the placement is (three decimals in JSON).
    #[serde(serialize_with = "three_decimals")]
    pub confidence: f32,
    pub needs_attention: bool,
    pub attribution: Attribution,
    /// The two-source verdict, exactly as the inspector, the matrix and the rules give it.
    #[serde(default)]
    pub corroboration: Corroboration,
    pub sources: Vec<SourceLink>,
    pub evidence: Vec<Evidence>,
    pub notes: Vec<Note>,
    /// Every status the claim had, oldest first.
    pub history: Vec<StatusChange>,
    pub created_by: String,
    pub created_at: String,
}

/// A claim's corroboration and two-source verdict, from the core's one
/// definition ([`crate::sourcing::corroboration`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Corroboration {
    /// Sources the draft attributes the claim to.
    pub attributed: u32,
    /// Corroborating sources plus independent supporting evidence.
    pub independent_corroborations: u32,
    /// Independent corroborations that would make two sources (asked only where the rule applies).
    pub needed: u32,
    /// Contradicting sources and evidence.
    pub contradicting: u32,
    /// The two-source rule applies (the claim is attributed only to unnamed sources) and is met.
    pub two_source_rule: bool,
    /// The rule applies and is not met: the desk's rules hold the draft back from ready over it.
    pub blocks_ready: bool,
    /// "Two-source rule met", what is missing, or why the rule does not apply.
    pub verdict: String,
}

impl Corroboration {
    /// The two-source rule asks something of this claim (met or not): neither flag is set where it does not apply.
    pub fn rule_applies(&self) -> bool {
        self.two_source_rule || self.blocks_ready
    }
}

/// How a claim is sourced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    pub kind: AttributedTo,
    /// The words in the draft that attribute it, when detected from the text.
    pub cue: Option<String>,
    /// Where the kind comes from: the sources linked to the claim, or the draft's wording.
    pub basis: AttributionBasis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttributionBasis {
    /// From a source linked to the claim as `attributed`.
    Sources,
    /// Read from the draft's wording ("sources say", "according to the minutes").
    Detected,
}

/// How a claim is attributed, and the kind of each source in the report: the core's own enum
/// (the attribution's kinds, which call a named person `named`, as schema 1.x publishes it).
pub use crate::attribution::AttributedTo;

/// A source in the desk's register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub id: SourceId,
    /// How the report may refer to it: "a senior Taliban official", "Interior Ministry statement".
    pub descriptor: String,
    pub kind: AttributedTo,
    /// What only the editors who may know see; `None` in every desk-profile report.
    pub confidential: Option<ConfidentialSource>,
}

/// The protected part of an unnamed source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfidentialSource {
    pub identity: String,
    pub contact: String,
    pub how_known: String,
    pub anonymity_reason: String,
    /// The editor who knows the identity (the source model's own name for it).
    /// Published as `known_by` in the JSON report's schema 1.x: renaming a key
    /// there is a major version for everyone who reads the reports.
    #[serde(rename = "known_by")]
    pub editor_knows: String,
    pub approved_by: String,
}

impl ConfidentialSource {
    /// The fields as the internal HTML and Markdown reports list them, each
    /// written by the format's own `recorded` (its escaping, and its words for
    /// a field never recorded).
    pub(crate) fn listed(&self, recorded: impl Fn(&str) -> String) -> String {
        format!(
            "identity: {}; contact: {}; how known: {}; reason for anonymity: {}; known by: {}; approved by: {}",
            recorded(&self.identity),
            recorded(&self.contact),
            recorded(&self.how_known),
            recorded(&self.anonymity_reason),
            recorded(&self.editor_knows),
            recorded(&self.approved_by)
        )
    }
}

/// A claim's link to a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLink {
    /// The [`Source::id`] in the draft's `sources`.
    pub source: SourceId,
    pub role: SourceRole,
}

/// What a source does for a claim: the register's own enum, so the report names roles as sourcing does.
pub use crate::sourcing::source::SourceRole;

/// Something that bears on a claim: a document, a recording, a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: EvidenceId,
    pub kind: String,
    /// Where it is: a file name, a record number, a URL as text.
    pub reference: String,
    pub summary: String,
    /// When it was obtained, as the reviewer recorded it.
    pub obtained: Option<String>,
    pub added_by: String,
    /// Independent of the claim's attributed sources.
    pub independent: bool,
    /// It goes against the claim rather than supporting it.
    #[serde(default)]
    pub contradicts: bool,
}

/// One note of a thread, on a claim or on the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: NoteId,
    /// The note this one answers, in the same list.
    pub reply_to: Option<NoteId>,
    pub author: String,
    pub at: String,
    pub text: String,
    /// For the editors only: never in a desk-profile report (nor are replies to it).
    pub private: bool,
}

/// What a sourcing rule found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's id, e.g. `unnamed-needs-two-corroborations`.
    pub rule: String,
    /// The rule's name as the window shows it ([`crate::rules::RuleId::label`]), e.g. "Two-source rule".
    pub label: String,
    pub message: String,
    pub severity: Severity,
    /// The claim it is about, if any.
    pub claim: Option<ClaimId>,
    /// Set when an editor overrode the finding.
    pub overridden: Option<Override>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Blocking,
}

/// An editor's decision to publish despite a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The override's id: one override often covers several findings.
    #[serde(default)]
    pub id: Option<OverrideId>,
    pub by: String,
    pub at: String,
    pub reason: String,
}

/// One change of a claim's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub from: Option<ClaimStatus>,
    pub to: ClaimStatus,
    pub by: String,
    pub at: String,
}

fn three_decimals<S: serde::Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    // An f32 widened to f64 prints as 0.800000011920929; reports say 0.8.
    serializer.serialize_f64((f64::from(*value) * 1000.0).round() / 1000.0)
}

// ---- the summary ----------------------------------------------------------

/// The figures at the top of a draft's report, computed from its claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub claims: usize,
    /// Claims per status, every status present.
    pub by_status: Vec<(ClaimStatus, usize)>,
    /// Claims per attribution kind, every kind present.
    pub attribution: Vec<(AttributedTo, usize)>,
    /// Unnamed claims over all claims (0 when there are none).
    pub unnamed_share: f64,
    /// Claims with at least one corroborating source or evidence item.
    pub corroborated_claims: usize,
    /// `corroborated_claims` over all claims.
    pub corroboration_coverage: f64,
    /// Claims with two or more independent corroborations (corroborating sources plus independent evidence).
    pub independently_corroborated: usize,
    /// Claims the two-source rule applies to and is met for (each claim's [`Corroboration::two_source_rule`]).
    pub two_source_rule_holds: usize,
    /// Claims the two-source rule applies to (attributed only to unnamed sources).
    pub two_source_rule_applies: usize,
    pub needs_attention: usize,
    pub findings: usize,
    pub overridden: usize,
}

impl Summary {
    pub fn of(draft: &DraftReport) -> Self {
        let claims = draft.claims.len();
        let by_status =
            ClaimStatus::ALL.iter().map(|s| (*s, draft.claims.iter().filter(|c| c.status == *s).count())).collect();
        let attribution = AttributedTo::ALL
            .iter()
            .map(|k| (*k, draft.claims.iter().filter(|c| c.attribution.kind == *k).count()))
            .collect();
        let unnamed = draft.claims.iter().filter(|c| c.attribution.kind == AttributedTo::Unnamed).count();
        let corroborations = |c: &ClaimReport| {
            c.sources.iter().filter(|l| l.role == SourceRole::Corroborates).count()
                + c.evidence.iter().filter(|e| e.independent && !e.contradicts).count()
        };
        let corroborated_claims = draft
            .claims
            .iter()
            .filter(|c| {
                c.evidence.iter().any(|e| !e.contradicts)
                    || c.sources.iter().any(|l| l.role == SourceRole::Corroborates)
            })
            .count();
        Self {
            claims,
            by_status,
            attribution,
            unnamed_share: share(unnamed, claims),
            corroborated_claims,
            corroboration_coverage: share(corroborated_claims, claims),
            independently_corroborated: draft.claims.iter().filter(|c| corroborations(c) >= 2).count(),
            two_source_rule_holds: draft.claims.iter().filter(|c| c.corroboration.two_source_rule).count(),
            two_source_rule_applies: draft.claims.iter().filter(|c| c.corroboration.rule_applies()).count(),
            needs_attention: draft.claims.iter().filter(|c| c.needs_attention).count(),
            findings: draft.findings.len(),
            overridden: draft.findings.iter().filter(|f| f.overridden.is_some()).count(),
        }
    }

    pub fn count(&self, status: ClaimStatus) -> usize {
        self.by_status.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n)
    }

    pub fn attributed(&self, kind: AttributedTo) -> usize {
        self.attribution.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n)
    }
}

#[allow(clippy::cast_precision_loss)] // claim counts are far below 2^52
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        // Rounded to four places so reports compare and read the same everywhere.
        ((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0
    }
}

/// "30 Nov 2026, 20:46 UTC" for an RFC 3339 time, as the Markdown, HTML and
/// PDF reports print times (JSON and CSV keep RFC 3339); anything that is not
/// one is printed as given.
pub fn human_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at).map_or_else(
        |_| at.to_owned(),
        |time| time.with_timezone(&chrono::Utc).format("%-d %b %Y, %H:%M UTC").to_string(),
    )
}

/// The distinct overrides of a draft's findings, in order of first
/// appearance: each is printed once, and a finding refers to it by number.
pub fn overrides_of(draft: &DraftReport) -> Vec<&Override> {
    let mut found: Vec<&Override> = Vec::new();
    for finding in &draft.findings {
        if let Some(o) = &finding.overridden {
            if !found.iter().any(|f| same_override(f, o)) {
                found.push(o);
            }
        }
    }
    found
}

/// "override 2": how a finding names the override that covers it (1-based in [`overrides_of`]).
pub fn override_number(overrides: &[&Override], of: &Override) -> usize {
    overrides.iter().position(|o| same_override(o, of)).map_or(0, |i| i + 1)
}

fn same_override(a: &Override, b: &Override) -> bool {
    match (a.id, b.id) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// "40 %", for people.
pub fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// A change of the review since publication as a sentence, as an update's report lists it.
pub fn change_since_publication(change: &crate::sourcing::publication::ReviewChange) -> String {
    use crate::sourcing::publication::ReviewChange;
    let label = status_label;
    match change {
        ReviewChange::ClaimAdded { quote, status, .. } => format!("Claim added: “{quote}” ({})", label(*status)),
        ReviewChange::ClaimRemoved { quote, .. } => format!("Claim removed: “{quote}”"),
        ReviewChange::StatusChanged { quote, from, to, .. } => {
            format!("“{quote}”: {} → {}", label(*from), label(*to))
        }
        ReviewChange::SourceLinked { quote, descriptor, role, .. } => {
            format!("“{quote}”: {descriptor} linked ({})", role.as_str())
        }
        ReviewChange::SourceUnlinked { quote, descriptor, role, .. } => {
            format!("“{quote}”: {descriptor} ({}) no longer linked", role.as_str())
        }
        ReviewChange::EvidenceAdded { quote, summary, .. } => format!("“{quote}”: evidence added: {summary}"),
        ReviewChange::EvidenceRemoved { quote, summary, .. } => format!("“{quote}”: evidence removed: {summary}"),
        ReviewChange::NoteAdded { text, author, .. } => format!("Note by {author}: {text}"),
        ReviewChange::EditorNoteChanged { to: Some(to), .. } => format!("Editor’s note now reads: {to}"),
        ReviewChange::EditorNoteChanged { to: None, .. } => "Editor’s note removed".to_owned(),
    }
}

/// The status as people read it: "Needs corroboration".
pub fn status_label(status: ClaimStatus) -> &'static str {
    match status {
        ClaimStatus::NeedsCorroboration => "Needs corroboration",
        ClaimStatus::Corroborated => "Corroborated",
        ClaimStatus::Disputed => "Disputed",
        ClaimStatus::Unverifiable => "Unverifiable",
        ClaimStatus::Cleared => "Cleared",
    }
}

pub fn anchor_label(state: AnchorState) -> &'static str {
    match state {
        AnchorState::Anchored => "anchored",
        AnchorState::Moved => "moved",
        AnchorState::Fuzzy => "fuzzy",
        AnchorState::Ambiguous => "ambiguous",
        AnchorState::Orphaned => "orphaned",
    }
}

/// How a claim is named in every format: C1, C2, … in the draft's order.
pub fn claim_label(index: usize) -> String {
    format!("C{}", index + 1)
}

// ---- redaction ------------------------------------------------------------

/// Removes everything a desk-profile report must not carry: every
/// confidential source field and every private note, with the replies to it.
pub fn redact(report: &mut Report) {
    for draft in &mut report.drafts {
        for source in &mut draft.sources {
            source.confidential = None;
        }
        strip_private(&mut draft.notes);
        for claim in &mut draft.claims {
            strip_private(&mut claim.notes);
        }
    }
}

fn strip_private(notes: &mut Vec<Note>) {
    // A reply inherits its thread's privacy: it may quote or name what the private note said.
    let mut hidden: Vec<NoteId> = notes.iter().filter(|n| n.private).map(|n| n.id).collect();
    // Until nothing changes, so a reply listed before its parent goes too.
    loop {
        let before = hidden.len();
        for note in notes.iter() {
            if !hidden.contains(&note.id) && note.reply_to.is_some_and(|parent| hidden.contains(&parent)) {
                hidden.push(note.id);
            }
        }
        if hidden.len() == before {
            break;
        }
    }
    notes.retain(|n| !hidden.contains(&n.id));
}

fn holds_confidential(report: &Report) -> bool {
    report.drafts.iter().any(|d| {
        d.sources.iter().any(|s| s.confidential.is_some())
            || d.notes.iter().any(|n| n.private || n.reply_to.is_some())
            || d.claims.iter().any(|c| c.notes.iter().any(|n| n.private || n.reply_to.is_some()))
    })
}

/// What a writer may print: the report itself under `Internal`, else the
/// report without its confidential parts, whoever built it.
pub fn visible(report: &Report) -> Cow<'_, Report> {
    if report.profile == Profile::Internal || !holds_confidential(report) {
        Cow::Borrowed(report)
    } else {
        let mut copy = report.clone();
        redact(&mut copy);
        Cow::Owned(copy)
    }
}

// ---- writing --------------------------------------------------------------

/// How a report is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// The WeasyPrint program for PDF (a name on `PATH` or a path).
    pub pdf_engine: String,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self { pdf_engine: "weasyprint".to_owned() }
    }
}

/// Writes `report` in `format`.
pub fn render(report: &Report, format: Format, options: &WriteOptions) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Markdown => markdown::render(report).into_bytes(),
        Format::Html => html::render(report).into_bytes(),
        Format::Pdf => pdf::render(report, options)?,
        Format::Json => json::render(report)?.into_bytes(),
        Format::Csv => csv::render(report).into_bytes(),
        Format::Annotation => annotation::render(report)?.into_bytes(),
        Format::ClaimReview => claimreview::render(report)?.into_bytes(),
    })
}

/// One stretch of draft text and the claims (indices) that cover it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub text: &'a str,
    pub claims: Vec<usize>,
}

/// Cuts `text` where claims start and end, so a writer can mark each
/// stretch with the claims over it (claims may overlap).
pub fn segments<'a>(text: &'a str, claims: &[ClaimReport]) -> Vec<Segment<'a>> {
    let mut cuts: Vec<u32> = vec![0];
    for claim in claims {
        if let (Some(start), Some(end)) = (claim.start, claim.end) {
            cuts.push(start);
            cuts.push(end);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Code point offsets to byte offsets, in one pass; cuts past the end fall on it.
    let mut bytes: Vec<(u32, usize)> = Vec::with_capacity(cuts.len() + 1);
    let mut next = 0;
    for (index, (byte, _)) in text.char_indices().enumerate() {
        while next < cuts.len() && cuts[next] as usize <= index {
            bytes.push((cuts[next], byte));
            next += 1;
        }
    }
    bytes.extend(cuts[next..].iter().map(|cut| (*cut, text.len())));
    bytes.push((u32::MAX, text.len()));
    let mut found = Vec::new();
    for pair in bytes.windows(2) {
        let ((from_cp, from), (_, to)) = (pair[0], pair[1]);
        if from >= to {
            continue;
        }
        let covering = claims
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!((c.start, c.end), (Some(s), Some(e)) if s <= from_cp && from_cp < e))
            .map(|(i, _)| i)
            .collect();
        found.push(Segment { text: &text[from..to], claims: covering });
    }
    found
}

// ---- gathering ------------------------------------------------------------

/// What to gather.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Draft(DraftId),
    /// Every draft of the desk, missing ones included.
    Desk(DeskId),
}

/// How to gather.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GatherOptions {
    pub profile: Profile,
    /// Include each draft's text, with its claims marked.
    pub include_text: bool,
}

/// Builds the report model from the store: drafts, their current version,
/// claims re-anchored on it, statuses and their history, and the draft text
/// when asked. Under [`Profile::Desk`] the model holds nothing confidential.
pub fn gather(
    store: &SharedStore,
    clock: Arc<dyn Clock>,
    scope: Scope,
    options: &GatherOptions,
) -> Result<Report, ReportError> {
    // An internal report reveals sources: the reveal is recorded with the
    // reviewer set in Factdesk, never a made-up actor.
    let reviewer = Review::reviewer_name(&lock(store));
    gather_as(&Review::new(store.clone(), clock, reviewer), scope, options)
}

/// [`gather`] by a given review: its reviewer is recorded on every reveal of
/// an internal report, and its unlocked vault keys open sealed sources.
pub fn gather_as(review: &Review, scope: Scope, options: &GatherOptions) -> Result<Report, ReportError> {
    let store = review.store();
    let now = to_rfc3339(review.now());
    let (desk, drafts) = {
        let store = lock(store);
        match scope {
            Scope::Draft(id) => {
                let draft = store.draft(id)?.ok_or(ReportError::DraftNotFound(id))?;
                (draft.desk_id, vec![draft])
            }
            // A desk report (and the dashboard built on it) holds the drafts whose claims this reviewer may
            // see: a reporter's is their own drafts, not a refusal at another reporter's first draft.
            // Asked once for the desk, with each draft's record in hand: not two queries per draft.
            Scope::Desk(desk) => {
                let drafts = store.drafts(desk)?;
                let action = crate::rights::Action::ReadClaims;
                let seen = crate::rights::allowed_drafts(&store, desk, review.reviewer(), action, drafts, |d| &d.path)
                    .map_err(ReviewError::from)?;
                (desk, seen)
            }
        }
    };
    let desk_path = lock(store).desk_path(desk)?.ok_or(ReportError::DeskNotFound(desk))?;
    // An internal report carries the identities: only for those who may reveal them.
    if options.profile == Profile::Internal {
        review.require_on_desk(&lock(store), desk, crate::rights::Action::ExportInternal).map_err(ReviewError::from)?;
    }
    let mut reports = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let views = review.claims(draft.id)?;
        // Sourcing data first: these calls take the store's lock themselves.
        let mut sources: Vec<Source> = Vec::new();
        let mut sourcing = Vec::with_capacity(views.len());
        for view in &views {
            let links = review.claim_sources(view.id)?;
            for link in &links {
                if !sources.iter().any(|s| s.id == link.source.id) {
                    sources.push(source_of(review, &link.source, options.profile)?);
                }
            }
            let evidence = review.evidence(view.id)?;
            let notes = review.notes(crate::sourcing::note::NoteTarget::Claim(view.id))?;
            // The view's attribution, read once for the draft (the review's `corroboration` reads it per claim).
            let corroboration = corroboration_of_claim(crate::sourcing::corroboration::corroboration_of(
                &lock(store),
                view.id,
                &view.attribution,
            )?);
            sourcing.push((links, evidence, notes, corroboration));
        }
        let findings = review.check(draft.id)?.into_iter().map(finding_of).collect();
        let editors_note = review.editor_note(draft.id)?.text;
        let since_publication = review.changes_since_publication(draft.id)?;
        let workflow_status = review.draft_status(draft.id)?.status.as_str().to_owned();
        let draft_notes = notes_of(review.notes(crate::sourcing::note::NoteTarget::Draft(draft.id))?);
        let store = lock(store);
        let version = match draft.current_version {
            Some(id) => store.version(id)?,
            None => None,
        };
        let text = version.as_ref().map(|v| v.text.as_str()).unwrap_or_default();
        let mut reviewers: Vec<String> = Vec::new();
        let mut note_reviewer = |name: &str| {
            if !reviewers.iter().any(|r| r == name) {
                reviewers.push(name.to_owned());
            }
        };
        let mut claims = Vec::with_capacity(views.len());
        for (view, (links, evidence, notes, corroboration)) in views.into_iter().zip(sourcing) {
            let record = store.claim(view.id)?.ok_or(ReviewError::ClaimNotFound(view.id))?;
            let history = store
                .claim_status_history(view.id)?
                .into_iter()
                .map(|change| {
                    Ok(StatusChange {
                        from: change.previous.as_deref().map(str::parse).transpose()?,
                        to: change.status.parse()?,
                        by: change.by,
                        at: change.at,
                    })
                })
                .collect::<Result<Vec<_>, ReviewError>>()?;
            note_reviewer(&view.created_by);
            for change in &history {
                note_reviewer(&change.by);
            }
            // Context from the reported text where the claim is placed, else as tagged.
            let (prefix, suffix) = match (view.start, view.end) {
                (Some(start), Some(end)) => context(text, start, end),
                _ => (record.prefix.clone(), record.suffix.clone()),
            };
            let attribution = attribution_of(&view.attribution);
            claims.push(ClaimReport {
                id: view.id,
                status: view.status,
                quote: view.quote,
                prefix,
                suffix,
                original_quote: view.original_quote,
                start: view.start,
                end: view.end,
                anchor: view.anchor.state,
                confidence: view.anchor.confidence,
                needs_attention: view.needs_attention,
                attribution,
                corroboration,
                sources: links.iter().map(|link| SourceLink { source: link.source.id, role: link.role }).collect(),
                evidence: evidence.into_iter().map(evidence_of).collect(),
                notes: notes_of(notes),
                history,
                created_by: view.created_by,
                created_at: view.created_at,
            });
        }
        let versions = store.version_count(draft.id)?;
        let number = match &version {
            Some(v) => store
                .versions_of_draft(draft.id)?
                .iter()
                .position(|m| m.id == v.id)
                .map_or(versions, |i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
            None => 0,
        };
        reports.push(DraftReport {
            id: draft.id,
            title: draft.title.clone(),
            file: draft.path.clone(),
            format: draft.format.map(|f| f.as_str().to_owned()),
            missing: draft.missing,
            version: version.as_ref().map(|v| VersionInfo {
                id: v.id,
                number,
                content_hash: v.content_hash.clone(),
                first_seen_at: v.first_seen_at.clone(),
                words: v.words,
                versions,
            }),
            reviewers,
            workflow_status: Some(workflow_status),
            editors_note,
            claims,
            sources,
            notes: draft_notes,
            findings,
            text: if options.include_text { version.map(|v| v.text) } else { None },
            since_publication,
        });
    }
    // Each read takes the store's lock on its own: temporaries in one struct literal would hold the first.
    let audit_head = crate::audit::read_head(&lock(store))?;
    let computer_login = Review::login_before_name(&lock(store));
    let mut report = Report {
        generated_at: now,
        generator: GENERATOR.to_owned(),
        profile: options.profile,
        scope: match scope {
            Scope::Draft(_) => ReportScope::Draft,
            Scope::Desk(_) => ReportScope::Desk,
        },
        desk: desk_path,
        drafts: reports,
        audit_head,
        computer_login,
    };
    if report.profile == Profile::Desk {
        redact(&mut report);
    }
    Ok(report)
}

/// A register entry as the report shows it; its confidential side only in an
/// internal report (reading it is a reveal, recorded on the audit trail).
fn source_of(
    review: &Review,
    source: &crate::sourcing::source::SourceView,
    profile: Profile,
) -> Result<Source, ReportError> {
    let kind = AttributedTo::of_source(source.kind);
    let confidential = if profile == Profile::Internal && source.confidential.any() {
        let fields = review.reveal_source(source.id)?;
        let how_known = match (fields.first_hand, fields.how_known) {
            (Some(true), Some(how)) => format!("first-hand: {how}"),
            (Some(false), Some(how)) => format!("not first-hand: {how}"),
            (Some(true), None) => "first-hand".to_owned(),
            (Some(false), None) => "not first-hand".to_owned(),
            (None, how) => how.unwrap_or_default(),
        };
        Some(ConfidentialSource {
            identity: fields.identity.unwrap_or_default(),
            contact: fields.contact.unwrap_or_default(),
            how_known,
            anonymity_reason: fields.anonymity_reason.unwrap_or_default(),
            editor_knows: fields.editor_knows.unwrap_or_default(),
            approved_by: fields.approved_by.unwrap_or_default(),
        })
    } else {
        None
    };
    Ok(Source { id: source.id, descriptor: source.descriptor.clone(), kind, confidential })
}

/// The core's attribution of a claim ([`crate::attribution`]), in the report's terms.
fn attribution_of(attribution: &crate::attribution::ClaimAttribution) -> Attribution {
    use crate::attribution::AttributionFrom;
    let kind = attribution.kind;
    let basis = match attribution.from {
        AttributionFrom::Sources => AttributionBasis::Sources,
        AttributionFrom::Wording => AttributionBasis::Detected,
    };
    Attribution { kind, cue: attribution.cue.clone(), basis }
}

fn corroboration_of_claim(corroboration: crate::sourcing::corroboration::Corroboration) -> Corroboration {
    Corroboration {
        attributed: corroboration.attributed,
        independent_corroborations: corroboration.independent_corroborations,
        needed: corroboration.needed,
        contradicting: corroboration.contradicting,
        two_source_rule: corroboration.two_source_rule,
        blocks_ready: corroboration.blocks_ready,
        verdict: corroboration.verdict,
    }
}

fn evidence_of(item: crate::sourcing::evidence::EvidenceView) -> Evidence {
    Evidence {
        id: item.id,
        kind: item.kind.as_str().to_owned(),
        reference: item.reference,
        summary: item.summary,
        obtained: item.obtained_at,
        added_by: item.added_by,
        independent: item.independent,
        contradicts: item.stance == crate::sourcing::evidence::Stance::Contradicts,
    }
}

/// A thread as the report lists it: each note with its current text.
fn notes_of(notes: Vec<crate::sourcing::note::NoteView>) -> Vec<Note> {
    notes
        .into_iter()
        .map(|note| Note {
            id: note.id,
            reply_to: note.reply_to,
            author: note.author,
            at: note.created_at,
            text: note.text,
            private: note.private,
        })
        .collect()
}

/// Every sourcing rule blocks a draft from becoming ready; a change since
/// ready warns (marking the draft ready again answers it).
fn finding_of(finding: crate::rules::Finding) -> Finding {
    Finding {
        severity: if finding.rule == crate::rules::RuleId::ChangedSinceReady {
            Severity::Warning
        } else {
            Severity::Blocking
        },
        rule: finding.rule.as_str().to_owned(),
        label: finding.rule.label().to_owned(),
        message: finding.message,
        claim: finding.claim,
        overridden: finding.override_record.map(|o| Override { id: Some(o.id), by: o.by, at: o.at, reason: o.reason }),
    }
}

/// Up to 32 code points either side of `start..end` in `text`.
fn context(text: &str, start: u32, end: u32) -> (String, String) {
    const CONTEXT: usize = 32;
    let (start, end) = (start as usize, end as usize);
    let prefix: String = text.chars().take(start).skip(start.saturating_sub(CONTEXT)).collect();
    let suffix: String = text.chars().skip(end).take(CONTEXT).collect();
    (prefix, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(start: u32, end: u32) -> ClaimReport {
        ClaimReport {
            id: ClaimId(i64::from(start)),
            status: ClaimStatus::NeedsCorroboration,
            quote: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            original_quote: String::new(),
            start: Some(start),
            end: Some(end),
            anchor: AnchorState::Anchored,
            confidence: 1.0,
            needs_attention: false,
            attribution: Attribution { kind: AttributedTo::None, cue: None, basis: AttributionBasis::Detected },
            corroboration: Corroboration::default(),
            sources: Vec::new(),
            evidence: Vec::new(),
            notes: Vec::new(),
            history: Vec::new(),
            created_by: String::new(),
            created_at: String::new(),
        }
    }

    #[test]
    fn segments_cut_at_code_points_and_mark_overlapping_claims() {
        // "é" and "’" are several bytes each: offsets are code points.
        let text = "Café’s owner said «yes» twice.";
        let claims = [placed(0, 11), placed(6, 23), placed(40, 50)];
        let cut: Vec<(&str, Vec<usize>)> = segments(text, &claims).into_iter().map(|s| (s.text, s.claims)).collect();
        assert_eq!(cut, [("Café’s", vec![0]), (" owne", vec![0, 1]), ("r said «yes»", vec![1]), (" twice.", vec![]),]);
        assert_eq!(segments("", &claims), []);
    }

    #[test]
    fn replies_to_private_notes_go_with_them_however_deep() {
        let note = |id: i64, reply_to: Option<i64>, private: bool| Note {
            id: NoteId(id),
            reply_to: reply_to.map(NoteId),
            author: "a".into(),
            at: "2026-11-20T09:00:00Z".into(),
            text: format!("note {id}"),
            private,
        };
        let mut notes = vec![
            note(1, None, false),
            note(2, None, true),
            note(3, Some(2), false),
            note(4, Some(3), false),
            note(5, Some(1), false),
            // Out of order: a reply listed before the private note it answers.
            note(6, Some(7), false),
            note(7, None, true),
        ];
        strip_private(&mut notes);
        let kept: Vec<NoteId> = notes.iter().map(|n| n.id).collect();
        assert_eq!(kept, [NoteId(1), NoteId(5)]);
    }

    #[test]
    fn formats_and_profiles_parse_from_their_command_line_names() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>().ok(), Some(format));
        }
        assert_eq!("markdown".parse::<Format>().ok(), Some(Format::Markdown));
        assert!("docx".parse::<Format>().is_err());
        assert_eq!("internal".parse::<Profile>().ok(), Some(Profile::Internal));
        assert!("public".parse::<Profile>().is_err());
    }
}
