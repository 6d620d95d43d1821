use crate::fix::{Edit, Fix};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags instructions whose keyword is not in the case most of the file's keywords use
    /// (upper case when as many are upper as lower).
    ///
    /// ## Why is this bad?
    /// Keywords are not case-sensitive, so `run` and `RUN` build the same; a file that mixes
    /// them is harder to read and to search, and usually shows lines pasted from elsewhere.
    /// Off by default (style).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.22
    /// run apk add --no-cache curl
    /// COPY app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.22
    /// RUN apk add --no-cache curl
    /// COPY app /app
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix changes the case of the keyword only.
    ///
    /// ## References
    /// - BuildKit build check `ConsistentInstructionCasing`
    pub struct ConsistentInstructionCasing {
        code: "DH803",
        name: "consistent-instruction-casing",
        category: Style,
        severity: Info,
        fix: Always,
        summary: "An instruction keyword is not in the case the file mostly uses",
        aliases: [(Buildkit, "ConsistentInstructionCasing")],
    }
}

/// DH803
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let keywords: Vec<_> = ctx.model.instructions.iter().map(|i| (i.keyword_range, ctx.text(i.keyword_range))).collect();
    let lower = keywords.iter().filter(|(_, k)| *k == k.to_ascii_lowercase()).count();
    let upper = keywords.iter().filter(|(_, k)| *k == k.to_ascii_uppercase()).count();
    let lower_wins = lower > upper;
    let case = if lower_wins { "lower" } else { "upper" };
    for (range, keyword) in keywords {
        let wanted = if lower_wins { keyword.to_ascii_lowercase() } else { keyword.to_ascii_uppercase() };
        if keyword == wanted {
            continue;
        }
        let mut finding = ctx.finding(
            &ConsistentInstructionCasing::META,
            range,
            format!("`{keyword}` should be in {case} case like most instructions of the file: `{wanted}`"),
        );
        finding.fix = Some(Fix::safe(format!("Write `{wanted}`"), vec![Edit::replace(range, wanted)]));
        findings.push(finding);
    }
}
