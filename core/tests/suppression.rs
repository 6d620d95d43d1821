//! Inline suppressions: `# dfharden: ignore=...` above an instruction, `# dfharden:
//! ignore-file=...` anywhere, and hadolint's `# hadolint ignore=...` / `# hadolint global
//! ignore=...` for rules that have a hadolint equivalent.

use dfharden_core::{check, Settings};

fn codes(text: &str) -> Vec<(usize, &'static str)> {
    let parsed = dfharden_core::syntax::parse(text);
    let settings = Settings { select: vec!["DH305".into(), "DH308".into(), "DH311".into()], ..Settings::default() };
    check(text, &settings).findings.iter().map(|f| (parsed.line_col(f.range.start).line, f.code)).collect()
}

#[test]
fn without_comments_everything_is_reported() {
    let text = "FROM alpine:3.20\nMAINTAINER x\nADD a.txt /a\nRUN apk add curl\n";
    assert_eq!(codes(text), [(2, "DH311"), (3, "DH308"), (4, "DH305")]);
}

#[test]
fn ignore_applies_to_the_next_instruction_only() {
    let text = "FROM alpine:3.20\n# dfharden: ignore=DH305\nRUN apk add curl\nRUN apk add git\n";
    assert_eq!(codes(text), [(4, "DH305")]);
}

#[test]
fn ignore_lists_and_blank_ignore() {
    let text = "FROM alpine:3.20\n# dfharden: ignore=DH308, dh305\n# a note between\nRUN apk add curl\n# dfharden: ignore\nADD a /a\nADD b /b\n";
    assert_eq!(codes(text), [(7, "DH308")]);
}

#[test]
fn a_blank_line_ends_the_comment_block() {
    let text = "FROM alpine:3.20\n# dfharden: ignore=DH305\n\nRUN apk add curl\n";
    assert_eq!(codes(text), [(4, "DH305")]);
}

#[test]
fn file_level_ignore() {
    let text = "FROM alpine:3.20\nRUN apk add curl\n# dfharden: ignore-file=DH305\nRUN apk add git\nADD a /a\n";
    assert_eq!(codes(text), [(5, "DH308")]);
    let everything = "# dfharden: ignore-file\nFROM alpine:3.20\nRUN apk add curl\n";
    assert_eq!(codes(everything), []);
}

#[test]
fn hadolint_comments_are_honoured_through_aliases() {
    // DL3019 is DH305's hadolint code; DL3020 is DH308's.
    let text = "FROM alpine:3.20\n# hadolint ignore=DL3019,DL3020\nRUN apk add curl\nADD a /a\n";
    assert_eq!(codes(text), [(4, "DH308")]);
    let global = "# hadolint global ignore=DL3020\nFROM alpine:3.20\nADD a /a\nRUN apk add curl\n";
    assert_eq!(codes(global), [(4, "DH305")]);
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let text = "FROM alpine:3.20\n# dfharden: ignore=DH305\nRUN apk add curl\n";
    let settings = Settings { select: vec!["DH305".into()], ..Settings::default() };
    assert_eq!(dfharden_core::fix(text, &settings).output, text);
}

/// `select` and `ignore` take the ids of other tools' checks a rule claims, so a list copied
/// from a hadolint configuration means the same to dfharden.
#[test]
fn settings_select_and_ignore_take_other_tools_ids() {
    let text = "FROM alpine:3.20\nMAINTAINER x\nADD a.txt /a\nRUN apk add curl\n";
    let run = |select: &[&str], ignore: &[&str]| -> Vec<&'static str> {
        let settings = Settings {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            ..Settings::default()
        };
        assert!(settings.problems().is_empty(), "{:?}", settings.problems());
        check(text, &settings).findings.iter().map(|f| f.code).collect()
    };
    assert_eq!(run(&["DL3019"], &[]), ["DH305"]);
    assert_eq!(run(&["dl3019", "DL4000"], &[]), ["DH311", "DH305"]);
    assert_eq!(run(&["DH305", "DH308"], &["DL3020"]), ["DH305"]);
    // A prefix of another tool's ids is not a selector: `DL3` would otherwise mean half the rules.
    assert!(!Settings { select: vec!["DL3".into()], ..Settings::default() }.problems().is_empty());
}

/// BuildKit's `# check=` directive works through the rules that claim its checks.
#[test]
fn buildkit_check_directive_skips_and_raises() {
    let settings = Settings { select: vec!["DH311".into(), "DH305".into()], ..Settings::default() };
    let found = |text: &str| -> Vec<(&'static str, dfharden_core::rules::Severity)> {
        check(text, &settings).findings.iter().map(|f| (f.code, f.severity)).collect()
    };
    use dfharden_core::rules::Severity::{Error, Info, Warning};
    let body = "FROM alpine:3.20\nMAINTAINER x\nRUN apk add curl\n";
    assert_eq!(found(body), [("DH311", Info), ("DH305", Warning)]);
    assert_eq!(found(&format!("# check=skip=MaintainerDeprecated\n{body}")), [("DH305", Warning)]);
    assert_eq!(found(&format!("# check=skip=all\n{body}")), [("DH305", Warning)]);
    // error=true makes the claimed build checks errors; the others keep their severity.
    assert_eq!(found(&format!("# check=error=true\n{body}")), [("DH311", Error), ("DH305", Warning)]);
    assert_eq!(found(&format!("# check=skip=JSONArgsRecommended;error=true\n{body}")), [("DH311", Error), ("DH305", Warning)]);
    // Not a directive once an instruction or comment came first: nothing skipped.
    assert_eq!(found(&format!("# note\n# check=skip=all\n{body}")), [("DH311", Info), ("DH305", Warning)]);
}
