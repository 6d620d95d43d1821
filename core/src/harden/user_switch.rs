//! What switching a root image to a non-root user would break even when its start needs no
//! root: containers already running the image keep data it wrote as root, and a process
//! without root may not bind a port below 1024. DH101 adds a `USER` only when none of these is
//! seen (or the user forces it), because a rewrite that stops an upgraded container from
//! starting is worse than none.
//!
//! Found in a review of real Dockerfiles (vaultwarden, caddy, navidrome, traefik, ntfy,
//! changedetection.io, gotify): each started as root, kept its state on a volume or a directory
//! it created, or listened on port 80, and each would have stopped working after the switch.

use crate::model::is_within;
use crate::model::shell::SimpleCommand;
use crate::rules::helpers::{chain_instructions, start_commands};
use crate::rules::Context;
use crate::syntax::{Arguments, Keyword};

use super::start::argv_of;

/// The literal absolute paths the image declares as `VOLUME`s.
pub fn volumes(ctx: &Context<'_>, stage: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for index in chain_instructions(ctx.model, stage) {
        let instruction = ctx.model.instructions[index];
        if let (Keyword::Volume, Arguments::List(words) | Arguments::Exec(words)) = (instruction.keyword, &instruction.arguments) {
            for word in words {
                let path = word.text.trim_matches('"');
                let plain = path.starts_with('/') && path.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
                if plain && !is_scratch(path) && !out.iter().any(|p| p == path) {
                    out.push(path.to_string());
                }
            }
        }
    }
    out
}

/// Scratch space every user may write (`/tmp` is mode 1777): a volume there keeps no state a
/// new user would lose.
fn is_scratch(path: &str) -> bool {
    ["/tmp", "/var/tmp", "/run", "/var/run", "/dev/shm"].iter().any(|dir| is_within(path, dir))
}

/// The ports below 1024 the image says its app listens on, each with where it says so:
/// `EXPOSE` (build arguments' defaults expanded) and `ENV` variables named like a port
/// (`ROCKET_PORT=80`).
fn low_ports(ctx: &Context<'_>, stage: usize) -> Vec<(u16, String)> {
    let mut low: Vec<(u16, String)> = Vec::new();
    let mut values = Variables::default();
    // A stage sees a global ARG only when it declares the name again, but the default is the
    // global one then: keep the defaults, a stage's own declaration overrides them below.
    for arg in &ctx.model.global_args {
        if let Some(default) = &arg.default {
            values.set(&arg.name, default.clone());
        }
    }
    for index in chain_instructions(ctx.model, stage) {
        let instruction = ctx.model.instructions[index];
        match (instruction.keyword, &instruction.arguments) {
            (Keyword::Arg, Arguments::Declarations(_)) => {
                for (name, default) in crate::model::declarations(instruction) {
                    if let Some(default) = default {
                        let value = values.expand(&default);
                        values.set(&name, value);
                    }
                }
            }
            (Keyword::Env, Arguments::Pairs(pairs)) => {
                for pair in pairs {
                    let value = values.expand(&crate::model::unquote(&pair.value.text));
                    if names_own_port(&pair.key.text) {
                        if let Some(port) = low_port(&value) {
                            push(&mut low, port, format!("`ENV {}={value}`", pair.key.text));
                        }
                    }
                    values.set(&pair.key.text, value);
                }
            }
            (Keyword::Expose, Arguments::List(words)) => {
                for word in words {
                    let written = word.text.as_str();
                    if let Some(port) = low_port(&values.expand(written)) {
                        push(&mut low, port, format!("`EXPOSE {written}`"));
                    }
                }
            }
            _ => {}
        }
    }
    low
}

/// [`low_ports`], unless a program of the image is granted the capability to bind them.
pub fn unbindable_low_ports(ctx: &Context<'_>, stage: usize) -> Vec<(u16, String)> {
    if grants_bind_capability(ctx, stage) {
        return Vec::new();
    }
    low_ports(ctx, stage)
}

/// Whether a variable names the port the app itself listens on (`PORT`, `SERVER_PORT`,
/// `ROCKET_PORT`), not one it connects to (`SMTP_PORT`, `DB_PORT`, `REDIS_PORT`).
fn names_own_port(key: &str) -> bool {
    const SERVICES: &[&str] = &[
        "SMTP", "MAIL", "IMAP", "POP", "LDAP", "DB", "DATABASE", "POSTGRES", "PG", "MYSQL", "MARIADB", "REDIS",
        "MONGO", "AMQP", "RABBIT", "KAFKA", "ELASTIC", "UPSTREAM", "REMOTE", "S3",
        "MINIO", "DNS", "SSH", "SMB", "NFS", "FTP",
    ];
    let key = key.to_ascii_uppercase();
    key.ends_with("PORT") && !key.split(['_', '-', '.']).any(|part| SERVICES.contains(&part))
}

fn push(low: &mut Vec<(u16, String)>, port: u16, source: String) {
    if !low.iter().any(|(p, _)| *p == port) {
        low.push((port, source));
    }
}

/// `80`, `80/tcp`, `443/udp` below 1024 (0 is no port).
fn low_port(text: &str) -> Option<u16> {
    let port: u16 = text.split('/').next()?.parse().ok()?;
    (1..1024).contains(&port).then_some(port)
}

/// Build arguments' defaults and `ENV` values in order, for `$NAME` and `${NAME}` alone or at
/// the start of a word (all `EXPOSE` and port variables need).
#[derive(Default)]
struct Variables(std::collections::HashMap<String, String>);

impl Variables {
    fn set(&mut self, name: &str, value: String) {
        self.0.insert(name.to_string(), value);
    }

    fn expand(&self, text: &str) -> String {
        let Some(rest) = text.strip_prefix('$') else { return text.to_string() };
        let (name, tail) = match rest.strip_prefix('{') {
            Some(braced) => match braced.split_once('}') {
                Some((name, tail)) => (name, tail),
                None => return text.to_string(),
            },
            None => {
                let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        match self.0.get(name) {
            Some(value) => format!("{value}{tail}"),
            None => text.to_string(),
        }
    }
}

/// Whether a RUN in the image grants the bind capability to a program
/// (`setcap cap_net_bind_service=+ep /usr/bin/caddy`): it then binds low ports without root.
fn grants_bind_capability(ctx: &Context<'_>, stage: usize) -> bool {
    chain_commands(ctx, stage).any(|command| {
        command.program() == Some("setcap") && command.args().iter().any(|w| w.text.to_ascii_lowercase().contains("cap_net_bind_service"))
    })
}

fn chain_commands<'c>(ctx: &'c Context<'_>, stage: usize) -> impl Iterator<Item = &'c SimpleCommand> + 'c {
    chain_instructions(ctx.model, stage)
        .into_iter()
        .flat_map(move |index| ctx.scripts[index].iter())
        .flat_map(|script| script.commands.iter())
}

/// Absolute directories the start command names that a RUN of the image creates and never
/// hands to another user (`mkdir /datastore` ... `CMD ["app", "-d", "/datastore"]`): the app
/// keeps its data there, as root until now.
fn data_directories(ctx: &Context<'_>, stage: usize) -> Vec<String> {
    let start = start_commands(ctx.model, stage);
    let argv: Vec<String> = [start.entrypoint, start.cmd]
        .into_iter()
        .flatten()
        .flat_map(|i| argv_of(ctx.model.instructions[i]))
        .collect();
    let named: Vec<&str> = argv
        .iter()
        .skip(1)
        .filter_map(|a| a.split_once('=').map_or(Some(a.as_str()), |(_, v)| Some(v)))
        .map(|a| a.trim_end_matches('/'))
        .filter(|a| a.len() > 1 && a.starts_with('/'))
        .collect();
    // Directories variables point the app at (`ENV XDG_DATA_HOME=/data`, `DATA_DIR=/srv/data`).
    let mut named: Vec<String> = named.into_iter().map(str::to_string).collect();
    for index in chain_instructions(ctx.model, stage) {
        let instruction = ctx.model.instructions[index];
        if let (Keyword::Env, Arguments::Pairs(pairs)) = (instruction.keyword, &instruction.arguments) {
            for pair in pairs {
                let value = crate::model::unquote(&pair.value.text);
                let value = value.trim_end_matches('/');
                if names_data(&pair.key.text) && value.len() > 1 && value.starts_with('/') && !value.contains(['$', ':', ' ']) {
                    named.push(value.to_string());
                }
            }
        }
    }
    let mut made = Vec::new();
    let mut handed = Vec::new();
    for command in chain_commands(ctx, stage) {
        let words = command.args().iter().map(|w| w.text.trim_end_matches('/').to_string());
        match command.program() {
            Some("mkdir") => made.extend(words),
            Some("chown") => handed.extend(words),
            _ => {}
        }
    }
    // Made by the image: the directory itself or something in it (`mkdir -p /data/caddy`).
    let inside = is_within;
    let mut out: Vec<String> = Vec::new();
    for dir in named {
        if made.iter().any(|m| inside(m, &dir)) && !handed.iter().any(|h| inside(&dir, h)) && !is_scratch(&dir) && !out.contains(&dir) {
            out.push(dir);
        }
    }
    // The directory the app starts in, when WORKDIR makes it (as root) and nothing is copied
    // into it: an app started in an empty directory keeps its data there (meilisearch's
    // `WORKDIR /meili_data`, where it creates `data.ms`).
    if let Some(dir) = empty_workdir(ctx, stage) {
        if !handed.iter().any(|h| inside(&dir, h)) && !is_scratch(&dir) && !out.contains(&dir) {
            out.push(dir);
        }
    }
    out
}

/// The stage's own last WORKDIR, when nothing of the build goes into it: no COPY or ADD (of
/// the stage or the stages it is built on) puts anything there, no RUN runs in it, and no RUN
/// names it or a path under it (`dotnet publish -o /app`).
fn empty_workdir(ctx: &Context<'_>, stage: usize) -> Option<String> {
    let own = ctx.model.stages[stage].body.iter().any(|&i| ctx.model.instructions[i].keyword == Keyword::Workdir);
    if !own {
        return None;
    }
    // Each COPY destination and RUN directory, and every word of the RUNs, with the WORKDIR
    // in force; the stage's own WORKDIR is the last one of its chain.
    let mut workdir: Option<String> = None;
    let mut touched: Vec<String> = Vec::new();
    for index in chain_instructions(ctx.model, stage) {
        let instruction = ctx.model.instructions[index];
        match (instruction.keyword, &instruction.arguments) {
            (Keyword::Workdir, Arguments::Text(word)) => workdir = Some(crate::model::join_path(workdir.as_deref(), &word.text)),
            (Keyword::Copy | Keyword::Add, Arguments::List(words) | Arguments::Exec(words)) => {
                if let Some(dest) = words.last() {
                    touched.push(crate::model::join_path(workdir.as_deref(), dest.text.trim_matches('"')));
                }
            }
            (Keyword::Run, _) => {
                touched.extend(workdir.clone());
                let words = ctx.scripts[index].iter().flat_map(|s| s.commands.iter()).flat_map(|c| c.words.iter());
                touched.extend(words.filter(|w| w.text.starts_with('/')).map(|w| w.text.to_string()));
            }
            _ => {}
        }
    }
    let dir = workdir?.trim_end_matches('/').to_string();
    if dir.is_empty() || dir.contains('$') {
        return None;
    }
    (!touched.iter().any(|t| is_within(t, &dir))).then_some(dir)
}

/// Whether a variable names where the app keeps its data or state (`XDG_DATA_HOME`,
/// `DATA_DIR`, `APP_STATE_PATH`, `STORAGE_PATH`), not a cache or a program's home.
fn names_data(key: &str) -> bool {
    let key = key.to_ascii_uppercase();
    let parts: Vec<&str> = key.split(['_', '-', '.']).collect();
    parts.iter().any(|p| matches!(*p, "DATA" | "STATE" | "STORAGE" | "DATASTORE" | "DB" | "CONFIG"))
        && !parts.iter().any(|p| matches!(*p, "CACHE" | "RUNTIME" | "TMP" | "TEMP"))
}

/// Why a `USER` must not be added to stage `stage` by default, though its start needs no root;
/// `None` when nothing is seen. The text ends with what to do instead.
pub fn blocker(ctx: &Context<'_>, stage: usize) -> Option<String> {
    let uid = ctx.settings.user.uid;
    let then = format!("then add `USER {uid}:{uid}` after its last build step, or run `dfharden fix --force-user`");
    let volumes = volumes(ctx, stage);
    if !volumes.is_empty() {
        return Some(format!(
            "the image declares `VOLUME {}`: containers that already run it as root keep files there that root owns, which a new user could not write after an update. Give those files to uid {uid} (`chown -R {uid}:{uid}` on each volume), {then}",
            volumes.join(" ")
        ));
    }
    let ports = unbindable_low_ports(ctx, stage);
    if !ports.is_empty() {
        let (numbers, sources): (Vec<String>, Vec<String>) = ports.into_iter().map(|(p, s)| (p.to_string(), s)).unzip();
        return Some(format!(
            "the app listens on port {} ({}): without root, a process may bind a port below 1024 under Docker and containerd 2.0 or later, but not under CRI-O (OpenShift) or older containerd. Make it listen above 1023 and publish the old port to the new one, {then}",
            numbers.join(", "),
            sources.join(", ")
        ));
    }
    let data = data_directories(ctx, stage);
    if !data.is_empty() {
        let (it, them) = if data.len() == 1 { ("that directory", "it") } else { ("those directories", "them") };
        return Some(format!(
            "the app keeps its data in `{}` (named by its start command or an ENV variable, or the empty WORKDIR it starts in), which the image creates as root: containers that already run it have files there that a new user could not write. Give {it} (and any volume mounted on {them}) to uid {uid}, {then}",
            data.join("`, `")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ports_and_ports_of_other_services() {
        for own in ["PORT", "SERVER_PORT", "ROCKET_PORT", "GOTIFY_SERVER_PORT", "http_port", "LISTEN_PORT"] {
            assert!(names_own_port(own), "{own}");
        }
        for other in ["SMTP_PORT", "MAIL_PORT", "DB_PORT", "REDIS_PORT", "LDAP_PORT", "PORTAL", "UPSTREAM_PORT"] {
            assert!(!names_own_port(other), "{other}");
        }
    }

    #[test]
    fn expands_build_arguments() {
        let mut values = Variables::default();
        values.set("EXPOSE", "80".into());
        assert_eq!(values.expand("$EXPOSE"), "80");
        assert_eq!(values.expand("${EXPOSE}/tcp"), "80/tcp");
        assert_eq!(values.expand("$EXPOSED"), "$EXPOSED");
        assert_eq!(values.expand("8080"), "8080");
        assert_eq!(low_port("80/tcp"), Some(80));
        assert_eq!(low_port("8080"), None);
        assert_eq!(low_port("0"), None);
    }
}
