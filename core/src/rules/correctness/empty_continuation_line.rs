use crate::fix::{Edit, Fix};
use crate::rules::{rule, Context, Finding};
use crate::syntax::EMPTY_CONTINUATION_LINE;

rule! {
    /// ## What it does
    /// Flags an empty line inside an instruction continued with `\`.
    ///
    /// ## Why is this bad?
    /// An empty line does not end a continued instruction: the next line still belongs to it.
    /// A reader sees two blocks, the builder one, and BuildKit has announced that such lines
    /// will become an error. The usual cause is a trailing `\` left after deleting the last
    /// line of a `RUN`.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && \
    ///
    ///     apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && \
    ///     apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the empty line, which the builder skips anyway.
    ///
    /// ## References
    /// - BuildKit build check `NoEmptyContinuation`
    pub struct EmptyContinuationLine {
        code: "DH710",
        name: "empty-continuation-line",
        category: Correctness,
        severity: Warning,
        fix: Always,
        summary: "An empty line inside a continued instruction",
        aliases: [(Buildkit, "NoEmptyContinuation")],
    }
}

/// DH710
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for warning in ctx.parse.errors.iter().filter(|e| e.message == EMPTY_CONTINUATION_LINE) {
        let mut finding = ctx.finding(
            &EmptyContinuationLine::META,
            warning.range,
            "empty line inside a continued instruction: the next line still belongs to it",
        );
        finding.fix = Some(Fix::safe("Delete the empty line", vec![Edit::delete(warning.range)]));
        findings.push(finding);
    }
}
