//! Splits a draft's canonical text into units: headlines, subheads, bylines, credits, editor's notes and
//! sentences.
//!
//! News copy breaks naive splitters: "U.S.", "Sept. 26", "Dr. Shah", "9:40 p.m. and", "Helen M. Ortiz",
//! "$4.2 million", and quotations that run over several sentences before the attribution
//! (`“We waited. Nobody came,” she said.`). The splitter is a single forward scan over the text, so it
//! costs next to nothing per byte.

use super::lexicon::{lookup, word_table, WordTable};
use std::sync::OnceLock;

/// What a unit of the draft is. Only [`UnitKind::Sentence`] units can become claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitKind {
    /// The first line or block of the draft when it has no closing punctuation.
    Headline,
    /// A short line without closing punctuation later on ("An Overview", "The Takeaway"), or a dek.
    Subhead,
    /// "By Maria Chen, Staff Writer".
    Byline,
    /// "Image Credit: ...", "Photo: ...".
    Credit,
    /// "Editor's Note: ...", "Correction: ...": the desk's own words about the piece.
    EditorsNote,
    /// An interviewer's question in a Q&A transcript ("Q: How many cases are there now?").
    Question,
    /// The newsroom's own lines, never claims: instructions and mail headers in emailed copy ("EDS:",
    /// "SLUG:", "From:"), time stamps ("8:34 p.m.", "Updated 9:58 a.m."), case captions ("United States
    /// v. Halvorsen, No. 3:24-cr-00187"), read-more and sign-up lines.
    Housekeeping,
    /// Body copy.
    Sentence,
}

/// One unit, as byte offsets into the text (`start..end`, trimmed of surrounding whitespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    pub start: usize,
    pub end: usize,
    pub kind: UnitKind,
    /// Index of the paragraph (line group) the unit sits in; attribution only carries over within one.
    pub paragraph: usize,
    /// In a Q&A transcript, the byte span of the "A:" label of the answer the sentence is part of: the
    /// interviewee says it.
    pub answer: Option<(usize, usize)>,
}

/// Abbreviations after which a period never ends a sentence: titles, months and the like are always
/// followed by the thing they qualify ("Dr. Shah", "Sept. 26", "No. 3").
#[rustfmt::skip]
const NEVER_END: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "reps", "gov", "lt", "col", "gen", "sgt", "capt", "cmdr",
    "adm", "maj", "rev", "st", "mt", "ft", "no", "nos", "vs", "v", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "atty", "supt", "insp", "det", "cpl", "pvt", "pres", "hon",
    "messrs", "fig", "approx", "est", "ave", "blvd", "rd", "dept", "univ", "assn", "gens", "sens", "e.g",
    "i.e", "cf", "al",
];

/// Abbreviations that sit at the end of a sentence now and then ("... at 9:40 p.m. The fire ...").
/// After them a period ends the sentence only when a typical sentence opener follows.
#[rustfmt::skip]
const MAY_END: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "plc", "jr", "sr", "bros", "etc", "a.m", "p.m", "u.s", "u.k", "u.n",
    "e.u", "d.c", "l.a", "n.y", "ph.d", "u.s.a", "s.a", "n.v", "ag",
];

/// Words that typically open a sentence; used to decide whether "Inc." or "p.m." closes one.
#[rustfmt::skip]
const OPENERS: &[&str] = &[
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "in", "on", "at", "but", "and", "or", "so",
    "yet", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my", "according", "after",
    "before", "when", "while", "as", "if", "since", "some", "many", "most", "no", "not", "one", "two",
    "three", "there", "here", "what", "why", "how", "who", "where", "still", "also", "however", "meanwhile",
    "during", "for", "from", "by", "with", "under", "further", "additionally", "last", "earlier", "later",
    "both", "each", "all", "several", "officials", "police",
];

/// Splits `text` into units in text order.
pub(crate) fn segment(text: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    // In a Q&A, the answer being given: paragraphs after "A: ..." go on with it until the next question.
    let mut answering: Option<(usize, usize)> = None;
    let groups = line_groups(text);
    let speakers = transcript_speakers(text, &groups);
    for (paragraph, (line_start, group_end)) in groups.into_iter().enumerate() {
        // "09:41 GMT — At least 214 people...": a live blog's time stamp is a unit of its own.
        let mut group_start = line_start;
        if let Some((stamp_end, body)) = timestamp_prefix(&text[line_start..group_end]) {
            let kind = UnitKind::Housekeeping;
            units.push(Unit { start: line_start, end: line_start + stamp_end, kind, paragraph, answer: None });
            group_start = line_start + body;
        }
        let group = &text[group_start..group_end];
        // "LOPEZ: Practice times.": a transcript's turn. One that asks is a question; the others are
        // the speaker's answers.
        let turn = speaker_label(group).filter(|label| speakers.contains(label));
        let kind = match turn {
            Some(label)
                if group.trim_end_matches(['”', '"', ')']).ends_with('?') || INTERVIEWER_LABELS.contains(&label) =>
            {
                UnitKind::Question
            }
            Some(_) => UnitKind::Sentence,
            None => classify_group(group, paragraph, &units),
        };
        match kind {
            UnitKind::Sentence => {
                let first = units.len();
                // Every turn of a transcript is labelled; an "A:" answer goes on over the paragraphs
                // after it.
                let label = match turn {
                    Some(label) => {
                        answering = None;
                        Some((label.len(), label.len() + 1 + spaces_after(&group[label.len() + 1..])))
                    }
                    None => answer_label(group),
                };
                let speaker = label.map(|(label_len, _)| (group_start, group_start + label_len));
                if turn.is_none() && speaker.is_some() {
                    answering = speaker;
                }
                let body_start = group_start + label.map_or(0, |(_, body)| body);
                split_sentences(text, body_start, group_end, paragraph, &mut units);
                for unit in &mut units[first..] {
                    unit.answer = speaker.or(answering);
                }
            }
            other => {
                if other == UnitKind::Question {
                    answering = None;
                }
                units.push(Unit { start: group_start, end: group_end, kind: other, paragraph, answer: None });
            }
        }
    }
    headline_before_byline(&mut units);
    units
}

/// A first paragraph that ends like a sentence ("Banning phones worked. Now ban them at lunch.") is
/// still the headline when a byline follows it.
fn headline_before_byline(units: &mut Vec<Unit>) {
    let first_paragraph = units.iter().take_while(|u| u.paragraph == 0).count();
    let byline_next = units.get(first_paragraph).is_some_and(|u| u.kind == UnitKind::Byline);
    let sentences = units[..first_paragraph].iter().all(|u| u.kind == UnitKind::Sentence);
    if first_paragraph >= 1 && byline_next && sentences {
        let (start, end) = (units[0].start, units[first_paragraph - 1].end);
        units.splice(..first_paragraph, [Unit { start, end, kind: UnitKind::Headline, paragraph: 0, answer: None }]);
    }
}

/// A time stamp opening a line ("09:41 GMT — ", "8:34 p.m.: "): its end, and where the text after the
/// separator starts, in bytes.
fn timestamp_prefix(group: &str) -> Option<(usize, usize)> {
    if !group.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None; // entries open on the time itself ("09:41", "7:05 a.m.")
    }
    let mut cut = group.len().min(48);
    while !group.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &group[..cut];
    ["—", "–", " - ", ": "].iter().find_map(|sep| {
        let at = head.find(sep)?;
        let stamp = group[..at].trim_end();
        let body = at + sep.len();
        let rest = &group[body..];
        let body = body + (rest.len() - rest.trim_start().len());
        (!stamp.is_empty() && body < group.len() && is_timestamp(stamp)).then_some((stamp.len(), body))
    })
}

/// Paragraph-like groups of lines: blocks are separated by blank lines; inside a block a single line
/// break still ends a group when the line reads like a title or a label ("Foreign Affairs\nImage
/// Credit: ...", "Q: ...", "8:34 p.m."), and is just a space in hard-wrapped prose.
fn line_groups(text: &str) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut block: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0usize;
    for line in text.split('\n') {
        let line_start = pos;
        pos += line.len() + 1;
        let (ts, te) = trim_range(text, line_start, line_start + line.len());
        if ts == te {
            block_groups(text, &block, &mut groups);
            block.clear();
        } else {
            block.push((ts, te));
        }
    }
    block_groups(text, &block, &mut groups);
    groups
}

/// The groups of one block (its lines between blank lines).
fn block_groups(text: &str, lines: &[(usize, usize)], groups: &mut Vec<(usize, usize)>) {
    let Some(&first) = lines.first() else {
        return;
    };
    // Emailed copy is hard-wrapped at a fixed width (72 characters or so): in a block of several lines
    // none longer than that, a line ending in a period is cut where the width ran out, not a paragraph
    // of its own, and only a line much shorter than the widest is a title.
    // Bytes stand in for characters here: the wrap width is a rough measure, and counting characters
    // would walk every line once more.
    let widest = lines.iter().map(|&(s, e)| e - s).max().unwrap_or(0);
    let wrap_width = (lines.len() >= 2 && widest <= 100).then_some(widest);
    let mut current = first;
    for pair in lines.windows(2) {
        let ((ps, pe), (ns, ne)) = (pair[0], pair[1]);
        if line_break_ends_group(&text[ps..pe], &text[ns..ne], wrap_width) {
            groups.push(current);
            current = (ns, ne);
        } else {
            current.1 = ne;
        }
    }
    groups.push(current);
}

fn line_break_ends_group(prev: &str, next: &str, wrap_width: Option<usize>) -> bool {
    if starts_with_label(next) {
        return true;
    }
    if next.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    let last = prev.chars().next_back().unwrap_or(' ');
    if matches!(last, ',' | ';' | '-' | '–' | '(' | '&') {
        return false;
    }
    let length = prev.len();
    if matches!(last, '.' | '?' | '!' | '…' | ':' | '”' | '"' | '’' | ')') {
        // `“We will appeal,”` or "Gov." at the end of a line: the sentence goes on below it.
        let before_closers = prev.trim_end_matches(['”', '"', '’', ')']);
        if before_closers.ends_with(',') {
            return false;
        }
        if last == '.' && abbreviation(token_before(prev, prev.len() - 1)) & NEVER != 0 {
            return false;
        }
        return wrap_width.is_none_or(|width| length * 4 < width * 3);
    }
    // An unterminated short line is a title, a credit or a label; long ones are hard-wrapped prose.
    length < 60 && wrap_width.is_none_or(|width| length * 4 < width * 3)
}

/// Whether a line opens something of its own: an interview's question or answer, a time stamp, a
/// credit, an editor's note or an instruction to the desk.
fn starts_with_label(line: &str) -> bool {
    answer_label(line).is_some()
        || speaker_label(line).is_some()
        || timestamp_prefix(line).is_some()
        || question_label(line)
        || is_timestamp(line)
        || CREDIT_PREFIXES
            .iter()
            .chain(EDITORS_NOTE_PREFIXES)
            .chain(INSTRUCTION_PREFIXES)
            .any(|p| starts_with_ci(line, p))
}

/// Labels of an interviewer's turns in a transcript.
const INTERVIEWER_LABELS: &[&str] = &["HOST", "INTERVIEWER", "INTERVIEWERS", "MODERATOR", "REPORTER"];

/// Capitalised labels that open a line without being a speaker's: "BREAKING: ...", "UPDATE: ...".
#[rustfmt::skip]
const NOT_SPEAKERS: &[&str] = &[
    "BREAKING", "UPDATE", "UPDATED", "CORRECTION", "NOTE", "REMINDER", "WATCH", "LIVE", "EXCLUSIVE",
    "ANALYSIS", "OPINION", "EDS", "SLUG", "ADVISORY", "URGENT", "FLASH", "KEY", "CONTEXT", "RELATED",
];

/// A capitalised speaker's label opening a line, without its colon: "LOPEZ" in "LOPEZ: Practice
/// times.", "MARIA LOPEZ" in "MARIA LOPEZ: ...".
fn speaker_label(line: &str) -> Option<&str> {
    // Runs on every group: a label opens on two capitals ("LO", "MA"), which body copy seldom does.
    if !line.as_bytes().get(..2).is_some_and(|b| b[0].is_ascii_uppercase() && b[1].is_ascii_uppercase()) {
        return None;
    }
    let colon = line.get(..32.min(line.len())).unwrap_or(line).find(':')?;
    let label = &line[..colon];
    let words = label.split(' ').count();
    let speaker = (1..=3).contains(&words)
        && label.len() >= 2
        && label.bytes().all(|b| b.is_ascii_uppercase() || matches!(b, b' ' | b'.' | b'-' | b'\''))
        && line[colon + 1..].starts_with(' ')
        && !NOT_SPEAKERS.contains(&label);
    speaker.then_some(label)
}

/// The speakers' labels of a transcript: those opening at least two paragraphs (a dateline such as
/// "NEW DELHI:" opens one).
fn transcript_speakers<'a>(text: &'a str, groups: &[(usize, usize)]) -> Vec<&'a str> {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for &(start, end) in groups {
        if let Some(label) = speaker_label(&text[start..end]) {
            match seen.iter_mut().find(|(l, _)| *l == label) {
                Some((_, count)) => *count += 1,
                None => seen.push((label, 1)),
            }
        }
    }
    seen.into_iter().filter(|&(_, count)| count >= 2).map(|(label, _)| label).collect()
}

fn spaces_after(rest: &str) -> usize {
    rest.len() - rest.trim_start().len()
}

/// "Q: How many...", "Q. How many...", "Question: ...".
fn question_label(group: &str) -> bool {
    ["Q:", "Q. ", "Question:", "QUESTION:"].iter().any(|p| group.starts_with(p))
}

/// The length in bytes of an answer's label ("A:", "A.", "Answer:"), and of it with the spaces after it.
fn answer_label(group: &str) -> Option<(usize, usize)> {
    let label = ["A:", "A. ", "Answer:", "ANSWER:"].iter().find(|p| group.starts_with(**p))?;
    let rest = &group[label.len()..];
    let spaces = rest.len() - rest.trim_start().len();
    // "A. Smith said": an initial, not an answer.
    let next = rest.split_whitespace().next().unwrap_or("");
    if label.starts_with("A.") && next.ends_with(['.', ',']) && next.chars().count() > 2 {
        return None;
    }
    Some((label.trim_end().len(), label.len() + spaces))
}

fn trim_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &text[start..end];
    let trimmed_start = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    (start + trimmed_start, start + trimmed_start + trimmed.len())
}

/// Whether `haystack` starts with the lowercase `prefix`, ignoring ASCII case. Every group is checked
/// against a few dozen prefixes, so the first byte is compared before the rest.
fn starts_with_ci(haystack: &str, prefix: &str) -> bool {
    let (h, p) = (haystack.as_bytes(), prefix.as_bytes());
    h.len() >= p.len()
        && p.first().is_some_and(|&first| h[0].to_ascii_lowercase() == first)
        && h[..p.len()].eq_ignore_ascii_case(p)
}

#[rustfmt::skip]
const EDITORS_NOTE_PREFIXES: &[&str] = &[
    "editor's note", "editor\u{2019}s note", "editors' note", "editors\u{2019} note", "editor note",
    "note to readers", "correction:", "clarification:", "an earlier version of this",
];

#[rustfmt::skip]
const CREDIT_PREFIXES: &[&str] = &[
    "image credit", "photo credit", "photo:", "photos:", "photograph:", "credit:", "credits:",
    "illustration:", "image:", "video:", "graphic:", "caption:", "photo by ", "photo courtesy", "(photo",
    "file photo", "photographs by ", "photography by ", "(reporting by ", "(writing by ", "(editing by ",
    "(additional reporting", "additional reporting by ",
];

/// Lines for the desk, not for readers: emailed copy's instructions and headers, read-more and
/// sign-up boxes.
#[rustfmt::skip]
const INSTRUCTION_PREFIXES: &[&str] = &[
    "eds:", "ed:", "editors:", "editor:", "slug:", "from:", "to:", "cc:", "subject:", "sent:", "date:",
    "attn:", "note to desk", "note to editors", "note to eds", "for the desk", "advisory:",
    "hold for release", "embargoed", "embargo:", "related:", "related stories", "related coverage",
    "read more", "more:", "see also", "sign up ", "sign up:", "subscribe to", "subscribe now", "subscribe:",
    "click here", "follow us", "share this",
    "length:", "words:", "byline:", "dateline:",
];

/// Labels that open a headline: "Opinion: ...", "Analysis | ...", "Live: ...".
#[rustfmt::skip]
const KICKERS: &[&str] = &[
    "opinion:", "opinion |", "commentary:", "commentary |", "column:", "analysis:", "analysis |",
    "editorial:", "op-ed:", "perspective:", "viewpoint:", "live:", "live updates:", "q&a:", "explainer:",
    "exclusive:", "breaking:", "watch:", "factbox:", "timeline:", "review:", "essay:",
];

/// Bylines: "By Maria Chen", "Interview by Nora Blake".
#[rustfmt::skip]
const BYLINE_PREFIXES: &[&str] = &[
    "by ", "interview by ", "interviewed by ", "reporting by ", "story by ", "words by ", "text by ",
    "written by ", "compiled by ",
];

/// Words a time stamp or a dateline line is made of, besides numbers: "Updated 9:58 a.m. ET".
#[rustfmt::skip]
const TIMESTAMP_WORDS: &[&str] = &[
    "updated", "last", "published", "posted", "first", "at", "on", "a.m", "p.m", "am", "pm", "noon",
    "midnight", "today", "yesterday", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "local", "time", "ago",
    "hour", "hours", "hr", "hrs", "min", "mins", "minute", "minutes", "read",
];

/// A line that is only a time or a date ("7:05 a.m.", "Updated 9:58 a.m.", "Nov. 29, 2026 at 7:00 a.m.
/// EST"): live blogs and bylines carry them, and they are never claims.
fn is_timestamp(line: &str) -> bool {
    if line.len() > 64 {
        return false;
    }
    let mut has_number = false;
    for token in line.split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '—' | '–' | '·')) {
        let token = token.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '-')).trim_end_matches('.');
        if token.is_empty() {
            continue;
        }
        let bytes = token.as_bytes();
        // "9:58", "10.42", "1/12", and with the half of the day glued on: "10.42am", "9pm".
        let figure = token
            .strip_suffix(['m', 'M'])
            .and_then(|t| t.strip_suffix(['a', 'p', 'A', 'P']))
            .filter(|t| !t.is_empty())
            .unwrap_or(token)
            .as_bytes();
        if bytes[0].is_ascii_digit() && figure.iter().all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b'/')) {
            has_number = true;
            continue;
        }
        let time_zone = bytes.len() <= 4 && bytes.iter().all(u8::is_ascii_uppercase);
        if !time_zone && !TIMESTAMP_WORDS.iter().any(|w| w.eq_ignore_ascii_case(token)) {
            return false;
        }
    }
    has_number
}

/// A court case's caption: "United States v. Halvorsen, No. 3:24-cr-00187 (D. Or.)", "In re Medlink
/// Data Security Litigation, Case No. 1:25-cv-04411". Title case throughout, so a sentence that cites
/// a case ("The ruling in Smith v. Jones was overturned.") is not one.
fn is_case_caption(group: &str) -> bool {
    // Captions end on a docket number or a court in brackets, never on a sentence's full stop.
    if group.len() > 240 || group.ends_with(['.', '?', '!', '"', '”']) {
        return false;
    }
    let styled = starts_with_ci(group, "in re ")
        || starts_with_ci(group, "in the matter of ")
        || group.contains(" v. ")
        || group.contains(" vs. ");
    if !styled || group.split_whitespace().count() > 25 {
        return false;
    }
    group.split_whitespace().all(|word| {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        !bare.starts_with(|c: char| c.is_lowercase())
            || [
                "v", "vs", "re", "ex", "rel", "of", "the", "in", "et", "al", "and", "for", "no", "case", "on",
                "behalf", "matter",
            ]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(bare))
            || bare.contains(|c: char| c.is_ascii_digit())
    })
}

/// How a picture's credit opens after its caption.
const CAPTION_CREDITS: &[&str] = &[
    "Photo:",
    "Photo by",
    "Photograph:",
    "Photograph by",
    "Photos:",
    "Photo courtesy",
    "Credit:",
    "Photo credit",
    "Illustration:",
    "Image:",
];

/// A picture's caption ending in its credit: "Commuters board a train on Monday. (Photo by Kim Ames /
/// The Ledger)", "... on Nov. 12. Photo: Ben Ortiz for the Courier", "... at the Union Hall. (Jae
/// Kim/Staff)".
fn is_captioned_credit(group: &str) -> bool {
    // The credit follows the caption's last sentence, so only the group's tail is looked at: most
    // groups are body copy, and this runs on every one.
    // A credit ends on a name or a bracket, not on a sentence's full stop: body copy is turned away here.
    if group.ends_with(['.', '?', '!', '"', '”']) {
        return false;
    }
    let mut from = group.len().saturating_sub(120);
    while !group.is_char_boundary(from) {
        from += 1;
    }
    let tail = &group[from..];
    let credit_after_sentence = tail.match_indices(['.', '|', '—', '(']).any(|(i, sep)| {
        let after = tail[i + sep.len()..].trim_start();
        (from + i > 0) && CAPTION_CREDITS.iter().any(|marker| after.starts_with(marker))
    });
    if credit_after_sentence {
        return true;
    }
    // "(Name/Agency)" closing the caption.
    group.ends_with(')')
        && group.rfind('(').is_some_and(|open| {
            let inner = &group[open + 1..group.len() - 1];
            (inner.contains('/')
                || ["Photo", "Getty", "Reuters", "AFP", "AP", "EPA", "Shutterstock"].iter().any(|m| inner.contains(m)))
                && inner.split_whitespace().count() <= 8
                && inner.starts_with(|c: char| c.is_uppercase())
                && group[..open].trim_end().ends_with(['.', '”', '"'])
        })
}

fn classify_group(group: &str, paragraph: usize, earlier: &[Unit]) -> UnitKind {
    if EDITORS_NOTE_PREFIXES.iter().any(|p| starts_with_ci(group, p)) {
        return UnitKind::EditorsNote;
    }
    if CREDIT_PREFIXES.iter().any(|p| starts_with_ci(group, p)) || is_captioned_credit(group) {
        return UnitKind::Credit;
    }
    if question_label(group) {
        return UnitKind::Question;
    }
    if INSTRUCTION_PREFIXES.iter().any(|p| starts_with_ci(group, p)) || is_timestamp(group) || is_case_caption(group) {
        return UnitKind::Housekeeping;
    }
    // "Posted Dec. 1, 2026 by Jane Doe", "Updated 10:04 a.m. | 5 min read": when the piece was filed.
    let filed = ["posted ", "published ", "updated ", "last updated", "first published"]
        .iter()
        .any(|p| starts_with_ci(group, p));
    if filed && group.len() <= 120 && group.bytes().any(|b| b.is_ascii_digit()) {
        return UnitKind::Housekeeping;
    }
    // Counting words walks the whole group, so only for the few groups that need it.
    let words = || group.split_whitespace().count();
    if let Some(prefix) = BYLINE_PREFIXES.iter().find(|p| starts_with_ci(group, p)) {
        let named = group[prefix.len()..].chars().next().is_some_and(char::is_uppercase);
        // "By Jenna Whit | Dec. 1, 2026, 10:04 a.m.": a byline may carry the time it was filed.
        let dated = group.contains(['|', '·']) || group.ends_with("a.m.") || group.ends_with("p.m.");
        if named && ((words() <= 12 && !group.ends_with('.')) || (dated && words() <= 24)) {
            return UnitKind::Byline;
        }
    }
    // "Commentary: Banning phones worked. Now ban them at lunch.": a kicker marks a headline, whatever
    // ends it.
    if paragraph == 0 && KICKERS.iter().any(|k| starts_with_ci(group, k)) && words() <= 30 {
        return UnitKind::Headline;
    }
    let terminated = group.trim_end_matches(['”', '"', '’', '\'', ')', ']']).ends_with(['.', '?', '!', '…']);
    if !terminated {
        let before_body = earlier.iter().all(|u| u.kind != UnitKind::Sentence);
        if paragraph == 0 {
            return UnitKind::Headline;
        }
        // A dek under the headline, or a short subhead further down.
        if (before_body && paragraph <= 2) || words() <= 7 {
            return UnitKind::Subhead;
        }
    }
    UnitKind::Sentence
}

/// The token that ends right before byte `dot` (the period itself excluded), lowercased check helpers.
fn token_before(text: &str, dot: usize) -> &str {
    let head = &text[..dot];
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '“' | '"' | '(' | '[' | '‘' | '—' | '–'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &head[start..]
}

fn is_initial(token: &str) -> bool {
    // "M", "J.T", "U.S": single letters joined by periods.
    !token.is_empty()
        && token.split('.').all(|part| {
            let mut chars = part.chars();
            matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
        })
}

const NEVER: u16 = 1;
const MAY: u16 = 2;
const OPENER: u16 = 4;

/// What a word is to the splitter: an abbreviation that never or may end a sentence, an opener.
fn abbreviation(word: &str) -> u16 {
    static TABLE: OnceLock<WordTable> = OnceLock::new();
    lookup(TABLE.get_or_init(|| word_table(&[(NEVER_END, NEVER), (MAY_END, MAY), (OPENERS, OPENER)])), word)
}

/// The word starting at byte `at` (letters only).
fn word_at(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
    &rest[..end]
}

fn split_sentences(text: &str, start: usize, end: usize, paragraph: usize, units: &mut Vec<Unit>) {
    let bytes = text.as_bytes();
    let mut sentence_start = start;
    let mut in_quote = false;
    let mut at = start;
    // A byte loop that only decodes the few characters that matter: ASCII terminals and quotes, and
    // the three-byte punctuation starting with 0xE2 (curly quotes, ellipsis, dashes).
    while at < end {
        let (c, len) = match bytes[at] {
            b'.' | b'?' | b'!' | b'"' => (char::from(bytes[at]), 1),
            0xE2 => match text[at..end].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            },
            _ => {
                at += 1;
                continue;
            }
        };
        match c {
            '“' => in_quote = true,
            '”' => in_quote = false,
            '"' => {
                let prev = text[start..at].chars().next_back().unwrap_or(' ');
                in_quote = prev.is_whitespace() || matches!(prev, '(' | '[' | '—' | '–');
            }
            '.' | '?' | '!' | '…' => {
                // Swallow the rest of the terminal run and any closing quotes or brackets.
                let mut after = at + len;
                let mut closes_quote = false;
                for n in text[after..end].chars() {
                    match n {
                        '.' | '?' | '!' | '…' | '’' | '\'' | ')' | ']' => {}
                        '”' | '"' => closes_quote = true,
                        _ => break,
                    }
                    after += n.len_utf8();
                }
                if closes_quote {
                    in_quote = false;
                }
                let dot = at;
                at = after;
                if after >= end {
                    break;
                }
                let rest = &text[after..end];
                let Some(next_offset) = rest.find(|ch: char| !ch.is_whitespace()) else {
                    break;
                };
                if next_offset == 0 {
                    continue; // "4.2", "U.S.-led": no space, no boundary
                }
                let next_at = after + next_offset;
                let next = rest[next_offset..].chars().next().unwrap_or(' ');
                let opens = matches!(next, '“' | '"' | '‘' | '(' | '[' | '$' | '£' | '€');
                if !(next.is_uppercase() || next.is_ascii_digit() || opens) {
                    continue;
                }
                if in_quote && !closes_quote {
                    continue; // a quotation running over several sentences stays one unit
                }
                if c == '.' && !period_ends_sentence(text, dot, next_at, next.is_ascii_digit()) {
                    continue;
                }
                push_sentence(text, sentence_start, after, paragraph, units);
                sentence_start = next_at;
                continue;
            }
            _ => {}
        }
        at += len;
    }
    push_sentence(text, sentence_start, end, paragraph, units);
}

fn period_ends_sentence(text: &str, dot: usize, next_at: usize, next_is_digit: bool) -> bool {
    let token = token_before(text, dot);
    let bare = token.trim_start_matches(['(', '[', '“', '"']);
    let class = abbreviation(bare);
    if class & NEVER != 0 {
        return false;
    }
    let may_end = class & MAY != 0 || is_initial(bare);
    if may_end {
        if next_is_digit {
            return false;
        }
        let next = text[next_at..].trim_start_matches(['“', '"', '‘', '(', '[']);
        return abbreviation(word_at(next, 0)) & OPENER != 0 || next.len() < text[next_at..].len();
    }
    true
}

fn push_sentence(text: &str, start: usize, end: usize, paragraph: usize, units: &mut Vec<Unit>) {
    let (s, e) = trim_range(text, start, end);
    if s < e {
        units.push(Unit { start: s, end: e, kind: UnitKind::Sentence, paragraph, answer: None });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        segment(text).into_iter().filter(|u| u.kind == UnitKind::Sentence).map(|u| &text[u.start..u.end]).collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let text = "Body.\n\nSince the U.S. exit, Dr. Shah met Gov. Dana Whitfield on Sept. 26 at 9:40 p.m. and left. Harlow & Finch Inc. said it would close.";
        assert_eq!(
            sentences(text),
            vec![
                "Body.",
                "Since the U.S. exit, Dr. Shah met Gov. Dana Whitfield on Sept. 26 at 9:40 p.m. and left.",
                "Harlow & Finch Inc. said it would close."
            ]
        );
    }

    #[test]
    fn abbreviation_at_sentence_end_splits_before_an_opener() {
        let text =
            "Intro.\n\nThe fire began at 9:40 p.m. The crews arrived later. It moved to the U.S. In May it returned.";
        assert_eq!(
            sentences(text),
            vec![
                "Intro.",
                "The fire began at 9:40 p.m.",
                "The crews arrived later.",
                "It moved to the U.S.",
                "In May it returned."
            ]
        );
    }

    #[test]
    fn initials_decimals_and_money_do_not_split() {
        let text =
            "Intro.\n\nJudge Helen M. Ortiz and J.T. Marsh said rates rose 4.2 percent to $4.2 million. The end came.";
        assert_eq!(
            sentences(text),
            vec![
                "Intro.",
                "Judge Helen M. Ortiz and J.T. Marsh said rates rose 4.2 percent to $4.2 million.",
                "The end came."
            ]
        );
    }

    #[test]
    fn quotation_spanning_sentences_stays_one_unit() {
        let text = "Intro.\n\n“We waited three years. Nobody came,” said Rosa Ferrer. She left. \"It is over. Done,\" he said.";
        assert_eq!(
            sentences(text),
            vec![
                "Intro.",
                "“We waited three years. Nobody came,” said Rosa Ferrer.",
                "She left.",
                "\"It is over. Done,\" he said."
            ]
        );
    }

    #[test]
    fn quote_closing_after_the_period_splits_after_the_quote() {
        let text = "Intro.\n\nThey met to discuss “regional cooperation.” During the meeting, both agreed.";
        assert_eq!(
            sentences(text),
            vec!["Intro.", "They met to discuss “regional cooperation.”", "During the meeting, both agreed."]
        );
    }

    #[test]
    fn headline_byline_credit_subhead_and_note_are_their_own_units() {
        let text = "Port authority doubled budget, documents show\n\nBy Maria Chen, Staff Writer\nImage Credit: Screenshot, via Google Maps\n\nAn Overview\n\nThe board met. It voted.\n\nEditor’s Note: Sources were not named.";
        let kinds: Vec<UnitKind> = segment(text).iter().map(|u| u.kind).collect();
        assert_eq!(
            kinds,
            vec![
                UnitKind::Headline,
                UnitKind::Byline,
                UnitKind::Credit,
                UnitKind::Subhead,
                UnitKind::Sentence,
                UnitKind::Sentence,
                UnitKind::EditorsNote
            ]
        );
    }

    #[test]
    fn hard_wrapped_lines_join_but_title_lines_do_not() {
        let text = "Headline here\n\nThe council approved the plan on Tuesday after a long debate that ran past\nmidnight, members said. It passed 5-2.";
        assert_eq!(
            sentences(text),
            vec![
                "The council approved the plan on Tuesday after a long debate that ran past\nmidnight, members said.",
                "It passed 5-2."
            ]
        );
    }

    #[test]
    fn a_hard_wrapped_block_is_one_paragraph_whatever_ends_its_lines() {
        let text = "Head\n\nThe plan came from Gov.\nDana Whitfield's office on Monday, and the city will get $31 million.\nIt passed 5-2, members said. “We waited,”\nCastillo said.";
        let units: Vec<Unit> = segment(text).into_iter().filter(|u| u.kind == UnitKind::Sentence).collect();
        let quotes: Vec<&str> = units.iter().map(|u| &text[u.start..u.end]).collect();
        assert_eq!(
            quotes,
            vec![
                "The plan came from Gov.\nDana Whitfield's office on Monday, and the city will get $31 million.",
                "It passed 5-2, members said.",
                "“We waited,”\nCastillo said."
            ]
        );
        assert!(units.iter().all(|u| u.paragraph == units[0].paragraph));
    }

    #[test]
    fn time_stamps_questions_answers_captions_and_instructions() {
        let text = "Live: storm\n\nEDS: Embargoed until 6 p.m.\nSLUG: storm\n\nUpdated 9:58 a.m.\n\n09:41 GMT — Nine people died. Police said so.\n\nQ: How many?\n\nA: Nine. All adults.\n\nThe youngest was 19.\n\nIn re Medlink Data Security Litigation, Case No. 1:25-cv-04411 (N.D. Ill.)\n\nBy Jenna Whit | Dec. 1, 2026, 10:04 a.m.\n\nCommuters board a train on Monday. (Jae Kim/Staff)";
        let units = segment(text);
        let kinds: Vec<(UnitKind, &str)> = units.iter().map(|u| (u.kind, &text[u.start..u.end])).collect();
        assert_eq!(
            kinds,
            vec![
                (UnitKind::Headline, "Live: storm"),
                (UnitKind::Housekeeping, "EDS: Embargoed until 6 p.m."),
                (UnitKind::Housekeeping, "SLUG: storm"),
                (UnitKind::Housekeeping, "Updated 9:58 a.m."),
                (UnitKind::Housekeeping, "09:41 GMT"),
                (UnitKind::Sentence, "Nine people died."),
                (UnitKind::Sentence, "Police said so."),
                (UnitKind::Question, "Q: How many?"),
                (UnitKind::Sentence, "Nine."),
                (UnitKind::Sentence, "All adults."),
                (UnitKind::Sentence, "The youngest was 19."),
                (UnitKind::Housekeeping, "In re Medlink Data Security Litigation, Case No. 1:25-cv-04411 (N.D. Ill.)"),
                (UnitKind::Byline, "By Jenna Whit | Dec. 1, 2026, 10:04 a.m."),
                (UnitKind::Credit, "Commuters board a train on Monday. (Jae Kim/Staff)"),
            ]
        );
        let answers: Vec<Option<&str>> = units.iter().map(|u| u.answer.map(|(s, e)| &text[s..e])).collect();
        assert_eq!(answers[8..11], [Some("A:"), Some("A:"), Some("A:")]);
        assert_eq!(answers[5], None);
    }

    #[test]
    fn transcript_turns_by_speaker_label() {
        let text = "Head\n\nNEW DELHI: The ministry met.\n\nHOST: Let's start with the budget.\n\nLOPEZ: Our budget is $4,200 a year.\n\nMARTIN: Did they respond?\n\nLOPEZ: They did.\n\nMARTIN: Thanks.\n\nBREAKING: The jury is back.\n\nBREAKING: It convicted.";
        let units = segment(text);
        let kinds: Vec<(UnitKind, &str, Option<&str>)> =
            units.iter().map(|u| (u.kind, &text[u.start..u.end], u.answer.map(|(s, e)| &text[s..e]))).collect();
        assert_eq!(
            kinds[1..],
            [
                (UnitKind::Sentence, "NEW DELHI: The ministry met.", None),
                (UnitKind::Sentence, "HOST: Let's start with the budget.", None),
                (UnitKind::Sentence, "Our budget is $4,200 a year.", Some("LOPEZ")),
                (UnitKind::Question, "MARTIN: Did they respond?", None),
                (UnitKind::Sentence, "They did.", Some("LOPEZ")),
                (UnitKind::Sentence, "Thanks.", Some("MARTIN")),
                (UnitKind::Sentence, "BREAKING: The jury is back.", None),
                (UnitKind::Sentence, "BREAKING: It convicted.", None),
            ]
        );
    }

    #[test]
    fn time_stamp_and_credit_forms() {
        for stamp in
            ["10.42am", "9pm", "Updated 10:04 a.m. ET", "5 min read", "2 hours ago", "Dec. 1, 2026, 4:45 p.m. GMT"]
        {
            assert!(is_timestamp(stamp), "{stamp}");
        }
        for not_stamp in ["2-1", "In 2019", "Nine died.", "At 10 a.m. the council met."] {
            assert!(!is_timestamp(not_stamp), "{not_stamp}");
        }
        assert!(is_captioned_credit("Rescuers search the rubble in Malatya on Monday. (Getty Images)"));
        assert!(!is_captioned_credit("Rescuers searched the rubble in Malatya on Monday (a photo showed them)."));
    }

    #[test]
    fn dateline_stays_with_its_sentence() {
        let text = "Head\n\nKORVANY — Artillery fire struck a market early Saturday. Nine died.";
        assert_eq!(sentences(text), vec!["KORVANY — Artillery fire struck a market early Saturday.", "Nine died."]);
    }
}
