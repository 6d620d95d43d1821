//! The build context, read as `docker build` would see it: the Dockerfile's directory unless
//! `--context` names another, with `.dockerignore` honoured. Core cannot read files; it names
//! the ones it needs to see how the image starts (its start script), and this module reads
//! just those, each up to a size limit, into the settings for that file.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use dfharden_core::settings::BuildContext;
use dfharden_core::{context_files_wanted, Settings};
use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// A start script larger than this is not read (it is then "not seen").
const MAX_FILE: u64 = 1 << 20;

/// The settings for `text`, with the context files core asks for when there are any.
pub fn with_context<'s>(
    settings: &'s Settings,
    text: &str,
    dockerfile: Option<&Path>,
    context: Option<&Path>,
) -> Cow<'s, Settings> {
    let wanted = context_files_wanted(text);
    let root = match (context, dockerfile) {
        (Some(dir), _) => Some(dir.to_path_buf()),
        (None, Some(file)) => Some(
            file.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
        ),
        (None, None) => None,
    };
    let Some(root) = root else {
        return Cow::Borrowed(settings);
    };
    if wanted.is_empty() {
        return Cow::Borrowed(settings);
    }
    let mut read = BuildContext {
        read: true,
        ..BuildContext::default()
    };
    let ignored = dockerignore(&root);
    for path in wanted {
        if ignored
            .as_ref()
            .is_some_and(|g| g.matched_path_or_any_parents(&path, false).is_ignore())
        {
            continue;
        }
        match read_small(&root.join(&path)) {
            Some(Read::Text(text)) => {
                read.files.insert(path, text);
            }
            Some(Read::Binary) => {
                read.binaries.insert(path);
            }
            None => {}
        }
    }
    let mut settings = settings.clone();
    settings.context = read;
    Cow::Owned(settings)
}

/// `.dockerignore` as gitignore patterns anchored at the context root (its patterns are
/// relative to the root, and `!` re-includes, as in gitignore).
fn dockerignore(root: &Path) -> Option<Gitignore> {
    let text = std::fs::read_to_string(root.join(".dockerignore")).ok()?;
    let mut builder = GitignoreBuilder::new(root);
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (negated, pattern) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let pattern = pattern.trim_start_matches("./").trim_start_matches('/');
        let anchored = format!("{}/{pattern}", if negated { "!" } else { "" });
        let _ = builder.add_line(None, &anchored);
    }
    builder.build().ok()
}

enum Read {
    Text(String),
    /// A compiled program (ELF), which runs directly.
    Binary,
}

fn read_small(path: &PathBuf) -> Option<Read> {
    let metadata = std::fs::metadata(path).ok()?;
    if !metadata.is_file() {
        return None;
    }
    if metadata.len() > MAX_FILE {
        // Only the first bytes are needed to tell a program from a script.
        let mut head = [0u8; 4];
        std::io::Read::read_exact(&mut std::fs::File::open(path).ok()?, &mut head).ok()?;
        return (&head == b"\x7fELF").then_some(Read::Binary);
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.starts_with(b"\x7fELF") {
        return Some(Read::Binary);
    }
    String::from_utf8(bytes).ok().map(Read::Text)
}
