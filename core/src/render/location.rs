//! Byte ranges as lines and columns.

use serde::Serialize;

use crate::syntax::{LineIndex, TextRange};

/// Where something is, for people and editors. Lines and columns are 1-based; `column` counts
/// Unicode scalar values, `column_utf16` UTF-16 code units. `end_*` are exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub column_utf16: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub end_column_utf16: usize,
    pub offset: usize,
    pub end_offset: usize,
}

impl Location {
    pub fn of(text: &str, index: &LineIndex, range: TextRange) -> Location {
        let start = index.line_col(text, range.start);
        let end = index.line_col(text, range.end);
        Location {
            line: start.line,
            column: start.column,
            column_utf16: start.column_utf16,
            end_line: end.line,
            end_column: end.column,
            end_column_utf16: end.column_utf16,
            offset: range.start,
            end_offset: range.end,
        }
    }
}
