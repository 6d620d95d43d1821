//! Byte ranges into the source, and the conversion of byte offsets into lines and columns.
//!
//! Everything in the syntax tree is positioned by byte offsets into the original text; lines
//! and columns are derived only when something is shown to a person (see `render`).

use serde::Serialize;

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub const fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        TextRange { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        TextRange { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest range that covers both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub const fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two ranges share at least one byte, or an empty range sits strictly inside.
    pub const fn overlaps(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn slice(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// A position for people: 1-based line, 1-based column counted in Unicode scalar values,
/// and the same column in UTF-16 code units (what a browser's text area counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
    pub column_utf16: usize,
}

/// Line start offsets of a text, for turning byte offsets into [`LineCol`]s.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The 0-based line that contains `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The line and column of a byte offset; an offset inside a multi-byte character counts
    /// as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let mut column = 1;
        let mut column_utf16 = 1;
        for (i, ch) in text[start..].char_indices() {
            if start + i >= offset {
                break;
            }
            column += 1;
            column_utf16 += ch.len_utf16();
        }
        LineCol { line: line + 1, column, column_utf16 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_utf16_units() {
        let text = "ab\n☃x𝄞y\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1, column_utf16: 1 });
        let y = text.find('y').unwrap();
        assert_eq!(index.line_col(text, y), LineCol { line: 2, column: 4, column_utf16: 5 });
        assert_eq!(index.line_col(text, text.len()).line, 3);
    }
}
