//! What must hold for any input, shared by the fuzz targets (`fuzz/fuzz_targets/`) and the
//! stable replay and randomized tests (`core/tests/fuzz.rs`). Each function panics when an
//! invariant breaks.

// Each target uses only some of these.
#![allow(dead_code)]

use dfharden_core::syntax::{check_limits, decode, parse, LineIndex, Severity};
use dfharden_core::{check, fix, Settings};

/// Every rule with unsafe fixes on: the most code a text can reach.
pub fn all_rules() -> Settings {
    Settings { select: vec!["ALL".into()], unsafe_fixes: Some(true), ..Settings::default() }
}

/// The text the tools would read from these bytes (`None`: refused as binary, non-UTF-8 or
/// too large, as the command line refuses them).
pub fn text_of(bytes: &[u8]) -> Option<&str> {
    let text = decode(bytes).ok()?;
    check_limits(text).ok()?;
    Some(text)
}

fn errors(text: &str) -> usize {
    parse(text).errors.iter().filter(|e| e.severity == Severity::Error).count()
}

/// Parsing never panics and is lossless.
pub fn parse_invariants(text: &str) {
    let parsed = parse(text);
    assert!(parsed.print() == text, "parse(text).print() != text for {text:?}");
}

/// Checking never panics, and every finding has a range inside the text that the renderers
/// can place at a line and column.
pub fn check_invariants(text: &str, settings: &Settings) {
    let report = check(text, settings);
    let index = LineIndex::new(text);
    for f in &report.findings {
        assert!(f.range.start <= f.range.end && f.range.end <= text.len(), "{} range {:?} outside the text", f.code, f.range);
        index.line_col(text, f.range.start);
        index.line_col(text, f.range.end);
        if let Some(fix) = &f.fix {
            for e in &fix.edits {
                assert!(e.range.end <= text.len() && text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end),
                    "{} edit range {:?} not on character boundaries", f.code, e.range);
            }
        }
    }
}

/// Fixing never panics, adds no parse error, settles, and is a fixed point: fixing the
/// output changes nothing.
pub fn fix_invariants(text: &str, settings: &Settings) {
    let outcome = fix(text, settings);
    let before = errors(text);
    let after = errors(&outcome.output);
    assert!(after <= before, "fix added parse errors ({before} -> {after}) to {text:?}:\n{}", outcome.output);
    assert!(outcome.converged, "fixes did not settle in {} rounds for {text:?}", outcome.rounds);
    let again = fix(&outcome.output, settings);
    assert!(again.output == outcome.output, "not a fixed point for {text:?}:\nfirst:  {:?}\nsecond: {:?}", outcome.output, again.output);
}
