use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags a `RUN` that directly follows another `RUN` with the same options, when neither
    /// runs more than two commands (longer chains were split on purpose).
    ///
    /// ## Why is this bad?
    /// Each `RUN` is a layer. Steps that belong together (install, then clean up) are smaller
    /// in one layer: a file deleted in a later layer still takes space in the earlier one.
    /// Separate steps cache separately, which can be what you want while writing the file; so
    /// this is off by default (style), and no fix merges them for you.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// RUN rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - hadolint DL3059
    pub struct ConsecutiveRun {
        code: "DH808",
        name: "consecutive-run",
        category: Style,
        severity: Info,
        fix: None,
        summary: "Consecutive `RUN` instructions that could be one layer",
        aliases: [(Hadolint, "DL3059")],
    }
}

/// DH808
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        for pair in stage.body.windows(2) {
            let (previous, current) = (ctx.model.instructions[pair[0]], ctx.model.instructions[pair[1]]);
            if previous.keyword != Keyword::Run || current.keyword != Keyword::Run {
                continue;
            }
            let flags = |i: &crate::syntax::Instruction| i.flags.iter().map(|f| f.text.clone()).collect::<Vec<_>>();
            // A `RUN` that already chains several commands was split on purpose (as hadolint
            // reads it): only short steps are worth merging.
            let commands = |i: usize| ctx.scripts[i].iter().map(|s| s.commands.len()).sum::<usize>();
            if flags(previous) != flags(current) || commands(pair[0]) > 2 || commands(pair[1]) > 2 {
                continue;
            }
            let line = ctx.parse.line_col(previous.keyword_range.start).line;
            findings.push(ctx.finding(
                &ConsecutiveRun::META,
                current.keyword_range,
                format!("this `RUN` follows the one on line {line}: steps that belong together are smaller as one layer"),
            ));
        }
    }
}
