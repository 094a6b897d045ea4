//! Report writers: a review full of hostile strings (markup, script, Markdown
//! syntax, formulas, control characters, claims placed anywhere, overlapping or
//! inverted) is written in every text format without a panic, and
//! - the HTML report, parsed as a browser parses it, holds only the writer's
//!   own elements and attributes: no script, no event handler, no tag from the input;
//! - the Markdown report, read as CommonMark, holds no raw HTML and no link;
//! - the JSON formats parse; every CSV record has every column and no cell
//!   starts a formula;
//! - a desk-profile report never carries a confidential source field or a
//!   private note, whichever format.
#![no_main]

use arbitrary::{Result, Unstructured};
use factdesk_core::anchor::AnchorState;
use factdesk_core::report::{
    self, AttributedTo, Attribution, AttributionBasis, ClaimReport, ConfidentialSource, DraftReport, Evidence, Finding,
    Format, Note, Override, Profile, Report, ReportScope, Severity, Source, SourceLink, SourceRole, StatusChange,
    VersionInfo, WriteOptions,
};
use factdesk_core::review::ClaimStatus;
use factdesk_core::store::{ClaimId, DraftId, EvidenceId, NoteId, SourceId, VersionId};
use libfuzzer_sys::fuzz_target;

/// Pieces the fuzzer would take long to spell out by itself.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)",
    "</style><script>",
    "</textarea></title>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<svg onload=alert(1)>",
    "<mark class=x>",
    "javascript:alert(1)",
    "&lt;b&gt;",
    "&#60;script&#62;",
    "[link](javascript:alert(1))",
    "![img](http://example.org/x.png)",
    "<http://example.org>",
    "`code`",
    "```\n",
    "\n# heading\n",
    "\n- item\n",
    "\n> quote\n",
    "| a | b |\n|---|---|",
    "\\",
    "*em* _em_ **strong**",
    "=HYPERLINK(\"http://x\")",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    ",\"\n\r",
    "\u{0}",
    "\u{1b}[31m",
    "\u{202e}",
    "\u{feff}",
    "\u{fffd}",
    "\u{2028}",
    "é",
    "👩‍👩‍👧",
    "\u{301}",
    "\n\n",
    "\r\n",
];

/// Marks the confidential strings: the fuzzer's own strings never hold it.
const SECRET: char = '\u{e000}';

fn hostile(u: &mut Unstructured<'_>) -> Result<String> {
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=4)? {
        if u.arbitrary()? {
            out.push_str(u.choose(HOSTILE)?);
        } else {
            let piece: &str = u.arbitrary()?;
            out.push_str(piece);
        }
    }
    Ok(out.replace(SECRET, ""))
}

fn secret(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(format!("{SECRET}{}{SECRET}", hostile(u)?))
}

fn optional(u: &mut Unstructured<'_>) -> Result<Option<String>> {
    Ok(if u.arbitrary()? { Some(hostile(u)?) } else { None })
}

fn list<T>(u: &mut Unstructured<'_>, max: usize, item: impl Fn(&mut Unstructured<'_>) -> Result<T>) -> Result<Vec<T>> {
    (0..u.int_in_range(0..=max)?).map(|_| item(u)).collect()
}

fn small_id(u: &mut Unstructured<'_>) -> Result<i64> {
    // Ids collide often enough to exercise replies and links to the wrong place.
    Ok(i64::from(u.int_in_range(-1i8..=8)?))
}

fn note(u: &mut Unstructured<'_>) -> Result<Note> {
    let private = u.arbitrary()?;
    Ok(Note {
        id: NoteId(small_id(u)?),
        reply_to: if u.arbitrary()? { Some(NoteId(small_id(u)?)) } else { None },
        author: hostile(u)?,
        at: hostile(u)?,
        text: if private { secret(u)? } else { hostile(u)? },
        private,
    })
}

fn status(u: &mut Unstructured<'_>) -> Result<ClaimStatus> {
    u.choose(&ClaimStatus::ALL).copied()
}

fn claim(u: &mut Unstructured<'_>) -> Result<ClaimReport> {
    let position = |u: &mut Unstructured<'_>| -> Result<Option<u32>> {
        Ok(match u.int_in_range(0u8..=3)? {
            0 => None,
            1 => Some(u32::MAX),
            _ => Some(u32::from(u.int_in_range(0u8..=80)?)),
        })
    };
    Ok(ClaimReport {
        id: ClaimId(small_id(u)?),
        status: status(u)?,
        quote: hostile(u)?,
        prefix: hostile(u)?,
        suffix: hostile(u)?,
        original_quote: hostile(u)?,
        start: position(u)?,
        end: position(u)?,
        anchor: *u.choose(&[
            AnchorState::Anchored,
            AnchorState::Moved,
            AnchorState::Fuzzy,
            AnchorState::Ambiguous,
            AnchorState::Orphaned,
        ])?,
        confidence: f32::from(u.int_in_range(0u8..=100)?) / 100.0,
        needs_attention: u.arbitrary()?,
        attribution: Attribution {
            kind: *u.choose(AttributedTo::ALL)?,
            cue: optional(u)?,
            basis: if u.arbitrary()? { AttributionBasis::Sources } else { AttributionBasis::Detected },
        },
        sources: list(u, 3, |u| {
            Ok(SourceLink {
                source: SourceId(small_id(u)?),
                role: *u.choose(&[SourceRole::Attributed, SourceRole::Corroborates, SourceRole::Contradicts])?,
            })
        })?,
        evidence: list(u, 2, |u| {
            Ok(Evidence {
                id: EvidenceId(small_id(u)?),
                kind: hostile(u)?,
                reference: hostile(u)?,
                summary: hostile(u)?,
                obtained: optional(u)?,
                added_by: hostile(u)?,
                independent: u.arbitrary()?,
                contradicts: u.arbitrary()?,
            })
        })?,
        notes: list(u, 3, note)?,
        history: list(u, 3, |u| {
            Ok(StatusChange {
                from: if u.arbitrary()? { Some(status(u)?) } else { None },
                to: status(u)?,
                by: hostile(u)?,
                at: hostile(u)?,
            })
        })?,
        created_by: hostile(u)?,
        created_at: hostile(u)?,
    })
}

fn draft(u: &mut Unstructured<'_>) -> Result<DraftReport> {
    Ok(DraftReport {
        id: DraftId(small_id(u)?),
        title: hostile(u)?,
        file: hostile(u)?,
        format: optional(u)?,
        missing: u.arbitrary()?,
        version: if u.arbitrary()? {
            Some(VersionInfo {
                id: VersionId(small_id(u)?),
                number: u.arbitrary()?,
                content_hash: hostile(u)?,
                first_seen_at: hostile(u)?,
                words: u.arbitrary()?,
                versions: u.arbitrary()?,
            })
        } else {
            None
        },
        reviewers: list(u, 2, hostile)?,
        workflow_status: optional(u)?,
        editors_note: optional(u)?,
        claims: list(u, 5, claim)?,
        sources: list(u, 3, |u| {
            Ok(Source {
                id: SourceId(small_id(u)?),
                descriptor: hostile(u)?,
                kind: *u.choose(AttributedTo::ALL)?,
                confidential: if u.arbitrary()? {
                    Some(ConfidentialSource {
                        identity: secret(u)?,
                        contact: secret(u)?,
                        how_known: secret(u)?,
                        anonymity_reason: secret(u)?,
                        editor_knows: secret(u)?,
                        approved_by: secret(u)?,
                    })
                } else {
                    None
                },
            })
        })?,
        notes: list(u, 3, note)?,
        findings: list(u, 3, |u| {
            Ok(Finding {
                rule: hostile(u)?,
                message: hostile(u)?,
                severity: *u.choose(&[Severity::Info, Severity::Warning, Severity::Blocking])?,
                claim: if u.arbitrary()? { Some(ClaimId(small_id(u)?)) } else { None },
                overridden: if u.arbitrary()? {
                    Some(Override { id: None, by: hostile(u)?, at: hostile(u)?, reason: hostile(u)? })
                } else {
                    None
                },
            })
        })?,
        text: optional(u)?,
    })
}

fn build(u: &mut Unstructured<'_>) -> Result<Report> {
    Ok(Report {
        generated_at: hostile(u)?,
        generator: hostile(u)?,
        profile: if u.arbitrary()? { Profile::Internal } else { Profile::Desk },
        scope: if u.arbitrary()? { ReportScope::Desk } else { ReportScope::Draft },
        desk: hostile(u)?,
        drafts: list(u, 3, draft)?,
        audit_head: None,
        computer_login: optional(u)?,
    })
}

/// Elements and attributes the HTML writer itself emits (and those the HTML
/// parser adds around them); anything else came from the input.
const ELEMENTS: &[&str] = &[
    "html",
    "head",
    "body",
    "meta",
    "title",
    "style",
    "article",
    "section",
    "header",
    "footer",
    "div",
    "p",
    "span",
    "strong",
    "em",
    "small",
    "code",
    "br",
    "h1",
    "h2",
    "h3",
    "blockquote",
    "mark",
    "sup",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "svg",
    "rect",
    "text",
];
const ATTRIBUTES: &[&str] = &[
    "class",
    "style",
    "id",
    "lang",
    "charset",
    "name",
    "content",
    "title",
    "role",
    "aria-hidden",
    "aria-labelledby",
    "xmlns",
    "viewbox",
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "rx",
    "fill",
    "font-size",
    "font-weight",
    "text-anchor",
    "preserveaspectratio",
    "preserveAspectRatio",
];

fn check_html(html: &str) {
    let document = scraper::Html::parse_document(html);
    let mut styles = 0;
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else { continue };
        let name = element.name();
        assert!(ELEMENTS.contains(&name), "the HTML report holds a <{name}> element the writer never emits");
        if name == "style" {
            styles += 1;
        }
        for (attribute, value) in element.attrs() {
            assert!(
                ATTRIBUTES.contains(&attribute),
                "<{name}> has an attribute {attribute}={value:?} the writer never emits"
            );
        }
    }
    assert!(styles <= 1, "the HTML report holds {styles} style elements");
}

fn check_markdown(markdown: &str) {
    use pulldown_cmark::{Event, Parser, Tag};
    for event in Parser::new(markdown) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => panic!("the Markdown report holds raw HTML {html:?}"),
            Event::Start(Tag::Link { dest_url, .. }) => panic!("the Markdown report holds a link to {dest_url:?}"),
            Event::Start(Tag::Image { dest_url, .. }) => panic!("the Markdown report holds an image {dest_url:?}"),
            _ => {}
        }
    }
}

/// RFC 4180 records, for checking the CSV writer with a reader that is not its own.
fn csv_records(csv: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "the CSV report ends inside a quoted field");
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

fn check_csv(csv: &str) {
    let records = csv_records(csv);
    let columns = report::csv::COLUMNS.len();
    for (index, record) in records.iter().enumerate() {
        assert_eq!(record.len(), columns, "CSV record {index} has {} fields: {record:?}", record.len());
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "CSV record {index} has a cell a spreadsheet runs as a formula: {cell:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(model) = build(&mut u) else { return };
    if std::env::var_os("FACTDESK_FUZZ_DUMP").is_some() {
        eprintln!("{model:#?}");
    }
    let options = WriteOptions::default();
    for format in Format::ALL.into_iter().filter(|f| f.is_text()) {
        let bytes = match report::render(&model, format, &options) {
            Ok(bytes) => bytes,
            Err(err) => panic!("{} writer failed: {err}", format.as_str()),
        };
        let text = String::from_utf8(bytes).expect("a text report is UTF-8");
        // To see what a crashing input made: FACTDESK_FUZZ_DUMP=1 cargo fuzz run report ARTIFACT
        if std::env::var_os("FACTDESK_FUZZ_DUMP").is_some() {
            eprintln!("---- {} ----\n{text}", format.as_str());
        }
        if model.profile == Profile::Desk {
            assert!(!text.contains(SECRET), "a desk-profile {} report carries a confidential field", format.as_str());
        }
        match format {
            Format::Html => check_html(&text),
            Format::Markdown => check_markdown(&text),
            Format::Csv => check_csv(&text),
            Format::Json | Format::Annotation | Format::ClaimReview => {
                if let Err(err) = serde_json::from_str::<serde_json::Value>(&text) {
                    panic!("the {} report is not JSON: {err}", format.as_str());
                }
            }
            Format::Pdf => {}
        }
    }
});
