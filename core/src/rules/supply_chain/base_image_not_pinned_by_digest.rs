use crate::fix::{Edit, Fix};
use crate::rules::helpers::{base_image, describe_base};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a `FROM` whose image is not pinned by digest (`@sha256:...`).
    ///
    /// ## Why is this bad?
    /// A tag is a name the publisher can point at other content at any time: `python:3.12` is
    /// rebuilt for every patch release and every Debian update, and a compromised registry
    /// account can point it at anything. A digest is the hash of the image manifest: it names
    /// one exact content, cannot be moved, and the pull fails if the content does not match.
    /// With a digest, what you reviewed and tested is what you build, and a rebuild next year
    /// starts from the same bytes.
    ///
    /// For a multi-platform image, pin the digest of the image index (the list of per-platform
    /// images), which is what a registry returns for the tag: the pin then holds on every
    /// platform, and `--platform` still picks the right image from it. Keep the tag in front
    /// of the digest (`python:3.12-slim@sha256:...`): Docker pulls by the digest and ignores
    /// the tag, but it tells readers which release the digest is.
    ///
    /// A pinned image no longer receives fixes by itself: update the digests on purpose, with
    /// `dfharden pin` or a bot such as Renovate or Dependabot, so that updates are reviewed
    /// changes rather than silent ones.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim@sha256:<index digest of python:3.12-slim>
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix appends the digest the tag points to now, taken from the digest table (a
    /// lock file, a pasted table, or the registry through `dfharden pin`); dfharden never makes
    /// one up. The build uses the same image as today; it only stops it from changing later.
    /// No fix is offered when the digest is unknown, or when the reference is built from build
    /// arguments, where the digest belongs in the value of the argument.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.2 "Ensure that containers use only trusted base images" and
    ///   4.11 "Ensure only verified packages are installed"
    /// - Docker documentation, "Image digests" (`docker pull` by digest)
    pub struct BaseImageNotPinnedByDigest {
        code: "DH202",
        name: "base-image-not-pinned-by-digest",
        category: SupplyChain,
        severity: Warning,
        fix: Sometimes,
        summary: "The base image is referred to by a tag that can move, not by digest",
        aliases: [(Cis, "4.2"), (Cis, "4.11")],
    }
}

/// DH202
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let Some(image) = base_image(stage) else { continue };
        if image.digest.is_some() {
            continue;
        }
        let base = &stage.base;
        let reference = describe_base(base);
        let known = ctx.settings.digests.lookup(image);
        let literal = !base.written.contains('$') && ctx.text(base.range) == base.written;
        let (message, fix) = match known {
            Some(digest) if literal => (
                format!("{reference} is not pinned by digest"),
                Some(Fix::safe(
                    format!("Pin `{}` to its digest `{}`", base.written, short(digest)),
                    vec![Edit::insert(base.range.end, format!("@{digest}"))],
                )),
            ),
            Some(digest) => (
                format!(
                    "{reference} is not pinned by digest: it is built from build arguments, so add `@{digest}` to the value they are given"
                ),
                None,
            ),
            None => (format!("{reference} is not pinned by digest: run `dfharden pin` to resolve it"), None),
        };
        let mut finding = ctx.finding(&BaseImageNotPinnedByDigest::META, base.range, message);
        finding.fix = fix;
        findings.push(finding);
    }
}

/// `sha256:` and the first 12 hex digits, for titles.
fn short(digest: &str) -> String {
    match digest.split_once(':') {
        Some((algorithm, hex)) if hex.len() > 12 => format!("{algorithm}:{}…", &hex[..12]),
        _ => digest.to_string(),
    }
}
