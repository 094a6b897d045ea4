//! The PDF report: the HTML report printed by WeasyPrint.
//!
//! Why WeasyPrint: it is an established HTML/CSS-to-PDF engine packaged by
//! Debian (`apt-get install weasyprint`), runs offline with the system's
//! fonts, implements CSS paged media (page numbers and the CONFIDENTIAL
//! stamp in every page's margin), writes real text that `pdftotext` and
//! screen readers extract, and adds nothing to the Rust build. The PDF is
//! then the same page as the HTML report, escaping included. Typst as a
//! library was the alternative: a self-contained binary, but `typst` 0.15
//! with `typst-pdf` and `typst-assets` resolves to about 380 crates (the
//! whole core today: about 140) to compile on every clean build on two
//! cores, and a second layout, in Typst markup, to keep in step with the
//! HTML one. The price of WeasyPrint is a runtime dependency (Python) and
//! its speed: about 12 pages per CPU second (BENCHMARKS.md).

use super::{html, Report, ReportError, WriteOptions};
use std::io::Write;
use std::process::{Command, Stdio};

/// The report as PDF bytes, through `options.pdf_engine`.
pub fn render(report: &Report, options: &WriteOptions) -> Result<Vec<u8>, ReportError> {
    let page = html::render(report);
    let engine = &options.pdf_engine;
    let mut child = Command::new(engine)
        // `-` `-`: the page on standard input, the PDF on standard output; nothing touches the disk.
        .args(["--quiet", "--encoding", "utf-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                ReportError::PdfEngineMissing { engine: engine.clone() }
            }
            _ => ReportError::PdfEngine(format!("cannot start {engine}: {error}")),
        })?;
    let mut stdin = child.stdin.take().ok_or_else(|| ReportError::PdfEngine("no standard input".into()))?;
    // Written from another thread: WeasyPrint may fill its output pipe before reading all of its input.
    let writer = std::thread::spawn(move || stdin.write_all(page.as_bytes()));
    let output = child.wait_with_output().map_err(|e| ReportError::PdfEngine(e.to_string()))?;
    let written = writer.join().map_err(|_| ReportError::PdfEngine("writing the page failed".into()))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        return Err(ReportError::PdfEngine(format!("{} ({})", message.trim(), output.status)));
    }
    written.map_err(|e| ReportError::PdfEngine(format!("cannot hand the page over: {e}")))?;
    if !output.stdout.starts_with(b"%PDF-") {
        return Err(ReportError::PdfEngine("it did not write a PDF".into()));
    }
    Ok(output.stdout)
}
