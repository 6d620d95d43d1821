//! Small text primitives that reproduce the exact behaviour of the Go functions BuildKit's
//! parser is written with. Each one names the Go function it stands for, because the parser
//! must agree with BuildKit byte for byte, including in its odd corners.

/// Go's `unicode.IsSpace` on a rune. Rust's `char::is_whitespace` is the same Unicode
/// `White_Space` set (tab, newline, vertical tab, form feed, carriage return, space, U+0085,
/// U+00A0, and the `Zs`/`Zl`/`Zp` spaces).
pub(crate) fn is_space(ch: char) -> bool {
    ch.is_whitespace()
}

/// Go's `unicode.IsSpace(rune(b))` applied to a single byte, as BuildKit's flag and
/// HEALTHCHECK splitters do. Bytes 0x85 and 0xA0 count as spaces even when they are the tail of
/// a multi-byte UTF-8 character: BuildKit behaves that way and so do we.
pub(crate) fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// The characters of BuildKit's `reWhitespace` (`[\t\v\f\r ]+`): ASCII only, no newline.
pub(crate) fn is_re_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Go's `strings.TrimSpace`, returned as the byte range of the kept part.
pub(crate) fn trim_space_range(s: &str) -> (usize, usize) {
    let start = s.len() - s.trim_start_matches(is_space).len();
    let end = s.trim_end_matches(is_space).len();
    if start >= end {
        (start, start)
    } else {
        (start, end)
    }
}

/// Go's `regexp.MustCompile("[\t\v\f\r ]+").Split(s, -1)`, as byte ranges.
pub(crate) fn split_re_whitespace(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if is_re_whitespace(bytes[i]) {
            let ws_start = i;
            while i < bytes.len() && is_re_whitespace(bytes[i]) {
                i += 1;
            }
            parts.push((start, ws_start));
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push((start, bytes.len()));
    parts
}

/// The first run of `reWhitespace` in `s`: `(start, end)` of the run.
pub(crate) fn find_re_whitespace(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let start = bytes.iter().position(|&b| is_re_whitespace(b))?;
    let mut end = start;
    while end < bytes.len() && is_re_whitespace(bytes[end]) {
        end += 1;
    }
    Some((start, end))
}

/// Go's `strconv.Quote`, used only for BuildKit's AST dump format.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_print(c) => out.push(c),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space. Rust's standard library has no general-category table, so this excludes
/// what is certainly not printable (controls, non-ASCII spaces, format characters, surrogates,
/// private use) and accepts the rest.
fn is_go_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    let format = matches!(u, 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e
        | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f
        | 0xfeff | 0xfff9..=0xfffb | 0x110bd | 0xe0001 | 0xe0020..=0xe007f);
    let private = matches!(u, 0xe000..=0xf8ff | 0xf0000..=0x10ffff);
    let noncharacter = matches!(u, 0xfdd0..=0xfdef) || (u & 0xfffe) == 0xfffe;
    !(format || private || noncharacter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\u{0}\t♥"), r#""\x00\t♥""#);
        assert_eq!(go_quote("\u{a0}"), r#""\u00a0""#);
    }

    #[test]
    fn splits_like_re_whitespace() {
        assert_eq!(split_re_whitespace("a  b\tc"), [(0, 1), (3, 4), (5, 6)]);
        assert_eq!(split_re_whitespace(""), [(0, 0)]);
        assert_eq!(trim_space_range("  a b \n"), (2, 5));
        assert_eq!(trim_space_range("   "), (3, 3));
    }
}
