use crate::model::has_variables;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags `FROM --platform=` with a fixed platform (`linux/amd64`), unless the stage's name
    /// says which platform it is for (`AS build-amd64`).
    ///
    /// ## Why is this bad?
    /// A fixed platform makes every build of the stage, on every machine and for every
    /// target, use that platform: on an arm64 laptop or CI runner the stage runs under
    /// emulation (slowly), and a multi-platform build ships amd64 binaries in its arm64 image.
    /// `--platform=$BUILDPLATFORM` (build where the builder runs, then cross-compile for
    /// `$TARGETPLATFORM`) or no flag at all are what most stages want. A stage that really is
    /// for one platform can say so in its name, which BuildKit and dfharden accept.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 golang:1.25 AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM golang:1.25 AS build
    /// ```
    ///
    /// ## References
    /// - BuildKit build check `FromPlatformFlagConstDisallowed`; hadolint DL3029, which flags
    ///   every constant `--platform` (dfharden, like BuildKit, accepts a stage named for its
    ///   platform)
    pub struct FromPlatformConstant {
        code: "DH709",
        name: "from-platform-constant",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "`FROM --platform` names a fixed platform",
        aliases: [(Buildkit, "FromPlatformFlagConstDisallowed"), (Hadolint, "DL3029")],
    }
}

/// DH709
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let instruction = ctx.model.instructions[stage.from];
        debug_assert_eq!(instruction.keyword, Keyword::From);
        let Some(flag) = instruction.flag("platform") else { continue };
        let platform = flag.value().unwrap_or_default();
        if platform.is_empty() || has_variables(platform) {
            continue;
        }
        let name = stage.name.as_deref().unwrap_or_default();
        let named_for_it = !name.is_empty() && platform.split('/').any(|part| !part.is_empty() && name.contains(&part.to_ascii_lowercase()));
        if named_for_it {
            continue;
        }
        findings.push(ctx.finding(
            &FromPlatformConstant::META,
            flag.range,
            format!("`--platform={platform}` fixes the platform for every build: use `$BUILDPLATFORM` (or no flag), or name the stage for the platform"),
        ));
    }
}
