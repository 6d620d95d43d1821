use crate::fix::{Edit, Fix};
use crate::model::shell::SimpleCommand;
use crate::model::{declarations, unquote};
use crate::rules::helpers::{
    cache_mount_targets, command_range, commands, exact_positions, package_command, program_index,
    stage_history, Manager,
};
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags `pip install` (also `pip3`, `pip3.12`, `python3 -m pip`) without `--no-cache-dir`.
    /// Not flagged when `PIP_NO_CACHE_DIR` is set (by `ENV`, `ARG`, or on the command line) or when
    /// the `RUN` mounts a cache over pip's cache directory (`--mount=type=cache,target=/root/.cache/pip`).
    ///
    /// ## Why is this bad?
    /// pip keeps every package it downloads and every wheel it builds under `~/.cache/pip`, to
    /// save time the next time it installs them. In an image there is no next time: the `RUN`
    /// ends, its layer is frozen, and the cache ships with the image, often as large as the
    /// packages themselves. `--no-cache-dir` tells pip to keep nothing. To make rebuilds fast,
    /// use a BuildKit cache mount instead: it survives between builds without entering the image.
    ///
    /// pip accepts an unambiguous abbreviation of a long option, so `--no-cache` (common in
    /// real files) already is `--no-cache-dir`: it is not flagged and never gets a second
    /// spelling added.
    ///
    /// Note that pip reads any value of `PIP_NO_CACHE_DIR`, even `false` or `0`, as "no cache"
    /// (a quirk kept for backwards compatibility), so every non-empty value counts.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN pip install -r requirements.txt
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix adds `--no-cache-dir` after `install`. pip installs the same packages; it
    /// only stops keeping downloads and built wheels. Not offered for exec-form `RUN`.
    ///
    /// In a stage the final image is not built on (a build stage it only copies artifacts
    /// from), the finding is reported but the fix is not offered: nothing left there ships, so
    /// the edit saves nothing, and it could change what the build has to work with.
    ///
    /// ## References
    /// - hadolint DL3042
    /// - pip documentation, "Caching": `--no-cache-dir` and `PIP_NO_CACHE_DIR`
    pub struct PipInstallWithoutNoCacheDir {
        code: "DH306",
        name: "pip-install-without-no-cache-dir",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`pip install` keeps its download cache in the image",
        aliases: [(Hadolint, "DL3042")],
    }
}

const VARIABLE: &str = "PIP_NO_CACHE_DIR";

/// Whether `PIP_NO_CACHE_DIR` is set to a non-empty value for RUN `index` by an ENV of its stage
/// (or a stage it is built on) or an ARG of its own stage. The last ENV wins, and an ENV wins
/// over an ARG of the same name, as in Docker.
fn cache_disabled_by_environment(ctx: &Context<'_>, index: usize) -> bool {
    let stage = ctx.model.stage_of(index).map(|s| s.index);
    let (mut env, mut arg): (Option<String>, Option<String>) = (None, None);
    for i in stage_history(ctx, index) {
        let instruction = ctx.model.instructions[i];
        match (&instruction.keyword, &instruction.arguments) {
            (Keyword::Env, Arguments::Pairs(pairs)) => {
                for pair in pairs.iter().filter(|p| p.key.text == VARIABLE) {
                    env = Some(unquote(&pair.value.text));
                }
            }
            (Keyword::Arg, _) if ctx.model.stage_of(i).map(|s| s.index) == stage => {
                for (name, default) in declarations(instruction) {
                    if name == VARIABLE {
                        arg = default;
                    }
                }
            }
            _ => {}
        }
    }
    env.or(arg).is_some_and(|v| !v.is_empty())
}

/// `PIP_NO_CACHE_DIR=1 pip install ...`.
fn cache_disabled_inline(command: &SimpleCommand) -> bool {
    let program = program_index(command).unwrap_or(command.words.len());
    command.words[..program]
        .iter()
        .any(|w| w.text.strip_prefix(VARIABLE).and_then(|rest| rest.strip_prefix('=')).is_some_and(|v| !v.is_empty()))
}

/// `--no-cache-dir` or an abbreviation pip reads as it. pip's option parser takes any unique
/// prefix of a long option; from `--no-cache` on, no other pip option shares the prefix
/// (`--no-c` alone would also match `--no-color`, `--no-clean`, `--no-compile`).
fn is_no_cache_dir(word: &str) -> bool {
    const OPTION: &str = "--no-cache-dir";
    let name = word.split_once('=').map_or(word, |(name, _)| name);
    name.len() >= "--no-cache".len() && OPTION.starts_with(name)
}

/// Whether a cache or tmpfs mount target holds pip's cache (`/root/.cache/pip`, or any
/// `~/.cache` or `~/.cache/pip`).
fn is_pip_cache(target: &str) -> bool {
    target == "/root" || target.ends_with("/.cache") || target.ends_with("/.cache/pip")
}

/// DH306
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, instruction) in ctx.model.instructions.iter().enumerate() {
        if ctx.scripts[index].is_empty() || cache_mount_targets(instruction).iter().any(|t| is_pip_cache(t)) {
            continue;
        }
        // The inherited environment is looked up only for RUNs that install with pip: the
        // lookup walks the stage chain, and doing it for every RUN made long chains quadratic.
        let mut environment_disables: Option<bool> = None;
        for (script, command) in commands(ctx, index) {
            let Some(pip) = package_command(command).filter(|p| p.manager == Manager::Pip && p.is(&["install"])) else {
                continue;
            };
            if pip.args.iter().any(|w| is_no_cache_dir(&w.text)) || cache_disabled_inline(command) {
                continue;
            }
            if *environment_disables.get_or_insert_with(|| cache_disabled_by_environment(ctx, index)) {
                continue;
            }
            let mut finding = ctx.finding(
                &PipInstallWithoutNoCacheDir::META,
                command_range(command),
                format!("`{} install` without `--no-cache-dir` keeps pip's download cache in the layer", pip.name),
            );
            if exact_positions(script) {
                finding.fix = Some(Fix::safe(
                    "Add `--no-cache-dir`",
                    vec![Edit::insert(pip.subcommand.range.end, " --no-cache-dir")],
                ));
            }
            findings.push(finding);
        }
    }
}
