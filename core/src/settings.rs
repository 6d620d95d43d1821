//! What a user can choose: which rules run, how far fixes go, which user to run as, which
//! registries to trust, and where digests come from. Plain data that derives serde, so the
//! CLI's config file and the web page's share link carry the same thing.

use serde::{Deserialize, Serialize};

use crate::digests::DigestTable;
use crate::knowledge::{Date, DATA_CHECKED};
use crate::rules::{Category, RuleMeta};

/// How much dfharden changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Safe fixes only: nothing that could change what the image does.
    Basic,
    /// The full hardening: safe and unsafe fixes, including the structural rewrite.
    #[default]
    Strict,
}

/// The non-root account the hardened image runs as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserSettings {
    pub name: String,
    pub uid: u32,
    /// Add a `USER` even where the start cannot be seen (a start script that was not read,
    /// no CMD or ENTRYPOINT), after checking by hand that the image needs no root to start.
    pub force: bool,
}

/// A user name the rewrite can write into `useradd`/`adduser` and `USER` without quoting: the
/// portable form (`[a-z_][a-z0-9_-]*`, at most 32 characters), so a name can never carry shell
/// syntax into a `RUN` line.
pub fn valid_user_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl UserSettings {
    /// Why this account cannot be written into a Dockerfile, naming the setting.
    pub fn problem(&self) -> Option<String> {
        if !valid_user_name(&self.name) {
            return Some(format!(
                "user name `{}` is not a portable user name (lower-case letters, digits, `_` and `-`, starting with a letter or `_`, at most 32 characters)",
                self.name
            ));
        }
        if self.uid == 0 {
            return Some("uid 0 is root: choose a uid from 1 to 4294967295 (65532 is the distroless images' nonroot)".into());
        }
        None
    }
}

impl Default for UserSettings {
    /// `nonroot`, uid/gid 65532: the account distroless and Chainguard images ship, so the same
    /// identity works whether the final stage is distroless or hardened in place.
    fn default() -> Self {
        UserSettings {
            name: "nonroot".to_string(),
            uid: 65532,
            force: false,
        }
    }
}

/// Registries trusted by default: the big public ones and the vendors' own.
pub const DEFAULT_TRUSTED_REGISTRIES: &[&str] = &[
    "docker.io",
    "gcr.io",
    "ghcr.io",
    "mcr.microsoft.com",
    "quay.io",
    "cgr.dev",
    "public.ecr.aws",
    "registry.k8s.io",
    "registry.access.redhat.com",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Rules to run: codes (`DH101`), code prefixes (`DH1`), names, categories (`privilege`),
    /// other tools' ids the rules claim (`DL3002`) or `ALL`.
    /// Empty means the profile's default set.
    pub select: Vec<String>,
    /// Rules to run besides those of `select` (or of the default set when `select` is empty):
    /// how a rule that is off by default (the `style` category) is turned on without listing
    /// every other rule.
    pub extend_select: Vec<String>,
    /// Rules not to run (same forms as `select`); wins over `select` and `extend_select`.
    pub ignore: Vec<String>,
    pub profile: Profile,
    /// Whether unsafe fixes are applied; `None` follows the profile (strict: yes, basic: no).
    pub unsafe_fixes: Option<bool>,
    pub user: UserSettings,
    pub trusted_registries: Vec<String>,
    /// Known digests for image references: the `DigestSource` of core.
    pub digests: DigestTable,
    /// Today, from the caller's clock (core has none): end-of-life findings and the choice of
    /// final images depend on it. `None` reasons as of the day the image data was checked.
    #[serde(skip)]
    pub today: Option<Date>,
    /// Files of the build context the caller read for core (start scripts): input, not a
    /// choice, but carried here so that every entry point keeps its signature.
    #[serde(skip)]
    pub context: BuildContext,
}

/// Files of the build context, by path relative to its root (as `.dockerignore` writes them).
/// Core cannot read files: the CLI reads the ones [`crate::harden::start::context_files_wanted`]
/// names, the page takes what the user adds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildContext {
    pub files: std::collections::BTreeMap<String, String>,
    /// Files that were read and are programs, not scripts (an ELF binary): they run directly.
    pub binaries: std::collections::BTreeSet<String>,
    /// Whether a build context was read at all (a file missing from a context that was read
    /// is not there; one missing because none was given may well be).
    pub read: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            select: Vec::new(),
            extend_select: Vec::new(),
            ignore: Vec::new(),
            profile: Profile::Strict,
            unsafe_fixes: None,
            user: UserSettings::default(),
            trusted_registries: DEFAULT_TRUSTED_REGISTRIES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            digests: DigestTable::default(),
            today: None,
            context: BuildContext::default(),
        }
    }
}

impl Settings {
    /// The day end-of-life questions are answered for.
    pub fn today(&self) -> Date {
        self.today.unwrap_or(DATA_CHECKED)
    }

    /// Whether unsafe fixes are applied.
    pub fn applies_unsafe_fixes(&self) -> bool {
        self.unsafe_fixes.unwrap_or(self.profile == Profile::Strict)
    }

    /// Whether a rule runs under these settings.
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        if self.ignore.iter().any(|s| selector_matches(s, rule)) {
            return false;
        }
        if self.extend_select.iter().any(|s| selector_matches(s, rule)) {
            return true;
        }
        if self.select.is_empty() {
            return rule.on_by_default();
        }
        self.select.iter().any(|s| selector_matches(s, rule))
    }

    /// What in these settings cannot be used, each naming the setting: an account that is not
    /// a safe, non-root user, and `select` entries that match no rule (which would silently
    /// run nothing). Unknown `ignore` entries are allowed: a file may ignore another tool's
    /// codes that dfharden does not have.
    pub fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = self.user.problem().into_iter().collect();
        for (setting, selectors) in [("select", &self.select), ("extend-select", &self.extend_select)] {
            for selector in selectors {
                if !crate::rules::ALL_RULES.iter().any(|r| selector_matches(selector, r.meta)) {
                    problems.push(format!("{setting} `{selector}` matches no rule (`dfharden rules` lists them)"));
                }
            }
        }
        problems
    }

    /// Selectors that match no rule: worth telling the user about.
    pub fn unknown_selectors(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .filter(|s| {
                !crate::rules::ALL_RULES
                    .iter()
                    .any(|r| selector_matches(s, r.meta))
            })
            .cloned()
            .collect()
    }
}

/// Whether a `select`/`ignore` entry names the rule: `ALL`, a code or code prefix, the rule's
/// name, its category, or the id of another tool's check it claims (`DL3019`), so that a list
/// copied from a hadolint or BuildKit configuration means the same here.
fn selector_matches(selector: &str, rule: &RuleMeta) -> bool {
    let selector = selector.trim();
    selector.eq_ignore_ascii_case("ALL")
        || rule.code.starts_with(&selector.to_ascii_uppercase())
        || selector.eq_ignore_ascii_case(rule.name)
        || Category::from_name(selector) == Some(rule.category)
        || rule.aliases.iter().any(|a| selector.eq_ignore_ascii_case(a.id))
}
