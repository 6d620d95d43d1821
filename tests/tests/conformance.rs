//! The parser against BuildKit's own test files: each `testfiles/*/Dockerfile`, dumped in
//! BuildKit's format, must equal its sibling `result`; each `testfiles-negative` file must be
//! refused.

use dfharden_core::syntax::{buildkit_dump, parse};
use dfharden_tests::corpus_of_kind;

#[test]
fn buildkit_testfiles_parse_to_their_expected_dump() {
    let files = corpus_of_kind("conformance");
    assert!(files.len() >= 30, "expected BuildKit's testfiles in the corpus, found {}", files.len());
    let mut failures = Vec::new();
    let mut without_result = Vec::new();
    for file in &files {
        let text = String::from_utf8(file.bytes()).expect("utf-8");
        let expected_path = file.full_path().with_file_name("result");
        let parsed = parse(&text);
        if !expected_path.exists() {
            // `testfile-line` has no dump: BuildKit checks its line numbers in Go code.
            without_result.push(file.path.clone());
            assert!(!parsed.has_errors(), "{}: {:?}", file.path, parsed.errors);
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let errors: Vec<_> = parsed.errors.iter().filter(|e| e.severity == dfharden_core::syntax::Severity::Error).collect();
        let dump = buildkit_dump(&parsed);
        if dump != expected.trim() || !errors.is_empty() {
            failures.push(format!(
                "{}\n--- expected\n{}\n--- got\n{}\n--- errors {:?}",
                file.path,
                expected.trim(),
                dump,
                errors
            ));
        }
    }
    let compared = files.len() - without_result.len();
    println!("BuildKit testfiles: {} of {compared} dumps agree", compared - failures.len());
    assert!(without_result.len() <= 1, "files without a result: {without_result:?}");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn buildkit_negative_testfiles_are_refused() {
    let files = corpus_of_kind("conformance-negative");
    assert!(files.len() >= 4, "expected BuildKit's negative testfiles, found {}", files.len());
    for file in files {
        let text = String::from_utf8(file.bytes()).expect("utf-8");
        let parsed = parse(&text);
        assert!(parsed.has_errors(), "{} should be refused", file.path);
        assert_eq!(parsed.print(), text, "{} must still round-trip", file.path);
    }
}
