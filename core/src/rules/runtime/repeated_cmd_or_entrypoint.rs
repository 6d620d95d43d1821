use crate::fix::Fix;
use crate::rules::helpers::delete_instruction;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags a stage with more than one `CMD`, more than one `ENTRYPOINT` or more than one
    /// `HEALTHCHECK`: every one but the last.
    ///
    /// ## Why is this bad?
    /// `CMD`, `ENTRYPOINT` and `HEALTHCHECK` are settings of the image, not steps: each one replaces the
    /// previous value, and only the last one of a stage is kept. The earlier ones do nothing,
    /// yet a reader may believe they run, for instance that two `CMD` lines start two
    /// processes. To run more than one thing, start them from one script or, better, run
    /// them in separate containers.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// CMD ["python", "/app/worker.py"]
    /// CMD ["python", "/app/web.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// CMD ["python", "/app/web.py"]
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the instructions that are overridden, so the image's settings do
    /// not change. (An `ENTRYPOINT` resets a `CMD` inherited from the base, but never one set
    /// earlier in the same stage, so removing an overridden `ENTRYPOINT` or `CMD` cannot change
    /// which `CMD` remains.) Comment lines inside a deleted instruction are kept.
    ///
    /// ## References
    /// - hadolint DL4003 (`CMD`), DL4004 (`ENTRYPOINT`) and DL3012 (`HEALTHCHECK`), Trivy DS016
    ///   (`CMD`) and DS007 (`ENTRYPOINT`)
    /// - BuildKit build check `MultipleInstructionsDisallowed`
    pub struct RepeatedCmdOrEntrypoint {
        code: "DH503",
        name: "repeated-cmd-or-entrypoint",
        category: Runtime,
        severity: Warning,
        fix: Always,
        summary: "A stage sets `CMD`, `ENTRYPOINT` or `HEALTHCHECK` more than once; only the last counts",
        aliases: [(Hadolint, "DL4003"), (Hadolint, "DL4004"), (Hadolint, "DL3012"), (Trivy, "DS016"), (Trivy, "DS007"), (Buildkit, "MultipleInstructionsDisallowed")],
    }
}

/// DH503
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        for keyword in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
            let all: Vec<_> =
                stage.body.iter().map(|&i| ctx.model.instructions[i]).filter(|i| i.keyword == keyword).collect();
            let Some((last, earlier)) = all.split_last() else { continue };
            let line = ctx.parse.line_col(last.keyword_range.start).line;
            let name = keyword.as_str();
            for instruction in earlier {
                let mut finding = ctx.finding(
                    &RepeatedCmdOrEntrypoint::META,
                    instruction.code_range(),
                    format!("this `{name}` has no effect: the `{name}` on line {line} replaces it"),
                );
                finding.fix = Some(Fix::safe(
                    format!("Remove the overridden `{name}`"),
                    vec![delete_instruction(ctx, instruction)],
                ));
                findings.push(finding);
            }
        }
    }
}
