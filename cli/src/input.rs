//! Reading Dockerfiles from files or standard input, refusing what is not text.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A Dockerfile read into memory.
pub struct Source {
    /// How to name it in messages: the path, or `-` / the `--stdin-filename`.
    pub name: PathBuf,
    pub text: String,
}

/// Reads `path` (or standard input for `-`), checking that it is UTF-8 text.
pub fn read_source(path: &Path) -> Result<Source> {
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
        bytes
    } else {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?
    };
    let text = dfharden_core::syntax::decode(&bytes)
        .map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?
        .to_string();
    Ok(Source { name: path.to_path_buf(), text })
}
