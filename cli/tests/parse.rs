//! `dfharden parse` end to end: output, exit codes, and clear errors with positions for
//! bad input.

use assert_cmd::Command;

fn dfharden() -> Command {
    Command::cargo_bin("dfharden").expect("binary built")
}

fn stderr_of(input: &[u8], args: &[&str]) -> (i32, String, String) {
    let output = dfharden().args(args).arg("-").write_stdin(input).output().unwrap();
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn prints_instructions_with_line_ranges() {
    let (code, out, err) = stderr_of(b"FROM alpine\nRUN <<EOF\necho\nEOF\nCMD [\"sh\"]\n", &["parse"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "1-1 FROM [\"alpine\"]\n2-4 RUN [\"<<EOF\"] <<EOF (5 bytes)\n5-5 CMD (exec) [\"sh\"]\n");
}

#[test]
fn json_has_a_version_and_heredoc_bodies() {
    let (code, out, _) = stderr_of(b"FROM a\nCOPY --chmod=644 <<X /x\nbody\nX\n", &["parse", "--json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["instructions"][1]["flags"][0], "--chmod=644");
    assert_eq!(doc["instructions"][1]["heredocs"][0]["content"], "body\n");
}

#[test]
fn buildkit_format_matches_buildkit_dumps() {
    let (code, out, _) = stderr_of(b"FROM a\nENV k=v\nONBUILD RUN x\n", &["parse", "--format", "buildkit"]);
    assert_eq!(code, 0);
    assert_eq!(out, "(from \"a\")\n(env \"k\" \"v\" \"=\")\n(onbuild (run \"x\"))\n");
}

#[test]
fn invalid_utf8_is_refused_with_its_position() {
    let (code, out, err) = stderr_of(b"FROM a\nRUN echo \xc3\x28\n", &["parse"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.trim(), "dfharden: error: -:2:10: invalid UTF-8; a Dockerfile must be UTF-8 text");
}

#[test]
fn binary_files_are_refused() {
    let (code, _, err) = stderr_of(b"\x7fELF\x02\x01\x01\x00\x00", &["parse"]);
    assert_eq!(code, 2);
    assert!(err.contains("-:1:8: binary data"), "{err}");
}

#[test]
fn syntax_errors_have_line_and_column() {
    let cases: &[(&[u8], &str)] = &[
        (b"FROM a\nRUN <<EOF\necho\n", "-:2:5: error: unterminated heredoc"),
        (b"", "-:1:1: error: file with no instructions"),
        (b"FROM a\nCMD [\"a\", 1]\n", "-:2:5: error: when using JSON array syntax"),
        (b"FROM a\nENV PATH\n", "-:2:5: error: ENV must have two arguments"),
    ];
    for (input, expected) in cases {
        let (code, _, err) = stderr_of(input, &["parse"]);
        assert_eq!(code, 1, "{expected}: {err}");
        assert!(err.starts_with(expected), "want {expected:?}, got {err:?}");
    }
}

#[test]
fn unknown_instructions_are_warnings_not_errors() {
    let (code, out, err) = stderr_of(b"FROM a\nFOO bar\n", &["parse"]);
    assert_eq!(code, 0);
    assert!(out.contains("2-2 FOO"));
    assert_eq!(err.trim(), "-:2:1: warning: unknown instruction: FOO");
}

#[test]
fn missing_files_are_errors() {
    let output = dfharden().args(["parse", "/nonexistent/Dockerfile"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("reading /nonexistent/Dockerfile"));
}
