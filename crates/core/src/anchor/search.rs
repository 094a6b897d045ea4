//! Every occurrence of many quotes in one text, in one pass.
//!
//! Quotes are sentence-sized and a draft has about a thousand of them, so instead of building an
//! automaton for 100 KB of patterns each time a draft changes, every 16-byte window of the text is keyed
//! (two 8-byte loads, two multiplications) and looked up against the keys of the quotes' first 16 bytes,
//! and only a hit is compared in full. Each window's key is computed from its own bytes, not rolled from
//! the previous one: a rolling hash chains every byte's multiplications one after the other, where
//! independent keys let the processor work on several windows at once (the search was an eighth of a
//! lightly edited draft's re-anchoring). Quotes shorter than the window are searched for one by one (they
//! are rare: claims are sentences).

use super::diff::IdentityMap;
use super::text::to_u32;

/// Window of the key, in bytes.
const WINDOW: usize = 16;

/// Byte offsets of all occurrences, overlapping ones included, of each pattern of a [`find_all`], in
/// order, stored one pattern after the other (a thousand small vectors were a thousand allocations).
#[derive(Debug, Default)]
pub(crate) struct Occurrences {
    /// `at[first[i]..first[i + 1]]` are pattern `i`'s occurrences.
    first: Vec<u32>,
    at: Vec<usize>,
}

impl Occurrences {
    /// The byte offsets of pattern `index`'s occurrences, in order (none for an index out of range).
    pub(crate) fn of(&self, index: usize) -> &[usize] {
        match (self.first.get(index), self.first.get(index + 1)) {
            (Some(&from), Some(&to)) => &self.at[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// Byte offsets of all occurrences, overlapping ones included, of each pattern in `text`.
pub(crate) fn find_all(text: &str, patterns: &[&str]) -> Occurrences {
    let bytes = text.as_bytes();
    // (pattern, offset) of every occurrence, in order of offset for each pattern.
    let mut hits: Vec<(u32, usize)> = Vec::with_capacity(patterns.len() + patterns.len() / 4);
    // The long patterns' (head key, pattern), sorted by key; `heads` gives each key's range of them.
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(patterns.len());
    // A 64 Ki-bit filter on the key so that most windows skip the map.
    let mut filter = vec![0u64; 1024];
    for (index, pattern) in patterns.iter().enumerate() {
        if pattern.is_empty() {
            continue;
        }
        if pattern.len() < WINDOW {
            let mut from = 0;
            while let Some(at) = text.get(from..).and_then(|rest| rest.find(pattern)) {
                hits.push((to_u32(index), from + at));
                // Step one char, not one byte, so the next search starts on a char boundary.
                from += at + text[from + at..].chars().next().map_or(1, char::len_utf8);
            }
            continue;
        }
        let head = key(&pattern.as_bytes()[..WINDOW]);
        let bit = filter_bit(head);
        filter[bit / 64] |= 1 << (bit % 64);
        keyed.push((head, to_u32(index)));
    }
    if !keyed.is_empty() && bytes.len() >= WINDOW {
        keyed.sort_unstable();
        let mut heads: IdentityMap<(u32, u32)> = IdentityMap::default();
        heads.reserve(keyed.len());
        for (at, &(head, _)) in keyed.iter().enumerate() {
            heads.entry(head).or_insert((to_u32(at), to_u32(at))).1 = to_u32(at + 1);
        }
        for (start, window) in bytes.windows(WINDOW).enumerate() {
            let head = key(window);
            let bit = filter_bit(head);
            if filter[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let Some(&(from, to)) = heads.get(&head) else { continue };
            for &(_, index) in &keyed[from as usize..to as usize] {
                let pattern = patterns[index as usize].as_bytes();
                if bytes.get(start..start + pattern.len()) == Some(pattern) {
                    hits.push((index, start));
                }
            }
        }
    }
    // Grouped by pattern (a counting sort: stable, so each pattern's offsets stay in order).
    let mut first = vec![0u32; patterns.len() + 1];
    for &(index, _) in &hits {
        first[index as usize + 1] += 1;
    }
    for index in 1..first.len() {
        first[index] += first[index - 1];
    }
    let mut at = vec![0usize; hits.len()];
    let mut next = first.clone();
    for &(index, offset) in &hits {
        at[next[index as usize] as usize] = offset;
        next[index as usize] += 1;
    }
    Occurrences { first, at }
}

/// The key of a 16-byte window: its two halves, each read as one little-endian word, mixed by
/// multiplication (the top bits of the product depend on every bit of both halves).
fn key(window: &[u8]) -> u64 {
    let (low, high) = window.split_at(8);
    let low = u64::from_le_bytes(low.try_into().unwrap_or_default());
    let high = u64::from_le_bytes(high[..8].try_into().unwrap_or_default());
    (low.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ high).wrapping_mul(0xff51_afd7_ed55_8ccd)
}

/// Which of the filter's 65,536 bits a key sets: its top bits, the best mixed.
fn filter_bit(key: u64) -> usize {
    usize::from(u16::try_from(key >> 48).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence, overlapping ones included, by trying every char boundary.
    fn brute(text: &str, pattern: &str) -> Vec<usize> {
        text.char_indices().map(|(at, _)| at).filter(|&at| text[at..].starts_with(pattern)).collect()
    }

    #[test]
    fn finds_overlapping_long_and_short_patterns() {
        let text = "aaaa “said” the minister said the minister said the minister, é";
        let patterns = ["the minister said the", "aa", "é", "minister,", "absent from the text!!"];
        let found = find_all(text, &patterns);
        assert_eq!(found.of(0), [text.find("the minister said").unwrap(), text.rfind("the minister said").unwrap()]);
        assert_eq!(found.of(1), [0, 1, 2]);
        for (index, pattern) in patterns.iter().enumerate() {
            assert_eq!(found.of(index), brute(text, pattern), "{pattern}");
        }
        assert_eq!(found.of(patterns.len()), [] as [usize; 0]);
    }

    #[test]
    fn patterns_sharing_their_first_sixteen_bytes_are_each_found_where_they_are() {
        // Sentences from templates share long heads ("The city council approved $"), repeat, overlap,
        // and end the text; the keys of their windows collide on purpose here.
        let sentences = [
            "The city council approved $4 million for the bridge.",
            "The city council approved $40 million for the landfill.",
            "The city council approved $4 million for the bridge in May.",
            "“We waited 12 years for someone to listen,” said Zoë Kraus.",
            "said Zoë Kraus. The city council approved $4 million",
        ];
        let text: String = (0..40).map(|i| sentences[(i * 7) % 4]).collect::<Vec<_>>().join(" ") + " " + sentences[4];
        let mut patterns: Vec<&str> = sentences.to_vec();
        patterns.push("The city council approved $4");
        patterns.push("");
        patterns.push(&text);
        let found = find_all(&text, &patterns);
        for (index, pattern) in patterns.iter().enumerate() {
            let expected = if pattern.is_empty() { Vec::new() } else { brute(&text, pattern) };
            assert_eq!(found.of(index), expected, "{pattern}");
        }
        // Many occurrences, and the last pattern also at the very end of the text.
        assert!(found.of(0).len() > 5 && found.of(4).last() == Some(&(text.len() - sentences[4].len())));
    }
}
