use crate::model::unquote;
use crate::rules::helpers::stage_history;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags a `WORKDIR` whose path is relative: not starting with `/`, with a variable (`$HOME`)
    /// or, for Windows images, with a drive (`C:\app`, `C:/app`).
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is joined to the working directory in force, which comes from the
    /// previous `WORKDIR` or, if there is none in the stage, from the base image. Where the
    /// following `COPY`, `RUN` and `CMD` happen then depends on something written elsewhere: a
    /// base image that changes its working directory, or a reordered line, silently moves them.
    /// An absolute path says where everything goes on its own. `~` is no help: `WORKDIR` does not
    /// expand it, `WORKDIR ~/app` makes a directory literally named `~`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20
    /// WORKDIR app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20
    /// WORKDIR /app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3000, Trivy DS009, Checkov CKV_DOCKER_10
    /// - BuildKit build check `WorkdirRelativePath` (which only warns when no absolute `WORKDIR`
    ///   came before)
    pub struct RelativeWorkdir {
        code: "DH310",
        name: "relative-workdir",
        category: Hygiene,
        severity: Warning,
        fix: None,
        summary: "`WORKDIR` with a relative path",
        aliases: [(Hadolint, "DL3000"), (Trivy, "DS009"), (Checkov, "CKV_DOCKER_10"), (Buildkit, "WorkdirRelativePath")],
    }
}

/// Whether a WORKDIR path does not depend on the directory before it.
fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    let windows_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'\\' | b'/');
    path.starts_with('/') || path.starts_with('$') || windows_drive
}

/// The path of a WORKDIR instruction as written and unquoted, if it has one.
fn workdir_path(instruction: &crate::syntax::Instruction) -> Option<(&str, String)> {
    match (&instruction.keyword, &instruction.arguments) {
        (Keyword::Workdir, Arguments::Text(word)) if !word.text.trim().is_empty() => {
            Some((word.text.as_str(), unquote(&word.text)))
        }
        _ => None,
    }
}

/// DH310
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, instruction) in ctx.model.instructions.iter().enumerate() {
        let workdir = instruction.effective();
        let Some((written, path)) = workdir_path(workdir) else { continue };
        if is_absolute(written) || is_absolute(&path) {
            continue;
        }
        // An ONBUILD WORKDIR runs in another build, after that build's own instructions.
        let earlier_absolute = instruction.keyword != Keyword::Onbuild
            && stage_history(ctx, index)
                .into_iter()
                .filter_map(|i| workdir_path(ctx.model.instructions[i]))
                .any(|(w, p)| is_absolute(w) || is_absolute(&p));
        let message = if path.starts_with('~') {
            format!("`WORKDIR {written}` is relative: `~` is not expanded, it names a directory called `~`")
        } else if earlier_absolute {
            format!("`WORKDIR {written}` is relative to the previous `WORKDIR`: write the absolute path")
        } else {
            format!("`WORKDIR {written}` is relative to the base image's working directory, which can change")
        };
        findings.push(ctx.finding(&RelativeWorkdir::META, workdir.arguments_range, message));
    }
}
