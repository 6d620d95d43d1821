use crate::fix::{Edit, Fix};
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword, TextRange};

rule! {
    /// ## What it does
    /// Flags `ENV` and `LABEL` written in the legacy form `ENV key value`, without `=`.
    ///
    /// ## Why is this bad?
    /// In the legacy form everything after the key is one value, spaces included, and only one
    /// variable fits on the line; in the `key=value` form a space separates pairs. A line that
    /// looks like `ENV A 1 B 2` sets `A` to `1 B 2`, which surprises readers, and Docker's
    /// documentation marks the form as one that may be removed. Off by default (style).
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV PYTHONUNBUFFERED 1
    /// ENV APP_NAME my app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENV PYTHONUNBUFFERED=1
    /// ENV APP_NAME="my app"
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix writes `key=value`, in double quotes when the value has blanks, so the
    /// value stays the same string (variables still expand inside double quotes). A value that
    /// has quotes, backslashes or the escape character, or continues onto another line, is
    /// left for a person: rewriting it exactly would need re-quoting that is easy to get wrong.
    ///
    /// ## References
    /// - BuildKit build check `LegacyKeyValueFormat`
    pub struct LegacyKeyValueFormat {
        code: "DH804",
        name: "legacy-key-value-format",
        category: Style,
        severity: Info,
        fix: Sometimes,
        summary: "`ENV key value` instead of `ENV key=value`",
        aliases: [(Buildkit, "LegacyKeyValueFormat")],
    }
}

/// DH804
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().filter(|i| matches!(i.keyword, Keyword::Env | Keyword::Label)) {
        let Arguments::Pairs(pairs) = &instruction.arguments else { continue };
        for pair in pairs.iter().filter(|p| !p.equals) {
            let keyword = instruction.keyword.as_str();
            let key = ctx.text(pair.key.range);
            let mut finding = ctx.finding(
                &LegacyKeyValueFormat::META,
                TextRange::new(pair.key.range.start, pair.value.range.end.max(pair.key.range.end)),
                format!("`{keyword} {key} ...` is the legacy form: write `{keyword} {key}=...`"),
            );
            let value = ctx.text(pair.value.range);
            let plain = !value.is_empty()
                && !value.contains(['"', '\'', '\\', '\n', '\r', ctx.parse.escape])
                && pair.key.range.end <= pair.value.range.start;
            if plain {
                let quote = if value.contains([' ', '\t']) { "\"" } else { "" };
                let mut edits = vec![Edit::replace(TextRange::new(pair.key.range.end, pair.value.range.start), format!("={quote}"))];
                if !quote.is_empty() {
                    edits.push(Edit::insert(pair.value.range.end, quote));
                }
                finding.fix = Some(Fix::safe(format!("Write `{key}={quote}{value}{quote}`"), edits));
            }
            findings.push(finding);
        }
    }
}
