//! `dfharden check`, `fix`, `rule`, `rules` and `generate` end to end: output formats, standard
//! input, directories, configuration discovery, exit codes, and `--diff` applied with
//! `git apply` giving the same bytes as `--write`.
mod common;

use std::path::Path;

use assert_cmd::Command;
use common::project;

fn dfharden() -> Command {
    let mut command = Command::cargo_bin("dfharden").expect("binary built");
    command.env_remove("DOCKER_CONFIG").arg("--color=never");
    command
}


struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = dfharden();
    command.current_dir(dir).args(args);
    if let Some(input) = stdin {
        command.write_stdin(input);
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const ALPINE: &str = "FROM alpine:3.22\nRUN apk add curl\nCMD [\"curl\", \"--version\"]\n";
const CLEAN: &str = "FROM gcr.io/distroless/static-debian13:nonroot@sha256:0000000000000000000000000000000000000000000000000000000000000000\nCOPY app /app\nENTRYPOINT [\"/app\"]\n";

#[test]
fn check_text_reports_findings_and_exits_1() {
    let dir = project(&[("Dockerfile", ALPINE)]);
    let r = run(dir.path(), &["check"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("Dockerfile:2:5: DH305 [warning] `apk add` without `--no-cache`"), "{}", r.stdout);
    assert!(r.stdout.contains("DH101 [error]"));
    assert!(r.stdout.lines().last().unwrap().starts_with("Found "));
}

#[test]
fn check_exits_0_on_a_clean_file() {
    let dir = project(&[("Dockerfile", CLEAN)]);
    let r = run(dir.path(), &["check", "--ignore", "DH203"], None);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
}

#[test]
fn check_json_has_a_version_and_positions() {
    let dir = project(&[("Dockerfile", ALPINE)]);
    let r = run(dir.path(), &["check", "--output-format", "json"], None);
    assert_eq!(r.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    let apk = findings.iter().find(|f| f["code"] == "DH305").unwrap();
    assert_eq!((apk["location"]["line"].as_u64(), apk["location"]["column"].as_u64()), (Some(2), Some(5)));
    assert_eq!(apk["fix"]["applicability"], "safe");
    assert_eq!(apk["fix"]["edits"][0]["content"], " --no-cache");
}

#[test]
fn check_github_prints_annotations() {
    let dir = project(&[("Dockerfile", ALPINE)]);
    let r = run(dir.path(), &["check", "--output-format", "github", "--select", "DH305"], None);
    assert_eq!(r.stdout.trim(), "::warning file=Dockerfile,line=2,col=5,endLine=2,endColumn=17,title=DH305 apk-add-without-no-cache::`apk add` without `--no-cache` leaves the package index in the layer");
}

#[test]
fn stdin_uses_the_stdin_filename_for_messages_and_config() {
    let dir = project(&[("sub/dfharden.toml", "ignore = [\"DH101\"]\n")]);
    let r = run(dir.path(), &["check", "--stdin-filename", "sub/Dockerfile", "-"], Some(ALPINE));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("sub/Dockerfile:2:5: DH305"), "{}", r.stdout);
    assert!(!r.stdout.contains("DH101"), "the config next to the stdin filename applies:\n{}", r.stdout);
}

#[test]
fn directories_are_searched_honouring_gitignore() {
    let dir = project(&[
        ("api/Dockerfile", ALPINE),
        ("web/web.Dockerfile", ALPINE),
        ("tools/Dockerfile.dev", ALPINE),
        ("Containerfile", ALPINE),
        ("ignored/Dockerfile", ALPINE),
        ("notes/Dockerfile.md.txt", "not a dockerfile"),
        (".gitignore", "ignored/\n"),
    ]);
    let r = run(dir.path(), &["check", "--select", "DH305", "."], None);
    let mut files: Vec<&str> = r.stdout.lines().filter_map(|l| l.split(':').next()).filter(|f| !f.starts_with("Found")).collect();
    files.sort_unstable();
    files.dedup();
    assert_eq!(files, ["Containerfile", "api/Dockerfile", "tools/Dockerfile.dev", "web/web.Dockerfile"]);
}

#[test]
fn configuration_is_found_upwards_and_flags_win() {
    let dir = project(&[
        ("dfharden.toml", "select = [\"DH305\", \"DH101\"]\nprofile = \"basic\"\n[user]\nname = \"app\"\nuid = 10001\n"),
        ("svc/Dockerfile", ALPINE),
    ]);
    let r = run(dir.path(), &["check", "svc/Dockerfile"], None);
    let codes: Vec<&str> = r.stdout.lines().filter_map(|l| l.split_whitespace().nth(1)).filter(|c| c.starts_with("DH")).collect();
    assert_eq!(codes, ["DH101", "DH305"]);
    let r = run(dir.path(), &["check", "--select", "DH305", "svc/Dockerfile"], None);
    assert!(!r.stdout.contains("DH101"));
    // The basic profile applies safe fixes only; --unsafe-fixes adds the user, from the config.
    let r = run(dir.path(), &["fix", "svc/Dockerfile"], None);
    assert!(r.stdout.contains("apk add --no-cache curl") && !r.stdout.contains("USER"), "{}", r.stdout);
    let r = run(dir.path(), &["fix", "--unsafe-fixes", "svc/Dockerfile"], None);
    assert!(r.stdout.contains("adduser -S -D -H -u 10001 -G app") && r.stdout.contains("USER 10001:10001"), "{}", r.stdout);
    let r = run(dir.path(), &["check", "--isolated", "svc/Dockerfile"], None);
    assert!(r.stdout.contains("DH202"), "--isolated ignores the config");
}

#[test]
fn invalid_configuration_is_an_error() {
    let dir = project(&[("dfharden.toml", "selct = [\"DH1\"]\n"), ("Dockerfile", ALPINE)]);
    let r = run(dir.path(), &["check"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("dfharden.toml: invalid configuration"), "{}", r.stderr);
}

#[test]
fn fix_prints_to_stdout_for_one_file_and_refuses_several() {
    let dir = project(&[("Dockerfile", ALPINE), ("b/Dockerfile", ALPINE)]);
    let r = run(dir.path(), &["fix", "--select", "DH305", "Dockerfile"], None);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, ALPINE.replace("apk add", "apk add --no-cache"));
    let r = run(dir.path(), &["fix", "."], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("choose --write, --diff or --check"));
}

#[test]
fn fix_check_exits_1_and_writes_nothing() {
    let dir = project(&[("Dockerfile", ALPINE)]);
    let r = run(dir.path(), &["fix", "--check"], None);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("would fix Dockerfile ("), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), ALPINE);
}

#[test]
fn diff_applied_with_git_apply_equals_write() {
    let files = [
        ("services/api/Dockerfile", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD /app\n"),
        ("services/web/Dockerfile", "FROM node:20\r\nWORKDIR /app\r\nCOPY . .\r\nRUN npm ci\r\nCMD [\"node\", \"server.js\"]\r\n"),
        ("tools/Containerfile", ALPINE),
    ];
    let a = project(&files);
    let b = project(&files);
    let git = |dir: &Path, args: &[&str]| {
        let status = std::process::Command::new("git").current_dir(dir).args(args).output().unwrap();
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    git(a.path(), &["init", "-q"]);
    // Run from a subdirectory: patch paths must still be relative to the repository root.
    let r = run(&a.path().join("services"), &["fix", "--diff", ".."], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("--- a/services/api/Dockerfile\n+++ b/services/api/Dockerfile\n"), "{}", r.stdout);
    std::fs::write(a.path().join("fix.patch"), &r.stdout).unwrap();
    git(a.path(), &["apply", "fix.patch"]);
    let w = run(b.path(), &["fix", "--write", "."], None);
    assert_eq!(w.code, 0, "{}", w.stderr);
    for (name, original) in files {
        let patched = std::fs::read(a.path().join(name)).unwrap();
        let written = std::fs::read(b.path().join(name)).unwrap();
        assert_eq!(patched, written, "{name}");
        assert_ne!(written, original.as_bytes(), "{name} was not changed");
    }
    let crlf = String::from_utf8(std::fs::read(b.path().join("services/web/Dockerfile")).unwrap()).unwrap();
    assert!(!crlf.replace("\r\n", "").contains('\n'), "CRLF kept");
    let again = run(b.path(), &["fix", "--check", "."], None);
    assert_eq!(again.code, 0, "a second run changes nothing: {}", again.stdout);
}

#[cfg(unix)]
#[test]
fn write_keeps_permissions_and_refuses_files_with_syntax_errors() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("Dockerfile", ALPINE), ("broken/Dockerfile", "FROM alpine\nRUN <<EOF\napk add x\n")]);
    let path = dir.path().join("Dockerfile");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let r = run(dir.path(), &["fix", "--write", "Dockerfile", "broken/Dockerfile"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("broken/Dockerfile: not rewritten: it has syntax errors"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("broken/Dockerfile")).unwrap(), "FROM alpine\nRUN <<EOF\napk add x\n");
    assert!(std::fs::read_to_string(&path).unwrap().contains("--no-cache"));
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let r = run(dir.path(), &["fix", "--force", "broken/Dockerfile"], None);
    assert_eq!(r.code, 0);
}

#[test]
fn binary_and_non_utf8_input_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), b"FROM a\nRUN \xff\n").unwrap();
    let r = run(dir.path(), &["check", "Dockerfile"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Dockerfile:2:5: invalid UTF-8"), "{}", r.stderr);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = project(&[("Dockerfile", ALPINE)]);
    let bin = assert_cmd::cargo::cargo_bin("dfharden");
    let status = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!("'{}' rules --format json | head -c 10 >/dev/null; exit ${{PIPESTATUS:-0}}", bin.display()))
        .status()
        .unwrap();
    assert!(status.success());
    let output = std::process::Command::new("bash")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!("set -o pipefail; '{}' rules --format json | head -c 10 >/dev/null", bin.display()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn rule_explains_and_rules_lists() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["rule", "DH101"], None);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("# final-stage-runs-as-root (DH101)"));
    for section in ["## What it does", "## Why is this bad?", "## Example", "## Fix safety", "## References"] {
        assert!(r.stdout.contains(section), "{section}");
    }
    assert_eq!(run(dir.path(), &["rule", "final-stage-runs-as-root"], None).stdout, r.stdout);
    // Another tool's id finds the rule that claims it.
    assert_eq!(run(dir.path(), &["rule", "DL3002"], None).stdout, r.stdout);
    assert_eq!(run(dir.path(), &["rule", "DH999"], None).code, 2);
    let list = run(dir.path(), &["rules", "--format", "json"], None);
    let doc: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let rules = doc["rules"].as_array().unwrap();
    assert_eq!(rules.len(), dfharden_rule_count(&run(dir.path(), &["rules"], None).stdout));
    assert!(rules.iter().all(|r| r["explanation"].as_str().unwrap().contains("## Why is this bad?")));
}

fn dfharden_rule_count(text: &str) -> usize {
    text.lines().filter(|l| l.starts_with("DH")).count()
}

#[test]
fn fix_explain_names_the_rules_behind_each_change() {
    let dir = project(&[("Dockerfile", ALPINE)]);
    let r = run(dir.path(), &["fix", "--explain", "--select", "DH305,DH101", "Dockerfile"], None);
    assert!(r.stderr.contains("Change 1 of 1:"), "{}", r.stderr);
    assert!(r.stderr.contains("DH305 apk-add-without-no-cache: Add `--no-cache`"));
    assert!(r.stderr.contains("DH101 final-stage-runs-as-root"));
}

#[test]
fn completions_and_man_page_come_from_the_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["generate", "completions", "bash"], None);
    assert!(r.stdout.contains("--output-format") && r.stdout.contains("--stdin-filename"));
    let r = run(dir.path(), &["generate", "man"], None);
    assert!(r.stdout.starts_with(".ie") || r.stdout.contains(".TH dfharden"), "{}", &r.stdout[..200.min(r.stdout.len())]);
}

/// Settings that cannot be used stop the run with exit 2 and a message naming the setting,
/// and leave the file as it was: a root uid, a user name that would carry shell syntax into
/// `RUN useradd`, a `--select` that matches no rule (which would silently check nothing).
#[test]
fn invalid_settings_exit_2_and_write_nothing() {
    let dir = project(&[("Dockerfile", ALPINE)]);
    for (args, says) in [
        (&["fix", "--uid", "0", "Dockerfile"][..], "uid 0 is root"),
        (&["fix", "--user", "x; curl e|sh", "Dockerfile"][..], "user name `x; curl e|sh` is not a portable user name"),
        (&["fix", "--user", "Admin", "Dockerfile"][..], "is not a portable user name"),
        (&["check", "--select", "DH999", "Dockerfile"][..], "select `DH999` matches no rule"),
    ] {
        let r = run(dir.path(), args, None);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert_eq!(std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), ALPINE, "{args:?} wrote the file");
    }
    // The same in dfharden.toml.
    std::fs::write(dir.path().join("dfharden.toml"), "[user]\nname = \"root;id\"\nuid = 1000\n").unwrap();
    let r = run(dir.path(), &["fix", "Dockerfile"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("user name `root;id`"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), ALPINE);
}

/// A project that only has hadolint's configuration keeps its choices: the ignored DL ids
/// silence the rules that claim them, the failure threshold decides the exit code, and what
/// cannot be carried over is named. `migrate hadolint` writes the same as a dfharden.toml.
#[test]
fn hadolint_configuration_is_read_and_migrated() {
    let hadolint = "ignored:\n  - DL3019\n  - SC2086\ntrustedRegistries:\n  - docker.io\n  - registry.example.com\nfailure-threshold: error\noverride:\n  error: [DL3008]\n";
    let dockerfile = "FROM alpine:3.22\nRUN apk add curl\nMAINTAINER x\n";
    let dir = project(&[(".hadolint.yaml", hadolint), ("app/Dockerfile", dockerfile)]);
    let r = run(dir.path(), &["check", "--select", "DH305,DH311,DH203", "app/Dockerfile"], None);
    assert!(!r.stdout.contains("DH305"), "DL3019 is DH305's id: ignored\n{}", r.stdout);
    assert!(r.stdout.contains("DH311"), "{}", r.stdout);
    assert_eq!(r.code, 0, "only info findings, under failure-threshold error:\n{}", r.stdout);
    assert!(r.stderr.contains("reading hadolint's") && r.stderr.contains("not used: override"), "{}", r.stderr);
    assert!(r.stderr.contains("SC2086"), "{}", r.stderr);
    // The flag wins over the configuration.
    assert_eq!(run(dir.path(), &["check", "--select", "DH311", "--failure-threshold", "info", "app/Dockerfile"], None).code, 1);
    // trustedRegistries: an image from elsewhere is flagged by DH203.
    std::fs::write(dir.path().join("app/Dockerfile"), "FROM quay.io/org/app:1.0\n").unwrap();
    let r = run(dir.path(), &["check", "--select", "DH203", "--failure-threshold", "info", "app/Dockerfile"], None);
    assert!(r.stdout.contains("DH203") && r.stdout.contains("quay.io"), "{}", r.stdout);

    let r = run(dir.path(), &["migrate", "hadolint"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("ignore = [\"DL3019\"]"), "{}", r.stdout);
    assert!(r.stdout.contains("trusted-registries = [\"docker.io\", \"registry.example.com\"]"));
    assert!(r.stdout.contains("failure-threshold = \"error\""));
    assert!(r.stdout.contains("# Not carried over: override"));
    assert_eq!(run(dir.path(), &["migrate", "hadolint", "--write"], None).code, 0);
    let written = std::fs::read_to_string(dir.path().join("dfharden.toml")).unwrap();
    assert_eq!(written, r.stdout);
    // Once dfharden.toml exists it is the configuration: no notice, the same choices.
    let r = run(dir.path(), &["check", "--select", "DH203", "--failure-threshold", "info", "app/Dockerfile"], None);
    assert!(!r.stderr.contains("hadolint"), "{}", r.stderr);
    assert!(r.stdout.contains("DH203"));
    assert_eq!(run(dir.path(), &["migrate", "hadolint", "--write"], None).code, 2, "an existing dfharden.toml is not overwritten");
    // A configuration hadolint would refuse is an error with its name.
    let bad = project(&[(".hadolint.yaml", "failure-threshold: loud\n"), ("Dockerfile", "FROM alpine:3.22\n")]);
    let r = run(bad.path(), &["check", "Dockerfile"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(".hadolint.yaml") && r.stderr.contains("loud"), "{}", r.stderr);
}
