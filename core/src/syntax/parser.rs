//! The line-level parser: groups physical lines into directives, comments, blank lines and
//! instructions exactly as BuildKit's `parser.Parse` does, and never gives up.
//!
//! Where BuildKit stops at the first error, this parser records the error with its position
//! and goes on, so that one mistake does not hide the rest of the file from the rules.

use super::command::{parse_command, RawArgs, RawNode, Span};
use super::compat::is_space;
use super::directives::DirectiveParser;
use super::lines::{split_lines, Line};
use super::shell_words::Lex;
use super::text::{LineIndex, TextRange};
use super::tree::*;

/// The warning for an empty line inside a continued instruction (BuildKit's
/// `NoEmptyContinuation`); the rule that reports it finds the warning by this text.
pub const EMPTY_CONTINUATION_LINE: &str = "empty continuation line (BuildKit will make this an error)";

/// Parses a Dockerfile. Never fails and never panics: problems are in [`Parse::errors`].
pub fn parse(text: &str) -> Parse {
    let bom = text.starts_with('\u{feff}').then(|| TextRange::new(0, 3));
    let lines = split_lines(text, bom.map_or(0, |b| b.end));
    let mut parser = Parser {
        text,
        lines: &lines,
        escape: '\\',
        directives: DirectiveParser::default(),
        items: Vec::new(),
        errors: Vec::new(),
    };
    parser.run();
    let Parser { items, mut errors, escape, .. } = parser;
    if !items.iter().any(|i| matches!(i, Item::Instruction(_))) {
        errors.push(SyntaxError {
            severity: Severity::Error,
            message: "file with no instructions".to_string(),
            range: TextRange::empty(text.len()),
        });
    }
    Parse {
        text: text.to_string(),
        bom,
        items,
        errors,
        escape,
        line_index: LineIndex::from_lines(text, &lines),
    }
}

struct Parser<'a> {
    text: &'a str,
    lines: &'a [Line],
    escape: char,
    directives: DirectiveParser,
    items: Vec<Item>,
    errors: Vec<SyntaxError>,
}

/// BuildKit's `isComment`: the first non-blank character is `#`.
fn is_comment(line: &str) -> bool {
    line.trim_start_matches(is_space).starts_with('#')
}

impl<'a> Parser<'a> {
    fn error(&mut self, severity: Severity, message: impl Into<String>, range: TextRange) {
        self.errors.push(SyntaxError { severity, message: message.into(), range });
    }

    /// BuildKit's `trimContinuationCharacter`: if the line ends with the escape character
    /// (blanks after it allowed) and that character is not itself escaped, returns the length
    /// of the code before it.
    fn continuation(&self, line: &str) -> Option<usize> {
        let trimmed = line.trim_end_matches([' ', '\t']);
        let before = trimmed.strip_suffix(self.escape)?;
        match before.chars().next_back() {
            None => Some(0),
            Some(c) if c != self.escape => Some(before.len()),
            Some(_) => None,
        }
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            let line = self.lines[i];
            let content = line.content.slice(self.text);
            let code = content.trim_start_matches(is_space);
            let code_start = line.content.end - code.len();

            match self.directives.parse_line(code) {
                Ok(Some(found)) => {
                    let value_range =
                        TextRange::new(code_start + found.value.0, code_start + found.value.1);
                    let value = value_range.slice(self.text).to_string();
                    if found.name == "escape" {
                        match value.as_str() {
                            "\\" => self.escape = '\\',
                            "`" => self.escape = '`',
                            _ => self.error(
                                Severity::Error,
                                format!("invalid escape token '{value}' does not match ` or \\"),
                                value_range,
                            ),
                        }
                    }
                    self.items.push(Item::Directive(Directive {
                        name: found.name,
                        value,
                        range: line.full,
                        value_range,
                    }));
                    i += 1;
                    continue;
                }
                Ok(None) => {}
                Err(message) => self.error(Severity::Error, message, line.content),
            }

            if code.starts_with('#') {
                self.items.push(Item::Comment(Comment {
                    range: line.full,
                    text_range: TextRange::new(code_start + 1, line.content.end),
                }));
                i += 1;
                continue;
            }
            if code.is_empty() {
                self.items.push(Item::Blank { range: line.full });
                i += 1;
                continue;
            }
            i = self.instruction(i, code_start);
        }
    }

    /// Reads the instruction starting on line `first`, whose code starts at `code_start`.
    /// Returns the index of the line after it.
    fn instruction(&mut self, first: usize, code_start: usize) -> usize {
        let text = self.text;
        let mut tokens = Vec::new();
        let mut logical = LogicalLine::default();
        let first_line = self.lines[first];
        if code_start > first_line.content.start {
            tokens.push(Token {
                kind: TokenKind::Indent,
                range: TextRange::new(first_line.content.start, code_start),
            });
        }
        let mut ended = self.code_line(
            TextRange::new(code_start, first_line.content.end),
            first_line,
            &mut tokens,
            &mut logical,
        );
        let mut next = first + 1;
        while !ended && next < self.lines.len() {
            let line = self.lines[next];
            next += 1;
            let content = line.content.slice(text);
            if is_comment(content) || content.trim_start_matches(is_space).is_empty() {
                let blank = !is_comment(content);
                if blank {
                    self.error(
                        Severity::Warning,
                        EMPTY_CONTINUATION_LINE,
                        line.full,
                    );
                }
                let kind = if blank { TokenKind::Blank } else { TokenKind::Comment };
                if !line.content.is_empty() {
                    tokens.push(Token { kind, range: line.content });
                }
                push_newline(&mut tokens, line);
                continue;
            }
            ended = self.code_line(line.content, line, &mut tokens, &mut logical);
        }

        let (node, error) = parse_command(&logical.text, self.escape);
        if let Some(error) = error {
            let range = logical.to_source(error.span.0, error.span.1);
            self.error(Severity::Error, error.message, range);
        }
        let mut instruction = self.build(&node, &logical);
        instruction.tokens = tokens;
        instruction.logical = logical;

        if Self::takes_heredocs(&node, &instruction.logical.text)
            && instruction.logical.text.contains("<<") {
            next = self.heredocs(&mut instruction, next);
        }
        let last = self.lines[next - 1];
        instruction.range = TextRange::new(first_line.full.start, last.full.end);
        instruction.start_line = first + 1;
        instruction.end_line = next;
        self.check(&instruction);
        self.items.push(Item::Instruction(instruction));
        next
    }

    /// Adds one code line (or the code part of the first line) to the logical line.
    /// Returns whether the instruction ends here (no continuation).
    fn code_line(
        &self,
        code: TextRange,
        line: Line,
        tokens: &mut Vec<Token>,
        logical: &mut LogicalLine,
    ) -> bool {
        let code_text = code.slice(self.text);
        let (piece_len, ended) = match self.continuation(code_text) {
            Some(len) => (len, false),
            None => (code_text.len(), true),
        };
        if piece_len > 0 {
            tokens.push(Token {
                kind: TokenKind::Code,
                range: TextRange::new(code.start, code.start + piece_len),
            });
            logical.segments.push((logical.text.len(), code.start, piece_len));
            logical.text.push_str(&code_text[..piece_len]);
        }
        if !ended {
            tokens.push(Token {
                kind: TokenKind::Continuation,
                range: TextRange::new(code.start + piece_len, code.end),
            });
        }
        push_newline(tokens, line);
        ended
    }

    /// BuildKit's `canContainHeredoc`: RUN/COPY/ADD (also under ONBUILD), not in exec form.
    fn takes_heredocs(node: &RawNode, line: &str) -> bool {
        let node = match &node.value {
            RawArgs::Sub(inner) => inner,
            _ => node,
        };
        let keyword = Keyword::from_text(&line[node.keyword.0..node.keyword.1]);
        keyword.takes_heredocs() && !node.value.is_json()
    }

    /// Reads the bodies of the heredocs named on the instruction line, starting at line `next`.
    fn heredocs(&mut self, instruction: &mut Instruction, mut next: usize) -> usize {
        let text = self.text;
        let markers = match heredoc_markers(&instruction.logical) {
            Ok(markers) => markers,
            Err(message) => {
                self.error(Severity::Error, message, instruction.arguments_range);
                return next;
            }
        };
        for marker in markers {
            let body_start = self.lines.get(next).map_or(text.len(), |l| l.full.start);
            let mut body_end = body_start;
            let mut terminator = None;
            while next < self.lines.len() {
                let line = self.lines[next];
                next += 1;
                let mut candidate = line.content.slice(text);
                if marker.chomp {
                    candidate = candidate.trim_start_matches('\t');
                }
                if candidate == marker.name {
                    terminator = Some(line);
                    break;
                }
                body_end = line.full.end;
            }
            if body_end > body_start {
                instruction.tokens.push(Token {
                    kind: TokenKind::HeredocBody,
                    range: TextRange::new(body_start, body_end),
                });
            }
            let terminator_range = match terminator {
                Some(line) => {
                    if !line.content.is_empty() {
                        instruction.tokens.push(Token {
                            kind: TokenKind::HeredocTerminator,
                            range: line.content,
                        });
                    }
                    push_newline(&mut instruction.tokens, line);
                    line.content
                }
                None => {
                    self.error(
                        Severity::Error,
                        format!("unterminated heredoc: no line `{}` ends it", marker.name),
                        marker.range,
                    );
                    TextRange::empty(body_end)
                }
            };
            instruction.heredocs.push(Heredoc {
                name: marker.name,
                fd: marker.fd,
                chomp: marker.chomp,
                expand: marker.expand,
                marker: marker.range,
                body: TextRange::new(body_start, body_end),
                terminator: terminator_range,
            });
            if terminator.is_none() {
                break;
            }
        }
        next
    }

    /// Problems BuildKit's parser accepts but its build step (or common sense) refuses.
    fn check(&mut self, instruction: &Instruction) {
        let inner = instruction.effective();
        if inner.keyword == Keyword::Unknown {
            let name = inner.keyword_range.slice(self.text);
            self.error(Severity::Warning, format!("unknown instruction: {name}"), inner.keyword_range);
        } else if matches!(inner.arguments, Arguments::None)
            && inner.heredocs.is_empty()
            && inner.keyword != Keyword::Healthcheck
        {
            let message = format!("{} has no arguments", inner.keyword.as_str());
            self.error(Severity::Warning, message, inner.keyword_range);
        }
        if instruction.keyword == Keyword::Onbuild
            && matches!(inner.keyword, Keyword::Onbuild | Keyword::From | Keyword::Maintainer)
            && !std::ptr::eq(inner, instruction)
        {
            let message = format!("{} isn't allowed as an ONBUILD trigger", inner.keyword.as_str());
            self.error(Severity::Warning, message, inner.keyword_range);
        }
    }

    /// Turns the logical-line node into a tree node with source ranges.
    fn build(&self, node: &RawNode, logical: &LogicalLine) -> Instruction {
        let range = |span: Span| logical.to_source(span.0, span.1);
        let keyword_text = &logical.text[node.keyword.0..node.keyword.1];
        let arguments = self.arguments(&node.value, logical);
        Instruction {
            range: TextRange::default(),
            keyword: Keyword::from_text(keyword_text),
            keyword_range: range(node.keyword),
            flags: node
                .flags
                .iter()
                .map(|f| Flag { text: f.text.clone(), range: range(f.span) })
                .collect(),
            arguments,
            arguments_range: range(node.args),
            heredocs: Vec::new(),
            start_line: 0,
            end_line: 0,
            tokens: Vec::new(),
            logical: LogicalLine::default(),
        }
    }

    fn arguments(&self, value: &RawArgs, logical: &LogicalLine) -> Arguments {
        let range = |span: Span| logical.to_source(span.0, span.1);
        let word = |span: Span| Word { text: logical.text[span.0..span.1].to_string(), range: range(span) };
        match value {
            RawArgs::None => Arguments::None,
            RawArgs::Ignored => Arguments::Ignored,
            RawArgs::Text(span) => Arguments::Text(word(*span)),
            RawArgs::Json(items) => Arguments::Exec(
                items.iter().map(|(s, span)| Word { text: s.clone(), range: range(*span) }).collect(),
            ),
            RawArgs::List(spans) => Arguments::List(spans.iter().map(|s| word(*s)).collect()),
            RawArgs::Words(spans) => {
                Arguments::Declarations(spans.iter().map(|s| word(*s)).collect())
            }
            RawArgs::KeyValues(pairs) => Arguments::Pairs(
                pairs
                    .iter()
                    .map(|kv| KeyValue { key: word(kv.key), value: word(kv.value), equals: kv.equals })
                    .collect(),
            ),
            RawArgs::Health { kind, command } => Arguments::Healthcheck {
                kind: word(*kind),
                command: Box::new(self.arguments(command, logical)),
            },
            RawArgs::Sub(inner) => Arguments::Onbuild(Box::new(self.build(inner, logical))),
        }
    }
}

fn push_newline(tokens: &mut Vec<Token>, line: Line) {
    let ending = line.ending();
    if !ending.is_empty() {
        tokens.push(Token { kind: TokenKind::Newline, range: ending });
    }
}

/// A heredoc named on an instruction line.
struct Marker {
    name: String,
    fd: u32,
    chomp: bool,
    expand: bool,
    range: TextRange,
}

/// BuildKit's `heredocsFromLine`: every shell word of the line of the form
/// `[fd]<<[-][blanks]WORD` names a heredoc, in order.
fn heredoc_markers(logical: &LogicalLine) -> Result<Vec<Marker>, String> {
    let line = &logical.text;
    let words = Lex { raw_quotes: true, raw_escapes: true }.words(line).unwrap_or_default();
    let mut markers = Vec::new();
    let mut search_from = 0;
    for word in words {
        let Some(found) = heredoc_word(&word)? else { continue };
        // Locate the marker in the line for its range: the first `<<` at or after the
        // previous marker whose following text starts like the word's tail.
        let range = match line[search_from..].find(&word) {
            Some(at) => {
                let start = search_from + at;
                search_from = start + word.len();
                logical.to_source(start, start + word.len())
            }
            None => match line[search_from..].find("<<") {
                Some(at) => {
                    let start = search_from + at;
                    search_from = start + 2;
                    logical.to_source(start, start + 2)
                }
                None => logical.to_source(search_from, search_from),
            },
        };
        markers.push(Marker { range, ..found });
    }
    Ok(markers)
}

/// `ParseHeredoc`: whether one word is a heredoc marker, and its terminator.
fn heredoc_word(word: &str) -> Result<Option<Marker>, String> {
    // ^(\d*)<<(-?)\s*([^<]*)$
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(after) = word[digits..].strip_prefix("<<") else { return Ok(None) };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    let rest = after.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let fd = word[..digits].parse::<u64>().ok().and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let failed = |_| format!("invalid heredoc delimiter: {rest}");
    let words = Lex { raw_quotes: false, raw_escapes: false }.words(rest).map_err(failed)?;
    if words.len() != 1 {
        return Ok(None);
    }
    let raw = Lex { raw_quotes: true, raw_escapes: false }.words(rest).map_err(failed)?;
    if raw.len() != words.len() {
        return Err(format!("internal lexing of heredoc produced inconsistent results: {rest}"));
    }
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    let expand = quotes(&words[0]) == quotes(&raw[0]);
    Ok(Some(Marker { name: words[0].clone(), fd, chomp, expand, range: TextRange::default() }))
}
