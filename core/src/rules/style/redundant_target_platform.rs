use crate::fix::{Edit, Fix};
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Keyword, TextRange};

rule! {
    /// ## What it does
    /// Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).
    ///
    /// ## Why is this bad?
    /// A stage is built for the target platform by default: the flag says nothing the
    /// builder does not already do, and it hides the stages where `--platform` matters
    /// (`$BUILDPLATFORM` for cross-compiling). Off by default (style).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine:3.22
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.22
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the flag; the stage is built for the same platform.
    ///
    /// ## References
    /// - BuildKit build check `RedundantTargetPlatform`, hadolint DL3065
    pub struct RedundantTargetPlatform {
        code: "DH806",
        name: "redundant-target-platform",
        category: Style,
        severity: Info,
        fix: Always,
        summary: "`FROM --platform=$TARGETPLATFORM` repeats the default",
        aliases: [(Buildkit, "RedundantTargetPlatform"), (Hadolint, "DL3065")],
    }
}

/// DH806
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().filter(|i| i.keyword == Keyword::From) {
        for flag in instruction.flags.iter().filter(|f| f.name() == "platform") {
            if !matches!(flag.value(), Some("$TARGETPLATFORM" | "${TARGETPLATFORM}")) {
                continue;
            }
            // The flag and the blanks after it, on its own line.
            let rest = &ctx.source[flag.range.end..];
            let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let mut finding = ctx.finding(
                &RedundantTargetPlatform::META,
                flag.range,
                "`--platform=$TARGETPLATFORM` is the default: the flag can go",
            );
            finding.fix = Some(Fix::safe(
                "Remove `--platform=$TARGETPLATFORM`",
                vec![Edit::delete(TextRange::new(flag.range.start, flag.range.end + blanks))],
            ));
            findings.push(finding);
        }
    }
}
