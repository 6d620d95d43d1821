use crate::model::DOCKER_HUB;
use crate::rules::helpers::{base_image, describe_base};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a `FROM` whose image comes from a registry that is not in the trusted registries
    /// of the settings (`trusted_registries`). By default these are Docker Hub and the large
    /// public and vendor registries (`gcr.io`, `ghcr.io`, `mcr.microsoft.com`, `quay.io`,
    /// `cgr.dev`, `public.ecr.aws`, `registry.k8s.io`, `registry.access.redhat.com`).
    ///
    /// An entry is a registry host, with its port if it has one (`registry.example.com:5000`),
    /// or `*.` and a domain for all registries under it (`*.example.com`); names are compared
    /// without regard to case. An empty list turns the rule off.
    ///
    /// ## Why is this bad?
    /// Everything in the base image runs inside your container, so whoever controls the
    /// registry it comes from decides what you run. A registry nobody in your organisation
    /// vetted may be run by anyone, be unmaintained, or be a look-alike name of a real one.
    /// Keeping bases to a short list of registries your organisation approved (often a single
    /// internal mirror that scans what it serves) makes that trust decision once, on purpose,
    /// instead of in every Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM registry.example.net/tools/python:3.12
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    /// or add `registry.example.net` to `trusted_registries` if your organisation vets it.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.2 "Ensure that containers use only trusted base images"
    /// - hadolint DL3026 (allowed registries)
    pub struct UntrustedRegistry {
        code: "DH203",
        name: "untrusted-registry",
        category: SupplyChain,
        severity: Warning,
        fix: None,
        summary: "The base image comes from a registry that is not trusted",
        aliases: [(Hadolint, "DL3026"), (Cis, "4.2")],
    }
}

/// Other names of Docker Hub's registry.
const DOCKER_HUB_ALIASES: &[&str] = &["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

/// Whether `registry` is one of `trusted` (hosts, or `*.domain` wildcards).
pub fn is_trusted(registry: &str, trusted: &[String]) -> bool {
    let registry = registry.to_ascii_lowercase();
    let registry = if DOCKER_HUB_ALIASES.contains(&registry.as_str()) { DOCKER_HUB.to_string() } else { registry };
    trusted.iter().any(|entry| {
        let entry = entry.trim().to_ascii_lowercase();
        match entry.strip_prefix("*.") {
            Some(domain) => registry.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
            None => entry == registry,
        }
    })
}

/// DH203
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let trusted = &ctx.settings.trusted_registries;
    if trusted.iter().all(|t| t.trim().is_empty()) {
        return;
    }
    for stage in &ctx.model.stages {
        let Some(image) = base_image(stage) else { continue };
        if is_trusted(&image.registry, trusted) {
            continue;
        }
        findings.push(ctx.finding(
            &UntrustedRegistry::META,
            stage.base.range,
            format!(
                "{} comes from `{}`, which is not one of the trusted registries",
                describe_base(&stage.base),
                image.registry
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, Settings};

    #[test]
    fn trusted_entries() {
        let trusted: Vec<String> = ["docker.io", "*.example.com", "Registry.Local:5000"].map(String::from).to_vec();
        assert!(is_trusted("index.docker.io", &trusted));
        assert!(is_trusted("a.b.example.com", &trusted));
        assert!(!is_trusted("example.com", &trusted));
        assert!(!is_trusted("badexample.com", &trusted));
        assert!(is_trusted("registry.local:5000", &trusted));
        assert!(!is_trusted("registry.local", &trusted));
    }

    #[test]
    fn an_empty_list_turns_the_rule_off() {
        let text = "FROM registry.example.net/app:1\n";
        let settings = Settings { select: vec!["DH203".into()], ..Settings::default() };
        assert_eq!(check(text, &settings).findings.len(), 1);
        let settings = Settings { trusted_registries: Vec::new(), ..settings };
        assert!(check(text, &settings).findings.is_empty());
    }
}
