//! Code point offsets over UTF-8 text.
//!
//! The W3C model counts Unicode code points, Rust strings are indexed by bytes. Every conversion goes
//! through [`Chars`], which is free for ASCII text and otherwise keeps two small tables: the code points
//! before every 64-byte block, and the byte offset of every 64th code point. A lookup is one table entry,
//! then, only where the 64 bytes or chars from it are not all ASCII, a count of char starts within them.
//! A table of every char's start, as first written, cost more to build for two 100 KB drafts (400 KB
//! each, grown and page-faulted on every re-anchoring) than all the lookups of a thousand claims.

/// Bytes per block of [`Chars::blocks`], and code points between two of [`Chars::marks`].
const BLOCK: usize = 64;

/// A text with a code point ↔ byte index.
#[derive(Debug)]
pub(crate) struct Chars<'a> {
    /// The text itself.
    pub(crate) text: &'a str,
    /// Code points before each 64-byte block (`blocks[i]`: before byte `64 * i`); empty when the text is
    /// ASCII (identity).
    blocks: Vec<u32>,
    /// Byte offset of every 64th code point (`marks[i]`: of code point `64 * i`), then the text's length.
    marks: Vec<u32>,
    /// Length in code points.
    len: u32,
}

/// Whether `byte` starts a char (is not a UTF-8 continuation byte).
fn starts_char(byte: u8) -> bool {
    (byte as i8) >= -0x40
}

/// How many chars start in `bytes`.
fn count_starts(bytes: &[u8]) -> u32 {
    // At most 64 bytes: the count fits.
    #[allow(clippy::cast_possible_truncation)]
    let count = bytes.iter().filter(|&&byte| starts_char(byte)).count() as u32;
    count
}

/// One bit per byte of an 8-byte word (the byte's top bit, in little-endian order) set where a char
/// starts: where the byte is not `0b10xx_xxxx`.
fn start_bits(word: &[u8]) -> u64 {
    let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
    // A continuation byte has its top bit set and the next one clear; `word << 1` brings each byte's
    // second bit to its top bit.
    let continuation = word & !(word << 1) & 0x8080_8080_8080_8080;
    !continuation & 0x8080_8080_8080_8080
}

/// The offset in `block` of the char start with `nth` char starts before it.
fn nth_start(block: &[u8], mut nth: usize) -> Option<usize> {
    let mut words = block.chunks_exact(8);
    for (index, word) in words.by_ref().enumerate() {
        let mut bits = start_bits(word);
        let count = bits.count_ones() as usize;
        if nth < count {
            for _ in 0..nth {
                bits &= bits - 1;
            }
            return Some(index * 8 + bits.trailing_zeros() as usize / 8);
        }
        nth -= count;
    }
    let rest = words.remainder();
    let from = block.len() - rest.len();
    rest.iter().enumerate().filter(|&(_, &byte)| starts_char(byte)).nth(nth).map(|(at, _)| from + at)
}

impl<'a> Chars<'a> {
    /// Indexes `text` (one pass; none at all for ASCII).
    pub(crate) fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return Chars { text, blocks: Vec::new(), marks: Vec::new(), len: to_u32(text.len()) };
        }
        let bytes = text.as_bytes();
        let mut blocks: Vec<u32> = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut marks: Vec<u32> = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut before = 0u32;
        for (index, block) in bytes.chunks(BLOCK).enumerate() {
            blocks.push(before);
            // A full block is read as eight words, each word's char starts as one bit per byte (see
            // `start_bits`): a count is a popcount, and the 64th char is found word by word, not byte by
            // byte (this runs for both drafts on every re-anchoring).
            let count = if block.len() == BLOCK {
                block.chunks_exact(8).map(|word| start_bits(word).count_ones()).sum()
            } else {
                count_starts(block)
            };
            // A block holds at most 64 chars, so at most one 64th char starts in it.
            let mark = before.next_multiple_of(to_u32(BLOCK));
            if mark < before + count {
                marks.extend(nth_start(block, (mark - before) as usize).map(|at| to_u32(index * BLOCK + at)));
            }
            before += count;
        }
        blocks.push(before);
        marks.push(to_u32(bytes.len()));
        Chars { text, blocks, marks, len: before }
    }

    /// Length in code points.
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    /// Byte offset of code point `cp` (`cp == len` gives the text's length); `None` past the end.
    pub(crate) fn byte(&self, cp: u32) -> Option<usize> {
        if self.blocks.is_empty() {
            let cp = cp as usize;
            return (cp <= self.text.len()).then_some(cp);
        }
        if cp >= self.len {
            return (cp == self.len).then_some(self.text.len());
        }
        let (mark, skip) = (cp as usize / BLOCK, cp as usize % BLOCK);
        let from = self.marks[mark] as usize;
        // 64 chars in 64 bytes: all ASCII, one byte each (the last mark, the text's end, may be fewer
        // chars on).
        if (mark + 1) * BLOCK <= self.len as usize && self.marks[mark + 1] as usize - from == BLOCK {
            return Some(from + skip);
        }
        let mut left = skip;
        for (at, &byte) in self.text.as_bytes()[from..].iter().enumerate() {
            if starts_char(byte) {
                if left == 0 {
                    return Some(from + at);
                }
                left -= 1;
            }
        }
        Some(self.text.len())
    }

    /// Code point offset of `byte`, which must be a char boundary (rounded down otherwise).
    pub(crate) fn cp(&self, byte: usize) -> u32 {
        if self.blocks.is_empty() {
            return to_u32(byte);
        }
        if byte >= self.text.len() {
            return self.len;
        }
        let block = byte / BLOCK;
        let from = block * BLOCK;
        // 64 chars start in the block: every byte starts one.
        if self.blocks[block + 1] - self.blocks[block] == to_u32(BLOCK) {
            return self.blocks[block] + to_u32(byte - from);
        }
        let before = self.blocks[block] + count_starts(&self.text.as_bytes()[from..byte]);
        // Inside a char: the char it is in, whose start was counted.
        if starts_char(self.text.as_bytes()[byte]) {
            before
        } else {
            before - 1
        }
    }

    /// The text between two code point offsets, if both are in range and in order.
    pub(crate) fn slice(&self, start: u32, end: u32) -> Option<&'a str> {
        if start > end {
            return None;
        }
        Some(&self.text[self.byte(start)?..self.byte(end)?])
    }
}

/// Offsets fit in `u32`: drafts are capped far below 4 GB by ingest, and the selectors are `u32`.
pub(crate) fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Length in code points of a string.
pub(crate) fn cp_len(text: &str) -> u32 {
    if text.is_ascii() {
        to_u32(text.len())
    } else {
        to_u32(text.chars().count())
    }
}

/// How many code points at the end of `before` equal the end of `prefix`.
pub(crate) fn common_suffix(before: &str, prefix: &str) -> u32 {
    to_u32(before.chars().rev().zip(prefix.chars().rev()).take_while(|(a, b)| a == b).count())
}

/// How many code points at the start of `after` equal the start of `suffix`.
pub(crate) fn common_prefix(after: &str, suffix: &str) -> u32 {
    to_u32(after.chars().zip(suffix.chars()).take_while(|(a, b)| a == b).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_round_trip_through_bytes() {
        let text = "a é “b” 😀 c";
        let chars = Chars::new(text);
        assert_eq!(chars.len(), cp_len(text));
        for (cp, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(chars.byte(to_u32(cp)), Some(byte));
            assert_eq!(chars.cp(byte), to_u32(cp));
        }
        assert_eq!(chars.byte(chars.len()), Some(text.len()));
        assert_eq!(chars.byte(chars.len() + 1), None);
        assert_eq!(chars.slice(8, 9), Some("😀"));
    }

    #[test]
    fn code_points_round_trip_across_blocks() {
        // Long enough for many blocks, with chars of every width straddling the blocks' edges, ASCII
        // stretches of a block or more, and every length (the last block and mark partly filled).
        let whole = format!("{}{}{}", "ab é “c” 😀 d\n\n".repeat(20), "plain ascii ".repeat(30), "é😀".repeat(40));
        for (end, _) in whole.char_indices().skip(1).step_by(7) {
            round_trip(&whole[..end]);
        }
        round_trip(&whole);
        // A last stretch of fewer than 64 chars over exactly 64 bytes is not ASCII.
        round_trip(&format!("{}{}", "a".repeat(64), "é".repeat(32)));
    }

    fn round_trip(text: &str) {
        let chars = Chars::new(text);
        let starts: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        assert_eq!(chars.len(), cp_len(text));
        if !text.is_ascii() {
            // A mark at every 64th char's start, then the text's end.
            let marks = starts.iter().step_by(BLOCK).map(|&byte| to_u32(byte)).chain([to_u32(text.len())]);
            assert_eq!(chars.marks, marks.collect::<Vec<u32>>());
        }
        for (cp, &byte) in starts.iter().enumerate() {
            assert_eq!(chars.byte(to_u32(cp)), Some(byte));
            assert_eq!(chars.cp(byte), to_u32(cp));
            // A byte inside a char rounds down to that char.
            for inside in byte + 1..starts.get(cp + 1).copied().unwrap_or(text.len()) {
                assert_eq!(chars.cp(inside), to_u32(cp));
            }
        }
        assert_eq!(chars.cp(text.len()), chars.len());
        assert_eq!(chars.byte(chars.len()), Some(text.len()));
        assert_eq!(chars.byte(chars.len() + 1), None);
    }
}
