use crate::rules::helpers::{base_image, describe_base};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a `FROM` whose image has no tag, or the tag `latest`, and no digest.
    ///
    /// ## Why is this bad?
    /// Without a tag Docker pulls `latest`, and `latest` is just a label that the publisher
    /// moves to each new release. The same Dockerfile then builds on a different system from
    /// one week to the next: a new major version, another distribution release, packages added
    /// or removed. Builds stop being reproducible, a break shows up without any change in your
    /// repository, and nobody can tell from the file which base an image was built on. A
    /// version tag (`3.12-slim`, `bookworm`) states what you tested against; a digest (see
    /// DH202) fixes the exact content.
    ///
    /// Stages built on an earlier stage, `FROM scratch`, and references made of build
    /// arguments that have no default are not checked: there is no tag to read.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python
    /// FROM node:latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// FROM node:22-bookworm-slim
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.2 "Ensure that containers use only trusted base images"
    /// - hadolint DL3006 (no tag) and DL3007 (`latest`), Trivy DS001, Checkov CKV_DOCKER_7
    pub struct BaseImageUnpinnedTag {
        code: "DH201",
        name: "base-image-unpinned-tag",
        category: SupplyChain,
        severity: Warning,
        fix: None,
        summary: "The base image has no tag or uses `latest`",
        aliases: [(Hadolint, "DL3006"), (Hadolint, "DL3007"), (Trivy, "DS001"), (Checkov, "CKV_DOCKER_7"), (Cis, "4.2")],
    }
}

/// DH201
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let Some(image) = base_image(stage) else { continue };
        if image.digest.is_some() {
            continue;
        }
        let reference = describe_base(&stage.base);
        let message = match image.tag.as_deref() {
            None => format!("{reference} has no tag: the build uses whatever `latest` points to that day"),
            Some("latest") => format!("{reference} uses the `latest` tag, which moves to every new release"),
            Some(_) => continue,
        };
        findings.push(ctx.finding(&BaseImageUnpinnedTag::META, stage.base.range, message));
    }
}
