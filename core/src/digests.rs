//! Where digests come from. Core never looks one up itself: it is given a [`DigestTable`]
//! (from a lock file, a table the user pasted, or the CLI's registry client) and writes a digest
//! only when the table has one. A made-up digest is never written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{is_digest, ImageRef};

/// Image reference → digest, keyed by canonical `registry/repository:tag` references (as
/// [`ImageRef::canonical`] gives, with `latest` for a reference without a tag), so that
/// `python:3.12` and `docker.io/library/python:3.12` are the same entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DigestTable {
    entries: BTreeMap<String, String>,
}

impl DigestTable {
    pub fn new() -> Self {
        DigestTable::default()
    }

    /// Adds an entry; refuses what is not a digest.
    pub fn insert(&mut self, reference: &str, digest: &str) -> Result<(), String> {
        if !is_digest(digest) {
            return Err(format!("`{digest}` is not a digest (sha256: and 64 hex digits)"));
        }
        let image = ImageRef::parse(reference).map_err(|e| e.to_string())?;
        self.entries.insert(Self::key(&image), digest.to_string());
        Ok(())
    }

    /// The digest for an image's tag, if known.
    pub fn lookup(&self, image: &ImageRef) -> Option<&str> {
        self.entries.get(&Self::key(image)).map(String::as_str)
    }

    /// The table key of an image: canonical reference with the tag Docker would pull.
    fn key(image: &ImageRef) -> String {
        let mut key = image.clone();
        key.digest = None;
        key.tag = Some(image.effective_tag().to_string());
        key.canonical()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Reads a pasted table: one `reference digest` (or `reference@digest`, or
    /// `reference = digest`) per line; `#` comments and blank lines ignored. Returns the table
    /// and the lines that could not be read, with their line numbers.
    pub fn parse_text(text: &str) -> (DigestTable, Vec<(usize, String)>) {
        let mut table = DigestTable::new();
        let mut problems = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Option<(&str, &str)> = line
                .split_once(char::is_whitespace)
                .map(|(a, b)| (a, b.trim().trim_start_matches('=').trim()))
                .or_else(|| line.rsplit_once('@'));
            match parts {
                Some((reference, digest)) => {
                    if let Err(e) = table.insert(reference, digest) {
                        problems.push((n + 1, e));
                    }
                }
                None => problems.push((n + 1, "expected `image:tag sha256:...`".to_string())),
            }
        }
        (table, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_by_canonical_reference() {
        let digest = format!("sha256:{}", "b".repeat(64));
        let (table, problems) = DigestTable::parse_text(&format!("# pins\npython:3.12 {digest}\nbad line\n"));
        assert_eq!(problems.len(), 1);
        let image = ImageRef::parse("docker.io/library/python:3.12").unwrap();
        assert_eq!(table.lookup(&image), Some(digest.as_str()));
        assert_eq!(table.lookup(&ImageRef::parse("python:3.11").unwrap()), None);
        let mut untagged = DigestTable::new();
        untagged.insert("alpine", &digest).unwrap();
        assert_eq!(untagged.lookup(&ImageRef::parse("alpine:latest").unwrap()), Some(digest.as_str()));
        assert!(untagged.insert("Not A Ref", &digest).is_err());
    }
}

/// Moves existing pins (`image:tag@sha256:old`) to the digests `table` has for their tags.
/// Returns the new text and, for each moved pin, `(reference, old, new)`. Only literal
/// references (no build arguments) that keep a tag are updated: a bare `image@sha256:...`
/// names no tag to follow.
pub fn update_pins(text: &str, table: &DigestTable) -> (String, Vec<(String, String, String)>) {
    use crate::fix::{apply_edits, Edit};
    use crate::model::{Base, Dockerfile};
    let parsed = crate::syntax::parse(text);
    let model = Dockerfile::new(&parsed);
    let mut edits = Vec::new();
    let mut moved = Vec::new();
    for stage in &model.stages {
        let Base::Image { image } = &stage.base.base else { continue };
        let (Some(old), Some(_tag)) = (&image.digest, &image.tag) else { continue };
        if stage.base.written.contains('$') {
            continue;
        }
        let Some(new) = table.lookup(image) else { continue };
        if new == old {
            continue;
        }
        let written = stage.base.range;
        let Some(at) = written.slice(text).rfind(old.as_str()) else { continue };
        let start = written.start + at;
        edits.push(Edit::replace(crate::syntax::TextRange::new(start, start + old.len()), new));
        moved.push((image.to_string(), old.clone(), new.to_string()));
    }
    let (out, _) = apply_edits(text, &edits.iter().collect::<Vec<_>>());
    (out, moved)
}

#[cfg(test)]
mod update_tests {
    use super::*;

    #[test]
    fn moves_pins_to_new_digests() {
        let old = format!("sha256:{}", "a".repeat(64));
        let new = format!("sha256:{}", "b".repeat(64));
        let mut table = DigestTable::new();
        table.insert("python:3.12", &new).unwrap();
        let text = format!("FROM python:3.12@{old} AS a\nFROM alpine@{old}\n");
        let (out, moved) = update_pins(&text, &table);
        assert_eq!(out, format!("FROM python:3.12@{new} AS a\nFROM alpine@{old}\n"));
        assert_eq!(moved.len(), 1);
    }
}
