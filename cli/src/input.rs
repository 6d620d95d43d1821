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
            let text = read_limited(std::io::stdin().lock(), &name).context("reading standard input")?;
            Ok(Source { text: text?, name, path: None })
        }
        Target::File(path) => {
            let read = || -> std::io::Result<Result<String>> { read_limited(std::fs::File::open(path)?, path) };
            let text = read().with_context(|| format!("reading {}", path.display()))??;
            Ok(Source { text, name: path.clone(), path: Some(path.clone()) })
        }
    }
}

/// Reads `path` (or standard input for `-`).
pub fn read_source(path: &Path) -> Result<Source> {
    let target = if path == Path::new("-") { Target::Stdin } else { Target::File(path.to_path_buf()) };
    read_target(&target, None)
}

/// Reads text, refusing binary, non-UTF-8 and oversized input with a positioned message. At
/// most a few bytes past the size limit are kept in memory: the rest of a huge file or an
/// endless stream is only counted, for the message. The outer error is the read's, the inner
/// one the refusal.
fn read_limited(mut reader: impl Read, name: &Path) -> std::io::Result<Result<String>> {
    use dfharden_core::syntax::{DecodeErrorKind, MAX_FILE_BYTES};
    // Four bytes past the limit: a character cut by the limit still leaves more than the
    // limit of whole characters.
    let keep = MAX_FILE_BYTES as u64 + 4;
    let mut bytes = Vec::new();
    (&mut reader).take(keep).read_to_end(&mut bytes)?;
    let mut total = bytes.len();
    if bytes.len() > MAX_FILE_BYTES {
        total += std::io::copy(&mut reader, &mut std::io::sink())? as usize;
        if let Err(e) = std::str::from_utf8(&bytes) {
            if e.error_len().is_none() {
                bytes.truncate(e.valid_up_to()); // a character cut at the end
            }
        }
    }
    Ok(dfharden_core::syntax::decode(&bytes).map(str::to_string).map_err(|mut e| {
        if e.kind == DecodeErrorKind::FileTooLarge {
            e.length = total;
        }
        anyhow::anyhow!("{}:{e}", name.display())
    }))
}
