//! Fixes are byte-range edits on the original text, applied by splicing.
//!
//! The fix loop checks the text, applies every applicable fix that does not overlap one
//! already taken this round, re-parses, and repeats until nothing is left to fix (or
//! [`MAX_ROUNDS`] is reached). A fix that would introduce a parse error is dropped and
//! reported. Untouched bytes are copied through unchanged, so line endings, indentation and
//! comments survive.

mod apply;

use serde::Serialize;

use crate::rules::{Category, Finding};
use crate::syntax::TextRange;

pub use apply::{apply_edits, fix_parsed, fix_text, AppliedFix, DroppedFix, FixOutcome, MAX_ROUNDS, STRUCTURE};

/// Replace `range` of the text with `content` (an insertion when the range is empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
    /// For an insertion: it goes after any other fix's insertion at the same offset (see
    /// [`Edit::after_others`]).
    #[serde(skip)]
    pub after_others: bool,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Edit {
        Edit { range, content: content.into(), after_others: false }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit { range: TextRange::empty(at), content: content.into(), after_others: false }
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit { range, content: String::new(), after_others: false }
    }

    /// Marks an insertion that must come after whatever other fixes insert at the same offset,
    /// such as the `USER` switch, which must follow the steps that still need root. Two
    /// insertions at one offset normally wait for separate rounds (their order would be a
    /// guess); when exactly one of them is marked, their order is known and they share a round.
    pub fn after_others(mut self) -> Edit {
        self.after_others = self.range.is_empty();
        self
    }
}

/// How safe it is to apply a fix without a person reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown as a suggestion, never applied.
    DisplayOnly,
    /// May change what the image does (a different user, no shell); applied in the strict
    /// profile or with `--unsafe-fixes`.
    Unsafe,
    /// Keeps what the image does; always applied by `fix`.
    Safe,
}

/// A set of edits that together fix one finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the edit does, for people ("Add `--no-cache`").
    pub title: String,
    /// Sorted, non-overlapping.
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
    /// Fixes of the same group are never applied in the same round (structural rewrites that
    /// must see each other's result).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isolation: Option<&'static str>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Fix { title: title.into(), edits, applicability, isolation: None }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_edit(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Unsafe, edits)
    }

    pub fn isolated(mut self, group: &'static str) -> Fix {
        self.isolation = Some(group);
        self
    }

    /// The smallest range covering all edits.
    pub fn span(&self) -> TextRange {
        let start = self.edits.first().map_or(0, |e| e.range.start);
        let end = self.edits.iter().map(|e| e.range.end).max().unwrap_or(start);
        TextRange::new(start, end)
    }
}

/// A fix together with the rule that proposed it.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub message: String,
    pub fix: Fix,
}

impl Candidate {
    pub fn from_finding(finding: &Finding) -> Option<Candidate> {
        let fix = finding.fix.clone()?;
        Some(Candidate {
            code: finding.code,
            name: finding.name,
            category: finding.category,
            message: finding.message.clone(),
            fix,
        })
    }
}
