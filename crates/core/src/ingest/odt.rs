//! .odt (OpenDocument Text, as LibreOffice writes it) into the canonical
//! text.
//!
//! `content.xml` holds the text; `meta.xml` the title. Tracked changes are
//! listed apart (`text:tracked-changes`) and marked in the text: an
//! insertion's text sits between `text:change-start` and `text:change-end`
//! (kept: accepted), a deletion's text is in the list only and its place is
//! a `text:change`. Annotations (comments) sit in the text where they start
//! and, when they cover a span, end at an `office:annotation-end` of the
//! same name.

use super::document::{
    attr, child, join_paragraphs, parse_xml, roman, sort_comments, Assembler, Container, DocumentComment,
    DocumentError, DocumentMarks, PendingChange, PendingLink, Point, ReadDocument, MAX_XML_DEPTH,
};
use super::BlockKind;
use crate::ingest::ChangeKind;
use roxmltree::Node;
use std::collections::HashMap;

const ODT_MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

pub(super) fn read(container: &mut Container<'_>) -> Result<ReadDocument, DocumentError> {
    if let Some(mimetype) = container.text("mimetype")? {
        let mimetype = mimetype.trim();
        if mimetype != ODT_MIMETYPE && mimetype != "application/vnd.oasis.opendocument.text-template" {
            return Err(DocumentError::Missing(format!(
                "not a text document ({mimetype}): Factdesk reads OpenDocument text (.odt)"
            )));
        }
    }
    if let Some(manifest) = container.text("META-INF/manifest.xml")? {
        let manifest = parse_xml("META-INF/manifest.xml", &manifest)?;
        // An encrypted part is listed with its encryption data; its bytes are not XML.
        if manifest.descendants().any(|n| n.is_element() && n.tag_name().name() == "encryption-data") {
            return Err(DocumentError::Encrypted);
        }
    }
    let Some(content_xml) = container.text("content.xml")? else {
        return Err(if container.has("word/document.xml") {
            DocumentError::Missing(format!("a Word document named .{}: rename it to .docx", container.extension()))
        } else {
            DocumentError::Missing("not an OpenDocument text: the container has no content.xml".to_owned())
        });
    };
    let meta_xml = container.text("meta.xml")?;
    let content = parse_xml("content.xml", &content_xml)?;
    let meta = meta_xml.as_deref().map(|xml| parse_xml("meta.xml", xml)).transpose()?;

    let text = content
        .root_element()
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "text" && n.parent_element().is_some_and(is_body));
    let mut walker = Walker {
        asm: Assembler::default(),
        regions: HashMap::new(),
        changes: Vec::new(),
        open_insertions: HashMap::new(),
        links: Vec::new(),
        comments: Vec::new(),
        open_comments: HashMap::new(),
        notes: Vec::new(),
        footnote_count: 0,
        endnote_count: 0,
        list_depth: 0,
        row_depth: 0,
        cell_start: false,
        in_paragraph: false,
    };
    if let Some(text) = text {
        if let Some(tracked) = child(text, "tracked-changes") {
            walker.regions = changed_regions(tracked);
        }
        walker.walk(text, 1)?;
    }
    walker.asm.finish_block(BlockKind::Paragraph, 0);
    let mut index = 0;
    while let Some((label, body)) = walker.notes.get(index).map(|(label, body)| (label.clone(), *body)) {
        walker.asm.push_note_label(&label);
        walker.walk(body, 1)?;
        walker.asm.finish_block(BlockKind::Paragraph, 0);
        index += 1;
    }
    // An insertion whose end never came runs to where the text ends.
    let unfinished: Vec<(String, Point)> = walker.open_insertions.drain().collect();
    for (id, start) in unfinished {
        let end = walker.asm.point();
        walker.push_insertion(&id, start, end);
    }
    walker.asm.finish_block(BlockKind::Paragraph, 0);

    let title = meta.as_ref().and_then(|doc| {
        doc.descendants()
            .find(|n| n.is_element() && n.tag_name().name() == "title")
            .map(|n| n.descendants().filter(Node::is_text).filter_map(|d| d.text()).collect::<String>())
    });
    let comments = walker
        .comments
        .iter()
        .map(|pending| {
            let start = walker.asm.offset(pending.start);
            let end = pending.end.map_or(start, |end| walker.asm.offset(end).max(start));
            DocumentComment { start, end, ..pending.comment.clone() }
        })
        .collect();
    let changes = walker.asm.resolve_changes(std::mem::take(&mut walker.changes));
    let links = walker.asm.resolve_links(std::mem::take(&mut walker.links));
    Ok(ReadDocument {
        builder: walker.asm.builder,
        marks: DocumentMarks { links, changes, comments: sort_comments(comments) },
        title,
    })
}

fn is_body(node: Node<'_, '_>) -> bool {
    node.tag_name().name() == "body"
}

/// A changed region of `text:tracked-changes`.
struct Region<'x, 'i> {
    kind: ChangeKind,
    author: String,
    date: Option<String>,
    /// A deletion's paragraphs.
    deleted: Option<Node<'x, 'i>>,
}

fn changed_regions<'x, 'i>(tracked: Node<'x, 'i>) -> HashMap<String, Region<'x, 'i>> {
    tracked
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "changed-region")
        .filter_map(|region| {
            let id = attr(region, "id")?.to_owned();
            let change = region.children().find(|n| n.is_element())?;
            let kind = match change.tag_name().name() {
                "insertion" => ChangeKind::Insertion,
                "deletion" => ChangeKind::Deletion,
                // A format change changes no text.
                _ => return None,
            };
            let info = child(change, "change-info");
            let field = |local: &str| {
                info.and_then(|i| child(i, local))
                    .map(|n| n.descendants().filter(Node::is_text).filter_map(|d| d.text()).collect::<String>())
            };
            let deleted = (kind == ChangeKind::Deletion).then_some(change);
            Some((id, Region { kind, author: field("creator").unwrap_or_default(), date: field("date"), deleted }))
        })
        .collect()
}

/// An annotation whose span is still points.
struct PendingComment {
    comment: DocumentComment,
    start: Point,
    end: Option<Point>,
}

struct Walker<'x, 'i> {
    asm: Assembler,
    regions: HashMap<String, Region<'x, 'i>>,
    changes: Vec<PendingChange>,
    open_insertions: HashMap<String, Point>,
    links: Vec<PendingLink>,
    comments: Vec<PendingComment>,
    /// Annotations by name, waiting for their `office:annotation-end`.
    open_comments: HashMap<String, usize>,
    notes: Vec<(String, Node<'x, 'i>)>,
    footnote_count: u32,
    endnote_count: u32,
    list_depth: usize,
    row_depth: usize,
    cell_start: bool,
    in_paragraph: bool,
}

impl<'x, 'i> Walker<'x, 'i> {
    fn walk(&mut self, node: Node<'x, 'i>, depth: usize) -> Result<(), DocumentError> {
        if depth > MAX_XML_DEPTH {
            return Err(DocumentError::TooDeep { part: "content.xml".to_owned() });
        }
        for child in node.children() {
            if child.is_text() {
                if self.in_paragraph {
                    self.text(child.text().unwrap_or(""));
                }
            } else if child.is_element() {
                self.element(child, depth + 1)?;
            }
        }
        Ok(())
    }

    /// Character data of a paragraph: ODF collapses white space, within
    /// and across elements (`text:s` writes the extra spaces).
    fn text(&mut self, text: &str) {
        for ch in text.chars() {
            if matches!(ch, ' ' | '\t' | '\n' | '\r') {
                if !self.asm.ends_with_space() {
                    self.asm.push_char(' ');
                }
            } else {
                self.asm.push_char(ch);
            }
        }
    }

    fn element(&mut self, node: Node<'x, 'i>, depth: usize) -> Result<(), DocumentError> {
        match node.tag_name().name() {
            "h" | "p" => self.paragraph(node, depth)?,
            // Lists of changes, declarations, frames (images, text boxes),
            // indexes (a table of contents repeats the headings), bookmarks.
            "tracked-changes"
            | "sequence-decls"
            | "variable-decls"
            | "user-field-decls"
            | "forms"
            | "frame"
            | "custom-shape"
            | "table-of-content"
            | "alphabetical-index"
            | "illustration-index"
            | "table-index"
            | "object-index"
            | "user-index"
            | "bibliography"
            | "table-columns"
            | "table-column"
            | "table-header-columns"
            | "soft-page-break"
            | "bookmark"
            | "bookmark-start"
            | "bookmark-end"
            | "note-citation"
            | "reference-mark-start"
            | "reference-mark-end" => {}
            "s" => {
                let count = attr(node, "c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1).clamp(1, 1000);
                for _ in 0..count {
                    self.asm.push_char(' ');
                }
            }
            "tab" => self.asm.push_char(' '),
            "line-break" => self.asm.push_char('\n'),
            "list" => {
                self.list_depth += 1;
                let walked = self.walk(node, depth);
                self.list_depth -= 1;
                walked?;
            }
            "a" => {
                let start = self.asm.point();
                self.walk(node, depth)?;
                let end = self.asm.point();
                if let Some(target) = attr(node, "href") {
                    self.links.push(PendingLink { start, end, target: target.to_owned() });
                }
            }
            "note" => {
                let Some(body) = child(node, "note-body") else { return Ok(()) };
                let label = if attr(node, "note-class") == Some("endnote") {
                    self.endnote_count += 1;
                    roman(self.endnote_count)
                } else {
                    self.footnote_count += 1;
                    self.footnote_count.to_string()
                };
                self.asm.push_str(&format!("[{label}]"));
                self.notes.push((label, body));
            }
            "annotation" => self.annotation(node),
            "annotation-end" => {
                if let Some(index) = attr(node, "name").and_then(|name| self.open_comments.remove(name)) {
                    let end = self.asm.point();
                    if let Some(pending) = self.comments.get_mut(index) {
                        pending.end = Some(end);
                    }
                }
            }
            "change-start" => {
                if let Some(id) = attr(node, "change-id") {
                    let start = self.asm.point();
                    self.open_insertions.insert(id.to_owned(), start);
                }
            }
            "change-end" => {
                if let Some(id) = attr(node, "change-id") {
                    if let Some(start) = self.open_insertions.remove(id) {
                        let end = self.asm.point();
                        self.push_insertion(id, start, end);
                    }
                }
            }
            "change" => {
                let Some(region) = attr(node, "change-id").and_then(|id| self.regions.get(id)) else { return Ok(()) };
                if region.kind != ChangeKind::Deletion {
                    return Ok(());
                }
                let text = region.deleted.map_or_else(String::new, |deleted| {
                    join_paragraphs(
                        deleted.descendants().filter(|n| n.is_element() && matches!(n.tag_name().name(), "p" | "h")),
                        paragraph_text,
                    )
                });
                let (author, date) = (region.author.clone(), region.date.clone());
                let at = self.asm.point();
                self.changes.push(PendingChange { kind: ChangeKind::Deletion, start: at, end: at, text, author, date });
            }
            "table-row" => {
                self.row_depth += 1;
                self.cell_start = true;
                let walked = self.walk(node, depth);
                self.row_depth -= 1;
                walked?;
                if self.row_depth == 0 {
                    self.asm.finish_block(BlockKind::Paragraph, 0);
                }
            }
            "table-cell" | "covered-table-cell" => {
                if !self.cell_start {
                    self.asm.push_str(" | ");
                }
                self.cell_start = true;
                self.walk(node, depth)?;
                self.cell_start = false;
            }
            _ => self.walk(node, depth)?,
        }
        Ok(())
    }

    fn push_insertion(&mut self, id: &str, start: Point, end: Point) {
        let Some(region) = self.regions.get(id) else { return };
        if region.kind != ChangeKind::Insertion {
            return;
        }
        self.changes.push(PendingChange {
            kind: ChangeKind::Insertion,
            start,
            end,
            text: String::new(),
            author: region.author.clone(),
            date: region.date.clone(),
        });
    }

    fn annotation(&mut self, node: Node<'x, 'i>) {
        let start = self.asm.point();
        let field = |local: &str| {
            child(node, local).map(|n| n.descendants().filter(Node::is_text).filter_map(|d| d.text()).collect())
        };
        let name = attr(node, "name").map(str::to_owned);
        let comment = DocumentComment {
            id: name.clone().unwrap_or_else(|| format!("annotation-{}", self.comments.len() + 1)),
            start: 0,
            end: 0,
            author: field("creator").unwrap_or_default(),
            date: field("date"),
            text: join_paragraphs(
                node.children().filter(|n| n.is_element() && matches!(n.tag_name().name(), "p" | "h" | "list")),
                paragraph_text,
            ),
            resolved: attr(node, "resolved") == Some("true"),
            reply_to: None,
        };
        if let Some(name) = name {
            self.open_comments.insert(name, self.comments.len());
        }
        self.comments.push(PendingComment { comment, start, end: None });
    }

    fn paragraph(&mut self, node: Node<'x, 'i>, depth: usize) -> Result<(), DocumentError> {
        if self.row_depth > 0 {
            if !self.cell_start && !self.asm.ends_with_space() {
                self.asm.push_char(' ');
            }
            self.cell_start = false;
            let outer = std::mem::replace(&mut self.in_paragraph, true);
            let walked = self.walk(node, depth);
            self.in_paragraph = outer;
            return walked;
        }
        let (kind, level) = if node.tag_name().name() == "h" {
            let level = attr(node, "outline-level").and_then(|l| l.parse::<u8>().ok()).unwrap_or(1);
            (BlockKind::Heading, level.clamp(1, 6))
        } else if attr(node, "style-name").is_some_and(|s| s == "Title") {
            (BlockKind::Heading, 1)
        } else if self.list_depth > 0 {
            (BlockKind::ListItem, 0)
        } else if attr(node, "style-name").is_some_and(|s| s == "Quotations") {
            (BlockKind::Quote, 0)
        } else {
            (BlockKind::Paragraph, 0)
        };
        let outer = std::mem::replace(&mut self.in_paragraph, true);
        let walked = self.walk(node, depth);
        self.in_paragraph = outer;
        walked?;
        if !self.in_paragraph {
            self.asm.finish_block(kind, level);
        }
        Ok(())
    }
}

/// The text of a paragraph outside the running text (an annotation's, a
/// deletion's), white space collapsed.
fn paragraph_text(paragraph: Node<'_, '_>) -> String {
    let mut out = String::new();
    for node in paragraph.descendants() {
        if node.is_text() {
            out.push_str(node.text().unwrap_or(""));
        } else if node.is_element() {
            match node.tag_name().name() {
                "s" | "tab" => out.push(' '),
                "line-break" => out.push('\n'),
                _ => {}
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
