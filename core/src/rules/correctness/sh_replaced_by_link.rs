use crate::rules::helpers::{commands, program_args};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a `RUN` that replaces `/bin/sh` with a link to another shell
    /// (`ln -sf /bin/bash /bin/sh`).
    ///
    /// ## Why is this bad?
    /// Every later `RUN` in shell form, and every program in the image that calls `sh`
    /// (package scripts, `system()`), then runs bash where it expects the system's `sh`, and the
    /// change is invisible to a reader of the later lines. `SHELL ["/bin/bash", "-c"]` changes
    /// the shell of the build steps only, where it can be seen.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN ln -sf /bin/bash /bin/sh
    /// RUN source /opt/env.sh && make
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-c"]
    /// RUN source /opt/env.sh && make
    /// ```
    ///
    /// ## References
    /// - hadolint DL4005
    pub struct ShReplacedByLink {
        code: "DH716",
        name: "sh-replaced-by-link",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "`/bin/sh` is replaced with a link to another shell instead of using `SHELL`",
        aliases: [(Hadolint, "DL4005")],
    }
}

/// DH716
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        for (_, command) in commands(ctx, index) {
            if command.runs_name() != Some("ln") {
                continue;
            }
            let operands: Vec<&str> = program_args(command)
                .iter()
                .map(|w| w.text.as_str())
                .filter(|w| !w.starts_with('-'))
                .collect();
            if operands.len() >= 2 && operands.last() == Some(&"/bin/sh") {
                findings.push(ctx.finding(
                    &ShReplacedByLink::META,
                    command.range,
                    "this replaces `/bin/sh` for every later step and program: set `SHELL` for the build steps instead",
                ));
            }
        }
    }
}
