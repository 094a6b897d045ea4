//! Every occurrence of many quotes in one text, in one pass.
//!
//! Quotes are sentence-sized and a draft has about a thousand of them, so instead of building an
//! automaton for 100 KB of patterns each time a draft changes, a rolling hash of the text's 16-byte
//! windows is looked up against the hashes of the quotes' first 16 bytes, and only a hit is compared in
//! full. Quotes shorter than the window are searched for one by one (they are rare: claims are sentences).

use std::collections::HashMap;

/// Window of the rolling hash, in bytes.
const WINDOW: usize = 16;
/// Odd multiplier of the polynomial hash.
const BASE: u64 = 0x0100_0000_01b3;

/// Byte offsets of all occurrences, overlapping ones included, of each pattern in `text`.
pub(crate) fn find_all(text: &str, patterns: &[&str]) -> Vec<Vec<usize>> {
    let mut found: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    let bytes = text.as_bytes();
    let mut by_head: HashMap<u64, Vec<usize>> = HashMap::new();
    // A 64 Ki-bit filter on the hash so that most windows skip the map.
    let mut filter = vec![0u64; 1024];
    for (index, pattern) in patterns.iter().enumerate() {
        if pattern.is_empty() {
            continue;
        }
        if pattern.len() < WINDOW {
            let mut from = 0;
            while let Some(at) = text.get(from..).and_then(|rest| rest.find(pattern)) {
                found[index].push(from + at);
                // Step one char, not one byte, so the next search starts on a char boundary.
                from += at + text[from + at..].chars().next().map_or(1, char::len_utf8);
            }
            continue;
        }
        let head = hash(&pattern.as_bytes()[..WINDOW]);
        let bit = filter_bit(head);
        filter[bit / 64] |= 1 << (bit % 64);
        by_head.entry(head).or_default().push(index);
    }
    if by_head.is_empty() || bytes.len() < WINDOW {
        return found;
    }
    let mut power = 1u64;
    for _ in 1..WINDOW {
        power = power.wrapping_mul(BASE);
    }
    let mut rolling = hash(&bytes[..WINDOW]);
    for start in 0..=bytes.len() - WINDOW {
        if start > 0 {
            rolling = rolling
                .wrapping_sub(u64::from(bytes[start - 1]).wrapping_mul(power))
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(bytes[start + WINDOW - 1]));
        }
        let bit = filter_bit(rolling);
        if filter[bit / 64] & (1 << (bit % 64)) == 0 {
            continue;
        }
        if let Some(indices) = by_head.get(&rolling) {
            for &index in indices {
                let pattern = patterns[index].as_bytes();
                if bytes.get(start..start + pattern.len()) == Some(pattern) {
                    found[index].push(start);
                }
            }
        }
    }
    found
}

/// The polynomial hash the rolling one reproduces.
fn hash(window: &[u8]) -> u64 {
    window.iter().fold(0u64, |acc, &byte| acc.wrapping_mul(BASE).wrapping_add(u64::from(byte)))
}

/// Which of the filter's 65,536 bits a hash sets (mixed, because a polynomial hash's top bits are weak).
fn filter_bit(hash: u64) -> usize {
    usize::from(u16::try_from(hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_overlapping_long_and_short_patterns() {
        let text = "aaaa “said” the minister said the minister said the minister, é";
        let patterns = ["the minister said the", "aa", "é", "minister,", "absent from the text!!"];
        let found = find_all(text, &patterns);
        let expected: Vec<Vec<usize>> =
            patterns.iter().map(|p| text.match_indices(p).map(|(i, _)| i).collect()).collect();
        assert_eq!(found[0], vec![text.find("the minister said").unwrap(), text.rfind("the minister said").unwrap()]);
        assert_eq!(found[1], vec![0, 1, 2]);
        assert_eq!(found[2..], expected[2..]);
    }
}
