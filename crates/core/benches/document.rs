//! Reading a word-processor draft: a .docx of about 1 MB (about 150 pages of text as Word writes
//! it: runs a few words long with revision ids and properties, headings, a footnote and a comment
//! every few paragraphs, and a 900 KB photo, which is never unpacked) and the same text as an
//! .odt, each parsed from its bytes into the canonical text. The documents are generated here
//! (deterministic). Run with `cargo bench -p factdesk-core --bench document`.

use criterion::{criterion_group, criterion_main, Criterion};
use factdesk_core::ingest::{parse, DraftFormat, FileState};
use std::io::Write;
use std::time::Duration;

const SENTENCES: &[&str] = &[
    "The Eastport Port Authority approved $48 million for harbor dredging in a closed session in January, according to meeting minutes reviewed by the Tribune.",
    "A worker at the plant, who spoke on condition of anonymity because employees were told not to talk to the media, said a sprinkler system had been out of service for weeks.",
    "Fire Chief Omar Little said the blaze started in a storage building at about 9:40 p.m. and was under control by midnight.",
    "Harlow & Finch Inc. said Tuesday it will close 38 of its 212 stores by the end of March and eliminate about 1,900 jobs.",
    "Vaccination rates fell to 84.6 percent last year, well below the 95 percent needed to prevent outbreaks, according to state immunization data.",
    "Two people familiar with the negotiations said the combined company would have annual revenue of roughly $6.3 billion.",
    "Judge Helen M. Ortiz sent the case back on Sept. 12 in a 2-1 decision.",
    "“We waited three years for someone to listen. Today somebody finally did,” said Rosa Ferrer, his sister.",
];

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml""#;

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        out.start_file(*name, options).expect("start");
        out.write_all(bytes).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// (docx bytes, odt bytes, words) of a generated story of `paragraphs` paragraphs.
fn documents(paragraphs: usize) -> (Vec<u8>, Vec<u8>) {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).unwrap_or(0)
    };
    let mut body = String::new();
    let mut odt = String::new();
    let mut footnotes = format!("<w:footnotes {W}>");
    let mut comments = format!("<w:comments {W}>");
    for index in 0..paragraphs {
        if index % 40 == 0 {
            let heading = format!("Part {} of the harbor inquiry", index / 40 + 1);
            body.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>{heading}</w:t></w:r></w:p>"#
            ));
            odt.push_str(&format!(r#"<text:h text:outline-level="2">{heading}</text:h>"#));
        }
        let rsid = format!("{:08X}", next(u32::MAX as usize));
        body.push_str(&format!(r#"<w:p w14:paraId="{rsid}" w:rsidR="{rsid}" w:rsidRDefault="{rsid}">"#));
        odt.push_str("<text:p>");
        if index % 7 == 0 {
            body.push_str(&format!(r#"<w:commentRangeStart w:id="{index}"/>"#));
            comments.push_str(&format!(
                r#"<w:comment w:id="{index}" w:author="Lee Park" w:date="2026-11-30T10:05:00Z"><w:p><w:r><w:t>Check paragraph {index}.</w:t></w:r></w:p></w:comment>"#
            ));
        }
        for _ in 0..=next(4) {
            let sentence = format!("{} (story note {}) ", SENTENCES[next(SENTENCES.len())], next(1_000_000));
            let words: Vec<&str> = sentence.split(' ').collect();
            // Word cuts a paragraph into runs wherever an edit session or a spelling mark began.
            for run in words.chunks(4) {
                let run_rsid = format!("{:08X}", next(u32::MAX as usize));
                body.push_str(&format!(
                    r#"<w:r w:rsidR="{run_rsid}" w:rsidRPr="{rsid}"><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr><w:t xml:space="preserve">{} </w:t></w:r>"#,
                    xml(&run.join(" "))
                ));
            }
            odt.push_str(&xml(&sentence));
        }
        if index % 7 == 0 {
            body.push_str(&format!(
                r#"<w:commentRangeEnd w:id="{index}"/><w:r><w:commentReference w:id="{index}"/></w:r>"#
            ));
        }
        if index % 25 == 0 {
            let id = index / 25 + 1;
            body.push_str(&format!(r#"<w:r><w:footnoteReference w:id="{id}"/></w:r>"#));
            footnotes.push_str(&format!(
                r#"<w:footnote w:id="{id}"><w:p><w:r><w:t>Records request {id}.</w:t></w:r></w:p></w:footnote>"#
            ));
        }
        body.push_str("</w:p>");
        odt.push_str("</text:p>");
    }
    footnotes.push_str("</w:footnotes>");
    comments.push_str("</w:comments>");
    let document = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#;
    // A photo: bytes that do not compress, as a JPEG's.
    let photo: Vec<u8> = (0..900_000).map(|_| u8::try_from(next(256)).unwrap_or(0)).collect();
    let docx = zip(&[
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/footnotes.xml", footnotes.as_bytes()),
        ("word/comments.xml", comments.as_bytes()),
        ("word/media/image1.jpeg", &photo),
    ]);
    eprintln!("docx: word/document.xml {:.1} MB unpacked", document.len() as f64 / 1e6);
    let content = format!(
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>{odt}</office:text></office:body></office:document-content>"#
    );
    let odt = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", content.as_bytes())]);
    (docx, odt)
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

fn bench(c: &mut Criterion) {
    let (docx, odt) = documents(1_250);
    let read = parse(&docx, DraftFormat::Docx, "big.docx");
    assert_eq!(read.state, FileState::Ok, "{:?}", read.reason);
    let words = read.content.as_ref().map_or(0, |c| c.words);
    eprintln!(
        "docx: {:.2} MB on disk, {words} words (~{} pages at 500 words a page); odt: {:.2} MB",
        docx.len() as f64 / 1e6,
        words / 500,
        odt.len() as f64 / 1e6
    );
    let mut group = c.benchmark_group("document");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    group.bench_function("docx_1mb", |b| b.iter(|| parse(&docx, DraftFormat::Docx, "big.docx")));
    group.bench_function("odt_same_text", |b| b.iter(|| parse(&odt, DraftFormat::Odt, "big.odt")));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
