use crate::model::stage_name_words;
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a stage whose name (`FROM ... AS name`) an earlier stage already has. Names are
    /// compared without regard to case, as BuildKit compares them.
    ///
    /// ## Why is this bad?
    /// BuildKit keeps one stage per name: `COPY --from=name` and `RUN --mount=from=name` mean
    /// the last stage of that name wherever they are written, while `FROM name` means the last
    /// one before it. The same reference can then name different stages in different places,
    /// and `docker build --target name` picks one of them silently. It is almost always a
    /// copied block whose name was not changed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.25 AS build
    /// RUN go build -o /server ./cmd/server
    /// FROM node:24 AS build
    /// RUN npm run build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.25 AS build-server
    /// RUN go build -o /server ./cmd/server
    /// FROM node:24 AS build-assets
    /// RUN npm run build
    /// ```
    ///
    /// ## References
    /// - BuildKit build check `DuplicateStageName`, hadolint DL3024
    pub struct DuplicateStageName {
        code: "DH701",
        name: "duplicate-stage-name",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "Two stages have the same name",
        aliases: [(Buildkit, "DuplicateStageName"), (Hadolint, "DL3024")],
    }
}

/// DH701
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for stage in &ctx.model.stages {
        let Some(name) = stage.name.as_deref() else { continue };
        let instruction = ctx.model.instructions[stage.from];
        let line = ctx.parse.line_col(instruction.keyword_range.start).line;
        if let Some((_, first_line)) = seen.iter().find(|(n, _)| *n == name) {
            let range = stage_name_words(instruction).map_or(instruction.code_range(), |(_, word)| word.range);
            findings.push(ctx.finding(
                &DuplicateStageName::META,
                range,
                format!("the stage on line {first_line} is also named `{name}`: references to `{name}` cannot tell the two apart"),
            ));
        } else {
            seen.push((name, line));
        }
    }
}
