//! The JSON report: a versioned shape for tools.

use serde::Serialize;

use super::Location;
use crate::fix::{Applicability, Fix};
use crate::rules::{Category, Finding, Rule, RuleMeta, Severity};
use crate::syntax::{LineIndex, SyntaxError};

/// Bumped when the shape changes incompatibly.
pub const JSON_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct JsonReport {
    pub version: u32,
    pub tool: &'static str,
    pub tool_version: &'static str,
    pub files: Vec<FileReport>,
}

#[derive(Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    pub syntax_errors: Vec<JsonSyntaxError>,
    pub findings: Vec<JsonFinding>,
}

#[derive(Debug, Serialize)]
pub struct JsonSyntaxError {
    pub severity: crate::syntax::Severity,
    pub message: String,
    pub location: Location,
}

#[derive(Debug, Serialize)]
pub struct JsonFinding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub message: String,
    pub location: Location,
    pub fix: Option<JsonFix>,
}

#[derive(Debug, Serialize)]
pub struct JsonFix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<JsonEdit>,
}

#[derive(Debug, Serialize)]
pub struct JsonEdit {
    pub location: Location,
    pub content: String,
}

impl FileReport {
    pub fn new(path: &str, text: &str, syntax_errors: &[SyntaxError], findings: &[Finding]) -> FileReport {
        let index = LineIndex::new(text);
        let fix_json = |fix: &Fix| JsonFix {
            title: fix.title.clone(),
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit { location: Location::of(text, &index, e.range), content: e.content.clone() })
                .collect(),
        };
        FileReport {
            path: path.to_string(),
            syntax_errors: syntax_errors
                .iter()
                .map(|e| JsonSyntaxError {
                    severity: e.severity,
                    message: e.message.clone(),
                    location: Location::of(text, &index, e.range),
                })
                .collect(),
            findings: findings
                .iter()
                .map(|f| JsonFinding {
                    code: f.code,
                    name: f.name,
                    severity: f.severity,
                    category: f.category,
                    message: f.message.clone(),
                    location: Location::of(text, &index, f.range),
                    fix: f.fix.as_ref().map(fix_json),
                })
                .collect(),
        }
    }
}

impl JsonReport {
    pub fn new(files: Vec<FileReport>) -> JsonReport {
        JsonReport { version: JSON_VERSION, tool: "dfharden", tool_version: env!("CARGO_PKG_VERSION"), files }
    }
}

/// One rule as tools read it: `dfharden rules --format json` lists these, the npm package's
/// `explain` and `rules` return them. The rule's metadata as it serializes, and its explanation.
#[derive(Debug, Serialize)]
pub struct JsonRule {
    #[serde(flatten)]
    pub meta: &'static RuleMeta,
    /// The explanation in Markdown (What it does / Why is this bad? / Example / ...).
    pub explanation: String,
}

impl JsonRule {
    pub fn of(rule: &Rule) -> JsonRule {
        JsonRule { meta: rule.meta, explanation: rule.meta.explanation() }
    }
}

/// The rule catalogue document: `{"version": 1, "rules": [...]}`.
#[derive(Debug, Serialize)]
pub struct JsonRules {
    pub version: u32,
    pub rules: Vec<JsonRule>,
}

impl JsonRules {
    pub fn of(rules: &[Rule]) -> JsonRules {
        JsonRules { version: JSON_VERSION, rules: rules.iter().map(JsonRule::of).collect() }
    }
}
