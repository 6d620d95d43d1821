//! How the final image starts, as far as dfharden can see it: whether its start command runs
//! the application directly, or starts as root and steps down itself (an entrypoint script
//! with `gosu`, an official database image, supervisord), or cannot be seen at all (a script
//! that was not handed to core, no CMD or ENTRYPOINT). DH101 adds a `USER` only in the first
//! case: in the others a `USER` breaks the start or the images built on this one.
//!
//! Start scripts come from the build context, which core cannot read: the caller passes the
//! files [`context_files_wanted`] asks for in [`crate::settings::BuildContext`].

use std::collections::BTreeMap;

use crate::knowledge::official::{official_image, OfficialImage, StartAs};
use crate::model::{form_of, join_path, Base, Dockerfile, Form};
use crate::rules::helpers::{copy_sources, stage_chain, start_commands};
use crate::rules::Context;
use crate::syntax::{Arguments, Instruction, Keyword};

/// Programs that switch to another user, or run services that do (a start that uses them
/// needs root at first).
const STEP_DOWN_TOOLS: &[&str] = &[
    "gosu",
    "su-exec",
    "setpriv",
    "s6-setuidgid",
    "s6-applyuidgid",
    "chpst",
    "runuser",
    "su",
    "sudo",
    "setuidgid",
    "supervisord",
    "s6-svscan",
    "runsvdir",
    "chown",
    "usermod",
    "useradd",
    "adduser",
    "groupmod",
    "addgroup",
    "chroot",
    "crond",
    "cron",
    "mount",
    "sysctl",
    "setcap",
    "update-ca-certificates",
];

/// Programs that only start another program (`tini -- app`): the start is what follows.
const INIT_WRAPPERS: &[&str] = &["tini", "dumb-init", "catatonit", "tini-static"];

/// What the start shows about the user it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartUser {
    /// The command runs the application directly: a `USER` is safe.
    Direct {
        /// The start script that was read and found to need no root, if any.
        script_read: Option<String>,
    },
    /// The start steps down from root itself: `what` says where and how.
    StepsDown { what: String },
    /// The base image is an official image whose own start needs root.
    Official(&'static OfficialImage),
    /// What runs cannot be seen: `what` says what to check.
    Unseen { what: String },
}

/// Reads how stage `stage` starts.
pub fn start_user(ctx: &Context<'_>, stage: usize) -> StartUser {
    let model = ctx.model;
    let start = start_commands(model, stage);
    let official = root_image(model, stage)
        .and_then(|(repository, registry)| official_image(repository, registry));
    let official_start =
        official.filter(|o| matches!(o.start, StartAs::StepsDown { .. } | StartAs::RootMaster));
    let Some(argv_at) = start.entrypoint.or(start.cmd) else {
        if let Some(official) = official_start {
            return StartUser::Official(official);
        }
        return StartUser::Unseen {
            what: "the final stage has no CMD or ENTRYPOINT: it starts the way its base image does, or it is a base image that other Dockerfiles build on, whose RUN steps a USER here would break".into(),
        };
    };
    // Only a CMD: the official image's own entrypoint still runs first.
    if start.entrypoint.is_none() {
        if let Some(official) = official_start {
            return StartUser::Official(official);
        }
    }
    let mut argv = argv_of(model.instructions[argv_at]);
    if start.entrypoint.is_some() {
        if let Some(cmd) = start.cmd {
            argv.extend(argv_of(model.instructions[cmd]));
        }
    }
    // Skip init wrappers and their `--`.
    while let Some(first) = argv.first() {
        if INIT_WRAPPERS.contains(&basename(first)) {
            argv.remove(0);
            while argv.first().is_some_and(|a| a.starts_with('-')) {
                argv.remove(0);
            }
        } else {
            break;
        }
    }
    let Some(program) = argv.first().cloned() else {
        return StartUser::Unseen {
            what: "the start command is empty".into(),
        };
    };
    let name = basename(&program);
    // The official image's own server or entrypoint, started directly: the same needs.
    if let Some(official) = official_start.filter(|o| o.programs.iter().any(|p| *p == name || *p == program)) {
        return StartUser::Official(official);
    }
    if program == "/init" {
        return StartUser::StepsDown {
            what: "the start command is s6-overlay's `/init`, which starts as root and runs services as their own users".into(),
        };
    }
    if let Some(tool) = STEP_DOWN_TOOLS.iter().find(|t| **t == name) {
        return StartUser::StepsDown {
            what: format!("the start command runs `{tool}`, which needs root to switch users"),
        };
    }
    // `sh -c '...'`: the script is right there.
    if is_shell(name) {
        match argv.get(1).map(String::as_str) {
            Some("-c") => {
                let script = argv.get(2).cloned().unwrap_or_default();
                return match step_down_in(&script) {
                    Some((line, tool)) => StartUser::StepsDown {
                        what: format!(
                            "the start command's shell script runs `{tool}` (line {line})"
                        ),
                    },
                    None => StartUser::Direct { script_read: None },
                };
            }
            Some(script) => return script_start(ctx, stage, script),
            None => return StartUser::Direct { script_read: None },
        }
    }
    if looks_like_script(name) || copied_from_context(ctx, stage, &program).is_some() {
        return script_start(ctx, stage, &program);
    }
    StartUser::Direct { script_read: None }
}

/// A start script: read from the build context if the caller handed it over.
fn script_start(ctx: &Context<'_>, stage: usize, program: &str) -> StartUser {
    let Some(source) = copied_from_context(ctx, stage, program) else {
        if looks_like_script(basename(program)) {
            return StartUser::Unseen {
                what: format!("the start script `{program}` is not copied from the build context (it comes from the base image or a RUN step), so whether it needs root is not known"),
            };
        }
        return StartUser::Direct { script_read: None };
    };
    if ctx.settings.context.binaries.contains(&source) {
        return StartUser::Direct { script_read: None };
    }
    match ctx.settings.context.files.get(&source) {
        Some(text) => match step_down_in(text) {
            Some((line, tool)) => StartUser::StepsDown {
                what: format!("the start script `{source}` runs `{tool}` on line {line}: it starts as root and switches users itself"),
            },
            None => StartUser::Direct { script_read: Some(source) },
        },
        None => StartUser::Unseen {
            what: format!(
                "the start script `{source}` was not read ({}), so whether it needs root (chown, gosu, su-exec) is not known",
                if ctx.settings.context.read { "it is not in the build context" } else { "no build context was given" }
            ),
        },
    }
}

/// The first line of a script that switches users or changes ownership, with the tool.
pub fn step_down_in(script: &str) -> Option<(usize, &'static str)> {
    for (n, line) in script.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line).trim();
        if code.starts_with('#') {
            continue;
        }
        let words = code.split(|c: char| {
            c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '`' | '"' | '\'')
        });
        for word in words {
            if let Some(tool) = STEP_DOWN_TOOLS.iter().find(|t| **t == basename(word)) {
                return Some((n + 1, tool));
            }
        }
        // Writing system configuration at start (`envsubst < t > /etc/nginx/nginx.conf`,
        // `sed -i ... /etc/hosts`, `echo ... >> /etc/passwd`) needs root too.
        let writes = code.contains('>') || code.contains("sed -i") || code.contains("tee ");
        if writes && (code.contains(" /etc/") || code.contains(">/etc/")) {
            return Some((n + 1, "a write to /etc"));
        }
    }
    None
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh")
}

fn looks_like_script(name: &str) -> bool {
    name.ends_with(".sh")
        || name.ends_with(".bash")
        || name.starts_with("docker-entrypoint")
        || name == "entrypoint"
        || name == "start"
        || name == "run"
}

/// The start command as words (shell form: the first command's words).
pub(crate) fn argv_of(instruction: &Instruction) -> Vec<String> {
    match (&instruction.arguments, form_of(instruction)) {
        (Arguments::Exec(words), _) => words.iter().map(|w| w.text.clone()).collect(),
        (Arguments::Text(word), Form::Shell) => {
            let text = word.text.trim().trim_start_matches("exec ");
            text.split_whitespace()
                .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The repository and registry of the image the stage chain starts from.
fn root_image<'m>(model: &'m Dockerfile<'_>, stage: usize) -> Option<(&'m str, &'m str)> {
    let first = *stage_chain(model, stage).first()?;
    match &model.stages[first].base.base {
        Base::Image { image } => Some((image.repository.as_str(), image.registry.as_str())),
        _ => None,
    }
}

/// The WORKDIR in force at instruction `index` of the chain.
fn workdir_before(ctx: &Context<'_>, chain: &[usize], index: usize) -> Option<String> {
    let mut workdir: Option<String> = None;
    for &i in chain.iter().take_while(|&&i| i < index) {
        let instruction = ctx.model.instructions[i];
        if instruction.keyword == Keyword::Workdir {
            if let Arguments::Text(word) = &instruction.arguments {
                workdir = Some(join_path(workdir.as_deref(), &word.text));
            }
        }
    }
    workdir
}

/// The build-context path (relative, as `.dockerignore` writes them) of the file a COPY or
/// ADD from the context put at `program`, the last one that did.
pub fn copied_from_context(ctx: &Context<'_>, stage: usize, program: &str) -> Option<String> {
    let chain: Vec<usize> = stage_chain(ctx.model, stage)
        .into_iter()
        .flat_map(|s| ctx.model.stages[s].body.iter().copied())
        .collect();
    let final_workdir = workdir_before(ctx, &chain, usize::MAX);
    let target = if program.contains('/') {
        join_path(final_workdir.as_deref(), program)
    } else {
        String::new()
    };
    let mut found = None;
    for &index in &chain {
        let instruction = ctx.model.instructions[index];
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
            || instruction.flag("from").is_some()
        {
            continue;
        }
        let (Arguments::List(all) | Arguments::Exec(all)) = &instruction.arguments else {
            continue;
        };
        let Some(dest) = all.last() else { continue };
        let sources = copy_sources(instruction);
        let workdir = workdir_before(ctx, &chain, index);
        let dest_path = join_path(workdir.as_deref(), &dest.text);
        let into_dir = dest.text.ends_with('/') || sources.len() > 1;
        for src in sources {
            let src_text = src.text.trim_matches('"');
            if src_text.contains('$') {
                continue;
            }
            // `COPY *.sh /`: the program is the file of its name that the pattern matches.
            if src_text.contains(['*', '?']) {
                let (dir, pattern) = src_text.rsplit_once('/').unwrap_or(("", src_text));
                let program_name = basename(program);
                let dest_dir = dest_path.trim_end_matches('/');
                let lands = if program.contains('/') {
                    target.rsplit_once('/').map(|(d, _)| d).unwrap_or("") == dest_dir
                } else {
                    is_on_path(&format!("{dest_dir}/{program_name}"))
                };
                if lands && glob_matches(pattern, program_name) && !dir.contains(['*', '?']) {
                    let dir = join_path(None, dir).trim_start_matches('/').to_string();
                    found = Some(if dir.is_empty() { program_name.to_string() } else { format!("{dir}/{program_name}") });
                }
                continue;
            }
            let src_rel = join_path(None, src_text)
                .trim_start_matches('/')
                .to_string();
            let name = basename(&src_rel);
            let placed = if into_dir {
                format!("{}/{name}", dest_path.trim_end_matches('/'))
            } else {
                dest_path.clone()
            };
            let bare = !program.contains('/');
            if (!bare && placed == target) || (bare && name == program && is_on_path(&placed)) {
                found = Some(src_rel.clone());
                continue;
            }
            // A directory copied whole (`COPY . /app`): the program may be inside it.
            let inside = if bare {
                None
            } else {
                target.strip_prefix(&format!("{}/", dest_path.trim_end_matches('/')))
            };
            if let Some(rest) =
                inside.filter(|_| src_rel.is_empty() || src_text.ends_with('/') || !name.contains('.'))
            {
                let path = if src_rel.is_empty() {
                    rest.to_string()
                } else {
                    format!("{src_rel}/{rest}")
                };
                found = Some(path);
            }
        }
    }
    found
}

/// A shell glob with `*` and `?` (no classes), as COPY sources use them.
fn glob_matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

fn is_on_path(path: &str) -> bool {
    [
        "/usr/local/bin/",
        "/usr/bin/",
        "/bin/",
        "/usr/local/sbin/",
        "/usr/sbin/",
        "/sbin/",
    ]
    .iter()
    .any(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|rest| !rest.contains('/'))
    })
}

/// The files of the build context that would let core see how the final image starts: the
/// start script, when one is copied in. The CLI reads them and passes them back.
pub fn context_files_wanted(ctx: &Context<'_>) -> Vec<String> {
    let Some(stage) = ctx.model.final_stage() else {
        return Vec::new();
    };
    let start = start_commands(ctx.model, stage.index);
    let mut argv: Vec<String> = start
        .entrypoint
        .or(start.cmd)
        .map(|i| argv_of(ctx.model.instructions[i]))
        .unwrap_or_default();
    while argv
        .first()
        .is_some_and(|a| INIT_WRAPPERS.contains(&basename(a)) || a.starts_with('-'))
    {
        argv.remove(0);
    }
    if argv.first().is_some_and(|a| is_shell(basename(a))) {
        argv.remove(0);
    }
    let mut wanted: BTreeMap<String, ()> = BTreeMap::new();
    if let Some(program) = argv.first() {
        if let Some(source) = copied_from_context(ctx, stage.index, program) {
            wanted.insert(source, ());
        }
    }
    // `npm start` becomes `node <file>` only when package.json's start script is seen.
    if crate::harden::analysis::runs_start_script(&argv) {
        if let Some(source) = copied_from_context(ctx, stage.index, "./package.json") {
            wanted.insert(source, ());
        }
    }
    // The official nginx image moves to the unprivileged one only when its server blocks are
    // seen to listen above 1023.
    if let StartUser::Official(image) = start_user(ctx, stage.index) {
        if image.name == "nginx" {
            for path in crate::rules::privilege::nginx_unprivileged::configuration_wanted(ctx, stage.index) {
                wanted.insert(path, ());
            }
        }
    }
    wanted.into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_step_downs() {
        assert_eq!(
            step_down_in("#!/bin/sh\nchown -R app /data\nexec su-exec app \"$@\"\n"),
            Some((2, "chown"))
        );
        assert_eq!(
            step_down_in("#!/bin/sh\n# gosu is not used here\nexec /app/server\n"),
            None
        );
        assert_eq!(
            step_down_in("set -e\nif [ \"$(id -u)\" = 0 ]; then exec gosu app \"$0\"; fi"),
            Some((2, "gosu"))
        );
        assert_eq!(
            step_down_in("exec /usr/bin/supervisord -c /etc/supervisor.conf"),
            Some((1, "supervisord"))
        );
        assert_eq!(step_down_in("exec node server.js"), None);
        assert_eq!(step_down_in("envsubst < /t > /etc/nginx/nginx.conf\nexec nginx"), Some((1, "a write to /etc")));
        assert_eq!(step_down_in("echo \"app:x:$(id -u):0::/app:/sbin/nologin\" >> /etc/passwd"), Some((1, "a write to /etc")));
        assert!(glob_matches("*.sh", "entrypoint.sh") && !glob_matches("*.sh", "entrypoint.py") && glob_matches("run?", "run1"));
    }
}
