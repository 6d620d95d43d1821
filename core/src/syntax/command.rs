//! One logical instruction line, split as BuildKit splits it: the keyword, the leading
//! `--flags`, and the arguments read by the keyword's own rule (`line_parsers.go`).
//!
//! Every piece keeps its byte offsets in the logical line, so that the parser can map it back
//! to the source text through the continuation lines it was joined from.

use super::compat::{
    find_re_whitespace, is_space, is_space_byte, split_re_whitespace, trim_space_range,
};
use super::json::{parse_json_array, JsonArray};

/// `start..end` offsets into the logical line.
pub(crate) type Span = (usize, usize);

#[derive(Debug)]
pub(crate) struct RawFlag {
    /// The flag as BuildKit reports it: quotes removed, escapes applied (`--from=x`).
    pub text: String,
    pub span: Span,
}

#[derive(Debug)]
pub(crate) struct RawKeyValue {
    pub key: Span,
    pub value: Span,
    /// `=` for `k=v`, empty for the legacy `k v` form.
    pub equals: bool,
}

#[derive(Debug)]
pub(crate) enum RawArgs {
    /// No argument at all.
    None,
    /// An instruction BuildKit does not know: the arguments are not read.
    Ignored,
    /// One string: shell form of RUN/CMD/ENTRYPOINT/SHELL, or USER/WORKDIR/etc.
    Text(Span),
    /// A JSON array of strings: the exec form.
    Json(Vec<(String, Span)>),
    /// Whitespace-separated words (FROM, EXPOSE, shell-form COPY/ADD/VOLUME).
    List(Vec<Span>),
    /// ARG's words, each `name` or `name=value`.
    Words(Vec<Span>),
    /// ENV/LABEL pairs.
    KeyValues(Vec<RawKeyValue>),
    /// HEALTHCHECK: the type word (`CMD`, `NONE`) and the command after it.
    Health { kind: Span, command: Box<RawArgs> },
    /// ONBUILD's wrapped instruction.
    Sub(Box<RawNode>),
}

impl RawArgs {
    pub fn is_json(&self) -> bool {
        match self {
            RawArgs::Json(_) => true,
            RawArgs::Health { command, .. } => command.is_json(),
            _ => false,
        }
    }
}

#[derive(Debug)]
pub(crate) struct RawNode {
    pub keyword: Span,
    pub flags: Vec<RawFlag>,
    /// The argument text after the flags, trimmed.
    pub args: Span,
    pub value: RawArgs,
}

/// A reason BuildKit refuses the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommandError {
    pub message: String,
    /// Where in the logical line the problem is.
    pub span: Span,
}

/// How deep `ONBUILD ONBUILD ...` is read. BuildKit's parser nests without end (its build
/// then refuses any `ONBUILD ONBUILD`); past this depth the rest of the line is kept as text
/// with an error, so that hostile input cannot exhaust the stack.
pub(crate) const MAX_ONBUILD_DEPTH: usize = 32;

/// BuildKit's `newNodeFromLine`: keyword, flags, then the keyword's argument rule.
/// On error the node is still returned (arguments read as plain text) with the error.
pub(crate) fn parse_command(line: &str, escape: char) -> (RawNode, Option<CommandError>) {
    parse_command_at(line, escape, 0)
}

fn parse_command_at(line: &str, escape: char, depth: usize) -> (RawNode, Option<CommandError>) {
    let (start, end) = trim_space_range(line);
    let trimmed = &line[start..end];
    let (keyword, rest_start) = match find_re_whitespace(trimmed) {
        Some((ws_start, ws_end)) => ((start, start + ws_start), Some(start + ws_end)),
        None => ((start, end), None),
    };
    let (flags, args) = match rest_start {
        Some(rest) => {
            let (args_offset, flags) = extract_builder_flags(&line[rest..end], escape);
            let flags = flags
                .into_iter()
                .map(|f| RawFlag { text: f.text, span: (rest + f.span.0, rest + f.span.1) })
                .collect();
            let args_abs = rest + args_offset;
            let (a, b) = trim_space_range(&line[args_abs..end]);
            (flags, (args_abs + a, args_abs + b))
        }
        None => (Vec::new(), (end, end)),
    };
    let keyword_text = &line[keyword.0..keyword.1];
    let args_text = &line[args.0..args.1];
    let (value, error) = dispatch(keyword_text, args_text, args.0, escape, depth);
    let node = RawNode { keyword, flags, args, value };
    (node, error)
}

fn dispatch(
    keyword: &str,
    rest: &str,
    base: usize,
    escape: char,
    depth: usize,
) -> (RawArgs, Option<CommandError>) {
    let shift = |(a, b): Span| (base + a, base + b);
    let text_fallback = || if rest.is_empty() { RawArgs::None } else { RawArgs::Text(shift((0, rest.len()))) };
    let result = match keyword.to_ascii_lowercase().as_str() {
        "add" | "copy" | "volume" => maybe_json_to_list(rest).map(|v| v.shifted(base)),
        "run" | "cmd" | "entrypoint" | "shell" => maybe_json(rest).map(|v| v.shifted(base)),
        "arg" => Ok(RawArgs::Words(parse_words(rest, escape).into_iter().map(shift).collect())),
        "env" | "label" => name_val(rest, keyword, escape).map(|v| v.shifted(base)),
        "expose" | "from" => Ok(whitespace_list(rest).shifted(base)),
        "maintainer" | "stopsignal" | "user" | "workdir" => Ok(text_fallback()),
        "healthcheck" => health(rest).map(|v| v.shifted(base)),
        "onbuild" => {
            if rest.is_empty() {
                Ok(RawArgs::None)
            } else if depth >= MAX_ONBUILD_DEPTH {
                Err(format!("ONBUILD nested more than {MAX_ONBUILD_DEPTH} deep"))
            } else {
                let (mut sub, error) = parse_command_at(rest, escape, depth + 1);
                sub.shift(base);
                if let Some(mut error) = error {
                    error.span = shift(error.span);
                    return (RawArgs::Sub(Box::new(sub)), Some(error));
                }
                Ok(RawArgs::Sub(Box::new(sub)))
            }
        }
        _ => Ok(RawArgs::Ignored),
    };
    match result {
        Ok(value) => (value, None),
        Err(message) => {
            (text_fallback(), Some(CommandError { message, span: shift((0, rest.len())) }))
        }
    }
}

impl RawArgs {
    fn shifted(mut self, base: usize) -> RawArgs {
        self.shift(base);
        self
    }

    fn shift(&mut self, base: usize) {
        let s = |span: &mut Span| {
            span.0 += base;
            span.1 += base;
        };
        match self {
            RawArgs::None | RawArgs::Ignored => {}
            RawArgs::Text(span) => s(span),
            RawArgs::Json(items) => items.iter_mut().for_each(|(_, span)| s(span)),
            RawArgs::List(spans) | RawArgs::Words(spans) => spans.iter_mut().for_each(s),
            RawArgs::KeyValues(pairs) => pairs.iter_mut().for_each(|kv| {
                s(&mut kv.key);
                s(&mut kv.value);
            }),
            RawArgs::Health { kind, command } => {
                s(kind);
                command.shift(base);
            }
            RawArgs::Sub(node) => node.shift(base),
        }
    }
}

impl RawNode {
    fn shift(&mut self, base: usize) {
        let s = |span: &mut Span| {
            span.0 += base;
            span.1 += base;
        };
        s(&mut self.keyword);
        s(&mut self.args);
        self.flags.iter_mut().for_each(|f| s(&mut f.span));
        self.value.shift(base);
    }
}

const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// `parseMaybeJSON`: exec form if the text is a JSON array of strings, else one string.
fn maybe_json(rest: &str) -> Result<RawArgs, String> {
    if rest.is_empty() {
        return Ok(RawArgs::None);
    }
    match parse_json_array(rest) {
        JsonArray::Strings(items) => Ok(json_args(items)),
        JsonArray::NotStringArray => Err(NOT_STRING_ARRAY.to_string()),
        JsonArray::NotJson => Ok(RawArgs::Text((0, rest.len()))),
    }
}

/// `parseMaybeJSONToList`: exec form, or whitespace-separated words.
fn maybe_json_to_list(rest: &str) -> Result<RawArgs, String> {
    match parse_json_array(rest) {
        JsonArray::Strings(items) => Ok(json_args(items)),
        JsonArray::NotStringArray => Err(NOT_STRING_ARRAY.to_string()),
        JsonArray::NotJson => Ok(whitespace_list(rest)),
    }
}

fn json_args(items: Vec<(String, usize, usize)>) -> RawArgs {
    RawArgs::Json(items.into_iter().map(|(s, a, b)| (s, (a, b))).collect())
}

/// `parseStringsWhitespaceDelimited`.
fn whitespace_list(rest: &str) -> RawArgs {
    if rest.is_empty() {
        return RawArgs::None;
    }
    RawArgs::List(split_re_whitespace(rest))
}

/// `parseHealthConfig`: the first word (split byte-wise, as BuildKit does), then the command.
fn health(rest: &str) -> Result<RawArgs, String> {
    let bytes = rest.as_bytes();
    let sep = bytes.iter().position(|&b| is_space_byte(b)).unwrap_or(bytes.len());
    if sep == 0 {
        return Ok(RawArgs::None);
    }
    let mut next = sep;
    while next < bytes.len() && is_space_byte(bytes[next]) {
        next += 1;
    }
    let (sep, next) = (floor_char_boundary(rest, sep), floor_char_boundary(rest, next));
    let command = maybe_json(&rest[next..])?.shifted(next);
    Ok(RawArgs::Health { kind: (0, sep), command: Box::new(command) })
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `parseNameVal` for ENV and LABEL: `k=v ...`, or the legacy `k rest of line`.
fn name_val(rest: &str, keyword: &str, escape: char) -> Result<RawArgs, String> {
    let words = parse_words(rest, escape);
    let Some(&first) = words.first() else { return Ok(RawArgs::None) };
    if !rest[first.0..first.1].contains('=') {
        let Some((ws_start, ws_end)) = find_re_whitespace(rest) else {
            return Err(format!("{} must have two arguments", keyword.to_ascii_uppercase()));
        };
        return Ok(RawArgs::KeyValues(vec![RawKeyValue {
            key: (0, ws_start),
            value: (ws_end, rest.len()),
            equals: false,
        }]));
    }
    let mut pairs = Vec::with_capacity(words.len());
    for (a, b) in words {
        let word = &rest[a..b];
        let Some(eq) = word.find('=') else {
            return Err(format!(
                "Syntax error - can't find = in \"{word}\". Must be of the form: name=value"
            ));
        };
        pairs.push(RawKeyValue { key: (a, a + eq), value: (a + eq + 1, b), equals: true });
    }
    Ok(RawArgs::KeyValues(pairs))
}

/// `parseWords`: words separated by blanks, quotes and escapes kept in the word. Returns the
/// spans; each word's text is the source slice (BuildKit drops only an escape at the very end).
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<Span> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut start = 0;
    let mut blank_ok = false;
    let mut chars = rest.char_indices().peekable();
    while let Some((pos, ch)) = chars.next() {
        let at_end = |chars: &mut std::iter::Peekable<std::str::CharIndices>| chars.peek().is_none();
        match phase {
            Phase::Spaces => {
                if is_space(ch) {
                    continue;
                }
                phase = Phase::Word;
                start = pos;
                word_char(ch, &mut phase, &mut blank_ok, escape, &mut chars);
            }
            Phase::Word => {
                if is_space(ch) {
                    if blank_ok || pos > start {
                        words.push((start, pos));
                    }
                    phase = Phase::Spaces;
                    blank_ok = false;
                    continue;
                }
                word_char(ch, &mut phase, &mut blank_ok, escape, &mut chars);
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                } else if ch == escape && quote != '\'' {
                    if at_end(&mut chars) {
                        phase = Phase::Word;
                        continue;
                    }
                    chars.next();
                }
            }
        }
    }
    if phase != Phase::Spaces {
        // A trailing escape is dropped from the word's text but the span keeps it; the
        // only consumer of such text is the BuildKit dump, which reads the span.
        if blank_ok || rest.len() > start {
            words.push((start, rest.len()));
        }
    }
    return words;

    fn word_char(
        ch: char,
        phase: &mut Phase,
        blank_ok: &mut bool,
        escape: char,
        chars: &mut std::iter::Peekable<std::str::CharIndices>,
    ) {
        if ch == '\'' || ch == '"' {
            *phase = Phase::Quote(ch);
            *blank_ok = true;
        }
        if ch == escape && chars.peek().is_some() {
            chars.next();
        }
    }
}

/// A flag word found by [`extract_builder_flags`], offsets relative to its input.
struct FlagWord {
    text: String,
    span: Span,
}

/// `extractBuilderFlags`: leading `--name[=value]` words, up to the first other word or `--`.
/// Returns the offset where the arguments start. Works on bytes, as the Go code does.
fn extract_builder_flags(line: &str, escape: char) -> (usize, Vec<FlagWord>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(u8),
    }
    let escape = escape as u8;
    let bytes = line.as_bytes();
    let mut words = Vec::new();
    let mut word: Vec<u8> = Vec::new();
    let mut start = 0;
    let mut phase = Phase::Spaces;
    let mut blank_ok = false;
    let mut pos = 0;
    let finish = |word: &mut Vec<u8>| String::from_utf8_lossy(&std::mem::take(word)).into_owned();
    loop {
        if pos == bytes.len() {
            if phase != Phase::Spaces && word != b"--" && (blank_ok || !word.is_empty()) {
                words.push(FlagWord { text: finish(&mut word), span: (start, pos) });
            }
            return (floor_char_boundary(line, bytes.len()), words);
        }
        let ch = bytes[pos];
        match phase {
            Phase::Spaces => {
                if is_space_byte(ch) {
                    pos += 1;
                    continue;
                }
                if ch != b'-' || bytes.get(pos + 1) != Some(&b'-') {
                    return (floor_char_boundary(line, pos), words);
                }
                phase = Phase::Word;
                start = pos;
                continue;
            }
            Phase::Word => {
                if is_space_byte(ch) {
                    phase = Phase::Spaces;
                    if word == b"--" {
                        return (floor_char_boundary(line, pos), words);
                    }
                    if blank_ok || !word.is_empty() {
                        words.push(FlagWord { text: finish(&mut word), span: (start, pos) });
                    }
                    word.clear();
                    blank_ok = false;
                    pos += 1;
                    continue;
                }
                if ch == b'\'' || ch == b'"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                    pos += 1;
                    continue;
                }
                if ch == escape {
                    if pos + 1 == bytes.len() {
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                }
                word.push(bytes[pos]);
                pos += 1;
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
                if ch == escape {
                    if pos + 1 == bytes.len() {
                        phase = Phase::Word;
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                }
                word.push(bytes[pos]);
                pos += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(line: &str) -> (Vec<String>, String) {
        let (node, err) = parse_command(line, '\\');
        assert!(err.is_none(), "{err:?}");
        let args = line[node.args.0..node.args.1].to_string();
        (node.flags.into_iter().map(|f| f.text).collect(), args)
    }

    #[test]
    fn splits_flags_like_buildkit() {
        assert_eq!(flags("COPY --from=a --chown=\"x y\" src dst"), (vec!["--from=a".into(), "--chown=x y".into()], "src dst".into()));
        assert_eq!(flags("COPY --doit=true -- foo /tmp/"), (vec!["--doit=true".into()], "foo /tmp/".into()));
        assert_eq!(flags("CMD --doit -- [ ]"), (vec!["--doit".into()], "[ ]".into()));
        assert_eq!(flags("RUN --mount=type=cache,target=/x"), (vec!["--mount=type=cache,target=/x".into()], "".into()));
        assert_eq!(flags("RUN -x"), (vec![], "-x".into()));
    }

    #[test]
    fn reads_env_pairs_and_legacy_form() {
        let (node, err) = parse_command("ENV a=1 b=\"x y\"", '\\');
        assert!(err.is_none());
        let RawArgs::KeyValues(pairs) = node.value else { panic!() };
        assert_eq!(pairs.len(), 2);
        let (node, _) = parse_command("ENV name value with spaces", '\\');
        let RawArgs::KeyValues(pairs) = node.value else { panic!() };
        assert!(!pairs[0].equals);
        let (_, err) = parse_command("ENV PATH", '\\');
        assert_eq!(err.unwrap().message, "ENV must have two arguments");
        let (_, err) = parse_command("ENV a=1 b", '\\');
        assert!(err.unwrap().message.contains("can't find ="));
    }

    #[test]
    fn exec_form_only_for_string_arrays() {
        assert!(matches!(parse_command("CMD [\"a\"]", '\\').0.value, RawArgs::Json(_)));
        assert!(matches!(parse_command("CMD ['a']", '\\').0.value, RawArgs::Text(_)));
        assert_eq!(parse_command("CMD [1]", '\\').1.unwrap().message, NOT_STRING_ARRAY);
    }

    #[test]
    fn words_keep_quotes() {
        let text = "a=\"b c\" d\\ e 'f'";
        let words: Vec<&str> = parse_words(text, '\\').into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(words, ["a=\"b c\"", "d\\ e", "'f'"]);
    }
}
