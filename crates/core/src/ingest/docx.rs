//! .docx (Office Open XML, as Word and Google Docs write it) into the
//! canonical text.
//!
//! The parts are found as Office finds them: the main document through the
//! package's relationships, and its styles, footnotes, endnotes, comments
//! and hyperlink targets through the main document's. Elements are matched
//! by local name, so Transitional and Strict documents read alike.
//!
//! Tracked changes: `w:ins`/`w:moveTo` text is kept (accepted) and marked;
//! `w:del`/`w:moveFrom` text is left out and marked at its point with the
//! text it took out. Formatting changes (`w:rPrChange`…) change no text.

use super::document::{
    attr, child, first_by_id, join_paragraphs, parse_xml, roman, sort_comments, Assembler, Container, DocumentComment,
    DocumentError, DocumentMarks, PendingChange, PendingLink, Point, ReadDocument, MAX_XML_DEPTH,
};
use super::BlockKind;
use crate::ingest::ChangeKind;
use roxmltree::Node;
use std::collections::{HashMap, HashSet};

const MAIN_PART: &str = "word/document.xml";

pub(super) fn read(container: &mut Container<'_>) -> Result<ReadDocument, DocumentError> {
    let package_rels = container.text("_rels/.rels")?;
    let package_rels = match &package_rels {
        Some(xml) => relationships(&parse_xml("_rels/.rels", xml)?, ""),
        None => Vec::new(),
    };
    let main = package_rels
        .iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map_or_else(|| MAIN_PART.to_owned(), |r| r.target.clone());
    let Some(document_xml) = container.text(&main)? else {
        return Err(if container.has("content.xml") && container.has("mimetype") {
            DocumentError::Missing(format!("an OpenDocument file named .{}: rename it to .odt", container.extension()))
        } else {
            DocumentError::Missing(format!("not a Word document: the container has no {main}"))
        });
    };
    let folder = main.rsplit_once('/').map_or("", |(folder, _)| folder).to_owned();
    let rels_path = format!("{folder}/_rels/{}.rels", main.rsplit('/').next().unwrap_or(&main));
    let rels_xml = container.text(rels_path.trim_start_matches('/'))?;
    let rels = match &rels_xml {
        Some(xml) => relationships(&parse_xml(&rels_path, xml)?, &folder),
        None => Vec::new(),
    };
    let mut part_of = |kind: &str| -> Result<Option<(String, String)>, DocumentError> {
        let Some(rel) = rels.iter().find(|r| r.kind.ends_with(kind) && !r.external) else { return Ok(None) };
        Ok(container.text(&rel.target)?.map(|xml| (rel.target.clone(), xml)))
    };
    let styles_xml = part_of("/styles")?;
    let footnotes_xml = part_of("/footnotes")?;
    let endnotes_xml = part_of("/endnotes")?;
    let comments_xml = part_of("/comments")?;
    let comments_ex_xml = part_of("/commentsExtended")?;
    let core_xml = match package_rels.iter().find(|r| r.kind.ends_with("/core-properties")) {
        Some(rel) => container.text(&rel.target)?.map(|xml| (rel.target.clone(), xml)),
        None => None,
    };

    let document = parse_xml(&main, &document_xml)?;
    let styles = parsed(&styles_xml)?;
    let footnotes = parsed(&footnotes_xml)?;
    let endnotes = parsed(&endnotes_xml)?;
    let comments = parsed(&comments_xml)?;
    let comments_ex = parsed(&comments_ex_xml)?;
    let core = parsed(&core_xml)?;

    let hyperlinks =
        rels.iter().filter(|r| r.kind.ends_with("/hyperlink")).map(|r| (r.id.clone(), r.raw_target.clone())).collect();
    let mut walker = Walker {
        part: main.clone(),
        asm: Assembler::default(),
        styles: styles.as_ref().map(|doc| paragraph_styles(doc.root_element())).unwrap_or_default(),
        hyperlinks,
        footnotes: notes_by_id(&footnotes, "footnote"),
        endnotes: notes_by_id(&endnotes, "endnote"),
        notes: Vec::new(),
        noted: HashSet::new(),
        footnote_count: 0,
        endnote_count: 0,
        changes: Vec::new(),
        links: Vec::new(),
        comment_starts: HashMap::new(),
        comment_ends: HashMap::new(),
        comment_refs: HashMap::new(),
        deleting: None,
        row_depth: 0,
        cell_start: false,
    };
    let body = document.root_element().children().find(|n| n.is_element() && n.tag_name().name() == "body");
    if let Some(body) = body {
        walker.walk(body, 1)?;
    }
    walker.asm.finish_block(BlockKind::Paragraph, 0);
    // Notes follow the text in the order they were referenced; a note may
    // reference another, which then joins the queue.
    let mut index = 0;
    while let Some((label, note, part)) = walker.notes.get(index).cloned() {
        walker.part = part;
        walker.asm.push_note_label(&label);
        walker.walk(note, 1)?;
        walker.asm.finish_block(BlockKind::Paragraph, 0);
        index += 1;
    }

    let comments = comments
        .as_ref()
        .map(|doc| walker.comments(doc.root_element(), comments_ex.as_ref().map(roxmltree::Document::root_element)))
        .unwrap_or_default();
    let title = core.as_ref().and_then(|doc| {
        doc.root_element()
            .children()
            .find(|n| n.is_element() && n.tag_name().name() == "title")
            .map(|n| n.descendants().filter_map(|d| d.text().filter(|_| d.is_text())).collect::<String>())
    });
    let changes = walker.asm.resolve_changes(std::mem::take(&mut walker.changes));
    let links = walker.asm.resolve_links(std::mem::take(&mut walker.links));
    Ok(ReadDocument { builder: walker.asm.builder, marks: DocumentMarks { links, changes, comments }, title })
}

fn parsed(part: &Option<(String, String)>) -> Result<Option<roxmltree::Document<'_>>, DocumentError> {
    part.as_ref().map(|(name, xml)| parse_xml(name, xml)).transpose()
}

/// A notes part's notes (`local` is `footnote` or `endnote`) by their id.
fn notes_by_id<'x, 'i>(doc: &'x Option<roxmltree::Document<'i>>, local: &str) -> HashMap<String, Node<'x, 'i>> {
    doc.as_ref().map_or_else(HashMap::new, |doc| {
        first_by_id(
            doc.root_element()
                .children()
                .filter(|n| n.is_element() && n.tag_name().name() == local)
                .filter_map(|n| attr(n, "id").map(|id| (id.to_owned(), n))),
        )
    })
}

/// One relationship of a part: `target` resolved to a path in the container
/// (for internal targets), `raw_target` as written.
struct Relationship {
    id: String,
    kind: String,
    target: String,
    raw_target: String,
    external: bool,
}

fn relationships(doc: &roxmltree::Document<'_>, folder: &str) -> Vec<Relationship> {
    doc.root_element()
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Relationship")
        .filter_map(|n| {
            let raw_target = attr(n, "Target")?.to_owned();
            let external = attr(n, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            Some(Relationship {
                id: attr(n, "Id")?.to_owned(),
                kind: attr(n, "Type")?.to_owned(),
                target: if external { raw_target.clone() } else { resolve_target(folder, &raw_target) },
                raw_target,
                external,
            })
        })
        .collect()
}

/// A relationship target relative to `folder`, as a path in the container.
fn resolve_target(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> =
        if target.starts_with('/') { Vec::new() } else { folder.split('/').filter(|p| !p.is_empty()).collect() };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// What each paragraph style makes of a paragraph, by style id. Built-in
/// styles keep their English name (`heading 1`) whatever the language of
/// Word, while their ids are translated; outline levels cover custom ones.
fn paragraph_styles(styles: Node<'_, '_>) -> HashMap<String, (BlockKind, u8)> {
    struct Style {
        name: String,
        based_on: Option<String>,
        outline: Option<u8>,
    }
    let all: HashMap<String, Style> = styles
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "style" && attr(*n, "type") == Some("paragraph"))
        .filter_map(|n| {
            let id = attr(n, "styleId")?.to_owned();
            let name = child(n, "name").and_then(|c| attr(c, "val")).unwrap_or("").to_ascii_lowercase();
            let based_on = child(n, "basedOn").and_then(|c| attr(c, "val")).map(str::to_owned);
            let outline = child(n, "pPr")
                .and_then(|p| child(p, "outlineLvl"))
                .and_then(|o| attr(o, "val"))
                .and_then(|v| v.parse::<u8>().ok());
            Some((id, Style { name, based_on, outline }))
        })
        .collect();
    let kind_of = |style: &Style| -> Option<(BlockKind, u8)> {
        let name = style.name.as_str();
        if let Some(level) = name.strip_prefix("heading ").and_then(|l| l.trim().parse::<u8>().ok()) {
            return Some((BlockKind::Heading, level.clamp(1, 6)));
        }
        match name {
            "title" => return Some((BlockKind::Heading, 1)),
            "quote" | "intense quote" | "block text" => return Some((BlockKind::Quote, 0)),
            _ if name.starts_with("list") => return Some((BlockKind::ListItem, 0)),
            _ => {}
        }
        match style.outline {
            Some(level) if level < 9 => Some((BlockKind::Heading, (level + 1).min(6))),
            _ => None,
        }
    };
    all.iter()
        .filter_map(|(id, style)| {
            // Follow `basedOn` a few steps: a custom "Story Head" based on Heading 2 is a heading.
            let mut current = style;
            for _ in 0..10 {
                if let Some(kind) = kind_of(current) {
                    return Some((id.clone(), kind));
                }
                current = all.get(current.based_on.as_deref()?)?;
            }
            None
        })
        .collect()
}

struct Walker<'x, 'i> {
    /// The part being read, for error messages.
    part: String,
    asm: Assembler,
    styles: HashMap<String, (BlockKind, u8)>,
    hyperlinks: HashMap<String, String>,
    footnotes: HashMap<String, Node<'x, 'i>>,
    endnotes: HashMap<String, Node<'x, 'i>>,
    /// Notes referenced so far: their label, body and part.
    notes: Vec<(String, Node<'x, 'i>, String)>,
    noted: HashSet<(bool, String)>,
    footnote_count: u32,
    endnote_count: u32,
    changes: Vec<PendingChange>,
    links: Vec<PendingLink>,
    comment_starts: HashMap<String, Point>,
    comment_ends: HashMap<String, Point>,
    comment_refs: HashMap<String, Point>,
    /// The text taken out by the deletion being read, if inside one.
    deleting: Option<String>,
    row_depth: usize,
    cell_start: bool,
}

impl<'x, 'i> Walker<'x, 'i> {
    fn walk(&mut self, node: Node<'x, 'i>, depth: usize) -> Result<(), DocumentError> {
        if depth > MAX_XML_DEPTH {
            return Err(DocumentError::TooDeep { part: self.part.clone() });
        }
        for child in node.children().filter(Node::is_element) {
            self.element(child, depth + 1)?;
        }
        Ok(())
    }

    /// Text of the document: into the deletion being read, or the text.
    fn emit(&mut self, text: &str) {
        match &mut self.deleting {
            Some(deleted) => deleted.push_str(text),
            None => self.asm.push_str(text),
        }
    }

    fn element(&mut self, node: Node<'x, 'i>, depth: usize) -> Result<(), DocumentError> {
        match node.tag_name().name() {
            "p" => self.paragraph(node, depth)?,
            // Properties, field codes, drawings (and the text boxes inside
            // them), bookmarks: not the document's running text.
            "pPr"
            | "rPr"
            | "sectPr"
            | "instrText"
            | "delInstrText"
            | "drawing"
            | "pict"
            | "object"
            | "AlternateContent"
            | "tblPr"
            | "tblGrid"
            | "trPr"
            | "tcPr"
            | "sdtPr"
            | "sdtEndPr"
            | "fldData"
            | "bookmarkStart"
            | "bookmarkEnd"
            | "proofErr"
            | "footnoteRef"
            | "endnoteRef"
            | "annotationRef"
            | "separator"
            | "continuationSeparator"
            | "sym"
            | "softHyphen"
            | "lastRenderedPageBreak" => {}
            "t" | "delText" => {
                let text = node.text().unwrap_or("");
                self.emit(text);
            }
            "tab" | "ptab" => self.emit(" "),
            "br" | "cr" => match attr(node, "type") {
                Some("page" | "column") => self.emit(" "),
                _ => self.emit("\n"),
            },
            "noBreakHyphen" => self.emit("-"),
            "ins" | "moveTo" => {
                if self.deleting.is_some() {
                    // Inserted, then deleted by someone else: deleted.
                    return self.walk(node, depth);
                }
                let start = self.asm.point();
                self.walk(node, depth)?;
                let end = self.asm.point();
                self.changes.push(PendingChange {
                    kind: ChangeKind::Insertion,
                    start,
                    end,
                    text: String::new(),
                    author: attr(node, "author").unwrap_or("").to_owned(),
                    date: attr(node, "date").map(str::to_owned),
                });
            }
            "del" | "moveFrom" => {
                if self.deleting.is_some() {
                    return self.walk(node, depth);
                }
                let at = self.asm.point();
                self.deleting = Some(String::new());
                let walked = self.walk(node, depth);
                let text = self.deleting.take().unwrap_or_default();
                walked?;
                self.changes.push(PendingChange {
                    kind: ChangeKind::Deletion,
                    start: at,
                    end: at,
                    text,
                    author: attr(node, "author").unwrap_or("").to_owned(),
                    date: attr(node, "date").map(str::to_owned),
                });
            }
            "hyperlink" => {
                let start = self.asm.point();
                self.walk(node, depth)?;
                let end = self.asm.point();
                let target = attr(node, "id")
                    .and_then(|id| self.hyperlinks.get(id).cloned())
                    .or_else(|| attr(node, "anchor").map(|a| format!("#{a}")));
                if let (Some(target), None) = (target, &self.deleting) {
                    self.links.push(PendingLink { start, end, target });
                }
            }
            "footnoteReference" | "endnoteReference" if self.deleting.is_none() => {
                let endnote = node.tag_name().name() == "endnoteReference";
                let Some(id) = attr(node, "id") else { return Ok(()) };
                let body = if endnote { self.endnotes.get(id) } else { self.footnotes.get(id) }.copied();
                let Some(body) = body else { return Ok(()) };
                if !self.noted.insert((endnote, id.to_owned())) {
                    return Ok(());
                }
                let label = if endnote {
                    self.endnote_count += 1;
                    roman(self.endnote_count)
                } else {
                    self.footnote_count += 1;
                    self.footnote_count.to_string()
                };
                self.asm.push_str(&format!("[{label}]"));
                let part = if endnote { "word/endnotes.xml" } else { "word/footnotes.xml" };
                self.notes.push((label, body, part.to_owned()));
            }
            "commentRangeStart" => self.comment_point(node, Anchor::Start),
            "commentRangeEnd" => self.comment_point(node, Anchor::End),
            "commentReference" => self.comment_point(node, Anchor::Reference),
            "tr" => {
                self.row_depth += 1;
                self.cell_start = true;
                let walked = self.walk(node, depth);
                self.row_depth -= 1;
                walked?;
                if self.row_depth == 0 {
                    self.asm.finish_block(BlockKind::Paragraph, 0);
                }
            }
            "tc" => {
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

    fn paragraph(&mut self, node: Node<'x, 'i>, depth: usize) -> Result<(), DocumentError> {
        if self.row_depth > 0 {
            // A table cell's paragraphs run on in its row's block.
            if !self.cell_start && !self.asm.ends_with_space() {
                self.asm.push_char(' ');
            }
            self.cell_start = false;
            return self.walk(node, depth);
        }
        if self.deleting.is_some() {
            return self.walk(node, depth);
        }
        let (kind, level) = self.paragraph_kind(node);
        self.walk(node, depth)?;
        self.asm.finish_block(kind, level);
        Ok(())
    }

    fn paragraph_kind(&self, paragraph: Node<'_, '_>) -> (BlockKind, u8) {
        let Some(properties) = child(paragraph, "pPr") else { return (BlockKind::Paragraph, 0) };
        if let Some(level) =
            child(properties, "outlineLvl").and_then(|o| attr(o, "val")).and_then(|v| v.parse::<u8>().ok())
        {
            if level < 9 {
                return (BlockKind::Heading, (level + 1).min(6));
            }
        }
        let styled = child(properties, "pStyle").and_then(|s| attr(s, "val")).and_then(|id| self.styles.get(id));
        if let Some(&(BlockKind::Heading, level)) = styled {
            return (BlockKind::Heading, level);
        }
        let numbered = child(properties, "numPr")
            .is_some_and(|n| child(n, "numId").and_then(|id| attr(id, "val")).is_none_or(|id| id != "0"));
        if numbered {
            return (BlockKind::ListItem, 0);
        }
        styled.copied().unwrap_or((BlockKind::Paragraph, 0))
    }

    fn comment_point(&mut self, node: Node<'_, '_>, anchor: Anchor) {
        let Some(id) = attr(node, "id") else { return };
        let point = self.asm.point();
        let map = match anchor {
            Anchor::Start => &mut self.comment_starts,
            Anchor::End => &mut self.comment_ends,
            Anchor::Reference => &mut self.comment_refs,
        };
        map.entry(id.to_owned()).or_insert(point);
    }

    /// The comments of `comments.xml` on their spans; `extended`
    /// (`commentsExtended.xml`, Word 2013 and later) says which are done and
    /// which answer another.
    fn comments(&self, comments: Node<'_, '_>, extended: Option<Node<'_, '_>>) -> Vec<DocumentComment> {
        // commentsExtended keys comments by the paragraph id of their last paragraph.
        let mut done_by_para: HashMap<&str, (bool, Option<&str>)> = HashMap::new();
        if let Some(extended) = extended {
            for entry in extended.children().filter(|n| n.is_element() && n.tag_name().name() == "commentEx") {
                if let Some(para) = attr(entry, "paraId") {
                    let done = matches!(attr(entry, "done"), Some("1" | "true"));
                    done_by_para.insert(para, (done, attr(entry, "paraIdParent")));
                }
            }
        }
        let entries: Vec<(String, Node<'_, '_>, Option<&str>)> = comments
            .children()
            .filter(|n| n.is_element() && n.tag_name().name() == "comment")
            .filter_map(|n| {
                let id = attr(n, "id")?.to_owned();
                let last_para = n.children().rfind(|c| c.is_element() && c.tag_name().name() == "p");
                Some((id, n, last_para.and_then(|p| attr(p, "paraId"))))
            })
            .collect();
        let id_by_para: HashMap<&str, &str> =
            entries.iter().filter_map(|(id, _, para)| Some(((*para)?, id.as_str()))).collect();
        let mut out = Vec::new();
        for (id, node, para) in &entries {
            let start = self.comment_starts.get(id).or_else(|| self.comment_refs.get(id));
            let Some(&start) = start else { continue };
            let end = self.comment_ends.get(id).or_else(|| self.comment_refs.get(id)).copied().unwrap_or(start);
            let (resolved, parent) = para.and_then(|p| done_by_para.get(p).copied()).unwrap_or((false, None));
            let start = self.asm.offset(start);
            out.push(DocumentComment {
                id: id.clone(),
                start,
                end: self.asm.offset(end).max(start),
                author: attr(*node, "author").unwrap_or("").to_owned(),
                date: attr(*node, "date").map(str::to_owned),
                text: join_paragraphs(
                    node.children().filter(|c| c.is_element() && c.tag_name().name() == "p"),
                    run_text,
                ),
                resolved,
                reply_to: parent.and_then(|p| id_by_para.get(p)).map(|id| (*id).to_owned()),
            });
        }
        sort_comments(out)
    }
}

enum Anchor {
    Start,
    End,
    Reference,
}

/// The visible text of a paragraph outside the body (a comment's).
fn run_text(paragraph: Node<'_, '_>) -> String {
    paragraph
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| match n.tag_name().name() {
            "t" => n.text().unwrap_or(""),
            "tab" => " ",
            "br" => "\n",
            _ => "",
        })
        .collect()
}
