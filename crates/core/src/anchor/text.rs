//! Code point offsets over UTF-8 text.
//!
//! The W3C model counts Unicode code points, Rust strings are indexed by bytes. Every conversion goes
//! through [`Chars`], which is free for ASCII text and a table of char starts otherwise, so a lookup is a
//! binary search rather than a walk from the start of a 100 KB draft.

/// A text with a code point ↔ byte index.
#[derive(Debug)]
pub(crate) struct Chars<'a> {
    /// The text itself.
    pub(crate) text: &'a str,
    /// Byte offset of every char, then the text's length; empty when the text is ASCII (identity).
    starts: Vec<u32>,
}

impl<'a> Chars<'a> {
    /// Indexes `text` (one pass; none at all for ASCII).
    pub(crate) fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return Chars { text, starts: Vec::new() };
        }
        let mut starts: Vec<u32> = text.char_indices().map(|(byte, _)| to_u32(byte)).collect();
        starts.push(to_u32(text.len()));
        Chars { text, starts }
    }

    /// Length in code points.
    pub(crate) fn len(&self) -> u32 {
        if self.starts.is_empty() {
            to_u32(self.text.len())
        } else {
            to_u32(self.starts.len() - 1)
        }
    }

    /// Byte offset of code point `cp` (`cp == len` gives the text's length); `None` past the end.
    pub(crate) fn byte(&self, cp: u32) -> Option<usize> {
        if self.starts.is_empty() {
            let cp = cp as usize;
            (cp <= self.text.len()).then_some(cp)
        } else {
            self.starts.get(cp as usize).map(|&byte| byte as usize)
        }
    }

    /// Code point offset of `byte`, which must be a char boundary (rounded down otherwise).
    pub(crate) fn cp(&self, byte: usize) -> u32 {
        if self.starts.is_empty() {
            return to_u32(byte);
        }
        let byte = to_u32(byte);
        match self.starts.binary_search(&byte) {
            Ok(index) => to_u32(index),
            Err(index) => to_u32(index.saturating_sub(1)),
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
}
