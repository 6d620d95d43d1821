use crate::model::stage_name_words;
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a stage named `scratch` or `context`, names BuildKit reserves.
    ///
    /// ## Why is this bad?
    /// `scratch` is the empty image: `FROM scratch` and `COPY --from=scratch` never mean a
    /// stage of that name. `context` is the name a build context can be given with
    /// `--build-context`. A stage with either name cannot be referred to the way its author
    /// expects, and BuildKit warns about it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.22 AS scratch
    /// RUN make
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.22 AS build
    /// RUN make
    /// ```
    ///
    /// ## References
    /// - BuildKit build check `ReservedStageName`
    pub struct ReservedStageName {
        code: "DH702",
        name: "reserved-stage-name",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "A stage is named `scratch` or `context`, names BuildKit reserves",
        aliases: [(Buildkit, "ReservedStageName")],
    }
}

const RESERVED: &[&str] = &["scratch", "context"];

/// DH702
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let Some(name) = stage.name.as_deref().filter(|n| RESERVED.contains(n)) else { continue };
        let instruction = ctx.model.instructions[stage.from];
        let range = stage_name_words(instruction).map_or(instruction.code_range(), |(_, word)| word.range);
        findings.push(ctx.finding(
            &ReservedStageName::META,
            range,
            format!("`{name}` is a reserved name: references to it never mean this stage; choose another name"),
        ));
    }
}
