//! Size limits end to end: `check`, `fix` and `parse` refuse files over 4 MiB or with a line
//! over 1 MiB with exit code 2 and a positioned message, from files and standard input.

use assert_cmd::Command;
use dfharden_core::syntax::{MAX_FILE_BYTES, MAX_LINE_BYTES};

fn dfharden() -> Command {
    Command::cargo_bin("dfharden").expect("binary built")
}

fn run(args: &[&str], stdin: Option<Vec<u8>>) -> (i32, String) {
    let mut command = dfharden();
    command.args(args);
    if let Some(input) = stdin {
        command.write_stdin(input);
    }
    let output = command.output().unwrap();
    (output.status.code().expect("exit code"), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn oversized_files_are_refused_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.Dockerfile");
    // A multi-byte character straddles the limit: still "larger than", not "invalid UTF-8".
    let mut text = "FROM a\n".to_string();
    while text.len() < MAX_FILE_BYTES - 1 {
        text.push_str("RUN x\n");
    }
    text.truncate(MAX_FILE_BYTES - 1);
    text.push_str("☃\nRUN y\n");
    std::fs::write(&big, &text).unwrap();
    let long = dir.path().join("long.Dockerfile");
    std::fs::write(&long, format!("FROM a\nRUN {}\n", "x".repeat(MAX_LINE_BYTES))).unwrap();
    let ok = dir.path().join("ok.Dockerfile");
    std::fs::write(&ok, "FROM alpine:3.22\nUSER nobody\n").unwrap();

    for args in [&["check"][..], &["fix", "--check"], &["parse"]] {
        let mut with = args.to_vec();
        let path = big.to_str().unwrap();
        with.push(path);
        let (code, err) = run(&with, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains(&format!("big.Dockerfile:{}:", text.as_bytes()[..MAX_FILE_BYTES].iter().filter(|&&b| b == b'\n').count() + 1))
                && err.contains(&format!("the file is larger than 4 MiB ({} bytes)", text.len())),
            "{args:?}: {err}"
        );
        let mut with = args.to_vec();
        with.push(long.to_str().unwrap());
        let (code, err) = run(&with, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(&format!("long.Dockerfile:2:{}: line 2 is longer than 1 MiB", MAX_LINE_BYTES + 1)), "{err}");
    }
    // The other files of a run are still checked.
    let (code, err) = run(&["check", big.to_str().unwrap(), ok.to_str().unwrap()], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("larger than 4 MiB"), "{err}");
}

#[test]
fn oversized_standard_input_is_refused() {
    let input = "RUN x\n".repeat(MAX_FILE_BYTES / 6 * 3).into_bytes();
    let (code, err) = run(&["check", "-"], Some(input.clone()));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("the file is larger than 4 MiB ({} bytes)", input.len())), "{err}");
}
