//! hadolint's configuration file (`.hadolint.yaml`, `.hadolint.yml`): read in place of
//! `dfharden.toml` when a project has none, so that a team switching tools edits nothing, and
//! turned into a `dfharden.toml` by `dfharden migrate hadolint`.
//!
//! hadolint's rule ids work unchanged in dfharden's `ignore` (each names the dfharden rule that
//! claims it). What has no dfharden equivalent yet is named, never silently dropped.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::config::{ConfigFile, FailureThreshold};

pub const HADOLINT_NAMES: &[&str] = &[".hadolint.yaml", ".hadolint.yml"];

/// The keys of hadolint's configuration that dfharden reads or reports.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct HadolintConfig {
    pub ignored: Vec<String>,
    #[serde(rename = "trustedRegistries")]
    pub trusted_registries: Option<Vec<String>>,
    #[serde(rename = "override")]
    pub overrides: BTreeMap<String, Vec<String>>,
    pub failure_threshold: Option<String>,
    pub no_fail: bool,
    pub disable_ignore_pragma: bool,
    pub label_schema: BTreeMap<String, String>,
    pub strict_labels: bool,
}

/// A hadolint configuration in dfharden's terms, and what could not be carried over.
pub struct Migrated {
    pub config: ConfigFile,
    pub not_carried: Vec<String>,
}

pub fn is_hadolint_config(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| HADOLINT_NAMES.contains(&n))
}

pub fn read(path: &Path) -> Result<HadolintConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    if text.trim().is_empty() {
        return Ok(HadolintConfig::default());
    }
    serde_yaml_ng::from_str(&text).with_context(|| format!("{}: not a hadolint configuration", path.display()))
}

pub fn migrate(hadolint: &HadolintConfig) -> Result<Migrated> {
    let mut not_carried = Vec::new();
    let failure_threshold = if hadolint.no_fail {
        Some(FailureThreshold::None)
    } else {
        match hadolint.failure_threshold.as_deref() {
            None => None,
            Some("error") => Some(FailureThreshold::Error),
            Some("warning") => Some(FailureThreshold::Warning),
            // dfharden has no `style` severity: its least severe findings are `info`.
            Some("info" | "style") => Some(FailureThreshold::Info),
            Some("ignore" | "none") => Some(FailureThreshold::None),
            Some(other) => anyhow::bail!("failure-threshold `{other}` is not one of error, warning, info, style, ignore, none"),
        }
    };
    // ShellCheck's codes have no dfharden rule to ignore (dfharden does not run ShellCheck).
    let (shellcheck, ignore): (Vec<String>, Vec<String>) = hadolint.ignored.iter().cloned().partition(|id| id.to_ascii_uppercase().starts_with("SC"));
    if !shellcheck.is_empty() {
        not_carried.push(format!("ignored {} (ShellCheck codes: dfharden does not run ShellCheck)", shellcheck.join(", ")));
    }
    if !hadolint.overrides.is_empty() {
        not_carried.push("override (dfharden does not change rule severities yet)".to_string());
    }
    if hadolint.disable_ignore_pragma {
        not_carried.push("disable-ignore-pragma (dfharden always honours inline ignores)".to_string());
    }
    if !hadolint.label_schema.is_empty() || hadolint.strict_labels {
        not_carried.push("label-schema and strict-labels (dfharden has no label rules yet)".to_string());
    }
    let config = ConfigFile {
        ignore: (!ignore.is_empty()).then_some(ignore),
        trusted_registries: hadolint.trusted_registries.clone(),
        failure_threshold,
        ..ConfigFile::default()
    };
    Ok(Migrated { config, not_carried })
}

/// The `dfharden.toml` text for a migrated configuration.
pub fn to_toml(migrated: &Migrated, source: &Path) -> String {
    let quote = |items: &[String]| items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
    let config = &migrated.config;
    let mut out = format!("# Migrated from {} by `dfharden migrate hadolint`.\n", source.display());
    if let Some(ignore) = &config.ignore {
        out.push_str("# hadolint's ids work here: each silences the dfharden rule that claims it.\n");
        out.push_str(&format!("ignore = [{}]\n", quote(ignore)));
    }
    if let Some(registries) = &config.trusted_registries {
        out.push_str(&format!("trusted-registries = [{}]\n", quote(registries)));
    }
    if let Some(threshold) = config.failure_threshold {
        let name = clap::ValueEnum::to_possible_value(&threshold).expect("every threshold has a name");
        out.push_str(&format!("failure-threshold = \"{}\"\n", name.get_name()));
    }
    for item in &migrated.not_carried {
        out.push_str(&format!("# Not carried over: {item}.\n"));
    }
    out
}
