//! Reading a draft file into the canonical text Factdesk reviews.
//!
//! A draft on disk is Markdown, plain text, HTML, or a word-processor
//! document (.docx from Word or Google Docs, .odt from LibreOffice: see
//! [`document`]). Ingest turns it into one
//! canonical text (blocks joined by a blank line, `\n` line endings, no BOM),
//! the [`Block`]s it is made of with their offsets in Unicode code points, a
//! title and a word count. Every file also gets a [`FileState`] and a human
//! reason, because a folder of drafts is hostile input: binary junk named
//! `.md`, editor swap files, a Latin-1 file, HTML with script in it.
//!
//! ```
//! use factdesk_core::ingest::{parse, DraftFormat, FileState};
//!
//! let file = parse(b"# Fire at plant\n\nSix workers were injured.", DraftFormat::Markdown, "fire.md");
//! assert_eq!(file.state, FileState::Ok);
//! let content = file.content.unwrap();
//! assert_eq!(content.title, "Fire at plant");
//! assert_eq!(content.text, "Fire at plant\n\nSix workers were injured.");
//! ```

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use scraper::{Html, Node};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

pub mod document;
mod docx;
mod odt;

pub use document::{ChangeKind, DocumentComment, DocumentMarks, LinkMark, TrackedChange};

/// Files larger than this are not read: no news draft is 10 MiB of text.
pub const MAX_DRAFT_BYTES: u64 = 10 * 1024 * 1024;

/// The formats Factdesk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum DraftFormat {
    Markdown,
    Text,
    Html,
    /// Office Open XML, as Word and Google Docs write it.
    Docx,
    /// OpenDocument Text, as LibreOffice writes it.
    Odt,
}

impl DraftFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Markdown => "markdown",
            Self::Text => "text",
            Self::Html => "html",
            Self::Docx => "docx",
            Self::Odt => "odt",
        }
    }

    pub fn parse_name(name: &str) -> Option<Self> {
        match name {
            "markdown" => Some(Self::Markdown),
            "text" => Some(Self::Text),
            "html" => Some(Self::Html),
            "docx" => Some(Self::Docx),
            "odt" => Some(Self::Odt),
            _ => None,
        }
    }

    /// Word-processor documents: zip containers of XML, not text.
    pub fn is_document(self) -> bool {
        matches!(self, Self::Docx | Self::Odt)
    }

    /// The largest file of this format Factdesk reads. A document carries
    /// its photos inside it, so its file may be larger than its text.
    pub fn max_bytes(self) -> u64 {
        if self.is_document() {
            document::MAX_DOCUMENT_BYTES
        } else {
            MAX_DRAFT_BYTES
        }
    }
}

/// What Factdesk made of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum FileState {
    /// Read cleanly.
    Ok,
    /// Read, but something is worth knowing (lossy decoding, an empty file).
    Warning,
    /// A would-be draft that could not be read (binary, too large, unreadable).
    Skipped,
    /// Not a draft at all (hidden, editor swap/backup/lock file, other type).
    Ignored,
}

impl FileState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warning => "warning",
            Self::Skipped => "skipped",
            Self::Ignored => "ignored",
        }
    }

    pub fn parse_name(name: &str) -> Option<Self> {
        match name {
            "ok" => Some(Self::Ok),
            "warning" => Some(Self::Warning),
            "skipped" => Some(Self::Skipped),
            "ignored" => Some(Self::Ignored),
            _ => None,
        }
    }
}

/// The kinds of block a draft is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
    Quote,
}

/// One block of the canonical text: `start..end` in Unicode code points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Block {
    pub kind: BlockKind,
    /// Heading level 1–6; 0 for other blocks.
    pub level: u8,
    pub start: u32,
    pub end: u32,
}

/// The reviewable content of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftContent {
    pub text: String,
    pub blocks: Vec<Block>,
    pub title: String,
    pub words: u32,
    /// SHA-256 of the canonical text, hex: a version is stored once per hash.
    pub content_hash: String,
    /// What a word-processor document holds beside its text (links, tracked
    /// changes, comments), at offsets of `text`; empty for other formats.
    pub marks: DocumentMarks,
}

/// The outcome of reading one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftFile {
    pub state: FileState,
    /// Why the state is not `ok`, in words a user can act on.
    pub reason: Option<String>,
    pub format: Option<DraftFormat>,
    pub content: Option<DraftContent>,
}

impl DraftFile {
    fn ignored(reason: impl Into<String>) -> Self {
        Self { state: FileState::Ignored, reason: Some(reason.into()), format: None, content: None }
    }

    fn skipped(format: DraftFormat, reason: impl Into<String>) -> Self {
        Self { state: FileState::Skipped, reason: Some(reason.into()), format: Some(format), content: None }
    }
}

/// The formats Factdesk reads, as the reason for an ignored file says it.
const SUPPORTED: &str = "Factdesk reads .md, .txt, .html, .docx and .odt";

/// Decides from a file name alone whether it can be a draft, and of which
/// format; `Err` carries the reason it is ignored.
pub fn classify_name(file_name: &str) -> Result<DraftFormat, String> {
    if file_name.starts_with(".~lock.") {
        return Err("office lock file".into());
    }
    // Word's owner file beside an open document, and its temporary files while it saves.
    if file_name.starts_with("~$") {
        return Err("Word lock file".into());
    }
    let lower_name = file_name.to_ascii_lowercase();
    if lower_name.starts_with("~wr") && lower_name.ends_with(".tmp") {
        return Err("Word temporary file".into());
    }
    if file_name.starts_with('#') && file_name.ends_with('#') && file_name.len() > 1 {
        return Err("Emacs auto-save file".into());
    }
    if file_name.ends_with('~') {
        return Err("editor backup file".into());
    }
    let lower = file_name.to_ascii_lowercase();
    if [".swp", ".swo", ".swx"].iter().any(|ext| lower.ends_with(ext)) {
        return Err("editor swap file".into());
    }
    if file_name.starts_with(".#") {
        return Err("editor lock file".into());
    }
    if file_name.starts_with('.') {
        return Err("hidden file".into());
    }
    let extension = lower.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    match extension {
        "md" | "markdown" => Ok(DraftFormat::Markdown),
        "txt" => Ok(DraftFormat::Text),
        "html" | "htm" => Ok(DraftFormat::Html),
        // A binary .doc is read far enough to say why it cannot be (and a .doc that is really a
        // .docx, or HTML saved by Word as "Web Page", is told apart the same way).
        "docx" | "doc" => Ok(DraftFormat::Docx),
        "odt" => Ok(DraftFormat::Odt),
        "" => Err(format!("no file extension ({SUPPORTED})")),
        other => Err(format!("unsupported file type .{other} ({SUPPORTED})")),
    }
}

/// Reads the file at `path` (its name decides the format) into a [`DraftFile`].
/// Never fails: an unreadable file is `skipped` with the reason.
pub fn read_draft(path: &Path) -> DraftFile {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let format = match classify_name(&file_name) {
        Ok(format) => format,
        Err(reason) => return DraftFile::ignored(reason),
    };
    // Links are not followed: a link in the desk must not pull in a file from elsewhere.
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return DraftFile::ignored("symbolic link (not followed)"),
        Ok(meta) if meta.len() > format.max_bytes() => return too_large(format, meta.len()),
        Ok(meta) if !meta.is_file() => return DraftFile::ignored("not a regular file"),
        Ok(_) => {}
        Err(err) => return DraftFile::skipped(format, format!("cannot read the file: {err}")),
    }
    match std::fs::read(path) {
        Ok(bytes) => parse(&bytes, format, &file_name),
        Err(err) => DraftFile::skipped(format, format!("cannot read the file: {err}")),
    }
}

/// Reads a draft file already opened, as a desk opens one (name by name from
/// its folder, never through a symbolic link: see `desk::place`), into a
/// [`DraftFile`], as [`read_draft`] does from a path; with `hash`, also the
/// BLAKE3 hash (hex) of the very bytes parsed (see [`file_hash`]). `opened`
/// is what the open gave: a failure is why the file is skipped, a link on the
/// way (`ELOOP`) makes it ignored. `file_name` decides the format. The size
/// and kind are the open file's (`fstat`), so they are the bytes' own.
pub fn read_opened(opened: std::io::Result<std::fs::File>, file_name: &str, hash: bool) -> (DraftFile, Option<String>) {
    use std::io::Read as _;
    let format = match classify_name(file_name) {
        Ok(format) => format,
        Err(reason) => return (DraftFile::ignored(reason), None),
    };
    let file = match opened {
        Ok(file) => file,
        Err(err) if is_link_refused(&err) => return (DraftFile::ignored("symbolic link (not followed)"), None),
        Err(err) => return (DraftFile::skipped(format, format!("cannot read the file: {err}")), None),
    };
    match file.metadata() {
        Ok(meta) if !meta.is_file() => return (DraftFile::ignored("not a regular file"), None),
        Ok(meta) if meta.len() > format.max_bytes() => return (too_large(format, meta.len()), None),
        Ok(_) => {}
        Err(err) => return (DraftFile::skipped(format, format!("cannot read the file: {err}")), None),
    }
    let mut bytes = Vec::new();
    // One byte past the limit is enough to tell a file that grew since `fstat`.
    match file.take(format.max_bytes().saturating_add(1)).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > format.max_bytes() => (too_large(format, bytes.len() as u64), None),
        Ok(_) => {
            let hash = hash.then(|| blake3::hash(&bytes).to_hex().to_string());
            (parse(&bytes, format, file_name), hash)
        }
        Err(err) => (DraftFile::skipped(format, format!("cannot read the file: {err}")), None),
    }
}

/// Why a file of `len` bytes is not read as a draft of `format`.
fn too_large(format: DraftFormat, len: u64) -> DraftFile {
    DraftFile::skipped(
        format,
        format!(
            "larger than {} MiB ({:.1} MiB): not a draft Factdesk can review",
            format.max_bytes() / 1_048_576,
            len as f64 / 1_048_576.0
        ),
    )
}

/// Whether an open failed because `O_NOFOLLOW` met a symbolic link.
#[cfg(unix)]
fn is_link_refused(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_link_refused(_error: &std::io::Error) -> bool {
    false
}

/// The BLAKE3 hash (hex) of a file's bytes: what a lazy first scan records
/// of a draft instead of its text. `None` when the file cannot be read, or
/// is too large to be a draft of `format` (it is then read as any other
/// file, to say why it is skipped).
///
/// Streamed through a buffer on the stack: one `open`, the `read`s and a
/// `close` per file, no allocation (a first scan of 10,000 files spent as
/// much in `stat`, `lseek` and `brk` as in reading before).
pub fn file_hash(path: &Path, format: DraftFormat) -> Option<String> {
    hash_opened(open_no_follow(path)?, format)
}

/// [`file_hash`] of a file already opened (as a desk opens one: see
/// [`read_opened`]).
pub fn hash_opened(mut file: std::fs::File, format: DraftFormat) -> Option<String> {
    use std::io::Read as _;
    let mut hasher = blake3::Hasher::new();
    let mut buffer = [0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let read = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        total = total.saturating_add(read as u64);
        if total > format.max_bytes() {
            return None;
        }
        hasher.update(buffer.get(..read)?);
    }
    Some(hasher.finalize().to_hex().to_string())
}

/// Opens a file for reading without following a symbolic link at its name
/// (as `read_draft`), nor waiting on a named pipe put there.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path).ok()
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Option<std::fs::File> {
    if std::fs::symlink_metadata(path).ok()?.file_type().is_symlink() {
        return None;
    }
    std::fs::File::open(path).ok()
}

/// Turns raw bytes of a draft of `format` into a [`DraftFile`]. Pure: the
/// place to test and fuzz ingest without a disk.
pub fn parse(bytes: &[u8], format: DraftFormat, file_name: &str) -> DraftFile {
    if format.is_document() {
        return document::parse(bytes, format, file_name);
    }
    if bytes.len() as u64 > MAX_DRAFT_BYTES {
        return DraftFile::skipped(format, "larger than 10 MiB: not a draft Factdesk can review");
    }
    let decoded = decode(bytes);
    if decoded.looks_binary {
        return DraftFile::skipped(format, "binary content, not text: is this really a draft?");
    }
    let source = normalise_line_endings(decoded.text.strip_prefix('\u{feff}').unwrap_or(&decoded.text));
    let source: &str = &source;
    if format != DraftFormat::Text && html_nesting_exceeds(source, MAX_HTML_NESTING) {
        return DraftFile::skipped(
            format,
            format!("markup nested more than {MAX_HTML_NESTING} levels deep: not a draft Factdesk can read safely"),
        );
    }
    let built = match format {
        DraftFormat::Markdown => markdown_blocks(source),
        DraftFormat::Text => text_blocks(source),
        DraftFormat::Html => html_blocks(source),
        // Dispatched above, before the bytes are decoded as text.
        DraftFormat::Docx | DraftFormat::Odt => return document::parse(bytes, format, file_name),
    };
    let title = built
        .title
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| built.text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_owned))
        .unwrap_or_else(|| file_stem(file_name));
    let words = count_words(&built.text);
    let (state, reason) = if decoded.invalid_sequences > 0 {
        let plural = if decoded.invalid_sequences == 1 { "sequence was" } else { "sequences were" };
        (
            FileState::Warning,
            Some(format!(
                "not valid UTF-8: {} invalid byte {plural} replaced with \u{fffd}; re-save the file as UTF-8",
                decoded.invalid_sequences
            )),
        )
    } else if bytes.is_empty() {
        (FileState::Warning, Some("the file is empty: nothing to review yet".to_owned()))
    } else if built.text.is_empty() {
        (FileState::Warning, Some("no readable text in this file".to_owned()))
    } else {
        (FileState::Ok, None)
    };
    let content_hash = hex_sha256(built.text.as_bytes());
    DraftFile {
        state,
        reason,
        format: Some(format),
        content: Some(DraftContent {
            text: built.text,
            blocks: built.blocks,
            title,
            words,
            content_hash,
            marks: DocumentMarks::default(),
        }),
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn hex_sha256(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    digest.iter().fold(String::with_capacity(64), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// Words as a reader counts them: whitespace-separated tokens with a letter or digit.
pub fn count_words(text: &str) -> u32 {
    let mut count = 0usize;
    for_each_word(text, |_, has_alphanumeric| count += usize::from(has_alphanumeric));
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Calls `each` with every whitespace-separated word of `text` (whitespace
/// as [`char::is_whitespace`] defines it, as `str::split_whitespace` splits)
/// and whether it holds a letter or digit. One pass over the bytes, looking
/// up ASCII in a table and decoding only the rest: word splitting was the
/// largest single cost of a first scan when it went through every `char`.
fn for_each_word(text: &str, mut each: impl FnMut(&str, bool)) {
    let bytes = text.as_bytes();
    let mut index = 0;
    let mut word_start: Option<usize> = None;
    let mut has_alphanumeric = false;
    while index < bytes.len() {
        let byte = bytes[index];
        let (width, whitespace, alphanumeric) = if byte.is_ascii() {
            let class = ASCII_CLASS[usize::from(byte)];
            (1, class == ASCII_SPACE, class == ASCII_ALPHANUMERIC)
        } else {
            // `index` is on a character boundary: ASCII bytes and whole characters are stepped over.
            let ch = text[index..].chars().next().unwrap_or('\u{fffd}');
            (ch.len_utf8(), ch.is_whitespace(), ch.is_alphanumeric())
        };
        if whitespace {
            if let Some(start) = word_start.take() {
                each(&text[start..index], has_alphanumeric);
            }
        } else {
            if word_start.is_none() {
                word_start = Some(index);
                has_alphanumeric = false;
            }
            has_alphanumeric |= alphanumeric;
        }
        index += width;
    }
    if let Some(start) = word_start {
        each(&text[start..], has_alphanumeric);
    }
}

const ASCII_OTHER: u8 = 0;
const ASCII_SPACE: u8 = 1;
const ASCII_ALPHANUMERIC: u8 = 2;

/// Each ASCII byte's class: whitespace as `char::is_whitespace` has it
/// (tab, line feed, vertical tab, form feed, carriage return, space), or a
/// letter or digit.
const ASCII_CLASS: [u8; 128] = {
    let mut table = [ASCII_OTHER; 128];
    let mut byte: u8 = 0;
    while byte < 128 {
        let ch = byte as char;
        table[byte as usize] = if matches!(ch, '\t'..='\r' | ' ') {
            ASCII_SPACE
        } else if ch.is_ascii_alphanumeric() {
            ASCII_ALPHANUMERIC
        } else {
            ASCII_OTHER
        };
        byte += 1;
    }
    table
};

fn file_stem(file_name: &str) -> String {
    file_name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(file_name).to_owned()
}

struct Decoded {
    text: String,
    invalid_sequences: usize,
    looks_binary: bool,
}

/// Decodes UTF-8 lossily, counting what was replaced, and judges whether the
/// bytes are text at all: NUL bytes, or a tenth of the characters being
/// replacements or control codes, mean binary.
fn decode(bytes: &[u8]) -> Decoded {
    if bytes.contains(&0) {
        return Decoded { text: String::new(), invalid_sequences: 0, looks_binary: true };
    }
    // Valid UTF-8 (nearly every draft) is checked a word at a time and copied whole.
    let (text, invalid_sequences) = match std::str::from_utf8(bytes) {
        Ok(valid) => (valid.to_owned(), 0),
        Err(_) => {
            let mut text = String::with_capacity(bytes.len());
            let mut invalid_sequences = 0;
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    invalid_sequences += 1;
                    text.push('\u{fffd}');
                }
            }
            (text, invalid_sequences)
        }
    };
    // Counted on the bytes of the decoded (valid UTF-8) text, in simple
    // passes the compiler turns into vector code: a control character
    // (`char::is_control`: U+0000–U+001F, U+007F–U+009F) is one ASCII
    // byte, or 0xC2 followed by 0x80–0x9F.
    let utf8 = text.as_bytes();
    let total = text.chars().count();
    let ascii_controls = utf8
        .iter()
        .filter(|&&byte| (byte < 0x20 && !matches!(byte, b'\n' | b'\r' | b'\t' | 0x0c)) || byte == 0x7f)
        .count();
    let c1_controls = if utf8.contains(&0xc2) {
        utf8.windows(2).filter(|pair| pair[0] == 0xc2 && (0x80..=0x9f).contains(&pair[1])).count()
    } else {
        0
    };
    let suspicious = invalid_sequences + ascii_controls + c1_controls;
    let looks_binary = total > 0 && suspicious * 10 > total;
    Decoded { text, invalid_sequences, looks_binary }
}

fn normalise_line_endings(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Accumulates blocks into the canonical text, tracking code-point offsets.
#[derive(Default)]
struct TextBuilder {
    text: String,
    blocks: Vec<Block>,
    code_points: u32,
    title: Option<String>,
}

impl TextBuilder {
    /// Adds a block; `content` is trimmed and empty blocks are dropped.
    fn push(&mut self, kind: BlockKind, level: u8, content: &str) {
        let content = content.trim();
        if content.is_empty() {
            return;
        }
        if !self.blocks.is_empty() {
            self.text.push_str("\n\n");
            self.code_points += 2;
        }
        let start = self.code_points;
        self.text.push_str(content);
        self.code_points += u32::try_from(content.chars().count()).unwrap_or(u32::MAX);
        if kind == BlockKind::Heading && self.title.is_none() {
            self.title = Some(content.to_owned());
        }
        self.blocks.push(Block { kind, level, start, end: self.code_points });
    }
}

/// Collapses every run of whitespace to one space, as HTML and Markdown
/// rendering would.
fn collapse_whitespace(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    for_each_word(text, |word, _| {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    });
    collapsed
}

fn text_blocks(source: &str) -> TextBuilder {
    let mut builder = TextBuilder::default();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, builder: &mut TextBuilder| {
        if paragraph.is_empty() {
            return;
        }
        let joined = paragraph.join("\n");
        let first_block = builder.blocks.is_empty();
        let (kind, level) = if looks_like_heading(paragraph) {
            (BlockKind::Heading, if first_block { 1 } else { 2 })
        } else {
            (BlockKind::Paragraph, 0)
        };
        builder.push(kind, level, &joined);
        paragraph.clear();
    };
    for line in source.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            flush(&mut paragraph, &mut builder);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut builder);
    // A plain-text title is its first line, whatever it looks like.
    builder.title = builder.text.lines().next().map(|l| l.trim().to_owned());
    builder
}

/// Plain text has no markup for headings; a short single line with no
/// sentence punctuation at its end ("An Overview") is one.
fn looks_like_heading(paragraph: &[&str]) -> bool {
    let [line] = paragraph else { return false };
    let line = line.trim();
    line.chars().count() <= 80 && !line.ends_with(['.', '!', '?', ':', ';', ',', '"', '\u{201d}', '\u{2019}', '\''])
}

fn markdown_blocks(source: &str) -> TextBuilder {
    let mut builder = TextBuilder::default();
    let mut buffer = String::new();
    // Containers we are inside, innermost last: decides the kind of a block.
    let mut containers: Vec<(BlockKind, u8)> = Vec::new();
    let mut html_block = String::new();
    let mut in_html_block = false;
    let mut in_image = 0u32;
    let mut raw_script_depth = 0u32;

    let flush = |buffer: &mut String, containers: &[(BlockKind, u8)], builder: &mut TextBuilder| {
        let (kind, level) = current_kind(containers);
        let keep_lines = kind == BlockKind::Paragraph && buffer.contains('\n');
        let content = if keep_lines { buffer.trim().to_owned() } else { collapse_whitespace(buffer) };
        builder.push(kind, level, &content);
        buffer.clear();
    };

    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(source, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => {
                    flush(&mut buffer, &containers, &mut builder);
                    containers.push((BlockKind::Heading, level as u8));
                }
                Tag::Item => {
                    flush(&mut buffer, &containers, &mut builder);
                    containers.push((BlockKind::ListItem, 0));
                }
                Tag::BlockQuote(_) => {
                    flush(&mut buffer, &containers, &mut builder);
                    containers.push((BlockKind::Quote, 0));
                }
                Tag::Paragraph | Tag::CodeBlock(_) | Tag::List(_) | Tag::Table(_) | Tag::TableRow | Tag::TableHead => {
                    flush(&mut buffer, &containers, &mut builder);
                }
                Tag::TableCell => buffer.push(' '),
                Tag::Image { .. } => in_image += 1,
                Tag::HtmlBlock => {
                    flush(&mut buffer, &containers, &mut builder);
                    in_html_block = true;
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_) => {
                    flush(&mut buffer, &containers, &mut builder);
                    containers.pop();
                }
                TagEnd::Paragraph
                | TagEnd::CodeBlock
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::TableRow
                | TagEnd::TableHead => {
                    flush(&mut buffer, &containers, &mut builder);
                }
                TagEnd::Image => in_image = in_image.saturating_sub(1),
                TagEnd::HtmlBlock => {
                    in_html_block = false;
                    // Raw HTML inside Markdown goes through the same HTML
                    // parser as an .html draft: its text is kept, its
                    // script, style and attributes are not.
                    let inner = html_blocks(&html_block);
                    for block in &inner.blocks {
                        let text: String = inner
                            .text
                            .chars()
                            .skip(block.start as usize)
                            .take((block.end - block.start) as usize)
                            .collect();
                        builder.push(block.kind, block.level, &text);
                    }
                    html_block.clear();
                }
                _ => {}
            },
            Event::Html(html) if in_html_block => html_block.push_str(&html),
            Event::Html(_) => {}
            Event::InlineHtml(html) => {
                let tag = html.trim().to_ascii_lowercase();
                if tag.starts_with("<script") || tag.starts_with("<style") {
                    raw_script_depth += 1;
                } else if tag.starts_with("</script") || tag.starts_with("</style") {
                    raw_script_depth = raw_script_depth.saturating_sub(1);
                }
            }
            Event::Text(text) | Event::Code(text) if in_image == 0 && raw_script_depth == 0 => buffer.push_str(&text),
            Event::SoftBreak => buffer.push(' '),
            Event::HardBreak => buffer.push('\n'),
            _ => {}
        }
    }
    flush(&mut buffer, &containers, &mut builder);
    builder
}

fn current_kind(containers: &[(BlockKind, u8)]) -> (BlockKind, u8) {
    containers.last().copied().unwrap_or((BlockKind::Paragraph, 0))
}

/// Elements whose content is never draft text. Script and style above all,
/// and everything that is not prose a reader would see.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg", "math", "canvas", "select",
    "button", "textarea", "input", "audio", "video", "picture", "map",
];

/// Elements that start a new block.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "br",
];

/// How deep HTML may nest before Factdesk refuses it. Real drafts nest a
/// few dozen levels; the HTML parser's tree building slows quadratically
/// with depth, so a hostile file nested 100,000 deep would hang a scan.
pub const MAX_HTML_NESTING: usize = 5_000;

/// Elements that never nest: void elements, and those a following sibling
/// closes implicitly (hand-written HTML often leaves `<p>` and `<li>` open).
const NON_NESTING_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p",
    "li", "dt", "dd", "tr", "td", "th", "option",
];

/// Whether `source` opens more than `limit` elements without closing them,
/// counted cheaply from tags alone (before any parsing).
fn html_nesting_exceeds(source: &str, limit: usize) -> bool {
    let mut depth: usize = 0;
    for (index, _) in source.match_indices('<') {
        let rest = &source[index + 1..];
        if rest.starts_with('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        let self_closing = rest[name_len..].split('>').next().is_some_and(|tag| tag.ends_with('/'));
        if self_closing || NON_NESTING_ELEMENTS.contains(&name.as_str()) {
            continue;
        }
        depth += 1;
        if depth > limit {
            return true;
        }
    }
    false
}

fn html_blocks(source: &str) -> TextBuilder {
    let document = Html::parse_document(source);
    let mut builder = TextBuilder::default();
    let mut buffer = String::new();
    let mut containers: Vec<(BlockKind, u8)> = Vec::new();
    walk_html(document.tree.root(), &mut buffer, &mut containers, &mut builder);
    flush_html(&mut buffer, &containers, &mut builder);
    let heading_title = builder.title.take();
    let page_title = document
        .tree
        .root()
        .descendants()
        .find(|node| matches!(node.value(), Node::Element(e) if e.name() == "title"))
        .map(|node| {
            collapse_whitespace(
                &node.descendants().filter_map(|d| d.value().as_text().map(|t| t.to_string())).collect::<String>(),
            )
        })
        .filter(|t| !t.is_empty());
    builder.title = page_title.or(heading_title);
    builder
}

fn flush_html(buffer: &mut String, containers: &[(BlockKind, u8)], builder: &mut TextBuilder) {
    let (kind, level) = current_kind(containers);
    builder.push(kind, level, &collapse_whitespace(buffer));
    buffer.clear();
}

/// One step of the HTML walk: enter a node, or leave an element that
/// opened a block (popping its container if it pushed one).
enum Step<'a> {
    Enter(ego_tree::NodeRef<'a, Node>),
    LeaveBlock { popped: bool },
}

/// Walks the tree with an explicit stack: a hostile draft nested 200,000
/// elements deep must not overflow the thread's stack.
fn walk_html(
    root: ego_tree::NodeRef<'_, Node>,
    buffer: &mut String,
    containers: &mut Vec<(BlockKind, u8)>,
    builder: &mut TextBuilder,
) {
    let mut steps: Vec<Step<'_>> = root.children().rev().map(Step::Enter).collect();
    while let Some(step) = steps.pop() {
        let node = match step {
            Step::LeaveBlock { popped } => {
                flush_html(buffer, containers, builder);
                if popped {
                    containers.pop();
                }
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            Node::Text(text) => buffer.push_str(text),
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED_ELEMENTS.contains(&name) {
                    continue;
                }
                let container = match name {
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        let level = name.as_bytes()[1] - b'0';
                        Some((BlockKind::Heading, level))
                    }
                    "li" => Some((BlockKind::ListItem, 0)),
                    "blockquote" => Some((BlockKind::Quote, 0)),
                    _ => None,
                };
                if let Some(container) = container {
                    flush_html(buffer, containers, builder);
                    containers.push(container);
                    steps.push(Step::LeaveBlock { popped: true });
                } else if BLOCK_ELEMENTS.contains(&name) {
                    flush_html(buffer, containers, builder);
                    steps.push(Step::LeaveBlock { popped: false });
                }
                // Inline elements (a, em, span, img…) give their text only;
                // attributes, including event handlers, are never read.
                steps.extend(node.children().rev().map(Step::Enter));
            }
            Node::Document | Node::Fragment => steps.extend(node.children().rev().map(Step::Enter)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(file: &DraftFile) -> &DraftContent {
        file.content.as_ref().expect("content")
    }

    /// Texts where byte-level word splitting and control counting could
    /// part from `char`'s own definitions: Unicode spaces, vertical tab,
    /// C1 controls, no-break space, words of punctuation only.
    const TRICKY_TEXTS: &[&str] = &[
        "",
        "   ",
        "one",
        "  two  words  ",
        "tab\tvt\u{b}ff\u{c}cr\rlf\nend",
        "nbsp\u{a0}em\u{2003}ideo\u{3000}nel\u{85}line\u{2028}para\u{2029}x",
        "— – ... 42 « » !?",
        "café naïve Ærø 東京 مرحبا ٣",
        "c1\u{80}\u{9f}\u{a0}\u{c2}x \u{7f}del",
        "zero\u{200b}width joiner\u{200d}x",
    ];

    #[test]
    fn word_counting_and_collapsing_match_the_unicode_definitions() {
        for text in TRICKY_TEXTS {
            let expected_words = text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
            assert_eq!(count_words(text) as usize, expected_words, "{text:?}");
            assert_eq!(collapse_whitespace(text), text.split_whitespace().collect::<Vec<_>>().join(" "), "{text:?}");
        }
    }

    #[test]
    fn binary_judgement_counts_characters_and_controls_as_char_does() {
        for text in
            TRICKY_TEXTS.iter().copied().chain(["\u{1}\u{2}\u{3}abc", "\u{85}\u{85}abcdefghij", "\u{80}abcdefghi"])
        {
            let total = text.chars().count();
            let suspicious =
                text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
            let expected = total > 0 && suspicious * 10 > total;
            assert_eq!(decode(text.as_bytes()).looks_binary, expected, "{text:?}");
        }
    }

    #[test]
    fn ignore_rules_name_the_reason() {
        assert_eq!(classify_name(".draft.md.swp"), Err("editor swap file".into()));
        assert_eq!(classify_name("draft.md~"), Err("editor backup file".into()));
        assert_eq!(classify_name(".~lock.draft.odt#"), Err("office lock file".into()));
        assert_eq!(classify_name("#draft.md#"), Err("Emacs auto-save file".into()));
        assert_eq!(classify_name(".hidden.md"), Err("hidden file".into()));
        assert!(classify_name("photo.jpg").unwrap_err().contains(".jpg"));
        assert_eq!(classify_name("~$Story.docx"), Err("Word lock file".into()));
        assert_eq!(classify_name("~WRL0001.tmp"), Err("Word temporary file".into()));
        assert_eq!(classify_name("Story.DOCX"), Ok(DraftFormat::Docx));
        assert_eq!(classify_name("story.odt"), Ok(DraftFormat::Odt));
        assert_eq!(classify_name("old-story.doc"), Ok(DraftFormat::Docx));
        assert_eq!(classify_name("Story.MD"), Ok(DraftFormat::Markdown));
        assert_eq!(classify_name("story.htm"), Ok(DraftFormat::Html));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let file = parse(b"\xef\xbb\xbfTitle line\r\n\r\nBody here.\r\n", DraftFormat::Text, "x.txt");
        assert_eq!(file.state, FileState::Ok);
        assert_eq!(content(&file).text, "Title line\n\nBody here.");
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_with_a_warning() {
        let file = parse(b"Caf\xe9 owner says rent rose.", DraftFormat::Text, "x.txt");
        assert_eq!(file.state, FileState::Warning);
        assert!(file.reason.as_deref().unwrap_or("").contains("not valid UTF-8"));
        assert_eq!(content(&file).text, "Caf\u{fffd} owner says rent rose.");
    }

    #[test]
    fn binary_is_skipped() {
        let file = parse(&[0x89, b'P', b'N', b'G', 0, 0, 1, 2], DraftFormat::Markdown, "x.md");
        assert_eq!(file.state, FileState::Skipped);
        assert!(file.content.is_none());
    }

    #[test]
    fn offsets_count_code_points() {
        let file =
            parse("Caf\u{e9} \u{201c}quoted\u{201d}\n\nSecond \u{1f600} block".as_bytes(), DraftFormat::Text, "x.txt");
        let c = content(&file);
        let chars: Vec<char> = c.text.chars().collect();
        for block in &c.blocks {
            let text: String = chars[block.start as usize..block.end as usize].iter().collect();
            assert!(!text.starts_with('\n') && !text.ends_with('\n'), "{text:?}");
        }
        assert_eq!(c.blocks[1].start, 15);
        assert_eq!(c.blocks[1].end, 15 + 14);
    }

    #[test]
    fn markdown_drops_script_and_raw_html_attributes() {
        let src = "# Budget vote <script>alert('x')</script>\n\nThe council approved it.\n\n[click](javascript:alert(1)) and ![img](x)\n\n<img src=x onerror=alert(2)>\n\n<details open ontoggle=alert(3)><summary>Summary text</summary></details>\n";
        let file = parse(src.as_bytes(), DraftFormat::Markdown, "x.md");
        let c = content(&file);
        assert_eq!(c.title, "Budget vote");
        assert!(!c.text.contains("alert"), "{}", c.text);
        assert!(c.text.contains("click and"));
        assert!(c.text.contains("Summary text"));
    }

    #[test]
    fn markdown_lists_and_quotes_become_blocks() {
        let src = "# T\n\n- one item\n- two item\n\n> quoted words\n";
        let c = parse(src.as_bytes(), DraftFormat::Markdown, "x.md").content.expect("content");
        let kinds: Vec<BlockKind> = c.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, vec![BlockKind::Heading, BlockKind::ListItem, BlockKind::ListItem, BlockKind::Quote]);
        assert_eq!(c.text, "T\n\none item\n\ntwo item\n\nquoted words");
    }

    #[test]
    fn html_keeps_text_and_never_script() {
        let src = r#"<html><head><title>Council vote</title><script>document.title="pwned"</script></head>
            <body onload="alert(1)"><h1>Council approves <img src=x onerror="alert(2)">budget</h1>
            <p>The council <b>approved</b> a $12 million budget.</p><ul><li>Item one</li></ul>
            <style>p{}</style><blockquote>Quote</blockquote></body></html>"#;
        let file = parse(src.as_bytes(), DraftFormat::Html, "x.html");
        let c = content(&file);
        assert_eq!(c.title, "Council vote");
        assert_eq!(
            c.text,
            "Council approves budget\n\nThe council approved a $12 million budget.\n\nItem one\n\nQuote"
        );
        assert_eq!(c.blocks[0].kind, BlockKind::Heading);
        assert_eq!(c.blocks[2].kind, BlockKind::ListItem);
        assert_eq!(c.blocks[3].kind, BlockKind::Quote);
    }

    #[test]
    fn hostile_nesting_is_skipped_before_parsing() {
        let depth = 200_000;
        let src = format!("{}<p>Deep text.</p>{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let file = parse(src.as_bytes(), DraftFormat::Html, "deep.html");
        assert_eq!(file.state, FileState::Skipped);
        assert!(file.reason.unwrap_or_default().contains("nested more than"));
        let file = parse(src.as_bytes(), DraftFormat::Markdown, "deep.md");
        assert_eq!(file.state, FileState::Skipped);
    }

    #[test]
    fn long_hand_written_html_with_open_paragraphs_is_read() {
        let src = "<p>One paragraph.<br>".repeat(20_000);
        let file = parse(src.as_bytes(), DraftFormat::Html, "long.html");
        assert_eq!(file.state, FileState::Ok);
    }

    #[test]
    fn nesting_under_the_limit_is_walked_without_recursion() {
        let depth = MAX_HTML_NESTING - 10;
        let src = format!("{}<p>Deep text.</p>{}", "<div>".repeat(depth), "</div>".repeat(depth));
        // A small stack, smaller than the watcher thread's: the walk must not recurse per level.
        let handle = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || parse(src.as_bytes(), DraftFormat::Html, "deep.html"))
            .expect("thread");
        let file = handle.join().expect("no stack overflow");
        assert_eq!(file.content.expect("content").text, "Deep text.");
    }

    #[test]
    fn empty_file_is_a_warning_titled_by_its_name() {
        let file = parse(b"", DraftFormat::Markdown, "empty.md");
        assert_eq!(file.state, FileState::Warning);
        assert_eq!(content(&file).title, "empty");
        assert_eq!(content(&file).words, 0);
    }

    #[test]
    fn text_headings_are_short_unpunctuated_lines() {
        let c = parse(b"Headline here\n\nAn Overview\n\nA sentence.", DraftFormat::Text, "x.txt").content.expect("c");
        assert_eq!(c.blocks[0].kind, BlockKind::Heading);
        assert_eq!(c.blocks[1].kind, BlockKind::Heading);
        assert_eq!(c.blocks[2].kind, BlockKind::Paragraph);
        assert_eq!(c.title, "Headline here");
    }
}
