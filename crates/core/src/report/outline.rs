//! The one outline of a draft's report: its sections in order, each with its rows, worked out
//! once from the model (a finding's claim label and override number, each claim's sources looked
//! up in the register, the draft's text cut into stretches with the claims that end in each).
//! The HTML and Markdown writers walk it and decide only how each row looks; the CSV writer walks
//! its claims. A new section or row is added here, and every writer's `match` then asks for it.

use super::{
    claim_label, human_time, override_number, overrides_of, segments, AttributedTo, Attribution, ClaimReport,
    ConfidentialSource, Corroboration, DraftReport, Evidence, Finding, Note, Override, Profile, Report, SourceRole,
    StatusChange, Summary, VersionInfo,
};
use crate::anchor::AnchorState;

/// A draft's report, section by section, in the order every format prints them.
pub enum Section<'a> {
    /// What the report is about: the file, its version, who reviewed it, when the report was made.
    Particulars(Vec<Particular<'a>>),
    /// The figures computed from the claims.
    Summary(Summary),
    /// The editor's note, or none recorded.
    EditorsNote(Option<&'a str>),
    /// A published draft's review changes since publication, each a sentence (as a correction
    /// would list them); only once the draft has been published, empty when nothing changed.
    SincePublication(Vec<String>),
    /// What the sourcing rules found; only when they found something.
    Findings(Findings<'a>),
    /// Note threads on the draft as a whole; only when there are some.
    Notes(&'a [Note]),
    /// Every claim, in the draft's order (possibly none).
    Claims(Vec<ClaimEntry<'a>>),
    /// The draft's text with its claims; only when the report includes it.
    Text(Vec<Stretch<'a>>),
}

/// One line of the particulars.
pub enum Particular<'a> {
    File {
        path: &'a str,
        missing: bool,
    },
    /// `None` when the draft has no readable text.
    Version(Option<&'a VersionInfo>),
    /// The reviewers, comma separated, or "nobody yet".
    ReviewedBy(String),
    Workflow(&'a str),
    /// When (for people) and by what the report was made.
    Report {
        at: String,
        generator: &'a str,
    },
}

pub struct Findings<'a> {
    pub rows: Vec<FindingRow<'a>>,
    /// The distinct overrides, each printed once; a row names its override by number (1-based).
    pub overrides: Vec<&'a Override>,
}

pub struct FindingRow<'a> {
    pub finding: &'a Finding,
    /// The label of the claim it is about (C3), or empty.
    pub claim: String,
    /// Which of [`Findings::overrides`] covers it.
    pub override_number: Option<usize>,
}

/// A claim and the rows printed under it.
pub struct ClaimEntry<'a> {
    /// C1, C2, … in the draft's order.
    pub label: String,
    pub claim: &'a ClaimReport,
    pub rows: Vec<ClaimRow<'a>>,
}

/// One row of a claim, in the order every format prints them.
pub enum ClaimRow<'a> {
    Attribution(&'a Attribution),
    /// Only when the core gave a verdict.
    Corroboration(&'a Corroboration),
    /// Where the claim sits: its code points on the version, or `None` when it is not placed.
    Anchor {
        state: AnchorState,
        place: Option<(u32, u32)>,
    },
    /// The text as tagged; only when it differs from the text the claim covers now.
    AsTagged(&'a str),
    /// The claim's sources (possibly none).
    Sources(Vec<SourceEntry<'a>>),
    /// The claim's evidence (possibly none).
    Evidence(&'a [Evidence]),
    /// Only when the claim has notes.
    Notes(&'a [Note]),
    History(&'a [StatusChange]),
}

/// A claim's link, with its source looked up in the draft's register.
pub struct SourceEntry<'a> {
    /// "(unknown source)" when the register does not hold it.
    pub descriptor: &'a str,
    pub kind: AttributedTo,
    pub role: SourceRole,
    /// The protected fields: only in an internal report, and only when recorded.
    pub confidential: Option<&'a ConfidentialSource>,
}

/// A stretch of the draft's text and the claims over it.
pub struct Stretch<'a> {
    pub text: &'a str,
    /// The claims over it (indices into the draft's claims); the first one colours it.
    pub claims: Vec<usize>,
    /// Those of `claims` whose last stretch this is: their labels follow it.
    pub ending: Vec<usize>,
}

/// The sections of `draft`'s report, in order. `report` is the one being written (its profile
/// decides whether confidential source fields are shown, its time and generator are printed).
pub fn outline<'a>(report: &'a Report, draft: &'a DraftReport) -> Vec<Section<'a>> {
    let internal = report.profile == Profile::Internal;
    let mut sections = vec![
        Section::Particulars(particulars(report, draft)),
        Section::Summary(Summary::of(draft)),
        Section::EditorsNote(draft.editors_note.as_deref()),
    ];
    if let Some(changes) = &draft.since_publication {
        sections.push(Section::SincePublication(changes.iter().map(crate::report::change_since_publication).collect()));
    }
    if !draft.findings.is_empty() {
        sections.push(Section::Findings(findings(draft)));
    }
    if !draft.notes.is_empty() {
        sections.push(Section::Notes(&draft.notes));
    }
    sections.push(Section::Claims(
        draft.claims.iter().enumerate().map(|(index, claim)| claim_entry(draft, index, claim, internal)).collect(),
    ));
    if let Some(text) = &draft.text {
        sections.push(Section::Text(stretches(text, &draft.claims)));
    }
    sections
}

fn particulars<'a>(report: &'a Report, draft: &'a DraftReport) -> Vec<Particular<'a>> {
    let mut rows = vec![
        Particular::File { path: &draft.file, missing: draft.missing },
        Particular::Version(draft.version.as_ref()),
        Particular::ReviewedBy(reviewed_by(report, draft)),
    ];
    if let Some(status) = &draft.workflow_status {
        rows.push(Particular::Workflow(status));
    }
    rows.push(Particular::Report { at: human_time(&report.generated_at), generator: &report.generator });
    rows
}

/// The reviewers, comma separated, or "nobody yet". The computer's login that changes made before a name was set
/// are recorded under is said to be that, not shown as a reviewer of that name (the window says "Reviewing as"
/// the name set since).
fn reviewed_by(report: &Report, draft: &DraftReport) -> String {
    if draft.reviewers.is_empty() {
        return "nobody yet".to_owned();
    }
    let shown: Vec<String> = draft
        .reviewers
        .iter()
        .map(|reviewer| match &report.computer_login {
            Some(login) if login == reviewer => {
                format!("{reviewer} (this computer's login: changes recorded on this computer before a name was set)")
            }
            _ => reviewer.clone(),
        })
        .collect();
    shown.join(", ")
}

fn findings(draft: &DraftReport) -> Findings<'_> {
    let overrides = overrides_of(draft);
    let rows = draft
        .findings
        .iter()
        .map(|finding| FindingRow {
            finding,
            claim: finding
                .claim
                .and_then(|id| draft.claims.iter().position(|c| c.id == id))
                .map(claim_label)
                .unwrap_or_default(),
            override_number: finding.overridden.as_ref().map(|o| override_number(&overrides, o)),
        })
        .collect();
    Findings { rows, overrides }
}

/// A claim's entry: its rows in order, its sources looked up once for every format.
pub fn claim_entry<'a>(draft: &'a DraftReport, index: usize, claim: &'a ClaimReport, internal: bool) -> ClaimEntry<'a> {
    let mut rows = vec![ClaimRow::Attribution(&claim.attribution)];
    if !claim.corroboration.verdict.is_empty() {
        rows.push(ClaimRow::Corroboration(&claim.corroboration));
    }
    let place = match (claim.start, claim.end) {
        (Some(start), Some(end)) => Some((start, end)),
        _ => None,
    };
    rows.push(ClaimRow::Anchor { state: claim.anchor, place });
    if claim.original_quote != claim.quote {
        rows.push(ClaimRow::AsTagged(&claim.original_quote));
    }
    let sources = claim
        .sources
        .iter()
        .map(|link| {
            let source = draft.sources.iter().find(|s| s.id == link.source);
            SourceEntry {
                descriptor: source.map_or("(unknown source)", |s| s.descriptor.as_str()),
                kind: source.map_or(AttributedTo::None, |s| s.kind),
                role: link.role,
                confidential: source.and_then(|s| s.confidential.as_ref()).filter(|_| internal),
            }
        })
        .collect();
    rows.push(ClaimRow::Sources(sources));
    rows.push(ClaimRow::Evidence(&claim.evidence));
    if !claim.notes.is_empty() {
        rows.push(ClaimRow::Notes(&claim.notes));
    }
    rows.push(ClaimRow::History(&claim.history));
    ClaimEntry { label: claim_label(index), claim, rows }
}

fn stretches<'a>(text: &'a str, claims: &[ClaimReport]) -> Vec<Stretch<'a>> {
    // Where the current stretch ends, in code points: a claim's label goes after its last stretch.
    let mut position: u32 = 0;
    segments(text, claims)
        .into_iter()
        .map(|segment| {
            position = position.saturating_add(u32::try_from(segment.text.chars().count()).unwrap_or(u32::MAX));
            let ending = segment.claims.iter().copied().filter(|index| claims[*index].end == Some(position)).collect();
            Stretch { text: segment.text, claims: segment.claims, ending }
        })
        .collect()
}
