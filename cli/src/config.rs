//! Configuration: `dfharden.toml` (or `.dfharden.toml`) found upwards from each file, then
//! overridden by command-line flags; digests from `dfharden.lock`.

use std::io::Write as _;

use dfharden_core::knowledge::{staleness, Date, DATA_CHECKED};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use dfharden_core::settings::{Profile, UserSettings};
use dfharden_core::{DigestTable, Settings};
use serde::Deserialize;

use crate::args::{ProfileArg, SharedArgs};
use crate::lockfile::LockFile;

pub const CONFIG_NAMES: &[&str] = &["dfharden.toml", ".dfharden.toml"];
pub const LOCK_NAME: &str = "dfharden.lock";

/// The file format of `dfharden.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub select: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub profile: Option<Profile>,
    pub unsafe_fixes: Option<bool>,
    pub user: Option<UserSettings>,
    pub trusted_registries: Option<Vec<String>>,
    /// Path of the digest lock file, relative to the configuration file.
    pub lock_file: Option<PathBuf>,
    /// The least severe finding that makes `check` exit 1.
    pub failure_threshold: Option<FailureThreshold>,
}

/// The least severe finding that makes `dfharden check` fail (exit 1): hadolint's
/// `failure-threshold`, with dfharden's three severities (hadolint's `style` is `info` here).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailureThreshold {
    Error,
    Warning,
    /// Any finding (the default).
    #[default]
    Info,
    /// Never: report, but exit 0.
    None,
}

impl FailureThreshold {
    pub fn fails(self, severity: dfharden_core::rules::Severity) -> bool {
        use dfharden_core::rules::Severity;
        match self {
            FailureThreshold::Error => severity >= Severity::Error,
            FailureThreshold::Warning => severity >= Severity::Warning,
            FailureThreshold::Info => true,
            FailureThreshold::None => false,
        }
    }

}

/// Builds the settings for each file. Settings are built once per source (configuration file
/// and lock file) and shared; a bounded memo of recent directories saves looking the sources
/// up again for files side by side. Memory depends on the number of configuration files, not
/// on the number of directories.
pub struct SettingsResolver {
    args: SharedArgs,
    /// The day end-of-life questions are answered for.
    today: Date,
    unsafe_fixes: Option<bool>,
    by_source: Mutex<HashMap<Sources, Arc<Resolved>>>,
    configs: Mutex<HashMap<PathBuf, Arc<ConfigFile>>>,
    /// What each recently seen directory holds or inherits: the nearest configuration and lock
    /// file at or above it. Sibling directories share their parents' answers, so a new
    /// directory costs a look at its own entries, not a walk to the root.
    nearest: Mutex<HashMap<PathBuf, Sources>>,
    /// The nearest `.hadolint.yaml` of each recently seen directory.
    hadolint: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

/// Where a directory's settings come from: its configuration file and its lock file.
type Sources = (Option<PathBuf>, Option<PathBuf>);

/// How many directories [`SettingsResolver`] remembers before it forgets them all (files come
/// in walk order, so the directories that matter next are those just seen).
const RECENT_DIRS: usize = 1024;

/// Settings for one directory, and where they came from.
pub struct Resolved {
    pub settings: Settings,
    pub lock_path: Option<PathBuf>,
    pub failure_threshold: FailureThreshold,
}

impl SettingsResolver {
    /// Also tells the user, once, when dfharden's image data is getting old.
    pub fn new(args: &SharedArgs, unsafe_fixes: Option<bool>) -> Self {
        let today = args
            .today
            .or_else(|| Date::parse(&crate::lockfile::now_rfc3339()))
            .unwrap_or(DATA_CHECKED);
        if let Some(notice) = staleness(today) {
            let _ = writeln!(anstream::stderr(), "dfharden: notice: {notice}");
        }
        SettingsResolver {
            args: args.clone(),
            today,
            unsafe_fixes,
            by_source: Mutex::default(),
            configs: Mutex::default(),
            nearest: Mutex::default(),
            hadolint: Mutex::default(),
        }
    }

    /// The settings for a Dockerfile at `path` (a path for stdin too, via --stdin-filename).
    pub fn for_file(&self, path: &Path) -> Result<Arc<Resolved>> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // Absolute without touching the file system (`canonicalize` costs a system call per
        // component); `..` and `.` go so that the walk upwards meets each directory once.
        let dir = normalize(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()));
        let (config_path, config) = self.config_for(&dir)?;
        let lock_path = self.lock_path(&dir, config_path.as_deref(), &config);
        let sources = (config_path, lock_path);
        if let Some(resolved) = self.by_source.lock().expect("lock").get(&sources) {
            return Ok(resolved.clone());
        }
        let resolved = Arc::new(self.build(&config, sources.1.clone())?);
        self.by_source
            .lock()
            .expect("lock")
            .insert(sources, resolved.clone());
        Ok(resolved)
    }

    /// The configuration file that applies in `dir`, read once per file.
    fn config_for(&self, dir: &Path) -> Result<(Option<PathBuf>, Arc<ConfigFile>)> {
        let config_path = match (&self.args.config, self.args.isolated) {
            (Some(explicit), _) => Some(explicit.clone()),
            (None, true) => None,
            // With no dfharden configuration anywhere above, hadolint's is read instead.
            (None, false) => self.nearest_files(dir).0.or_else(|| self.nearest_hadolint(dir)),
        };
        let Some(path) = config_path else {
            return Ok((None, Arc::default()));
        };
        if let Some(config) = self.configs.lock().expect("lock").get(&path) {
            return Ok((Some(path), config.clone()));
        }
        let config = Arc::new(read_config(&path)?);
        self.configs
            .lock()
            .expect("lock")
            .insert(path.clone(), config.clone());
        Ok((Some(path), config))
    }

    /// The lock file for `dir`: the flag, else the configuration's `lock-file`, else the
    /// nearest `dfharden.lock` upwards.
    fn lock_path(
        &self,
        dir: &Path,
        config_path: Option<&Path>,
        config: &ConfigFile,
    ) -> Option<PathBuf> {
        match (&self.args.lock_file, &config.lock_file, config_path) {
            (Some(path), _, _) => Some(path.clone()),
            (None, Some(relative), Some(config)) => {
                Some(config.parent().unwrap_or(Path::new(".")).join(relative))
            }
            _ => self.nearest_files(dir).1,
        }
    }

    /// The nearest `.hadolint.yaml` at or above `dir`, remembered for the directories seen.
    fn nearest_hadolint(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.hadolint.lock().expect("lock").get(dir) {
            return found.clone();
        }
        let found = crate::hadolint::HADOLINT_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
            .or_else(|| dir.parent().and_then(|parent| self.nearest_hadolint(parent)));
        let mut memo = self.hadolint.lock().expect("lock");
        if memo.len() >= RECENT_DIRS {
            memo.clear();
        }
        memo.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The nearest configuration file and lock file at or above `dir` (absolute), remembered
    /// for the directories on the way.
    fn nearest_files(&self, dir: &Path) -> Sources {
        if let Some(found) = self.nearest.lock().expect("lock").get(dir) {
            return found.clone();
        }
        let own = |names: &[&str]| {
            names
                .iter()
                .map(|name| dir.join(name))
                .find(|p| p.is_file())
        };
        let (config, lock) = (own(CONFIG_NAMES), own(&[LOCK_NAME]));
        let found = if config.is_some() && lock.is_some() {
            (config, lock)
        } else {
            let above = dir
                .parent()
                .map(|parent| self.nearest_files(parent))
                .unwrap_or_default();
            (config.or(above.0), lock.or(above.1))
        };
        let mut nearest = self.nearest.lock().expect("lock");
        if nearest.len() >= RECENT_DIRS {
            nearest.clear();
        }
        nearest.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The settings from a configuration and a lock file, with the flags on top.
    fn build(&self, config: &ConfigFile, lock_path: Option<PathBuf>) -> Result<Resolved> {
        let mut settings = Settings {
            today: Some(self.today),
            ..Settings::default()
        };
        if let Some(v) = &config.select {
            settings.select = v.clone();
        }
        if let Some(v) = &config.extend_select {
            settings.extend_select = v.clone();
        }
        if let Some(v) = &config.ignore {
            settings.ignore = v.clone();
        }
        if let Some(v) = config.profile {
            settings.profile = v;
        }
        settings.unsafe_fixes = config.unsafe_fixes;
        if let Some(v) = &config.user {
            settings.user = v.clone();
        }
        if let Some(v) = &config.trusted_registries {
            settings.trusted_registries = v.clone();
        }
        // Flags win over the file.
        let args = &self.args;
        if !args.select.is_empty() {
            settings.select = args.select.clone();
        }
        settings.extend_select.extend(args.extend_select.iter().cloned());
        settings.ignore.extend(args.ignore.iter().cloned());
        if let Some(p) = args.profile {
            settings.profile = match p {
                ProfileArg::Basic => Profile::Basic,
                ProfileArg::Strict => Profile::Strict,
            };
        }
        if let Some(u) = self.unsafe_fixes {
            settings.unsafe_fixes = Some(u);
        }
        if let Some(name) = &args.user {
            settings.user.name = name.clone();
        }
        if let Some(uid) = args.uid {
            settings.user.uid = uid;
        }
        settings.user.force |= args.force_user;
        if let Some(registries) = &args.trusted_registries {
            settings.trusted_registries = registries.clone();
        }
        let problems = settings.problems();
        if !problems.is_empty() {
            anyhow::bail!("invalid settings: {}", problems.join("; "));
        }
        if let Some(lock) = lock_path.as_ref().filter(|p| p.exists()) {
            settings.digests = LockFile::read(lock)?.digest_table();
        } else {
            settings.digests = DigestTable::new();
        }
        Ok(Resolved {
            settings,
            lock_path,
            failure_threshold: config.failure_threshold.unwrap_or_default(),
        })
    }
}

fn read_config(path: &Path) -> Result<ConfigFile> {
    if crate::hadolint::is_hadolint_config(path) {
        let migrated = crate::hadolint::migrate(&crate::hadolint::read(path)?)
            .with_context(|| format!("{}: invalid configuration", path.display()))?;
        // Said once per file: configurations are read once and shared.
        let mut notice = format!(
            "dfharden: notice: no dfharden.toml found; reading hadolint's {} (`dfharden migrate hadolint` writes the equivalent dfharden.toml)",
            path.display()
        );
        for item in &migrated.not_carried {
            notice.push_str(&format!("\n  not used: {item}"));
        }
        let _ = writeln!(anstream::stderr(), "{notice}");
        return Ok(migrated.config);
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{}: invalid configuration", path.display()))
}

/// `path` without `.` and with each `..` taken back, lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
