//! Inline suppressions written in the Dockerfile.
//!
//! - `# dfharden: ignore=DH101,DH301` (or `# dfharden: ignore` for every rule) in the comment
//!   block right above an instruction silences those rules for that instruction.
//! - `# dfharden: ignore-file=DH202` (or `# dfharden: ignore-file`) anywhere silences them for
//!   the whole file.
//! - hadolint's `# hadolint ignore=DL3008` and `# hadolint global ignore=DL3008` are honoured
//!   for rules that have a hadolint equivalent, so existing files keep working.
//! - BuildKit's parser directive `# check=skip=StageNameCasing,FromAsCasing` (or `skip=all`)
//!   silences the rules that claim those build checks, and `error=true` makes their findings
//!   errors, as it fails `docker build`.

use std::collections::HashSet;

use super::{Finding, Tool, ALL_RULES};
use crate::model::Dockerfile;
use crate::syntax::{Item, Parse, TextRange};

/// A set of rule codes, or every rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct CodeSet {
    all: bool,
    codes: HashSet<String>,
}

impl CodeSet {
    fn contains(&self, code: &str) -> bool {
        self.all || self.codes.contains(code)
    }

    fn extend(&mut self, other: CodeSet) {
        self.all |= other.all;
        self.codes.extend(other.codes);
    }
}

/// The suppressions of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    file: CodeSet,
    /// Instruction range → codes suppressed for it.
    instructions: Vec<(TextRange, CodeSet)>,
    /// `# check=error=true`: findings of rules that claim a BuildKit check are errors.
    pub buildkit_checks_are_errors: bool,
}

impl Suppressions {
    pub fn read(parse: &Parse, _model: &Dockerfile<'_>) -> Suppressions {
        let text = parse.text();
        let mut result = Suppressions::default();
        let mut pending = CodeSet::default();
        for item in &parse.items {
            match item {
                Item::Comment(comment) => {
                    let body = comment.text_range.slice(text).trim();
                    match read_comment(body) {
                        Some((Scope::File, codes)) => result.file.extend(codes),
                        Some((Scope::Next, codes)) => pending.extend(codes),
                        None => {}
                    }
                }
                Item::Instruction(instruction) => {
                    let codes = std::mem::take(&mut pending);
                    if codes.all || !codes.codes.is_empty() {
                        result.instructions.push((instruction.range, codes));
                    }
                }
                Item::Directive(directive) if directive.name == "check" => {
                    let (skipped, error) = read_check_directive(&directive.value);
                    result.file.extend(skipped);
                    result.buildkit_checks_are_errors |= error;
                    pending = CodeSet::default();
                }
                // A blank line or directive ends the comment block above an instruction.
                Item::Blank { .. } | Item::Directive(_) => pending = CodeSet::default(),
            }
        }
        result
    }

    pub fn suppresses(&self, finding: &Finding) -> bool {
        if self.file.contains(finding.code) {
            return true;
        }
        // Instructions are in source order and do not overlap: only the last one that starts
        // at or before the finding can hold it (a binary search keeps many suppressions linear).
        let at = finding.range.start;
        let after = self.instructions.partition_point(|(range, _)| range.start <= at);
        after.checked_sub(1).is_some_and(|i| {
            let (range, codes) = &self.instructions[i];
            at < range.end.max(range.start + 1) && codes.contains(finding.code)
        })
    }
}

/// BuildKit's `check` directive: `skip=Name,Name` (or `skip=all`) and `error=true`, separated
/// by `;`. The skipped checks become the codes of the rules that claim them; `all` means every
/// rule that claims a BuildKit check (BuildKit cannot skip what it does not check).
fn read_check_directive(value: &str) -> (CodeSet, bool) {
    let mut skipped = CodeSet::default();
    let mut error = false;
    for part in value.split(';') {
        let Some((key, value)) = part.split_once('=') else { continue };
        match key.trim().to_ascii_lowercase().as_str() {
            "skip" => {
                let names: Vec<&str> = value.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
                let all = names.iter().any(|n| n.eq_ignore_ascii_case("all"));
                skipped.codes.extend(codes_claiming(Tool::Buildkit, |id| all || names.iter().any(|n| n.eq_ignore_ascii_case(id))));
            }
            "error" => error = value.trim().eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    (skipped, error)
}

/// The codes of the rules that claim one of `tool`'s checks, chosen by its id.
fn codes_claiming(tool: Tool, chosen: impl Fn(&str) -> bool) -> impl Iterator<Item = String> {
    ALL_RULES.iter().filter(move |r| r.meta.alias(tool).any(&chosen)).map(|r| r.meta.code.to_string())
}

enum Scope {
    File,
    Next,
}

/// Reads one comment's text (after `#`).
fn read_comment(body: &str) -> Option<(Scope, CodeSet)> {
    if let Some(rest) = body.strip_prefix("dfharden:") {
        let rest = rest.trim();
        let (scope, list) = if let Some(list) = rest.strip_prefix("ignore-file") {
            (Scope::File, list)
        } else if let Some(list) = rest.strip_prefix("ignore") {
            (Scope::Next, list)
        } else {
            return None;
        };
        let list = list.trim();
        if list.is_empty() {
            return Some((scope, CodeSet { all: true, codes: HashSet::new() }));
        }
        let list = list.strip_prefix('=')?;
        let codes = list.split(',').map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty()).collect();
        return Some((scope, CodeSet { all: false, codes }));
    }
    if let Some(rest) = body.strip_prefix("hadolint") {
        let rest = rest.trim();
        let (scope, rest) = match rest.strip_prefix("global") {
            Some(r) => (Scope::File, r.trim()),
            None => (Scope::Next, rest),
        };
        let list = rest.strip_prefix("ignore")?.trim().strip_prefix('=')?;
        let hadolint: Vec<String> = list.split(',').map(|c| c.trim().to_ascii_uppercase()).collect();
        let codes = codes_claiming(Tool::Hadolint, |id| hadolint.iter().any(|h| h == id)).collect();
        return Some((scope, CodeSet { all: false, codes }));
    }
    None
}
