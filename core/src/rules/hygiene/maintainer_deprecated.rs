use crate::fix::{Edit, Fix};
use crate::rules::helpers::keyword_like;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Instruction, Keyword, TokenKind};

rule! {
    /// ## What it does
    /// Flags the `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` is deprecated since Docker 1.13. It fills the image's legacy `Author` field,
    /// which few tools show. Labels are the general way to attach metadata to an image, and the
    /// OCI image specification names one for this: `org.opencontainers.image.authors`.
    /// Registries, scanners and `docker inspect` read it along with the other labels, and it can
    /// be set and queried like any of them.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix turns the instruction into `LABEL org.opencontainers.image.authors="..."`
    /// with the same text. It escapes `"`, `$` and the escape character, because `LABEL` expands
    /// variables and `MAINTAINER` does not, so the value stays exactly as written. The build runs
    /// the same steps; only the legacy `Author` field of the image is no longer set.
    ///
    /// ## References
    /// - hadolint DL4000, Trivy DS022, Checkov CKV_DOCKER_6
    /// - BuildKit build check `MaintainerDeprecated`
    /// - OCI image specification, "Pre-Defined Annotation Keys": `org.opencontainers.image.authors`
    pub struct MaintainerDeprecated {
        code: "DH311",
        name: "maintainer-deprecated",
        category: Hygiene,
        severity: Info,
        fix: Always,
        summary: "`MAINTAINER` is deprecated in favour of a label",
        aliases: [(Hadolint, "DL4000"), (Trivy, "DS022"), (Checkov, "CKV_DOCKER_6"), (Buildkit, "MaintainerDeprecated")],
    }
}

const LABEL: &str = "org.opencontainers.image.authors";

/// DH311
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().filter(|i| i.keyword == Keyword::Maintainer) {
        let mut finding = ctx.finding(
            &MaintainerDeprecated::META,
            instruction.code_range(),
            format!("`MAINTAINER` is deprecated: put the author in the `{LABEL}` label"),
        );
        finding.fix = Some(Fix::safe(format!("Replace `MAINTAINER` with `LABEL {LABEL}`"), edits(ctx, instruction)));
        findings.push(finding);
    }
}

/// The edits that turn `MAINTAINER text` into `LABEL org.opencontainers.image.authors="text"`.
///
/// The text is quoted where it stands, so comment lines inside a continued `MAINTAINER` stay.
fn edits(ctx: &Context<'_>, instruction: &Instruction) -> Vec<Edit> {
    let label = keyword_like(ctx, instruction, "LABEL");
    let arguments = instruction.arguments_range;
    if arguments.is_empty() {
        return vec![Edit::replace(instruction.code_range(), format!("{label} {LABEL}=\"\""))];
    }
    let escape = ctx.parse.escape;
    let mut edits = vec![Edit::replace(instruction.keyword_range, label)];
    let mut open = format!("{LABEL}=\"");
    for token in instruction.tokens.iter().filter(|t| t.kind == TokenKind::Code) {
        let (start, end) = (token.range.start.max(arguments.start), token.range.end.min(arguments.end));
        if start >= end {
            continue;
        }
        for (offset, c) in ctx.source[start..end].char_indices() {
            if c == '"' || c == '$' || c == escape {
                let at = start + offset;
                if at == arguments.start {
                    // One insertion per position: the opening quote and this escape together.
                    open.push(escape);
                } else {
                    edits.push(Edit::insert(at, escape.to_string()));
                }
            }
        }
    }
    edits.push(Edit::insert(arguments.start, open));
    edits.push(Edit::insert(arguments.end, "\""));
    edits
}
