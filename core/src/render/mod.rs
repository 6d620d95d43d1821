//! Turning findings and fixes into what people and tools read: unified diffs whose hunks name
//! the rules behind them, text, JSON and SARIF documents, and rule explanations.
//!
//! Lines and columns are computed here and nowhere else; columns come both in Unicode scalar
//! values and in UTF-16 code units (what a browser's text area counts).
//!
//! Documents are plain structs that derive `Serialize`; the CLI writes them with serde_json and
//! the web page reads them directly, so both show the same thing.

mod diff;
mod explain;
mod json;
mod location;
mod sarif;
mod text;

pub use diff::{attributed_hunks, unified_diff, AttributedHunk};
pub use explain::{rule_markdown, rules_table};
pub use json::{FileReport, JsonFinding, JsonReport, JsonRule, JsonRules, JSON_VERSION};
pub use location::Location;
pub use sarif::{sarif_log, SarifInput, SarifLog};
pub use text::{finding_line, github_annotation};
