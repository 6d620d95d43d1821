//! Shared helpers for the cross-crate tests: where the corpus is, what it holds, and how to
//! reach the external tools (the official parser, the CLI binary).
//!
//! A test that needs something missing panics with what to install; none skips silently.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// `../shared/corpus` beside the repository, or `$DFHARDEN_CORPUS`.
pub fn corpus_dir() -> PathBuf {
    let dir = std::env::var_os("DFHARDEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "the test corpus is missing: expected {}/MANIFEST.tsv (set DFHARDEN_CORPUS to its folder)",
        dir.display()
    );
    dir
}

/// One row of the corpus manifest.
#[derive(Clone, Debug)]
pub struct CorpusFile {
    pub kind: String,
    /// Path relative to the corpus folder.
    pub path: String,
    pub license: String,
}

impl CorpusFile {
    pub fn full_path(&self) -> PathBuf {
        corpus_dir().join(&self.path)
    }

    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.full_path()).unwrap_or_else(|e| panic!("{}: {e}", self.path))
    }
}

/// Every file in the corpus manifest.
pub fn corpus_files() -> Vec<CorpusFile> {
    let manifest = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).expect("manifest");
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (kind, path, license) = (column("kind"), column("corpus_path"), column("license"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            CorpusFile {
                kind: cells[kind].to_string(),
                path: cells[path].to_string(),
                license: cells[license].to_string(),
            }
        })
        .collect()
}

/// The corpus files of one kind (`real`, `conformance`, ...).
pub fn corpus_of_kind(kind: &str) -> Vec<CorpusFile> {
    corpus_files().into_iter().filter(|f| f.kind == kind).collect()
}
