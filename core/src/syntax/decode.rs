//! Turning raw bytes into Dockerfile text, with a positioned error for what is not text.

use std::fmt;

/// Why bytes are not a Dockerfile we can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: DecodeErrorKind,
    /// Byte offset of the first offending byte.
    pub offset: usize,
    /// 1-based line and column (in characters) of that byte.
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// A NUL byte: this is a binary file, not a Dockerfile.
    Binary,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DecodeErrorKind::Binary => "binary data (a NUL byte); a Dockerfile is text",
            DecodeErrorKind::InvalidUtf8 => "invalid UTF-8; a Dockerfile must be UTF-8 text",
        };
        write!(f, "{}:{}: {what}", self.line, self.column)
    }
}

impl std::error::Error for DecodeError {}

/// Checks that `bytes` are UTF-8 text without NUL bytes, and returns them as `&str`.
pub fn decode(bytes: &[u8]) -> Result<&str, DecodeError> {
    let (kind, offset) = match std::str::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            None => return Ok(text),
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
    Err(DecodeError { kind, offset, line, column })
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
}
