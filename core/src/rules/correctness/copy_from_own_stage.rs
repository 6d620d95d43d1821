use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags `COPY --from=name` inside the stage that is itself named `name`, when it is the
    /// last stage of that name: BuildKit keeps the last stage of each name, so an earlier
    /// stage of the same name does not help.
    ///
    /// ## Why is this bad?
    /// A stage cannot copy from itself: BuildKit stops with a circular dependency. The intent
    /// is usually a file from an earlier stage, or one already in this stage, which a plain
    /// `COPY` from the context or a `RUN cp` reaches.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:trixie-slim AS app
    /// COPY --from=app /etc/passwd /tmp/passwd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:trixie-slim AS app
    /// RUN cp /etc/passwd /tmp/passwd
    /// ```
    ///
    /// ## References
    /// - hadolint DL3023
    pub struct CopyFromOwnStage {
        code: "DH707",
        name: "copy-from-own-stage",
        category: Correctness,
        severity: Error,
        fix: None,
        summary: "`COPY --from` names the stage it is in",
        aliases: [(Hadolint, "DL3023")],
    }
}

/// DH707
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let Some(name) = stage.name.as_deref() else { continue };
        if ctx.model.stages[stage.index + 1..].iter().any(|s| s.name.as_deref() == Some(name)) {
            continue;
        }
        for &index in &stage.body {
            let instruction = ctx.model.instructions[index];
            if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            let Some(flag) = instruction.flag("from") else { continue };
            if flag.value().is_some_and(|v| v.eq_ignore_ascii_case(name)) {
                findings.push(ctx.finding(
                    &CopyFromOwnStage::META,
                    flag.range,
                    format!("this stage is `{name}`: a stage cannot copy from itself (BuildKit stops with a circular dependency)"),
                ));
            }
        }
    }
}
