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

/// Expands the paths into targets, in a stable order (sorted by path within a directory).
/// Files named explicitly are taken as they are; directories are walked honouring
/// `.gitignore`, `.ignore` and hidden files.
///
/// The targets come as a stream, found while earlier ones are being processed: a tree of a
/// million files is never held as a list. Paths that do not exist are refused before any
/// file is read.
pub fn discover(paths: &[PathBuf]) -> Result<impl Iterator<Item = Target>> {
    let paths: Vec<PathBuf> = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    if let Some(missing) = paths.iter().find(|p| p.as_path() != Path::new("-") && !p.exists()) {
        bail!("{}: no such file or directory", missing.display());
    }
    Ok(paths.into_iter().flat_map(|path| -> Box<dyn Iterator<Item = Target>> {
        if path == Path::new("-") {
            Box::new(std::iter::once(Target::Stdin))
        } else if path.is_dir() {
            // Sorting each directory's entries by name walks the tree in path order.
            let walk = ignore::WalkBuilder::new(&path)
                .hidden(true)
                .git_ignore(true)
                .require_git(false)
                .sort_by_file_name(|a, b| a.cmp(b))
                .build();
            Box::new(
                walk.filter_map(|entry| entry.ok())
                    .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                    .filter(|e| e.file_name().to_str().is_some_and(is_dockerfile_name))
                    .map(|e| Target::File(e.into_path())),
            )
        } else {
            Box::new(std::iter::once(Target::File(path)))
        }
    }))
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
