use crate::rules::helpers::{commands, program_word};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags the use of `wget` in a file that already downloads with `curl` (or the other way
    /// round): every use of the tool that appears second.
    ///
    /// ## Why is this bad?
    /// Both do the same job here; installing both adds a package, its libraries and its
    /// vulnerabilities to the image, and two sets of options to know. Off by default (style).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSLO https://example.com/a.tgz
    /// RUN wget https://example.com/b.tgz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN curl -fsSLO https://example.com/a.tgz
    /// RUN curl -fsSLO https://example.com/b.tgz
    /// ```
    ///
    /// ## References
    /// - hadolint DL4001
    pub struct CurlAndWget {
        code: "DH809",
        name: "curl-and-wget",
        category: Style,
        severity: Info,
        fix: None,
        summary: "Both `curl` and `wget` are used to download",
        aliases: [(Hadolint, "DL4001")],
    }
}

/// DH809
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let mut first: Option<&str> = None;
    for index in 0..ctx.model.instructions.len() {
        for (_, command) in commands(ctx, index) {
            let Some(tool) = command.runs_name().filter(|n| matches!(*n, "curl" | "wget")) else { continue };
            let first = *first.get_or_insert(tool);
            if tool == first {
                continue;
            }
            if let Some(word) = program_word(command) {
                findings.push(ctx.finding(
                    &CurlAndWget::META,
                    word.range,
                    format!("`{tool}` here, `{first}` earlier: one download tool is enough"),
                ));
            }
        }
    }
}
