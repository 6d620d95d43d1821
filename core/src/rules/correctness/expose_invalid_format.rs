use crate::model::has_variables;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags an `EXPOSE` entry that is not a port or port range with an optional protocol:
    /// one with an address or a host port (`127.0.0.1:8080:80`, `8080:80`), or a port outside
    /// 0 to 65535.
    ///
    /// ## Why is this bad?
    /// `EXPOSE` documents which ports the container listens on; it cannot publish a port or
    /// bind an address. Publishing is the runtime's decision (`docker run -p 8080:80`, a
    /// Compose `ports:` entry, a Kubernetes Service). BuildKit ignores the address and host
    /// part with a warning, so the file says something that does not happen; a port number
    /// over 65535 does not exist.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 8080:80
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 80
    /// ```
    ///
    /// ## References
    /// - BuildKit build check `ExposeInvalidFormat`, hadolint DL3011 (port range)
    pub struct ExposeInvalidFormat {
        code: "DH705",
        name: "expose-invalid-format",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "`EXPOSE` names an address, a host port or a port that does not exist",
        aliases: [(Buildkit, "ExposeInvalidFormat"), (Hadolint, "DL3011")],
    }
}

/// DH705
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().filter(|i| i.keyword == Keyword::Expose) {
        let Arguments::List(words) = &instruction.arguments else { continue };
        for word in words.iter().filter(|w| !has_variables(&w.text)) {
            let spec = crate::model::unquote(&word.text);
            if let Some(message) = problem(&spec) {
                findings.push(ctx.finding(&ExposeInvalidFormat::META, word.range, message));
            }
        }
    }
}

fn problem(spec: &str) -> Option<String> {
    if spec.contains(':') {
        return Some(format!(
            "`{spec}` has an address or host port: `EXPOSE` only documents the container's port; publish it when the container runs (`-p`)"
        ));
    }
    let ports = spec.split_once('/').map_or(spec, |(ports, _)| ports);
    let out_of_range = ports.split('-').any(|p| p.parse::<u64>().map_or(!p.is_empty() && p.chars().all(|c| c.is_ascii_digit()), |n| n > 65535));
    out_of_range.then(|| format!("`{spec}` is not a port: ports run from 0 to 65535"))
}
