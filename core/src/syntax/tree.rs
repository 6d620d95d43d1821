//! The lossless syntax tree.
//!
//! A file is a list of [`Item`]s that tile the text line by line: parser directives, comments,
//! blank lines and instructions. Each instruction owns the physical lines it was read from
//! (continuations, comment lines inside a continuation, heredoc bodies and terminators), and its
//! [`Token`]s tile those lines exactly. On top of the tokens, every part a rule may want to
//! point at (keyword, flags, arguments, heredocs) carries its byte range in the source.

use serde::Serialize;

use super::text::{LineCol, LineIndex, TextRange};

/// The instructions of the Dockerfile reference, plus everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Not an instruction BuildKit knows. It parses, and is reported.
    Unknown,
}

impl Keyword {
    pub fn from_text(text: &str) -> Keyword {
        match text.to_ascii_lowercase().as_str() {
            "add" => Keyword::Add,
            "arg" => Keyword::Arg,
            "cmd" => Keyword::Cmd,
            "copy" => Keyword::Copy,
            "entrypoint" => Keyword::Entrypoint,
            "env" => Keyword::Env,
            "expose" => Keyword::Expose,
            "from" => Keyword::From,
            "healthcheck" => Keyword::Healthcheck,
            "label" => Keyword::Label,
            "maintainer" => Keyword::Maintainer,
            "onbuild" => Keyword::Onbuild,
            "run" => Keyword::Run,
            "shell" => Keyword::Shell,
            "stopsignal" => Keyword::Stopsignal,
            "user" => Keyword::User,
            "volume" => Keyword::Volume,
            "workdir" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    /// The canonical spelling, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }

    /// Instructions whose lines may carry heredocs.
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }
}

/// What a token is. Tokens of one instruction tile its lines exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Leading blanks of an instruction's first line.
    Indent,
    /// Instruction text that becomes part of the logical line.
    Code,
    /// The escape character ending a line, and the blanks after it.
    Continuation,
    /// A comment line inside a continuation (BuildKit skips it).
    Comment,
    /// A blank line inside a continuation (BuildKit skips it, with a warning).
    Blank,
    /// The lines of a heredoc body, up to its terminator line.
    HeredocBody,
    /// The line that ends a heredoc.
    HeredocTerminator,
    /// `\n`, `\r\n` (or any run of `\r` before `\n`).
    Newline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// A `--name[=value]` flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The flag as BuildKit reports it (`--from=build`): quotes removed, escapes applied.
    pub text: String,
    /// Where the flag is written in the source.
    pub range: TextRange,
}

impl Flag {
    /// The flag's name without dashes (`from`).
    pub fn name(&self) -> &str {
        let body = self.text.trim_start_matches('-');
        body.split_once('=').map_or(body, |(name, _)| name)
    }

    /// The value after `=`, if any.
    pub fn value(&self) -> Option<&str> {
        self.text.trim_start_matches('-').split_once('=').map(|(_, value)| value)
    }
}

/// A word of the arguments and where it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Word {
    /// The word's value. For JSON arrays this is the decoded string; otherwise it is the
    /// source text as BuildKit keeps it (quotes and escapes included).
    pub text: String,
    pub range: TextRange,
}

/// One `key=value` (or legacy `key value`) of ENV or LABEL; texts keep their quotes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    pub key: Word,
    pub value: Word,
    /// `false` for the legacy `ENV key value` form.
    pub equals: bool,
}

/// The arguments of an instruction, read by the keyword's own rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Arguments {
    /// No arguments.
    None,
    /// Unknown instruction: arguments not read.
    Ignored,
    /// Shell form (RUN/CMD/ENTRYPOINT/SHELL) or a single string (USER, WORKDIR...).
    Text(Word),
    /// Exec form: a JSON array of strings.
    Exec(Vec<Word>),
    /// Whitespace-separated words (FROM, EXPOSE, and COPY/ADD/VOLUME outside exec form).
    List(Vec<Word>),
    /// ARG's declarations, `name` or `name=default`.
    Declarations(Vec<Word>),
    /// ENV/LABEL pairs.
    Pairs(Vec<KeyValue>),
    /// HEALTHCHECK: its type (`CMD`, `NONE`) and the command.
    Healthcheck { kind: Word, command: Box<Arguments> },
    /// ONBUILD's wrapped instruction.
    Onbuild(Box<Instruction>),
}

impl Arguments {
    /// Whether BuildKit marks the node as JSON (exec form).
    pub fn is_exec(&self) -> bool {
        match self {
            Arguments::Exec(_) => true,
            Arguments::Healthcheck { command, .. } => command.is_exec(),
            _ => false,
        }
    }

    /// The flat list of values BuildKit's AST holds for these arguments (its `Next` chain).
    pub fn buildkit_values(&self) -> Vec<String> {
        match self {
            Arguments::None => Vec::new(),
            Arguments::Ignored => vec![String::new()],
            Arguments::Text(w) => vec![w.text.clone()],
            Arguments::Exec(words) | Arguments::List(words) | Arguments::Declarations(words) => {
                words.iter().map(|w| w.text.clone()).collect()
            }
            Arguments::Pairs(pairs) => {
                pairs.iter().flat_map(|kv| [kv.key.text.clone(), kv.value.text.clone()]).collect()
            }
            Arguments::Healthcheck { kind, command } => {
                std::iter::once(kind.text.clone()).chain(command.buildkit_values()).collect()
            }
            Arguments::Onbuild(inner) => inner.arguments.buildkit_values(),
        }
    }
}

/// A heredoc attached to a RUN/COPY/ADD line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The terminator word, quotes removed (`EOF`).
    pub name: String,
    /// The file descriptor written before `<<` (`3<<EOF`), 0 when absent.
    pub fd: u32,
    /// `<<-`: leading tabs are stripped from body lines and terminator.
    pub chomp: bool,
    /// Whether variables expand in the body (false when the delimiter was quoted).
    pub expand: bool,
    /// Where the `<<WORD` marker is written on the instruction line.
    pub marker: TextRange,
    /// The body lines, each with its line ending, up to (not including) the terminator.
    pub body: TextRange,
    /// The terminator line without its line ending (empty when unterminated).
    pub terminator: TextRange,
}

impl Heredoc {
    /// The body text as BuildKit stores it (tabs not yet stripped).
    pub fn content<'a>(&self, source: &'a str) -> &'a str {
        self.body.slice(source)
    }
}

/// An instruction and everything it owns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Instruction {
    /// Every line of the instruction, from its first line's start to its last line's ending.
    pub range: TextRange,
    pub keyword: Keyword,
    /// The keyword as written (`run`, `Run`...).
    pub keyword_range: TextRange,
    pub flags: Vec<Flag>,
    pub arguments: Arguments,
    /// The argument text after the flags (trimmed); may span continuation lines.
    pub arguments_range: TextRange,
    pub heredocs: Vec<Heredoc>,
    /// 1-based first and last line, as BuildKit counts them (heredoc bodies included).
    pub start_line: usize,
    pub end_line: usize,
    /// The physical pieces of this instruction. Empty for an ONBUILD's inner instruction,
    /// whose text belongs to the outer one.
    pub tokens: Vec<Token>,
    /// The instruction's logical line: its code lines joined as BuildKit joins them.
    pub logical: LogicalLine,
}

impl Instruction {
    /// For ONBUILD, the wrapped instruction; otherwise the instruction itself.
    pub fn effective(&self) -> &Instruction {
        match &self.arguments {
            Arguments::Onbuild(inner) => inner,
            _ => self,
        }
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The range of the first line's code, where an edit that replaces "the instruction
    /// text" should go: everything from the keyword to the end of the last code token.
    pub fn code_range(&self) -> TextRange {
        let end = self
            .tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Code | TokenKind::Continuation))
            .map(|t| t.range.end)
            .max()
            .unwrap_or(self.keyword_range.end);
        TextRange::new(self.keyword_range.start, end.max(self.keyword_range.end))
    }
}

/// The joined code of an instruction, and the map from its offsets back to the source.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LogicalLine {
    pub text: String,
    /// Pieces `(logical_start, source_start, len)`, in order.
    #[serde(skip)]
    pub segments: Vec<(usize, usize, usize)>,
}

impl LogicalLine {
    /// The source offset of a logical offset; at a piece boundary, the start of the next piece.
    pub fn to_source_start(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|&(l, _, len)| l + len <= offset);
        match self.segments.get(i) {
            Some(&(l, s, _)) if offset >= l => s + (offset - l),
            Some(&(_, s, _)) => s,
            None => self.segments.last().map_or(0, |&(_, s, len)| s + len),
        }
    }

    /// The source offset of a logical end offset; at a piece boundary, the end of the piece.
    pub fn to_source_end(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|&(l, _, _)| l < offset);
        if i == 0 {
            return self.segments.first().map_or(0, |&(_, s, _)| s);
        }
        let (l, s, _) = self.segments[i - 1];
        s + (offset - l)
    }

    pub fn to_source(&self, start: usize, end: usize) -> TextRange {
        let a = self.to_source_start(start);
        let b = self.to_source_end(end).max(a);
        if start == end {
            return TextRange::empty(a);
        }
        TextRange::new(a, b)
    }
}

/// A leading `# key=value` parser directive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Lower-cased key: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    /// The whole line, ending included.
    pub range: TextRange,
    pub value_range: TextRange,
}

/// A whole-line comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The whole line, ending included.
    pub range: TextRange,
    /// The text after `#`, without the line ending.
    pub text_range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    Directive(Directive),
    Comment(Comment),
    /// An empty or blank line, ending included.
    Blank { range: TextRange },
    Instruction(Instruction),
}

impl Item {
    pub fn range(&self) -> TextRange {
        match self {
            Item::Directive(d) => d.range,
            Item::Comment(c) => c.range,
            Item::Blank { range } => *range,
            Item::Instruction(i) => i.range,
        }
    }
}

/// How bad a syntax diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// BuildKit accepts the file, but it is probably not what the author meant.
    Warning,
    /// BuildKit refuses the file.
    Error,
}

/// A problem found while parsing, with its position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub severity: Severity,
    pub message: String,
    pub range: TextRange,
}

/// The result of parsing: the tree, the problems, and the text it was read from.
#[derive(Clone, Debug)]
pub struct Parse {
    pub(crate) text: String,
    /// The UTF-8 byte-order mark, if the file starts with one.
    pub bom: Option<TextRange>,
    pub items: Vec<Item>,
    pub errors: Vec<SyntaxError>,
    /// The escape character in force (`\` or `` ` ``).
    pub escape: char,
    pub(crate) line_index: LineIndex,
}

impl Parse {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The instructions, in order.
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.items.iter().filter_map(|item| match item {
            Item::Instruction(i) => Some(i),
            _ => None,
        })
    }

    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.items.iter().filter_map(|item| match item {
            Item::Directive(d) => Some(d),
            _ => None,
        })
    }

    /// Whether BuildKit would refuse this file.
    pub fn has_errors(&self) -> bool {
        self.errors.iter().any(|e| e.severity == Severity::Error)
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.line_index.line_col(&self.text, offset)
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.line_index
    }

    /// The text rebuilt from the tree's own pieces (BOM, items, and each instruction's
    /// tokens). Equal to the input for every input: the lossless invariant.
    pub fn print(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        if let Some(bom) = self.bom {
            out.push_str(bom.slice(&self.text));
        }
        for item in &self.items {
            match item {
                Item::Instruction(instruction) => {
                    for token in &instruction.tokens {
                        out.push_str(token.range.slice(&self.text));
                    }
                }
                other => out.push_str(other.range().slice(&self.text)),
            }
        }
        out
    }
}
