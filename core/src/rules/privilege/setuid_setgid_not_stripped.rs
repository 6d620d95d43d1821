use crate::fix::Fix;
use crate::model::base::{facts_for_stage, lacks_find};
use crate::model::shell::{Connector, ShellWord, SimpleCommand};
use crate::model::{Base, Stage};
use crate::rules::helpers::{
    chmod_of, commands, final_chain_instructions, insert_line_after, insert_line_before, is_root_user, keyword_like,
    last_build_step, numeric_mode, symbolic_mode, user_of,
};
use crate::rules::privilege::final_stage_runs_as_root::{end_user, EndUser};
use crate::rules::{rule, Context, Finding};
use crate::syntax::Instruction;

rule! {
    /// ## What it does
    /// Flags a final image that has a shell (so it ships a userland: `su`, `passwd`, `mount`...)
    /// when no build step removes the setuid and setgid bits from its files. A sweep counts
    /// (`find` for setuid files that acts on them, a recursive `chmod a-s`); a `chmod u-s` of
    /// named files does not, since every other file keeps its bits, and the message names them.
    ///
    /// ## Why is this bad?
    /// A program with the setuid bit runs with the rights of its owner, usually root, whoever
    /// starts it; setgid does the same for the group. Distributions ship a handful of them
    /// (`su`, `passwd`, `chsh`, `mount`, `newgrp`). In a container that runs as a non-root user
    /// they are the classic way back to root: one bug in any of them, or a misconfiguration,
    /// and the unprivileged process becomes root again. Containers rarely need them, so the
    /// simplest defence is to remove the bits while building. (`--security-opt
    /// no-new-privileges` at run time also neutralises them, but the image cannot require it.)
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// COPY app /usr/local/bin/app
    /// USER 65532
    /// ENTRYPOINT ["/usr/local/bin/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// COPY app /usr/local/bin/app
    /// RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true
    /// USER 65532
    /// ENTRYPOINT ["/usr/local/bin/app"]
    /// ```
    ///
    /// A step already counts as stripping when it runs `chmod` with a mode that removes `s`
    /// (`a-s`, `u-s`, `g-s`), or runs `find` with a setuid/setgid `-perm` test (`/6000`, `-4000`)
    /// and an action (`-exec`, `-delete`, or a pipe to another command).
    ///
    /// ## Fix safety
    /// Unsafe: programs that need the bits stop working for non-root users (`su`, `passwd`,
    /// `ping` on older distributions, `sudo`). The fix adds the `find` step where the build
    /// still runs as root: before the last `USER` that switches to a non-root user, or after
    /// the last build step if the stage never leaves root. It is reported without a fix when
    /// the stage never runs as root (its base image starts as a non-root user and no
    /// `USER root` follows), as the step needs root; when the build sets the bits on
    /// purpose (`chmod u+s`, `chmod 4755`), which the fix would undo; and on an image that has
    /// no `find` (Red Hat's UBI micro), where the step would silently do nothing.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.8 "Ensure setuid and setgid permissions are removed"
    pub struct SetuidSetgidNotStripped {
        code: "DH103",
        name: "setuid-setgid-not-stripped",
        category: Privilege,
        severity: Warning,
        fix: Sometimes,
        summary: "The image keeps setuid and setgid programs",
        aliases: [(Cis, "4.8")],
    }
}

/// The step the fix adds: every setuid/setgid file on the root filesystem loses its bits.
/// `|| true` keeps the build going where a file cannot be changed (read-only mounts).
pub(crate) const STRIP: &str = "find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true";

/// DH103
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = ctx.model.final_stage() else { return };
    if facts_for_stage(ctx.model, stage.index).has_shell != Some(true) {
        return;
    }
    let final_image = final_chain_instructions(ctx.model);
    if final_image.iter().any(|&i| strips_bits(ctx, i)) {
        return;
    }
    let from = ctx.model.instructions[stage.from];
    let mut message = "no build step removes the setuid and setgid bits from the final image's files".to_string();
    let named: Vec<String> = final_image.iter().flat_map(|&i| named_strips(ctx, i)).collect();
    if !named.is_empty() {
        message.push_str(&format!(
            " (only from `{}`, named: every other setuid or setgid file keeps its bits)",
            named.join("`, `")
        ));
    }
    // The strip step needs `find`: on an image without it, `|| true` would hide that it did
    // nothing.
    let no_find = lacks_find(ctx.model, stage.index);
    if let Some(image) = no_find {
        message.push_str(&format!(
            "; no strip step is offered, because `{}` has no `find` (the step would silently do nothing): remove the bits in the build stage before copying files in (`chmod a-s`), or check that the image has none",
            image.familiar_name()
        ));
    }
    // A build that sets the bits on purpose (`chmod u+s`) would be undone by the fix.
    let sets_on_purpose = final_image.iter().any(|&i| sets_bits(ctx, i));
    let fix = if no_find.is_none() && !sets_on_purpose { fix(ctx, stage) } else { None };
    if fix.is_none() && no_find.is_none() && !sets_on_purpose {
        message.push_str("; no strip step is offered, because the stage is not seen to run as root where the step could go, and as another user it would change nothing: add it between a `USER root` and the switch back");
    }
    let mut finding = ctx.finding(&SetuidSetgidNotStripped::META, from.keyword_range.cover(stage.base.range), message);
    finding.fix = fix;
    findings.push(finding);
}

/// Whether RUN instruction `index` removes setuid/setgid bits from every file: a `find` for
/// them that acts on what it finds (`-exec chmod a-s`, `-delete`, piped to `xargs chmod -s`),
/// or a recursive `chmod` (`chmod -R a-s /usr/bin`). A `chmod u-s` of named files leaves the
/// others their bits.
fn strips_bits(ctx: &Context<'_>, index: usize) -> bool {
    commands(ctx, index).any(|(_, command)| {
        finds_setuid_files(command)
            || chmod_of(command).is_some_and(|chmod| {
                removes_s(&chmod.mode.text)
                    && (chmod.recursive || matches!(command.program(), Some("find" | "xargs")))
            })
    })
}

/// The files a RUN removes the bits from by name (`chmod u-s /usr/bin/chsh`), for the message.
fn named_strips(ctx: &Context<'_>, index: usize) -> Vec<String> {
    commands(ctx, index)
        .filter(|(_, command)| command.program() == Some("chmod"))
        .filter_map(|(_, command)| chmod_of(command))
        .filter(|chmod| removes_s(&chmod.mode.text) && !chmod.recursive)
        .flat_map(|chmod| chmod.targets.iter().map(|t| t.text.to_string()).collect::<Vec<_>>())
        .collect()
}

/// Whether RUN instruction `index` gives a file the setuid/setgid bits (`chmod u+s`, `chmod 4755`).
fn sets_bits(ctx: &Context<'_>, index: usize) -> bool {
    commands(ctx, index).filter_map(|(_, command)| chmod_of(command)).any(|chmod| has_s(&chmod.mode.text))
}

/// A mode that includes setuid or setgid: `4755`, `2755`, `u+s`, `g=s`, `/6000` without its
/// prefix.
fn has_s(mode: &str) -> bool {
    if let Some(bits) = numeric_mode(mode) {
        return bits & 0o6000 != 0;
    }
    symbolic_mode(mode).is_some_and(|clauses| {
        clauses.iter().any(|clause| clause.actions.iter().any(|&(op, letters)| op != '-' && letters.contains('s')))
    })
}

/// A symbolic mode with a clause that removes `s`: `a-s`, `ug-s`, `-s`, `u-s,g-s`, `go-ws`.
fn removes_s(mode: &str) -> bool {
    symbolic_mode(mode).is_some_and(|clauses| {
        clauses.iter().any(|clause| clause.actions.iter().any(|&(op, letters)| op == '-' && letters.contains('s')))
    })
}

/// `find ... -perm /6000 -exec ...` (or `-delete`, or piped on): finds setuid/setgid files and
/// does something with them, not just lists them.
fn finds_setuid_files(command: &SimpleCommand) -> bool {
    if command.program() != Some("find") {
        return false;
    }
    let args = command.args();
    let tests_setuid = args.windows(2).any(|pair| pair[0].text == "-perm" && is_setuid_perm(&pair[1]));
    let acts = command.connector == Connector::Pipe
        || args.iter().any(|w| matches!(w.text.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir" | "-delete"));
    tests_setuid && acts
}

/// A `-perm` value that selects setuid or setgid files: `/6000`, `+6000`, `-4000`, `-2000`,
/// `/u+s,g+s`, `-u=s`.
fn is_setuid_perm(value: &ShellWord) -> bool {
    has_s(value.text.trim_start_matches(['/', '+', '-']))
}

/// Who the final stage runs as when its own instructions start.
fn starts_as_root(ctx: &Context<'_>, stage: &Stage) -> Option<bool> {
    match &stage.base.base {
        Base::Stage { index } => match end_user(ctx.model, *index) {
            EndUser::Root(_) => Some(true),
            EndUser::NonRoot(_) => Some(false),
            EndUser::Unknown => None,
        },
        Base::Image { .. } | Base::Scratch => Some(!facts_for_stage(ctx.model, stage.index).runs_as_non_root),
        Base::Unknown { .. } => None,
    }
}

/// Inserts the strip where the stage still runs as root, as late as possible so that it also
/// covers what the root steps installed.
fn fix(ctx: &Context<'_>, stage: &Stage) -> Option<Fix> {
    let mut root = starts_as_root(ctx, stage);
    let mut last_drop: Option<&Instruction> = None;
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        let Some(user) = user_of(instruction) else { continue };
        let now = if user.contains('$') { None } else { Some(is_root_user(user)) };
        // A step just before this line still runs as root, whatever `USER ${UID}` names.
        if root == Some(true) && now != Some(true) {
            last_drop = Some(instruction);
        }
        root = now;
    }
    let edit = if root == Some(true) {
        let last = last_build_step(ctx, stage);
        insert_line_after(ctx, last, &format!("{} {STRIP}", keyword_like(ctx, last, "RUN")))
    } else {
        let user = last_drop?;
        insert_line_before(ctx, user, &format!("{} {STRIP}", keyword_like(ctx, user, "RUN")))
    };
    Some(Fix::unsafe_edit("Add a `RUN` step that strips setuid and setgid bits", vec![edit]))
}
