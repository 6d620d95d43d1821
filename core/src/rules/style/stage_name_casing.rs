use crate::fix::{Edit, Fix};
use crate::model::stage_name_words;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags a stage name with upper-case letters (`FROM golang AS Builder`).
    ///
    /// ## Why is this bad?
    /// Stage names are not case-sensitive: BuildKit lower-cases them, so `Builder`, `builder`
    /// and `BUILDER` are one stage, and `--target` takes any spelling. Upper-case names read
    /// like instructions and invite the belief that case matters. Off by default (style).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.25 AS Builder
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.25 AS builder
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix lower-cases the name where the stage is defined. References keep
    /// working in any case, because BuildKit compares names without case.
    ///
    /// ## References
    /// - BuildKit build check `StageNameCasing`
    pub struct StageNameCasing {
        code: "DH801",
        name: "stage-name-casing",
        category: Style,
        severity: Info,
        fix: Always,
        summary: "A stage name has upper-case letters",
        aliases: [(Buildkit, "StageNameCasing")],
    }
}

/// DH801
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().filter(|i| i.keyword == Keyword::From) {
        let Some((_, name)) = stage_name_words(instruction) else { continue };
        let written = ctx.text(name.range);
        if !written.chars().any(|c| c.is_ascii_uppercase()) {
            continue;
        }
        let lower = written.to_ascii_lowercase();
        let mut finding = ctx.finding(&StageNameCasing::META, name.range, format!("stage name `{written}` should be lower case: `{lower}`"));
        finding.fix = Some(Fix::safe(format!("Rename the stage `{lower}`"), vec![Edit::replace(name.range, lower)]));
        findings.push(finding);
    }
}
