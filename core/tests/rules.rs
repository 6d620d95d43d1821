//! Every rule against its fixture: `tests/fixtures/<CODE>.dockerfile` holds cases separated by
//! `#### <name>` lines, mixing positive and `OK` cases. For each case the snapshot records the
//! findings (with only that rule selected) and the diff after fixing (unsafe fixes on).
//!
//! The harness also checks, for every case, what must hold for any rule (after ruff's harness):
//! fixes converge, never introduce a parse error, leave nothing fixable behind, keep CRLF line
//! endings and comments, and agree with the rule's declared fix availability.
//!
//! A fixture may start with one settings line, which applies to all of its cases:
//! `#### settings digests: <ref> <digest>[; <ref> <digest>]` fills the digest table (as if the
//! user had pasted it), so fixes that need a known digest can be tested.

use std::fmt::Write;

use dfharden_core::fix::Applicability;
use dfharden_core::rules::{rule_by_code, FixAvailability};
use dfharden_core::syntax::parse;
use dfharden_core::{check, fix, Settings};

fn settings_for(code: &str) -> Settings {
    Settings { select: vec![code.to_string()], unsafe_fixes: Some(true), ..Settings::default() }
}

/// The settings of a fixture file and its text without the optional settings line.
fn fixture_settings<'f>(code: &str, fixture: &'f str) -> (Settings, &'f str) {
    let mut settings = settings_for(code);
    let (first, rest) = fixture.split_once('\n').unwrap_or((fixture, ""));
    let Some(pairs) = first.trim_end().strip_prefix("#### settings digests:") else { return (settings, fixture) };
    for pair in pairs.split(';').filter(|p| !p.trim().is_empty()) {
        let (reference, digest) = pair.trim().split_once(' ').expect("`<ref> <digest>`");
        settings.digests.insert(reference, digest.trim()).expect("a valid digest");
    }
    (settings, rest)
}

fn cases(fixture: &str) -> Vec<(String, String)> {
    let mut cases = Vec::new();
    for chunk in fixture.split("#### ").filter(|c| !c.trim().is_empty()) {
        let (name, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        cases.push((name.trim().to_string(), body.to_string()));
    }
    cases
}

fn unified_diff(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after).unified_diff().context_radius(1).to_string()
}

/// The invariants every rule's fixes must keep, checked on one case.
fn harness_checks(code: &str, name: &str, input: &str, settings: &Settings) {
    let rule = rule_by_code(code).expect("registered");
    let report = check(input, settings);
    for finding in &report.findings {
        match (rule.meta.fix, &finding.fix) {
            (FixAvailability::None, Some(_)) => panic!("{code}/{name}: declares no fix but offers one"),
            (FixAvailability::Always, None) => panic!("{code}/{name}: declares a fix always but offers none"),
            (_, Some(f)) => assert!(!f.title.is_empty(), "{code}/{name}: fix without a title"),
            _ => {}
        }
    }
    let outcome = fix(input, settings);
    assert!(outcome.converged, "{code}/{name}: fixes did not converge");
    assert!(outcome.dropped.is_empty(), "{code}/{name}: dropped fixes {:?}", outcome.dropped);
    let errors_before = parse(input).errors.iter().filter(|e| e.severity == dfharden_core::syntax::Severity::Error).count();
    let errors_after = parse(&outcome.output).errors.iter().filter(|e| e.severity == dfharden_core::syntax::Severity::Error).count();
    assert!(errors_after <= errors_before, "{code}/{name}: fix introduced a parse error");
    let again = check(&outcome.output, settings);
    let fixable_left: Vec<_> = again
        .findings
        .iter()
        .filter(|f| f.fix.as_ref().is_some_and(|x| x.applicability != Applicability::DisplayOnly))
        .collect();
    assert!(fixable_left.is_empty(), "{code}/{name}: fixable findings remain after fixing: {fixable_left:?}");
    assert_eq!(fix(&outcome.output, settings).output, outcome.output, "{code}/{name}: not a fixed point");
    for line in input.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(outcome.output.contains(line), "{code}/{name}: comment lost: {line}");
    }
    if !input.contains('\r') {
        let crlf = input.replace('\n', "\r\n");
        let crlf_out = fix(&crlf, settings).output;
        assert_eq!(crlf_out, outcome.output.replace('\n', "\r\n"), "{code}/{name}: CRLF not kept");
    }
}

#[test]
fn rule_fixtures() {
    insta::glob!("fixtures/*.dockerfile", |path| {
        let code = path.file_stem().unwrap().to_str().unwrap().to_string();
        let fixture = std::fs::read_to_string(path).unwrap();
        let (settings, fixture) = fixture_settings(&code, &fixture);
        let mut snapshot = String::new();
        let mut positives = 0;
        for (name, input) in cases(fixture) {
            harness_checks(&code, &name, &input, &settings);
            let parsed = parse(&input);
            let report = check(&input, &settings);
            let expect_ok = name.starts_with("OK");
            assert_eq!(report.findings.is_empty(), expect_ok, "{code}/{name}: {:?}", report.findings);
            positives += usize::from(!expect_ok);
            writeln!(snapshot, "#### {name}").unwrap();
            for f in &report.findings {
                let at = parsed.line_col(f.range.start);
                let fix = f.fix.as_ref().map_or(String::new(), |x| format!(" [fix ({:?}): {}]", x.applicability, x.title));
                writeln!(snapshot, "{}:{} {} {}{fix}", at.line, at.column, f.code, f.message).unwrap();
            }
            let outcome = fix(&input, &settings);
            if outcome.output != input {
                snapshot.push_str(&unified_diff(&input, &outcome.output));
            }
            snapshot.push('\n');
        }
        assert!(positives > 0, "{code}: the fixture has no positive case");
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn every_rule_has_a_fixture_and_a_complete_doc() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for rule in dfharden_core::ALL_RULES {
        let meta = rule.meta;
        assert!(dir.join(format!("{}.dockerfile", meta.code)).is_file(), "{} has no fixture", meta.code);
        let doc = meta.explanation();
        for section in ["## What it does", "## Why is this bad?", "## Example", "Use instead:", "## References"] {
            assert!(doc.contains(section), "{}: doc lacks `{section}`", meta.code);
        }
        if meta.fix != FixAvailability::None {
            assert!(doc.contains("## Fix safety"), "{}: a fixable rule needs `## Fix safety`", meta.code);
        }
        assert!(meta.code.len() == 5 && meta.code.starts_with("DH"), "{}: bad code", meta.code);
        assert!(!meta.summary.is_empty());
    }
    let mut codes: Vec<_> = dfharden_core::ALL_RULES.iter().map(|r| r.meta.code).collect();
    let n = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate rule codes");
    let mut names: Vec<_> = dfharden_core::ALL_RULES.iter().map(|r| r.meta.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n, "duplicate rule names");
}
