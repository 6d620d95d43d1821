//! Physical lines, as BuildKit's scanner sees them: split after each `\n`, the line ending kept.

use super::text::TextRange;

/// One physical line of the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    /// The whole line including its ending.
    pub full: TextRange,
    /// The line without trailing `\r` and `\n` characters (BuildKit's `trimNewline` trims any
    /// run of them, so `a\r\r\n` has content `a`).
    pub content: TextRange,
}

impl Line {
    pub fn ending(self) -> TextRange {
        TextRange::new(self.content.end, self.full.end)
    }
}

/// Splits `text[start..]` into lines. A missing final newline still ends the last line.
pub(crate) fn split_lines(text: &str, start: usize) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(text.len() / 32 + 1);
    let mut line_start = start;
    while line_start < bytes.len() {
        let line_end = match memchr_newline(&bytes[line_start..]) {
            Some(i) => line_start + i + 1,
            None => bytes.len(),
        };
        let mut content_end = line_end;
        while content_end > line_start && matches!(bytes[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        lines.push(Line {
            full: TextRange::new(line_start, line_end),
            content: TextRange::new(line_start, content_end),
        });
        line_start = line_end;
    }
    lines
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_endings_and_trims_carriage_returns() {
        let text = "a\r\nb\n\nc";
        let lines = split_lines(text, 0);
        let contents: Vec<&str> = lines.iter().map(|l| l.content.slice(text)).collect();
        assert_eq!(contents, ["a", "b", "", "c"]);
        let fulls: Vec<&str> = lines.iter().map(|l| l.full.slice(text)).collect();
        assert_eq!(fulls.concat(), text);
    }
}
