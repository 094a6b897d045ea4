//! Anchoring: for any old and new text, claims described on the old text and
//! hostile selectors (quotes that are not in the text, positions that do not
//! match them) are re-anchored without a panic, and nothing is ever placed
//! outside the new text or on an empty or inverted span.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use factdesk_core::anchor::{self, Anchor, AnchorState, TextPositionSelector, TextQuoteSelector};
use libfuzzer_sys::fuzz_target;

/// The input: `old text 0xFF new text 0xFF selectors`. 0xFF is never in UTF-8, so a
/// seed is two real drafts joined by it; the selectors' bytes go through `Arbitrary`.
#[derive(Debug, Arbitrary)]
struct Selectors {
    /// Spans of the old text, as a reviewer would select them (wrapped into range below).
    spans: Vec<(u16, u16)>,
    /// Selectors as stored by anyone: any quote, any context, any position.
    raw: Vec<(String, String, String, u32, u32)>,
}

struct Input {
    old_text: String,
    new_text: String,
    spans: Vec<(u16, u16)>,
    raw: Vec<(String, String, String, u32, u32)>,
}

impl Input {
    fn split(data: &[u8]) -> Option<Self> {
        let mut parts = data.splitn(3, |&b| b == 0xFF);
        let old_text = String::from_utf8_lossy(parts.next()?).into_owned();
        let new_text = String::from_utf8_lossy(parts.next()?).into_owned();
        let selectors = Selectors::arbitrary_take_rest(Unstructured::new(parts.next().unwrap_or_default())).ok()?;
        Some(Self { old_text, new_text, spans: selectors.spans, raw: selectors.raw })
    }
}

fn check_span(what: &str, start: u32, end: u32, len: u32) {
    assert!(start < end, "{what}: empty or inverted span {start}..{end}");
    assert!(end <= len, "{what}: span {start}..{end} outside a text of {len} code points");
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::split(data) else { return };
    let old_len = input.old_text.chars().count() as u32;
    let new_len = input.new_text.chars().count() as u32;
    let mut anchors = Vec::new();
    for &(a, b) in input.spans.iter().take(64) {
        let (a, b) = (u32::from(a), u32::from(b));
        let position = if old_len == 0 {
            TextPositionSelector { start: a, end: b }
        } else {
            let start = a % old_len;
            TextPositionSelector { start, end: start + 1 + b % (old_len - start) }
        };
        match anchor::describe(&input.old_text, position) {
            Ok(described) => {
                assert_eq!(described.position, position);
                // The quote is found again in the text it was described on.
                if let Ok(found) = anchor::locate(&input.old_text, &described.quote) {
                    check_span("locate on the old text", found.start, found.end, old_len);
                }
                anchors.push(described);
            }
            Err(_) => assert!(old_len == 0 || position.end > old_len || position.start >= position.end),
        }
    }
    for (exact, prefix, suffix, start, end) in input.raw.into_iter().take(16) {
        let quote = TextQuoteSelector { exact, prefix, suffix };
        if let Ok(found) = anchor::locate(&input.new_text, &quote) {
            check_span("locate", found.start, found.end, new_len);
        }
        anchors.push(Anchor { quote, position: TextPositionSelector { start, end } });
    }

    let placements = anchor::reanchor_all(&input.old_text, &input.new_text, &anchors);
    assert_eq!(placements.len(), anchors.len(), "one placement per anchor");
    for placement in &placements {
        assert!((0.0..=1.0).contains(&placement.confidence), "confidence {}", placement.confidence);
        match placement.state {
            AnchorState::Anchored | AnchorState::Moved | AnchorState::Fuzzy => {
                let Some(position) = placement.position else {
                    panic!("{:?} placement without a position", placement.state)
                };
                check_span("placement", position.start, position.end, new_len);
            }
            AnchorState::Ambiguous | AnchorState::Orphaned => {
                assert!(placement.position.is_none(), "{:?} placement with a position", placement.state);
            }
        }
        for candidate in &placement.candidates {
            check_span("candidate", candidate.start, candidate.end, new_len);
        }
    }

    let changes = anchor::changes(&input.old_text, &input.new_text);
    for span in &changes.removed {
        check_span("removed", span.start, span.end, old_len);
    }
    for span in &changes.added {
        check_span("added", span.start, span.end, new_len);
    }
});
