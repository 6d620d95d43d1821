//! The parser against the official one: every Dockerfile of the corpus is parsed by BuildKit's
//! Go parser (through PyPI `dockerfile`, see tests/oracle/buildkit_parse.py) and by ours, and
//! the instruction lists must agree: keyword, flags, values, exec form or not, heredoc names
//! and bodies, first and last line. Where BuildKit refuses a file, we must report an error.

use std::collections::BTreeMap;

use dfharden_core::syntax::parse;
use dfharden_tests::{corpus_files, mismatch_with_oracle, oracle_parse};

/// Files where the oracle (BuildKit v0.12.5) and current BuildKit differ, and we follow
/// current BuildKit. Each entry: corpus path and the reason.
const KNOWN_ORACLE_DIFFERENCES: &[(&str, &str)] = &[];

#[test]
fn every_corpus_file_parses_like_buildkit() {
    let files = corpus_files();
    let oracle = oracle_parse(files.iter().map(|f| f.full_path()));
    let known: BTreeMap<&str, &str> = KNOWN_ORACLE_DIFFERENCES.iter().copied().collect();
    let mut agree = 0;
    let mut disagreements = Vec::new();
    let mut known_seen = Vec::new();
    for file in &files {
        let record = &oracle[&file.full_path().display().to_string()];
        let bytes = file.bytes();
        let Ok(text) = String::from_utf8(bytes) else {
            disagreements.push(format!("{}: not UTF-8", file.path));
            continue;
        };
        let mismatch = mismatch_with_oracle(&text, &parse(&text), record);
        match (mismatch, known.get(file.path.as_str())) {
            (None, None) => agree += 1,
            (None, Some(_)) => panic!("{} is listed as a known difference but agrees", file.path),
            (Some(_), Some(reason)) => known_seen.push(format!("{}: {reason}", file.path)),
            (Some(m), None) => disagreements.push(format!("{}: {m}", file.path)),
        }
    }
    let total = files.len();
    println!(
        "differential: {agree} of {total} corpus files agree with BuildKit ({:.1}%), {} known oracle differences",
        100.0 * agree as f64 / total as f64,
        known_seen.len()
    );
    for k in &known_seen {
        println!("  known: {k}");
    }
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
}
