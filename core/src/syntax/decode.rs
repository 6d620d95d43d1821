//! Turning raw bytes into Dockerfile text, with a positioned error for what is not text or
//! is beyond the size limits.

use std::fmt;

/// The largest file dfharden reads: 4 MiB. The largest Dockerfile of the test corpus is
/// under 64 KiB; anything near this size is generated or hostile, and refusing it keeps
/// memory and time bounded whatever the input.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The longest line dfharden reads: 1 MiB (line ending not counted).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Why bytes are not a Dockerfile we can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: DecodeErrorKind,
    /// Byte offset of the first offending byte.
    pub offset: usize,
    /// 1-based line and column (in characters) of that byte.
    pub line: usize,
    pub column: usize,
    /// For [`DecodeErrorKind::FileTooLarge`] and [`DecodeErrorKind::LineTooLong`], the size
    /// in bytes of the file or line; otherwise 0.
    pub length: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// A NUL byte: this is a binary file, not a Dockerfile.
    Binary,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// More than [`MAX_FILE_BYTES`]; the position is the first byte past the limit.
    FileTooLarge,
    /// A line longer than [`MAX_LINE_BYTES`]; the position is the first byte past the limit.
    LineTooLong,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line, self.column)?;
        match self.kind {
            DecodeErrorKind::Binary => write!(f, "binary data (a NUL byte); a Dockerfile is text"),
            DecodeErrorKind::InvalidUtf8 => write!(f, "invalid UTF-8; a Dockerfile must be UTF-8 text"),
            DecodeErrorKind::FileTooLarge => write!(
                f,
                "the file is larger than {} ({} bytes); dfharden reads Dockerfiles up to that size",
                mib(MAX_FILE_BYTES),
                self.length
            ),
            DecodeErrorKind::LineTooLong => write!(
                f,
                "line {} is longer than {} ({} bytes); dfharden reads lines up to that length",
                self.line,
                mib(MAX_LINE_BYTES),
                self.length
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

fn mib(bytes: usize) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// Checks that `bytes` are UTF-8 text without NUL bytes within the size limits
/// ([`check_limits`]), and returns them as `&str`.
pub fn decode(bytes: &[u8]) -> Result<&str, DecodeError> {
    let (kind, offset) = match std::str::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            None => return check_limits(text).map(|()| text),
            Some(nul) => (DecodeErrorKind::Binary, nul),
        },
        Err(e) => {
            let valid = e.valid_up_to();
            // A NUL before the bad byte says "binary" more truthfully than "bad UTF-8".
            match bytes[..valid].iter().position(|&b| b == 0) {
                Some(nul) => (DecodeErrorKind::Binary, nul),
                None => (DecodeErrorKind::InvalidUtf8, valid),
            }
        }
    };
    let before = String::from_utf8_lossy(&bytes[..offset]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Err(DecodeError { kind, offset, line, column, length: 0 })
}

/// Checks the size limits: at most [`MAX_FILE_BYTES`] in all and [`MAX_LINE_BYTES`] a line.
/// The parser itself never refuses anything (and stays linear on any input); this is where a
/// tool that reads files draws the line, with a positioned error. Linear in the text.
pub fn check_limits(text: &str) -> Result<(), DecodeError> {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    // Lines first, so that a huge file made of one huge line names the line.
    while line_start <= bytes.len() {
        let end = bytes[line_start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| line_start + i);
        let mut content_end = end;
        while content_end > line_start && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        let length = content_end - line_start;
        if length > MAX_LINE_BYTES {
            return Err(limit_error(text, DecodeErrorKind::LineTooLong, line_start + MAX_LINE_BYTES, line, line_start, length));
        }
        if end >= MAX_FILE_BYTES && bytes.len() > MAX_FILE_BYTES {
            break;
        }
        line += 1;
        line_start = end + 1;
    }
    if bytes.len() > MAX_FILE_BYTES {
        let offset = MAX_FILE_BYTES;
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        let start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        return Err(limit_error(text, DecodeErrorKind::FileTooLarge, offset, line, start, bytes.len()));
    }
    Ok(())
}

fn limit_error(text: &str, kind: DecodeErrorKind, offset: usize, line: usize, line_start: usize, length: usize) -> DecodeError {
    // Columns count characters; an offset inside a character counts as that character.
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let column = text[line_start..end].chars().count() + 1;
    DecodeError { kind, offset, line, column, length }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_bad_bytes() {
        assert_eq!(decode(b"FROM a\n").unwrap(), "FROM a\n");
        let err = decode(b"FROM a\nRUN \xff\n").unwrap_err();
        assert_eq!((err.kind, err.line, err.column), (DecodeErrorKind::InvalidUtf8, 2, 5));
        let err = decode(b"\x7fELF\x00\x01").unwrap_err();
        assert_eq!((err.kind, err.line, err.column), (DecodeErrorKind::Binary, 1, 5));
    }

    #[test]
    fn refuses_what_is_over_the_limits() {
        let line = format!("FROM a\r\nRUN {}\r\n", "é".repeat(MAX_LINE_BYTES / 2));
        let err = decode(line.as_bytes()).unwrap_err();
        assert_eq!((err.kind, err.line, err.length), (DecodeErrorKind::LineTooLong, 2, MAX_LINE_BYTES + 4));
        assert_eq!(err.column, 4 + (MAX_LINE_BYTES - 4) / 2 + 1);
        let ok = format!("RUN {}\r\n", "x".repeat(MAX_LINE_BYTES - 4));
        assert!(decode(ok.as_bytes()).is_ok());
        let big = "RUN x\n".repeat(MAX_FILE_BYTES / 6 + 1);
        let err = decode(big.as_bytes()).unwrap_err();
        assert_eq!((err.kind, err.offset, err.length), (DecodeErrorKind::FileTooLarge, MAX_FILE_BYTES, big.len()));
        assert_eq!(err.line, MAX_FILE_BYTES / 6 + 1);
        assert_eq!(err.to_string(), format!("{}:{}: the file is larger than 4 MiB ({} bytes); dfharden reads Dockerfiles up to that size", err.line, err.column, big.len()));
    }
}
