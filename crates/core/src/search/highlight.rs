//! Where a query's terms are in a text, found without the index: how a team
//! store's hits get their highlights (PostgreSQL's `ts_headline` would
//! re-parse the text with its own tokenizer, which reads `$1.2bn` or `U.S.`
//! differently and does not fold diacritics).
//!
//! Tokens are made as FTS5's `unicode61 remove_diacritics 2` and the team
//! store's `search_words()` make them: runs of letters and digits, case and
//! diacritics folded (`Zürich` is `zurich`), everything else a separator.

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
}

/// The tokens of `text`, in order.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut found = Vec::new();
    let mut current: Option<Token> = None;
    for (at, c) in text.chars().enumerate() {
        if c.is_alphanumeric() {
            let token = current.get_or_insert_with(|| Token { start: at, end: at, folded: String::new() });
            fold_into(c, &mut token.folded);
            token.end = at + 1;
        } else if let Some(token) = current.take() {
            found.push(token);
        }
    }
    found.extend(current);
    found
}

/// The matches of `phrases` in `text` from its start to `beyond` code points
/// past the first match's start (all of them when nothing matches): a
/// snippet around the first match needs no more, and a draft is long.
pub(crate) fn matches_up_to_first(text: &str, phrases: &[Phrase], beyond: usize) -> Vec<(usize, usize)> {
    let longest = phrases.iter().map(|p| p.words.len()).max().unwrap_or(0).max(1);
    // Until the first match only the last `longest` words are kept, and their strings are reused:
    // a rare word's first match can be at the end of 10 KB, and one allocation per word was most
    // of the time then.
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

    #[test]
    fn tokens_split_on_punctuation_and_fold_case_and_diacritics() {
        let words: Vec<String> =
            tokens("The café, $1.2bn; U.S. No. 4 Zürich ДОМ").into_iter().map(|t| t.folded).collect();
        assert_eq!(words, ["the", "cafe", "1", "2bn", "u", "s", "no", "4", "zurich", "дом"]);
    }

    #[test]
    fn phrases_and_prefixes_are_found_as_spans_of_code_points() {
        let text = "Le café coûte $1.2bn, dit-il. Un 1 et 2bn.";
        let tokens = tokens(text);
        let spans = matches(&tokens, &[Phrase::new("$1.2bn", false), Phrase::new("cout", true)]);
        let shown: Vec<String> =
            spans.iter().map(|(s, e)| text.chars().skip(*s).take(e - s).collect::<String>()).collect();
        assert_eq!(shown, ["coûte", "1.2bn"]);
    }

    #[test]
    fn reading_stops_a_snippet_past_the_first_match() {
        let text = format!("{}target here {}target again", "word ".repeat(500), "more ".repeat(100));
        let phrases = [Phrase::new("target", false)];
        let all = matches(&tokens(&text), &phrases);
        assert_eq!(all.len(), 2);
        assert_eq!(matches_up_to_first(&text, &phrases, 200), all[..1], "the second is 500 code points on");
        assert_eq!(matches_up_to_first(&text, &phrases, 1000), all, "within reach, both");
        assert!(matches_up_to_first("nothing to see", &phrases, 200).is_empty());
    }
}
