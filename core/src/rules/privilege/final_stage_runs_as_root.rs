use crate::fix::Fix;
use crate::harden::start::{start_user, StartUser};
use crate::harden::user_switch::{self, unbindable_low_ports, volumes};
use crate::knowledge::official::{builtin_user_ids, StartAs};
use crate::model::base::{create_user_command, facts_for_stage, lacks_user_tools, Distro};
use crate::model::{Base, Dockerfile};
use crate::rules::helpers::{
    commands, insert_line_after, is_root_user, keyword_like, last_build_step,
    user_of,
};
use crate::rules::privilege::nginx_unprivileged;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Instruction;

rule! {
    /// ## What it does
    /// Flags a final stage that runs as root: it has no `USER` instruction and its base image
    /// does not switch to a non-root user, or its last `USER` is `root` (or `0`).
    ///
    /// ## Why is this bad?
    /// A process that runs as root inside a container is root on the container's filesystem
    /// and, if the container runtime or kernel has a flaw, is one step away from root on the
    /// host. Most applications need no privilege at all: a fixed, unprivileged user limits what
    /// an attacker who takes over the process can change, read or escape with.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN groupadd --system --gid 65532 nonroot && useradd --system --uid 65532 --gid nonroot --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nonroot
    /// COPY app.py /app/
    /// USER nonroot
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the application then runs without root, so it can no longer bind ports below
    /// 1024 (Docker and containerd 2.0+ let unprivileged processes bind them inside
    /// containers, CRI-O and older containerd do not) or write files owned by root. The fix
    /// reuses a user the image already has (`node`, `www-data`, distroless `nonroot`) or that
    /// the Dockerfile creates; otherwise it creates a system user
    /// with the distribution's own tools (`useradd` on Debian, Ubuntu and Red Hat images,
    /// `adduser` on Alpine). The `USER` it writes is numeric (`uid:gid`), so that Kubernetes'
    /// `runAsNonRoot` can verify it; only a user the Dockerfile creates without a fixed uid is
    /// written by name. When the distribution is unknown no fix is offered.
    ///
    /// No `USER` is added where the start needs root or cannot be seen, because a `USER` there
    /// stops the container from starting:
    /// - a start script that switches users or changes ownership itself (`gosu`, `su-exec`,
    ///   `setpriv`, `s6-setuidgid`, `chpst`, `runuser`, `su`, supervisord, `chown`,
    ///   `usermod`...): it must start as root;
    /// - an official image whose entrypoint steps down itself (postgres, mysql, mariadb, redis,
    ///   mongo, rabbitmq) or whose master process needs root (nginx, httpd, php): the finding
    ///   gives that image's own way to run unprivileged;
    /// - a start script dfharden could not read (the command line reads it from the build
    ///   context, the page when you add it), or no `CMD`/`ENTRYPOINT` at all: the file may be a
    ///   base image others build on, whose `RUN` steps a `USER` would break;
    /// - state that containers already running the image keep as root: a `VOLUME`, or a
    ///   directory the image creates and its start command names (`-d /datastore`). After an
    ///   update the new user could not write the files root left there;
    /// - a port below 1024 the app listens on (`EXPOSE 80`, or `ENV ..._PORT=80`, build
    ///   arguments expanded), unless a program is granted `cap_net_bind_service` with
    ///   `setcap`.
    ///
    /// The finding then says what to check; `--force-user` (or `[user] force = true`) adds the
    /// `USER` anyway (and, where it creates the user, hands the volume directories to it).
    ///
    /// The official nginx image is the exception that has a fix: NGINX publishes
    /// `nginxinc/nginx-unprivileged`, the same nginx with the same tags, with no `user`
    /// directive, its pid and temporary files in `/tmp`, port 8080 and `USER 101`. The fix
    /// moves the `FROM` line there and `EXPOSE 80` to 8080, when the stage has no `RUN`,
    /// `HEALTHCHECK` or entrypoint of its own, does not replace `nginx.conf`, and every server
    /// block it copies in was read and listens above port 1023. Publish 8080 instead of 80
    /// (`-p 80:8080`). Otherwise the finding says which of these stopped the move.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.1 "Ensure that a user for the container has been created"
    /// - github.com/nginx/docker-nginx-unprivileged (what the unprivileged image changes)
    /// - hadolint DL3002 and DL3063 (off by default there), Trivy DS002, Checkov CKV_DOCKER_3
    ///   and CKV_DOCKER_8
    pub struct FinalStageRunsAsRoot {
        code: "DH101",
        name: "final-stage-runs-as-root",
        category: Privilege,
        severity: Error,
        fix: Sometimes,
        summary: "The image's process runs as root",
        aliases: [(Hadolint, "DL3002"), (Hadolint, "DL3063"), (Trivy, "DS002"), (Checkov, "CKV_DOCKER_3"), (Checkov, "CKV_DOCKER_8"), (Cis, "4.1")],
    }
}

/// Who a stage runs as when it ends.
#[derive(Debug, PartialEq, Eq)]
pub enum EndUser<'a> {
    /// Root, because of this `USER` instruction (or, with `None`, by default).
    Root(Option<&'a Instruction>),
    NonRoot(String),
    /// A variable, or a base we know nothing about with no USER.
    Unknown,
}

/// The user stage `stage` runs as at its end, following `FROM <stage>` chains.
pub fn end_user<'a>(model: &Dockerfile<'a>, stage: usize) -> EndUser<'a> {
    let mut index = stage;
    for _ in 0..model.stages.len() {
        let current = &model.stages[index];
        if let Some(user) = current
            .body
            .iter()
            .rev()
            .map(|&i| model.instructions[i])
            .find(|i| user_of(i).is_some())
        {
            let name = user_of(user).unwrap_or_default();
            return if name.contains('$') {
                EndUser::Unknown
            } else if is_root_user(name) {
                EndUser::Root(Some(user))
            } else {
                EndUser::NonRoot(name.to_string())
            };
        }
        match &current.base.base {
            Base::Stage { index: parent } => index = *parent,
            Base::Image { .. } | Base::Scratch => {
                let facts = facts_for_stage(model, index);
                return match (facts.runs_as_non_root, facts.builtin_user) {
                    (true, Some(user)) => EndUser::NonRoot(user.to_string()),
                    _ if facts.distro == Distro::Windows => EndUser::Unknown,
                    _ => EndUser::Root(None),
                };
            }
            Base::Unknown { .. } => return EndUser::Unknown,
        }
    }
    EndUser::Unknown
}

/// A user the stage creates with `useradd`/`adduser`, or switches to earlier, with its
/// `uid:gid` when the Dockerfile fixes them.
fn known_user(ctx: &Context<'_>, stage_instructions: &[usize]) -> Option<(String, Option<String>)> {
    let mut found = None;
    let mut created: Vec<(String, Option<String>)> = Vec::new();
    let mut group_ids: Vec<(String, String)> = Vec::new();
    for &index in stage_instructions {
        let instruction = ctx.model.instructions[index];
        if let Some(user) = user_of(instruction).filter(|u| !is_root_user(u) && usable_name(u)) {
            let written = ctx
                .text(instruction.code_range())
                .split_whitespace()
                .nth(1)
                .unwrap_or(user)
                .to_string();
            let ids = if written.contains(':')
                && written
                    .split(':')
                    .all(|p| p.chars().all(|c| c.is_ascii_digit()))
            {
                Some(written)
            } else if user.chars().all(|c| c.is_ascii_digit()) {
                Some(format!("{user}:{user}"))
            } else {
                created
                    .iter()
                    .find(|(n, _)| n == user)
                    .and_then(|(_, ids)| ids.clone())
            };
            found = Some((user.to_string(), ids));
        }
        for (_, command) in commands(ctx, index) {
            match command.program() {
                Some("groupadd" | "addgroup") => {
                    let words: Vec<&str> = command.args().iter().map(|w| w.text.as_str()).collect();
                    if let (Some(gid), Some(name)) =
                        (option_value(&words, &["-g", "--gid"]), words.last())
                    {
                        group_ids.push((name.to_string(), gid));
                    }
                }
                Some("useradd" | "adduser") => {
                    let words: Vec<&str> = command.args().iter().map(|w| w.text.as_str()).collect();
                    let Some(name) = words
                        .last()
                        .filter(|w| !w.starts_with('-') && usable_name(w))
                    else {
                        continue;
                    };
                    let uid = option_value(&words, &["-u", "--uid"]);
                    let group = option_value(&words, &["-g", "--gid", "-G", "--ingroup"]);
                    let gid = match &group {
                        Some(g) if g.chars().all(|c| c.is_ascii_digit()) => Some(g.clone()),
                        Some(g) => group_ids
                            .iter()
                            .find(|(n, _)| n == g)
                            .map(|(_, id)| id.clone()),
                        None => group_ids
                            .iter()
                            .find(|(n, _)| n == name)
                            .map(|(_, id)| id.clone()),
                    };
                    let ids = uid
                        .filter(|u| u.chars().all(|c| c.is_ascii_digit()))
                        .map(|u| {
                            let gid = gid.unwrap_or_else(|| u.clone());
                            format!("{u}:{gid}")
                        });
                    created.push((name.to_string(), ids.clone()));
                    found = Some((name.to_string(), ids));
                }
                _ => {}
            }
        }
    }
    found
}

/// The value of an option written `-u 1000`, `-u1000`, `--uid 1000` or `--uid=1000`.
fn option_value(words: &[&str], names: &[&str]) -> Option<String> {
    for (i, word) in words.iter().enumerate() {
        for name in names {
            if word == name {
                return words.get(i + 1).map(|v| v.to_string());
            }
            if let Some(value) = word.strip_prefix(&format!("{name}=")) {
                return Some(value.to_string());
            }
            if name.len() == 2
                && word.len() > 2
                && word.starts_with(name)
                && !word.starts_with("--")
            {
                return Some(word[2..].to_string());
            }
        }
    }
    None
}

/// The user the build hands files to (`chown -R nobody: /opt/app`, `COPY --chown=app:app`),
/// the last one: the image is prepared for that user, and a new one could not write there.
fn owner_of_directories(ctx: &Context<'_>, chain: &[usize], alpine: bool) -> Option<(String, Option<String>)> {
    let mut owner: Option<String> = None;
    for &index in chain {
        let instruction = ctx.model.instructions[index];
        if matches!(instruction.keyword, crate::syntax::Keyword::Copy | crate::syntax::Keyword::Add) {
            if let Some(value) = instruction.flag("chown").and_then(|f| f.value()) {
                owner = Some(value.to_string());
            }
        }
        for (_, command) in commands(ctx, index) {
            if command.program() == Some("chown") {
                if let Some(word) = command.args().iter().find(|w| !w.text.starts_with('-')) {
                    owner = Some(word.text.to_string());
                }
            }
        }
    }
    let owner = owner?;
    let (user, group) = owner.split_once([':', '.']).unwrap_or((owner.as_str(), ""));
    if user.is_empty() || is_root_user(user) || !usable_name(user) || user.contains('$') {
        return None;
    }
    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let ids = if numeric(user) {
        Some(format!("{user}:{}", if numeric(group) { group } else { user }))
    } else {
        builtin_user_ids(user, alpine).map(str::to_string)
    };
    Some((user.to_string(), ids))
}

/// A name that `USER <name>` can carry: not empty (`adduser \` with a stray escape gives an
/// empty word, and `USER ` with nothing after it names no one, so the fix never settled), no
/// blanks, no variables.
fn usable_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(char::is_whitespace) && !name.contains('$')
}

/// DH101
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = ctx.model.final_stage() else {
        return;
    };
    let EndUser::Root(user_instruction) = end_user(ctx.model, stage.index) else {
        return;
    };
    // A `FROM scratch` stage that starts nothing only collects files (`--output` exports,
    // artifacts other stages or tools copy out): no process ever runs as its user.
    let start = crate::rules::helpers::start_commands(ctx.model, stage.index);
    let scratch = matches!(stage.base.base, crate::model::Base::Scratch);
    if scratch && user_instruction.is_none() && start.entrypoint.is_none() && start.cmd.is_none() {
        return;
    }
    let from = ctx.model.instructions[stage.from];
    let (range, message) = match user_instruction {
        Some(user) => (
            user.code_range(),
            "the last `USER` of the final stage is root".to_string(),
        ),
        None => (
            from.keyword_range.cover(stage.base.range),
            "the final stage has no `USER`: the container runs as root".to_string(),
        ),
    };
    let (why_not, fixable) = match start_user(ctx, stage.index) {
        StartUser::Direct { script_read } => {
            let read = script_read.map(|script| format!(" (the start script `{script}` was read: it does not switch users)"));
            match user_switch::blocker(ctx, stage.index) {
                Some(blocker) => (Some(format!("{}; no USER is added, because {blocker}", read.unwrap_or_default())), false),
                None => (read, true),
            }
        }
        StartUser::StepsDown { what } => (
            Some(format!(
                "; no USER is added, because {what}. Keep it, and at run time drop the capabilities the start does not use (a start that switches users needs SETUID and SETGID, one that changes ownership CHOWN, one that writes files it does not own DAC_OVERRIDE, and a program with file capabilities needs those too) and set no-new-privileges"
            )),
            false,
        ),
        StartUser::Official(image) => {
            let how = match image.start {
                StartAs::StepsDown { tool } => format!("starts as root and switches to its `{}` user itself (`{tool}`)", image.user),
                StartAs::RootMaster => format!("runs its master process as root and its workers as `{}`", image.user),
            };
            if image.name == "nginx" {
                match nginx_unprivileged::move_fix(ctx, stage.index) {
                    Ok(fix) => {
                        let mut finding = ctx.finding(&FinalStageRunsAsRoot::META, range, format!(
                            "{message}; the official `nginx` image {how}, and a `USER` line alone would stop its master from starting; `{}` is the same nginx prepared to run as uid 101",
                            nginx_unprivileged::REPOSITORY
                        ));
                        finding.fix = Some(fix);
                        findings.push(finding);
                        return;
                    }
                    Err(reason) => (
                        Some(format!(
                            "; no USER is added, because the official `nginx` image {how}, and it is not moved to `{}` because {reason}",
                            nginx_unprivileged::REPOSITORY
                        )),
                        false,
                    ),
                }
            } else {
                (Some(format!("; no USER is added, because the official `{}` image {how}: {}", image.name, image.advice)), false)
            }
        }
        // What the start cannot show is not the only thing to check: state or a low port
        // would stop a switched image too, and the advice must not say "just add USER".
        StartUser::Unseen { what } => match user_switch::blocker(ctx, stage.index) {
            Some(blocker) => (Some(format!("; no USER is added, because {what}; and {blocker}")), false),
            None => (
                Some(format!(
                    "; no USER is added, because {what}. Check that the image needs no root to start, then add `USER {0}:{0}` after its last build step, or run `dfharden fix --force-user`",
                    ctx.settings.user.uid
                )),
                false,
            ),
        },
    };
    let mut finding = ctx.finding(&FinalStageRunsAsRoot::META, range, message);
    if fixable || ctx.settings.user.force {
        finding.fix = fix(ctx, stage.index);
        if let Some(fix) = &mut finding.fix {
            let low = unbindable_low_ports(ctx, stage.index);
            if !low.is_empty() {
                let ports = low.iter().map(|(p, _)| p.to_string()).collect::<Vec<_>>().join(", ");
                fix.title.push_str(&format!(" (port {ports}: without root only Docker and containerd 2.0+ let it bind)"));
                finding.message.push_str(&format!(
                    " (it exposes port {ports}: as a non-root user the app can bind it under Docker and containerd 2.0 or later, which let unprivileged processes bind low ports in containers, but not under CRI-O or older containerd; listen on a port above 1023, or grant NET_BIND_SERVICE)"
                ));
            }
        }
    }
    if let Some(why_not) = why_not {
        finding.message.push_str(&why_not);
    } else if finding.fix.is_none() {
        // The start allows a USER, but there is no known way to create one on this base.
        finding.message.push_str(&format!(
            "; no USER is added, because dfharden does not know how to create a user on `{}`: create one with a fixed uid there and add `USER <uid>:<gid>` after the last build step",
            ctx.text(stage.base.range)
        ));
    }
    findings.push(finding);
}

fn fix(ctx: &Context<'_>, stage_index: usize) -> Option<Fix> {
    let stage = &ctx.model.stages[stage_index];
    let facts = facts_for_stage(ctx.model, stage_index);
    let last = last_build_step(ctx, stage);
    let mut chain = vec![stage.from];
    chain.extend(&stage.body);
    let user =
        |ctx: &Context<'_>, name: &str| format!("{} {name}", keyword_like(ctx, last, "USER"));
    let alpine = facts.distro == Distro::Alpine;
    let known = known_user(ctx, &chain);
    let owner = if known.is_none() { owner_of_directories(ctx, &chain, alpine) } else { None };
    let existing = known.or(owner.clone()).or_else(|| {
        facts.builtin_user.map(|name| {
            (
                name.to_string(),
                builtin_user_ids(name, alpine).map(str::to_string),
            )
        })
    });
    if let Some((name, ids)) = existing {
        let what = if owner.is_some() {
            format!("`{name}`, the user the build gives its files to")
        } else {
            format!("the existing user `{name}`")
        };
        let (written, title) = match ids {
            Some(ids) => (ids.clone(), format!("Switch to {what} ({ids})")),
            None => (name.clone(), format!("Switch to {what} (by name: the Dockerfile gives it no fixed uid)")),
        };
        return Some(Fix::unsafe_edit(
            title,
            vec![insert_line_after(ctx, last, &user(ctx, &written)).after_others()],
        ));
    }
    let settings = &ctx.settings.user;
    if facts.distro == Distro::Scratch || lacks_user_tools(ctx.model, stage_index) {
        let id = format!("{0}:{0}", settings.uid);
        return Some(Fix::unsafe_edit(
            format!("Run as uid {}", settings.uid),
            vec![insert_line_after(ctx, last, &user(ctx, &id)).after_others()],
        ));
    }
    let mut create = create_user_command(facts.distro, &settings.name, settings.uid)?;
    // Volumes are created by root: hand them to the new user, or the app cannot write its data.
    for volume in volumes(ctx, stage_index) {
        create.push_str(&format!(" && mkdir -p {volume} && chown {0}:{0} {volume}", settings.uid));
    }
    let run = format!("{} {create}", keyword_like(ctx, last, "RUN"));
    let ids = format!("{0}:{0}", settings.uid);
    Some(Fix::unsafe_edit(
        format!(
            "Create the system user `{}` ({ids}) and switch to it",
            settings.name
        ),
        vec![insert_line_after(
            ctx,
            last,
            &format!("{run}{}{}", ctx.newline(), user(ctx, &ids)),
        )
        .after_others()],
    ))
}
