//! Parser directives: the leading `# key=value` lines (`syntax`, `escape`, `check`).

use super::compat::is_space;

/// Reads directives line by line until the first line that is not one.
#[derive(Default)]
pub(crate) struct DirectiveParser {
    done: bool,
    seen: Vec<String>,
}

/// A directive found on a line: key (lower case) and value, as offsets into the line.
pub(crate) struct FoundDirective {
    pub name: String,
    pub value: (usize, usize),
}

impl DirectiveParser {
    /// BuildKit's `DirectiveParser.ParseLine` on a line whose leading blanks are already
    /// removed. `Ok(None)` means "not a directive"; after the first such line, no line is.
    /// A repeated key is an error.
    pub fn parse_line(&mut self, line: &str) -> Result<Option<FoundDirective>, String> {
        if self.done {
            return Ok(None);
        }
        let Some(found) = match_directive(line) else {
            self.done = true;
            return Ok(None);
        };
        if !matches!(found.name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(None);
        }
        if self.seen.contains(&found.name) {
            return Err(format!("only one {} parser directive can be used", found.name));
        }
        self.seen.push(found.name.clone());
        Ok(Some(found))
    }
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (Go's `\s` is `[\t\n\f\r ]`).
fn match_directive(line: &str) -> Option<FoundDirective> {
    let is_ws = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
    let rest = line.strip_prefix('#')?;
    // BuildKit trims Unicode spaces after `#` (bytes.TrimLeftFunc(unicode.IsSpace)).
    let key_start = line.len() - rest.trim_start_matches(is_space).len();
    let after = &line[key_start..];
    let mut key_len = 0;
    for (i, c) in after.char_indices() {
        let ok = if i == 0 { c.is_ascii_alphabetic() } else { c.is_ascii_alphanumeric() };
        if !ok {
            break;
        }
        key_len = i + c.len_utf8();
    }
    if key_len == 0 {
        return None;
    }
    let name = after[..key_len].to_ascii_lowercase();
    let after_key = &after[key_len..];
    let after_eq = after_key.trim_start_matches(is_ws).strip_prefix('=')?;
    let value_text = after_eq.trim_start_matches(is_ws);
    let value_start = line.len() - value_text.len();
    let value_end = value_start + value_text.trim_end_matches(is_ws).len();
    if value_end == value_start {
        // `(.+?)` needs one character: with only blanks after `=`, the regex backtracks and
        // the value is the last blank.
        let last = after_eq.chars().last()?;
        return Some(FoundDirective { name, value: (line.len() - last.len_utf8(), line.len()) });
    }
    Some(FoundDirective { name, value: (value_start, value_end) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_leading_directives_only() {
        let mut p = DirectiveParser::default();
        let d = p.parse_line("# Escape = ` ").unwrap().unwrap();
        assert_eq!(d.name, "escape");
        assert_eq!(&"# Escape = ` "[d.value.0..d.value.1], "`");
        assert!(p.parse_line("#syntax=docker/dockerfile:1").unwrap().is_some());
        assert!(p.parse_line("# escape=\\").is_err());
        assert!(p.parse_line("# a comment").unwrap().is_none());
        assert!(p.parse_line("# check=skip=all").unwrap().is_none(), "done after a comment");
    }

    #[test]
    fn blank_value_is_the_last_blank() {
        let d = match_directive("# escape=  ").unwrap();
        assert_eq!(d.value, (10, 11));
    }

    #[test]
    fn rejects_malformed() {
        for line in ["#", "# =x", "# 1a=x", "# key=", "# key", "FROM x"] {
            assert!(match_directive(line).is_none(), "{line}");
        }
    }
}
