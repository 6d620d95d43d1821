//! The build context as `docker build` sees it: the CLI reads the start script (and nginx's
//! server blocks) from the Dockerfile's directory or `--context DIR`, honours `.dockerignore`,
//! and the rewrite follows what the files say.
mod common;

use assert_cmd::Command;
use common::project;

const SCRIPTED: &str = "FROM debian:trixie-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"/usr/local/bin/app\"]\n";
const PLAIN_START: &str = "#!/bin/sh\nset -e\nexec \"$@\"\n";
const STEPS_DOWN: &str = "#!/bin/sh\nchown -R app /data\nexec gosu app \"$@\"\n";

/// `dfharden fix --explain <args>` in `dir`: the rewritten file and the explanation.
fn fix(dir: &std::path::Path, args: &[&str]) -> (String, String) {
    let output = Command::cargo_bin("dfharden")
        .unwrap()
        .current_dir(dir)
        .args(["--color=never", "fix", "--explain", "--today", "2026-12-01"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

#[test]
fn a_start_script_that_only_execs_gets_a_user() {
    let dir = project(&[("Dockerfile", SCRIPTED), ("docker-entrypoint.sh", PLAIN_START)]);
    let (out, _) = fix(dir.path(), &["Dockerfile"]);
    assert!(out.contains("\nUSER 65532:65532\n"), "{out}");
    let check = Command::cargo_bin("dfharden").unwrap().current_dir(dir.path()).args(["--color=never", "check", "Dockerfile"]).output().unwrap();
    let report = String::from_utf8(check.stdout).unwrap();
    assert!(report.contains("the start script `docker-entrypoint.sh` was read: it does not switch users"), "{report}");
}

#[test]
fn a_start_script_that_steps_down_keeps_root_and_says_why() {
    let dir = project(&[("Dockerfile", SCRIPTED), ("docker-entrypoint.sh", STEPS_DOWN)]);
    let (out, explain) = fix(dir.path(), &["Dockerfile"]);
    assert!(!out.contains("\nUSER "), "{out}");
    assert!(explain.contains("no USER is added, because") && explain.contains("runs `gosu` on line 3"), "{explain}");
}

#[test]
fn dockerignore_hides_the_script_and_context_points_elsewhere() {
    let dir = project(&[
        ("Dockerfile", SCRIPTED),
        ("docker-entrypoint.sh", PLAIN_START),
        (".dockerignore", "*.sh\n"),
        ("build/Dockerfile", SCRIPTED),
        ("src/docker-entrypoint.sh", PLAIN_START),
    ]);
    let (out, explain) = fix(dir.path(), &["Dockerfile"]);
    assert!(!out.contains("\nUSER "), "an ignored file is not in the context: {out}");
    assert!(explain.contains("docker-entrypoint.sh"), "{explain}");
    // The Dockerfile in build/, the context in src/ (`docker build -f build/Dockerfile src`).
    let (out, _) = fix(dir.path(), &["--context", "src", "build/Dockerfile"]);
    assert!(out.contains("\nUSER 65532:65532\n"), "{out}");
}

const NGINX: &str = "FROM nginx:1.30\nCOPY default.conf /etc/nginx/conf.d/default.conf\nCOPY site/ /usr/share/nginx/html/\nEXPOSE 80\n";

#[test]
fn nginx_moves_to_the_unprivileged_image_when_its_server_listens_above_1023() {
    let conf = "server {\n    listen 8080;\n    root /usr/share/nginx/html;\n}\n";
    let dir = project(&[("Dockerfile", NGINX), ("default.conf", conf), ("site/index.html", "hi\n")]);
    let (out, explain) = fix(dir.path(), &["Dockerfile"]);
    assert!(out.starts_with("FROM nginxinc/nginx-unprivileged:1.30\n"), "{out}");
    assert!(out.contains("\nEXPOSE 8080\n") && !out.contains("\nUSER "), "{out}");
    assert!(explain.contains("publish port 8080"), "{explain}");
}

#[test]
fn nginx_listening_on_80_stays_and_the_finding_says_which_file() {
    let conf = "server {\n    listen 80;\n    listen [::]:80;\n}\n";
    let dir = project(&[("Dockerfile", NGINX), ("default.conf", conf), ("site/index.html", "hi\n")]);
    let (out, explain) = fix(dir.path(), &["Dockerfile"]);
    assert!(out.starts_with("FROM nginx:1.30\n") && !out.contains("\nUSER "), "{out}");
    assert!(explain.contains("`default.conf` listens on 80"), "{explain}");
}

const NPM_START: &str = "FROM node:24\nWORKDIR /usr/src/app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD [\"npm\", \"start\"]\n";

#[test]
fn npm_start_runs_on_distroless_when_package_json_says_node_file() {
    let package = r#"{"name": "app", "scripts": {"start": "node --enable-source-maps server.js", "test": "node --test"}}"#;
    let dir = project(&[("Dockerfile", NPM_START), ("package.json", package), ("server.js", "")]);
    let (out, explain) = fix(dir.path(), &["Dockerfile"]);
    assert!(out.contains("\nFROM gcr.io/distroless/nodejs24-debian13:nonroot\n"), "{out}");
    assert!(out.ends_with("CMD [\"--enable-source-maps\", \"server.js\"]\n"), "{out}");
    assert!(explain.contains("`npm start` runs the start script `node --enable-source-maps server.js`"), "{explain}");
}

#[test]
fn npm_start_stays_when_the_start_script_needs_more_than_node() {
    for (package, why) in [
        (r#"{"scripts": {"start": "NODE_ENV=production node server.js"}}"#, "not a plain `node <file>`"),
        (r#"{"scripts": {"prestart": "node migrate.js", "start": "node server.js"}}"#, "a `prestart` script"),
        (r#"{"name": "app"}"#, "has no start script"),
    ] {
        let dir = project(&[("Dockerfile", NPM_START), ("package.json", package)]);
        let (out, explain) = fix(dir.path(), &["Dockerfile"]);
        assert!(out.starts_with("FROM node:24\n") && !out.contains("distroless"), "{out}");
        assert!(explain.contains(why), "{why}: {explain}");
    }
    // No package.json in the context: the finding says which file to add.
    let dir = project(&[("Dockerfile", NPM_START), (".dockerignore", "package.json\n")]);
    let (out, explain) = fix(dir.path(), &["Dockerfile"]);
    assert!(!out.contains("distroless"), "{out}");
    assert!(explain.contains("add `package.json` to the build context"), "{explain}");
}

const WITH_VOLUME: &str = "FROM golang:1.26 AS build\nRUN go build -o /app .\nFROM debian:trixie-slim\nRUN mkdir -p /srv/cache\nCOPY --from=build /app /usr/local/bin/app\nVOLUME /data\nCMD [\"/usr/local/bin/app\"]\n";

#[test]
fn a_volume_keeps_root_unless_forced() {
    let dir = project(&[("Dockerfile", WITH_VOLUME)]);
    let (out, explain) = fix(dir.path(), &["Dockerfile"]);
    assert!(!out.contains("\nUSER "), "{out}");
    assert!(explain.contains("no USER is added, because the image declares `VOLUME /data`"), "{explain}");
    let (out, _) = fix(dir.path(), &["--force-user", "Dockerfile"]);
    assert!(out.contains("mkdir -p /data && chown 65532:65532 /data\nUSER 65532:65532\n"), "{out}");
    // The same holds for a move onto distroless, whose user is not root either.
    let dir = project(&[("Dockerfile", &WITH_VOLUME.replace("RUN mkdir -p /srv/cache\n", ""))]);
    let (out, explain) = fix(dir.path(), &["Dockerfile"]);
    assert!(!out.contains("distroless") && !out.contains("\nUSER "), "{out}");
    assert!(explain.contains("the minimal image would switch to a non-root user, and the image declares `VOLUME /data`"), "{explain}");
}
