//! Hostile input: generated Dockerfiles built to hit worst cases (deep ONBUILD nesting, huge
//! heredocs, thousands of stages, 100k continuation lines, very long lines, nested `${`, many
//! fixes at once). Each must parse losslessly, check and fix without panicking, and cost grow
//! linearly: the time for size 4n must stay under 10x the time for size n (quadratic growth
//! gives 16x). Times are this thread's CPU time, the fastest of 3 runs, so that a busy
//! machine does not make the test flaky.
//!
//! The sizes are chosen so that the whole file runs in a few seconds in a debug build.
//! `DFHARDEN_HOSTILE_SCALE=k` multiplies every size by k (for a release-mode soak).

use std::time::Duration;
#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
use std::time::Instant;

use dfharden_core::syntax::{check_limits, parse, LineIndex, MAX_FILE_BYTES, MAX_LINE_BYTES};
use dfharden_core::{check, fix, Settings};

/// Every rule, unsafe fixes included: the most work `check` and `fix` can do.
fn all_rules() -> Settings {
    Settings { select: vec!["ALL".into()], unsafe_fixes: Some(true), ..Settings::default() }
}

fn scale() -> usize {
    std::env::var("DFHARDEN_HOSTILE_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
}

/// What one run does: parse (and print), check, fix, or check and place every finding at a
/// line and column (what the command line does to print them).
#[derive(Clone, Copy, Debug)]
enum Stage {
    Parse,
    Check,
    Fix,
    Locate,
}

fn run(stage: Stage, text: &str, settings: &Settings) {
    match stage {
        Stage::Parse => {
            let parsed = parse(text);
            assert!(parsed.print() == text, "not lossless");
        }
        Stage::Check => {
            std::hint::black_box(check(text, settings));
        }
        Stage::Locate => {
            let report = check(text, settings);
            let index = LineIndex::new(text);
            for f in &report.findings {
                std::hint::black_box(index.line_col(text, f.range.start));
                std::hint::black_box(index.line_col(text, f.range.end));
            }
        }
        Stage::Fix => {
            let outcome = fix(text, settings);
            assert!(
                parse(&outcome.output).errors.len() <= parse(text).errors.len() + 1,
                "fix added parse errors"
            );
        }
    }
}

/// The CPU time this thread has used: unlike the wall clock, it does not count the time
/// other processes on a busy machine take from us. The wall clock elsewhere.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn cpu_time() -> Duration {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec (two 64-bit fields on 64-bit Linux).
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    assert!(ok, "clock_gettime failed");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn cpu_time() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

fn fastest_of_3(stage: Stage, text: &str, settings: &Settings) -> Duration {
    (0..3)
        .map(|_| {
            let start = cpu_time();
            run(stage, text, settings);
            cpu_time() - start
        })
        .min()
        .unwrap()
}

/// Asserts that parse, check, fix and locate of `generate(4n)` take less than 10x as long as of
/// `generate(n)`. A floor of 2 ms on the small size keeps timer noise out of the ratio.
fn assert_linear(name: &str, n: usize, generate: impl Fn(usize) -> String) {
    let n = n * scale();
    let settings = all_rules();
    let small = generate(n);
    let large = generate(4 * n);
    for stage in [Stage::Parse, Stage::Check, Stage::Fix, Stage::Locate] {
        let t1 = fastest_of_3(stage, &small, &settings);
        let t4 = fastest_of_3(stage, &large, &settings);
        let floor = Duration::from_millis(2);
        let ratio = t4.as_secs_f64() / t1.max(floor).as_secs_f64();
        eprintln!(
            "{name} {stage:?}: n={n} ({} bytes) {t1:?}, 4n ({} bytes) {t4:?}, ratio {ratio:.1}",
            small.len(),
            large.len()
        );
        assert!(
            ratio < 10.0,
            "{name} {stage:?}: 4x the input took {ratio:.1}x the time ({t1:?} -> {t4:?}): not linear"
        );
    }
}

#[test]
fn nested_onbuild() {
    assert_linear("ONBUILD nesting", 2_000, |n| {
        format!("FROM alpine:3.20\n{}RUN apk add curl\n", "ONBUILD ".repeat(n))
    });
}

#[test]
fn many_onbuild_lines() {
    assert_linear("ONBUILD lines", 400, |n| {
        let mut text = String::from("FROM alpine:3.20\n");
        for i in 0..n {
            text.push_str(&format!("ONBUILD ONBUILD RUN apk add pkg{i} && curl -s https://x/{i} | sh\n"));
        }
        text
    });
}

#[test]
fn huge_heredoc() {
    assert_linear("heredoc body", 2_500, |n| {
        let mut text = String::from("FROM alpine:3.20\nRUN <<EOF\n");
        for i in 0..n {
            text.push_str(&format!("apk add pkg{i}\n"));
        }
        text.push_str("EOF\nUSER nobody\n");
        text
    });
}

#[test]
fn many_heredocs_on_one_line() {
    assert_linear("heredocs on one line", 250, |n| {
        let mut text = String::from("FROM alpine:3.20\nRUN");
        for i in 0..n {
            text.push_str(&format!(" <<E{i}"));
        }
        text.push('\n');
        for i in 0..n {
            text.push_str(&format!("echo {i}\nE{i}\n"));
        }
        text
    });
}

#[test]
fn thousands_of_stages() {
    assert_linear("stages", 150, |n| {
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!("FROM alpine:3.20 AS s{i}\nRUN apk add curl\n"));
            if i > 0 {
                text.push_str(&format!("COPY --from=s{} /a /a\n", i - 1));
            }
        }
        text.push_str("CMD sh\n");
        text
    });
}

#[test]
fn long_chain_of_stages() {
    // Each stage built on the one before: every stage's image holds all earlier ones.
    assert_linear("stage chain", 150, |n| {
        let mut text = String::from("FROM alpine:3.20 AS s0\n");
        for i in 1..n {
            text.push_str(&format!(
                "FROM s{} AS s{i}\nRUN apk add sudo openssh && chmod u+s /x{i}\nCMD echo {i}\nENTRYPOINT run {i}\nEXPOSE {i}\nUSER root\n",
                i - 1
            ));
        }
        text
    });
}

#[test]
fn many_fixable_instructions() {
    assert_linear("fixable instructions", 250, |n| {
        let mut text = String::from("FROM alpine:3.20\n");
        for i in 0..n {
            text.push_str(&format!("RUN apk add pkg{i}\nADD a{i} /b{i}\n"));
        }
        text
    });
}

#[test]
fn continuation_lines() {
    assert_linear("continuation lines", 5_000, |n| {
        let mut text = String::from("FROM alpine:3.20\nRUN apk add \\\n");
        for i in 0..n {
            text.push_str(&format!("  pkg{i} \\\n"));
        }
        text.push_str("  last\n");
        text
    });
}

#[test]
fn continuation_lines_with_comments_and_blanks() {
    assert_linear("continuations with comments", 2_000, |n| {
        let mut text = String::from("FROM alpine:3.20\nENV \\\n");
        for i in 0..n {
            text.push_str(&format!("  # note {i}\n\n  K{i}=v{i} \\\n"));
        }
        text.push_str("  LAST=1\n");
        text
    });
}

#[test]
fn long_lines() {
    assert_linear("long RUN line", 100_000, |n| format!("FROM alpine:3.20\nRUN echo {}\n", "a".repeat(n)));
    assert_linear("long word list", 10_000, |n| {
        format!("FROM alpine:3.20\nRUN apk add {}\n", (0..n).map(|i| format!("p{i}")).collect::<Vec<_>>().join(" "))
    });
    assert_linear("long exec form", 5_000, |n| {
        let items: Vec<String> = (0..n).map(|i| format!("\"a{i}\"")).collect();
        format!("FROM alpine:3.20\nCMD [{}]\n", items.join(", "))
    });
    assert_linear("many flags", 2_000, |n| format!("FROM alpine:3.20\nCOPY {}a b\n", "--chown=1:1 ".repeat(n)));
    assert_linear("many key=values", 800, |n| {
        let pairs: Vec<String> = (0..n).map(|i| format!("K{i}=\"v {i}\"")).collect();
        format!("FROM alpine:3.20\nENV {}\n", pairs.join(" "))
    });
}

#[test]
fn many_findings_on_one_line() {
    assert_linear("findings on one ASCII line", 300, |n| {
        format!("FROM alpine:3.20\nRUN {}true\n", "apk add curl && ".repeat(n))
    });
    assert_linear("findings on one non-ASCII line", 300, |n| {
        format!("FROM alpine:3.20\nRUN {}true\n", "apk add cürl && echo ☃ && ".repeat(n))
    });
}

#[test]
fn many_suppressions() {
    assert_linear("suppressed findings", 300, |n| {
        let mut text = String::from("FROM alpine:3.20\n");
        for i in 0..n {
            text.push_str(&format!("# dfharden: ignore=DH305\nRUN apk add p{i}\n# hadolint ignore=DL3020\nADD a{i} /b\n"));
        }
        text
    });
}

#[test]
fn nested_variable_substitution() {
    assert_linear("nested ${ in FROM", 2_000, |n| {
        format!("ARG A\nFROM {}alpine{}\nRUN apk add curl\n", "${A:-".repeat(n), "}".repeat(n))
    });
    assert_linear("unclosed ${ in FROM", 5_000, |n| format!("FROM {}\nRUN x\n", "${".repeat(n)));
    assert_linear("nested ${ in RUN", 5_000, |n| {
        format!("FROM alpine:3.20\nRUN echo {}x{}\n", "${A:-".repeat(n), "}".repeat(n))
    });
}

#[test]
fn unbalanced_quotes_and_brackets() {
    assert_linear("unclosed quotes", 5_000, |n| format!("FROM alpine:3.20\nRUN {}\n", "echo \"a ".repeat(n)));
    assert_linear("brackets", 5_000, |n| format!("FROM alpine:3.20\nCMD {}\n", "[\"a\", ".repeat(n)));
}

#[test]
fn size_limits_are_positioned_errors() {
    assert!(check_limits("FROM a\nRUN b\n").is_ok());
    let long = format!("FROM a\nRUN {}\nRUN c\n", "x".repeat(MAX_LINE_BYTES));
    let err = check_limits(&long).unwrap_err();
    assert_eq!((err.line, err.column), (2, MAX_LINE_BYTES + 1), "{err}");
    assert!(err.to_string().contains("line 2 is longer than"), "{err}");
    let big = "RUN x\n".repeat(MAX_FILE_BYTES / 6 + 1);
    let err = check_limits(&big).unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    assert_eq!(err.offset, MAX_FILE_BYTES);
    // Exactly at the limits is fine.
    assert!(check_limits(&format!("RUN {}\n", "x".repeat(MAX_LINE_BYTES - 4))).is_ok());
}

#[test]
fn onbuild_nesting_past_the_depth_limit_is_an_error_not_a_crash() {
    // 100k levels overflowed the stack before the limit (found by the hostile-input tests).
    let text = format!("FROM alpine:3.20\n{}RUN x\n", "ONBUILD ".repeat(100_000));
    let parsed = parse(&text);
    assert_eq!(parsed.print(), text);
    assert!(parsed.errors.iter().any(|e| e.message.contains("ONBUILD nested more than 32 deep")), "{:?}", parsed.errors);
    // Within the limit the nesting is kept as BuildKit reads it (a warning, as before).
    let text = "FROM alpine:3.20\nONBUILD ONBUILD RUN x\n";
    let parsed = parse(text);
    assert!(parsed.errors.iter().all(|e| !e.message.contains("nested")));
    check(text, &all_rules());
}

#[test]
fn deeply_nested_substitution_in_from_is_not_expanded_forever() {
    // 100k nested `${A:-` overflowed the stack in build-argument expansion before the limit.
    let text = format!("ARG A\nFROM {}alpine{}\nRUN apk add curl\n", "${A:-".repeat(100_000), "}".repeat(100_000));
    assert!(text.len() < MAX_LINE_BYTES);
    check(&text, &all_rules());
    fix(&text, &all_rules());
}
