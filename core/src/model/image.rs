//! Image references: `[registry/]repository[:tag][@digest]`, read as Docker reads them.

use std::fmt;

use serde::Serialize;

/// The registry Docker uses when a reference names none.
pub const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ImageRef {
    /// The registry host (and port), e.g. `docker.io`, `gcr.io`, `127.0.0.1:5000`.
    pub registry: String,
    /// Whether the registry was written out (`docker.io/library/x`) or implied (`x`).
    pub registry_explicit: bool,
    /// The repository path on that registry; Docker Hub's official images get `library/`.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:<hex>` if pinned.
    pub digest: Option<String>,
}

/// Why a string is not an image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRefError(pub String);

impl fmt::Display for ImageRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ImageRef {
    /// Parses a reference such as `python:3.12-slim`, `gcr.io/distroless/static:nonroot`,
    /// `127.0.0.1:5000/app@sha256:...`.
    pub fn parse(text: &str) -> Result<ImageRef, ImageRefError> {
        let err = |why: &str| Err(ImageRefError(format!("invalid image reference `{text}`: {why}")));
        if text.is_empty() {
            return err("empty");
        }
        let (name_tag, digest) = match text.split_once('@') {
            Some((n, d)) => {
                if !is_digest(d) {
                    return err("a digest is `algorithm:hex`, e.g. sha256: and 64 hex digits");
                }
                (n, Some(d.to_string()))
            }
            None => (text, None),
        };
        // A tag is after the last ':' that comes after the last '/'.
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                (&name_tag[..at], Some(name_tag[at + 1..].to_string()))
            }
            None => (name_tag, None),
        };
        if let Some(tag) = &tag {
            let valid = !tag.is_empty()
                && tag.len() <= 128
                && tag.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && tag.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            if !valid {
                return err("a tag is letters, digits, `_`, `.` and `-`");
            }
        }
        let (registry, registry_explicit, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), true, rest.to_string())
            }
            _ => (DOCKER_HUB.to_string(), false, name.to_string()),
        };
        if path.is_empty() || !path.split('/').all(is_path_component) {
            return err("a repository is lower-case letters, digits and separators");
        }
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        Ok(ImageRef { registry, registry_explicit, repository, tag, digest })
    }

    /// The repository as a person writes it (`python`, `gcr.io/distroless/static`).
    pub fn familiar_name(&self) -> String {
        let repository = match (self.registry.as_str(), self.registry_explicit) {
            (DOCKER_HUB, false) => {
                self.repository.strip_prefix("library/").unwrap_or(&self.repository).to_string()
            }
            _ => format!("{}/{}", self.registry, self.repository),
        };
        repository
    }

    /// The fully qualified `registry/repository[:tag]` used as a lock-file key.
    pub fn canonical(&self) -> String {
        let mut out = format!("{}/{}", self.registry, self.repository);
        if let Some(tag) = &self.tag {
            out.push(':');
            out.push_str(tag);
        }
        out
    }

    /// The tag Docker pulls when none is written.
    pub fn effective_tag(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.familiar_name())?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// `sha256:` + 64 lower-case hex digits (or another algorithm with at least 32 hex digits).
pub fn is_digest(text: &str) -> bool {
    let Some((algorithm, hex)) = text.split_once(':') else { return false };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+._-".contains(c));
    let hex_ok = hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
    algorithm_ok && hex_ok && (algorithm != "sha256" || hex.len() == 64)
}

fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_references() {
        let r = ImageRef::parse("python:3.12-slim").unwrap();
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()), ("docker.io", "library/python", Some("3.12-slim")));
        assert_eq!(r.to_string(), "python:3.12-slim");
        let r = ImageRef::parse("gcr.io/distroless/static-debian12:nonroot").unwrap();
        assert_eq!((r.registry.as_str(), r.repository.as_str()), ("gcr.io", "distroless/static-debian12"));
        let r = ImageRef::parse("127.0.0.1:5000/library/golang:1.19").unwrap();
        assert_eq!((r.registry.as_str(), r.tag.as_deref()), ("127.0.0.1:5000", Some("1.19")));
        let digest = format!("sha256:{}", "a".repeat(64));
        let r = ImageRef::parse(&format!("alpine@{digest}")).unwrap();
        assert_eq!((r.tag, r.digest.as_deref()), (None, Some(digest.as_str())));
        assert_eq!(ImageRef::parse("localhost/x").unwrap().registry, "localhost");
        assert_eq!(ImageRef::parse("ubuntu").unwrap().effective_tag(), "latest");
    }

    #[test]
    fn rejects_malformed_references() {
        for text in ["", "Ubuntu", "a:b:c", "x@sha256:abc", "a//b", ":tag"] {
            assert!(ImageRef::parse(text).is_err(), "{text}");
        }
    }
}
