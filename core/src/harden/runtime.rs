//! Run-time hardening that a Dockerfile cannot express: `docker run` flags, a compose service
//! and a Kubernetes `securityContext` derived from what the Dockerfile says (its user, ports,
//! volumes, health check).
//!
//! The advice is the same everywhere: drop every capability, forbid privilege escalation, make
//! the root filesystem read-only with a tmpfs for `/tmp`, limit memory and process count, and
//! never run privileged or with the Docker socket. What changes per file is the user to
//! declare, the ports, the writable volumes, and whether a probe is needed.
//!
//! One case changes the advice itself: an image that must start as root (its entrypoint steps
//! down with gosu or su-exec, or a master process needs root, as DH101 decides from the same
//! reading of the start). Dropping every capability, `--user`, a read-only root filesystem or
//! Kubernetes' `runAsNonRoot` would each stop it from starting, so the advice keeps the
//! capabilities a step-down needs and says why the rest is left out.

use serde::Serialize;

use crate::harden::start::{start_user, StartUser};
use crate::knowledge::official::StartAs;
use crate::model::base::facts_for_stage;
use crate::rules::Context;
use crate::settings::Settings;
use crate::rules::helpers::stage_chain;
use crate::model::{Dockerfile, Stage};
use crate::syntax::{Arguments, Keyword, Parse};

/// The default limits we suggest; a starting point, to be sized per application.
pub const MEMORY_LIMIT: &str = "512m";
pub const PIDS_LIMIT: u32 = 256;

/// Everything we recommend for running the image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuntimeAdvice {
    /// The user the image runs as (`65532:65532`, `node`), if known.
    pub user: Option<String>,
    /// Numeric uid and gid when known, for Kubernetes `runAsUser`/`runAsGroup`.
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    /// Container ports from EXPOSE (`8080/tcp`).
    pub ports: Vec<String>,
    /// Paths declared as VOLUME: they stay writable.
    pub volumes: Vec<String>,
    /// Paths to mount as tmpfs so the root filesystem can be read-only.
    pub tmpfs: Vec<String>,
    /// Whether the image declares a HEALTHCHECK (otherwise an orchestrator probe is advised).
    pub has_healthcheck: bool,
    /// Why the image must start as root, when it must (then no `--user`, no `runAsNonRoot`).
    pub starts_as_root: Option<String>,
    /// Capabilities to add back after dropping all (those a root start needs).
    pub cap_add: Vec<&'static str>,
    /// Whether the root filesystem can be made read-only (not advised for a root start, which
    /// writes its run-time files).
    pub read_only: bool,
    /// Explanations, one per recommendation.
    pub notes: Vec<String>,
    pub docker_run: String,
    pub compose: String,
    pub kubernetes: String,
}

/// Why the final stage must start as root, when the start shows it (read as DH101 reads it,
/// with the build-context files in `settings`).
fn root_start(parse: &Parse, model: &Dockerfile<'_>, settings: &Settings) -> Option<(String, bool)> {
    let stage = model.final_stage()?;
    let context = Context::new(parse, model, settings);
    match start_user(&context, stage.index) {
        StartUser::StepsDown { what } => Some((what, false)),
        StartUser::Official(image) => Some(match image.start {
            StartAs::StepsDown { tool } => (format!("the official `{}` image starts as root and switches to `{}` itself (`{tool}`)", image.name, image.user), false),
            StartAs::RootMaster => (format!("the official `{}` image runs its master process as root and its workers as `{}`", image.name, image.user), true),
        }),
        _ => None,
    }
}

/// The advice for a parsed Dockerfile (usually the hardened one). `settings` carries the
/// build-context files that show how it starts.
pub fn advise(parse: &Parse, image_name: &str, settings: &Settings) -> RuntimeAdvice {
    let model = Dockerfile::new(parse);
    let stage = model.final_stage();
    let user = stage.and_then(|s| final_user(&model, s));
    let root = if user.is_none() { root_start(parse, &model, settings) } else { None };
    let (uid, gid) = user.as_deref().map(numeric_ids).unwrap_or((None, None));
    let mut ports = Vec::new();
    let mut volumes = Vec::new();
    let mut has_healthcheck = false;
    if let Some(stage) = stage {
        for chain_stage in stage_chain(&model, stage.index) {
            for &i in &model.stages[chain_stage].body {
                let instruction = model.instructions[i];
                match (&instruction.keyword, &instruction.arguments) {
                    (Keyword::Expose, Arguments::List(words)) => {
                        for w in words {
                            let port = if w.text.contains('/') { w.text.clone() } else { format!("{}/tcp", w.text) };
                            if !ports.contains(&port) {
                                ports.push(port);
                            }
                        }
                    }
                    (Keyword::Volume, Arguments::List(words) | Arguments::Exec(words)) => {
                        volumes.extend(words.iter().map(|w| w.text.clone()));
                    }
                    (Keyword::Healthcheck, arguments) => {
                        has_healthcheck = !matches!(arguments, Arguments::Healthcheck { kind, .. } if kind.text.eq_ignore_ascii_case("NONE"));
                    }
                    _ => {}
                }
            }
        }
    }
    let tmpfs = vec!["/tmp".to_string()];
    let low_port = ports.iter().any(|p| p.split('/').next().and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n < 1024));
    let mut cap_add = Vec::new();
    let mut notes = Vec::new();
    match &root {
        None => notes.extend([
            "--cap-drop=ALL: the application needs none of the kernel capabilities Docker grants by default (CIS 5.3)".to_string(),
            "--security-opt=no-new-privileges:true: setuid binaries and file capabilities cannot raise privileges (CIS 5.25)".to_string(),
            "--read-only with a tmpfs on /tmp: the image's files cannot be changed at run time (CIS 5.12)".to_string(),
        ]),
        Some((why, master)) => {
            cap_add.extend(["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"]);
            if *master && low_port {
                cap_add.push("NET_BIND_SERVICE");
            }
            cap_add.sort_unstable();
            notes.extend([
                format!("the image starts as root on purpose: {why}; so no --user, and on Kubernetes no runAsNonRoot (the kubelet would refuse it, or the start would fail)"),
                format!("--cap-drop=ALL --cap-add={}: only what switching users and taking ownership of its files needs (CIS 5.3); remove any the image turns out not to use", cap_add.join(",")),
                "--security-opt=no-new-privileges:true: the step down still works with it (a root process giving up rights gains none), and setuid binaries can no longer raise them (CIS 5.25)".to_string(),
                "no --read-only: a start as root writes its run-time files (pid files, sockets, ownership changes); try it with a tmpfs for each path it writes".to_string(),
            ]);
        }
    }
    notes.push(format!("--memory={MEMORY_LIMIT} and --pids-limit={PIDS_LIMIT}: a runaway or fork bomb cannot starve the host (CIS 5.10, 5.28); size them for the application"));
    notes.push("never --privileged and never mount /var/run/docker.sock: either gives the container the host (CIS 5.4, 5.31)".to_string());
    match (&user, &root) {
        (Some(u), _) => notes.push(format!("--user={u}: states the non-root user explicitly, so a changed image cannot silently run as root")),
        (None, Some(_)) => {}
        (None, None) => notes.push("the image's user is not known: add a non-root USER (see DH101) and pass --user".to_string()),
    }
    if !volumes.is_empty() {
        notes.push(format!("VOLUME {} stays writable: mount a named volume there", volumes.join(", ")));
    }
    if low_port && root.is_none() {
        notes.push("a port below 1024 is exposed: Docker lets unprivileged processes bind low ports in containers; on Kubernetes prefer a port above 1024".to_string());
    }
    if !has_healthcheck {
        notes.push("no HEALTHCHECK: on Kubernetes, add liveness and readiness probes for the application".to_string());
    }
    let read_only = root.is_none();
    let starts_as_root = root.map(|(why, _)| why);
    let run = Run { user: user.as_deref(), ports: &ports, volumes: &volumes, tmpfs: &tmpfs, cap_add: &cap_add, read_only };
    let docker_run = docker_run(image_name, &run);
    let compose = compose(image_name, &run);
    let kubernetes = kubernetes(image_name, uid, gid, &run, has_healthcheck);
    RuntimeAdvice {
        user, uid, gid, ports, volumes, tmpfs, has_healthcheck, starts_as_root, cap_add, read_only, notes, docker_run, compose, kubernetes,
    }
}

/// What the three snippets are written from.
struct Run<'a> {
    user: Option<&'a str>,
    ports: &'a [String],
    volumes: &'a [String],
    tmpfs: &'a [String],
    cap_add: &'a [&'static str],
    read_only: bool,
}

fn final_user(model: &Dockerfile<'_>, stage: &Stage) -> Option<String> {
    for index in stage_chain(model, stage.index).into_iter().rev() {
        let user = model.stages[index]
            .body
            .iter()
            .rev()
            .map(|&i| model.instructions[i])
            .find(|i| i.keyword == Keyword::User);
        if let Some(user) = user {
            if let Arguments::Text(word) = &user.arguments {
                return (!word.text.contains('$')).then(|| word.text.clone());
            }
        }
    }
    let facts = facts_for_stage(model, stage.index);
    (facts.runs_as_non_root).then(|| facts.builtin_user.map(str::to_string)).flatten()
}

fn numeric_ids(user: &str) -> (Option<u32>, Option<u32>) {
    let (u, g) = user.split_once(':').map_or((user, None), |(u, g)| (u, Some(g)));
    let uid = u.parse().ok().or(match u {
        "nonroot" => Some(65532),
        "app" => Some(1654),
        "node" => Some(1000),
        _ => None,
    });
    let gid = g.and_then(|g| g.parse().ok()).or(uid);
    (uid, gid)
}

fn docker_run(image: &str, run: &Run<'_>) -> String {
    let Run { user, ports, volumes, tmpfs, cap_add, read_only } = *run;
    let mut args = vec!["docker run --rm".to_string()];
    if let Some(user) = user {
        args.push(format!("--user {user}"));
    }
    if read_only {
        args.push("--read-only".into());
    }
    for path in tmpfs {
        args.push(format!("--tmpfs {path}:rw,noexec,nosuid,size=64m"));
    }
    args.push("--cap-drop ALL".into());
    for cap in cap_add {
        args.push(format!("--cap-add {cap}"));
    }
    args.push("--security-opt no-new-privileges:true".into());
    args.push(format!("--memory {MEMORY_LIMIT}"));
    args.push(format!("--pids-limit {PIDS_LIMIT}"));
    for port in ports {
        let number = port.split('/').next().unwrap_or(port);
        args.push(format!("-p 127.0.0.1:{number}:{port}"));
    }
    for (n, volume) in volumes.iter().enumerate() {
        args.push(format!("-v data{n}:{volume}"));
    }
    args.push(image.to_string());
    args.join(" \\\n  ")
}

fn compose(image: &str, run: &Run<'_>) -> String {
    let Run { user, ports, volumes, tmpfs, cap_add, read_only } = *run;
    let mut out = format!("services:\n  app:\n    image: {image}\n");
    if let Some(user) = user {
        out.push_str(&format!("    user: \"{user}\"\n"));
    }
    if read_only {
        out.push_str("    read_only: true\n");
    }
    out.push_str("    tmpfs:\n");
    for path in tmpfs {
        out.push_str(&format!("      - {path}:rw,noexec,nosuid,size=64m\n"));
    }
    out.push_str("    cap_drop:\n      - ALL\n");
    if !cap_add.is_empty() {
        out.push_str("    cap_add:\n");
        for cap in cap_add {
            out.push_str(&format!("      - {cap}\n"));
        }
    }
    out.push_str("    security_opt:\n      - no-new-privileges:true\n");
    out.push_str(&format!("    mem_limit: {MEMORY_LIMIT}\n    pids_limit: {PIDS_LIMIT}\n"));
    if !ports.is_empty() {
        out.push_str("    ports:\n");
        for port in ports {
            let number = port.split('/').next().unwrap_or(port);
            out.push_str(&format!("      - \"127.0.0.1:{number}:{port}\"\n"));
        }
    }
    if !volumes.is_empty() {
        out.push_str("    volumes:\n");
        for (n, volume) in volumes.iter().enumerate() {
            out.push_str(&format!("      - data{n}:{volume}\n"));
        }
        out.push_str("volumes:\n");
        for n in 0..volumes.len() {
            out.push_str(&format!("  data{n}: {{}}\n"));
        }
    }
    out
}

fn kubernetes(image: &str, uid: Option<u32>, gid: Option<u32>, run: &Run<'_>, has_healthcheck: bool) -> String {
    let Run { ports, tmpfs, cap_add, read_only, .. } = *run;
    let mut out = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  automountServiceAccountToken: false\n  securityContext:\n");
    // A root start cannot declare runAsNonRoot: the kubelet refuses to start it.
    if cap_add.is_empty() {
        out.push_str("    runAsNonRoot: true\n");
    }
    if let Some(uid) = uid {
        out.push_str(&format!("    runAsUser: {uid}\n"));
    }
    if let Some(gid) = gid {
        out.push_str(&format!("    runAsGroup: {gid}\n"));
    }
    out.push_str("    seccompProfile:\n      type: RuntimeDefault\n");
    out.push_str(&format!("  containers:\n    - name: app\n      image: {image}\n"));
    out.push_str(&format!(
        "      securityContext:\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: {read_only}\n        privileged: false\n        capabilities:\n          drop: [\"ALL\"]\n"
    ));
    if !cap_add.is_empty() {
        let list: Vec<String> = cap_add.iter().map(|c| format!("\"{c}\"")).collect();
        out.push_str(&format!("          add: [{}]\n", list.join(", ")));
    }
    out.push_str(&format!("      resources:\n        limits:\n          memory: {}Mi\n", MEMORY_LIMIT.trim_end_matches('m')));
    if !ports.is_empty() {
        out.push_str("      ports:\n");
        for port in ports {
            let (number, protocol) = port.split_once('/').unwrap_or((port, "tcp"));
            out.push_str(&format!("        - containerPort: {number}\n          protocol: {}\n", protocol.to_ascii_uppercase()));
        }
    }
    if !has_healthcheck {
        if let Some(port) = ports.first() {
            let number = port.split('/').next().unwrap_or(port);
            out.push_str(&format!("      readinessProbe:\n        tcpSocket:\n          port: {number}\n      livenessProbe:\n        tcpSocket:\n          port: {number}\n"));
        }
    }
    out.push_str("      volumeMounts:\n");
    for (n, path) in tmpfs.iter().enumerate() {
        out.push_str(&format!("        - name: tmp{n}\n          mountPath: {path}\n"));
    }
    out.push_str("  volumes:\n");
    for n in 0..tmpfs.len() {
        out.push_str(&format!("    - name: tmp{n}\n      emptyDir:\n        medium: Memory\n        sizeLimit: 64Mi\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn advice_follows_the_dockerfile() {
        let parsed = parse("FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nEXPOSE 8080\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n");
        let advice = advise(&parsed, "app:latest", &Settings::default());
        assert_eq!(advice.user.as_deref(), Some("65532:65532"));
        assert_eq!((advice.uid, advice.gid), (Some(65532), Some(65532)));
        assert_eq!(advice.ports, ["8080/tcp"]);
        assert!(advice.docker_run.contains("--cap-drop ALL"));
        assert!(advice.docker_run.contains("-p 127.0.0.1:8080:8080/tcp"));
        assert!(advice.kubernetes.contains("runAsUser: 65532"));
        assert!(advice.kubernetes.contains("readinessProbe"));
        assert!(advice.compose.contains("read_only: true"));
    }

    #[test]
    fn unknown_user_is_said() {
        let advice = advise(&parse("FROM debian:bookworm\nCMD [\"bash\"]\n"), "x", &Settings::default());
        assert_eq!(advice.user, None);
        assert!(advice.notes.iter().any(|n| n.contains("not known")));
        assert!(!advice.kubernetes.contains("runAsUser"));
    }

    #[test]
    fn an_image_that_steps_down_keeps_root_and_the_capabilities_it_needs() {
        let advice = advise(&parse("FROM postgres:17\nCOPY init.sql /docker-entrypoint-initdb.d/\n"), "db", &Settings::default());
        assert!(advice.starts_as_root.as_deref().is_some_and(|w| w.contains("postgres")), "{advice:?}");
        assert!(!advice.docker_run.contains("--read-only") && !advice.docker_run.contains("--user"));
        assert!(advice.docker_run.contains("--cap-add SETUID") && advice.docker_run.contains("--cap-add CHOWN"));
        assert!(!advice.kubernetes.contains("runAsNonRoot") && advice.kubernetes.contains("readOnlyRootFilesystem: false"));
        assert!(advice.kubernetes.contains("add: [\"CHOWN\", \"DAC_OVERRIDE\", \"FOWNER\", \"SETGID\", \"SETUID\"]"), "{}", advice.kubernetes);
        assert!(advice.compose.contains("cap_add:") && !advice.compose.contains("read_only"));
        let nginx = advise(&parse("FROM nginx:1.29\nRUN rm /etc/nginx/conf.d/default.conf\nEXPOSE 80\n"), "web", &Settings::default());
        assert!(nginx.cap_add.contains(&"NET_BIND_SERVICE"), "a root master binding port 80 keeps it: {:?}", nginx.cap_add);
    }
}
