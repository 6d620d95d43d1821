use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags `COPY --from=stage / /`: a copy of another stage's whole filesystem.
    ///
    /// ## Why is this bad?
    /// It lays every file of the other image (its shell, package manager, users and their
    /// passwords file, setuid programs) over this one: a distroless or minimal final stage
    /// becomes the full image it was meant to replace, and the layer holds a second copy of
    /// everything. Copy the directories the application needs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=build / /
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=build /out/server /server
    /// ```
    ///
    /// ## References
    /// - hadolint DL3067
    pub struct CopyWholeFilesystem {
        code: "DH715",
        name: "copy-whole-filesystem",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "`COPY --from` copies a whole filesystem onto this image",
        aliases: [(Hadolint, "DL3067")],
    }
}

/// DH715
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().map(|i| i.effective()) {
        if instruction.keyword != Keyword::Copy || instruction.flag("from").is_none() {
            continue;
        }
        let words = match &instruction.arguments {
            Arguments::List(words) | Arguments::Exec(words) => words,
            _ => continue,
        };
        let is_root = |w: &crate::syntax::Word| crate::model::unquote(&w.text) == "/";
        let Some((destination, sources)) = words.split_last() else { continue };
        if is_root(destination) && sources.iter().any(is_root) {
            findings.push(ctx.finding(
                &CopyWholeFilesystem::META,
                instruction.code_range(),
                "this copies the other stage's whole filesystem over this image: copy only the directories the application needs",
            ));
        }
    }
}
