//! The part of BuildKit's shell lexer (`shell.Lex.ProcessWords`) that decides which words of
//! a RUN/COPY/ADD line are heredoc markers, and what a heredoc's terminator is.
//!
//! BuildKit splits the whole instruction line into shell words with an empty environment
//! (unset variables left as written) and then looks at each word. Quotes and `$`-expressions
//! decide where words end, so this follows the Go lexer's rules closely, including its errors
//! (an unmatched quote makes the whole line yield no heredocs).

use super::compat::is_space;

/// Options of one lexer run, named after the Go fields.
#[derive(Clone, Copy)]
pub(crate) struct Lex {
    pub raw_quotes: bool,
    pub raw_escapes: bool,
}

/// Nesting bound for `${a:-${b:-...}}`: beyond it the line is treated as a lexing error, so
/// hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 256;

#[derive(Debug)]
pub(crate) struct LexError;

impl Lex {
    /// `ProcessWords`: the words of `input`, or an error where the Go lexer reports one.
    pub fn words(self, input: &str) -> Result<Vec<String>, LexError> {
        let mut scanner = Scanner { chars: input.chars().collect(), pos: 0, lex: self, depth: 0 };
        let (_, words) = scanner.process_stop_on(None)?;
        Ok(words)
    }
}

struct Scanner {
    chars: Vec<char>,
    pos: usize,
    lex: Lex,
    depth: usize,
}

/// Go's `wordsStruct`.
#[derive(Default)]
struct Words {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, ch: char) {
        if is_space(ch) && self.in_word {
            if !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else if !is_space(ch) {
            self.add_raw_char(ch);
        }
    }

    fn add_raw_char(&mut self, ch: char) {
        self.word.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, s: &str) {
        s.chars().for_each(|ch| self.add_char(ch));
    }

    fn add_raw_string(&mut self, s: &str) {
        self.word.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

const ESCAPE: char = '\\';

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let ch = self.peek();
        if ch.is_some() {
            self.pos += 1;
        }
        ch
    }

    fn process_stop_on(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), LexError> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match ch {
                '$' => {
                    let tmp = self.process_dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&tmp);
                }
                '\'' => {
                    let tmp = self.process_single_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                '"' => {
                    let tmp = self.process_double_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                '<' => {
                    // Current BuildKit keeps `<<` and the blanks after it in the same word,
                    // so `cat << EOF` names a heredoc just like `cat <<EOF`.
                    let tmp = self.process_possible_heredoc();
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                _ => {
                    let mut ch = self.next().expect("peeked");
                    if ch == ESCAPE {
                        if self.lex.raw_escapes {
                            words.add_raw_char(ch);
                            result.push(ch);
                        }
                        match self.next() {
                            Some(escaped) => ch = escaped,
                            None => break,
                        }
                        words.add_raw_char(ch);
                    } else {
                        words.add_char(ch);
                    }
                    result.push(ch);
                }
            }
        }
        if stop.is_some() {
            return Err(LexError);
        }
        Ok((result, words.finish()))
    }

    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut out = String::from("<<");
        while let Some(ch) = self.peek().filter(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
            out.push(ch);
            self.next();
        }
        out
    }

    fn process_single_quote(&mut self) -> Result<String, LexError> {
        let mut result = String::new();
        let open = self.next().expect("peeked quote");
        if self.lex.raw_quotes {
            result.push(open);
        }
        loop {
            match self.next() {
                None => return Err(LexError),
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(ch) => result.push(ch),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, LexError> {
        let mut result = String::new();
        let open = self.next().expect("peeked quote");
        if self.lex.raw_quotes {
            result.push(open);
        }
        loop {
            match self.peek() {
                None => return Err(LexError),
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                }
                Some(_) => {
                    let mut ch = self.next().expect("peeked");
                    if ch == ESCAPE {
                        if self.lex.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some('"' | '$' | ESCAPE) => ch = self.next().expect("peeked"),
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    /// `$name`, `${name}` and `${name<op>word}` with every variable unset: the text is kept as
    /// written, as BuildKit does with `SkipUnsetEnv`.
    fn process_dollar(&mut self) -> Result<String, LexError> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None | Some('{' | '}' | ':') => return Err(LexError),
            Some(_) => {}
        }
        let name = self.process_name();
        let ch = self.next();
        match ch {
            Some('}') => Ok(format!("${{{name}}}")),
            Some(':' | '+' | '-' | '?') => {
                let mut op = ch.expect("matched").to_string();
                if ch == Some(':') {
                    // Go appends whatever follows the colon, even end of input.
                    if let Some(next) = self.next() {
                        op.push(next);
                    }
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(LexError);
                }
                let (word, _) = self.process_stop_on(Some('}'))?;
                self.depth -= 1;
                Ok(format!("${{{name}{op}{word}}}"))
            }
            _ => Err(LexError),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !ch.is_alphanumeric() && ch != '_' {
                break;
            }
            name.push(ch);
            self.next();
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: Lex = Lex { raw_quotes: true, raw_escapes: true };

    #[test]
    fn splits_like_buildkit() {
        assert_eq!(LINE.words("RUN cat <<EOF >x").unwrap(), ["RUN", "cat", "<<EOF", ">x"]);
        assert_eq!(LINE.words("RUN <<'E O' a").unwrap(), ["RUN", "<<'E O'", "a"]);
        assert_eq!(LINE.words("RUN cat << EOF").unwrap(), ["RUN", "cat", "<< EOF"]);
        assert_eq!(LINE.words("a ${x:-b c} d").unwrap(), ["a", "${x:-b", "c}", "d"]);
        assert!(LINE.words("echo 'unterminated").is_err());
        let plain = Lex { raw_quotes: false, raw_escapes: false };
        assert_eq!(plain.words("\"EOF\"").unwrap(), ["EOF"]);
        assert_eq!(plain.words("E\\OF").unwrap(), ["EOF"]);
    }
}
