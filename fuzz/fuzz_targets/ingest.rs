//! Ingest: any bytes, read as Markdown, HTML or plain text, give a draft with a
//! state and a reason, never a panic; the canonical text's blocks lie inside
//! it, in order, and its hash is the hash of that text.
#![no_main]

use factdesk_core::ingest::{self, DraftFormat, FileState};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let (format, name) = match selector % 3 {
        0 => (DraftFormat::Markdown, "draft.md"),
        1 => (DraftFormat::Html, "draft.html"),
        _ => (DraftFormat::Text, "draft.txt"),
    };
    let file = ingest::parse(bytes, format, name);
    match file.state {
        FileState::Ok => assert!(file.reason.is_none(), "an ok draft carries no reason"),
        _ => assert!(file.reason.as_deref().is_some_and(|r| !r.is_empty()), "state {:?} without a reason", file.state),
    }
    let Some(content) = file.content else { return };
    let len = content.text.chars().count();
    let mut previous_end = 0;
    for block in &content.blocks {
        let (start, end) = (block.start as usize, block.end as usize);
        assert!(start <= end && end <= len, "block {start}..{end} outside a text of {len} code points");
        assert!(start >= previous_end, "block {start}..{end} overlaps the one ending at {previous_end}");
        previous_end = end;
        assert!(block.level <= 6, "heading level {}", block.level);
    }
    assert_eq!(content.content_hash, ingest::hex_sha256(content.text.as_bytes()));
    assert_eq!(content.words, ingest::count_words(&content.text));
});
