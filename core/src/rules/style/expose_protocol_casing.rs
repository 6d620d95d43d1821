use crate::fix::{Edit, Fix};
use crate::model::has_variables;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword, TextRange};

rule! {
    /// ## What it does
    /// Flags a protocol in `EXPOSE` that is not in lower case (`EXPOSE 53/UDP`).
    ///
    /// ## Why is this bad?
    /// Docker writes protocols in lower case (`53/udp`) in the image configuration and in
    /// `docker inspect`; a file that writes them otherwise reads as if it meant something
    /// else. Off by default (style).
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 53/UDP
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 53/udp
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix lower-cases the protocol only.
    ///
    /// ## References
    /// - BuildKit build check `ExposeProtoCasing`
    pub struct ExposeProtocolCasing {
        code: "DH805",
        name: "expose-protocol-casing",
        category: Style,
        severity: Info,
        fix: Always,
        summary: "An `EXPOSE` protocol is not in lower case",
        aliases: [(Buildkit, "ExposeProtoCasing")],
    }
}

/// DH805
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().filter(|i| i.keyword == Keyword::Expose) {
        let Arguments::List(words) = &instruction.arguments else { continue };
        for word in words.iter().filter(|w| !has_variables(&w.text)) {
            let written = ctx.text(word.range);
            let Some(slash) = written.find('/') else { continue };
            let protocol = written[slash + 1..].trim_end_matches(['"', '\'']);
            if protocol == protocol.to_ascii_lowercase() {
                continue;
            }
            let range = TextRange::new(word.range.start + slash + 1, word.range.start + slash + 1 + protocol.len());
            let lower = protocol.to_ascii_lowercase();
            let mut finding = ctx.finding(&ExposeProtocolCasing::META, range, format!("protocol `{protocol}` should be lower case: `{lower}`"));
            finding.fix = Some(Fix::safe(format!("Write `{lower}`"), vec![Edit::replace(range, lower)]));
            findings.push(finding);
        }
    }
}
