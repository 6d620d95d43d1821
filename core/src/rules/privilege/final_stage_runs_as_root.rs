use crate::fix::Fix;
use crate::model::base::{create_user_command, facts_for_stage, Distro};
use crate::model::{Base, Dockerfile};
use crate::rules::helpers::{commands, insert_line_after, is_root_user, keyword_like, last_build_step, user_of};
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
    /// 1024 or write files owned by root. The fix reuses a user the image already has (`node`,
    /// `www-data`, distroless `nonroot`) or that the Dockerfile creates; otherwise it creates a
    /// system user with the distribution's own tools (`useradd` on Debian, Ubuntu and Red Hat
    /// images, `adduser` on Alpine). When the distribution is unknown no fix is offered.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.1 "Ensure that a user for the container has been created"
    /// - hadolint DL3002, Trivy DS002, Checkov CKV_DOCKER_3 and CKV_DOCKER_8
    pub struct FinalStageRunsAsRoot {
        code: "DH101",
        name: "final-stage-runs-as-root",
        category: Privilege,
        severity: Error,
        fix: Sometimes,
        summary: "The image's process runs as root",
        aliases: [(Hadolint, "DL3002"), (Trivy, "DS002"), (Checkov, "CKV_DOCKER_3"), (Checkov, "CKV_DOCKER_8"), (Cis, "4.1")],
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
        if let Some(user) = current.body.iter().rev().map(|&i| model.instructions[i]).find(|i| user_of(i).is_some()) {
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

/// A user the stage creates with `useradd`/`adduser`, or switches to earlier.
fn known_user(ctx: &Context<'_>, stage_instructions: &[usize]) -> Option<String> {
    let mut found = None;
    for &index in stage_instructions {
        let instruction = ctx.model.instructions[index];
        if let Some(name) = user_of(instruction).filter(|u| !is_root_user(u) && usable_name(u)) {
            found = Some(name.to_string());
        }
        for (_, command) in commands(ctx, index) {
            if matches!(command.program(), Some("useradd" | "adduser")) {
                if let Some(last) = command.args().last().filter(|w| !w.text.starts_with('-') && usable_name(&w.text)) {
                    found = Some(last.text.to_string());
                }
            }
        }
    }
    found
}

/// A name that `USER <name>` can carry: not empty (`adduser \` with a stray escape gives an
/// empty word, and `USER ` with nothing after it names no one, so the fix never settled), no
/// blanks, no variables.
fn usable_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(char::is_whitespace) && !name.contains('$')
}

/// DH101
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = ctx.model.final_stage() else { return };
    let EndUser::Root(user_instruction) = end_user(ctx.model, stage.index) else { return };
    let from = ctx.model.instructions[stage.from];
    let (range, message) = match user_instruction {
        Some(user) => (user.code_range(), "the last `USER` of the final stage is root".to_string()),
        None => (
            from.keyword_range.cover(stage.base.range),
            "the final stage has no `USER`: the container runs as root".to_string(),
        ),
    };
    let mut finding = ctx.finding(&FinalStageRunsAsRoot::META, range, message);
    finding.fix = fix(ctx, stage.index);
    findings.push(finding);
}

fn fix(ctx: &Context<'_>, stage_index: usize) -> Option<Fix> {
    let stage = &ctx.model.stages[stage_index];
    let facts = facts_for_stage(ctx.model, stage_index);
    let last = last_build_step(ctx, stage);
    let mut chain = vec![stage.from];
    chain.extend(&stage.body);
    let user = |ctx: &Context<'_>, name: &str| format!("{} {name}", keyword_like(ctx, last, "USER"));
    if let Some(name) = known_user(ctx, &chain).or_else(|| facts.builtin_user.map(str::to_string)) {
        return Some(Fix::unsafe_edit(
            format!("Switch to the existing user `{name}`"),
            vec![insert_line_after(ctx, last, &user(ctx, &name)).after_others()],
        ));
    }
    let settings = &ctx.settings.user;
    if facts.distro == Distro::Scratch {
        let id = format!("{0}:{0}", settings.uid);
        return Some(Fix::unsafe_edit(
            format!("Run as uid {}", settings.uid),
            vec![insert_line_after(ctx, last, &user(ctx, &id)).after_others()],
        ));
    }
    let create = create_user_command(facts.distro, &settings.name, settings.uid)?;
    let run = format!("{} {create}", keyword_like(ctx, last, "RUN"));
    Some(Fix::unsafe_edit(
        format!("Create the system user `{}` and switch to it", settings.name),
        vec![insert_line_after(ctx, last, &format!("{run}{}{}", ctx.newline(), user(ctx, &settings.name))).after_others()],
    ))
}
