//! What we can tell about a base image from its name and tag alone: its distribution, whether it
//! has a shell, which users it already ships, and how to add one.
//!
//! This is deliberately conservative: when a name says nothing, the answer is
//! [`Distro::Unknown`] and callers must not guess.

use serde::Serialize;

use super::image::ImageRef;
use super::{Base, Dockerfile};

/// The family of a base image's userland.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Distro {
    Debian,
    Ubuntu,
    Alpine,
    /// Fedora, CentOS, RHEL UBI, Rocky, Alma, Amazon Linux, Oracle Linux.
    RedHat,
    Busybox,
    /// Google's distroless images: no shell, no package manager.
    Distroless,
    /// Chainguard images (Wolfi): minimal; `-dev` variants have a shell.
    Chainguard,
    /// Ubuntu chiseled images (e.g. .NET's `-chiseled`): no shell.
    Chiseled,
    /// `FROM scratch`: nothing at all.
    Scratch,
    Windows,
    Unknown,
}

/// Facts about a base image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BaseFacts {
    pub distro: Distro,
    /// Whether `/bin/sh` exists (`None`: cannot tell).
    pub has_shell: Option<bool>,
    /// A non-root user the image already defines, usable with `USER` as is.
    pub builtin_user: Option<&'static str>,
    /// Whether the image already runs as that non-root user by default.
    pub runs_as_non_root: bool,
}

/// Official images whose default variants are Debian-based.
const DEBIAN_BASED_OFFICIAL: &[&str] = &[
    "python", "node", "golang", "ruby", "php", "openjdk", "rust", "perl", "httpd", "nginx",
    "postgres", "redis", "mysql", "mariadb", "mongo", "elixir", "erlang", "haskell", "julia",
    "r-base", "gcc", "buildpack-deps", "maven", "gradle", "tomcat", "jetty", "wordpress",
    "ghost", "memcached", "rabbitmq", "eclipse-temurin", "amazoncorretto", "clojure", "groovy",
    "swift", "bash", "composer",
];

/// Facts for an image reference.
pub fn facts_for_image(image: &ImageRef) -> BaseFacts {
    let repo = image.repository.as_str();
    let name = repo.rsplit('/').next().unwrap_or(repo);
    let tag = image.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    let registry = image.registry.as_str();
    let facts = |distro, has_shell, builtin_user, runs_as_non_root| BaseFacts {
        distro,
        has_shell,
        builtin_user,
        runs_as_non_root,
    };

    if tag.contains("windowsservercore") || tag.contains("nanoserver") || repo.starts_with("windows/")
        || repo.contains("/windows/") || (registry == "mcr.microsoft.com" && repo.starts_with("windows"))
    {
        return facts(Distro::Windows, None, None, false);
    }
    if repo.starts_with("distroless/") || repo.contains("/distroless/") {
        let shell = tag.contains("debug");
        let nonroot = tag.contains("nonroot");
        return facts(Distro::Distroless, Some(shell), Some("nonroot"), nonroot);
    }
    if registry == "cgr.dev" {
        let dev = tag.contains("-dev") || tag == "dev";
        return facts(Distro::Chainguard, Some(dev), Some("nonroot"), !dev);
    }
    if tag.contains("chiseled") {
        return facts(Distro::Chiseled, Some(false), Some("app"), true);
    }
    // NGINX's unprivileged build of the official image: `USER 101` (its `nginx` user).
    if name == "nginx-unprivileged" {
        let distro = if tag.contains("alpine") { Distro::Alpine } else { Distro::Debian };
        return facts(distro, Some(true), Some("nginx"), true);
    }
    if name == "busybox" {
        return facts(Distro::Busybox, Some(true), None, false);
    }
    let builtin_user = match name {
        "node" => Some("node"),
        "httpd" | "php" | "wordpress" | "nextcloud" | "drupal" => Some("www-data"),
        "nginx" => Some("nginx"),
        "postgres" => Some("postgres"),
        "redis" => Some("redis"),
        "mongo" => Some("mongodb"),
        "mysql" | "mariadb" => Some("mysql"),
        // .NET 8+ images define `app` (uid 1654); 7 and earlier have no such user.
        "aspnet" | "runtime" | "runtime-deps" | "sdk" if repo.starts_with("dotnet/") => {
            let major: Option<u32> = tag.split(['.', '-']).next().and_then(|m| m.parse().ok());
            major.is_none_or(|major| major >= 8).then_some("app")
        }
        _ => None,
    };
    let distro = if name == "alpine" || tag.contains("alpine") {
        Distro::Alpine
    } else if name == "ubuntu"
        || ["jammy", "noble", "focal", "bionic", "xenial", "oracular", "plucky"].iter().any(|t| tag.contains(t))
    {
        Distro::Ubuntu
    } else if name == "debian"
        || ["bookworm", "bullseye", "buster", "stretch", "trixie", "slim"].iter().any(|t| tag.contains(t))
        || DEBIAN_BASED_OFFICIAL.contains(&name)
        || repo.starts_with("dotnet/")
    {
        Distro::Debian
    } else if ["fedora", "centos", "rockylinux", "almalinux", "amazonlinux", "oraclelinux"].contains(&name)
        || name.starts_with("ubi")
    {
        Distro::RedHat
    } else {
        Distro::Unknown
    };
    let has_shell = (distro != Distro::Unknown).then_some(true);
    facts(distro, has_shell, builtin_user, false)
}

/// Whether the image that stage `stage` is built on lacks `useradd`/`adduser`: Red Hat's UBI
/// micro and minimal images ship no shadow-utils (a `USER` with a numeric id needs none).
pub fn lacks_user_tools(model: &Dockerfile<'_>, stage: usize) -> bool {
    let mut index = stage;
    for _ in 0..model.stages.len() {
        match &model.stages[index].base.base {
            Base::Stage { index: parent } => index = *parent,
            Base::Image { image } => {
                let name = image.repository.rsplit('/').next().unwrap_or_default();
                return name.starts_with("ubi") && (name.contains("minimal") || name.contains("micro"));
            }
            _ => return false,
        }
    }
    false
}

/// The image stage `stage` is built on, when it lacks `find`: Red Hat's UBI micro images
/// (`ubi8/ubi-micro`, `ubi9/ubi-micro`) ship no findutils and no package manager to add it.
pub fn lacks_find<'m>(model: &'m Dockerfile<'_>, stage: usize) -> Option<&'m ImageRef> {
    let mut index = stage;
    for _ in 0..model.stages.len() {
        match &model.stages[index].base.base {
            Base::Stage { index: parent } => index = *parent,
            Base::Image { image } => {
                let name = image.repository.rsplit('/').next().unwrap_or_default();
                return (name.starts_with("ubi") && name.contains("micro")).then_some(image);
            }
            _ => return None,
        }
    }
    None
}

/// Facts for a stage, following `FROM <stage>` chains.
pub fn facts_for_stage(model: &Dockerfile<'_>, stage: usize) -> BaseFacts {
    let mut index = stage;
    for _ in 0..model.stages.len() {
        match &model.stages[index].base.base {
            Base::Stage { index: parent } => index = *parent,
            Base::Image { image } => return facts_for_image(image),
            Base::Scratch => {
                return BaseFacts {
                    distro: Distro::Scratch,
                    has_shell: Some(false),
                    builtin_user: None,
                    runs_as_non_root: false,
                }
            }
            Base::Unknown { .. } => break,
        }
    }
    BaseFacts { distro: Distro::Unknown, has_shell: None, builtin_user: None, runs_as_non_root: false }
}

/// The shell commands that create a system user and group on a distribution, or `None` when
/// the distribution is not known to have the tools.
pub fn create_user_command(distro: Distro, name: &str, uid: u32) -> Option<String> {
    match distro {
        Distro::Debian | Distro::Ubuntu | Distro::RedHat => Some(format!(
            "groupadd --system --gid {uid} {name} && useradd --system --uid {uid} --gid {name} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin {name}"
        )),
        Distro::Alpine | Distro::Busybox => Some(format!(
            "addgroup -S -g {uid} {name} && adduser -S -D -H -u {uid} -G {name} -h /nonexistent -s /sbin/nologin {name}"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(reference: &str) -> BaseFacts {
        facts_for_image(&ImageRef::parse(reference).unwrap())
    }

    #[test]
    fn recognises_families() {
        assert_eq!(facts("python:3.12-slim").distro, Distro::Debian);
        assert_eq!(facts("node:20-alpine").distro, Distro::Alpine);
        assert_eq!(facts("node:20-alpine").builtin_user, Some("node"));
        assert_eq!(facts("ubuntu:24.04").distro, Distro::Ubuntu);
        let d = facts("gcr.io/distroless/static-debian12:nonroot");
        assert_eq!((d.distro, d.has_shell, d.runs_as_non_root), (Distro::Distroless, Some(false), true));
        assert_eq!(facts("mcr.microsoft.com/windows/servercore:ltsc2022").distro, Distro::Windows);
        assert_eq!(facts("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled").distro, Distro::Chiseled);
        // The `app` user came with .NET 8.
        assert_eq!(facts("mcr.microsoft.com/dotnet/runtime:7.0").builtin_user, None);
        assert_eq!(facts("mcr.microsoft.com/dotnet/aspnet:6.0-bullseye-slim").builtin_user, None);
        assert_eq!(facts("mcr.microsoft.com/dotnet/aspnet:8.0").builtin_user, Some("app"));
        assert_eq!(facts("mcr.microsoft.com/dotnet/runtime:10.0-noble").builtin_user, Some("app"));
        assert_eq!(facts("mcr.microsoft.com/dotnet/sdk:latest").builtin_user, Some("app"));
        assert_eq!(facts("registry.access.redhat.com/ubi9/ubi-minimal").distro, Distro::RedHat);
        assert_eq!(facts("example.com/team/thing:1").distro, Distro::Unknown);
    }
}
