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
    /// For long lines: character and UTF-16 counts from the start of the text to every
    /// [`CHECKPOINT`]-th byte, made on first use, so that a column on a 1 MiB line costs at
    /// most [`CHECKPOINT`] bytes of scanning rather than the whole line.
    checkpoints: std::sync::OnceLock<Vec<(usize, usize)>>,
}

/// The spacing of [`LineIndex`] checkpoints, in bytes.
const CHECKPOINT: usize = 4096;

/// Characters and UTF-16 units that start in `bytes` (which are part of valid UTF-8): every
/// byte that is not a continuation byte starts a character; four-byte ones take two units.
fn count_units(bytes: &[u8]) -> (usize, usize) {
    let chars = bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count();
    let astral = bytes.iter().filter(|&&b| b >= 0xf0).count();
    (chars, chars + astral)
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts, checkpoints: std::sync::OnceLock::new() }
    }

    /// The index for a text whose lines (`full` ranges, line endings included) are known:
    /// the parser has them already, so the text is not scanned again.
    pub(crate) fn from_lines(text: &str, lines: &[crate::syntax::lines::Line]) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(lines.len() + 1);
        line_starts.push(0);
        line_starts.extend(lines.iter().map(|l| l.full.end).filter(|&end| end > 0 && bytes[end - 1] == b'\n'));
        LineIndex { line_starts, checkpoints: std::sync::OnceLock::new() }
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

    /// Characters and UTF-16 units that start before `offset`, counted from the text start.
    fn units_before(&self, text: &str, offset: usize) -> (usize, usize) {
        let bytes = text.as_bytes();
        let checkpoints = self.checkpoints.get_or_init(|| {
            let mut sums = vec![(0, 0)];
            let (mut chars, mut utf16) = (0, 0);
            for block in bytes.chunks(CHECKPOINT) {
                let (c, u) = count_units(block);
                chars += c;
                utf16 += u;
                sums.push((chars, utf16));
            }
            sums
        });
        let block = offset / CHECKPOINT;
        let (chars, utf16) = checkpoints[block];
        let (c, u) = count_units(&bytes[block * CHECKPOINT..offset]);
        (chars + c, utf16 + u)
    }

    /// The line and column of a byte offset; an offset inside a multi-byte character counts
    /// as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        if offset - start > 2 * CHECKPOINT {
            let (chars_start, utf16_start) = self.units_before(text, start);
            let (chars, utf16) = self.units_before(text, offset);
            return LineCol { line: line + 1, column: chars - chars_start + 1, column_utf16: utf16 - utf16_start + 1 };
        }
        let (column, column_utf16) = count_units(&text.as_bytes()[start..offset]);
        LineCol { line: line + 1, column: column + 1, column_utf16: column_utf16 + 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_from_the_parsers_lines_matches_a_fresh_scan() {
        for text in ["", "a", "a\n", "a\r\nb", "\u{feff}FROM a\n\nRUN b\r\n", "\n\n", "x\ny\nz"] {
            let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
            let lines = crate::syntax::lines::split_lines(text, start);
            assert_eq!(LineIndex::from_lines(text, &lines).line_starts, LineIndex::new(text).line_starts, "{text:?}");
        }
    }

    #[test]
    fn line_col_counts_characters_and_utf16_units() {
        let text = "ab\n☃x𝄞y\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1, column_utf16: 1 });
        let y = text.find('y').unwrap();
        assert_eq!(index.line_col(text, y), LineCol { line: 2, column: 4, column_utf16: 5 });
        assert_eq!(index.line_col(text, text.len()).line, 3);
        // Inside a multi-byte character: that character counts.
        assert_eq!(index.line_col(text, 4), LineCol { line: 2, column: 2, column_utf16: 2 });
    }

    #[test]
    fn long_lines_use_checkpoints_and_agree_with_a_scan() {
        let line = "a☃𝄞é".repeat(5000);
        let text = format!("x\n{line}\n{line}");
        let index = LineIndex::new(&text);
        let scan = |offset: usize| {
            let start = text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let mut column = 1;
            let mut utf16 = 1;
            for (i, ch) in text[start..].char_indices() {
                if start + i >= offset {
                    break;
                }
                column += 1;
                utf16 += ch.len_utf16();
            }
            (column, utf16)
        };
        for offset in (0..text.len()).step_by(997).chain([text.len(), text.len() - 1, 2 + line.len()]) {
            let at = index.line_col(&text, offset);
            assert_eq!((at.column, at.column_utf16), scan(offset), "offset {offset}");
        }
    }
}
