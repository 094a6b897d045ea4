//! Where a query's terms are in a text, found without the index: how a
//! draft's snippet (on both engines) and a team store's item snippets get
//! their highlights (PostgreSQL's `ts_headline` would re-parse the text with
//! its own tokenizer, which reads `$1.2bn` or `U.S.` differently and does not
//! fold diacritics).
//!
//! Tokens are made as FTS5's `unicode61 remove_diacritics 2` and the team
//! store's `search_words()` make them: runs of letters and digits, case and
//! diacritics folded (`Zürich` is `zurich`), everything else a separator.
//!
//! A draft's first match is found without tokenizing the text before it
//! ([`Finder::matches_up_to_first`]): a rare word's first match can be at the
//! end of 10 KB, and each of 50 snippets tokenized its draft up to there.

use aho_corasick::{AhoCorasick, Input, MatchKind};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// A word of a text: its place in code points and its folded form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub folded: String,
}

/// A term of a query: its folded words, which must be adjacent and in
/// order, the last a prefix when `prefix` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    pub prefix: bool,
}

impl Phrase {
    pub(crate) fn new(text: &str, prefix: bool) -> Self {
        Self { words: tokens(text).into_iter().map(|t| t.folded).collect(), prefix }
    }

    /// Whether a token folded as `folded` can be this phrase's last word.
    fn ends_with(&self, folded: &str) -> bool {
        self.words.last().is_some_and(|w| if self.prefix { folded.starts_with(w.as_str()) } else { folded == *w })
    }
}

/// The tokens of `text`, in order.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    Tokens::new(text, 0, 0).collect()
}

/// The tokens of `text` from byte `from` (a character boundary), counting
/// code points from `first` (the code points before `from`).
struct Tokens<'a> {
    chars: std::str::Chars<'a>,
    at: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, from: usize, first: usize) -> Self {
        Self { chars: text[from..].chars(), at: first }
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let mut current: Option<Token> = None;
        for c in self.chars.by_ref() {
            let at = self.at;
            self.at += 1;
            if c.is_alphanumeric() {
                let token = current.get_or_insert_with(|| Token { start: at, end: at, folded: String::new() });
                fold_into(c, &mut token.folded);
                token.end = at + 1;
            } else if current.is_some() {
                return current;
            }
        }
        current
    }
}

/// A query's phrases, with what finds their first match in a long text quickly.
pub(crate) struct Finder {
    phrases: Vec<Phrase>,
    /// The phrases' last words that fold to ASCII, found in a text's bytes
    /// whatever their case (where the text is ASCII, that is how its tokens
    /// fold); `None` when no last word is ASCII.
    ascii_last_words: Option<AhoCorasick>,
}

impl Finder {
    pub(crate) fn new(phrases: Vec<Phrase>) -> Self {
        let ascii: Vec<&str> =
            phrases.iter().filter_map(|p| p.words.last()).map(String::as_str).filter(|w| w.is_ascii()).collect();
        // Only where a word starts matters (its token is then read whole), so the leftmost start.
        let ascii_last_words = (!ascii.is_empty())
            .then(|| {
                AhoCorasick::builder().ascii_case_insensitive(true).match_kind(MatchKind::LeftmostFirst).build(&ascii)
            })
            .and_then(Result::ok);
        Self { phrases, ascii_last_words }
    }

    pub(crate) fn phrases(&self) -> &[Phrase] {
        &self.phrases
    }

    /// The matches in `text` from its start to `beyond` code points past the
    /// first match's start (none when nothing matches): a snippet around the
    /// first match needs no more, and a draft is long. The same spans as
    /// tokenizing the whole text with [`tokens`], keeping the tokens whose
    /// start is at most `beyond` past the first match found while reading them
    /// in order (the earliest match to end, the earliest-starting of those),
    /// and [`matches`] over them.
    ///
    /// The text before the first match is not tokenized: only the tokens that
    /// can end a phrase are read, found in the bytes. An ASCII token folds to
    /// its lowercase bytes, so a token equal to a phrase's last word is, case
    /// aside, that word's bytes; any other token holds a non-ASCII character,
    /// which is looked at where it is. At each such token that ends a phrase,
    /// the tokens a phrase ending there can start from are read back.
    pub(crate) fn matches_up_to_first(&self, text: &str, beyond: usize) -> Vec<(usize, usize)> {
        let longest = self.phrases.iter().map(|p| p.words.len()).max().unwrap_or(0).max(1);
        let bytes = text.as_bytes();
        // Every token ending at or before `from` (a character boundary) has been looked at.
        let mut from = 0;
        // The next start of a last word in ASCII at or after `from`, and the next character outside
        // ASCII (`usize::MAX`: none left), looked for again once `from` passes them.
        let mut next_word: Option<usize> = None;
        let mut next_other: Option<usize> = None;
        let mut folded = String::new();
        loop {
            if next_word.is_none_or(|at| at < from) {
                next_word = Some(self.ascii_last_words.as_ref().map_or(usize::MAX, |automaton| {
                    automaton.find(Input::new(text).range(from..)).map_or(usize::MAX, |m| m.start())
                }));
            }
            if next_other.is_none_or(|at| at < from) {
                next_other = Some(bytes[from..].iter().position(|b| !b.is_ascii()).map_or(usize::MAX, |at| from + at));
            }
            let at = next_word.unwrap_or(usize::MAX).min(next_other.unwrap_or(usize::MAX));
            if at == usize::MAX {
                return Vec::new();
            }
            let Some((start, end)) = token_around(text, at) else {
                // A separator outside ASCII (a curly quote, a dash).
                from = at + text[at..].chars().next().map_or(1, char::len_utf8);
                continue;
            };
            folded.clear();
            text[start..end].chars().for_each(|c| fold_into(c, &mut folded));
            if self.phrases.iter().any(|p| p.ends_with(&folded)) {
                let (window_start, before) = tokens_before(text, start, longest - 1);
                let mut reader = Tokens::new(text, window_start, text[..window_start].chars().count());
                let mut read: Vec<Token> = reader.by_ref().take(before + 1).collect();
                if let Some(&(first, _)) = matches(&read, &self.phrases).first() {
                    read.extend(reader.take_while(|t| t.start <= first + beyond));
                    return matches(&read, &self.phrases);
                }
            }
            from = end;
        }
    }
}

/// The word (a run of letters and digits) holding the character at byte
/// `at`, as a byte range; `None` when that character is not in a word.
fn token_around(text: &str, at: usize) -> Option<(usize, usize)> {
    let first = text[at..].chars().next()?;
    if !first.is_alphanumeric() {
        return None;
    }
    let start = text[..at].char_indices().rev().take_while(|(_, c)| c.is_alphanumeric()).last().map_or(at, |(i, _)| i);
    let end = text[at..].char_indices().find(|(_, c)| !c.is_alphanumeric()).map_or(text.len(), |(i, _)| at + i);
    Some((start, end))
}

/// Where the `wanted`-th word before byte `start` begins (a word boundary),
/// or the first word's start when fewer precede; and how many words that is.
fn tokens_before(text: &str, start: usize, wanted: usize) -> (usize, usize) {
    let (mut begins, mut found, mut in_word) = (start, 0, false);
    for (i, c) in text[..start].char_indices().rev() {
        if c.is_alphanumeric() {
            if !in_word {
                if found == wanted {
                    break;
                }
                found += 1;
                in_word = true;
            }
            begins = i;
        } else {
            in_word = false;
        }
    }
    (begins, found)
}

/// `c` lowercased, without its diacritics, appended to `out`.
fn fold_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        decompose_canonical(lower, |part| {
            if !is_combining_mark(part) {
                out.push(part);
            }
        });
    }
}

/// Where `phrases` match among `tokens`: spans in code points (from the
/// first word's start to the last word's end), in order, overlaps merged.
pub(crate) fn matches(tokens: &[Token], phrases: &[Phrase]) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for at in 0..tokens.len() {
        for phrase in phrases {
            let n = phrase.words.len();
            if n == 0 || at + n > tokens.len() {
                continue;
            }
            let hit = phrase.words.iter().enumerate().all(|(i, word)| {
                let token = &tokens[at + i].folded;
                if phrase.prefix && i + 1 == n {
                    token.starts_with(word.as_str())
                } else {
                    token == word
                }
            });
            if hit {
                spans.push((tokens[at].start, tokens[at + n - 1].end));
            }
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What [`Finder::matches_up_to_first`] must answer: the code it replaced,
    /// which read every token in order, the last `longest` kept until a phrase
    /// matched.
    fn tokenizing_everything(text: &str, phrases: &[Phrase], beyond: usize) -> Vec<(usize, usize)> {
        let longest = phrases.iter().map(|p| p.words.len()).max().unwrap_or(0).max(1);
        let mut read: std::collections::VecDeque<Token> = std::collections::VecDeque::with_capacity(longest + 1);
        let mut first: Option<usize> = None;
        let mut current: Option<Token> = None;
        let mut chars = text.chars().enumerate();
        loop {
            let next = chars.next();
            if let Some((at, c)) = next {
                if c.is_alphanumeric() {
                    let token = current.get_or_insert_with(|| {
                        let mut folded = match (first, read.len() >= longest) {
                            (None, true) => read.pop_front().map(|t| t.folded).unwrap_or_default(),
                            _ => String::new(),
                        };
                        folded.clear();
                        Token { start: at, end: at, folded }
                    });
                    fold_into(c, &mut token.folded);
                    token.end = at + 1;
                    continue;
                }
            }
            if let Some(token) = current.take() {
                if first.is_some_and(|f| token.start > f + beyond) {
                    break;
                }
                let ends_a_phrase = first.is_none()
                    && phrases.iter().any(|p| {
                        p.words.last().is_some_and(|w| {
                            if p.prefix {
                                token.folded.starts_with(w.as_str())
                            } else {
                                token.folded == *w
                            }
                        })
                    });
                read.push_back(token);
                if ends_a_phrase {
                    first = matches(read.make_contiguous(), phrases).first().map(|(start, _)| *start);
                }
            }
            if next.is_none() {
                break;
            }
        }
        if first.is_none() {
            return Vec::new();
        }
        matches(read.make_contiguous(), phrases)
    }

    fn finder(terms: &[(&str, bool)]) -> Finder {
        Finder::new(terms.iter().map(|(text, prefix)| Phrase::new(text, *prefix)).collect())
    }

    /// The matched text of each span.
    fn shown(text: &str, spans: &[(usize, usize)]) -> Vec<String> {
        spans.iter().map(|(s, e)| text.chars().skip(*s).take(e - s).collect()).collect()
    }

    #[test]
    fn tokens_split_on_punctuation_and_fold_case_and_diacritics() {
        let words: Vec<String> =
            tokens("The café, $1.2bn; U.S. No. 4 Zürich ДОМ").into_iter().map(|t| t.folded).collect();
        assert_eq!(words, ["the", "cafe", "1", "2bn", "u", "s", "no", "4", "zurich", "дом"]);
    }

    #[test]
    fn phrases_and_prefixes_are_found_as_spans_of_code_points() {
        let text = "Le café coûte $1.2bn, dit-il. Un 1 et 2bn.";
        let spans = matches(&tokens(text), &[Phrase::new("$1.2bn", false), Phrase::new("cout", true)]);
        assert_eq!(shown(text, &spans), ["coûte", "1.2bn"]);
    }

    #[test]
    fn reading_stops_a_snippet_past_the_first_match() {
        let text = format!("{}target here {}target again", "word ".repeat(500), "more ".repeat(100));
        let find = finder(&[("target", false)]);
        let all = matches(&tokens(&text), find.phrases());
        assert_eq!(all.len(), 2);
        assert_eq!(find.matches_up_to_first(&text, 200), all[..1], "the second is 500 code points on");
        assert_eq!(find.matches_up_to_first(&text, 1000), all, "within reach, both");
        assert!(find.matches_up_to_first("nothing to see", 200).is_empty());
    }

    /// The first match found past characters outside ASCII: its place counts
    /// code points, not bytes.
    #[test]
    fn a_match_after_text_outside_ascii_is_placed_in_code_points() {
        let text = "Zürich — the café’s “ledger”: KAVO sent it. São Paulo then kavo.";
        let spans = finder(&[("kavo", false)]).matches_up_to_first(text, 200);
        assert_eq!(spans, tokenizing_everything(text, finder(&[("kavo", false)]).phrases(), 200));
        assert_eq!(shown(text, &spans), ["KAVO", "kavo"]);
        assert_eq!(spans[0].0, text.chars().position(|c| c == 'K').expect("K"));
    }

    /// A word written with diacritics or a character that folds to ASCII
    /// (`K`, the Kelvin sign) is no byte match for the typed word, and is found.
    #[test]
    fn a_match_written_with_diacritics_is_found_first() {
        for (text, seen) in [
            ("plain words then Kāvo and later kavo", "Kāvo"),
            ("plain words then \u{212A}AVO and later kavo", "\u{212A}AVO"),
            ("plain words then kávó", "kávó"),
        ] {
            let spans = finder(&[("kavo", false)]).matches_up_to_first(text, 10);
            assert_eq!(shown(text, &spans), [seen], "{text}");
        }
        // And a typed word with diacritics finds the plain one.
        let text = "ascii only, then Zurich.";
        assert_eq!(shown(text, &finder(&[("Zürich", false)]).matches_up_to_first(text, 10)), ["Zurich"]);
    }

    #[test]
    fn a_match_at_the_very_end_of_the_text() {
        for text in ["the last word is kavo", "kavo", "la dernière est kávo", "x kav"] {
            let find = finder(&[("kavo", false), ("kav", true)]);
            let spans = find.matches_up_to_first(text, 200);
            assert_eq!(spans.len(), 1, "{text}");
            assert_eq!(spans[0].1, text.chars().count(), "{text}");
            assert_eq!(spans, tokenizing_everything(text, find.phrases(), 200));
        }
    }

    /// A phrase's words are adjacent tokens whatever separates them, ASCII or
    /// not; only a whole word ends a phrase.
    #[test]
    fn a_phrase_spanning_punctuation_is_one_match() {
        let text = "according to them — according—to, “sources”: the rest";
        let find = finder(&[("according to sources", false)]);
        assert_eq!(shown(text, &find.matches_up_to_first(text, 200)), ["according—to, “sources"]);
        let text = "resources, then according to sources";
        assert_eq!(shown(text, &find.matches_up_to_first(text, 200)), ["according to sources"]);
        let text = "$1.2bn and €1.2bn";
        assert_eq!(shown(text, &finder(&[("$1.2bn", false)]).matches_up_to_first(text, 200)), ["1.2bn", "1.2bn"]);
    }

    #[test]
    fn prefixes_find_words_that_go_on_outside_ascii() {
        let text = "The Minister said the Ministère agreed";
        let find = finder(&[("ministe", true)]);
        assert_eq!(shown(text, &find.matches_up_to_first(text, 200)), ["Minister", "Ministère"]);
        let text = "Ministère first";
        assert_eq!(shown(text, &finder(&[("ministere", false)]).matches_up_to_first(text, 200)), ["Ministère"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Any text, any phrases: the same spans as tokenizing everything.
        #[test]
        fn finding_the_first_match_fast_agrees_with_reading_every_token(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("kavo"), Just("KaVo"), Just("kāvo"), Just("\u{212A}avo"), Just("kavotra"), Just("akavo"),
                    Just("to"), Just("sources"), Just("according"), Just("Zürich"), Just("zurich"), Just("1"),
                    Just("2bn"), Just("é"), Just("дом"), Just("ß"),
                    Just(" "), Just(", "), Just("—"), Just("’"), Just("."), Just("\n\n"), Just("\u{301}"), Just("$"),
                ],
                0..60,
            ),
            terms in proptest::collection::vec(
                (prop_oneof![
                    Just("kavo"), Just("kav"), Just("according to sources"), Just("to sources"), Just("zurich"),
                    Just("$1.2bn"), Just("1 2bn"), Just("Zürich kavo"), Just("ДОМ"), Just("e"), Just("to"),
                    Just("ss"), Just("ß"),
                ], any::<bool>()),
                1..4,
            ),
            beyond in 0usize..40,
        ) {
            let text: String = pieces.concat();
            let find = Finder::new(terms.iter().map(|(t, prefix)| Phrase::new(t, *prefix)).collect());
            prop_assert_eq!(
                find.matches_up_to_first(&text, beyond),
                tokenizing_everything(&text, find.phrases(), beyond),
                "{:?}", text
            );
        }
    }
}
