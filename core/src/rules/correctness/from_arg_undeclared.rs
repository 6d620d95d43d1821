use crate::model::variable_names;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags a variable in a `FROM` line (the image or `--platform`) that no `ARG` before the
    /// first `FROM` declares and that BuildKit does not provide itself.
    ///
    /// ## Why is this bad?
    /// Only build arguments declared before the first `FROM` can be used in `FROM` lines. An
    /// `ARG` declared inside a stage, an `ENV`, or a shell variable from the environment does
    /// not reach it: the variable expands to an empty string, so `FROM node:${VERSION}` pulls
    /// `node:` (an error) or a typo such as `${NODE_VERISON:-24}` silently falls back to its
    /// default. BuildKit provides the platform arguments (`TARGETPLATFORM`, `BUILDARCH`, ...)
    /// without a declaration; those are not flagged.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:${NODE_VERSION}-alpine
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG NODE_VERSION=24
    /// FROM node:${NODE_VERSION}-alpine
    /// ```
    ///
    /// ## References
    /// - BuildKit build check `UndefinedArgInFrom`
    pub struct FromArgUndeclared {
        code: "DH703",
        name: "from-arg-undeclared",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "A `FROM` line uses a build argument that is not declared before the first `FROM`",
        aliases: [(Buildkit, "UndefinedArgInFrom")],
    }
}

/// The arguments BuildKit defines for every build (the platform of the builder and of the
/// target), usable in `FROM` without a declaration.
pub const AUTOMATIC_PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
];

/// DH703
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let declared = |name: &str| ctx.model.global_args.iter().any(|a| a.name == name) || AUTOMATIC_PLATFORM_ARGS.contains(&name);
    for instruction in ctx.model.instructions.iter().filter(|i| i.keyword == Keyword::From) {
        let image = match &instruction.arguments {
            Arguments::List(words) => words.first(),
            _ => None,
        };
        let places = instruction
            .flags
            .iter()
            .filter(|f| f.name() == "platform")
            .map(|f| (f.value().unwrap_or_default(), f.range))
            .chain(image.map(|w| (w.text.as_str(), w.range)));
        for (text, range) in places {
            for name in variable_names(text).into_iter().filter(|n| !declared(n)) {
                findings.push(ctx.finding(
                    &FromArgUndeclared::META,
                    range,
                    format!("`{name}` is not declared by an `ARG` before the first `FROM`, so it is empty here: declare it there (with a default)"),
                ));
            }
        }
    }
}
