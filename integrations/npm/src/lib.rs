//! The npm package `dfharden`: the core compiled to WebAssembly with a small JavaScript API
//! (`check`, `fix`, `explain`, `rules`, `contextFilesWanted`, `dataChecked`) for web tools and
//! editors that want dfharden's findings and rewrites without running the CLI.
//!
//! Everything here is a thin shell over `dfharden_core`: options become one validated
//! [`Settings`] (the type the CLI's configuration and the web page build), and results are the
//! CLI's JSON records ([`FileReport`], [`AttributedHunk`], [`JsonRule`]) serialized by their own
//! serde derives and handed to `JSON.parse`. A test (integrations/npm/test) holds the package to
//! the CLI: the same file gives the same findings and the same rewrite.
//!
//! The TypeScript types are declared below, beside the functions, and wasm-bindgen writes them
//! into the package's `.d.ts`.

use std::collections::{BTreeMap, BTreeSet};

use dfharden_core::fix::AppliedFix;
use dfharden_core::knowledge::{staleness, Date, DATA_CHECKED};
use dfharden_core::render::{attributed_hunks, unified_diff, AttributedHunk, FileReport, JsonRule, JsonRules};
use dfharden_core::rules::{find_rule, Category};
use dfharden_core::settings::{BuildContext, Profile, UserSettings};
use dfharden_core::{Applicability, DigestTable, Settings, ALL_RULES};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** What `check` and `fix` may be told; every field is optional. Names are those of
 * `dfharden.toml` with `_` for `-`. An unknown field, an unsafe user or a `select` that matches
 * no rule throws. */
export interface Options {
  /** Rules to run: codes (`DH101`), prefixes (`DH1`), names, categories, other tools' ids
   * (`DL3002`) or `ALL`. Default: every stable rule outside the `style` category. */
  select?: string[];
  /** Rules to run besides the selected ones: `["style"]` adds the rules that are off by default. */
  extend_select?: string[];
  /** Rules not to run (same forms); wins over `select`. */
  ignore?: string[];
  /** `strict` (default): safe and unsafe fixes, the structural rewrite; `basic`: safe fixes only. */
  profile?: "basic" | "strict";
  /** Whether unsafe fixes are applied; unset follows the profile. */
  unsafe_fixes?: boolean;
  /** The non-root account the hardened image runs as (default `nonroot`, uid 65532). */
  user?: { name?: string; uid?: number; force?: boolean };
  trusted_registries?: string[];
  /** Image reference (`python:3.13-slim`) to digest (`sha256:...`): pins are written only from here. */
  digests?: Record<string, string>;
  /** The day end-of-life questions are answered for, `YYYY-MM-DD`; default: today by the host's clock. */
  today?: string;
  /** Files of the build context (paths relative to its root) that show how the image starts:
   * see `contextFilesWanted`. `read: true` says the whole context was looked at, so a file
   * missing here is really absent. */
  context?: { files?: Record<string, string>; read?: boolean };
  /** `fix` only: rewrite even a file BuildKit would refuse. */
  force?: boolean;
}

/** A position, as in the CLI's JSON report: lines and columns 1-based, ends exclusive;
 * `column_utf16` counts UTF-16 code units (what JavaScript strings index). */
export interface Location {
  line: number; column: number; column_utf16: number;
  end_line: number; end_column: number; end_column_utf16: number;
  offset: number; end_offset: number;
}

export type Severity = "info" | "warning" | "error";
export type Category =
  "privilege" | "supply-chain" | "hygiene" | "secrets" | "runtime" | "structure" | "correctness" | "style" | "pinning";
export type Applicability = "display-only" | "unsafe" | "safe";

export interface Edit { location: Location; content: string }
export interface Fix { title: string; applicability: Applicability; edits: Edit[] }

export interface Finding {
  code: string; name: string; severity: Severity; category: Category;
  message: string; location: Location; fix: Fix | null;
}

export interface SyntaxError { severity: "warning" | "error"; message: string; location: Location }

/** The findings for one text: one entry of `files` in `dfharden check --format json`. */
export interface Report { path: string; syntax_errors: SyntaxError[]; findings: Finding[] }

export interface AppliedFix {
  code: string; name: string; category: Category; message: string; title: string;
  applicability: Applicability; round: number;
}

/** One hunk of the rewrite and the rules behind it. */
export interface Hunk {
  old_start: number; old_lines: number; new_start: number; new_lines: number;
  /** The hunk in unified format, header included. */
  text: string;
  codes: string[];
}

export interface FixResult {
  /** The rewritten Dockerfile. */
  output: string;
  changed: boolean;
  applied: AppliedFix[];
  hunks: Hunk[];
  /** The whole change as a unified diff (`a/Dockerfile`, `b/Dockerfile`). */
  diff: string;
  /** What is left in the output: every finding a fix could not remove, declines with their reasons. */
  remaining: Report;
}

export interface Rule {
  code: string; name: string; category: Category; severity: Severity;
  fix: "none" | "sometimes" | "always"; status: "stable" | "preview" | "removed";
  summary: string;
  /** The same check in other tools (`{ tool: "hadolint", id: "DL3002" }`). */
  aliases: { tool: string; id: string }[];
  /** Markdown: What it does / Why is this bad? / Example / Use instead / Fix safety / References. */
  explanation: string;
}

/** Checks a Dockerfile: its syntax errors and findings, in source order, each with its
 * position and, where one exists, its fix. (Declared here, not by wasm-bindgen, so that
 * `options` can be left out.) */
export function check(source: string, options?: Options): Report;

/** Rewrites a Dockerfile as `dfharden fix` does. A file BuildKit would refuse throws an
 * `Error` with its `syntax_errors`, unless `options.force`. */
export function fix(source: string, options?: Options): FixResult;

/** When dfharden's image data (end-of-life dates, final images) was checked against its
 * publishers, and a notice when that is more than six months before `today`. */
export interface DataAge { checked: string; notice: string | null }
"#;

/// `Options` as JavaScript hands them over. Field names follow `dfharden.toml` (with `_`), so a
/// configuration reads the same in both places.
#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Options {
    select: Vec<String>,
    extend_select: Vec<String>,
    ignore: Vec<String>,
    profile: Option<Profile>,
    unsafe_fixes: Option<bool>,
    user: Option<UserOptions>,
    trusted_registries: Option<Vec<String>>,
    digests: BTreeMap<String, String>,
    today: Option<String>,
    context: ContextOptions,
    force: bool,
}

#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct UserOptions {
    name: Option<String>,
    uid: Option<u32>,
    force: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ContextOptions {
    files: BTreeMap<String, String>,
    read: bool,
}

/// The options as settings, or every problem with them in one message (each names its field).
fn settings(options: Option<&js_sys::Object>) -> Result<(Settings, bool), JsError> {
    let options: Options = match options {
        None => Options::default(),
        Some(options) => {
            let text: String = js_sys::JSON::stringify(options)
                .map_err(|_| JsError::new("dfharden: options must be a plain object"))?
                .into();
            serde_json::from_str(&text).map_err(|e| JsError::new(&format!("dfharden: options: {e}")))?
        }
    };
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    settings.select = options.select;
    settings.extend_select = options.extend_select;
    settings.ignore = options.ignore;
    settings.profile = options.profile.unwrap_or_default();
    settings.unsafe_fixes = options.unsafe_fixes;
    if let Some(user) = options.user {
        let default = UserSettings::default();
        settings.user = UserSettings {
            name: user.name.unwrap_or(default.name),
            uid: user.uid.unwrap_or(default.uid),
            force: user.force.unwrap_or(default.force),
        };
    }
    if let Some(registries) = options.trusted_registries {
        settings.trusted_registries = registries;
    }
    let mut digests = DigestTable::new();
    for (reference, digest) in &options.digests {
        if let Err(e) = digests.insert(reference, digest) {
            problems.push(format!("digests[\"{reference}\"]: {e}"));
        }
    }
    settings.digests = digests;
    settings.today = match options.today.as_deref() {
        Some(text) => match Date::parse(text) {
            Some(date) => Some(date),
            None => {
                problems.push(format!("today: `{text}` is not a date (YYYY-MM-DD)"));
                None
            }
        },
        None => Some(host_today()),
    };
    settings.context = BuildContext { files: options.context.files, binaries: BTreeSet::new(), read: options.context.read };
    problems.extend(settings.problems());
    if !problems.is_empty() {
        return Err(JsError::new(&format!("dfharden: {}", problems.join("; "))));
    }
    Ok((settings, options.force))
}

/// Today by the host's clock, in its time zone (as the CLI reads the system clock).
fn host_today() -> Date {
    #[cfg(target_arch = "wasm32")]
    {
        let now = js_sys::Date::new_0();
        Date::ymd(now.get_full_year() as u16, now.get_month() as u8 + 1, now.get_date() as u8)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        DATA_CHECKED
    }
}

/// A serializable value as a JavaScript object (through JSON text: the shapes are the CLI's).
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("dfharden: result is not JSON"))
}

/// The path results name; the CLI names standard input the same way.
const PATH: &str = "Dockerfile";

/// Checks a Dockerfile: its syntax errors and findings, in source order, each with its
/// position and, where one exists, its fix.
#[wasm_bindgen(skip_typescript)]
pub fn check(source: &str, options: Option<js_sys::Object>) -> Result<JsValue, JsError> {
    let (settings, _) = settings(options.as_ref())?;
    let report = dfharden_core::check(source, &settings);
    to_js(&FileReport::new(PATH, source, &report.syntax_errors, &report.findings))
}

#[derive(Serialize)]
struct FixResult<'a> {
    output: &'a str,
    changed: bool,
    applied: Vec<AppliedFixRecord<'a>>,
    hunks: Vec<HunkRecord<'a>>,
    diff: String,
    remaining: FileReport,
}

/// [`AppliedFix`] without its byte ranges in the output (UTF-8 offsets mean nothing to a
/// JavaScript string; the hunks say where the changes are).
#[derive(Serialize)]
struct AppliedFixRecord<'a> {
    code: &'static str,
    name: &'static str,
    category: Category,
    message: &'a str,
    title: &'a str,
    applicability: Applicability,
    round: usize,
}

impl<'a> From<&'a AppliedFix> for AppliedFixRecord<'a> {
    fn from(fix: &'a AppliedFix) -> Self {
        AppliedFixRecord {
            code: fix.code,
            name: fix.name,
            category: fix.category,
            message: &fix.message,
            title: &fix.title,
            applicability: fix.applicability,
            round: fix.round,
        }
    }
}

#[derive(Serialize)]
struct HunkRecord<'a> {
    old_start: usize,
    old_lines: usize,
    new_start: usize,
    new_lines: usize,
    text: &'a str,
    codes: &'a [&'static str],
}

impl<'a> From<&'a AttributedHunk> for HunkRecord<'a> {
    fn from(hunk: &'a AttributedHunk) -> Self {
        HunkRecord {
            old_start: hunk.old_start,
            old_lines: hunk.old_lines,
            new_start: hunk.new_start,
            new_lines: hunk.new_lines,
            text: &hunk.text,
            codes: &hunk.codes,
        }
    }
}

/// Rewrites a Dockerfile as `dfharden fix` does. A file BuildKit would refuse throws (with
/// its `syntax_errors`) unless `options.force`.
#[wasm_bindgen(skip_typescript)]
pub fn fix(source: &str, options: Option<js_sys::Object>) -> Result<JsValue, JsValue> {
    let (settings, force) = settings(options.as_ref()).map_err(JsValue::from)?;
    let outcome = match dfharden_core::fix_checked(source, &settings, force) {
        Ok(outcome) => outcome,
        Err(errors) => {
            let report = FileReport::new(PATH, source, &errors, &[]);
            let first = report.syntax_errors.first().map(|e| format!("{}:{}: {}", e.location.line, e.location.column, e.message));
            let error = js_sys::Error::new(&format!(
                "dfharden: {PATH}:{} (BuildKit would refuse this file; pass force: true to rewrite it anyway)",
                first.unwrap_or_default()
            ));
            let syntax_errors = to_js(&report.syntax_errors).map_err(JsValue::from)?;
            js_sys::Reflect::set(&error, &"syntax_errors".into(), &syntax_errors)?;
            return Err(error.into());
        }
    };
    let hunks = attributed_hunks(source, &outcome);
    let remaining = dfharden_core::check(&outcome.output, &settings);
    let result = FixResult {
        output: &outcome.output,
        changed: outcome.output != source,
        applied: outcome.applied.iter().map(AppliedFixRecord::from).collect(),
        hunks: hunks.iter().map(HunkRecord::from).collect(),
        diff: unified_diff(source, &outcome.output, PATH),
        remaining: FileReport::new(PATH, &outcome.output, &remaining.syntax_errors, &remaining.findings),
    };
    to_js(&result).map_err(JsValue::from)
}

/// The rule a code (`DH101`), a name or another tool's id (`DL3002`) means, with its
/// explanation; `undefined` when there is none.
#[wasm_bindgen(unchecked_return_type = "Rule | undefined")]
pub fn explain(rule: &str) -> Result<JsValue, JsError> {
    match find_rule(rule) {
        Some(rule) => to_js(&JsonRule::of(rule)),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// Every rule, in code order (removed ones included, with their status).
#[wasm_bindgen(unchecked_return_type = "Rule[]")]
pub fn rules() -> Result<JsValue, JsError> {
    to_js(&JsonRules::of(ALL_RULES).rules)
}

/// The build-context files (paths relative to the context root) that would show how the
/// image starts: read them and pass them back as `options.context.files`.
#[wasm_bindgen(js_name = contextFilesWanted)]
pub fn context_files_wanted(source: &str) -> Vec<String> {
    dfharden_core::context_files_wanted(source)
}

/// When the image data was checked, and a notice if it is getting old on `today`
/// (`YYYY-MM-DD`, default: the host's today).
#[wasm_bindgen(js_name = dataAge, unchecked_return_type = "DataAge")]
pub fn data_age(today: Option<String>) -> Result<JsValue, JsError> {
    let today = match today {
        Some(text) => Date::parse(&text).ok_or_else(|| JsError::new(&format!("dfharden: `{text}` is not a date (YYYY-MM-DD)")))?,
        None => host_today(),
    };
    #[derive(Serialize)]
    struct DataAge {
        checked: String,
        notice: Option<String>,
    }
    to_js(&DataAge { checked: DATA_CHECKED.to_string(), notice: staleness(today) })
}

/// The version of dfharden this package was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
