//! Finding Dockerfiles under the paths given on the command line.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// Extensions that make `Dockerfile.<ext>` something else: documentation, templates that
/// need rendering first (`Dockerfile.template`, `Dockerfile.j2`), backups and scripts.
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    "md", "markdown", "txt", "rst", "adoc", "html", "orig", "bak", "swp", "rej", "patch", "diff", "json", "yaml",
    "yml", "toml", "sh", "py", "lock", "log", "template", "tmpl", "tpl", "j2", "jinja", "jinja2", "erb", "in", "mustache",
];

/// Whether a file name is a Dockerfile: `Dockerfile`, `Containerfile`, `*.Dockerfile`,
/// `Dockerfile.*`, `*.dockerfile` (case-insensitive), but not `Dockerfile.md`,
/// `Dockerfile.template` and the like.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile" || lower == "containerfile" || lower.ends_with(".dockerfile") || lower.ends_with(".containerfile") {
        return true;
    }
    let dotted = lower.starts_with("dockerfile.") || lower.starts_with("containerfile.");
    let extension = lower.rsplit('.').next().unwrap_or_default();
    dotted && !NOT_DOCKERFILE_EXTENSIONS.contains(&extension)
}

/// What to read: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    Stdin,
}

/// Expands the paths into targets, in a stable order. Files named explicitly are taken as
/// they are; directories are walked honouring `.gitignore`, `.ignore` and hidden files.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Target>> {
    let paths: Vec<PathBuf> = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let mut targets = Vec::new();
    for path in &paths {
        if path == Path::new("-") {
            targets.push(Target::Stdin);
        } else if path.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                .hidden(true)
                .git_ignore(true)
                .require_git(false)
                .build()
                .filter_map(|entry| entry.ok())
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .filter(|e| e.file_name().to_str().is_some_and(is_dockerfile_name))
                .map(|e| e.into_path())
                .collect();
            found.sort();
            targets.extend(found.into_iter().map(Target::File));
        } else if path.exists() {
            targets.push(Target::File(path.clone()));
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_names() {
        for name in ["Dockerfile", "dockerfile", "Containerfile", "api.Dockerfile", "Dockerfile.dev", "x.dockerfile"] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in ["Dockerfile-notes.md", "docker-compose.yml", "README", "Dockerfile.md", "Dockerfile.template", "Dockerfile.j2"] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }
}
