//! Variable substitution in the places BuildKit performs it before a build starts (FROM,
//! `--platform`, `COPY --from`): `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
//! `${NAME:+alt}`, `${NAME+alt}`.

use std::collections::HashMap;

/// The outcome of expanding a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// Names that were referenced but have no value: the result is then only a guess.
    pub unresolved: Vec<String>,
}

/// How deep `${A:-${B:-...}}` defaults are expanded. Deeper nesting is left unexpanded and
/// reported as unresolved, so that hostile input can neither exhaust the stack nor cost
/// quadratic time (each level rescans the rest of the word).
pub const MAX_EXPANSION_DEPTH: usize = 16;

/// The names of the variables `word` refers to (`$NAME`, `${NAME...}`), in order, defaults
/// included (`${A:-$B}` names `A` and `B`); `\$` is not a reference.
pub fn variable_names(word: &str) -> Vec<String> {
    let bytes = word.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' => {
                let start = i + 1 + usize::from(bytes.get(i + 1) == Some(&b'{'));
                let len = bytes[start.min(bytes.len())..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
                if len > 0 {
                    let name = &word[start..start + len];
                    if !names.iter().any(|n| n == name) {
                        names.push(name.to_string());
                    }
                }
                i = start + len;
            }
            _ => i += 1,
        }
    }
    names
}

/// Expands variables in `word` from `vars`; unknown variables expand to the empty string
/// (as in BuildKit) and are listed in [`Expanded::unresolved`].
pub fn expand(word: &str, vars: &HashMap<String, String>) -> Expanded {
    expand_at(word, vars, 0)
}

fn expand_at(word: &str, vars: &HashMap<String, String>, depth: usize) -> Expanded {
    if depth > MAX_EXPANSION_DEPTH {
        // Left as written: an image name with `${` in it does not parse, so the base image
        // is reported as unknown rather than guessed.
        return Expanded { text: word.to_string(), unresolved: Vec::new() };
    }
    let expand = |w: &str, vars: &HashMap<String, String>| expand_at(w, vars, depth + 1);
    let mut out = String::with_capacity(word.len());
    let mut unresolved = Vec::new();
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() && chars[i + 1] == '$' {
            out.push('$');
            i += 2;
            continue;
        }
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            let Some(close) = find_close(&chars, i + 2) else {
                out.extend(&chars[i..]);
                break;
            };
            let inner: String = chars[i + 2..close].iter().collect();
            let name_len = inner.chars().take_while(|c| c.is_alphanumeric() || *c == '_').count();
            let name = &inner[..inner.char_indices().nth(name_len).map_or(inner.len(), |(b, _)| b)];
            let op = &inner[name.len()..];
            let value = vars.get(name);
            let set_nonempty = value.is_some_and(|v| !v.is_empty());
            let replacement = if let Some(default) = op.strip_prefix(":-") {
                if set_nonempty { value.cloned().unwrap_or_default() } else { expand(default, vars).text }
            } else if let Some(default) = op.strip_prefix('-') {
                value.cloned().unwrap_or_else(|| expand(default, vars).text)
            } else if let Some(alt) = op.strip_prefix(":+") {
                if set_nonempty { expand(alt, vars).text } else { String::new() }
            } else if let Some(alt) = op.strip_prefix('+') {
                if value.is_some() { expand(alt, vars).text } else { String::new() }
            } else {
                if value.is_none() {
                    unresolved.push(name.to_string());
                }
                value.cloned().unwrap_or_default()
            };
            out.push_str(&replacement);
            i = close + 1;
            continue;
        }
        let name: String =
            chars[i + 1..].iter().take_while(|c| c.is_alphanumeric() || **c == '_').collect();
        if name.is_empty() {
            out.push('$');
            i += 1;
            continue;
        }
        match vars.get(&name) {
            Some(value) => out.push_str(value),
            None => unresolved.push(name.clone()),
        }
        i += 1 + name.chars().count();
    }
    Expanded { text: out, unresolved }
}

fn find_close(chars: &[char], from: usize) -> Option<usize> {
    let mut depth = 1;
    for (i, &c) in chars.iter().enumerate().skip(from) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a word refers to variables at all.
pub fn has_variables(word: &str) -> bool {
    word.contains('$')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_forms() {
        let vars: HashMap<String, String> =
            [("V".into(), "1.22".into()), ("E".into(), String::new())].into();
        assert_eq!(expand("golang:${V}-alpine", &vars).text, "golang:1.22-alpine");
        assert_eq!(expand("golang:$V", &vars).text, "golang:1.22");
        assert_eq!(expand("x:${E:-d}", &vars).text, "x:d");
        assert_eq!(expand("x:${E-d}", &vars).text, "x:");
        assert_eq!(expand("x:${U:+a}", &vars).text, "x:");
        let e = expand("x:${MISSING}", &vars);
        assert_eq!((e.text.as_str(), e.unresolved), ("x:", vec!["MISSING".to_string()]));
    }

    #[test]
    fn deep_nesting_stops_expanding() {
        let vars = HashMap::new();
        let nested = |n: usize| format!("{}img{}", "${A:-".repeat(n), "}".repeat(n));
        assert_eq!(expand(&nested(MAX_EXPANSION_DEPTH + 1), &vars).text, "img");
        let deep = nested(100_000);
        let cut = nested(100_000 - MAX_EXPANSION_DEPTH - 1);
        assert_eq!(expand(&deep, &vars).text, cut);
    }
}
