//! Fix-loop bugs found by fuzzing (`core/tests/fuzz.rs`, `fuzz/`), one test each, minimized.

use dfharden_core::syntax::parse;
use dfharden_core::{fix, Settings};

fn all_rules() -> Settings {
    Settings { select: vec!["ALL".into()], unsafe_fixes: Some(true), ..Settings::default() }
}

/// An unterminated heredoc swallows the rest of the file, so a fix that appends an
/// instruction (`USER nonroot`) only grew the heredoc's body and was proposed again every
/// round: 20 rounds, 20 `USER` lines, "did not settle". Such fixes are now dropped.
#[test]
fn fixes_after_an_unterminated_heredoc_settle() {
    for text in ["FROM alpine:t\nRUN <<E", "FROM alpine:t\nRUN <<E\n", "FROM alpine:3.20\nRUN <<E apk add curl\nx\n"] {
        let outcome = fix(text, &all_rules());
        assert!(outcome.converged, "{text:?}: {} rounds: {:?}", outcome.rounds, outcome.output);
        assert_eq!(fix(&outcome.output, &all_rules()).output, outcome.output, "{text:?}: not a fixed point");
        assert!(outcome.dropped.iter().any(|d| d.reason.contains("unterminated heredoc")), "{text:?}: {:?}", outcome.dropped);
        assert_eq!(parse(&outcome.output).errors.len(), parse(text).errors.len());
    }
}

/// `RUN adduser \` at the end of a file whose escape is a backtick: the last word is empty,
/// DH101 took it as the user to switch to and appended `USER ` (no name), which changed
/// nothing, round after round (found by cargo fuzz, target fix).
#[test]
fn an_empty_user_name_is_not_switched_to() {
    for text in ["#escape=`\nFROM t\nRUN adduser \\", "#escape=`\nFROM alpine:3.20\nRUN adduser \\\n", "FROM alpine:3.20\nRUN adduser \"\"\n"] {
        let outcome = fix(text, &all_rules());
        assert!(outcome.converged, "{text:?}: {} rounds: {:?}", outcome.rounds, outcome.output);
        assert!(!outcome.output.contains("USER \n") && !outcome.output.ends_with("USER "), "{text:?}: {:?}", outcome.output);
        assert_eq!(fix(&outcome.output, &all_rules()).output, outcome.output, "{text:?}: not a fixed point");
    }
}

/// A RUN whose text ends inside an open double quote: DH302 appended `&& rm -rf
/// /var/lib/apt/lists/*`, which became part of the quoted text, so the lists were still "not
/// removed" and the same text was appended every round (found by the randomized test after
/// the rules and the fix loop were merged). Appends now refuse a script ending inside a quote.
#[test]
fn nothing_is_appended_inside_an_open_quote() {
    let text = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y git \\\n    lib\\x\" ]\n";
    let outcome = fix(text, &all_rules());
    assert!(outcome.converged, "{} rounds: {:?}", outcome.rounds, outcome.output);
    assert!(!outcome.output.contains("rm -rf /var/lib/apt/lists/*"), "{}", outcome.output);
    assert_eq!(fix(&outcome.output, &all_rules()).output, outcome.output);
}

/// A line diff can pair a fixed line with an identical neighbour, leaving a hunk that only
/// deletes (or only inserts) beside the line the fix wrote: it is still attributed to the fix.
#[test]
fn a_hunk_beside_an_identical_line_keeps_its_rule() {
    let text = "FROM ubuntu\nENV name value\nENV name=value\n";
    let settings = Settings { select: vec!["DH804".into()], ..Settings::default() };
    let outcome = fix(text, &settings);
    assert_eq!(outcome.output, "FROM ubuntu\nENV name=value\nENV name=value\n");
    let hunks = dfharden_core::render::attributed_hunks(text, &outcome);
    assert!(!hunks.is_empty());
    for hunk in hunks {
        assert_eq!(hunk.codes, ["DH804"], "{}", hunk.text);
    }
}
