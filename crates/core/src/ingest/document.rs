//! Word-processor documents: .docx (Word, Google Docs) and .odt (LibreOffice).
//!
//! Both are zip containers of XML. This module opens the container with
//! limits (a zip bomb, an entry pointing outside the container, an encrypted
//! or binary file under the right name each get a clear reason), and gives
//! the format readers (`docx`, `odt`) an `Assembler` that
//! builds the canonical text while remembering where in it the document's
//! links, tracked changes and comments fall.
//!
//! The canonical text is the document with every tracked change accepted
//! (what would be published). Footnotes and endnotes are marked in the text
//! (`[1]`, `[i]`) and follow it as blocks of their own, in order of reference.
//! XML is parsed with DTDs refused: no entity is expanded, nothing fetched.

use super::{count_words, file_stem, hex_sha256, DraftContent, DraftFile, DraftFormat, FileState, TextBuilder};
use crate::ingest::BlockKind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;

/// A document file larger than this is not read. Documents carry their
/// photos, so they may be larger than a text draft; the text parts inside
/// are limited separately ([`MAX_PART_BYTES`]).
pub const MAX_DOCUMENT_BYTES: u64 = 50 * 1024 * 1024;
/// The most one XML part may unpack to, and all parts read together.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Above this unpacked size, a part compressed more than [`MAX_RATIO`] times
/// is taken for a zip bomb: real document XML compresses 5–30 times.
const RATIO_FLOOR_BYTES: u64 = 1024 * 1024;
const MAX_RATIO: u64 = 200;
/// More entries than any document has: a container of a million empty
/// entries is refused before they are listed.
const MAX_ENTRIES: usize = 10_000;
/// XML nodes in one part: bounds memory on a hostile part.
const MAX_XML_NODES: u32 = 20_000_000;
/// How deep document XML may nest: Word's deepest (tables in tables in
/// content controls) stays under fifty.
pub(super) const MAX_XML_DEPTH: usize = 200;

/// A link in the document: its text is at `start..end` (code points).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LinkMark {
    pub start: u32,
    pub end: u32,
    pub target: String,
}

/// Whether a tracked change put text in or took it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Insertion,
    Deletion,
}

/// A tracked change of the document. An insertion's text is in the
/// canonical text at `start..end`; a deletion is not (the text is every
/// change accepted), so it sits at the point `start == end` with the text it
/// took out in `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackedChange {
    pub kind: ChangeKind,
    pub start: u32,
    pub end: u32,
    pub text: String,
    pub author: String,
    /// As the document gives it (ISO 8601), when it gives one.
    pub date: Option<String>,
}

/// A comment the document carries (a Word comment, an ODF annotation), on
/// the span `start..end` of the canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DocumentComment {
    /// The document's own id (Word's `w:id`, the annotation's name or its
    /// position): stable while the document is saved again.
    pub id: String,
    pub start: u32,
    pub end: u32,
    pub author: String,
    pub date: Option<String>,
    pub text: String,
    /// Marked done in the document.
    pub resolved: bool,
    /// The comment this one answers, when it is a reply.
    pub reply_to: Option<String>,
}

/// What a document holds beside its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DocumentMarks {
    pub links: Vec<LinkMark>,
    pub changes: Vec<TrackedChange>,
    pub comments: Vec<DocumentComment>,
}

impl DocumentMarks {
    pub fn is_empty(&self) -> bool {
        self.links.is_empty() && self.changes.is_empty() && self.comments.is_empty()
    }
}

/// Why a document cannot be read: each message is the reason the drafts
/// list shows, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub(super) enum DocumentError {
    #[error("password-protected document: Factdesk cannot read encrypted files; save a copy without a password")]
    Encrypted,
    #[error(
        "a binary Word 97-2003 document (.doc), which Factdesk cannot read: open it in Word or LibreOffice and save it as .docx"
    )]
    BinaryDoc,
    #[error("an HTML file named .{0}: rename it to .html")]
    Html(String),
    #[error("an RTF file named .{0}: save it as .docx or .odt")]
    Rtf(String),
    #[error("not a .{0} document (no zip container inside): is this really a word-processor file?")]
    NotAZip(String),
    #[error("the document's zip container is damaged: {0}")]
    Damaged(String),
    #[error("the document's container holds an entry pointing outside it ({0:?}): refused")]
    PathTraversal(String),
    #[error("the document's container holds more than {MAX_ENTRIES} entries: refused")]
    TooManyEntries,
    #[error("{part} unpacks to more than {limit} MiB: refused as a zip bomb", limit = MAX_PART_BYTES / 1_048_576)]
    TooLarge { part: String },
    #[error("{part} is compressed {ratio} times over: refused as a zip bomb")]
    Ratio { part: String, ratio: u64 },
    #[error("{part} uses a compression Factdesk does not read ({method}); re-save the document")]
    Compression { part: String, method: String },
    #[error("{0}")]
    Missing(String),
    #[error("{part} is not well-formed XML ({message}): the document is damaged")]
    Xml { part: String, message: String },
    #[error("{part} is not UTF-8 text: the document is damaged")]
    NotUtf8 { part: String },
    #[error("{part} nests deeper than {MAX_XML_DEPTH} levels: not a document Factdesk can read safely")]
    TooDeep { part: String },
}

/// Reads a .docx or .odt from its bytes. Never fails: a document that
/// cannot be read is `skipped` with its reason.
pub(super) fn parse(bytes: &[u8], format: DraftFormat, file_name: &str) -> DraftFile {
    let skipped = |reason: String| DraftFile {
        state: FileState::Skipped,
        reason: Some(reason),
        format: Some(format),
        content: None,
    };
    if bytes.is_empty() {
        // What "New > Word document" in a file manager makes: a draft not started.
        return DraftFile {
            state: FileState::Warning,
            reason: Some("the file is empty: nothing to review yet".to_owned()),
            format: Some(format),
            content: Some(DraftContent {
                text: String::new(),
                blocks: Vec::new(),
                title: file_stem(file_name),
                words: 0,
                content_hash: hex_sha256(b""),
                marks: DocumentMarks::default(),
            }),
        };
    }
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return skipped(format!("larger than {} MiB: not a draft Factdesk can review", MAX_DOCUMENT_BYTES / 1_048_576));
    }
    let read = Container::open(bytes, format, file_name).and_then(|mut container| match format {
        DraftFormat::Odt => super::odt::read(&mut container),
        _ => super::docx::read(&mut container),
    });
    let read = match read {
        Ok(read) => read,
        Err(error) => return skipped(error.to_string()),
    };
    let ReadDocument { builder, marks, title } = read;
    let title = title
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.trim().to_owned())
        .or_else(|| builder.title.clone().filter(|t| !t.is_empty()))
        .or_else(|| builder.text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_owned))
        .unwrap_or_else(|| file_stem(file_name));
    let (state, reason) = if builder.text.is_empty() {
        (FileState::Warning, Some("no readable text in this document".to_owned()))
    } else {
        (FileState::Ok, None)
    };
    let words = count_words(&builder.text);
    let content_hash = hex_sha256(builder.text.as_bytes());
    DraftFile {
        state,
        reason,
        format: Some(format),
        content: Some(DraftContent { text: builder.text, blocks: builder.blocks, title, words, content_hash, marks }),
    }
}

/// What a format reader hands back.
pub(super) struct ReadDocument {
    pub builder: TextBuilder,
    pub marks: DocumentMarks,
    /// The document's title property, when it has one.
    pub title: Option<String>,
}

/// An opened zip container, with a budget for what may still be unpacked.
pub(super) struct Container<'a> {
    archive: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    budget: u64,
    /// The file's own extension, lower case, for the reasons given.
    extension: String,
}

const OLE_MAGIC: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

impl<'a> Container<'a> {
    fn open(bytes: &'a [u8], format: DraftFormat, file_name: &str) -> Result<Self, DocumentError> {
        let extension = file_name
            .rsplit_once('.')
            .map_or_else(|| format.as_str().to_owned(), |(_, extension)| extension.to_ascii_lowercase());
        if bytes.starts_with(OLE_MAGIC) {
            // Office encrypts a .docx into an OLE compound file with these
            // streams; a binary .doc is one with a WordDocument stream.
            return Err(if contains_utf16(bytes, "EncryptedPackage") || contains_utf16(bytes, "EncryptionInfo") {
                DocumentError::Encrypted
            } else if contains_utf16(bytes, "WordDocument") {
                DocumentError::BinaryDoc
            } else {
                DocumentError::NotAZip(extension)
            });
        }
        if !bytes.starts_with(b"PK") {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
            let head = head.trim_start_matches('\u{feff}').trim_start();
            return Err(if head.starts_with("{\\rtf") {
                DocumentError::Rtf(extension)
            } else if head.starts_with('<') && (head.contains("<html") || head.contains("<!doctype html")) {
                DocumentError::Html(extension)
            } else {
                DocumentError::NotAZip(extension)
            });
        }
        let archive =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DocumentError::Damaged(e.to_string()))?;
        if archive.len() > MAX_ENTRIES {
            return Err(DocumentError::TooManyEntries);
        }
        for name in archive.file_names() {
            if escapes_container(name) {
                return Err(DocumentError::PathTraversal(name.chars().take(120).collect()));
            }
        }
        Ok(Self { archive, budget: MAX_PART_BYTES, extension })
    }

    pub fn extension(&self) -> &str {
        &self.extension
    }

    pub fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// Unpacks the part `name` as UTF-8 text, or `None` when the container
    /// has no such part. Sizes are checked as declared and again while
    /// reading (a declared size can lie).
    pub fn text(&mut self, name: &str) -> Result<Option<String>, DocumentError> {
        let Some(index) = self.archive.index_for_name(name) else { return Ok(None) };
        let mut entry = match self.archive.by_index(index) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(zip::result::ZipError::PASSWORD_REQUIRED)) => {
                return Err(DocumentError::Encrypted)
            }
            Err(zip::result::ZipError::UnsupportedArchive(message)) => {
                return Err(DocumentError::Compression { part: name.to_owned(), method: message.to_owned() })
            }
            Err(error) => return Err(DocumentError::Damaged(error.to_string())),
        };
        let part = || name.to_owned();
        let limit = self.budget.min(MAX_PART_BYTES);
        if entry.size() > limit {
            return Err(DocumentError::TooLarge { part: part() });
        }
        let ratio = entry.size() / entry.compressed_size().max(1);
        if entry.size() > RATIO_FLOOR_BYTES && ratio > MAX_RATIO {
            return Err(DocumentError::Ratio { part: part(), ratio });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        let read = (&mut entry).take(limit + 1).read_to_end(&mut bytes);
        if let Err(error) = read {
            return Err(DocumentError::Damaged(format!("{name}: {error}")));
        }
        let unpacked = bytes.len() as u64;
        if unpacked > limit {
            return Err(DocumentError::TooLarge { part: part() });
        }
        let compressed = entry.compressed_size().max(1);
        if unpacked > RATIO_FLOOR_BYTES && unpacked / compressed > MAX_RATIO {
            return Err(DocumentError::Ratio { part: part(), ratio: unpacked / compressed });
        }
        self.budget -= unpacked;
        let text = String::from_utf8(bytes).map_err(|_| DocumentError::NotUtf8 { part: part() })?;
        Ok(Some(text))
    }
}

/// Whether a container entry's name would land outside the folder it was
/// unpacked into. Factdesk never unpacks to disk; such a container is
/// hostile and refused whole.
fn escapes_container(name: &str) -> bool {
    name.starts_with('/')
        || name.starts_with('\\')
        || name.contains('\0')
        || name.as_bytes().get(1) == Some(&b':')
        || name.split(['/', '\\']).any(|part| part == "..")
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(pattern.len()).any(|window| window == pattern)
}

/// Parses a part's XML, refusing DTDs (so no entity is ever expanded).
pub(super) fn parse_xml<'x>(part: &str, text: &'x str) -> Result<roxmltree::Document<'x>, DocumentError> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: MAX_XML_NODES, entity_resolver: None };
    roxmltree::Document::parse_with_options(text, options).map_err(|error| DocumentError::Xml {
        part: part.to_owned(),
        message: match error {
            roxmltree::Error::DtdDetected => "it declares a DTD, which Factdesk never expands".to_owned(),
            other => other.to_string(),
        },
    })
}

/// A node's attribute by its local name, whatever its namespace prefix.
pub(super) fn attr<'x>(node: roxmltree::Node<'x, '_>, local: &str) -> Option<&'x str> {
    node.attributes().find(|a| a.name() == local).map(|a| a.value())
}

/// A node's element children with the local name `local`.
pub(super) fn child<'x, 'i>(node: roxmltree::Node<'x, 'i>, local: &str) -> Option<roxmltree::Node<'x, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == local)
}

/// A position in the canonical text not known yet: the paragraph it falls
/// in has not been added (its leading whitespace and its place depend on
/// what comes before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Point(usize);

/// Builds the canonical text a paragraph at a time, and resolves the
/// [`Point`]s taken while a paragraph was being read into offsets.
#[derive(Default)]
pub(super) struct Assembler {
    pub builder: TextBuilder,
    buffer: String,
    buffer_chars: u32,
    resolved: Vec<u32>,
    pending: Vec<(usize, u32)>,
    /// After a note's label: the note's own leading space is not doubled.
    skip_leading_space: bool,
}

impl Assembler {
    pub fn push_str(&mut self, text: &str) {
        let text = if self.skip_leading_space { text.trim_start() } else { text };
        if !text.is_empty() {
            self.skip_leading_space = false;
        }
        self.buffer.push_str(text);
        self.buffer_chars += u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
    }

    pub fn push_char(&mut self, ch: char) {
        if self.skip_leading_space && ch.is_whitespace() {
            return;
        }
        self.skip_leading_space = false;
        self.buffer.push(ch);
        self.buffer_chars += 1;
    }

    /// Starts a footnote's or endnote's block with its label (`[1] `).
    pub fn push_note_label(&mut self, label: &str) {
        self.push_str(&format!("[{label}] "));
        self.skip_leading_space = true;
    }

    pub fn ends_with_space(&self) -> bool {
        self.buffer.is_empty() || self.buffer.ends_with(char::is_whitespace)
    }

    /// The current position (the end of what has been read).
    pub fn point(&mut self) -> Point {
        let point = Point(self.resolved.len());
        self.resolved.push(self.builder.code_points);
        self.pending.push((point.0, self.buffer_chars));
        point
    }

    /// Ends the paragraph being read: it becomes a block (trimmed; an empty
    /// one is dropped) and its points get their offsets.
    pub fn finish_block(&mut self, kind: BlockKind, level: u8) {
        let trimmed_start = self.buffer.trim_start();
        let lead =
            u32::try_from(self.buffer[..self.buffer.len() - trimmed_start.len()].chars().count()).unwrap_or(u32::MAX);
        let length = u32::try_from(trimmed_start.trim_end().chars().count()).unwrap_or(u32::MAX);
        let blocks_before = self.builder.blocks.len();
        self.builder.push(kind, level, &self.buffer);
        let start = match self.builder.blocks.get(blocks_before) {
            Some(block) => block.start,
            None => self.builder.code_points,
        };
        for (index, offset) in self.pending.drain(..) {
            self.resolved[index] = start + offset.saturating_sub(lead).min(length);
        }
        self.buffer.clear();
        self.buffer_chars = 0;
        self.skip_leading_space = false;
    }

    /// Where a point landed; call after its paragraph ended.
    pub fn offset(&self, point: Point) -> u32 {
        self.resolved.get(point.0).copied().unwrap_or(self.builder.code_points)
    }
}

/// A tracked change whose ends are still points.
pub(super) struct PendingChange {
    pub kind: ChangeKind,
    pub start: Point,
    pub end: Point,
    pub text: String,
    pub author: String,
    pub date: Option<String>,
}

/// A link whose ends are still points.
pub(super) struct PendingLink {
    pub start: Point,
    pub end: Point,
    pub target: String,
}

impl Assembler {
    /// The changes at their offsets, an insertion with the text it put in;
    /// changes of no text (a paragraph mark) are left out.
    pub fn resolve_changes(&self, changes: Vec<PendingChange>) -> Vec<TrackedChange> {
        let chars: Vec<char> = if changes.iter().any(|c| c.kind == ChangeKind::Insertion) {
            self.builder.text.chars().collect()
        } else {
            Vec::new()
        };
        let mut resolved: Vec<TrackedChange> = changes
            .into_iter()
            .map(|c| {
                let start = self.offset(c.start);
                let (end, text) = match c.kind {
                    ChangeKind::Deletion => (start, c.text),
                    ChangeKind::Insertion => {
                        let end = self.offset(c.end).max(start);
                        let text = chars.get(start as usize..end as usize).unwrap_or_default().iter().collect();
                        (end, text)
                    }
                };
                TrackedChange { kind: c.kind, start, end, text, author: c.author, date: c.date }
            })
            .filter(|c| !c.text.trim().is_empty() || (c.kind == ChangeKind::Deletion && !c.text.is_empty()))
            .collect();
        resolved.sort_by_key(|c| (c.start, c.end));
        resolved
    }

    pub fn resolve_links(&self, links: Vec<PendingLink>) -> Vec<LinkMark> {
        links
            .into_iter()
            .map(|l| LinkMark { start: self.offset(l.start), end: self.offset(l.end), target: l.target })
            .filter(|l| l.end > l.start)
            .collect()
    }
}

/// Lower-case Roman numerals, as Word numbers endnotes.
pub(super) fn roman(mut number: u32) -> String {
    const NUMERALS: &[(u32, &str)] = &[
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for &(value, numeral) in NUMERALS {
        while number >= value {
            out.push_str(numeral);
            number -= value;
        }
    }
    out
}

/// Text of a part's paragraphs for a comment body: paragraphs joined by a
/// line break, `text_of` giving each paragraph's text.
pub(super) fn join_paragraphs<'x, 'i: 'x>(
    paragraphs: impl Iterator<Item = roxmltree::Node<'x, 'i>>,
    text_of: impl Fn(roxmltree::Node<'x, 'i>) -> String,
) -> String {
    paragraphs.map(text_of).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Comments with their spans resolved, ordered by where they start.
pub(super) fn sort_comments(mut comments: Vec<DocumentComment>) -> Vec<DocumentComment> {
    comments.sort_by_key(|c| (c.start, c.end));
    comments
}

/// A map from an id to the first value given for it.
pub(super) fn first_by_id<V>(pairs: impl Iterator<Item = (String, V)>) -> HashMap<String, V> {
    let mut map = HashMap::new();
    for (id, value) in pairs {
        map.entry(id).or_insert(value);
    }
    map
}
