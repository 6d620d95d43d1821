use crate::model::shell::Connector;
use crate::rules::runtime::shell_form_command::shell_in_effect;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags a shell-form `RUN` with a pipe (`a | b`) when neither the `SHELL` in force nor the
    /// script itself sets `-o pipefail`.
    ///
    /// ## Why is this bad?
    /// A pipeline's status is that of its last command: in `curl -fsSL $URL | tar -xz`, a
    /// failed download leaves `tar` reading nothing, and if `tar` exits 0 the step succeeds and
    /// the build goes on without the files. With `pipefail` the pipeline fails when any part
    /// fails. Docker's default shell, `/bin/sh -c`, does not set it.
    ///
    /// Off by default (style): it is about how a build reports failure, not about the image,
    /// it fires on a third of real Dockerfiles, and many teams using hadolint ignore it.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
    /// ```
    ///
    /// or `RUN set -o pipefail && curl ... | tar ...` where the shell is BusyBox `ash` or
    /// `dash` 0.5.11+.
    ///
    /// ## References
    /// - hadolint DL4006
    pub struct PipeWithoutPipefail {
        code: "DH810",
        name: "pipe-without-pipefail",
        category: Style,
        severity: Info,
        fix: None,
        summary: "A `RUN` pipeline whose failures are hidden: no `pipefail`",
        aliases: [(Hadolint, "DL4006")],
    }
}

/// Shells that have no `pipefail` to set (PowerShell and cmd report errors their own way).
const OTHER_SHELLS: &[&str] = &["pwsh", "powershell", "cmd", "cmd.exe", "pwsh.exe", "powershell.exe"];

/// DH810
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        for &index in &stage.body {
            let instruction = ctx.model.instructions[index];
            if instruction.effective().keyword != Keyword::Run || instruction.effective().arguments.is_exec() {
                continue;
            }
            let shell = shell_in_effect(ctx, stage.index, index);
            let program = shell.first().map(|s| crate::model::shell::basename(s).to_ascii_lowercase()).unwrap_or_default();
            if OTHER_SHELLS.contains(&program.as_str()) || shell.windows(2).any(|w| w[0] == "-o" && w[1] == "pipefail") || shell.iter().any(|a| a == "-eo" || a == "-euo") {
                continue;
            }
            for script in &ctx.scripts[index] {
                let mut sets_pipefail = false;
                for command in &script.commands {
                    if command.runs_name() == Some("set") && command.words.iter().any(|w| w.text == "pipefail") {
                        sets_pipefail = true;
                    }
                    if command.connector == Connector::Pipe && !sets_pipefail {
                        findings.push(ctx.finding(
                            &PipeWithoutPipefail::META,
                            command.range,
                            "a failure before `|` is hidden: the pipeline's status is the last command's; set `-o pipefail` (in `SHELL` or the script)",
                        ));
                        break;
                    }
                }
            }
        }
    }
}
