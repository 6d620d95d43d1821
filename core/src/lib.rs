//! dfharden-core: reads a Dockerfile, finds what makes its image unsafe, and rewrites it.
//!
//! This crate is pure: no files, network, clock or terminal. It compiles unchanged to
//! WebAssembly, so the command line and the web page share every decision it makes.
//! Dependencies between modules point one way: `syntax` → `model` → `rules` → `fix` →
//! `harden` → `render`.
//!
//! The façade is two functions with plain-data results:
//!
//! ```
//! use dfharden_core::{check, fix, Settings};
//!
//! let text = "FROM alpine:3.20\nRUN apk add curl\n";
//! let report = check(text, &Settings::default());
//! assert!(report.findings.iter().any(|f| f.code == "DH305"));
//! let fixed = fix(text, &Settings::default());
//! assert!(fixed.output.contains("apk add --no-cache curl"));
//! ```

pub mod digests;
pub mod fix;
pub mod harden;
pub mod knowledge;
pub mod model;
pub mod render;
pub mod rules;
pub mod settings;
pub mod syntax;

use serde::Serialize;

pub use digests::DigestTable;
pub use fix::{Applicability, Edit, Fix, FixOutcome};
pub use rules::{Finding, RuleMeta, ALL_RULES};
pub use settings::{Profile, Settings};

use model::Dockerfile;
use rules::Context;
use syntax::{parse, Parse, SyntaxError};

/// The findings for one text.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Parse problems (errors: BuildKit would refuse the file).
    pub syntax_errors: Vec<SyntaxError>,
    pub findings: Vec<Finding>,
}

/// Checks a Dockerfile: parse problems and rule findings, in source order.
pub fn check(text: &str, settings: &Settings) -> Report {
    let parsed = parse(text);
    let findings = findings(&parsed, settings);
    // An empty continuation line is reported by its rule (DH710), with a fix, or not at all
    // when the user turned the rule off: not twice.
    let syntax_errors = parsed.errors.into_iter().filter(|e| e.message != syntax::EMPTY_CONTINUATION_LINE).collect();
    Report {
        syntax_errors,
        findings,
    }
}

/// The rule findings for a parsed text.
fn findings(parsed: &Parse, settings: &Settings) -> Vec<Finding> {
    let model = Dockerfile::new(parsed);
    let context = Context::new(parsed, &model, settings);
    rules::run_rules(&context)
}

/// Rewrites a Dockerfile: applies every fix the settings allow, round after round, until
/// nothing is left to fix.
pub fn fix(text: &str, settings: &Settings) -> FixOutcome {
    fix::fix_text(text, settings, &|parsed| findings(parsed, settings))
}

/// Like [`fix`], but refuses a file BuildKit would refuse (syntax errors), unless `force`:
/// rewriting a file whose structure is not what its author meant could make things worse.
/// The CLI (`--force`) and the web page share this decision.
pub fn fix_checked(
    text: &str,
    settings: &Settings,
    force: bool,
) -> Result<FixOutcome, Vec<SyntaxError>> {
    let parsed = parse(text);
    let errors: Vec<SyntaxError> = parsed
        .errors
        .iter()
        .filter(|e| e.severity == syntax::Severity::Error)
        .cloned()
        .collect();
    if !force && !errors.is_empty() {
        return Err(errors);
    }
    Ok(fix::fix_parsed(parsed, settings, &|parsed| {
        findings(parsed, settings)
    }))
}

/// The build-context files (paths relative to the context root) that would show how the
/// final image starts: the CLI reads them and passes them back in [`Settings::context`].
pub fn context_files_wanted(text: &str) -> Vec<String> {
    let parsed = parse(text);
    let model = Dockerfile::new(&parsed);
    let settings = Settings::default();
    let context = Context::new(&parsed, &model, &settings);
    harden::start::context_files_wanted(&context)
}
