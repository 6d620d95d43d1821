//! `dfharden.lock`: the digests `dfharden pin` resolved, so that `fix`, CI and the web page can
//! pin base images offline and reproducibly.

use std::path::Path;

use anyhow::{bail, Context, Result};
use dfharden_core::DigestTable;
use serde::{Deserialize, Serialize};

pub const LOCK_VERSION: u32 = 1;

const HEADER: &str = "# dfharden.lock: base-image digests resolved by `dfharden pin`.\n\
# Commit it: `dfharden fix`, CI and the web page pin FROM lines from it, offline.\n";

#[derive(Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct LockFile {
    pub version: u32,
    #[serde(default, rename = "image")]
    pub images: Vec<LockedImage>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct LockedImage {
    /// Canonical `registry/repository:tag`.
    pub reference: String,
    pub digest: String,
    /// When it was resolved (UTC, RFC 3339).
    pub resolved_at: String,
    /// The manifest media type the registry answered with (an index for multi-platform images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

impl LockFile {
    pub fn read(path: &Path) -> Result<LockFile> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let lock: LockFile = toml::from_str(&text).with_context(|| format!("{}: invalid lock file", path.display()))?;
        if lock.version != LOCK_VERSION {
            bail!("{}: lock file version {} is not supported (expected {LOCK_VERSION})", path.display(), lock.version);
        }
        Ok(lock)
    }

    pub fn to_text(&self) -> Result<String> {
        Ok(format!("{HEADER}{}", toml::to_string_pretty(self)?))
    }

    pub fn digest_table(&self) -> DigestTable {
        let mut table = DigestTable::new();
        for image in &self.images {
            // Entries were validated when written; a hand-edited bad one is skipped here and
            // reported by `pin`.
            let _ = table.insert(&image.reference, &image.digest);
        }
        table
    }

    pub fn get(&self, reference: &str) -> Option<&LockedImage> {
        self.images.iter().find(|i| i.reference == reference)
    }

    pub fn upsert(&mut self, image: LockedImage) {
        match self.images.iter_mut().find(|i| i.reference == image.reference) {
            Some(existing) => *existing = image,
            None => self.images.push(image),
        }
        self.images.sort_by(|a, b| a.reference.cmp(&b.reference));
    }
}

/// The current time as RFC 3339 UTC (`2026-11-23T01:02:03Z`).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut lock = LockFile { version: LOCK_VERSION, images: Vec::new() };
        lock.upsert(LockedImage {
            reference: "docker.io/library/python:3.12".into(),
            digest: format!("sha256:{}", "c".repeat(64)),
            resolved_at: now_rfc3339(),
            media_type: None,
        });
        let text = lock.to_text().unwrap();
        assert!(text.starts_with("# dfharden.lock"));
        let back: LockFile = toml::from_str(&text).unwrap();
        assert_eq!(back, lock);
        assert_eq!(back.digest_table().len(), 1);
        assert_eq!(now_rfc3339().len(), 20);
    }
}
