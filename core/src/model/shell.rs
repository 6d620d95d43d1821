//! A light reading of the shell scripts in RUN instructions: simple commands and their words,
//! each word with its source range, so that rules can recognise `apt-get install`, `curl | sh`
//! or `cd` and fixes can insert text at the right byte.
//!
//! This is not a shell parser. It splits on the control operators (`&&`, `||`, `;`, `|`, `&`,
//! newlines), honours quotes, escapes, `$(...)` and backticks well enough to not split inside
//! them, and removes quotes from word values. Anything it cannot read stays inside a word.

use compact_str::CompactString;
use serde::Serialize;

use crate::syntax::{Arguments, Instruction, Keyword, LogicalLine, TextRange};

/// A word of a simple command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShellWord {
    /// The value with quotes and escapes removed (`"a b"` → `a b`); `$VAR` kept as written.
    /// Words up to 24 bytes, nearly all of them, are stored inline without an allocation.
    pub text: CompactString,
    /// Where it is written.
    pub range: TextRange,
}

/// How a simple command is joined to the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Connector {
    And,
    Or,
    Pipe,
    Semicolon,
    Background,
    Newline,
    End,
}

/// One simple command: `apt-get install -y curl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SimpleCommand {
    pub words: Vec<ShellWord>,
    /// From the first word to the last.
    pub range: TextRange,
    /// What follows the command.
    pub connector: Connector,
    /// [`Self::program_index`] and [`Self::runs_index`], each with where the program's name
    /// starts in its word, found once when the command is read: every rule asks for them, for
    /// every command.
    #[serde(skip)]
    program_at: Option<(usize, usize)>,
    #[serde(skip)]
    runs_at: Option<(usize, usize)>,
}

/// Shell reserved words that can stand before a command (`then apt-get ...`, `! grep ...`).
pub const RESERVED_WORDS: &[&str] = &["!", "if", "then", "else", "elif", "do", "while", "until", "time"];

/// Programs that run the rest of their line as a command (`sudo apt-get ...`).
const WRAPPERS: &[&str] = &["sudo", "env", "exec", "command", "nohup"];

/// Options of those wrappers that take a value as the next word (`sudo -u app ...`).
const WRAPPER_VALUE_OPTIONS: &[&str] = &["-u", "-g", "-U", "-C", "-h", "-p", "-r", "-t", "-D", "-R", "-S"];

impl SimpleCommand {
    pub fn new(words: Vec<ShellWord>, range: TextRange, connector: Connector) -> SimpleCommand {
        let name_start = |text: &str, skip_parens: bool| {
            let trimmed = if skip_parens { text.trim_start_matches('(') } else { text };
            text.len() - basename(trimmed).len()
        };
        let program_at = words
            .iter()
            .position(|w| !is_assignment(&w.text) && !is_redirection(&w.text))
            .map(|i| (i, name_start(&words[i].text, false)));
        let runs_at = find_runs_index(&words).map(|i| (i, name_start(&words[i].text, true)));
        SimpleCommand { words, range, connector, program_at, runs_at }
    }

    /// The program name without a leading path (`/usr/bin/apt-get` → `apt-get`), skipping
    /// environment assignments (`DEBIAN_FRONTEND=noninteractive apt-get ...`).
    pub fn program(&self) -> Option<&str> {
        self.program_at.map(|(i, from)| &self.words[i].text[from..])
    }

    /// Index of the program word (after `VAR=value` assignments and redirections).
    pub fn program_index(&self) -> Option<usize> {
        self.program_at.map(|(i, _)| i)
    }

    /// The index of the word that names the program the command runs. Unlike
    /// [`Self::program_index`], this also skips reserved words (`then`, `do`, `!`) and
    /// wrappers (`sudo`, `env`), so `if ...; then apt-get install x; fi` still shows `apt-get`.
    pub fn runs_index(&self) -> Option<usize> {
        self.runs_at.map(|(i, _)| i)
    }

    /// The name of the program at [`Self::runs_index`], without its path or a subshell's `(`.
    pub fn runs_name(&self) -> Option<&str> {
        self.runs_at.map(|(i, from)| &self.words[i].text[from..])
    }

    /// The words after the program.
    pub fn args(&self) -> &[ShellWord] {
        match self.program_index() {
            Some(i) => &self.words[i + 1..],
            None => &[],
        }
    }

    /// Whether any argument equals one of `flags` (`-y`, `--yes`), including combined short
    /// flags (`-qy` contains `-y`).
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.args().iter().any(|w| {
            flags.contains(&w.text.as_str())
                || flags.iter().any(|f| {
                    f.len() == 2
                        && f.starts_with('-')
                        && w.text.starts_with('-')
                        && !w.text.starts_with("--")
                        && w.text[1..].contains(&f[1..])
                })
        })
    }

    /// The first non-option argument (a subcommand such as `install`).
    pub fn subcommand(&self) -> Option<&ShellWord> {
        self.args().iter().find(|w| !w.text.starts_with('-'))
    }
}

/// Whether `text` ends inside an open quote, `$(...)` or backticks: anything appended to it
/// would become part of that quoted text, not a command of its own.
pub fn ends_inside_quote(text: &str) -> bool {
    let mut chars = text.chars();
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => {
                chars.next();
            }
            (Some('"'), '"') => quote = None,
            (Some('`'), '`') => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    quote.is_some() || depth > 0
}

fn find_runs_index(words: &[ShellWord]) -> Option<usize> {
    let mut i = 0;
    let mut in_wrapper = false;
    while i < words.len() {
        let text = words[i].text.trim_start_matches('(');
        if text.is_empty() || is_redirection(text) || is_assignment(text) || RESERVED_WORDS.contains(&text) {
            i += 1;
        } else if in_wrapper && text.starts_with('-') {
            i += if WRAPPER_VALUE_OPTIONS.contains(&text) { 2 } else { 1 };
        } else if WRAPPERS.contains(&basename(text)) {
            in_wrapper = true;
            i += 1;
        } else {
            return Some(i);
        }
    }
    None
}

/// A path's last component: `apt-get` for `/usr/bin/apt-get`.
pub fn basename(word: &str) -> &str {
    // A byte scan: words are short, and `rfind` costs more to set up than to run here.
    match word.bytes().rposition(|b| b == b'/') {
        Some(slash) => &word[slash + 1..],
        None => word,
    }
}

/// `<<EOF`, `>file`, `2>&1`, `&>log`: words that redirect rather than name a program.
pub fn is_redirection(word: &str) -> bool {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.starts_with('<') || rest.starts_with('>') || word.starts_with("&>")
}

/// `NAME=value`: a shell variable assignment, not a program.
pub fn is_assignment(word: &str) -> bool {
    // A byte scan: this runs for every word of every command.
    let bytes = word.as_bytes();
    if !bytes.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
        return false;
    }
    bytes.iter().find(|b| !(b.is_ascii_alphanumeric() || **b == b'_')) == Some(&b'=')
}

/// A script and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Script {
    pub commands: Vec<SimpleCommand>,
    /// Where the script's text is: the RUN arguments, a heredoc body, or an exec-form element.
    pub range: TextRange,
    pub origin: ScriptOrigin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptOrigin {
    /// Shell-form RUN: positions are exact.
    ShellForm,
    /// A heredoc body run by the shell: positions are exact.
    Heredoc,
    /// `RUN ["sh", "-c", "..."]`: every word points at the whole JSON element.
    ExecForm,
}

/// The scripts a RUN instruction executes (ONBUILD RUN included).
pub fn run_scripts(instruction: &Instruction, source: &str) -> Vec<Script> {
    let run = instruction.effective();
    if run.keyword != Keyword::Run {
        return Vec::new();
    }
    let mut scripts = Vec::new();
    match &run.arguments {
        Arguments::Text(word) => {
            let logical = &instruction.logical;
            let start = logical_offset(logical, word.range.start);
            let end = start + word.text.len();
            let map = |a: usize, b: usize| logical.to_source(a, b);
            scripts.push(Script {
                commands: split(&logical.text[start..end], start, &map),
                range: word.range,
                origin: ScriptOrigin::ShellForm,
            });
            // A heredoc fed to the shell itself (`RUN <<EOF`, `RUN bash <<EOF`) is a script.
            let first_program = scripts[0].commands.first().and_then(|c| c.program());
            let shell_runs_heredoc = first_program.is_none_or(is_shell)
                || scripts[0].commands.first().is_some_and(|c| c.words.first().is_some_and(|w| w.text.starts_with("<<")));
            for heredoc in &run.heredocs {
                if heredoc.fd == 0 && shell_runs_heredoc {
                    let body = heredoc.body;
                    let text = body.slice(source);
                    let map = |a: usize, b: usize| TextRange::new(body.start + a, body.start + b);
                    scripts.push(Script {
                        commands: split(text, 0, &map),
                        range: body,
                        origin: ScriptOrigin::Heredoc,
                    });
                }
            }
        }
        Arguments::Exec(words) => {
            let shell_c = words.len() >= 3
                && is_shell(words[0].text.rsplit('/').next().unwrap_or_default())
                && words[1].text == "-c";
            if shell_c {
                let element = words[2].range;
                let map = |_: usize, _: usize| element;
                scripts.push(Script {
                    commands: split(&words[2].text, 0, &map),
                    range: element,
                    origin: ScriptOrigin::ExecForm,
                });
            } else {
                let range = words.first().map_or(run.arguments_range, |w| w.range.cover(words.last().unwrap().range));
                scripts.push(Script {
                    commands: vec![SimpleCommand::new(
                        words.iter().map(|w| ShellWord { text: w.text.as_str().into(), range: w.range }).collect(),
                        range,
                        Connector::End,
                    )],
                    range,
                    origin: ScriptOrigin::ExecForm,
                });
            }
        }
        _ => {}
    }
    scripts
}

fn is_shell(program: &str) -> bool {
    matches!(program, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh")
}

/// The text the shell runs for `range` (source offsets inside a shell-form `RUN`): the logical
/// line, without the continuations and the comment lines between them. A quote in such a
/// comment line is not part of the script, so questions about quoting must ask this text.
pub fn logical_text(instruction: &Instruction, range: TextRange) -> Option<&str> {
    let logical = &instruction.logical;
    logical.text.get(logical_offset(logical, range.start)..logical_offset(logical, range.end))
}

/// The logical-line offset of a source offset inside the instruction.
fn logical_offset(logical: &LogicalLine, source: usize) -> usize {
    for &(l, s, len) in &logical.segments {
        if source >= s && source <= s + len {
            return l + (source - s);
        }
    }
    0
}

/// Splits `text` into simple commands. `base` is added to offsets before `map` turns them
/// into source ranges.
pub fn split(text: &str, base: usize, map: &dyn Fn(usize, usize) -> TextRange) -> Vec<SimpleCommand> {
    let bytes = text.as_bytes();
    let mut commands = Vec::new();
    // Most commands have a handful of words: start with room for them.
    let mut words: Vec<ShellWord> = Vec::with_capacity(8);
    let mut i = 0;
    let finish = |words: &mut Vec<ShellWord>, connector: Connector, commands: &mut Vec<SimpleCommand>| {
        if let (Some(first), Some(last)) = (words.first(), words.last()) {
            let range = first.range.cover(last.range);
            commands.push(SimpleCommand::new(std::mem::replace(words, Vec::with_capacity(8)), range, connector));
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\n' => {
                finish(&mut words, Connector::Newline, &mut commands);
                i += 1;
            }
            b'#' if words.is_empty() || bytes.get(i.wrapping_sub(1)).is_some_and(|c| c.is_ascii_whitespace()) => {
                // A comment runs to the end of the line.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'&' if bytes.get(i + 1) == Some(&b'>') => {
                let (end, value) = read_word(text, i);
                words.push(ShellWord { text: value, range: map(base + i, base + end) });
                i = end.max(i + 1);
            }
            b'&' | b'|' | b';' => {
                let two = bytes.get(i + 1) == Some(&b);
                let connector = match (b, two) {
                    (b'&', true) => Connector::And,
                    (b'|', true) => Connector::Or,
                    (b'|', false) => Connector::Pipe,
                    (b'&', false) => Connector::Background,
                    _ => Connector::Semicolon,
                };
                finish(&mut words, connector, &mut commands);
                i += if two && b != b';' { 2 } else { 1 };
            }
            b'(' | b')' | b'{' | b'}' if words.is_empty() => i += 1,
            _ => {
                let (end, value) = read_word(text, i);
                words.push(ShellWord { text: value, range: map(base + i, base + end) });
                i = end.max(i + 1);
            }
        }
    }
    finish(&mut words, Connector::End, &mut commands);
    commands
}

/// Reads one word starting at `start`: returns its end offset and unquoted value.
fn read_word(text: &str, start: usize) -> (usize, CompactString) {
    let bytes = text.as_bytes();
    let mut value = CompactString::const_new("");
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'&' if i > start && matches!(bytes[i - 1], b'>' | b'<') => {
                value.push('&');
                i += 1;
            }
            b'&' if i == start && bytes.get(i + 1) == Some(&b'>') => {
                value.push('&');
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' => break,
            b')' if !value.is_empty() => break,
            b'\\' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 2;
                    continue;
                }
                match text[i + 1..].chars().next() {
                    Some(c) => {
                        value.push(c);
                        i += 1 + c.len_utf8();
                    }
                    None => i += 1,
                }
            }
            b'\'' => {
                let close = text[i + 1..].find('\'').map_or(bytes.len(), |j| i + 1 + j);
                value.push_str(&text[i + 1..close]);
                i = (close + 1).min(bytes.len());
            }
            b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' && j + 1 < bytes.len() {
                        j += 1;
                    }
                    j += 1;
                }
                push_double_quoted(&mut value, &text[i + 1..j.min(bytes.len())]);
                i = (j + 1).min(bytes.len());
            }
            b'$' if bytes.get(i + 1) == Some(&b'(') => {
                let end = matching_paren(bytes, i + 1);
                value.push_str(&text[i..end]);
                i = end;
            }
            b'`' => {
                let close = text[i + 1..].find('`').map_or(bytes.len(), |j| i + 2 + j);
                value.push_str(&text[i..close.min(bytes.len())]);
                i = close.min(bytes.len());
            }
            _ => {
                // A run of ordinary bytes goes in at once: most words are nothing else, and
                // this keeps them to one allocation. The bytes that end a run are ASCII, so
                // runs end on character boundaries.
                let run = bytes[i..]
                    .iter()
                    .position(|b| {
                        matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b')' | b'\\' | b'\'' | b'"' | b'$' | b'`')
                    })
                    .unwrap_or(bytes.len() - i);
                let end = if run == 0 { i + text[i..].chars().next().expect("in bounds").len_utf8() } else { i + run };
                value.push_str(&text[i..end]);
                i = end;
            }
        }
    }
    (i, value)
}

/// The value of a double-quoted string's content: `\"` and `\\` lose their backslash.
fn push_double_quoted(value: &mut CompactString, content: &str) {
    let mut rest = content;
    while let Some(at) = rest.find('\\') {
        value.push_str(&rest[..at]);
        match rest.as_bytes().get(at + 1) {
            Some(b'"' | b'\\') => {
                value.push_str(&rest[at + 1..at + 2]);
                rest = &rest[at + 2..];
            }
            _ => {
                value.push('\\');
                rest = &rest[at + 1..];
            }
        }
    }
    value.push_str(rest);
}

/// The end of the `$(...)` whose `(` is at `open`: quoted text and escaped characters do
/// not count (`$(printf ')')` is one substitution). Unclosed, it runs to the end of the text.
fn matching_paren(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0;
    let mut j = open;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 1,
            b'\'' => j += bytes[j + 1..].iter().position(|&b| b == b'\'').map_or(bytes.len(), |k| k + 1),
            b'"' => {
                j += 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn programs(text: &str) -> Vec<(String, Vec<String>, Connector)> {
        let parsed = parse(text);
        let run = parsed.instructions().last().unwrap();
        run_scripts(run, parsed.text())
            .into_iter()
            .flat_map(|s| s.commands)
            .map(|c| (c.program().unwrap_or_default().to_string(), c.words.iter().map(|w| w.text.to_string()).collect(), c.connector))
            .collect()
    }

    #[test]
    fn splits_commands_and_unquotes_words() {
        let got = programs("FROM a\nRUN DEBIAN_FRONTEND=x apt-get update && apt-get install -y \"curl\" \\\n  'git' | tee log; echo $(date) done\n");
        assert_eq!(got[0].0, "apt-get");
        assert_eq!(got[0].2, Connector::And);
        assert_eq!(got[1].1, ["apt-get", "install", "-y", "curl", "git"]);
        assert_eq!(got[1].2, Connector::Pipe);
        assert_eq!(got[3].1, ["echo", "$(date)", "done"]);
    }

    #[test]
    fn word_ranges_point_into_the_source() {
        let text = "FROM a\nRUN apt-get install \\\n    curl\n";
        let parsed = parse(text);
        let run = parsed.instructions().last().unwrap();
        let scripts = run_scripts(run, text);
        let curl = &scripts[0].commands[0].words[2];
        assert_eq!(curl.range.slice(text), "curl");
    }

    #[test]
    fn reads_heredoc_scripts() {
        let text = "FROM a\nRUN <<EOF\nset -e\napk add curl\nEOF\n";
        let got = programs(text);
        assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), ["", "set", "apk"]);
        let parsed = parse(text);
        let scripts = run_scripts(parsed.instructions().last().unwrap(), text);
        assert_eq!(scripts[1].commands[1].words[2].range.slice(text), "curl");
    }

    #[test]
    fn redirections_are_not_programs() {
        let commands = split("2>&1 make >log 2>&1 && x &>/dev/null", 0, &|a, b| TextRange::new(a, b));
        assert_eq!(commands.len(), 2);
        assert_eq!(commands[0].program(), Some("make"));
        assert_eq!(commands[0].words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["2>&1", "make", ">log", "2>&1"]);
        assert_eq!(commands[1].words.len(), 2);
    }

    #[test]
    fn command_substitution_ends_at_its_own_paren() {
        let commands = split("echo $(printf ')') done && rm x", 0, &|a, b| TextRange::new(a, b));
        assert_eq!(commands[0].words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["echo", "$(printf ')')", "done"]);
        assert_eq!(commands[1].program(), Some("rm"));
    }

    #[test]
    fn open_quotes_are_seen() {
        assert!(ends_inside_quote("echo \"a b"));
        assert!(ends_inside_quote("echo 'a"));
        assert!(ends_inside_quote("echo $(date"));
        assert!(!ends_inside_quote("echo \"a\\\" b\" 'c' $(d) `e`"));
        assert!(!ends_inside_quote("echo it\\'s"));
    }

    #[test]
    fn flags() {
        let commands = split("apt-get -qy install x", 0, &|a, b| TextRange::new(a, b));
        assert!(commands[0].has_flag(&["-y", "--yes"]));
        assert_eq!(commands[0].subcommand().unwrap().text, "install");
    }
}
