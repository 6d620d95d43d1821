//! The exec-form test: is an argument a JSON array of strings?
//!
//! BuildKit decodes the text with Go's `encoding/json` into `[]any`. Three outcomes matter:
//! the text is not valid JSON (then the instruction is in shell form), it is a valid array
//! whose elements are all strings (exec form), or it is valid JSON with a non-string element
//! (a hard parse error). This module reproduces that, without recursion so that deeply nested
//! input cannot overflow the stack.

/// The outcome of reading an argument as JSON.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// Not a JSON array: the caller falls back to shell form.
    NotJson,
    /// Valid JSON, but an element is not a string: BuildKit rejects the file.
    NotStringArray,
    /// The decoded strings, each with its byte range (quotes included) in the input.
    Strings(Vec<(String, usize, usize)>),
}

/// Reads `s` as BuildKit's `parseJSON` does: leading whitespace skipped, must start with `[`,
/// and the whole text must be one JSON value (trailing whitespace allowed, trailing text not:
/// BuildKit since v0.13 uses `json.Unmarshal`).
pub(crate) fn parse_json_array(s: &str) -> JsonArray {
    let start = s.len() - s.trim_start_matches(char::is_whitespace).len();
    let bytes = s.as_bytes();
    if bytes.get(start) != Some(&b'[') {
        return JsonArray::NotJson;
    }
    let mut reader = Reader { bytes, pos: start };
    let mut elements = Vec::new();
    let mut all_strings = true;
    if reader.top_level_array(&mut elements, &mut all_strings).is_none() {
        return JsonArray::NotJson;
    }
    reader.skip_ws();
    if reader.pos != bytes.len() {
        return JsonArray::NotJson;
    }
    if !all_strings {
        return JsonArray::NotStringArray;
    }
    JsonArray::Strings(
        elements.into_iter().map(|(a, b)| (decode_string(&s[a + 1..b - 1]), a, b)).collect(),
    )
}

/// The string members of the object `member` in a JSON document's top-level object, in order
/// (`scripts` of a package.json): `None` when the text is not a JSON object, an empty list when
/// the member is missing or not an object. Members that are not strings are left out.
pub(crate) fn object_member_strings(s: &str, member: &str) -> Option<Vec<(String, String)>> {
    let bytes = s.trim_start_matches('\u{feff}').as_bytes();
    let mut reader = Reader { bytes, pos: 0 };
    let mut found = Vec::new();
    reader.skip_ws();
    reader.eat(b'{')?;
    reader.skip_ws();
    if reader.eat(b'}').is_none() {
        loop {
            let key = reader.key()?;
            reader.skip_ws();
            if key == member && reader.peek()? == b'{' {
                reader.pos += 1;
                reader.skip_ws();
                if reader.eat(b'}').is_none() {
                    loop {
                        let name = reader.key()?;
                        reader.skip_ws();
                        let begin = reader.pos;
                        if reader.peek()? == b'"' {
                            reader.string()?;
                            let inner = std::str::from_utf8(&bytes[begin + 1..reader.pos - 1]).ok()?;
                            found.push((name, decode_string(inner)));
                        } else {
                            reader.value()?;
                        }
                        if reader.next_member()? {
                            break;
                        }
                    }
                }
            } else {
                reader.value()?;
            }
            if reader.next_member()? {
                break;
            }
        }
    }
    reader.skip_ws();
    (reader.pos == bytes.len()).then_some(found)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.pos += 1)
    }

    /// The top-level array: records each element's range and whether all are strings.
    fn top_level_array(
        &mut self,
        elements: &mut Vec<(usize, usize)>,
        all_strings: &mut bool,
    ) -> Option<()> {
        self.eat(b'[')?;
        self.skip_ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.skip_ws();
            let begin = self.pos;
            if self.peek()? == b'"' {
                self.string()?;
                elements.push((begin, self.pos));
            } else {
                *all_strings = false;
                self.value()?;
            }
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Any JSON value, nested containers included, tracked with an explicit stack.
    fn value(&mut self) -> Option<()> {
        // Each entry is the closing byte expected; `expect_value` says what may come next.
        let mut stack: Vec<u8> = Vec::new();
        loop {
            self.skip_ws();
            // Read one value (or open a container).
            match self.peek()? {
                b'"' => self.string()?,
                b'[' | b'{' => {
                    let open = self.peek()?;
                    self.pos += 1;
                    self.skip_ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.eat(close).is_none() {
                        stack.push(close);
                        if close == b'}' {
                            self.object_key()?;
                        }
                        continue;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&close) = stack.last() else { return Some(()) };
                self.skip_ws();
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        if close == b'}' {
                            self.skip_ws();
                            self.object_key()?;
                        }
                        break;
                    }
                    c if c == close => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// An object member's key and its colon, decoded.
    fn key(&mut self) -> Option<String> {
        self.skip_ws();
        let begin = self.pos;
        self.string()?;
        let inner = std::str::from_utf8(&self.bytes[begin + 1..self.pos - 1]).ok()?;
        self.skip_ws();
        self.eat(b':')?;
        Some(decode_string(inner))
    }

    /// After an object member: `Some(false)` at a comma, `Some(true)` at the closing brace.
    fn next_member(&mut self) -> Option<bool> {
        self.skip_ws();
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(false)
            }
            b'}' => {
                self.pos += 1;
                Some(true)
            }
            _ => None,
        }
    }

    fn object_key(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek()? != b'"' {
            return None;
        }
        self.string()?;
        self.skip_ws();
        self.eat(b':')
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.').is_some() {
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        Some(())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// A string literal: control characters are invalid, escapes must be well formed.
    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\\' => {
                    self.pos += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 1,
                        b'u' => {
                            let hex = self.bytes.get(self.pos + 1..self.pos + 5)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.pos += 5;
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                _ => self.pos += 1,
            }
        }
    }
}

/// Decodes the inside of a validated JSON string. Lone surrogates become U+FFFD, as in Go.
fn decode_string(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let (_, esc) = chars.next().expect("validated escape");
        match esc {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let unit = hex4(&inner[i + 2..i + 6]);
                for _ in 0..4 {
                    chars.next();
                }
                let decoded = if (0xd800..0xdc00).contains(&unit) {
                    // A high surrogate takes the following `\uXXXX` only if it is a low one.
                    let rest = &inner[i + 6..];
                    let low = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .map(hex4)
                        .filter(|low| (0xdc00..0xe000).contains(low));
                    match low {
                        Some(low) => {
                            for _ in 0..6 {
                                chars.next();
                            }
                            char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))
                        }
                        None => None,
                    }
                } else {
                    char::from_u32(unit)
                };
                out.push(decoded.unwrap_or('\u{fffd}'));
            }
            other => out.push(other),
        }
    }
    out
}

fn hex4(s: &str) -> u32 {
    u32::from_str_radix(s, 16).unwrap_or(0xfffd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_members_of_one_object() {
        let package = r#"{"name": "app", "version": "1.0.0", "files": ["a", {"b": 1}],
            "scripts": {"start": "node server.js", "test": "node --test", "n": 3, "esc": "a\"b"},
            "private": true}"#;
        assert_eq!(
            object_member_strings(package, "scripts"),
            Some(vec![
                ("start".into(), "node server.js".into()),
                ("test".into(), "node --test".into()),
                ("esc".into(), "a\"b".into()),
            ])
        );
        assert_eq!(object_member_strings(r#"{"name": "x"}"#, "scripts"), Some(vec![]));
        assert_eq!(object_member_strings(r#"{"scripts": "x"}"#, "scripts"), Some(vec![]));
        assert_eq!(object_member_strings("{}", "scripts"), Some(vec![]));
        assert_eq!(object_member_strings(r#"{"scripts": {"start": "a"}"#, "scripts"), None);
        assert_eq!(object_member_strings("[1]", "scripts"), None);
        assert_eq!(object_member_strings(r#"{"a": 1} x"#, "scripts"), None);
    }

    fn strings(s: &str) -> Vec<String> {
        match parse_json_array(s) {
            JsonArray::Strings(v) => v.into_iter().map(|(s, _, _)| s).collect(),
            other => panic!("{s:?}: {other:?}"),
        }
    }

    #[test]
    fn reads_string_arrays() {
        assert_eq!(strings(r#"["a", "b"]"#), ["a", "b"]);
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(strings(" [\t\"x\"\t] "), ["x"]);
        assert_eq!(strings(r#"["\" \\ \/ \b \f \n \r \t \u0000 \u2603"]"#), ["\" \\ / \u{8} \u{c} \n \r \t \u{0} ☃"]);
        assert_eq!(strings(r#"["\ud83d\ude00", "\ud800x"]"#), ["😀", "\u{fffd}x"]);
    }

    #[test]
    fn tells_invalid_json_from_non_string_arrays() {
        for text in ["['a']", "[\"a\"", "[\"a\",]", "[\"a\"] b", "x", "[\"\t\"]", "[01]"] {
            assert_eq!(parse_json_array(text), JsonArray::NotJson, "{text}");
        }
        for text in ["[1]", "[\"a\", [\"b\"]]", "[null]", "[{\"a\": [1, {}]}, \"x\"]"] {
            assert_eq!(parse_json_array(text), JsonArray::NotStringArray, "{text}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!("[{}{}]", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse_json_array(&deep), JsonArray::NotStringArray);
    }
}
