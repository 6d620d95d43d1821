use crate::model::shell::{Script, SimpleCommand};
use crate::rules::helpers::{command_range, exact_positions, program_index, program_name};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags `cd` used as a command in a `RUN`. A `cd` inside a subshell (`(cd src && make)`)
    /// or a command substitution (`$(cd src && pwd)`) is not flagged: it only affects that part
    /// of the script.
    ///
    /// ## Why is this bad?
    /// Each `RUN` starts a fresh shell in the working directory set by `WORKDIR`, and the
    /// directory a `cd` moves to is forgotten when the `RUN` ends. `RUN cd /app` on its own
    /// therefore does nothing, and after `RUN cd /app && make` a reader easily assumes that the
    /// next `COPY`, `RUN` or `CMD` also happens in `/app`: it does not. `WORKDIR` sets the
    /// directory once, for every later instruction and for the running container, and creates
    /// it if needed.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN cd /usr/src/app && make install
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /usr/src/app
    /// RUN make install
    /// ```
    ///
    /// ## References
    /// - hadolint DL3003, Trivy DS013
    pub struct CdInRun {
        code: "DH309",
        name: "cd-in-run",
        category: Hygiene,
        severity: Info,
        fix: None,
        summary: "`cd` in a `RUN` instead of `WORKDIR`",
        aliases: [(Hadolint, "DL3003"), (Trivy, "DS013")],
    }
}

/// The `cd` commands of a script that change the directory of the script itself, not of a
/// subshell.
fn top_level_cds<'s>(ctx: &Context<'_>, script: &'s Script) -> Vec<&'s SimpleCommand> {
    let mut depth: usize = 0;
    let mut found = Vec::new();
    for command in &script.commands {
        // The splitter drops a `(` that opens a command; one after a word (`then (cd`) stays in it.
        if exact_positions(script) {
            let before = &ctx.source[script.range.start.min(command.range.start)..command.range.start];
            depth += before.chars().rev().take_while(|c| matches!(c, '(' | ' ' | '\t')).filter(|c| *c == '(').count();
        }
        if let Some(i) = program_index(command) {
            depth += command.words[i].text.chars().take_while(|c| *c == '(').count();
        }
        if depth == 0 && program_name(command) == Some("cd") {
            found.push(command);
        }
        depth = depth.saturating_sub(command.words.iter().filter(|w| w.text == ")").count());
    }
    found
}

/// DH309
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        let scripts = &ctx.scripts[index];
        let Some(cd) = scripts.iter().flat_map(|s| top_level_cds(ctx, s)).next() else { continue };
        let runs = scripts.iter().flat_map(|s| &s.commands).filter(|c| program_index(c).is_some()).count();
        let written = program_index(cd).map_or(String::new(), |i| {
            cd.words[i..].iter().map(|w| w.text.trim_start_matches('(')).collect::<Vec<_>>().join(" ")
        });
        let message = if runs == 1 {
            format!("`{written}` alone in a `RUN` changes nothing for later instructions: use `WORKDIR`")
        } else {
            format!("`{written}` in a `RUN`: set the directory with `WORKDIR` instead")
        };
        findings.push(ctx.finding(&CdInRun::META, command_range(cd), message));
    }
}
