//! The page's state, the actions that change it, and the reducer that applies them.
//!
//! The reducer calls the core synchronously: every action that changes the text or the
//! settings ends in [`Analysis::run`], which runs `check` and `fix` exactly as the CLI does
//! (`dfharden fix` with the same settings, `Settings::default()` unless the user changed one).
//! IO (timers, storage, clipboard, downloads) stays outside, in `app.rs` and `services/`.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use dfharden_core::render::{attributed_hunks, unified_diff, AttributedHunk};
use dfharden_core::rules::Severity;
use dfharden_core::{check, context_files_wanted, fix_checked, DigestTable, FixOutcome, Profile, Report, Settings, ALL_RULES};
use yew::Reducible;

use crate::components::examples::EXAMPLES;
use crate::steps::{steps, Step};

/// What the user can set in the settings panel, as typed (numbers stay text until they parse).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub profile: Profile,
    /// `None` follows the profile, like the CLI without `--unsafe-fixes`/`--no-unsafe-fixes`.
    pub unsafe_fixes: Option<bool>,
    /// Codes of the rules switched off (passed as `ignore`, like `--ignore`).
    pub disabled: BTreeSet<String>,
    /// Codes of rules that are off by default (the style category) switched on (passed as
    /// `extend_select`, like `--extend-select`).
    pub enabled: BTreeSet<String>,
    pub user_name: String,
    pub uid: String,
    /// The pasted digest table, as typed.
    pub digests: String,
    /// Rewrite even when the file has syntax errors (`--force`).
    pub force: bool,
    /// Build-context files the user pasted or dropped (path relative to the context root, as
    /// `COPY` names it, to its text): the start scripts the CLI would read from the context.
    pub context: BTreeMap<String, String>,
}

impl Default for Form {
    fn default() -> Self {
        let defaults = Settings::default();
        Form {
            profile: defaults.profile,
            unsafe_fixes: defaults.unsafe_fixes,
            disabled: BTreeSet::new(),
            enabled: BTreeSet::new(),
            user_name: defaults.user.name,
            uid: defaults.user.uid.to_string(),
            digests: String::new(),
            force: false,
            context: BTreeMap::new(),
        }
    }
}

pub use dfharden_core::settings::valid_user_name;

impl Form {
    /// Whether a rule runs: its default, unless the user switched it.
    pub fn rule_on(&self, rule: &dfharden_core::RuleMeta) -> bool {
        if rule.on_by_default() {
            !self.disabled.contains(rule.code)
        } else {
            self.enabled.contains(rule.code)
        }
    }

    /// Switches a rule on or off, recording only what differs from its default.
    fn set_rule(&mut self, rule: &dfharden_core::RuleMeta, on: bool) {
        let code = rule.code.to_string();
        let (differs, set) = if rule.on_by_default() { (!on, &mut self.disabled) } else { (on, &mut self.enabled) };
        if differs {
            set.insert(code);
        } else {
            set.remove(&code);
        }
    }

    /// The core settings this form stands for, and what in it could not be used. The default
    /// form gives exactly `Settings::default()`, which is what the CLI uses without a
    /// configuration file.
    pub fn settings(&self) -> (Settings, FormProblems) {
        let mut settings = Settings::default();
        let mut problems = FormProblems::default();
        settings.profile = self.profile;
        settings.unsafe_fixes = self.unsafe_fixes;
        settings.ignore = self.disabled.iter().cloned().collect();
        settings.extend_select = self.enabled.iter().cloned().collect();
        let name = self.user_name.trim();
        if valid_user_name(name) {
            settings.user.name = name.to_string();
        } else {
            problems.user_name = Some(format!(
                "`{name}` is not a user name (lower-case letters, digits, `_` and `-`, starting with a letter or `_`); using `{}`",
                settings.user.name
            ));
        }
        match self.uid.trim().parse::<u32>() {
            Ok(uid) if uid > 0 => settings.user.uid = uid,
            _ => {
                problems.uid = Some(format!(
                    "the uid must be a number from 1 to 4294967295 (0 is root); using {}",
                    settings.user.uid
                ))
            }
        }
        let (table, digest_problems) = DigestTable::parse_text(&self.digests);
        settings.digests = table;
        problems.digests = digest_problems;
        // Only some of the context is known: a file the user did not add may well exist, so
        // `read` stays false and core says what it could not see.
        settings.context.files =
            self.context.iter().filter(|(_, text)| !text.trim().is_empty()).map(|(p, t)| (p.clone(), t.clone())).collect();
        settings.today = today();
        (settings, problems)
    }
}

/// Today in the browser's time zone, as the CLI takes it from the system clock; `None` in
/// native unit tests, where core then answers as of the data's own date.
fn today() -> Option<dfharden_core::knowledge::Date> {
    #[cfg(target_arch = "wasm32")]
    {
        let now = js_sys::Date::new_0();
        Some(dfharden_core::knowledge::Date::ymd(now.get_full_year() as u16, now.get_month() as u8 + 1, now.get_date() as u8))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Form fields that could not be used, shown beside them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormProblems {
    pub user_name: Option<String>,
    pub uid: Option<String>,
    /// Line number and problem, from `DigestTable::parse_text`.
    pub digests: Vec<(usize, String)>,
}

/// Everything the core says about one text under one set of settings.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub source: String,
    pub settings: Settings,
    pub problems: FormProblems,
    pub report: Report,
    /// Whether the rewrite was refused because of syntax errors (as `dfharden fix` does
    /// without `--force`). Then `outcome.output` is the source unchanged.
    pub refused: bool,
    pub outcome: FixOutcome,
    pub hunks: Vec<AttributedHunk>,
    /// The rewrite as a patch (`git apply` accepts it), as `dfharden fix --diff` prints it.
    pub patch: String,
    /// Build-context files that would show how the image starts (`context_files_wanted`).
    pub wanted: Vec<String>,
    /// What the rewrite left, as `dfharden fix --explain` lists it under "not done": `None`
    /// when the rewrite was refused (the CLI then lists nothing either).
    pub not_done: Option<Vec<Remaining>>,
}

impl PartialEq for Analysis {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.settings == other.settings && self.outcome == other.outcome
    }
}

/// The file name downloads and patches use.
pub const FILE_NAME: &str = "Dockerfile";

impl Analysis {
    pub fn run(source: &str, form: &Form) -> Analysis {
        let (settings, problems) = form.settings();
        let report = check(source, &settings);
        let (refused, outcome) = match fix_checked(source, &settings, form.force) {
            Ok(outcome) => (false, outcome),
            Err(_) => (
                true,
                FixOutcome { output: source.to_string(), applied: Vec::new(), dropped: Vec::new(), rounds: 0, converged: true },
            ),
        };
        let hunks = attributed_hunks(source, &outcome);
        let patch = unified_diff(source, &outcome.output, FILE_NAME);
        let wanted = context_files_wanted(source);
        let not_done = (!refused).then(|| not_done(&outcome.output, &settings));
        Analysis { source: source.to_string(), settings, problems, report, refused, outcome, hunks, patch, wanted, not_done }
    }

    pub fn changed(&self) -> bool {
        self.outcome.output != self.source
    }
}

/// How a severity is written: `dfharden`'s own word for it (its JSON and terminal output).
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// A finding still in the hardened file. A declined change says why in its message (DH101
/// "no USER is added, because ...", DH602 "kept ... as the final image: ...").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remaining {
    /// 1-based line and column (in characters) in the hardened file.
    pub line: usize,
    pub column: usize,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Remaining {
    /// The line `dfharden fix --explain` prints for it (without its two-space indent).
    pub fn cli_line(&self) -> String {
        format!("{}:{} {} [{}] {}", self.line, self.column, self.code, severity_name(self.severity), self.message)
    }
}

/// The findings the rewritten text still has, computed as `dfharden fix --explain` does
/// (`write_not_done`): `check` on the output with the same settings, most severe first, then
/// by position, each with the line and column of its start.
pub fn not_done(output: &str, settings: &Settings) -> Vec<Remaining> {
    let report = check(output, settings);
    if report.findings.is_empty() {
        return Vec::new();
    }
    let parsed = dfharden_core::syntax::parse(output);
    let mut findings: Vec<_> = report.findings.iter().collect();
    findings.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.range.start));
    findings
        .into_iter()
        .map(|f| {
            let at = parsed.line_col(f.range.start);
            Remaining {
                line: at.line,
                column: at.column,
                code: f.code,
                name: f.name,
                severity: f.severity,
                message: f.message.clone(),
            }
        })
        .collect()
}

/// The result views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Changes,
    Output,
    Findings,
    Workshop,
    Runtime,
    Instructions,
}

impl Tab {
    pub const ALL: [Tab; 6] = [Tab::Changes, Tab::Output, Tab::Findings, Tab::Workshop, Tab::Runtime, Tab::Instructions];

    pub fn id(self) -> &'static str {
        match self {
            Tab::Changes => "changes",
            Tab::Output => "output",
            Tab::Findings => "findings",
            Tab::Workshop => "workshop",
            Tab::Runtime => "runtime",
            Tab::Instructions => "instructions",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Changes => "Changes",
            Tab::Output => "Hardened file",
            Tab::Findings => "Findings",
            Tab::Workshop => "Workshop",
            Tab::Runtime => "Runtime",
            Tab::Instructions => "Instructions",
        }
    }
}

/// How the diff is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffMode {
    SideBySide,
    Unified,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_name(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The text and the settings: what a share link and the saved session carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub source: String,
    pub form: Form,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The editor's text, as typed.
    pub source: String,
    pub form: Form,
    /// What the core made of the text and the form, as of the last [`Action::Analyze`].
    pub analysis: Rc<Analysis>,
    /// Counts analyses, so that views can reset what depends on the old one.
    pub generation: u64,
    pub tab: Tab,
    pub diff_mode: DiffMode,
    /// 0 is the original; step `n` has the first `n` changes applied.
    pub workshop_step: usize,
    /// The workshop's steps for the current analysis: computed when the workshop is open
    /// (it runs the core once per rule), dropped when the analysis changes.
    pub steps: Option<Rc<Vec<Step>>>,
    /// `None` follows the system's `prefers-color-scheme`.
    pub theme: Option<Theme>,
    /// A short message for the status line ("Copied"), announced to screen readers.
    pub notice: Option<String>,
}

impl State {
    pub fn new(session: Option<Session>) -> State {
        let Session { source, form } =
            session.unwrap_or_else(|| Session { source: EXAMPLES[0].text.to_string(), form: Form::default() });
        let analysis = Rc::new(Analysis::run(&source, &form));
        State {
            source,
            form,
            analysis,
            generation: 1,
            tab: Tab::Changes,
            diff_mode: DiffMode::SideBySide,
            workshop_step: 0,
            steps: None,
            theme: None,
            notice: None,
        }
    }

    /// Whether the editor holds text the views do not show yet (the debounce is running).
    pub fn pending(&self) -> bool {
        self.source != self.analysis.source
    }

    pub fn session(&self) -> Session {
        Session { source: self.source.clone(), form: self.form.clone() }
    }

    fn reanalyze(&mut self) {
        let analysis = Analysis::run(&self.source, &self.form);
        if *self.analysis != analysis || self.analysis.problems != analysis.problems {
            if self.analysis.outcome.output != analysis.outcome.output {
                self.workshop_step = 0;
            }
            self.analysis = Rc::new(analysis);
            self.generation += 1;
            self.steps = None;
        }
    }

    /// Computes the workshop's steps if the workshop is open and they are missing.
    fn prepare_workshop(&mut self) {
        if self.tab == Tab::Workshop && self.steps.is_none() {
            let analysis = &self.analysis;
            self.steps = Some(Rc::new(steps(&analysis.source, &analysis.settings, &analysis.outcome)));
        }
    }
}

pub enum Action {
    /// The editor's text changed; the views follow on [`Action::Analyze`].
    Edit(String),
    /// Run the core on the current text and settings (the debounce timer fired).
    Analyze,
    /// Replace the text (an example, a restored session) and analyze at once.
    Load(String),
    Restore(Session),
    SetProfile(Profile),
    SetUnsafeFixes(Option<bool>),
    SetRule(String, bool),
    /// Switch a whole category's rules on or off.
    SetCategory(&'static str, bool),
    SetUserName(String),
    SetUid(String),
    SetDigests(String),
    SetForce(bool),
    /// A build-context file's text (empty removes it).
    SetContextFile(String, String),
    ResetSettings,
    SetTab(Tab),
    SetDiffMode(DiffMode),
    WorkshopTo(usize),
    SetTheme(Option<Theme>),
    Notice(Option<String>),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let mut analyze = true;
        match action {
            Action::Edit(text) => {
                next.source = text;
                analyze = false;
            }
            Action::Analyze => {}
            Action::Load(text) => next.source = text,
            Action::Restore(session) => {
                next.source = session.source;
                next.form = session.form;
            }
            Action::SetProfile(profile) => next.form.profile = profile,
            Action::SetUnsafeFixes(choice) => next.form.unsafe_fixes = choice,
            Action::SetRule(code, on) => {
                if let Some(rule) = dfharden_core::rules::rule_by_code(&code) {
                    next.form.set_rule(rule.meta, on);
                }
            }
            Action::SetCategory(category, on) => {
                for rule in ALL_RULES.iter().filter(|r| r.meta.category.name() == category) {
                    next.form.set_rule(rule.meta, on);
                }
            }
            Action::SetUserName(name) => next.form.user_name = name,
            Action::SetUid(uid) => next.form.uid = uid,
            Action::SetDigests(text) => next.form.digests = text,
            Action::SetForce(force) => next.form.force = force,
            Action::SetContextFile(path, text) => {
                if text.is_empty() {
                    next.form.context.remove(&path);
                } else {
                    next.form.context.insert(path, text);
                }
            }
            // The context files are input, not settings: a reset keeps them.
            Action::ResetSettings => next.form = Form { context: next.form.context.clone(), ..Form::default() },
            Action::SetTab(tab) => {
                next.tab = tab;
                analyze = false;
            }
            Action::SetDiffMode(mode) => {
                next.diff_mode = mode;
                analyze = false;
            }
            Action::WorkshopTo(step) => {
                next.workshop_step = step;
                analyze = false;
            }
            Action::SetTheme(theme) => {
                next.theme = theme;
                analyze = false;
            }
            Action::Notice(notice) => {
                next.notice = notice;
                analyze = false;
            }
        }
        if analyze {
            next.reanalyze();
        }
        next.prepare_workshop();
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_form_is_the_cli_default() {
        let (settings, problems) = Form::default().settings();
        assert_eq!(settings, Settings::default());
        assert_eq!(problems, FormProblems::default());
    }

    #[test]
    fn bad_fields_fall_back_and_say_why() {
        let form = Form { uid: "abc".into(), user_name: "Bad Name".into(), ..Form::default() };
        let (settings, problems) = form.settings();
        assert_eq!(settings.user, Settings::default().user);
        assert!(problems.uid.is_some() && problems.user_name.is_some());
    }

    #[test]
    fn refuses_files_with_syntax_errors_unless_forced() {
        let text = "FROM alpine\nCMD [\"a\", 1]\nRUN apk add curl\n";
        let refused = Analysis::run(text, &Form::default());
        assert!(refused.refused);
        assert_eq!(refused.outcome.output, text);
        let forced = Analysis::run(text, &Form { force: true, ..Form::default() });
        assert!(!forced.refused);
    }

    #[test]
    fn a_start_script_added_as_a_context_file_decides_the_user() {
        let text = "FROM debian:trixie-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"/usr/local/bin/app\"]\n";
        let state = Rc::new(State::new(Some(Session { source: text.into(), form: Form::default() })));
        assert!(!state.analysis.outcome.output.contains("\nUSER "), "no USER while the script is unseen");
        let script = "#!/bin/sh\nexec \"$@\"\n";
        let state = state.reduce(Action::SetContextFile("docker-entrypoint.sh".into(), script.into()));
        assert_eq!(state.analysis.settings.context.files.get("docker-entrypoint.sh").map(String::as_str), Some(script));
        assert!(state.analysis.outcome.output.contains("\nUSER "), "{}", state.analysis.outcome.output);
        let stepping_down = "#!/bin/sh\nchown -R app /data\nexec gosu app \"$@\"\n";
        let state = state.reduce(Action::SetContextFile("docker-entrypoint.sh".into(), stepping_down.into()));
        assert!(!state.analysis.outcome.output.contains("\nUSER "));
        let state = state.reduce(Action::ResetSettings);
        assert!(state.form.context.contains_key("docker-entrypoint.sh"), "a reset keeps the files");
    }

    #[test]
    fn not_done_lists_what_the_rewrite_left_as_the_cli_does() {
        let text = "FROM debian:trixie-slim\nVOLUME /data\nCOPY app /usr/local/bin/app\nCMD [\"/usr/local/bin/app\"]\n";
        let analysis = Analysis::run(text, &Form::default());
        let lines: Vec<String> = analysis.not_done.as_ref().expect("rewritten").iter().map(Remaining::cli_line).collect();
        // The lines `dfharden fix --explain` prints for this text read from standard input.
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert!(lines[0].starts_with("1:1 DH101 [error] the final stage has no `USER`"), "{}", lines[0]);
        assert!(lines[0].contains("no USER is added, because the start script `app` was not read (no build context was given)"));
        assert_eq!(lines[1], "1:6 DH202 [warning] `debian:trixie-slim` is not pinned by digest: run `dfharden pin` to resolve it");
        assert!(lines[2].starts_with("1:1 DH602 [info] kept `debian:trixie-slim` as the final image: "), "{}", lines[2]);
        // Computed on the rewritten text: the rewrite's own lines count.
        assert!(analysis.outcome.output.lines().count() > text.lines().count());
    }

    #[test]
    fn not_done_orders_by_severity_then_position_with_character_columns() {
        // `é` is two bytes: the column of `apk` counts characters, as the CLI's does.
        let text = "FROM alpine:3.22\nRUN echo \"é\" && apk add curl\nFROM  debian:trixie-slim\nCMD [\"/bin/true\"]\n";
        let left: Vec<String> = not_done(text, &Settings::default())
            .iter()
            .map(|r| format!("{}:{} {} {}", r.line, r.column, r.code, severity_name(r.severity)))
            .collect();
        assert_eq!(
            left,
            [
                "3:1 DH101 error",
                "1:6 DH202 warning",
                "2:17 DH305 warning",
                "3:1 DH103 warning",
                "3:7 DH202 warning",
                "3:1 DH602 info",
            ]
        );
    }

    #[test]
    fn nothing_left_to_do_and_nothing_listed_when_refused() {
        let clean = "FROM scratch\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n";
        assert_eq!(Analysis::run(clean, &Form::default()).not_done, Some(Vec::new()));
        let broken = Analysis::run("FROM alpine\nCMD [\"a\", 1]\nRUN apk add curl\n", &Form::default());
        assert!(broken.refused);
        assert_eq!(broken.not_done, None);
    }

    #[test]
    fn switching_a_rule_off_removes_its_change() {
        let text = "FROM alpine:3.22\nRUN apk add curl\n";
        let state = Rc::new(State::new(Some(Session { source: text.into(), form: Form::default() })));
        assert!(state.analysis.outcome.output.contains("--no-cache"));
        let state = state.reduce(Action::SetRule("DH305".into(), false));
        assert!(!state.analysis.outcome.output.contains("--no-cache"));
        assert_eq!(state.analysis.settings.ignore, vec!["DH305".to_string()]);
        assert!(state.steps.is_none());
        let state = state.reduce(Action::SetTab(Tab::Workshop));
        let steps = state.steps.clone().expect("steps computed for the workshop");
        assert_eq!(steps.last().unwrap().after, state.analysis.outcome.output);
        assert!(steps.iter().all(|s| s.code != "DH305"));
    }
}
