use crate::fix::{Edit, Fix};
use crate::model::has_variables;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` with more than one source whose destination does not end with
    /// `/`.
    ///
    /// ## Why is this bad?
    /// Several sources can only go into a directory, and BuildKit accepts a destination as a
    /// directory only when it ends with `/`: otherwise the build stops with "When using COPY
    /// with more than one source file, the destination must be a directory and end with a /".
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY package.json package-lock.json /app/
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix adds the `/`. The file did not build before, and with the `/` the sources
    /// go where the line says.
    ///
    /// ## References
    /// - hadolint DL3021
    pub struct CopySourcesToFile {
        code: "DH708",
        name: "copy-sources-to-file",
        category: Correctness,
        severity: Error,
        fix: Always,
        summary: "`COPY` with several sources needs a destination ending with `/`",
        aliases: [(Hadolint, "DL3021")],
    }
}

/// DH708
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().map(|i| i.effective()) {
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) || !instruction.heredocs.is_empty() {
            continue;
        }
        let (words, exec) = match &instruction.arguments {
            Arguments::List(words) => (words, false),
            Arguments::Exec(words) => (words, true),
            _ => continue,
        };
        let [sources @ .., destination] = words.as_slice() else { continue };
        let written = ctx.text(destination.range);
        let value = if exec { destination.text.clone() } else { crate::model::unquote(&destination.text) };
        if sources.len() < 2 || value.ends_with('/') || has_variables(&value) {
            continue;
        }
        // Before a closing quote (`"/app"` → `"/app/"`), else at the end of the word.
        let at = if written.ends_with(['"', '\'']) { destination.range.end - 1 } else { destination.range.end };
        let mut finding = ctx.finding(
            &CopySourcesToFile::META,
            destination.range,
            format!("{} sources need a directory: end `{value}` with `/`", sources.len()),
        );
        finding.fix = Some(Fix::safe(format!("Add `/` to `{value}`"), vec![Edit::insert(at, "/")]));
        findings.push(finding);
    }
}
