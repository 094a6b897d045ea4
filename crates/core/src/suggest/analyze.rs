//! Scores each sentence for check-worthiness and works out how it is attributed.
//!
//! Everything here works on byte offsets into the draft and on the cue hits of one Aho-Corasick pass
//! ([`super::lexicon::scan`]); reasons are kept as small values and only turned into text for the
//! sentences that become suggestions.

use super::lexicon::{class, in_list, scan, word_class, Cue, Hit, UNNAMED_GROUP_NOUNS, VAGUE_BODIES};
use super::segment::{segment, Unit, UnitKind};
use super::AttributionKind;

/// A sentence scores at least this to be proposed as a claim.
pub(crate) const CLAIM_THRESHOLD: f32 = 0.5;

const BASE: f32 = 0.25;

/// One analysed sentence, in byte offsets.
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    pub start: usize,
    pub end: usize,
    pub score: f32,
    pub kind: AttributionKind,
    /// Byte span of the attribution cue (possibly in an earlier sentence, when carried over).
    pub cue: Option<(usize, usize)>,
    /// This sentence's reasons, a range of the arena [`analyze`] returns (one allocation per draft).
    pub reasons: std::ops::Range<usize>,
    /// The next sentence explains that this one's sources are unnamed.
    pub explained_below: bool,
    /// The attribution came from the previous sentence.
    pub carried: bool,
    /// The sentence only explains why sources are unnamed.
    pub meta: bool,
    /// The sentence only gives the sourcing of the one before ("That is according to two officials.").
    pub sources_previous: bool,
    /// The next sentence gives this one's sourcing.
    pub attributed_below: bool,
    pub paragraph: usize,
}

impl Analysis {
    pub(crate) fn is_claim(&self) -> bool {
        self.score >= CLAIM_THRESHOLD
    }
}

/// How a sentence's own words attribute it, before carry-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Speaker {
    Unknown,
    /// Crowds and bystanders: "neighbors said".
    Generic,
    Named,
    /// "he said": whatever the paragraph's last attribution was.
    Pronoun,
    /// "the people said", "one of them said": the sources already introduced.
    Continuation,
    Document,
    Anonymous,
}

/// Finds the draft's units and analyses every sentence.
pub(crate) fn analyze(text: &str) -> (Vec<Unit>, Vec<Analysis>, Vec<Reason>) {
    let units = segment(text);
    let hits = scan(text);
    let mut analyses: Vec<Analysis> = Vec::new();
    let mut reasons: Vec<Reason> = Vec::with_capacity(text.len() / 16);
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut next_hit = 0usize;
    let mut history = History {
        anonymous: Vec::new(),
        last_kind: AttributionKind::None,
        column: is_column(text, &units),
        interview: units.iter().any(|u| u.answer.is_some()),
    };
    for unit in units.iter().filter(|u| u.kind == UnitKind::Sentence) {
        while next_hit < hits.len() && hits[next_hit].start < unit.start {
            next_hit += 1;
        }
        let first = next_hit;
        let mut last = first;
        while last < hits.len() && hits[last].start < unit.end {
            last += 1;
        }
        while last > first && hits[last - 1].end > unit.end {
            last -= 1; // a cue running past the sentence's end is not the sentence's
        }
        let unit_hits = &hits[first..last];
        words.clear();
        tokenize(text, unit.start, unit.end, &mut words);
        let previous = analyses.last();
        let analysis = analyze_sentence(text, unit, unit_hits, &words, previous, &history, &mut reasons);
        if analysis.kind != AttributionKind::None {
            history.last_kind = analysis.kind;
        }
        if analysis.kind == AttributionKind::Anonymous {
            history.anonymous.push((analysis.start, analysis.end));
        }
        // "They spoke on condition of anonymity": the sentence before rests on unnamed sources.
        if analysis.meta {
            if let Some(prev) = analyses.last_mut() {
                if prev.paragraph == unit.paragraph && prev.kind == AttributionKind::None {
                    prev.kind = AttributionKind::Anonymous;
                    prev.cue = analysis.cue;
                    prev.explained_below = true;
                }
            }
        }
        // "The deal was signed on Tuesday. That is according to two officials.": the sourcing is the
        // sentence before's.
        if analysis.sources_previous && analysis.kind != AttributionKind::None {
            if let Some(prev) = analyses.last_mut() {
                if prev.paragraph + 1 >= unit.paragraph && prev.kind == AttributionKind::None && !prev.meta {
                    prev.kind = analysis.kind;
                    prev.cue = analysis.cue;
                    prev.attributed_below = true;
                    prev.score = (prev.score + 0.15).min(1.0);
                    if analysis.kind == AttributionKind::Anonymous {
                        history.anonymous.push((prev.start, prev.end));
                    }
                }
            }
        }
        analyses.push(analysis);
    }
    (units, analyses, reasons)
}

/// Headlines and bylines that mark an opinion column ("Opinion: ...", "By Rachel Stone, Columnist").
#[rustfmt::skip]
const COLUMN_MARKERS: &[&str] = &[
    "opinion", "column", "columnist", "commentary", "editorial", "op-ed", "perspective", "viewpoint",
    "contributor", "guest essay", "my view", "our view",
];

/// Whether the draft is a column: its opinion and rhetoric count for less, the figures it cites do not.
fn is_column(text: &str, units: &[Unit]) -> bool {
    units.iter().take_while(|u| u.kind != UnitKind::Sentence).any(|u| {
        matches!(u.kind, UnitKind::Headline | UnitKind::Byline | UnitKind::Subhead)
            && text[u.start..u.end]
                .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .any(|w| in_list(COLUMN_MARKERS, w))
    })
}

/// First-person words: the writer's own voice in a column, the speaker's feelings in a quotation.
#[rustfmt::skip]
const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "i\u{2019}m", "i've", "i\u{2019}ve", "i'd", "i\u{2019}d", "my", "me", "we", "we're",
    "we\u{2019}re", "our", "us", "let's", "let\u{2019}s",
];

/// Whether `word` is in [`FIRST_PERSON`]; runs on every word, so the common words are turned away
/// by length and letters before the list is read.
fn is_first_person(word: &str) -> bool {
    let b = word.as_bytes();
    match (b.len(), b[0] | 0x20) {
        (1, first) => first == b'i',
        (2, first) => matches!([first, b[1] | 0x20], [b'm', b'y' | b'e'] | [b'w', b'e'] | [b'u', b's']),
        (3, b'o') => b[1..].eq_ignore_ascii_case(b"ur"),
        // "I'm", "I've", "we're", "let's", with straight or curly apostrophes.
        (3..=9, b'i' | b'w' | b'l') => b.iter().any(|&c| c == b'\'' || c == 0xE2) && in_list(FIRST_PERSON, word),
        _ => false,
    }
}

/// Imperatives that open instructions to readers or the desk: "Please call", "Refresh this page".
#[rustfmt::skip]
const INSTRUCTION_OPENERS: &[&str] = &[
    "please", "refresh", "click", "tap", "scroll", "subscribe", "follow",
];

/// Openers of a sentence that goes on with the previous one's account ("The meeting took place...",
/// "It would have raised..."); a sentence opening on a new subject ("Shares rose...") does not.
#[rustfmt::skip]
const CONTINUING_OPENERS: &[&str] = &[
    "the", "that", "this", "these", "those", "it", "they", "he", "she", "his", "her", "their", "its",
    "both", "neither", "there",
];

/// Subjects of a sentence that only explains why sources were not named ("They spoke on condition...").
#[rustfmt::skip]
const META_SUBJECTS: &[&str] = &[
    "they", "he", "she", "both", "the", "all", "each", "neither", "those",
];

/// Verbs that carry a claim of their own even after an anonymity clause ("..., said the sprinkler...").
#[rustfmt::skip]
const REPORTING: &[&str] = &[
    "said", "says", "told", "confirmed", "added",
];

/// Why a sentence scored as it did; rendered as text only for suggested sentences.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Reason {
    Carried(AttributionKind),
    Speech {
        direct: bool,
        kind: AttributionKind,
    },
    GenericSpeech,
    Figure,
    Money,
    Percentage,
    DateOrTime,
    Names(usize),
    Event,
    Comparison((usize, usize)),
    Lowered(&'static str, (usize, usize)),
    Question,
    Short,
    Meta,
    ExplainedBelow,
    /// The interviewee's answer in a Q&A transcript.
    Answer,
    /// A named speaker relays what unnamed sources told them.
    Relayed((usize, usize)),
    /// Only gives the sourcing of the sentence before.
    SourcesPrevious,
    /// An institution does something: "The government has asked...".
    Actor((usize, usize)),
    /// No closing punctuation: a list item, a link or a heading.
    Unterminated,
    AttributedBelow(AttributionKind),
}

impl Reason {
    /// The reason as the editor reads it: "+" raised the score, "-" lowered it.
    pub(crate) fn render(self, text: &str) -> String {
        match self {
            Reason::Carried(kind) => {
                format!("+ attribution carried over from the previous sentence ({})", kind_label(kind))
            }
            Reason::Speech { direct, kind } => {
                format!("+ {} ({})", if direct { "direct quotation" } else { "reported speech" }, kind_label(kind))
            }
            Reason::GenericSpeech => "+ reported speech (unidentified speakers)".to_string(),
            Reason::Figure => "+ figure".to_string(),
            Reason::Money => "+ money".to_string(),
            Reason::Percentage => "+ percentage".to_string(),
            Reason::DateOrTime => "+ date or time".to_string(),
            // What is counted is capitalised words inside the sentence, with no idea whether they name a
            // person, a place or a body: the reason says so, and the count is of words, not of names.
            Reason::Names(n) => format!(
                "+ names people, places or organisations ({n} capitalised word{})",
                if n == 1 { "" } else { "s" }
            ),
            Reason::Event => "+ specific event".to_string(),
            Reason::Comparison((s, e)) => format!("+ comparison or superlative: {}", &text[s..e]),
            Reason::Lowered(label, (s, e)) => format!("- {label}: {}", text[s..e].to_lowercase()),
            Reason::Question => "- question".to_string(),
            Reason::Short => "- short".to_string(),
            Reason::Meta => "- explains the sourcing, not a claim".to_string(),
            Reason::ExplainedBelow => "+ unnamed sources, as the next sentence explains".to_string(),
            Reason::Answer => "+ answer in an interview (named source: the interviewee)".to_string(),
            Reason::Relayed((s, e)) => format!("+ the named source relays unnamed sources: {}", &text[s..e]),
            Reason::SourcesPrevious => "- gives the sourcing of the sentence before, not a claim".to_string(),
            Reason::Actor((s, e)) => format!("+ an institution acts: {}", &text[s..e]),
            Reason::Unterminated => "- no closing punctuation (a list item, link or heading)".to_string(),
            Reason::AttributedBelow(kind) => {
                format!("+ attributed in the next sentence ({})", kind_label(kind))
            }
        }
    }
}

/// Words of `text[start..end]` as byte ranges: letters and digits, keeping inner apostrophes, hyphens,
/// periods and ampersand-free runs together ("Sirajuddin’s", "house-to-house", "U.S", "4.2").
pub(crate) fn tokenize(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let bytes = &text.as_bytes()[..end];
    // Whether the character at byte `i` is a letter or digit; ASCII is decided on the byte alone.
    let alnum_at = |i: usize| -> bool {
        match bytes.get(i) {
            Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
            Some(_) => text[i..end].chars().next().is_some_and(char::is_alphanumeric),
            None => false,
        }
    };
    let mut word_start: Option<usize> = None;
    let mut i = start;
    while i < end {
        let b = bytes[i];
        let (len, alnum, joiner) = if b.is_ascii() {
            (1, b.is_ascii_alphanumeric(), matches!(b, b'\'' | b'-' | b'.'))
        } else {
            let c = text[i..end].chars().next().unwrap_or(' ');
            (c.len_utf8(), c.is_alphanumeric(), c == '\u{2019}')
        };
        if alnum {
            if word_start.is_none() {
                word_start = Some(i);
            }
        } else if !(joiner && word_start.is_some() && alnum_at(i + len)) {
            if let Some(ws) = word_start.take() {
                out.push((ws, i));
            }
        }
        i += len;
    }
    if let Some(ws) = word_start {
        out.push((ws, end));
    }
}

fn is_capitalized(word: &str) -> bool {
    match word.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
        _ => word.chars().next().is_some_and(char::is_uppercase),
    }
}

/// Punctuation between two words that ends a phrase (a clause or an apposition).
fn breaks(text: &str, from: usize, to: usize) -> bool {
    text[from..to].contains([',', ';', ':', '—', '–', '“', '”', '"', '(', ')'])
}

/// The phrase of words ending right before word `end_idx` (exclusive), back to a clause break.
fn chunk_before(text: &str, words: &[(usize, usize)], end_idx: usize) -> (usize, usize) {
    let mut start_idx = end_idx;
    while start_idx > 0 && end_idx - start_idx < 14 {
        let candidate = start_idx - 1;
        let (ws, we) = words[candidate];
        if word_class(&text[ws..we]) & class::STOP != 0 {
            break;
        }
        if start_idx < end_idx && breaks(text, we, words[start_idx].0) {
            break;
        }
        start_idx = candidate;
    }
    (start_idx, end_idx)
}

/// The phrase of words starting at word `start_idx`, up to a clause break.
fn chunk_after(text: &str, words: &[(usize, usize)], start_idx: usize) -> (usize, usize) {
    let mut end_idx = start_idx;
    while end_idx < words.len() && end_idx - start_idx < 12 {
        if end_idx > start_idx && breaks(text, words[end_idx - 1].1, words[end_idx].0) {
            break;
        }
        let (ws, we) = words[end_idx];
        if end_idx > start_idx && word_class(&text[ws..we]) & class::STOP != 0 {
            break;
        }
        end_idx += 1;
    }
    (start_idx, end_idx)
}

/// Who a phrase names as the speaker or source.
fn classify(text: &str, words: &[(usize, usize)], range: (usize, usize), sentence_first: usize) -> Speaker {
    let phrase = &words[range.0..range.1];
    if phrase.is_empty() {
        return Speaker::Unknown;
    }
    let word = |i: usize| -> &str {
        let (s, e) = phrase[i];
        &text[s..e]
    };
    let first = word(0);
    let mut classes = [0u16; 12];
    for (i, slot) in classes.iter_mut().enumerate().take(phrase.len()) {
        *slot = word_class(word(i));
    }
    let is = |i: usize, bits: u16| classes.get(i).is_some_and(|c| c & bits != 0);
    if phrase.len() >= 2
        && word(1).eq_ignore_ascii_case("of")
        && in_list(&["one", "two", "some", "many", "both", "several", "each", "all", "none"], first)
    {
        return Speaker::Continuation; // "one of them", "one of the officials"
    }
    // "he said", "I can tell you", "they later told": a pronoun and nothing that names anyone.
    if is(0, class::PRONOUN)
        && (1..phrase.len()).all(|i| {
            !is_capitalized(word(i)) && !is(i, class::PERSON | class::INSTITUTION | class::DOCUMENT | class::GENERIC)
        })
    {
        return Speaker::Pronoun;
    }
    let len = phrase.len();
    let person = (0..len).find(|&i| is(i, class::PERSON));
    let document = (0..len).find(|&i| is(i, class::DOCUMENT));
    // "people who have seen the document": the people are the source, the document what they saw.
    let person_heads = person.is_some_and(|p| {
        p + 1 < len && in_list(&["who", "with", "familiar", "close", "briefed", "involved", "that"], word(p + 1))
    });
    // "a draft term sheet obtained by the Sentinel": whatever was obtained or leaked is a document.
    let obtained = (1..len).any(|i| {
        in_list(&["obtained", "reviewed", "leaked", "seen", "viewed"], word(i))
            && i + 1 < len
            && word(i + 1).eq_ignore_ascii_case("by")
    });
    let document_heads = matches!((document, person), (Some(_), None))
        || matches!((document, person), (Some(d), Some(p)) if p < d)
        || obtained && person.is_none();
    if !person_heads && document_heads {
        return Speaker::Document; // "a staff report": the report is the source, not the staff
    }
    if let Some(p) = person {
        let named_after = p + 1 < len && is_capitalized(word(p + 1)) && !breaks(text, phrase[p].1, phrase[p + 1].0);
        if named_after {
            return Speaker::Named; // "official John Smith"
        }
        let indefinite = (0..p).any(|i| is(i, class::INDEFINITE) || word(i).starts_with(|c: char| c.is_ascii_digit()))
            || p == 0 && in_list(&["officials", "sources", "insiders"], word(p));
        if indefinite {
            return Speaker::Anonymous;
        }
        // "U.S. officials", "Western diplomats", "administration officials": no one in the group is
        // named and no body speaks for it on the record, so for the desk it is an unnamed source.
        // "State environmental officials" speak for a body; "analysts at Energy Aspects" name theirs.
        let group = in_list(UNNAMED_GROUP_NOUNS, word(p));
        let vague_modifiers = (0..p).all(|i| {
            let w = word(i);
            !is(i, class::DEFINITE | class::PRONOUN)
                && !w.ends_with("'s")
                && !w.ends_with('\u{2019}')
                && !w.ends_with("\u{2019}s")
                && (!is(i, class::INSTITUTION) || in_list(VAGUE_BODIES, w))
        });
        let body_after = (p + 1..len).any(|i| {
            in_list(&["at", "with", "from", "of", "for"], word(i)) && (i + 1..len).any(|j| is_capitalized(word(j)))
        });
        if group && vague_modifiers && !body_after {
            return Speaker::Anonymous;
        }
        let definite = p > 0 && is(0, class::DEFINITE) && (1..p).all(|i| !is_capitalized(word(i)));
        if definite && (p == 1 || !word(p).eq_ignore_ascii_case("people")) {
            return Speaker::Continuation;
        }
    }
    // "Residents said", "Harbor residents said": people who speak as a group of residents are unnamed
    // sources for the desk (a place before them names where they live, not who they are); crowds such
    // as witnesses or neighbours stay bystanders.
    let resident =
        |i: usize| is(i, class::GENERIC) && in_list(&["residents", "locals", "villagers", "inhabitants"], word(i));
    if let Some(r) = (0..len).find(|&i| resident(i)) {
        let named_after = (r + 1..len).any(|i| is_capitalized(word(i)) && !in_list(&["of", "in"], word(i - 1)));
        if !named_after && !(0..r).any(|i| is(i, class::DEFINITE)) {
            return Speaker::Anonymous;
        }
    }
    let proper = (0..len).any(|i| {
        is_capitalized(word(i))
            && !(phrase[i].0 == sentence_first
                && is(i, class::GENERIC | class::DEFINITE | class::INDEFINITE | class::PERSON))
    });
    if proper || (0..len).any(|i| is(i, class::INSTITUTION)) {
        return Speaker::Named;
    }
    if (0..len).any(|i| is(i, class::GENERIC | class::PERSON)) {
        return Speaker::Generic;
    }
    Speaker::Unknown
}

fn word_index_at(words: &[(usize, usize)], byte: usize) -> Option<usize> {
    words.binary_search_by_key(&byte, |w| w.0).ok()
}

struct Attributed {
    speaker: Speaker,
    cue: Option<(usize, usize)>,
    /// Byte range of the speaker phrase, whose capitalised words are the source, not the claim.
    speaker_span: Option<(usize, usize)>,
    speech: bool,
    /// Where an inverted attribution tail starts ("..., said Ellen Marsh, who has lived there for 40
    /// years."): what follows describes the speaker, not the claim.
    tail_from: Option<usize>,
    /// Unnamed sources a named speaker relays ("Senator Grant said officials who asked not to be named
    /// had told her..."): the claim is the named speaker's, and the inner anonymity is shown as a reason.
    relayed: Option<(usize, usize)>,
}

fn span_of(words: &[(usize, usize)], range: (usize, usize)) -> Option<(usize, usize)> {
    (range.0 < range.1).then(|| (words[range.0].0, words[range.1 - 1].1))
}

fn attribute(text: &str, hits: &[Hit], words: &[(usize, usize)]) -> Attributed {
    let sentence_first = words.first().map_or(usize::MAX, |w| w.0);
    let mut best = Attributed {
        speaker: Speaker::Unknown,
        cue: None,
        speaker_span: None,
        speech: false,
        tail_from: None,
        relayed: None,
    };
    // End of the first reporting verb whose speaker, named before it, is a named person or body: unnamed
    // sources after it are ones that speaker relays.
    let mut named_outer: Option<usize> = None;
    let inner_speech_after = |at: usize| hits.iter().any(|h| h.cue == Cue::Speech && h.start >= at);
    // The unnamed sources at `at` are inside what the named speaker reports when no clause break
    // separates them from the reporting verb ("said administration officials who asked not to be named
    // had told her"), not a second attribution ("Smith said the plant would close, two officials said").
    let relays = |outer: Option<usize>, at: usize| outer.is_some_and(|end| at >= end && !breaks(text, end, at));
    let consider = |best: &mut Attributed, speaker: Speaker, cue: (usize, usize), span: Option<(usize, usize)>| {
        if speaker > best.speaker {
            best.speaker = speaker;
            best.cue = Some(cue);
            best.speaker_span = span;
        }
    };
    for hit in hits {
        match hit.cue {
            Cue::Anonymous => {
                best.speech = true;
                let according = text[hit.start..hit.end].get(..9).is_some_and(|p| p.eq_ignore_ascii_case("according"));
                if relays(named_outer, hit.start) && !according && inner_speech_after(hit.end) {
                    best.relayed.get_or_insert((hit.start, hit.end));
                    continue;
                }
                consider(&mut best, Speaker::Anonymous, (hit.start, hit.end), None);
            }
            Cue::AccordingTo => {
                best.speech = true;
                let after = words.partition_point(|w| w.0 < hit.end);
                let range = chunk_after(text, words, after);
                let speaker = classify(text, words, range, sentence_first);
                let cue_end = span_of(words, range).map_or(hit.end, |s| s.1);
                consider(&mut best, speaker, (hit.start, cue_end), span_of(words, range));
            }
            Cue::Speech => {
                let Some(v) = word_index_at(words, hit.start) else { continue };
                if v > 0 && text.as_bytes()[hit.start].is_ascii_uppercase() {
                    continue; // "the United States", "Says Law": a name, not a verb
                }
                if v > 0 {
                    let (ps, pe) = words[v - 1];
                    let before = &text[ps..pe];
                    if in_list(
                        &["was", "were", "been", "be", "being", "is", "are", "to", "not", "never", "who"],
                        before,
                    ) && !breaks(text, pe, hit.start)
                    {
                        continue; // "were told", "declined to say"
                    }
                }
                let agreed_to = text[hit.start..hit.end].eq_ignore_ascii_case("agreed")
                    && words.get(v + 1).is_some_and(|&(s, e)| text[s..e].eq_ignore_ascii_case("to"));
                if agreed_to {
                    continue; // "agreed to a lease" is an act, "agreed they need to" reports speech
                }
                best.speech = true;
                let break_before = v == 0 || breaks(text, words[v - 1].1, hit.start);
                let (speaker, range) = if break_before {
                    let forward = chunk_after(text, words, v + 1);
                    // "..., said Rosa Ferrer, his sister.": a short speaker phrase that ends the
                    // sentence or is followed by an apposition, not "said the first case was...".
                    let ends_well = forward.1 == words.len()
                        || (forward.1 > forward.0 && {
                            let gap = &text[words[forward.1 - 1].1..words[forward.1].0];
                            gap.contains(',') && !gap.contains(['“', '"'])
                        });
                    let inverted = forward.0 < forward.1 && forward.1 - forward.0 <= 7 && ends_well && {
                        let (fs, fe) = words[forward.0];
                        let w = &text[fs..fe];
                        is_capitalized(w)
                            || word_class(w) & (class::DEFINITE | class::INDEFINITE) != 0
                            || in_list(&["his", "her", "their", "its"], w)
                    };
                    let inverted_speaker =
                        if inverted { classify(text, words, forward, sentence_first) } else { Speaker::Unknown };
                    if inverted_speaker != Speaker::Unknown {
                        if v > 0 {
                            best.tail_from = Some(best.tail_from.map_or(hit.start, |t| t.min(hit.start)));
                        }
                        (inverted_speaker, forward)
                    } else {
                        // "Dr. Anita Shah, a forensic pathologist hired by the families, testified":
                        // walk back over the apposition to the nearest phrase that names someone.
                        let mut end_idx = v;
                        let mut found = (Speaker::Unknown, (v, v));
                        for _ in 0..3 {
                            let range = chunk_before(text, words, end_idx);
                            if range.0 == range.1 {
                                break;
                            }
                            let s = classify(text, words, range, sentence_first);
                            if s != Speaker::Unknown {
                                found = (s, range);
                                if s != Speaker::Generic {
                                    break;
                                }
                            }
                            end_idx = range.0;
                        }
                        found
                    }
                } else {
                    let range = chunk_before(text, words, v);
                    (classify(text, words, range, sentence_first), range)
                };
                let cue =
                    span_of(words, range).map_or((hit.start, hit.end), |(s, e)| (s.min(hit.start), e.max(hit.end)));
                if speaker == Speaker::Anonymous && relays(named_outer, hit.start) {
                    best.relayed.get_or_insert(cue);
                    continue;
                }
                if speaker == Speaker::Named && named_outer.is_none() && range.1 <= v {
                    named_outer = Some(hit.end);
                }
                consider(&mut best, speaker, cue, span_of(words, range));
            }
            Cue::DocumentVerb => {
                let v = words.partition_point(|w| w.0 < hit.start);
                let mut end_idx = v;
                for _ in 0..3 {
                    let range = chunk_before(text, words, end_idx);
                    if range.0 == range.1 {
                        break;
                    }
                    if let Some(d) =
                        (range.0..range.1).find(|&i| word_class(&text[words[i].0..words[i].1]) & class::DOCUMENT != 0)
                    {
                        consider(&mut best, Speaker::Document, (words[d].0, hit.end), None);
                        break;
                    }
                    end_idx = range.0;
                }
            }
            _ => {}
        }
    }
    best
}

/// What earlier sentences said about sources, for references back to them.
struct History {
    /// Sentences attributed to unnamed sources so far.
    anonymous: Vec<(usize, usize)>,
    /// The most recent attribution.
    last_kind: AttributionKind,
    /// The draft is an opinion column.
    column: bool,
    /// The draft is an interview: outside the answers, first-person sentences are the interviewer's.
    interview: bool,
}

impl History {
    /// "the people said", "one of the officials said", "one of them said": the sources meant are the
    /// ones an earlier sentence introduced with that noun; "them" means the latest ones.
    fn resolve(&self, text: &str, phrase: Option<(usize, usize)>) -> AttributionKind {
        let Some((s, e)) = phrase else {
            return AttributionKind::Named;
        };
        let noun = text[s..e].rsplit(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
        if in_list(&["them", "they", "those", "these", "both"], noun) {
            return match self.last_kind {
                AttributionKind::Anonymous => AttributionKind::Anonymous,
                _ => AttributionKind::Named,
            };
        }
        let stem = noun.strip_suffix('s').unwrap_or(noun).to_ascii_lowercase();
        // Only recent sentences: a reference reaches back a few paragraphs, not across a whole archive.
        let introduced = !stem.is_empty()
            && self.anonymous.iter().rev().take(8).any(|&(a, b)| contains_ignore_case(&text[a..b], &stem));
        if introduced {
            AttributionKind::Anonymous
        } else {
            AttributionKind::Named
        }
    }
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    !n.is_empty() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// The share of the sentence's bytes that sit inside quotation marks.
fn quoted_share(sentence: &str) -> f32 {
    let bytes = sentence.as_bytes();
    if !bytes.contains(&b'"') && !bytes.contains(&0xE2) {
        return 0.0; // most sentences quote no one
    }
    let mut inside = false;
    let mut quoted = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => inside = i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'(',
            // “ and ” are E2 80 9C and E2 80 9D.
            0xE2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0x9C | 0x9D)) => {
                inside = bytes[i + 2] == 0x9C;
                i += 3;
                continue;
            }
            _ if inside => quoted += 1,
            _ => {}
        }
        i += 1;
    }
    #[allow(clippy::cast_precision_loss)] // sentence lengths are far below 2^23
    let share = quoted as f32 / bytes.len().max(1) as f32;
    share
}

#[rustfmt::skip]
const NOT_PAST: &[&str] = &[
    "indeed", "hundred", "speed", "proceed", "succeed", "exceed", "embed", "sacred", "naked", "wicked",
    "kindred", "breed", "creed", "greed", "seed", "need", "bleed", "shred", "tired", "alleged",
];

#[allow(clippy::too_many_lines)] // one place that lists every reason, in the order they are shown
fn analyze_sentence(
    text: &str,
    unit: &Unit,
    hits: &[Hit],
    words: &[(usize, usize)],
    previous: Option<&Analysis>,
    history: &History,
    reasons: &mut Vec<Reason>,
) -> Analysis {
    let sentence = &text[unit.start..unit.end];
    let first_reason = reasons.len();
    let mut score = BASE;
    let mut attributed = attribute(text, hits, words);

    let word_of = |i: usize| &text[words[i].0..words[i].1];
    let first_word = if words.is_empty() { "" } else { word_of(0) };
    let anonymous_hit = hits.iter().find(|h| h.cue == Cue::Anonymous);
    let meta = anonymous_hit.is_some_and(|a| {
        in_list(META_SUBJECTS, first_word)
            && words.iter().take(4).any(|w| w.0 == a.start)
            && !text[a.start..a.end].to_ascii_lowercase().starts_with("according")
            && !hits.iter().any(|h| {
                h.cue == Cue::Speech
                    && (h.end <= a.start || h.start >= a.end)
                    && in_list(REPORTING, &text[h.start..h.end])
            })
    });

    // Most sentences need not know how much of them is quoted: worked out when first asked.
    let quoted = std::cell::OnceCell::new();
    let direct = || *quoted.get_or_init(|| quoted_share(sentence) > 0.5);
    // "I can tell you...", "we found...": outside a quotation and an interview's answers, the first
    // person is the writer, not a source.
    let writer_speaks = attributed.speaker == Speaker::Pronoun
        && !direct()
        && unit.answer.is_none()
        && attributed.speaker_span.is_some_and(|(s, e)| {
            let first = text[s..e].split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            in_list(&["i", "we"], first)
        });
    if writer_speaks {
        attributed.speaker = Speaker::Unknown;
    }

    // Resolve references to earlier sources.
    let mut carried = false;
    let mut kind = match attributed.speaker {
        Speaker::Anonymous => AttributionKind::Anonymous,
        Speaker::Document => AttributionKind::Document,
        Speaker::Named => AttributionKind::Named,
        Speaker::Continuation => history.resolve(text, attributed.speaker_span),
        Speaker::Pronoun => match previous.map(|p| p.kind) {
            Some(AttributionKind::Anonymous) if previous.is_some_and(|p| p.paragraph + 1 >= unit.paragraph) => {
                AttributionKind::Anonymous
            }
            _ => AttributionKind::Named,
        },
        Speaker::Generic | Speaker::Unknown => {
            let no_response = hits.iter().any(|h| h.cue == Cue::NoResponse);
            match previous {
                Some(prev)
                    if !attributed.speech
                        && !no_response
                        && prev.paragraph == unit.paragraph
                        && prev.kind != AttributionKind::None
                        && !prev.carried
                        && in_list(CONTINUING_OPENERS, first_word) =>
                {
                    carried = true;
                    attributed.cue = prev.cue;
                    prev.kind
                }
                _ => AttributionKind::None,
            }
        }
    };
    if attributed.speaker == Speaker::Generic || attributed.speaker == Speaker::Unknown && !carried {
        attributed.cue = None;
    }
    // In a Q&A transcript the answers are the interviewee's, unless they cite someone else.
    let answer =
        unit.answer.is_some() && matches!(attributed.speaker, Speaker::Unknown | Speaker::Generic | Speaker::Pronoun);
    if answer {
        kind = AttributionKind::Named;
        attributed.cue = unit.answer;
    }
    // "That is according to two officials.": sourcing for the sentence before, not a claim.
    let sources_previous = in_list(&["that", "this", "that's", "that\u{2019}s"], first_word)
        && hits.iter().any(|h| {
            matches!(h.cue, Cue::AccordingTo | Cue::Anonymous)
                && words.iter().take(4).any(|w| w.0 == h.start)
                && text[h.start..h.end].get(..9).is_some_and(|p| p.eq_ignore_ascii_case("according"))
        });

    // Raise: reported speech and sourcing.
    if answer {
        score += 0.15;
        reasons.push(Reason::Answer);
    } else if carried {
        score += 0.15;
        reasons.push(Reason::Carried(kind));
    } else if kind != AttributionKind::None {
        let direct = direct();
        score += if direct { 0.1 } else { 0.25 };
        reasons.push(Reason::Speech { direct, kind });
    } else if attributed.speech && attributed.speaker == Speaker::Generic {
        score += 0.15;
        reasons.push(Reason::GenericSpeech);
    }
    if let Some(inner) = attributed.relayed.filter(|_| kind == AttributionKind::Named) {
        reasons.push(Reason::Relayed(inner));
    }

    // Raise: figures, money, percentages, dates, names, events, comparisons.
    let content_end = attributed.tail_from.unwrap_or(unit.end);
    let hits = &hits[..hits.partition_point(|h| h.start < content_end)];
    let words = &words[..words.partition_point(|w| w.0 < content_end)];
    let bytes = &text.as_bytes()[unit.start..content_end];
    let mut figure = false;
    let mut year = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let run_start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || (matches!(bytes[i], b',' | b'.') && i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            let run = &bytes[run_start..i];
            let standalone = run_start == 0 || !matches!(bytes[run_start - 1], b'$' | b'-' | b'/');
            if run.len() == 4 && standalone && (run.starts_with(b"19") || run.starts_with(b"20")) {
                year = true;
            } else {
                figure = true;
            }
        } else {
            i += 1;
        }
    }
    // The first hit of each kind of cue, found in one pass: the scoring below asks about a dozen kinds.
    let mut first_hits = [None; Cue::COUNT];
    for h in hits.iter().rev() {
        first_hits[h.cue as usize] = Some((h.start, h.end));
    }
    let has = |cue: Cue| first_hits[cue as usize];
    if figure || has(Cue::NumberWord).is_some() {
        score += 0.2;
        reasons.push(Reason::Figure);
    }
    let currency_sign = bytes.contains(&b'$') || (!bytes.is_ascii() && sentence.contains(['€', '£', '¥']));
    if currency_sign || has(Cue::Currency).is_some() {
        score += 0.15;
        reasons.push(Reason::Money);
    }
    if bytes.contains(&b'%') || has(Cue::Percent).is_some() {
        score += 0.15;
        reasons.push(Reason::Percentage);
    }
    if year || has(Cue::Month).is_some() || has(Cue::Date).is_some() || has(Cue::Time).is_some() {
        score += 0.15;
        reasons.push(Reason::DateOrTime);
    }
    let speaker_span = attributed.speaker_span;
    let in_span = |pos: usize, span: Option<(usize, usize)>| span.is_some_and(|(s, e)| pos >= s && pos < e);
    let mut names = 0usize;
    let mut past = false;
    // "the city's first Asian American mayor": a first is a superlative.
    let mut possessive_first = None;
    let mut first_person = None;
    for (n, &(ws, we)) in words.iter().enumerate() {
        let w = &text[ws..we];
        if possessive_first.is_none()
            && n > 0
            && w.eq_ignore_ascii_case("first")
            && word_of(n - 1).ends_with(['s', 'S'])
            && word_of(n - 1).contains(['\'', '\u{2019}'])
        {
            possessive_first = Some((ws, we));
        }
        if first_person.is_none() && is_first_person(w) {
            first_person = Some((ws, we));
        }
        if n > 0
            && is_capitalized(w)
            && w != "I"
            && !w.starts_with("I'")
            && !w.starts_with("I\u{2019}")
            && !text[words[n - 1].1..ws].contains(['“', '"'])
            && !in_span(ws, speaker_span)
            && !in_span(ws, attributed.cue)
            && !hits.iter().any(|h| h.start == ws && matches!(h.cue, Cue::Month | Cue::Date))
        {
            names += 1;
        }
        if !past && w.len() >= 5 && w.ends_with("ed") && w.as_bytes()[0].is_ascii_lowercase() && !in_list(NOT_PAST, w) {
            past = true;
        }
    }
    if names > 0 {
        score += if names >= 2 { 0.2 } else { 0.1 };
        reasons.push(Reason::Names(names));
    }
    if past || has(Cue::Event).is_some() {
        score += 0.15;
        reasons.push(Reason::Event);
        // "The government has asked for international help": an institution acting is checkable even
        // without a figure.
        let unattributed = kind == AttributionKind::None && !carried && has(Cue::NoResponse).is_none();
        let actor = unattributed
            .then(|| words.iter().take(3).find(|&&(ws, we)| word_class(&text[ws..we]) & class::INSTITUTION != 0))
            .flatten();
        if let Some(&span) = actor {
            score += 0.1;
            reasons.push(Reason::Actor(span));
        }
    }
    let comparison = has(Cue::Comparison).or(possessive_first);
    if let Some(c) = comparison {
        score += 0.1;
        reasons.push(Reason::Comparison(c));
    }
    // Only the sentences with a first person or a quotation ask this.
    let factual = || {
        figure
            || year
            || currency_sign
            || bytes.contains(&b'%')
            || comparison.is_some()
            || [Cue::NumberWord, Cue::Currency, Cue::Percent, Cue::Month, Cue::Date, Cue::Time]
                .into_iter()
                .any(|c| has(c).is_some())
    };

    // Lower: opinion, rhetoric, prediction, hedging, questions, non-answers, sourcing notes.
    for (cue, weight, label) in [
        (Cue::Opinion, 0.35, "opinion or exhortation"),
        (Cue::Rhetoric, 0.35, "rhetoric or analysis"),
        (Cue::Prediction, 0.25, "prediction"),
        (Cue::Hedge, 0.25, "hedge"),
        (Cue::NoResponse, 0.35, "no response, not a claim"),
        (Cue::Housekeeping, 0.5, "newsroom housekeeping, not a claim"),
        (Cue::Sentiment, 0.3, "a feeling, not a claim"),
    ] {
        if let Some(c) = has(cue) {
            score -= weight;
            reasons.push(Reason::Lowered(label, c));
        }
    }
    if sentence.trim_end_matches(['”', '"', '’', '\'', ')']).ends_with('?') {
        score -= 0.4;
        reasons.push(Reason::Question);
    }
    if words.len() < 6 {
        score -= 0.2;
        reasons.push(Reason::Short);
    }
    if meta {
        score -= 0.6;
        reasons.push(Reason::Meta);
    }
    if sources_previous {
        score -= 0.6;
        reasons.push(Reason::SourcesPrevious);
    }
    // "Our reporter Ian Holt is inside courtroom 4B", "My colleague Ana Costa will be with you".
    let newsroom = in_list(&["our", "my"], first_word)
        && words.get(1).is_some_and(|&(s, e)| {
            in_list(
                &[
                    "reporter",
                    "reporters",
                    "correspondent",
                    "correspondents",
                    "colleague",
                    "colleagues",
                    "team",
                    "photographer",
                    "producer",
                    "editor",
                    "editors",
                ],
                &text[s..e],
            )
        });
    if newsroom {
        score -= 0.5;
        reasons.push(Reason::Lowered("newsroom housekeeping, not a claim", (words[0].0, words[1].1)));
    }
    if in_list(INSTRUCTION_OPENERS, first_word) {
        score -= 0.5;
        reasons.push(Reason::Lowered("an instruction, not a claim", (words[0].0, words[0].1)));
    }
    if let Some(span) = first_person {
        if (history.column || history.interview) && unit.answer.is_none() && !direct() {
            score -= 0.45;
            reasons.push(Reason::Lowered("the writer's own voice", span));
        } else if !factual() && direct() {
            // "We lost everything that night": a quotation of feeling or memory, nothing to check.
            score -= 0.25;
            reasons.push(Reason::Lowered("a quoted feeling or view, nothing to check", span));
        }
    }
    // A line without closing punctuation in the body is a list item, a related link or a heading,
    // seldom a sentence of copy.
    let closed = sentence.trim_end_matches(['”', '"', '’', '\'', ')', ']']).ends_with(['.', '!', '?', '…']);
    if !closed {
        score -= 0.2;
        reasons.push(Reason::Unterminated);
    }

    let score = (score.clamp(0.0, 1.0) * 100.0).round() / 100.0;
    Analysis {
        start: unit.start,
        end: unit.end,
        score,
        kind,
        cue: if kind == AttributionKind::None { None } else { attributed.cue },
        reasons: first_reason..reasons.len(),
        explained_below: false,
        carried,
        meta,
        sources_previous,
        attributed_below: false,
        paragraph: unit.paragraph,
    }
}

fn kind_label(kind: AttributionKind) -> &'static str {
    match kind {
        AttributionKind::Anonymous => "unnamed source",
        AttributionKind::Named => "named source",
        AttributionKind::Document => "document",
        AttributionKind::None => "unattributed",
    }
}
