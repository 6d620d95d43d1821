use crate::fix::{Edit, Fix};
use crate::model::stage_name_words;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags `FROM ... as name` and `from ... AS name`: an `AS` whose case differs from that
    /// of its `FROM`. A `FROM` written in mixed case (`From`) is left to
    /// `consistent-instruction-casing`.
    ///
    /// ## Why is this bad?
    /// It works either way; mixed casing on one line is only harder to read and to search.
    /// Off by default (style).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.25 as build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.25 AS build
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix changes the case of `AS` only.
    ///
    /// ## References
    /// - BuildKit build check `FromAsCasing`
    pub struct FromAsCasing {
        code: "DH802",
        name: "from-as-casing",
        category: Style,
        severity: Info,
        fix: Always,
        summary: "`AS` is not in the case of its `FROM`",
        aliases: [(Buildkit, "FromAsCasing")],
    }
}

/// DH802
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().filter(|i| i.keyword == Keyword::From) {
        let Some((as_kw, _)) = stage_name_words(instruction) else { continue };
        let from = ctx.text(instruction.keyword_range);
        let written = ctx.text(as_kw.range);
        let wanted = if from == from.to_ascii_lowercase() {
            "as"
        } else if from == from.to_ascii_uppercase() {
            "AS"
        } else {
            continue;
        };
        if written == wanted {
            continue;
        }
        let mut finding = ctx.finding(&FromAsCasing::META, as_kw.range, format!("`{written}` should match the case of `{from}`: `{wanted}`"));
        finding.fix = Some(Fix::safe(format!("Write `{wanted}`"), vec![Edit::replace(as_kw.range, wanted)]));
        findings.push(finding);
    }
}
