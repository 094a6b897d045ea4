//! .docx and .odt drafts: documents written by a real application (pandoc,
//! in examples/drafts), documents holding tracked changes and comments as
//! Word and LibreOffice write them (their XML, zipped here), and hostile
//! documents (in tests/fixtures/hostile-documents, written by this test).

mod engine;

use factdesk_core::ingest::{parse, read_draft, ChangeKind, DraftContent, DraftFile, DraftFormat, FileState};
use std::io::Write;
use std::path::{Path, PathBuf};

fn examples(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/drafts").join(name)
}

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-documents")
}

fn content(file: &DraftFile) -> &DraftContent {
    assert_eq!(file.state, FileState::Ok, "{:?}", file.reason);
    file.content.as_ref().expect("content")
}

/// The code points `start..end` of `text`.
fn span(text: &str, start: u32, end: u32) -> String {
    text.chars().skip(start as usize).take((end - start) as usize).collect()
}

/// A zip container of `parts` (name, bytes), deflated, with a fixed time so
/// the same parts always make the same bytes.
fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in parts {
        out.start_file(*name, options).expect("start");
        out.write_all(bytes).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14 w15""#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rId6" Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended" Target="commentsExtended.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://council.example.org/minutes" TargetMode="External"/></Relationships>"#;

/// A Word document as Word 365 saves it with Track Changes on and two
/// comments, one of them resolved. Style ids are German (as a German Word
/// writes them); the names stay English.
fn word_document(resolved: bool) -> Vec<u8> {
    word_document_with(resolved, true)
}

/// [`word_document`], with or without its second comment.
fn word_document_with(resolved: bool, second_comment: bool) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>
<w:p w14:paraId="0F1A2B01" w14:textId="0F1A2B01" w:rsidR="00C41E2A" w:rsidRDefault="00C41E2A"><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Council backs harbor plan</w:t></w:r></w:p>
<w:p w14:paraId="0F1A2B02" w14:textId="0F1A2B02" w:rsidR="00C41E2A" w:rsidRDefault="00C41E2A"><w:r><w:t xml:space="preserve">The council voted </w:t></w:r><w:del w:id="11" w:author="Ana Ruiz" w:date="2026-11-30T09:12:00Z"><w:r w:rsidDel="00D2"><w:delText>5-2</w:delText></w:r></w:del><w:ins w:id="12" w:author="Ana Ruiz" w:date="2026-11-30T09:12:00Z"><w:r w:rsidR="00D2"><w:t>6-1</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> on Tuesday to </w:t></w:r><w:commentRangeStart w:id="0"/><w:r><w:t>fund the $4.2 million project</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:rPr><w:rStyle w:val="Kommentarzeichen"/></w:rPr><w:commentReference w:id="0"/></w:r><w:r><w:t>, the </w:t></w:r><w:hyperlink r:id="rId9" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>minutes</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> show.</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Funotenzeichen"/></w:rPr><w:footnoteReference w:id="1"/></w:r></w:p>
<w:p w14:paraId="0F1A2B03" w14:textId="0F1A2B03" w:rsidR="00C41E2A" w:rsidRDefault="00C41E2A"><w:pPr><w:pStyle w:val="Listenabsatz"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Dredging starts in May.</w:t></w:r></w:p>
<w:p w14:paraId="0F1A2B04" w14:textId="0F1A2B04" w:rsidR="00C41E2A" w:rsidRDefault="00C41E2A"><w:ins w:id="13" w:author="Lee Park" w:date="2026-11-30T10:40:00Z"><w:r><w:t>The mayor called it “a turning point” for the port.</w:t></w:r></w:ins></w:p>
<w:tbl><w:tblPr><w:tblStyle w:val="Tabellenraster"/></w:tblPr><w:tblGrid><w:gridCol w:w="4536"/><w:gridCol w:w="4536"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="4536" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>Yes</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>6</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>No</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p w14:paraId="0F1A2B05" w14:textId="0F1A2B05" w:rsidR="00C41E2A" w:rsidRDefault="00C41E2A"><w:commentRangeStart w:id="1"/><w:r><w:t>Residents</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \@ "MMMM" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> objected</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r><w:r><w:t>.</w:t></w:r></w:p>
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}><w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Listenabsatz"><w:name w:val="List Paragraph"/><w:basedOn w:val="Standard"/></w:style></w:styles>"#
    );
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {W}><w:comment w:id="0" w:author="Lee Park" w:date="2026-11-30T10:05:00Z" w:initials="LP"><w:p w14:paraId="6A1B2C01" w14:textId="77777777"><w:r><w:rPr><w:rStyle w:val="Kommentarzeichen"/></w:rPr><w:annotationRef/></w:r><w:r><w:t>Which budget line? Ask the clerk.</w:t></w:r></w:p></w:comment><w:comment w:id="1" w:author="Ana Ruiz" w:date="2026-11-30T10:07:00Z" w:initials="AR"><w:p w14:paraId="6A1B2C02" w14:textId="77777777"><w:r><w:annotationRef/></w:r><w:r><w:t>How many residents?</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let comments = if second_comment {
        comments
    } else {
        let start = comments.find(r#"<w:comment w:id="1""#).expect("second comment");
        let end = comments.rfind("</w:comment>").expect("end") + "</w:comment>".len();
        format!("{}{}", &comments[..start], &comments[end..])
    };
    let done = if resolved { "1" } else { "0" };
    let extended = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:commentsEx {W}><w15:commentEx w15:paraId="6A1B2C01" w15:done="{done}"/><w15:commentEx w15:paraId="6A1B2C02" w15:done="0"/></w15:commentsEx>"#
    );
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="Funotentext"/></w:pPr><w:r><w:rPr><w:rStyle w:val="Funotenzeichen"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Minutes of 24 November, item 7.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let core = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Harbor plan vote</dc:title><dc:creator>Ana Ruiz</dc:creator></cp:coreProperties>"#;
    zip(&[
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        ),
        ("_rels/.rels", PACKAGE_RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/comments.xml", comments.as_bytes()),
        ("word/commentsExtended.xml", extended.as_bytes()),
        ("word/footnotes.xml", footnotes.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
    ])
}

#[test]
fn a_word_document_reads_as_its_text_with_every_change_accepted() {
    let file = parse(&word_document(false), DraftFormat::Docx, "harbor.docx");
    assert_eq!(file.format, Some(DraftFormat::Docx));
    let c = content(&file);
    assert_eq!(
        c.text,
        "Council backs harbor plan\n\n\
         The council voted 6-1 on Tuesday to fund the $4.2 million project, the minutes show.[1]\n\n\
         Dredging starts in May.\n\n\
         The mayor called it \u{201c}a turning point\u{201d} for the port.\n\n\
         Yes | 6\n\nNo | 1\n\n\
         Residents objected.\n\n\
         [1] Minutes of 24 November, item 7."
    );
    assert_eq!(c.title, "Harbor plan vote", "the title property wins over the first heading");
    assert_eq!(c.words, count(&c.text));
    let kinds: Vec<_> = c.blocks.iter().map(|b| (b.kind, b.level)).collect();
    use factdesk_core::ingest::BlockKind::*;
    assert_eq!(
        kinds,
        vec![
            (Heading, 1),
            (Paragraph, 0),
            (ListItem, 0),
            (Paragraph, 0),
            (Paragraph, 0),
            (Paragraph, 0),
            (Paragraph, 0),
            (Paragraph, 0)
        ]
    );

    let changes = &c.marks.changes;
    assert_eq!(changes.len(), 3, "{changes:?}");
    let deletion = &changes[0];
    assert_eq!(deletion.kind, ChangeKind::Deletion);
    assert_eq!(deletion.text, "5-2");
    assert_eq!((deletion.author.as_str(), deletion.date.as_deref()), ("Ana Ruiz", Some("2026-11-30T09:12:00Z")));
    assert_eq!(span(&c.text, deletion.start, deletion.start + 3), "6-1", "the deletion sits where its text was");
    let insertion = &changes[1];
    assert_eq!(insertion.kind, ChangeKind::Insertion);
    assert_eq!(span(&c.text, insertion.start, insertion.end), "6-1");
    assert_eq!(insertion.text, "6-1");
    let sentence = &changes[2];
    assert_eq!(sentence.text, "The mayor called it \u{201c}a turning point\u{201d} for the port.");
    assert_eq!(sentence.author, "Lee Park");

    let link = &c.marks.links[0];
    assert_eq!(span(&c.text, link.start, link.end), "minutes");
    assert_eq!(link.target, "https://council.example.org/minutes");

    let comments = &c.marks.comments;
    assert_eq!(comments.len(), 2);
    assert_eq!(span(&c.text, comments[0].start, comments[0].end), "fund the $4.2 million project");
    assert_eq!(comments[0].text, "Which budget line? Ask the clerk.");
    assert_eq!(comments[0].author, "Lee Park");
    assert_eq!(comments[0].date.as_deref(), Some("2026-11-30T10:05:00Z"));
    assert!(!comments[0].resolved);
    assert_eq!(span(&c.text, comments[1].start, comments[1].end), "Residents objected", "field codes are left out");
    let resolved = parse(&word_document(true), DraftFormat::Docx, "harbor.docx");
    let again = content(&resolved);
    assert!(again.marks.comments[0].resolved, "commentsExtended marks it done");
    assert_eq!(again.content_hash, c.content_hash, "resolving a comment changes no text");
}

fn count(text: &str) -> u32 {
    factdesk_core::ingest::count_words(text)
}

/// content.xml as LibreOffice 7 writes a text with Track Changes on and an
/// annotation over a span.
fn libreoffice_document(resolved: bool) -> Vec<u8> {
    let resolved = if resolved { r#" loext:resolved="true""# } else { "" };
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" office:version="1.3"><office:body><office:text><text:tracked-changes text:track-changes="true"><text:changed-region xml:id="ct94180985413760" text:id="ct94180985413760"><text:deletion><office:change-info><dc:creator>Ana Ruiz</dc:creator><dc:date>2026-11-30T09:12:31.123456789</dc:date></office:change-info><text:p text:style-name="P1">5-2</text:p></text:deletion></text:changed-region><text:changed-region xml:id="ct94180985414400" text:id="ct94180985414400"><text:insertion><office:change-info><dc:creator>Ana Ruiz</dc:creator><dc:date>2026-11-30T09:12:40.000000000</dc:date></office:change-info></text:insertion></text:changed-region></text:tracked-changes><text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Illustration"/></text:sequence-decls>
<text:h text:style-name="P2" text:outline-level="1">Council backs harbor plan</text:h>
<text:p text:style-name="Text_20_body">The council voted <text:change text:change-id="ct94180985413760"/><text:change-start text:change-id="ct94180985414400"/>6-1<text:change-end text:change-id="ct94180985414400"/> on Tuesday to <office:annotation office:name="__Annotation__12_1905124821"{resolved}><dc:creator>Lee Park</dc:creator><dc:date>2026-11-30T10:05:00.000000000</dc:date><text:p text:style-name="P3"><text:span text:style-name="T1">Which budget line?</text:span> Ask the clerk.</text:p></office:annotation>fund the $4.2 million  project<office:annotation-end office:name="__Annotation__12_1905124821"/>, the <text:a xlink:type="simple" xlink:href="https://council.example.org/minutes" text:style-name="Internet_20_link">minutes</text:a><text:s/>show.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Footnote">Minutes of 24 November, item 7.</text:p></text:note-body></text:note></text:p>
<text:list text:style-name="L1"><text:list-item><text:p text:style-name="P4">Dredging starts in May.</text:p></text:list-item></text:list>
<table:table table:name="Table1"><table:table-column table:number-columns-repeated="2"/><table:table-row><table:table-cell office:value-type="string"><text:p>Yes</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>6</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"#
    );
    let meta = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Harbor plan vote</dc:title></office:meta></office:document-meta>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("meta.xml", meta.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

#[test]
fn a_libreoffice_document_reads_as_its_text_with_every_change_accepted() {
    let file = parse(&libreoffice_document(false), DraftFormat::Odt, "harbor.odt");
    assert_eq!(file.format, Some(DraftFormat::Odt));
    let c = content(&file);
    assert_eq!(
        c.text,
        "Council backs harbor plan\n\n\
         The council voted 6-1 on Tuesday to fund the $4.2 million project, the minutes show.[1]\n\n\
         Dredging starts in May.\n\n\
         Yes | 6\n\n\
         [1] Minutes of 24 November, item 7."
    );
    assert_eq!(c.title, "Harbor plan vote");
    let changes = &c.marks.changes;
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!((changes[0].kind, changes[0].text.as_str()), (ChangeKind::Deletion, "5-2"));
    assert_eq!(changes[0].author, "Ana Ruiz");
    assert_eq!(span(&c.text, changes[1].start, changes[1].end), "6-1");
    assert_eq!(changes[1].kind, ChangeKind::Insertion);
    let comment = &c.marks.comments[0];
    assert_eq!(span(&c.text, comment.start, comment.end), "fund the $4.2 million project", "white space collapses");
    assert_eq!(comment.text, "Which budget line? Ask the clerk.");
    assert_eq!(comment.author, "Lee Park");
    assert!(!comment.resolved);
    assert_eq!(c.marks.links[0].target, "https://council.example.org/minutes");
    let resolved = parse(&libreoffice_document(true), DraftFormat::Odt, "harbor.odt");
    assert!(content(&resolved).marks.comments[0].resolved);
}

#[test]
fn documents_written_by_pandoc_read_cleanly() {
    let docx = read_draft(&examples("harbor-dredging.docx"));
    let c = content(&docx);
    assert_eq!(c.title, "Port authority quietly doubled dredging budget, documents show");
    assert!(c.text.contains("approved $48 million for harbor dredging"), "{}", c.text);
    assert!(!c.text.contains("$46 million"), "the deletion is accepted");
    assert!(c.text.contains("under the authority\u{2019}s rules"), "smart quotes are kept");
    assert!(c.text.contains("\u{201c}Every dollar was approved"));
    assert!(c.text.contains("2025 | $8 million | $16 million"), "{}", c.text);
    assert!(c.text.ends_with("[1] Budget document FY2025-27, page 14."), "{}", c.text);
    assert_eq!(c.marks.changes.len(), 2);
    let comment = &c.marks.comments[0];
    assert_eq!(span(&c.text, comment.start, comment.end), "twice the amount listed in its published budget");
    assert_eq!(comment.author, "Lee Park");
    assert_eq!(c.marks.links[0].target, "https://comptroller.example.gov/disclosure");
    assert!(c.blocks.iter().any(|b| b.kind == factdesk_core::ingest::BlockKind::ListItem));

    let odt = read_draft(&examples("school-board-audit.odt"));
    let c = content(&odt);
    assert_eq!(c.title, "Audit faults school district spending");
    assert!(c.text.contains("Northfield Unified paid consultants $3.7 million"), "{}", c.text);
    assert_eq!(c.blocks[1].kind, factdesk_core::ingest::BlockKind::Heading);
}

/// Hostile documents: (file name, bytes, words the reason must hold).
fn hostile_documents() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let ole = |stream: &str| {
        // An OLE compound file header, then a directory entry naming the stream (UTF-16).
        let mut bytes = vec![0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
        bytes.resize(512, 0);
        bytes.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
        bytes.resize(2048, 0);
        bytes
    };
    let word =
        |document: &str| zip(&[("_rels/.rels", PACKAGE_RELS.as_bytes()), ("word/document.xml", document.as_bytes())]);
    let laughs = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document {W}><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let external = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]><w:document {W}><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bomb = {
        let mut document = format!("<w:document {W}><w:body><w:p><w:r><w:t>");
        document.push_str(&"a".repeat(8 * 1024 * 1024));
        document.push_str("</w:t></w:r></w:p></w:body></w:document>");
        word(&document)
    };
    let deep = {
        let depth = 5_000;
        let document = format!(
            "<w:document {W}><w:body><w:p>{}<w:r><w:t>deep</w:t></w:r>{}</w:p></w:body></w:document>",
            "<w:sdt>".repeat(depth),
            "</w:sdt>".repeat(depth)
        );
        word(&document)
    };
    let encrypted_odt = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", &[0x8f, 0x12, 0x00, 0xfe, 0x33]),
        (
            "META-INF/manifest.xml",
            br#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="x"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>"#,
        ),
    ]);
    vec![
        ("password-protected.docx", ole("EncryptedPackage"), "password-protected"),
        ("password-protected.odt", encrypted_odt, "password-protected"),
        ("binary-word-97.docx", ole("WordDocument"), "binary Word 97-2003"),
        ("binary-word-97.doc", ole("WordDocument"), "save it as .docx"),
        (
            "web-page-saved-by-word.doc",
            b"<html xmlns:o='urn:schemas-microsoft-com:office:office'><body><p>Text</p></body></html>".to_vec(),
            "HTML file named .doc",
        ),
        ("zip-bomb.docx", bomb, "zip bomb"),
        (
            "path-traversal.docx",
            zip(&[
                ("_rels/.rels", PACKAGE_RELS.as_bytes()),
                ("word/document.xml", b"<w:document/>"),
                ("../../../tmp/factdesk-owned.txt", b"owned"),
            ]),
            "pointing outside",
        ),
        ("malformed-xml.docx", word(&format!("<w:document {W}><w:body><w:p><w:r><w:t>cut off")), "not well-formed XML"),
        ("billion-laughs.docx", word(&laughs), "DTD"),
        ("external-entity.docx", word(&external), "DTD"),
        ("nested-deep.docx", deep, "nests deeper"),
        (
            "html-named.docx",
            b"<!DOCTYPE html><html><body><p>Council backs harbor plan</p></body></html>".to_vec(),
            "HTML file named .docx",
        ),
        ("truncated-zip.odt", libreoffice_document(false)[..400].to_vec(), "damaged"),
        ("not-a-word-document.docx", zip(&[("hello.txt", b"hello")]), "no word/document.xml"),
        (
            "spreadsheet.odt",
            zip(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]),
            "not a text document",
        ),
        ("garbage.docx", b"Council backs harbor plan, plain text under a .docx name".to_vec(), "no zip container"),
    ]
}

#[test]
fn hostile_documents_are_skipped_with_their_reason() {
    for (name, bytes, reason) in hostile_documents() {
        let format = if name.ends_with(".odt") { DraftFormat::Odt } else { DraftFormat::Docx };
        let file = parse(&bytes, format, name);
        assert_eq!(file.state, FileState::Skipped, "{name}: {:?}", file.reason);
        let said = file.reason.unwrap_or_default();
        assert!(said.contains(reason), "{name}: {said:?} should say {reason:?}");
        assert!(file.content.is_none());
    }
    assert!(!Path::new("/tmp/factdesk-owned.txt").exists(), "nothing is ever unpacked to disk");
}

/// The hostile documents are kept as files too (for the command line's and
/// the window's tests, and for anyone to try): they are exactly what
/// [`hostile_documents`] makes. `FACTDESK_WRITE_FIXTURES=1` writes them.
#[test]
fn hostile_document_fixtures_are_up_to_date() {
    let dir = hostile_dir();
    let write = std::env::var_os("FACTDESK_WRITE_FIXTURES").is_some();
    for (name, bytes, _) in hostile_documents() {
        let path = dir.join(name);
        if write {
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(&path, &bytes).expect("write");
        }
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(on_disk == bytes, "{name} is out of date: run with FACTDESK_WRITE_FIXTURES=1");
        let read = read_draft(&path);
        assert_eq!(read.state, FileState::Skipped, "{name}");
    }
}

#[test]
fn an_empty_document_file_is_a_draft_not_started() {
    let file = parse(b"", DraftFormat::Docx, "New Microsoft Word Document.docx");
    assert_eq!(file.state, FileState::Warning);
    assert_eq!(file.content.expect("content").title, "New Microsoft Word Document");
}

#[test]
fn a_100_mb_document_is_skipped_before_it_is_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("huge.docx");
    let file = std::fs::File::create(&path).expect("create");
    // Sparse: 100 MB on paper, nothing on the disk.
    file.set_len(100 * 1024 * 1024).expect("set_len");
    let read = read_draft(&path);
    assert_eq!(read.state, FileState::Skipped);
    assert!(read.reason.unwrap_or_default().contains("larger than 50 MiB"));
}

#[test]
fn lock_and_temporary_files_of_word_and_libreoffice_are_ignored() {
    let tmp = tempfile::tempdir().expect("tmp");
    for name in ["~$rbor.docx", ".~lock.harbor.odt#", "~WRL0001.tmp"] {
        let path = tmp.path().join(name);
        std::fs::write(&path, b"owner").expect("write");
        assert_eq!(read_draft(&path).state, FileState::Ignored, "{name}");
    }
}

#[test]
fn the_reader_gets_a_documents_marks_while_its_file_holds_the_version_shown() {
    use factdesk_core::clock::SystemClock;
    use factdesk_core::desk::Desk;
    use std::sync::Arc;

    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    let path = folder.join("harbor.docx");
    std::fs::write(&path, word_document(false)).expect("write");
    std::fs::write(folder.join("notes.md"), "# Notes\n\nPlain.").expect("write");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let desk = Desk::open(store, &folder, Arc::new(SystemClock)).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let summaries = desk.summaries().expect("drafts");
    let id = |path: &str| summaries.iter().find(|d| d.path == path).expect(path).id;

    let document = desk.document(id("harbor.docx")).expect("read").expect("draft");
    let marks = document.marks.expect("marks");
    assert_eq!(marks.changes.len(), 3);
    assert!(!marks.comments[0].resolved);
    assert!(desk.document(id("notes.md")).expect("read").expect("draft").marks.is_none());

    // Saved again with the comment resolved: the same text, so the same version, and the mark follows the file.
    std::fs::write(&path, word_document(true)).expect("write");
    let document = desk.document(id("harbor.docx")).expect("read").expect("draft");
    assert!(document.marks.expect("marks").comments[0].resolved);
    // The desk tells the window, so an open reader reads the marks again.
    let mut events = Vec::new();
    desk.scan(&mut |_| {}, &mut |event| events.push(event)).expect("scan");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, factdesk_core::desk::DeskEvent::Changed { path, .. } if path == "harbor.docx")),
        "{events:?}"
    );
    assert_eq!(desk.document(id("harbor.docx")).expect("read").expect("draft").versions, 1);

    // The comments are kept as read-only notes: resolved as the document says, and a comment a
    // later save no longer holds stays, shown removed, on the words it was on.
    use factdesk_core::document_comments::CommentState;
    let notes = desk.document(id("harbor.docx")).expect("read").expect("draft").comments;
    let states: Vec<_> = notes.iter().map(|n| (n.text.as_str(), n.state)).collect();
    assert_eq!(
        states,
        vec![
            ("How many residents?", CommentState::Open),
            ("Which budget line? Ask the clerk.", CommentState::Resolved)
        ]
    );
    std::fs::write(&path, word_document_with(true, false)).expect("write");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let notes = desk.document(id("harbor.docx")).expect("read").expect("draft").comments;
    let removed = notes.iter().find(|n| n.text == "How many residents?").expect("kept");
    assert_eq!(removed.state, CommentState::Removed);
    assert_eq!(removed.quote.exact, "Residents objected");
    assert!(removed.start.is_none() && removed.removed_at.is_some());
    let kept = notes.iter().find(|n| n.state == CommentState::Resolved).expect("resolved");
    assert_eq!(kept.quote.exact, "fund the $4.2 million project");
    assert!(kept.start.is_some());
    assert_eq!(kept.author, "Lee Park");

    // A file that no longer holds the version shown gives no marks until the desk catches up.
    std::fs::write(&path, libreoffice_document(false)).expect("write");
    assert!(desk.document(id("harbor.docx")).expect("read").expect("draft").marks.is_none());
}

/// Pieces of Word XML, put together in any order (well-formed or not): the
/// reader never panics, and every mark lies inside the text it describes.
const WORD_PIECES: &[&str] = &[
    "<w:p>",
    "</w:p>",
    "<w:r><w:t xml:space=\"preserve\"> a word </w:t></w:r>",
    "<w:r><w:t>x</w:t></w:r>",
    "<w:r><w:tab/><w:br/></w:r>",
    "<w:ins w:id=\"1\" w:author=\"A\">",
    "</w:ins>",
    "<w:del w:id=\"2\" w:author=\"B\"><w:r><w:delText>gone</w:delText></w:r></w:del>",
    "<w:del w:id=\"3\">",
    "</w:del>",
    "<w:commentRangeStart w:id=\"0\"/>",
    "<w:commentRangeEnd w:id=\"0\"/>",
    "<w:r><w:commentReference w:id=\"0\"/></w:r>",
    "<w:r><w:footnoteReference w:id=\"1\"/></w:r>",
    "<w:hyperlink r:id=\"rId9\">",
    "</w:hyperlink>",
    "<w:tbl><w:tr><w:tc>",
    "</w:tc><w:tc>",
    "</w:tc></w:tr></w:tbl>",
    "<w:pPr><w:pStyle w:val=\"berschrift1\"/></w:pPr>",
    "<w:sdt><w:sdtContent>",
    "</w:sdtContent></w:sdt>",
    "  \u{201c}\u{1f600}\u{201d} ",
];

fn check_marks(file: &DraftFile) {
    let Some(content) = &file.content else {
        assert!(file.reason.as_deref().is_some_and(|r| !r.is_empty()));
        return;
    };
    let len = u32::try_from(content.text.chars().count()).expect("len");
    let marks = &content.marks;
    for change in &marks.changes {
        assert!(change.start <= change.end && change.end <= len, "{change:?} outside {len}");
        if change.kind == ChangeKind::Insertion {
            assert_eq!(span(&content.text, change.start, change.end), change.text);
        } else {
            assert_eq!(change.start, change.end);
        }
    }
    for comment in &marks.comments {
        assert!(comment.start <= comment.end && comment.end <= len, "{comment:?} outside {len}");
    }
    for link in &marks.links {
        assert!(link.start < link.end && link.end <= len, "{link:?} outside {len}");
    }
    for block in &content.blocks {
        assert!(block.start <= block.end && block.end <= len);
    }
    assert_eq!(content.words, count(&content.text));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    #[test]
    fn any_arrangement_of_word_xml_reads_without_a_panic_and_with_marks_in_the_text(
        pieces in proptest::collection::vec(0..WORD_PIECES.len(), 0..60)
    ) {
        let body: String = pieces.iter().map(|&i| WORD_PIECES[i]).collect();
        let document = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let footnotes = format!("<w:footnotes {W}><w:footnote w:id=\"1\"><w:p><w:r><w:t> Note.</w:t></w:r></w:p></w:footnote></w:footnotes>");
        let comments = format!("<w:comments {W}><w:comment w:id=\"0\" w:author=\"C\"><w:p><w:r><w:t>Why?</w:t></w:r></w:p></w:comment></w:comments>");
        let bytes = zip(&[
            ("_rels/.rels", PACKAGE_RELS.as_bytes()),
            ("word/document.xml", document.as_bytes()),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
            ("word/footnotes.xml", footnotes.as_bytes()),
            ("word/comments.xml", comments.as_bytes()),
        ]);
        check_marks(&parse(&bytes, DraftFormat::Docx, "any.docx"));
    }

    #[test]
    fn a_damaged_document_is_skipped_or_read_never_a_panic(
        flips in proptest::collection::vec((0usize..1_000_000, proptest::prelude::any::<u8>()), 1..8),
        cut in proptest::option::of(0usize..1_000_000),
        odt in proptest::prelude::any::<bool>(),
    ) {
        let (mut bytes, format) =
            if odt { (libreoffice_document(false), DraftFormat::Odt) } else { (word_document(false), DraftFormat::Docx) };
        for (at, value) in flips {
            let len = bytes.len();
            bytes[at % len] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut % bytes.len());
        }
        check_marks(&parse(&bytes, format, "damaged"));
    }
}
