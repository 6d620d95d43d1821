use crate::model::has_variables;
use crate::rules::helpers::stage_chain;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` to a relative destination (`COPY app.py app/`) in a stage that
    /// has not set a `WORKDIR` (itself or through the stages it is built on).
    ///
    /// ## Why is this bad?
    /// A relative destination is resolved against the working directory, which without a
    /// `WORKDIR` is whatever the base image chose: `/` for most, `/app`, `/usr/src/app` or
    /// `/home/node` for others. The files land in a place the Dockerfile does not show, and a
    /// new base image moves them. (Unlike hadolint, a stage built on `scratch` is not flagged:
    /// its working directory can only be `/`.)
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.13-slim
    /// COPY app.py app/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.13-slim
    /// WORKDIR /srv
    /// COPY app.py app/
    /// ```
    ///
    /// ## References
    /// - hadolint DL3045
    pub struct CopyRelativeWithoutWorkdir {
        code: "DH714",
        name: "copy-relative-without-workdir",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "`COPY` to a relative path before any `WORKDIR`",
        aliases: [(Hadolint, "DL3045")],
    }
}

/// DH714
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let chain = stage_chain(ctx.model, stage.index);
        // `scratch` has no working directory of its own to guess: relative means `/`.
        if matches!(ctx.model.stages[chain[0]].base.base, crate::model::Base::Scratch) {
            continue;
        }
        let mut workdir_set = chain
            .iter()
            .filter(|&&s| s != stage.index)
            .any(|&s| ctx.model.stages[s].body.iter().any(|&i| ctx.model.instructions[i].keyword == Keyword::Workdir));
        for &index in &stage.body {
            let instruction = ctx.model.instructions[index];
            match instruction.keyword {
                Keyword::Workdir => workdir_set = true,
                Keyword::Copy | Keyword::Add if !workdir_set => {
                    let words = match &instruction.arguments {
                        Arguments::List(words) | Arguments::Exec(words) => words,
                        _ => continue,
                    };
                    let Some(destination) = words.last().filter(|_| words.len() >= 2) else { continue };
                    let path = crate::model::unquote(&destination.text);
                    // Windows: a drive (`C:\app`, `c:/app`), read before quotes and escapes go.
                    let raw = destination.text.trim_start_matches(['"', '\'']);
                    let drive = raw.len() >= 2 && raw.as_bytes()[0].is_ascii_alphabetic() && raw.as_bytes()[1] == b':';
                    let absolute = drive || path.starts_with('/') || raw.starts_with('\\');
                    if absolute || has_variables(&path) {
                        continue;
                    }
                    findings.push(ctx.finding(
                        &CopyRelativeWithoutWorkdir::META,
                        destination.range,
                        format!("`{path}` is relative to the base image's working directory, which this file does not set: add a `WORKDIR` or write an absolute path"),
                    ));
                }
                _ => {}
            }
        }
    }
}
