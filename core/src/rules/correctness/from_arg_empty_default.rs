use std::collections::HashMap;

use super::from_arg_undeclared::AUTOMATIC_PLATFORM_ARGS;
use crate::model::{expand, has_variables, ImageRef};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a `FROM` line whose image, with every build argument at its default value, is
    /// empty or not a valid image reference (`ARG TAG` with no default, then `FROM node:${TAG}`).
    ///
    /// ## Why is this bad?
    /// A build that does not pass `--build-arg` for the argument fails, and so do the tools that
    /// read the file without building it (`docker build --check`, scanners, dfharden's own
    /// digest pinning): the file only works with outside knowledge. A default that builds,
    /// overridden where needed, keeps the file self-contained.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG PYTHON_VERSION
    /// FROM python:${PYTHON_VERSION}-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG PYTHON_VERSION=3.13
    /// FROM python:${PYTHON_VERSION}-slim
    /// ```
    ///
    /// ## References
    /// - BuildKit build check `InvalidDefaultArgInFrom`
    pub struct FromArgEmptyDefault {
        code: "DH704",
        name: "from-arg-empty-default",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "A `FROM` line names no valid image unless a build argument is passed",
        aliases: [(Buildkit, "InvalidDefaultArgInFrom")],
    }
}

/// DH704
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    // Declared arguments take their defaults (empty without one); the platform arguments
    // always have a value, so any placeholder will do.
    let mut vars: HashMap<String, String> =
        AUTOMATIC_PLATFORM_ARGS.iter().map(|name| (name.to_string(), "linux".to_string())).collect();
    // In order: a default may use the arguments declared before it (`ARG B=${A}`).
    for arg in &ctx.model.global_args {
        let value = arg.default.as_deref().map(|d| expand(d, &vars).text).unwrap_or_default();
        vars.insert(arg.name.clone(), value);
    }
    for stage in &ctx.model.stages {
        let base = &stage.base;
        if !has_variables(&base.written) {
            continue;
        }
        let expanded = expand(&base.written, &vars).text;
        let names_stage = ctx.model.stages[..stage.index].iter().any(|s| s.name.as_deref() == Some(expanded.to_ascii_lowercase().as_str()));
        if names_stage || expanded.eq_ignore_ascii_case("scratch") {
            continue;
        }
        let problem = if expanded.is_empty() {
            "is empty".to_string()
        } else if let Err(e) = ImageRef::parse(&expanded) {
            format!("is `{expanded}`, not an image ({e})")
        } else {
            continue;
        };
        findings.push(ctx.finding(
            &FromArgEmptyDefault::META,
            base.range,
            format!("with the build arguments' defaults this image {problem}: give the `ARG` a default that builds"),
        ));
    }
}
