//! Every rule's fixes over every file of the corpus (strict profile, all rules): fixes
//! converge, introduce no parse error (ours, then the official parser on every output),
//! leave nothing fixable behind, reach a fixed point, keep CRLF line endings and comments,
//! copy untouched bytes through, and every changed hunk is attributed to a rule.

use dfharden_core::fix::Applicability;
use dfharden_core::render::attributed_hunks;
use dfharden_core::syntax::{parse, Item};
use dfharden_core::{check, fix, Settings};
use dfharden_tests::{corpus_files, mismatch_with_oracle, oracle_parse};

fn all_rules() -> Settings {
    Settings { select: vec!["ALL".into()], ..Settings::default() }
}

fn comments(text: &str) -> Vec<String> {
    parse(text)
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Comment(c) => Some(c.range.slice(text).trim_end().to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn fixes_hold_their_invariants_on_the_whole_corpus() {
    let settings = all_rules();
    let files = corpus_files();
    let out_dir = std::env::temp_dir().join(format!("dfharden-fixed-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut written = Vec::new();
    let mut changed = 0;
    let mut applied = 0;
    for (n, file) in files.iter().enumerate() {
        let text = String::from_utf8(file.bytes()).unwrap();
        if parse(&text).has_errors() {
            continue; // BuildKit's negative testfiles: nothing to fix.
        }
        let name = &file.path;
        let outcome = fix(&text, &settings);
        assert!(outcome.converged, "{name}: fixes did not converge in {} rounds", outcome.rounds);
        assert!(outcome.dropped.is_empty(), "{name}: dropped {:?}", outcome.dropped);
        assert!(!parse(&outcome.output).has_errors(), "{name}: output has parse errors");
        let again = check(&outcome.output, &settings);
        let left: Vec<_> = again
            .findings
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| x.applicability != Applicability::DisplayOnly))
            .map(|f| format!("{} {}", f.code, f.message))
            .collect();
        assert!(left.is_empty(), "{name}: fixable findings left: {left:?}");
        assert_eq!(fix(&outcome.output, &settings).output, outcome.output, "{name}: not a fixed point");
        for comment in comments(&text) {
            assert!(outcome.output.contains(&comment), "{name}: comment lost: {comment}");
        }
        for hunk in attributed_hunks(&text, &outcome) {
            assert!(!hunk.codes.is_empty(), "{name}: a change without a rule:\n{}", hunk.text);
        }
        if text.contains("\r\n") || !text.contains('\r') {
            let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
            let crlf_out = fix(&crlf, &settings).output;
            assert_eq!(
                crlf_out,
                outcome.output.replace("\r\n", "\n").replace('\n', "\r\n"),
                "{name}: CRLF input does not give the CRLF form of the LF output"
            );
        }
        if outcome.output != text {
            changed += 1;
            applied += outcome.applied.len();
            let path = out_dir.join(format!("{n}.Dockerfile"));
            std::fs::write(&path, &outcome.output).unwrap();
            written.push((path, outcome.output.clone(), name.clone()));
        }
    }
    // The official parser must accept every rewrite and read it as we do.
    let oracle = oracle_parse(written.iter().map(|(p, _, _)| p.clone()));
    let mut disagreements = Vec::new();
    for (path, output, name) in &written {
        let record = &oracle[&path.display().to_string()];
        if let Some(m) = mismatch_with_oracle(output, &parse(output), record) {
            disagreements.push(format!("{name}: {m}"));
        }
    }
    std::fs::remove_dir_all(&out_dir).ok();
    println!("fix corpus: {changed} of {} files changed, {applied} fixes applied, all outputs accepted by BuildKit's parser", files.len());
    assert!(disagreements.is_empty(), "rewrites the official parser reads differently:\n{}", disagreements.join("\n"));
}
