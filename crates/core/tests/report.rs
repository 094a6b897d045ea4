//! Review reports: every format on a review built by hand (so sources,
//! evidence, notes and findings are there before the store has them), the
//! gathering from a real store, redaction in every encoding, and the
//! specifications each format answers to.
//!
//! Golden files live in tests/golden/; `UPDATE_GOLDEN=1 cargo test -p
//! factdesk-core --test report` rewrites them after an intended change.

mod engine;

use factdesk_core::anchor::{AnchorState, TextQuoteSelector};
use factdesk_core::desk::Desk;
use factdesk_core::report::{
    self, Attribution, AttributionBasis, ClaimReport, ConfidentialSource, DraftReport, Evidence, Finding, Format,
    GatherOptions, Note, Override, Profile, Report, ReportScope, Scope, Severity, Source, SourceLink, SourceRole,
    StatusChange, VersionInfo, WriteOptions,
};
// The report names kinds with the core's attribution enum; this file calls it by its old name.
use factdesk_core::report::AttributedTo as SourceKind;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::store::DraftId;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---- a review built by hand ------------------------------------------------

/// Distinctive strings in every confidential field and private note: none may
/// reach a desk-profile export, in any encoding.
const SECRETS: [&str; 8] = [
    "Zarghuna Qasimzada-Whitlock",
    "+93 700 555 0147",
    "met through the cousin Faridoon",
    "fears reprisal by the GDI",
    "Editor Marisol Okonkwo-Brandt",
    "Approver Tobiah Lindqvist",
    "PRIVATE-NOTE Quillfeather",
    "REPLY-TO-PRIVATE Vantablue",
];

/// Fragments of the secrets that survive any escaping (letters and digits only).
const SECRET_TOKENS: [&str; 9] =
    ["Zarghuna", "Qasimzada", "555 0147", "Faridoon", "reprisal", "Okonkwo", "Lindqvist", "Quillfeather", "Vantablue"];

const TEXT: &str = "Embassy talks <script>alert('x')</script>\n\n\
Sources tell Strike Source that Taliban leaders meet at the Chinese embassy every day. \
The mine has an \"estimated worth\" of 50 billion & rising.\n\n\
=HYPERLINK(\"http://evil.example\") said the Interior Ministry, according to a statement.\n\n\
Editor's Note: Sources for this report have not been named to protect their identity.";

fn position(text: &str, quote: &str) -> (u32, u32) {
    let byte = text.find(quote).expect("quote in text");
    let start = u32::try_from(text[..byte].chars().count()).expect("small");
    (start, start + u32::try_from(quote.chars().count()).expect("small"))
}

fn claim(id: i64, quote: &str, status: ClaimStatus, kind: SourceKind, cue: Option<&str>) -> ClaimReport {
    let (start, end) = position(TEXT, quote);
    let chars: Vec<char> = TEXT.chars().collect();
    let prefix: String = chars[(start as usize).saturating_sub(32)..start as usize].iter().collect();
    let suffix: String = chars[end as usize..(end as usize + 32).min(chars.len())].iter().collect();
    ClaimReport {
        id: factdesk_core::store::ClaimId(id),
        status,
        quote: quote.to_owned(),
        prefix,
        suffix,
        original_quote: quote.to_owned(),
        start: Some(start),
        end: Some(end),
        anchor: AnchorState::Anchored,
        confidence: 1.0,
        needs_attention: false,
        attribution: Attribution { kind, cue: cue.map(str::to_owned), basis: AttributionBasis::Detected },
        // As the core says it of a claim with no source linked as attributed.
        corroboration: report::Corroboration {
            needed: 2,
            verdict: "Two-source rule does not apply: no source is linked as attributed".into(),
            ..report::Corroboration::default()
        },
        sources: Vec::new(),
        evidence: Vec::new(),
        notes: Vec::new(),
        history: vec![StatusChange {
            from: None,
            to: ClaimStatus::NeedsCorroboration,
            by: "Ana Editor".into(),
            at: "2026-11-20T09:00:00Z".into(),
        }],
        created_by: "Ana Editor".into(),
        created_at: "2026-11-20T09:00:00Z".into(),
    }
}

fn hand_built(profile: Profile) -> Report {
    let mut meet = claim(
        11,
        "Taliban leaders meet at the Chinese embassy every day",
        ClaimStatus::Disputed,
        SourceKind::Unnamed,
        Some("Sources tell Strike Source"),
    );
    meet.sources = vec![
        SourceLink { source: factdesk_core::store::SourceId(1), role: SourceRole::Attributed },
        SourceLink { source: factdesk_core::store::SourceId(2), role: SourceRole::Contradicts },
    ];
    meet.corroboration = report::Corroboration {
        attributed: 1,
        needed: 2,
        contradicting: 1,
        blocks_ready: true,
        verdict: "Two-source rule not met: attributed only to unnamed sources and has 0 independent corroborations of the 2 needed"
            .into(),
        ..report::Corroboration::default()
    };
    meet.notes = vec![
        Note {
            id: factdesk_core::store::NoteId(1),
            reply_to: None,
            author: "Ana Editor".into(),
            at: "2026-11-20T10:00:00Z".into(),
            text: "Only one source & it is <unnamed>; ask for a second.".into(),
            private: false,
        },
        Note {
            id: factdesk_core::store::NoteId(2),
            reply_to: None,
            author: "Marisol".into(),
            at: "2026-11-20T10:05:00Z".into(),
            text: SECRETS[6].into(),
            private: true,
        },
        Note {
            id: factdesk_core::store::NoteId(3),
            reply_to: Some(factdesk_core::store::NoteId(2)),
            author: "Ana Editor".into(),
            at: "2026-11-20T10:06:00Z".into(),
            text: SECRETS[7].into(),
            private: false,
        },
    ];
    meet.history.push(StatusChange {
        from: Some(ClaimStatus::NeedsCorroboration),
        to: ClaimStatus::Disputed,
        by: "Marisol".into(),
        at: "2026-11-21T16:30:00Z".into(),
    });
    let mut worth = claim(
        12,
        "The mine has an \"estimated worth\" of 50 billion & rising.",
        ClaimStatus::Corroborated,
        SourceKind::Document,
        Some("MCC filing"),
    );
    worth.evidence = vec![
        Evidence {
            id: factdesk_core::store::EvidenceId(1),
            kind: "document".into(),
            reference: "MCC annual report 2008, p. 14".into(),
            summary: "Values the Mes Aynak deposit at US$50bn".into(),
            obtained: Some("2026-11-19".into()),
            added_by: "Ana Editor".into(),
            independent: true,
            contradicts: false,
        },
        Evidence {
            id: factdesk_core::store::EvidenceId(2),
            kind: "media-report".into(),
            reference: "=cmd|' /C calc'!A0".into(),
            summary: "Reuters, 2009".into(),
            obtained: None,
            added_by: "Ana Editor".into(),
            independent: true,
            contradicts: false,
        },
    ];
    worth.history.push(StatusChange {
        from: Some(ClaimStatus::NeedsCorroboration),
        to: ClaimStatus::Corroborated,
        by: "Ana Editor".into(),
        at: "2026-11-21T11:00:00Z".into(),
    });
    let mut formula = claim(
        13,
        "=HYPERLINK(\"http://evil.example\") said the Interior Ministry",
        ClaimStatus::NeedsCorroboration,
        SourceKind::OfficialStatement,
        Some("according to a statement"),
    );
    formula.sources = vec![SourceLink { source: factdesk_core::store::SourceId(2), role: SourceRole::Attributed }];
    formula.corroboration = report::Corroboration {
        attributed: 1,
        needed: 1,
        verdict: "Two-source rule does not apply: attributed to an on-the-record source".into(),
        ..report::Corroboration::default()
    };
    formula.anchor = AnchorState::Fuzzy;
    formula.confidence = 0.72;
    formula.needs_attention = true;
    let draft = DraftReport {
        id: factdesk_core::store::DraftId(7),
        title: "Kabul embassy <b>&</b> \"mine\"".into(),
        file: "world/kabul-embassy.txt".into(),
        format: Some("text".into()),
        missing: false,
        version: Some(VersionInfo {
            id: factdesk_core::store::VersionId(3),
            number: 2,
            content_hash: "9f2c4e1a7b3d5f60112233445566778899aabbccddeeff001122334455667788".into(),
            first_seen_at: "2026-11-20T08:55:00Z".into(),
            words: 52,
            versions: 2,
        }),
        reviewers: vec!["Ana Editor".into(), "Marisol".into()],
        workflow_status: Some("in-review".into()),
        editors_note: Some("Sources for this report have not been named\nto protect their identity & safety.".into()),
        claims: vec![meet, worth, formula],
        sources: vec![
            Source {
                id: factdesk_core::store::SourceId(1),
                descriptor: "a senior Taliban official".into(),
                kind: SourceKind::Unnamed,
                confidential: Some(ConfidentialSource {
                    identity: SECRETS[0].into(),
                    contact: SECRETS[1].into(),
                    how_known: SECRETS[2].into(),
                    anonymity_reason: SECRETS[3].into(),
                    editor_knows: SECRETS[4].into(),
                    approved_by: SECRETS[5].into(),
                }),
            },
            Source {
                id: factdesk_core::store::SourceId(2),
                descriptor: "Interior Ministry statement, 27 Sept 2021".into(),
                kind: SourceKind::OfficialStatement,
                confidential: None,
            },
        ],
        notes: vec![Note {
            id: factdesk_core::store::NoteId(4),
            reply_to: None,
            author: "Ana Editor".into(),
            at: "2026-11-21T12:00:00Z".into(),
            text: "Lede rests on one unnamed source.".into(),
            private: false,
        }],
        findings: vec![
            Finding {
                rule: "unnamed-needs-two-corroborations".into(),
                label: "Two-source rule".into(),
                message: "Rests on a single unnamed source".into(),
                severity: Severity::Blocking,
                claim: Some(factdesk_core::store::ClaimId(11)),
                overridden: None,
            },
            Finding {
                rule: "unnamed-source-incomplete".into(),
                label: "Unnamed source incomplete".into(),
                message: "The draft does not say why the source is unnamed".into(),
                severity: Severity::Warning,
                claim: Some(factdesk_core::store::ClaimId(11)),
                overridden: Some(Override {
                    id: Some(factdesk_core::store::OverrideId(1)),
                    by: "Marisol".into(),
                    at: "2026-11-21T17:00:00Z".into(),
                    reason: "Stated in the editor's note".into(),
                }),
            },
        ],
        text: Some(TEXT.into()),
        since_publication: None,
    };
    Report {
        generated_at: "2026-11-22T08:00:00Z".into(),
        generator: "Factdesk 0.1.0".into(),
        profile,
        scope: ReportScope::Draft,
        desk: "/srv/desks/world news".into(),
        drafts: vec![draft],
        audit_head: None,
        computer_login: None,
    }
}

fn text_of(report: &Report, format: Format) -> String {
    let bytes = report::render(report, format, &WriteOptions::default()).expect("render");
    String::from_utf8(bytes).expect("utf-8")
}

// ---- golden files ------------------------------------------------------------

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n expected: {:?}\n   actual: {:?}\n(UPDATE_GOLDEN=1 rewrites it)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn markdown_matches_its_golden_file() {
    golden("report.md", &text_of(&hand_built(Profile::Desk), Format::Markdown));
}

#[test]
fn json_matches_its_golden_file() {
    golden("report.json", &text_of(&hand_built(Profile::Desk), Format::Json));
}

#[test]
fn csv_matches_its_golden_file() {
    golden("report.csv", &text_of(&hand_built(Profile::Desk), Format::Csv));
}

// ---- redaction -----------------------------------------------------------------

/// Every form a secret could take in our encodings.
fn encodings(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).expect("json");
    vec![
        secret.to_owned(),
        report::html::escape(secret),
        json.trim_matches('"').to_owned(),
        report::markdown::escape_inline(secret),
        report::csv::field(secret),
        secret.replace('"', "\"\""),
    ]
}

fn assert_no_secret(what: &str, output: &str) {
    for secret in SECRETS {
        for form in encodings(secret) {
            assert!(!output.contains(&form), "{what} leaks {form:?}");
        }
    }
    for token in SECRET_TOKENS {
        assert!(!output.contains(token), "{what} leaks {token:?}");
    }
}

#[test]
fn no_desk_profile_export_holds_a_confidential_field_or_private_note() {
    // The writers are handed the confidential data itself: they must redact on their own.
    let unredacted = hand_built(Profile::Desk);
    for format in Format::ALL.into_iter().filter(|f| f.is_text()) {
        let output = text_of(&unredacted, format);
        assert_no_secret(format.as_str(), &output);
        assert!(!output.contains("CONFIDENTIAL"), "{} is stamped CONFIDENTIAL under the desk profile", format.as_str());
    }
    // And the model a desk profile gives them has none left.
    let mut redacted = hand_built(Profile::Desk);
    report::redact(&mut redacted);
    let draft = &redacted.drafts[0];
    assert!(draft.sources.iter().all(|s| s.confidential.is_none()));
    let notes: Vec<i64> = draft.claims[0].notes.iter().map(|n| n.id.0).collect();
    assert_eq!(notes, [1], "the private note and the reply to it are gone, the open note stays");
    assert_no_secret("the redacted model", &serde_json::to_string(&redacted).expect("json"));
}

#[test]
fn the_desk_profile_pdf_holds_no_confidential_text() {
    let Some(text) = pdf_text(&hand_built(Profile::Desk)) else { return };
    assert_no_secret("pdf", &text);
    assert!(!text.contains("CONFIDENTIAL"));
}

#[test]
fn the_internal_profile_shows_confidential_data_and_stamps_every_section() {
    let report = hand_built(Profile::Internal);
    for format in [Format::Markdown, Format::Html, Format::Json, Format::Csv] {
        let output = text_of(&report, format);
        for token in SECRET_TOKENS {
            assert!(output.contains(token), "{} lacks {token}", format.as_str());
        }
        assert!(output.contains("CONFIDENTIAL"), "{} is not stamped", format.as_str());
    }
    let csv = text_of(&report, Format::Csv);
    let rows = parse_csv(&csv);
    assert!(rows.iter().skip(1).all(|row| row.last().is_some_and(|c| c == "CONFIDENTIAL")), "every CSV row is stamped");
    let json: Value = serde_json::from_str(&text_of(&report, Format::Json)).expect("json");
    assert_eq!(json["classification"], "CONFIDENTIAL");
    assert_eq!(json["drafts"][0]["classification"], "CONFIDENTIAL");
    let annotation = text_of(&report, Format::Annotation);
    assert!(annotation.contains("Quillfeather") && annotation.contains("CONFIDENTIAL"));
    // A publication format: nothing confidential whatever the profile.
    assert_no_secret("claimreview (internal)", &text_of(&report, Format::ClaimReview));
}

/// usertest F10: a confidential field that was never recorded printed as nothing ("…; approved by: " and the
/// end of the line), which reads like a field lost on the way; the formats people read say so.
#[test]
fn an_internal_report_says_which_confidential_fields_were_not_recorded() {
    let mut report = hand_built(Profile::Internal);
    let secret = report.drafts[0].sources[0].confidential.as_mut().expect("an unnamed source");
    secret.approved_by = String::new();
    secret.contact = String::new();
    let html = text_of(&report, Format::Html);
    assert!(html.contains("contact: <span class=\"none\">not recorded</span>;"), "{html}");
    assert!(html.contains("approved by: <span class=\"none\">not recorded</span>"), "{html}");
    let md = text_of(&report, Format::Markdown);
    assert!(md.contains("contact: *not recorded*;"), "{md}");
    assert!(md.contains("approved by: *not recorded*\n"), "{md}");
    // The data formats keep the value as recorded: empty.
    let json: Value = serde_json::from_str(&text_of(&report, Format::Json)).expect("json");
    assert_eq!(json["drafts"][0]["sources"][0]["confidential"]["approved_by"], "");
}

// ---- escaping --------------------------------------------------------------------

#[test]
fn html_escapes_hostile_draft_and_note_text() {
    let html = text_of(&hand_built(Profile::Desk), Format::Html);
    assert!(!html.contains("<script"), "a script tag got through");
    assert!(!html.contains("<b>&</b>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("Kabul embassy &lt;b&gt;&amp;&lt;/b&gt; &quot;mine&quot;"));
    assert!(html.contains("&lt;unnamed&gt;"));
    // Standalone: nothing fetched, nothing run.
    for forbidden in ["<script", "<link", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden} in the HTML report");
    }
    assert!(html.contains("<svg") && html.contains("@media print"));
}

#[test]
fn markdown_keeps_hostile_text_as_text() {
    let md = text_of(&hand_built(Profile::Desk), Format::Markdown);
    assert!(!md.contains("<script>"));
    assert!(md.contains("\\<script\\>"));
    assert!(md.contains("Kabul embassy \\<b\\>\\&\\</b\\>"));
}

/// Found by `fuzz/fuzz_targets/report.rs`: the Markdown writer printed the report's time and generator
/// and every recorded time (version first read, note, status change, override) unescaped, so a
/// model carrying markup there (a hand-made or imported one) put a live image or tag into the report.
#[test]
fn markdown_escapes_times_and_the_generator_too() {
    let hostile = "<img src=x onerror=alert(1)> ![img](http://example.org/x.png)";
    let mut model = hand_built(Profile::Internal);
    model.generated_at = hostile.into();
    model.generator = hostile.into();
    let draft = &mut model.drafts[0];
    if let Some(version) = draft.version.as_mut() {
        version.first_seen_at = hostile.into();
    }
    for note in &mut draft.notes {
        note.at = hostile.into();
    }
    for claim in &mut draft.claims {
        for change in &mut claim.history {
            change.at = hostile.into();
        }
    }
    for finding in &mut draft.findings {
        if let Some(overridden) = finding.overridden.as_mut() {
            overridden.at = hostile.into();
        }
    }
    for scope in [ReportScope::Draft, ReportScope::Desk] {
        model.scope = scope;
        let md = text_of(&model, Format::Markdown);
        // Read as a CommonMark reader reads it: no raw HTML, no image.
        for event in pulldown_cmark::Parser::new(&md) {
            use pulldown_cmark::{Event, Tag};
            let live = matches!(event, Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::Image { .. }));
            assert!(!live, "{event:?} in\n{md}");
        }
        assert!(md.contains("\\<img src=x onerror=alert(1)\\>"), "{md}");
    }
}

#[test]
fn csv_quotes_as_rfc_4180_says_and_defuses_formulas() {
    assert_eq!(report::csv::field("plain"), "plain");
    assert_eq!(report::csv::field("a,b"), "\"a,b\"");
    assert_eq!(report::csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(report::csv::field("two\nlines"), "\"two\nlines\"");
    for risky in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"] {
        assert!(report::csv::field(risky).starts_with('\''), "{risky:?} not defused");
    }
    let csv = text_of(&hand_built(Profile::Desk), Format::Csv);
    assert!(csv.ends_with("\r\n"));
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\") said the Interior Ministry\""));
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 4, "a header and one row per claim");
    assert!(rows.iter().all(|r| r.len() == report::csv::COLUMNS.len()), "every row has every column");
    assert_eq!(rows[1][6], "disputed");
}

/// A small RFC 4180 reader, to check the writer from the other side.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    rows
}

// ---- the specifications ----------------------------------------------------------

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report-schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema is JSON")
}

fn assert_valid(instance: &Value) {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

#[test]
fn json_validates_against_its_schema_in_both_profiles() {
    for profile in [Profile::Desk, Profile::Internal] {
        let json: Value = serde_json::from_str(&text_of(&hand_built(profile), Format::Json)).expect("json");
        assert_eq!(json["schema_version"], report::SCHEMA_VERSION);
        assert_valid(&json);
    }
    let mut broken: Value = serde_json::from_str(&text_of(&hand_built(Profile::Desk), Format::Json)).expect("json");
    broken["drafts"][0]["claims"][0]["status"] = "probably-true".into();
    let validator = jsonschema::validator_for(&schema()).expect("compiles");
    assert!(!validator.is_valid(&broken), "the schema rejects an unknown status");
    // A desk-profile report carrying a confidential part or a private note breaks the schema.
    let internal: Value = serde_json::from_str(&text_of(&hand_built(Profile::Internal), Format::Json)).expect("json");
    let mut leaky = internal.clone();
    leaky["profile"] = "desk".into();
    leaky["classification"] = "desk".into();
    leaky["drafts"][0]["classification"] = "desk".into();
    assert!(!validator.is_valid(&leaky), "a desk report with a source identity passes the schema");
    leaky["drafts"][0]["sources"][0]["confidential"] = Value::Null;
    assert!(!validator.is_valid(&leaky), "a desk report with a private note passes the schema");
    leaky["drafts"][0]["claims"][0]["notes"] = serde_json::json!([]);
    assert_valid(&leaky);
}

#[test]
fn web_annotations_have_what_the_data_model_requires() {
    let doc: Value = serde_json::from_str(&text_of(&hand_built(Profile::Desk), Format::Annotation)).expect("json");
    assert_eq!(doc["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(doc["type"], "AnnotationCollection");
    assert_eq!(doc["total"], 3);
    let items = doc["first"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    for item in items {
        assert_eq!(item["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert!(item["id"].as_str().is_some_and(|id| id.starts_with("urn:factdesk:claim:")));
        assert_eq!(item["type"], "Annotation");
        let target = &item["target"];
        assert_eq!(target["source"], "file:///srv/desks/world%20news/world/kabul-embassy.txt");
        let selectors = target["selector"].as_array().expect("selectors");
        assert_eq!(selectors[0]["type"], "TextQuoteSelector");
        assert!(selectors[0]["exact"].is_string() && selectors[0]["prefix"].is_string());
        assert_eq!(selectors[1]["type"], "TextPositionSelector");
        // The position selector counts code points: it finds the quote in the text.
        let (start, end) = (selectors[1]["start"].as_u64().expect("start"), selectors[1]["end"].as_u64().expect("end"));
        let found: String = TEXT
            .chars()
            .skip(usize::try_from(start).expect("small"))
            .take(usize::try_from(end - start).expect("small"))
            .collect();
        assert_eq!(found, selectors[0]["exact"].as_str().expect("exact"));
        let bodies = item["body"].as_array().expect("bodies");
        assert!(bodies.iter().all(|b| b["type"] == "TextualBody" && b["value"].is_string()));
        assert!(bodies.iter().any(|b| b["purpose"] == "assessing"));
    }
    let statuses: Vec<&str> = items.iter().map(|i| i["body"][0]["value"].as_str().expect("status")).collect();
    assert_eq!(statuses, ["disputed", "corroborated", "needs-corroboration"]);
    let note_bodies: Vec<&Value> =
        items[0]["body"].as_array().expect("b").iter().filter(|b| b["purpose"] == "commenting").collect();
    assert_eq!(note_bodies.len(), 1, "the open note only");
}

#[test]
fn claim_reviews_rate_only_claims_with_a_verdict_on_a_stated_scale() {
    let doc: Value = serde_json::from_str(&text_of(&hand_built(Profile::Desk), Format::ClaimReview)).expect("json");
    assert_eq!(doc["@context"], "https://schema.org");
    let graph = doc["@graph"].as_array().expect("graph");
    assert_eq!(graph.len(), 2, "disputed and corroborated; needs-corroboration has no verdict");
    for review in graph {
        assert_eq!(review["@type"], "ClaimReview");
        assert!(review["claimReviewed"].is_string());
        assert!(review["datePublished"].as_str().is_some_and(|d| d.len() == 10));
        assert_eq!(review["author"]["@type"], "Person");
        assert_eq!(review["itemReviewed"]["@type"], "Claim");
        let rating = &review["reviewRating"];
        assert_eq!(rating["@type"], "Rating");
        assert_eq!((rating["bestRating"].as_u64(), rating["worstRating"].as_u64()), (Some(5), Some(1)));
        assert!(rating["alternateName"].is_string());
    }
    assert_eq!(graph[0]["reviewRating"]["ratingValue"], 1);
    assert_eq!(graph[0]["reviewRating"]["alternateName"], "Disputed");
    assert_eq!(graph[0]["datePublished"], "2026-11-21");
    assert_eq!(graph[0]["author"]["name"], "Marisol");
    assert_eq!(graph[1]["reviewRating"]["ratingValue"], 5);
}

// ---- PDF -----------------------------------------------------------------------

/// A report's PDF written to `report.pdf` in a temporary folder (the folder and the file), or `None`
/// (said on stderr) where WeasyPrint is not installed.
fn pdf_file(report: &Report) -> Option<(tempfile::TempDir, PathBuf)> {
    let pdf = match report::render(report, Format::Pdf, &WriteOptions::default()) {
        Ok(pdf) => pdf,
        Err(report::ReportError::PdfEngineMissing { .. }) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: WeasyPrint is not installed (scripts/setup-system.sh installs it)");
            return None;
        }
        Err(error) => panic!("{error}"),
    };
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &pdf).expect("write");
    Some((dir, file))
}

/// The PDF's text through pdftotext, or `None` (said on stderr) where WeasyPrint is not installed.
fn pdf_text(report: &Report) -> Option<String> {
    let (_dir, file) = pdf_file(report)?;
    let output = Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext runs");
    assert!(output.status.success());
    // Lines wrap where the page does: compare with whitespace collapsed, pages (form feeds) kept.
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let pages: Vec<String> =
        text.split('\u{c}').map(|page| page.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    Some(pages.join("\u{c}"))
}

#[test]
fn the_pdf_has_extractable_text_and_every_internal_page_is_stamped() {
    let Some(text) = pdf_text(&hand_built(Profile::Desk)) else { return };
    for expected in [
        "Kabul embassy <b>&</b> \"mine\"",
        "Taliban leaders meet at the Chinese embassy every day",
        "Disputed",
        "a senior Taliban official",
        "Editor’s note",
        "Two-source rule",
        "Claims by status",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the PDF text:\n{text}");
    }
    let Some(internal) = pdf_text(&hand_built(Profile::Internal)) else { return };
    let pages: Vec<&str> = internal.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 2, "the report spans pages");
    for (number, page) in pages.iter().enumerate() {
        assert!(page.contains("CONFIDENTIAL"), "page {} is not stamped", number + 1);
    }
    assert!(internal.contains("Zarghuna"));
}

/// Each word of the PDF's first page that holds the Sourcing rules table, with its box (pdftotext -bbox),
/// or `None` where WeasyPrint is not installed.
fn pdf_words(report: &Report) -> Option<Vec<(String, f64, f64)>> {
    let (_dir, file) = pdf_file(report)?;
    let output = Command::new("pdftotext").arg("-bbox").arg(&file).arg("-").output().expect("pdftotext runs");
    assert!(output.status.success());
    let html = String::from_utf8(output.stdout).expect("utf-8");
    let page = html.split("<page ").find(|page| page.contains(">Finding</word>")).expect("a page with the rules table");
    let attribute = |word: &str, name: &str| -> f64 {
        let at = word.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        word[at..].split('"').next().expect("value").parse().expect("a number")
    };
    Some(
        page.split("<word ")
            .skip(1)
            .map(|word| {
                let text = word.split('>').nth(1).and_then(|rest| rest.split("</word").next()).unwrap_or("").to_owned();
                (text, attribute(word, "xMin"), attribute(word, "xMax"))
            })
            .collect(),
    )
}

/// usertest F5: the PDF (A4, narrower than a browser) printed the longest rule id on one line, in a column
/// too narrow for it, over the start of the finding beside it ("…corroborationsclaim 4 …").
#[test]
fn a_long_rule_id_stays_in_its_column_of_the_pdf() {
    let mut report = hand_built(Profile::Desk);
    report.drafts[0].findings[0].rule = "unnamed-needs-two-corroborations".into();
    let Some(words) = pdf_words(&report) else { return };
    let finding_column = words.iter().find(|(text, ..)| text == "Finding").expect("the Finding header").1;
    let rule_words: Vec<_> = words
        .iter()
        .filter(|(text, left, _)| {
            // The id, or its pieces where a line broke it after a hyphen, in the first column (the page says
            // "unnamed" elsewhere too).
            text.contains('-') && "unnamed-needs-two-corroborations".contains(text.as_str()) && *left < finding_column
        })
        .collect();
    assert!(!rule_words.is_empty(), "the rule id is in the PDF: {words:?}");
    for (text, _, right) in rule_words {
        assert!(*right < finding_column, "{text:?} ends at {right}, past the Finding column at {finding_column}");
    }
}

#[test]
fn a_missing_pdf_engine_is_a_clear_error() {
    let options = WriteOptions { pdf_engine: "/nonexistent/weasyprint".into() };
    let error = report::render(&hand_built(Profile::Desk), Format::Pdf, &options).expect_err("no engine");
    let message = error.to_string();
    assert!(message.contains("WeasyPrint") && message.contains("apt-get install weasyprint"), "{message}");
}

// ---- gathered from a real store ------------------------------------------------

fn quote(exact: &str) -> TextQuoteSelector {
    TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() }
}

fn fixed_time() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z").expect("date").into()
}

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures").join(path)
}

/// What each gathering test starts from: the shared scanned desk, on the fixed clock.
use engine::ScannedDesk as ReviewedDesk;

impl ReviewedDesk {
    fn with(files: &[(&str, &str)]) -> Self {
        Self::new(files, fixed_time())
    }

    /// The Kabul piece (read from ../shared, never committed), and `others`.
    fn with_kabul(others: &[(&str, &str)]) -> Self {
        let kabul = std::fs::read_to_string(shared("drafts/kabul-embassy.txt")).expect("the shared draft");
        Self::with(&[&[("kabul-embassy.txt", kabul.as_str())], others].concat())
    }

    fn draft(&self, path: &str) -> DraftId {
        self.desk.draft_by_path(path).expect("q").expect("draft").id
    }
}

#[test]
fn gather_builds_the_model_from_the_store() {
    if engine::on_postgres() {
        return; // several reviewers here are several logins on a team store (the CLI's two-login test covers it)
    }
    let at = ReviewedDesk::with_kabul(&[("other.md", "# Other\n\nThe council met on Monday, the mayor said.")]);
    let (store, clock, desk, review) = (at.store.clone(), at.clock.clone(), &at.desk, &at.review);
    let draft = at.draft("kabul-embassy.txt");
    let meet = review
        .add_claim(
            draft,
            &quote("Taliban leaders meet at the Chinese embassy every day"),
            ClaimStatus::NeedsCorroboration,
        )
        .expect("tag");
    review
        .add_claim(draft, &quote("which has an estimated worth of 50 billion"), ClaimStatus::NeedsCorroboration)
        .expect("tag");
    clock.advance(3600);
    let marisol = Review::new(store.clone(), clock.clone(), "Marisol".into());
    marisol.set_status(meet, ClaimStatus::Disputed).expect("status");

    let options = GatherOptions { profile: Profile::Desk, include_text: true };
    let model = report::gather(&store, clock.clone(), Scope::Draft(draft), &options).expect("gather");
    assert_eq!(model.scope, ReportScope::Draft);
    assert_eq!(model.generated_at, "2026-11-20T10:00:00Z");
    assert_eq!(model.drafts.len(), 1);
    let gathered = &model.drafts[0];
    assert_eq!(gathered.file, "kabul-embassy.txt");
    assert_eq!(gathered.title, "Foreign Affairs Foreign Affairs");
    assert_eq!(gathered.reviewers, ["Ana Editor", "Marisol"]);
    assert!(gathered.text.as_deref().is_some_and(|t| t.contains("Chinese embassy every day")));
    let first = &gathered.claims[0];
    assert_eq!(first.status, ClaimStatus::Disputed);
    assert_eq!(first.attribution.kind, SourceKind::Unnamed, "\"Sources tell Strike Source\" is read as unnamed");
    assert_eq!(first.history.len(), 2);
    assert_eq!(first.history[1].by, "Marisol");
    assert_eq!(first.history[1].from, Some(ClaimStatus::NeedsCorroboration));
    assert!(first.prefix.ends_with("Strike Source that "), "{:?}", first.prefix);
    // No source linked yet: none listed, and the rules say what is missing.
    assert!(gathered.sources.is_empty());
    assert!(gathered.findings.iter().any(|f| f.rule == "unresolved-claim"), "{:?}", gathered.findings);
    assert!(gathered.editors_note.as_deref().is_some_and(|n| n.contains("Note")), "the draft's own note is recognised");
    assert_eq!(gathered.workflow_status.as_deref(), Some("in-review"));
    let json: Value = serde_json::from_str(&text_of(&model, Format::Json)).expect("json");
    assert_valid(&json);
    assert_eq!(json["drafts"][0]["summary"]["by_status"]["disputed"], 1);
    // Both sentences say "Sources tell Strike Source".
    assert_eq!(gathered.claims[1].attribution.kind, SourceKind::Unnamed);
    assert_eq!(json["drafts"][0]["summary"]["unnamed_share"], 1.0);

    let whole = report::gather(&store, clock, Scope::Desk(desk.id()), &GatherOptions::default()).expect("desk");
    assert_eq!(whole.scope, ReportScope::Desk);
    let files: Vec<&str> = whole.drafts.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files, ["kabul-embassy.txt", "other.md"]);
    assert!(whole.drafts.iter().all(|d| d.text.is_none()), "the text only when asked");
    let md = text_of(&whole, Format::Markdown);
    assert!(md.starts_with("# Desk review report"));
    assert!(md.contains("## Review report: Foreign Affairs Foreign Affairs") && md.contains("## Review report: Other"));
}

/// Regression (issue 15): a report said "Reviewed by root" for the changes made before the reviewer's name was
/// set (the computer's login, recorded as their actor) while the window said "Reviewing as Amina Yusuf". The
/// trail keeps the login as recorded; the report says what that name is.
#[test]
fn changes_recorded_before_a_name_was_set_are_shown_as_the_computers_login() {
    if engine::on_postgres() {
        return; // on a team store every change is recorded as the login the server authenticated: no such moment
    }
    let at = ReviewedDesk::with(&[("council.md", "# Council\n\nThe council met on Monday, the mayor said.")]);
    let (tmp, folder, store, clock) = (&at.tmp, &at.folder, at.store.clone(), at.clock.clone());
    let draft = at.draft("council.md");
    // No name set yet: changes are recorded under the computer's login, as the window records them.
    let login = Review::reviewer_name(&factdesk_core::store::lock(&store));
    assert!(!login.is_empty());
    let unnamed = Review::new(store.clone(), clock.clone(), login.clone());
    let met =
        unnamed.add_claim(draft, &quote("The council met on Monday"), ClaimStatus::NeedsCorroboration).expect("tag");
    Review::set_reviewer_name(&factdesk_core::store::lock(&store), "Amina Yusuf").expect("name");
    let named = Review::new(store.clone(), clock.clone(), "Amina Yusuf".into());
    named.set_status(met, ClaimStatus::Corroborated).expect("status");

    let options = GatherOptions { profile: Profile::Desk, include_text: false };
    let model = report::gather(&store, clock.clone(), Scope::Draft(draft), &options).expect("gather");
    assert_eq!(model.drafts[0].reviewers, [login.clone(), "Amina Yusuf".to_owned()], "the actors as recorded");
    let explained = "(this computer's login: changes recorded on this computer before a name was set)";
    for format in [Format::Markdown, Format::Html] {
        let text = text_of(&model, format);
        let line = text.lines().find(|l| l.contains("Reviewed by")).expect("the reviewed-by line");
        let explained = if format == Format::Html { explained.replace('\'', "&#39;") } else { explained.to_owned() };
        assert!(line.contains(&explained) && line.contains("Amina Yusuf"), "{format:?}: {line}");
    }
    // The JSON keeps the actor as recorded: it is data, not a sentence.
    let json: Value = serde_json::from_str(&text_of(&model, Format::Json)).expect("json");
    assert_eq!(json["drafts"][0]["reviewers"][0], login.as_str());

    // A name set before any change: every change is the person's, nothing to explain.
    let other = tmp.path().join("g.db");
    let store = engine::open(&other).expect("store").shared();
    Review::set_reviewer_name(&factdesk_core::store::lock(&store), "Amina Yusuf").expect("name");
    let desk = Desk::open(store.clone(), folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = desk.draft_by_path("council.md").expect("q").expect("draft").id;
    let named = Review::new(store.clone(), clock.clone(), "Amina Yusuf".into());
    named.add_claim(draft, &quote("The council met on Monday"), ClaimStatus::NeedsCorroboration).expect("tag");
    let model = report::gather(&store, clock, Scope::Draft(draft), &options).expect("gather");
    let text = text_of(&model, Format::Markdown);
    assert!(text.contains("| Reviewed by | Amina Yusuf |"), "{text}");
}

/// `REPORT_ARTIFACTS=DIR` writes the hand-built review in every format and
/// profile there, to look at (HTML in a browser, the PDF in a viewer).
#[test]
fn write_artifacts_when_asked() {
    let Some(dir) = std::env::var_os("REPORT_ARTIFACTS").map(PathBuf::from) else { return };
    std::fs::create_dir_all(&dir).expect("mkdir");
    for profile in [Profile::Desk, Profile::Internal] {
        for format in Format::ALL {
            let bytes = report::render(&hand_built(profile), format, &WriteOptions::default()).expect("render");
            let name = format!("report-{}-{}.{}", profile.as_str(), format.as_str(), format.extension());
            std::fs::write(dir.join(name), bytes).expect("write");
        }
    }
}

/// The report of a review made through the store with a fixed clock, pinned
/// as JSON (the desk's temporary folder written as `/desk`).
#[test]
fn a_gathered_review_matches_its_golden_file() {
    let at = ReviewedDesk::with(&[(
        "harbor.md",
        "# Port authority doubled dredging budget\n\n\
         The Eastport Port Authority approved $48 million for harbor dredging in a closed session in January, \
         according to meeting minutes reviewed by the Tribune.\n\n\
         Two people who attended the session said board members were told a larger channel was needed.\n\n\
         \"Every dollar was approved in accordance with state law,\" spokesperson Jenna Morales said.",
    )]);
    let (store, clock, review) = (at.store.clone(), at.clock.clone(), &at.review);
    let draft = at.draft("harbor.md");
    let budget = review
        .add_claim(draft, &quote("approved $48 million for harbor dredging"), ClaimStatus::NeedsCorroboration)
        .expect("tag");
    let channel = review
        .add_claim(
            draft,
            &quote("board members were told a larger channel was needed"),
            ClaimStatus::NeedsCorroboration,
        )
        .expect("tag");
    review.add_claim(draft, &quote("Every dollar was approved"), ClaimStatus::Cleared).expect("tag");
    clock.advance(600);
    review.set_status(budget, ClaimStatus::Corroborated).expect("status");
    clock.advance(600);
    review.set_status(channel, ClaimStatus::Unverifiable).expect("status");

    let options = GatherOptions { profile: Profile::Desk, include_text: true };
    let mut model = report::gather(&store, clock, Scope::Draft(draft), &options).expect("gather");
    model.desk = "/desk".into();
    model.generator = "Factdesk".into();
    golden("gathered.json", &text_of(&model, Format::Json));
    golden("gathered.md", &text_of(&model, Format::Markdown));
}

#[test]
fn gather_carries_the_sourcing_review_and_reveals_identities_only_for_internal_reports() {
    use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
    use factdesk_core::sourcing::note::NoteTarget;
    use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind as RegisterKind, SourceRole as Role};
    let at = ReviewedDesk::with_kabul(&[]);
    let (store, clock, desk, review) = (at.store.clone(), at.clock.clone(), &at.desk, &at.review);
    let draft = at.draft("kabul-embassy.txt");
    let meet = review
        .add_claim(draft, &quote("Taliban leaders meet at the Chinese embassy every day"), ClaimStatus::Corroborated)
        .expect("tag");
    let diplomat = review
        .add_source(
            desk.id(),
            &NewSource {
                descriptor: "a senior Western diplomat".into(),
                kind: RegisterKind::Unnamed,
                notes: String::new(),
                confidential: Some(Confidential {
                    identity: Some("Q7-IDENTITY-ZEBRA".into()),
                    anonymity_reason: Some("fears for safety".into()),
                    ..Confidential::default()
                }),
            },
        )
        .expect("source");
    review.link_source(meet, diplomat, Role::Attributed).expect("link");
    let mut contrary =
        NewEvidence::supporting(EvidenceKind::Document, "cable 12", "says the meetings are weekly", true);
    contrary.stance = factdesk_core::sourcing::evidence::Stance::Contradicts;
    review
        .add_evidence(meet, &NewEvidence::supporting(EvidenceKind::Url, "https://example.org/photos", "photos", true))
        .expect("evidence");
    review.add_evidence(meet, &contrary).expect("evidence");
    review.add_note(NoteTarget::Claim(meet), "Ask the second diplomat", None).expect("note");
    review.add_note(NoteTarget::Draft(draft), "Hold until Monday", None).expect("note");
    let private = review.add_private_note(NoteTarget::Claim(meet), "PRIVATE-NOTE-MANGO", None).expect("note");
    review.add_note(NoteTarget::Claim(meet), "REPLY-TO-PRIVATE-KIWI", Some(private)).expect("reply");

    let desk_report =
        report::gather(&store, clock.clone(), Scope::Draft(draft), &GatherOptions::default()).expect("gather");
    let gathered = &desk_report.drafts[0];
    assert_eq!(gathered.sources.len(), 1);
    assert_eq!(gathered.sources[0].descriptor, "a senior Western diplomat");
    assert_eq!(gathered.sources[0].kind, SourceKind::Unnamed);
    assert!(gathered.sources[0].confidential.is_none(), "the desk profile never reads the identity");
    let claim = &gathered.claims[0];
    assert_eq!(claim.attribution.kind, SourceKind::Unnamed);
    assert_eq!(claim.attribution.basis, report::AttributionBasis::Sources);
    assert_eq!(claim.evidence.len(), 2);
    assert_eq!(claim.evidence.iter().filter(|e| e.contradicts).count(), 1);
    assert_eq!(claim.notes[0].text, "Ask the second diplomat");
    assert_eq!(gathered.notes[0].text, "Hold until Monday");
    for format in [Format::Markdown, Format::Html, Format::Json, Format::Csv, Format::Annotation] {
        let text = text_of(&desk_report, format);
        for secret in ["Q7-IDENTITY-ZEBRA", "fears for safety", "PRIVATE-NOTE-MANGO", "REPLY-TO-PRIVATE-KIWI"] {
            assert!(!text.contains(secret), "{format:?} leaks {secret}");
        }
        if format != Format::Annotation {
            assert!(text.contains("a senior Western diplomat"), "{format:?} names the source by descriptor");
        }
    }
    assert!(!review.audit_trail(None).expect("trail").iter().any(|e| e.action == "source.reveal"));

    let internal = GatherOptions { profile: Profile::Internal, include_text: false };
    let internal_report = report::gather(&store, clock, Scope::Draft(draft), &internal).expect("gather");
    let secret = internal_report.drafts[0].sources[0].confidential.as_ref().expect("internal shows it");
    assert_eq!(secret.identity, "Q7-IDENTITY-ZEBRA");
    let notes: Vec<&str> = internal_report.drafts[0].claims[0].notes.iter().map(|n| n.text.as_str()).collect();
    assert!(notes.contains(&"PRIVATE-NOTE-MANGO") && notes.contains(&"REPLY-TO-PRIVATE-KIWI"), "{notes:?}");
    assert!(
        review.audit_trail(None).expect("trail").iter().any(|e| e.action == "source.reveal"),
        "reading identities for an internal report is a reveal on the audit trail"
    );
}

/// usertest F9: every report printed "Two-source rule not met: has 0 independent corroborations of the 2 needed"
/// on a cleared claim no unnamed source stands behind, which a reader takes for an open problem. The rule
/// (`unnamed-needs-two-corroborations`) asks something only of a claim attributed only to unnamed sources; for
/// any other claim every surface says it does not apply, and why, in the same words as the window.
#[test]
fn each_report_says_whether_the_two_source_rule_applies_in_the_windows_words() {
    use factdesk_core::rules::RuleId;
    use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
    use factdesk_core::sourcing::source::{NewSource, SourceKind as RegisterKind, SourceRole as Role};
    let at = ReviewedDesk::with(&[(
        "harbor.md",
        "# Harbor\n\nThe harbor opened in 1911 on the east bank. The mayor approved the dredging budget on Monday. \
         Officials expect the channel to silt up within two years. The port lost money for a third year running. \
         Sources tell the Harbor Gazette that the ferry will stop in May.",
    )]);
    let (store, clock, desk, review) = (at.store.clone(), at.clock.clone(), &at.desk, &at.review);
    let draft = at.draft("harbor.md");
    let source = |descriptor: &str, kind: RegisterKind| {
        let new = NewSource { descriptor: descriptor.into(), kind, notes: String::new(), confidential: None };
        review.add_source(desk.id(), &new).expect("source")
    };
    // Cleared, no source behind it: the case the user saw.
    let opened = review.add_claim(draft, &quote("The harbor opened in 1911"), ClaimStatus::Cleared).expect("tag");
    // On the record: the rule does not apply either.
    let approved = review
        .add_claim(draft, &quote("The mayor approved the dredging budget"), ClaimStatus::NeedsCorroboration)
        .expect("tag");
    review
        .link_source(approved, source("the mayor's office", RegisterKind::NamedPerson), Role::Attributed)
        .expect("link");
    // Only unnamed sources behind it: the rule applies, and is not met.
    let silt =
        review.add_claim(draft, &quote("expect the channel to silt up"), ClaimStatus::NeedsCorroboration).expect("tag");
    let engineer = source("a harbor engineer", RegisterKind::Unnamed);
    review.link_source(silt, engineer, Role::Attributed).expect("link");
    // Only unnamed sources, two independent corroborations: met.
    let lost = review
        .add_claim(draft, &quote("The port lost money for a third year"), ClaimStatus::Corroborated)
        .expect("tag");
    review.link_source(lost, engineer, Role::Attributed).expect("link");
    for reference in ["accounts 2024", "accounts 2025"] {
        review
            .add_evidence(lost, &NewEvidence::supporting(EvidenceKind::Document, reference, "a loss", true))
            .expect("evidence");
    }

    // The wording gives it to unnamed sources and none is linked yet: the verdict says what to do.
    let ferry =
        review.add_claim(draft, &quote("the ferry will stop in May"), ClaimStatus::NeedsCorroboration).expect("tag");

    let expected = [
        (opened, "Two-source rule does not apply: no source is linked as attributed"),
        (ferry, "Two-source rule does not apply yet: link the unnamed sources the wording names as attributed"),
        (approved, "Two-source rule does not apply: attributed to an on-the-record source"),
        (silt, "Two-source rule not met: attributed only to unnamed sources and has 0 independent corroborations of the 2 needed"),
        (lost, "Two-source rule met"),
    ];
    // The window: the inspector and the Draft review matrix.
    let matrix = review.sourcing_matrix(draft).expect("matrix");
    for (claim, verdict) in expected {
        assert_eq!(review.corroboration(claim).expect("corroboration").verdict, verdict);
        let row = matrix.rows.iter().find(|r| r.claim == claim).expect("row");
        assert_eq!(row.corroboration.verdict, verdict);
    }
    // Every report that prints the verdict, in the same words, and "not met" only where the rule is not met.
    let model = report::gather(&store, clock, Scope::Draft(draft), &GatherOptions::default()).expect("gather");
    let mut outputs: Vec<(String, String)> = [Format::Markdown, Format::Html, Format::Json, Format::Csv]
        .into_iter()
        .map(|format| (format!("{format:?}"), text_of(&model, format)))
        .collect();
    if let Some(pdf) = pdf_text(&model) {
        outputs.push(("Pdf".into(), pdf));
    }
    for (format, text) in &outputs {
        for (_, verdict) in expected {
            assert!(text.contains(verdict), "{format} lacks {verdict:?}:\n{text}");
        }
        assert_eq!(text.matches("rule not met").count(), 1, "{format}: only the unnamed claim falls short:\n{text}");
    }
    let json: Value = serde_json::from_str(&text_of(&model, Format::Json)).expect("json");
    assert_valid(&json);
    assert_eq!(json["drafts"][0]["summary"]["two_source_rule_holds"], 1, "only where the rule applies");
    let markdown = text_of(&model, Format::Markdown);
    assert!(markdown.contains("the two-source rule is met for 1 of the 2 claims it applies to"), "{markdown}");

    // One name per rule: each report's rules table prints the label the window shows (the generated
    // bindings' RULE_LABELS are `RuleId::labels()`), and the two-source rule's is the verdicts' own words.
    let findings = review.check(draft).expect("check");
    let fired: Vec<RuleId> = findings.iter().map(|f| f.rule).collect();
    assert!(
        fired.contains(&RuleId::UnnamedNeedsTwoCorroborations) && fired.contains(&RuleId::UnresolvedClaim),
        "{fired:?}"
    );
    assert_eq!(RuleId::UnnamedNeedsTwoCorroborations.label(), "Two-source rule");
    for (format, text) in &outputs {
        for rule in &fired {
            let label = match format.as_str() {
                "Csv" => continue, // The CSV has a row per claim, not the rules table.
                "Html" => rule.label().replace('\'', "&#39;"),
                _ => rule.label().to_owned(),
            };
            assert!(text.contains(&label), "{format} lacks the label {label:?}:\n{text}");
        }
        // The name Draft review's card once gave it.
        assert!(!text.contains("Two independent corroborations"), "{format} names the two-source rule otherwise");
    }
    assert_eq!(RuleId::labels().len(), RuleId::ALL.len());
}

/// The first page of a report's PDF as pixels (pdftoppm at 50 dpi: width, height, RGB rows), or `None`
/// where WeasyPrint is not installed.
fn pdf_first_page_pixels(report: &Report) -> Option<(usize, usize, Vec<u8>)> {
    let (dir, file) = pdf_file(report)?;
    let status = Command::new("pdftoppm")
        .args(["-r", "50", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let ppm = std::fs::read(dir.path().join("page.ppm")).expect("the page");
    // "P6 <width> <height> 255" and one whitespace byte, then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (width, height): (usize, usize) = (fields[1].parse().expect("width"), fields[2].parse().expect("height"));
    Some((width, height, ppm[at + 1..].to_vec()))
}

/// usertest F13: the PDF's "Claims by status" bar stopped short of the right edge of the boxes above it (the
/// SVG kept its 640 px while the A4 page is wider).
#[test]
fn the_status_bar_of_the_pdf_spans_the_width_of_the_summary_boxes() {
    let Some((width, height, pixels)) = pdf_first_page_pixels(&hand_built(Profile::Desk)) else { return };
    let pixel = |x: usize, y: usize| {
        let at = (y * width + x) * 3;
        (pixels[at], pixels[at + 1], pixels[at + 2])
    };
    // The bar's segments are strong colours; the figure boxes are #f2f0eb.
    let saturated = |(r, g, b): (u8, u8, u8)| r.max(g).max(b) - r.min(g).min(b) > 60;
    let box_grey = |(r, g, b): (u8, u8, u8)| r.abs_diff(0xf2) <= 3 && g.abs_diff(0xf0) <= 3 && b.abs_diff(0xeb) <= 3;
    // The row with the longest run of strong colour is the bar's; its run's right end is the bar's.
    let mut bar: Option<(usize, usize, usize)> = None; // (run length, right end, row)
    let mut boxes_right = 0;
    for y in 0..height {
        let mut run = 0;
        for x in 0..width {
            if box_grey(pixel(x, y)) {
                boxes_right = boxes_right.max(x);
            }
            run = if saturated(pixel(x, y)) { run + 1 } else { 0 };
            if run > 0 && bar.is_none_or(|(longest, ..)| run > longest) {
                bar = Some((run, x, y));
            }
        }
    }
    let (run, bar_right, row) = bar.expect("a bar on the first page");
    assert!(run > width / 3, "the longest coloured run ({run} px on row {row}) is not the bar");
    assert!(boxes_right > 0, "the summary boxes are on the first page");
    assert!(
        bar_right + 2 >= boxes_right,
        "the status bar ends at x = {bar_right}, short of the boxes' right edge at {boxes_right} (50 dpi)"
    );
}

/// usertest F13: a review with no claims drew two empty charts, each saying "No claims tagged"; the Claims
/// section's line says it once.
#[test]
fn a_review_with_no_claims_says_so_once_instead_of_two_empty_charts() {
    let mut report = hand_built(Profile::Desk);
    report.drafts[0].claims.clear();
    report.drafts[0].findings.clear();
    let html = text_of(&report, Format::Html);
    assert_eq!(html.matches("No claims tagged").count(), 1, "{html}");
    assert!(!html.contains("<svg class=\"chart\""), "no empty chart is drawn");
    // With claims, both charts are there.
    let html = text_of(&hand_built(Profile::Desk), Format::Html);
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 2);
    assert!(!html.contains("No claims tagged"));
}
