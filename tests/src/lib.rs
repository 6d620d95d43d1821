//! Shared helpers for the cross-crate tests: where the corpus is, what it holds, and how to
//! reach the external tools (the official parser, the CLI binary).
//!
//! A test that needs something missing panics with what to install; none skips silently.

use std::path::{Path, PathBuf};

use dfharden_core::syntax::{Arguments, Instruction, Keyword, Parse};
use serde_json::{json, Value};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// `../shared/corpus` beside the repository, or `$DFHARDEN_CORPUS`.
pub fn corpus_dir() -> PathBuf {
    let dir = std::env::var_os("DFHARDEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "the test corpus is missing: expected {}/MANIFEST.tsv (set DFHARDEN_CORPUS to its folder)",
        dir.display()
    );
    dir
}

/// One row of the corpus manifest.
#[derive(Clone, Debug)]
pub struct CorpusFile {
    pub kind: String,
    /// Path relative to the corpus folder.
    pub path: String,
    pub license: String,
}

impl CorpusFile {
    pub fn full_path(&self) -> PathBuf {
        corpus_dir().join(&self.path)
    }

    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.full_path()).unwrap_or_else(|e| panic!("{}: {e}", self.path))
    }
}

/// Every file in the corpus manifest.
pub fn corpus_files() -> Vec<CorpusFile> {
    let manifest = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).expect("manifest");
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (kind, path, license) = (column("kind"), column("corpus_path"), column("license"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            CorpusFile {
                kind: cells[kind].to_string(),
                path: cells[path].to_string(),
                license: cells[license].to_string(),
            }
        })
        .collect()
}

/// The corpus files of one kind (`real`, `conformance`, ...).
pub fn corpus_of_kind(kind: &str) -> Vec<CorpusFile> {
    corpus_files().into_iter().filter(|f| f.kind == kind).collect()
}

/// The Python interpreter of the virtualenv that holds the official parser (`dockerfile`
/// on PyPI), made by the test script: `$DFHARDEN_ORACLE_PYTHON` or `.venv/bin/python`.
pub fn oracle_python() -> PathBuf {
    let python = std::env::var_os("DFHARDEN_ORACLE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/python"));
    assert!(
        python.is_file(),
        "the official parser is not installed: {} is missing. Run ./scripts/test (it creates \
         the virtualenv with `dockerfile==3.4.0`), or set DFHARDEN_ORACLE_PYTHON.",
        python.display()
    );
    python
}

/// Parses files with the official parser; the result is keyed by the path as given.
pub fn oracle_parse(
    paths: impl IntoIterator<Item = PathBuf>,
) -> std::collections::HashMap<String, serde_json::Value> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(oracle_python())
        .arg(repo_root().join("tests/oracle/buildkit_parse.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the oracle");
    let input: String = paths.into_iter().map(|p| format!("{}\n", p.display())).collect();
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("oracle output");
    writer.join().expect("writer").expect("write paths");
    assert!(output.status.success(), "the oracle failed: {:?}", output.status);
    String::from_utf8(output.stdout)
        .expect("oracle output is UTF-8")
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("oracle JSON");
            (record["path"].as_str().expect("path").to_string(), record)
        })
        .collect()
}


/// How our parse differs from the oracle's record for the same text, if it does.
pub fn mismatch_with_oracle(text: &str, parsed: &Parse, record: &Value) -> Option<String> {
    if record["ok"] == Value::Bool(false) {
        return (!parsed.has_errors())
            .then(|| format!("BuildKit refuses it ({}), we do not", record["error"]));
    }
    if parsed.has_errors() {
        return Some(format!("we report errors BuildKit does not: {:?}", parsed.errors));
    }
    let mut mine: Vec<Value> = parsed.instructions().map(|i| ours_as_oracle(i, text)).collect();
    mine.iter_mut().for_each(cut_at_nul);
    let theirs = record["commands"].as_array().expect("commands");
    if mine.len() != theirs.len() {
        return Some(format!("{} instructions, BuildKit {}", mine.len(), theirs.len()));
    }
    mine.iter()
        .zip(theirs)
        .find(|(a, b)| a != b)
        .map(|(a, b)| format!("\n  ours:     {a}\n  buildkit: {b}"))
}

fn ours_as_oracle(instruction: &Instruction, text: &str) -> Value {
    let inner = instruction.effective();
    let sub_cmd = match &instruction.arguments {
        Arguments::Onbuild(inner) => Value::from(inner.keyword_range.slice(text)),
        _ => Value::Null,
    };
    // The wrapper does not expose the heredocs of an ONBUILD line.
    let heredocs: Vec<Value> = if instruction.keyword == Keyword::Onbuild {
        Vec::new()
    } else {
        instruction
            .heredocs
            .iter()
            .map(|h| json!({"name": h.name, "fd": h.fd, "content": h.content(text)}))
            .collect()
    };
    json!({
        "cmd": instruction.keyword_range.slice(text),
        "sub_cmd": sub_cmd,
        "json": inner.arguments.is_exec(),
        "flags": instruction.flags.iter().map(|f| f.text.clone()).collect::<Vec<_>>(),
        "value": inner.arguments.buildkit_values(),
        "start_line": instruction.start_line,
        "end_line": instruction.end_line,
        "heredocs": heredocs,
    })
}

/// The Python binding cuts strings at NUL (a C-string boundary); apply the same cut to ours.
fn cut_at_nul(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let Some(i) = s.find('\0') {
                s.truncate(i);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(cut_at_nul),
        Value::Object(map) => map.values_mut().for_each(cut_at_nul),
        _ => {}
    }
}

