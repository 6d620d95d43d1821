use crate::model::has_variables;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags `COPY --from=name` (and `ADD --from=name`) where `name` is not an earlier stage,
    /// not a stage number and does not look like an image reference (no `:`, `/` or `@`).
    ///
    /// ## Why is this bad?
    /// When `--from` names no stage, BuildKit takes it as an image and pulls it:
    /// `COPY --from=biuld /app /app` pulls `docker.io/library/biuld:latest` from Docker Hub
    /// instead of failing. That is nearly always a typo; copying from an image is clearer, and
    /// pinnable, with its tag or digest written out. A stage defined further down is found by
    /// BuildKit, but not by the legacy builder, other tools or a reader, who expect a stage
    /// above its first use, so it is flagged too (as hadolint does).
    ///
    /// dfharden differs from hadolint in one point: a reference with `/` or `@`
    /// (`gcr.io/distroless/static`) is taken as an image, as it cannot be a stage name.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.25 AS build
    /// RUN go build -o /server .
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=builder /server /server
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.25 AS build
    /// RUN go build -o /server .
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=build /server /server
    /// ```
    ///
    /// ## References
    /// - hadolint DL3022
    pub struct CopyFromUnknownStage {
        code: "DH706",
        name: "copy-from-unknown-stage",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "`COPY --from` names no earlier stage, so BuildKit pulls an image of that name",
        aliases: [(Hadolint, "DL3022")],
    }
}

/// DH706
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        for &index in &stage.body {
            let instruction = ctx.model.instructions[index];
            if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            let Some(flag) = instruction.flag("from") else { continue };
            let reference = flag.value().unwrap_or_default();
            let image_like = reference.contains([':', '/', '@']) || has_variables(reference);
            let own_name = stage.name.as_deref() == Some(reference.to_ascii_lowercase().as_str());
            if reference.is_empty() || image_like || own_name || ctx.model.stage_by_reference(reference, stage.index).is_some() {
                continue;
            }
            let later = ctx.model.stages[stage.index..].iter().any(|s| s.name.as_deref() == Some(reference.to_ascii_lowercase().as_str()));
            let message = if later {
                format!("stage `{reference}` is defined after this line: BuildKit finds it, but other builders and readers look for it above; move the stage up")
            } else {
                format!("no earlier stage is named `{reference}`, so BuildKit pulls the image `{reference}`: fix the name, or write the image with its tag")
            };
            findings.push(ctx.finding(&CopyFromUnknownStage::META, flag.range, message));
        }
    }
}
