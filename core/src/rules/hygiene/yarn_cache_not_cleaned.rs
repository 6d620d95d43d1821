use crate::rules::helpers::{commands, program_args};
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags a `RUN` that runs `yarn install` (or `yarn add`, or plain `yarn`) and does not run
    /// `yarn cache clean` in the same step, unless the step mounts a cache.
    ///
    /// ## Why is this bad?
    /// Yarn keeps a copy of every package it downloads in its cache (`/usr/local/share/.cache/yarn`
    /// as root). The layer then holds every dependency twice: once in `node_modules`, once in the
    /// cache, often hundreds of megabytes that no container reads. A later `RUN` cannot take them
    /// out of the earlier layer. A `--mount=type=cache` keeps the cache out of the image
    /// altogether.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yarn install --frozen-lockfile
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yarn install --frozen-lockfile && yarn cache clean
    /// ```
    ///
    /// ## References
    /// - hadolint DL3060
    pub struct YarnCacheNotCleaned {
        code: "DH315",
        name: "yarn-cache-not-cleaned",
        category: Hygiene,
        severity: Info,
        fix: None,
        summary: "`yarn install` leaves its download cache in the layer",
        aliases: [(Hadolint, "DL3060")],
    }
}

/// DH315
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, instruction) in ctx.model.instructions.iter().enumerate() {
        if instruction.effective().keyword != Keyword::Run {
            continue;
        }
        let cache_mount = instruction.effective().flags.iter().any(|f| f.name() == "mount" && f.value().is_some_and(|v| v.contains("type=cache")));
        if cache_mount {
            continue;
        }
        let mut install = None;
        let mut cleaned = false;
        for (_, command) in commands(ctx, index) {
            if command.runs_name() != Some("yarn") {
                continue;
            }
            let args: Vec<&str> = program_args(command).iter().map(|w| w.text.as_str()).collect();
            let sub = args.iter().find(|a| !a.starts_with('-')).copied();
            match sub {
                None | Some("install" | "add") => install = install.or(Some(command.range)),
                Some("cache") if args.contains(&"clean") => cleaned = true,
                _ => {}
            }
        }
        if let (Some(range), false) = (install, cleaned) {
            findings.push(ctx.finding(
                &YarnCacheNotCleaned::META,
                range,
                "yarn's download cache stays in this layer: add `&& yarn cache clean` to the step (or mount a cache)",
            ));
        }
    }
}
