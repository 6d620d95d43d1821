//! Splicing edits into text, and the loop that applies fixes until nothing changes.

use serde::Serialize;

use super::{Applicability, Candidate, Edit};
use crate::rules::Category;
use crate::settings::Settings;
use crate::syntax::{parse, Severity, TextRange};

/// Upper bound on fix rounds; reaching it means some fix keeps re-triggering itself.
pub const MAX_ROUNDS: usize = 20;

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppliedFix {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub message: String,
    pub title: String,
    pub applicability: Applicability,
    /// 1-based fix round.
    pub round: usize,
    /// Where the fix's text is in the final output (empty ranges for deletions).
    pub output_ranges: Vec<TextRange>,
}

/// A fix that was not applied because it would have broken the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DroppedFix {
    pub code: &'static str,
    pub title: String,
    pub reason: String,
}

/// The result of fixing a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FixOutcome {
    pub output: String,
    pub applied: Vec<AppliedFix>,
    pub dropped: Vec<DroppedFix>,
    /// Rounds that applied something.
    pub rounds: usize,
    /// Whether the loop ended because nothing was left to fix.
    pub converged: bool,
}

/// Splices sorted, non-overlapping edits into `text`. Also returns, for each edit, where its
/// content lands in the output.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> (String, Vec<TextRange>) {
    let mut out = String::with_capacity(text.len() + edits.iter().map(|e| e.content.len()).sum::<usize>());
    let mut placed = Vec::with_capacity(edits.len());
    let mut last = 0;
    for edit in edits {
        debug_assert!(edit.range.start >= last, "edits overlap or are unsorted");
        out.push_str(&text[last..edit.range.start]);
        let start = out.len();
        out.push_str(&edit.content);
        placed.push(TextRange::new(start, out.len()));
        last = edit.range.end;
    }
    out.push_str(&text[last..]);
    (out, placed)
}

/// Two edits conflict when they overlap or touch: their order would be ambiguous.
fn conflicts(a: &Edit, b: &Edit) -> bool {
    a.range.start <= b.range.end && b.range.start <= a.range.end
}

fn error_count(text: &str) -> usize {
    parse(text).errors.iter().filter(|e| e.severity == Severity::Error).count()
}

/// Moves a position of the old text to the new text, given the edits applied between them.
fn shift(position: usize, edits: &[(&Edit, TextRange)]) -> usize {
    let mut delta: isize = 0;
    for (edit, placed) in edits {
        if edit.range.end <= position && !(edit.range.is_empty() && edit.range.start == position) {
            delta += placed.len() as isize - edit.range.len() as isize;
        } else if edit.range.start < position {
            // Inside a replaced range: the end of its replacement.
            return placed.end;
        } else {
            break;
        }
    }
    (position as isize + delta) as usize
}

/// Applies fixes from `check` until none is left. `check` returns the findings of a text.
pub fn fix_text(
    text: &str,
    settings: &Settings,
    check: &dyn Fn(&str) -> Vec<crate::rules::Finding>,
) -> FixOutcome {
    let allowed = |a: Applicability| match a {
        Applicability::Safe => true,
        Applicability::Unsafe => settings.applies_unsafe_fixes(),
        Applicability::DisplayOnly => false,
    };
    let mut current = text.to_string();
    let mut applied: Vec<AppliedFix> = Vec::new();
    let mut dropped: Vec<DroppedFix> = Vec::new();
    let mut rounds = 0;
    let mut converged = false;
    for round in 1..=MAX_ROUNDS {
        let candidates: Vec<Candidate> = check(&current)
            .iter()
            .filter_map(Candidate::from_finding)
            .filter(|c| allowed(c.fix.applicability))
            .filter(|c| !dropped.iter().any(|d| d.code == c.code && d.title == c.fix.title))
            .collect();
        let selected = select(&candidates);
        if selected.is_empty() {
            converged = true;
            break;
        }
        let base_errors = error_count(&current);
        let mut chosen: Vec<&Candidate> = selected;
        let (mut next, mut placed) = splice(&current, &chosen);
        if error_count(&next) > base_errors {
            // Find the culprits one at a time and keep the rest.
            let mut keep = Vec::new();
            for candidate in chosen {
                let (alone, _) = splice(&current, &[candidate]);
                if error_count(&alone) > base_errors {
                    dropped.push(DroppedFix {
                        code: candidate.code,
                        title: candidate.fix.title.clone(),
                        reason: "the edit would introduce a parse error".to_string(),
                    });
                } else {
                    keep.push(candidate);
                }
            }
            chosen = keep;
            (next, placed) = splice(&current, &chosen);
            if error_count(&next) > base_errors {
                chosen.truncate(1);
                (next, placed) = splice(&current, &chosen);
            }
        }
        if chosen.is_empty() || next == current {
            converged = chosen.is_empty();
            break;
        }
        // Move what earlier rounds placed to the new text's coordinates.
        let mut all_edits: Vec<(&Edit, TextRange)> = chosen
            .iter()
            .flat_map(|c| c.fix.edits.iter())
            .zip(placed.iter().flatten().copied())
            .collect();
        all_edits.sort_by_key(|(e, _)| (e.range.start, e.range.end));
        for fix in &mut applied {
            for range in &mut fix.output_ranges {
                let start = shift(range.start, &all_edits);
                let end = shift(range.end, &all_edits).max(start);
                *range = TextRange::new(start, end);
            }
        }
        for (candidate, ranges) in chosen.iter().zip(placed) {
            applied.push(AppliedFix {
                code: candidate.code,
                name: candidate.name,
                category: candidate.category,
                message: candidate.message.clone(),
                title: candidate.fix.title.clone(),
                applicability: candidate.fix.applicability,
                round,
                output_ranges: ranges,
            });
        }
        current = next;
        rounds = round;
    }
    FixOutcome { output: current, applied, dropped, rounds, converged }
}

/// The isolation group of fixes that change the shape of the build (which stage is final).
/// Such a fix goes alone in its round: every other rule must see the new shape before it
/// decides anything, or the result would depend on which edits happen to touch.
pub const STRUCTURE: &str = "structure";

/// Picks the fixes of one round: a structural fix alone if there is one; otherwise, in source
/// order, every fix that does not conflict with one already picked or share its isolation
/// group.
fn select(candidates: &[Candidate]) -> Vec<&Candidate> {
    if let Some(structural) = candidates.iter().find(|c| c.fix.isolation == Some(STRUCTURE) && !c.fix.edits.is_empty()) {
        return vec![structural];
    }
    let mut ordered: Vec<&Candidate> = candidates.iter().collect();
    ordered.sort_by_key(|c| (c.fix.span().start, c.fix.span().end, c.code));
    let mut chosen: Vec<&Candidate> = Vec::new();
    for candidate in ordered {
        if candidate.fix.edits.is_empty() {
            continue;
        }
        let clash = chosen.iter().any(|taken| {
            (candidate.fix.isolation.is_some() && taken.fix.isolation == candidate.fix.isolation)
                || taken.fix.edits.iter().any(|a| candidate.fix.edits.iter().any(|b| conflicts(a, b)))
        });
        if !clash {
            chosen.push(candidate);
        }
    }
    chosen
}

/// Applies the chosen fixes together; returns the text and, per fix, where its edits landed.
fn splice(text: &str, chosen: &[&Candidate]) -> (String, Vec<Vec<TextRange>>) {
    let mut edits: Vec<(usize, &Edit)> = chosen
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.fix.edits.iter().map(move |e| (i, e)))
        .collect();
    edits.sort_by_key(|(_, e)| (e.range.start, e.range.end));
    let (out, placed) = apply_edits(text, &edits.iter().map(|(_, e)| *e).collect::<Vec<_>>());
    let mut per_fix = vec![Vec::new(); chosen.len()];
    for ((owner, _), range) in edits.iter().zip(placed) {
        per_fix[*owner].push(range);
    }
    (out, per_fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_and_reports_positions() {
        let text = "abcdef";
        let edits = [Edit::replace(TextRange::new(1, 3), "XYZ"), Edit::insert(6, "!")];
        let (out, placed) = apply_edits(text, &edits.iter().collect::<Vec<_>>());
        assert_eq!(out, "aXYZdef!");
        assert_eq!(placed, [TextRange::new(1, 4), TextRange::new(7, 8)]);
    }

    #[test]
    fn shifts_positions_through_edits() {
        let e1 = Edit::replace(TextRange::new(2, 4), "LONGER");
        let edits = [(&e1, TextRange::new(2, 8))];
        assert_eq!(shift(1, &edits), 1);
        assert_eq!(shift(5, &edits), 9);
        assert_eq!(shift(3, &edits), 8);
    }
}
