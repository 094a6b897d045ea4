//! Suggestions: for any text, every proposed sentence lies inside the text and
//! its quote is exactly those code points; the sourcing profile's spans too,
//! and its figures add up.
#![no_main]

use factdesk_core::suggest::{self, TextSpan};
use libfuzzer_sys::fuzz_target;

/// The code points `start..end` of `text`, if they are in it.
fn slice(text: &str, start: usize, end: usize) -> Option<String> {
    (start <= end && end <= text.chars().count()).then(|| text.chars().skip(start).take(end - start).collect())
}

fn check_span(what: &str, text: &str, span: &TextSpan) {
    assert_eq!(
        slice(text, span.start, span.end).as_deref(),
        Some(span.text.as_str()),
        "{what} {}..{}",
        span.start,
        span.end
    );
}

fuzz_target!(|data: &[u8]| {
    // Suggestions run on canonical text: what ingest made of a file. Feed both
    // the raw string and its canonical form, so the fuzzer reaches either.
    let raw = String::from_utf8_lossy(data);
    for text in [raw.to_string(), raw.replace("\r\n", "\n").replace('\r', "\n")] {
        let suggestions = suggest::suggest(&text);
        let mut previous_end = 0;
        for suggestion in &suggestions {
            assert!(suggestion.start < suggestion.end, "empty suggestion {}..{}", suggestion.start, suggestion.end);
            assert!(suggestion.start >= previous_end, "suggestions out of order or overlapping");
            previous_end = suggestion.end;
            assert_eq!(
                slice(&text, suggestion.start, suggestion.end).as_deref(),
                Some(suggestion.quote.as_str()),
                "quote of {}..{}",
                suggestion.start,
                suggestion.end
            );
            assert!((0.5..=1.0).contains(&suggestion.score), "score {}", suggestion.score);
            if let Some(cue) = &suggestion.attribution.cue {
                assert!(text.contains(cue.as_str()), "cue {cue:?} is not in the text");
            }
        }
        let profile = suggest::profile(&text, &suggestions);
        assert_eq!(profile.claims, suggestions.len());
        assert_eq!(profile.named + profile.anonymous + profile.document + profile.unattributed, profile.claims);
        assert!((0.0..=1.0).contains(&profile.unnamed_share), "unnamed share {}", profile.unnamed_share);
        for span in profile.figures_without_unit.iter().chain(&profile.unattributed_claims).chain(&profile.editors_note)
        {
            check_span("profile span", &text, span);
        }
    }
});
