//! One-line text forms of a finding: for terminals and for GitHub Actions annotations.

use super::Location;
use crate::fix::Applicability;
use crate::rules::{Finding, Severity};

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// `path:line:col: DH101 [error] message (fix: title)`.
pub fn finding_line(path: &str, location: &Location, finding: &Finding) -> String {
    let fix = match &finding.fix {
        Some(fix) if fix.applicability == Applicability::Safe => format!(" [fix: {}]", fix.title),
        Some(fix) if fix.applicability == Applicability::Unsafe => format!(" [unsafe fix: {}]", fix.title),
        _ => String::new(),
    };
    format!(
        "{path}:{}:{}: {} [{}] {}{fix}",
        location.line,
        location.column,
        finding.code,
        severity_word(finding.severity),
        finding.message
    )
}

/// A GitHub Actions workflow command (`::error file=...::message`).
pub fn github_annotation(path: &str, location: &Location, finding: &Finding) -> String {
    let level = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let escape = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let property = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    format!(
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        property(path),
        location.line,
        location.column,
        location.end_line,
        location.end_column,
        property(&format!("{} {}", finding.code, finding.name)),
        escape(&finding.message)
    )
}
