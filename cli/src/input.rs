//! Reading Dockerfiles from files or standard input, refusing what is not text.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::discover::Target;

/// A Dockerfile read into memory.
pub struct Source {
    /// How to name it in messages and patches.
    pub name: PathBuf,
    /// The file to write back to (`None` for standard input).
    pub path: Option<PathBuf>,
    pub text: String,
}

/// Reads a target; standard input is named by `stdin_name` (or `-`).
pub fn read_target(target: &Target, stdin_name: Option<&Path>) -> Result<Source> {
    match target {
        Target::Stdin => {
            let name = stdin_name.map_or_else(|| PathBuf::from("-"), Path::to_path_buf);
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
            Ok(Source { text: decode(&bytes, &name)?, name, path: None })
        }
        Target::File(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Ok(Source { text: decode(&bytes, path)?, name: path.clone(), path: Some(path.clone()) })
        }
    }
}

/// Reads `path` (or standard input for `-`).
pub fn read_source(path: &Path) -> Result<Source> {
    let target = if path == Path::new("-") { Target::Stdin } else { Target::File(path.to_path_buf()) };
    read_target(&target, None)
}

fn decode(bytes: &[u8], name: &Path) -> Result<String> {
    dfharden_core::syntax::decode(bytes)
        .map(str::to_string)
        .map_err(|e| anyhow::anyhow!("{}:{e}", name.display()))
}
