//! How paths are shown: relative, forward slashes, without a leading `./`; and, for patches,
//! relative to the repository root so that `git apply` finds them.

use std::path::{Component, Path, PathBuf};

/// A path for messages.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// The path of `file` relative to the root of the git work tree that contains it (or to the
/// current directory outside a repository), for `a/` and `b/` patch headers.
pub fn patch_path(file: &Path) -> String {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let absolute = normalize(&absolute);
    let root = git_root(absolute.parent().unwrap_or(Path::new("/")))
        .or_else(|| std::env::current_dir().ok().map(|d| normalize(&d)));
    match root.as_deref().and_then(|r| absolute.strip_prefix(r).ok()) {
        Some(relative) => display_path(relative),
        None => display_path(file),
    }
}

fn git_root(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// Removes `.` and resolves `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
