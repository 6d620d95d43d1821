use crate::fix::{Edit, Fix};
use crate::knowledge::lifecycle::{ended, Ended};
use crate::rules::helpers::{base_image, describe_base};
use crate::rules::{rule, Context, Finding};
use crate::syntax::TextRange;

rule! {
    /// ## What it does
    /// Flags a `FROM` whose image is built on a release that no longer gets security fixes:
    /// a distribution release (Debian, Ubuntu, Alpine, or a rolling tag such as `alpine:edge`),
    /// a language runtime version (Node.js, Python, Go, Java, .NET, Ruby, PHP), an old
    /// distroless release (`-debian12`), or the deprecated `openjdk` image. Every stage is
    /// checked, build stages too: a Go or Rust toolchain's standard library and a build
    /// stage's libraries end up inside the binary you ship.
    ///
    /// The dates come from a table kept in dfharden with each publisher's source and the day
    /// it was checked (`dfharden rule DH207` and the README list them). The answer depends
    /// on today's date, which the command line and the page pass in; dfharden warns once when
    /// its table is more than six months old.
    ///
    /// ## Why is this bad?
    /// After its end of life a release gets no more security updates: every vulnerability
    /// found from then on stays in your image for good, and scanners report them with no fix
    /// to install. Rebuilding does not help, because no fixed package will ever be published
    /// for that release.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim-bullseye
    /// FROM gcr.io/distroless/static-debian12:nonroot
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim-trixie
    /// FROM gcr.io/distroless/static-debian13:nonroot
    /// ```
    ///
    /// ## Fix safety
    /// Offered only where the move is mechanical, and unsafe even then, because the new base
    /// has newer libraries: the same distroless image on Debian 13 (`static`, `base`, `cc`,
    /// `java17`, `java21`, `nodejs22`...), or the same supported language version on Debian
    /// 13 (`-bullseye` → `-trixie`). Moving to another language version (Node.js 20 to 22,
    /// Python 3.11 to 3.13, .NET 8 to 10) changes what your code runs on, so the finding names
    /// the successor and leaves the upgrade to you. A reference pinned by digest is not
    /// changed either: pin the new tag again with `dfharden pin`.
    ///
    /// ## References
    /// - Debian LTS (https://wiki.debian.org/LTS), Ubuntu's release cycle, Alpine's releases page
    /// - Node.js release schedule, Python's release cycle, Go's release policy, Eclipse
    ///   Temurin's support table, .NET's support policy, Ruby's branches, PHP's supported versions
    /// - distroless SUPPORT_POLICY.md
    /// - CIS Docker Benchmark 4.2 "Ensure that containers use only trusted base images"
    pub struct BaseImageEndOfLife {
        code: "DH207",
        name: "base-image-end-of-life",
        category: SupplyChain,
        severity: Error,
        fix: Sometimes,
        summary: "The base image is built on a release past its end of life",
        aliases: [(Cis, "4.2")],
    }
}

/// DH207
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let today = ctx.settings.today();
    for stage in &ctx.model.stages {
        let Some(image) = base_image(stage) else { continue };
        for end in ended(image, today) {
            let mut finding = ctx.finding(&BaseImageEndOfLife::META, stage.base.range, message(&describe_base(&stage.base), &end));
            finding.fix = fix(ctx, stage.base.range, &end);
            findings.push(finding);
        }
    }
}

fn message(reference: &str, end: &Ended) -> String {
    let when = match end.end_of_life {
        Some(date) if end.ended_before => format!("reached its end of life before {date}"),
        Some(date) => format!("reached its end of life on {date}"),
        None => "is a rolling tag that is never a supported release".to_string(),
    };
    format!("{reference} is built on {}, which {when}: it gets no more security fixes; move to {}", end.release, end.successor)
}

/// The substitution in the written reference, when it appears there exactly once.
fn fix(ctx: &Context<'_>, range: TextRange, end: &Ended) -> Option<Fix> {
    let substitution = end.replacement.as_ref()?;
    let written = ctx.text(range);
    let mut found = written.match_indices(&substitution.from);
    let (at, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let start = range.start + at;
    let edit = Edit::replace(TextRange::new(start, start + substitution.from.len()), substitution.to.clone());
    let replaced = written.replacen(&substitution.from, &substitution.to, 1);
    Some(Fix::unsafe_edit(format!("Move to `{replaced}`"), vec![edit]))
}
