//! Ingest: any bytes, read as Markdown, HTML, plain text, .docx or .odt, give a
//! draft with a state and a reason, never a panic; the canonical text's blocks
//! lie inside it, in order, as do a document's marks, and its hash is the hash
//! of that text.
#![no_main]

use factdesk_core::ingest::{self, DraftFormat, FileState};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    // 0–2 as before the documents came (the seeds' first byte), 3 and 4 the documents.
    let (format, name) = match selector % 5 {
        0 => (DraftFormat::Markdown, "draft.md"),
        1 => (DraftFormat::Html, "draft.html"),
        3 => (DraftFormat::Docx, "draft.docx"),
        4 => (DraftFormat::Odt, "draft.odt"),
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
    let marks = &content.marks;
    for (start, end) in marks
        .changes
        .iter()
        .map(|c| (c.start, c.end))
        .chain(marks.comments.iter().map(|c| (c.start, c.end)))
        .chain(marks.links.iter().map(|l| (l.start, l.end)))
    {
        assert!(start <= end && end as usize <= len, "mark {start}..{end} outside a text of {len} code points");
    }
    assert_eq!(content.content_hash, ingest::hex_sha256(content.text.as_bytes()));
    assert_eq!(content.words, ingest::count_words(&content.text));
});
