//! Splicing edits into text, and the loop that applies fixes until nothing changes.

use serde::Serialize;

use super::{Applicability, Candidate, Edit};
use crate::rules::Category;
use crate::settings::Settings;
use crate::syntax::{parse, Parse, Severity, TextRange};

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

/// Where the body of the first unterminated heredoc starts: everything after it is that body.
fn unterminated_heredoc_body(parsed: &crate::syntax::Parse) -> Option<usize> {
    parsed
        .instructions()
        .flat_map(|i| i.heredocs.iter())
        // A terminated heredoc's terminator line holds its (non-empty) name.
        .filter(|h| h.terminator.is_empty())
        .map(|h| h.body.start)
        .min()
}

fn error_count(parsed: &Parse) -> usize {
    parsed.errors.iter().filter(|e| e.severity == Severity::Error).count()
}

/// Edits applied in one round, sorted, with running length changes: moves positions of the
/// old text to the new text in O(log n) each (a file with thousands of fixes stays linear).
struct Shifter<'e> {
    /// Sorted by range; non-overlapping (they come from fixes chosen not to conflict), so
    /// their ends are sorted too.
    edits: Vec<(&'e Edit, TextRange)>,
    /// `delta[k]`: the length change of the first `k` edits.
    delta: Vec<isize>,
}

impl<'e> Shifter<'e> {
    fn new(mut edits: Vec<(&'e Edit, TextRange)>) -> Self {
        edits.sort_by_key(|(e, _)| (e.range.start, e.range.end));
        let mut delta = Vec::with_capacity(edits.len() + 1);
        let mut sum = 0isize;
        delta.push(0);
        for (edit, placed) in &edits {
            sum += placed.len() as isize - edit.range.len() as isize;
            delta.push(sum);
        }
        Shifter { edits, delta }
    }

    /// Moves a position of the old text to the new text. An insertion exactly at the position
    /// comes after it; a position inside a replaced range moves to the end of its replacement.
    fn shift(&self, position: usize) -> usize {
        // The edits that start before the position; of those, the first that reaches past it
        // (if any) contains it.
        let before = self.edits.partition_point(|(e, _)| e.range.start < position);
        let inside = self.edits[..before].partition_point(|(e, _)| e.range.end <= position);
        if inside < before {
            return self.edits[inside].1.end;
        }
        (position as isize + self.delta[before]) as usize
    }
}

/// Applies fixes from `check` until none is left. `check` returns the findings of a parsed
/// text. Each text is parsed once: the parse that proves a round added no syntax error is the
/// one the next round checks.
pub fn fix_text(
    text: &str,
    settings: &Settings,
    check: &dyn Fn(&Parse) -> Vec<crate::rules::Finding>,
) -> FixOutcome {
    fix_parsed(parse(text), settings, check)
}

/// [`fix_text`] for a text already parsed.
pub fn fix_parsed(
    mut parsed: Parse,
    settings: &Settings,
    check: &dyn Fn(&Parse) -> Vec<crate::rules::Finding>,
) -> FixOutcome {
    let allowed = |a: Applicability| match a {
        Applicability::Safe => true,
        Applicability::Unsafe => settings.applies_unsafe_fixes(),
        Applicability::DisplayOnly => false,
    };
    let mut applied: Vec<AppliedFix> = Vec::new();
    let mut dropped: Vec<DroppedFix> = Vec::new();
    let mut rounds = 0;
    let mut converged = false;
    for round in 1..=MAX_ROUNDS {
        let current = parsed.text();
        let swallowed_from = unterminated_heredoc_body(&parsed);
        let mut candidates: Vec<Candidate> = check(&parsed)
            .iter()
            .filter_map(Candidate::from_finding)
            .filter(|c| allowed(c.fix.applicability))
            .filter(|c| !dropped.iter().any(|d| d.code == c.code && d.title == c.fix.title))
            .collect();
        // Text added at or after the body of an unterminated heredoc becomes part of that body:
        // the fix would change nothing the parser sees and be proposed again, round after round.
        if let Some(from) = swallowed_from {
            candidates.retain(|c| {
                let swallowed = c.fix.edits.iter().any(|e| e.range.end >= from);
                if swallowed {
                    dropped.push(DroppedFix {
                        code: c.code,
                        title: c.fix.title.clone(),
                        reason: "the edit would land inside an unterminated heredoc".to_string(),
                    });
                }
                !swallowed
            });
        }
        let selected = select(&candidates);
        if selected.is_empty() {
            converged = true;
            break;
        }
        let base_errors = error_count(&parsed);
        let mut chosen: Vec<&Candidate> = selected;
        let (mut next, mut placed) = splice(current, &chosen);
        let mut next_parsed = parse(&next);
        if error_count(&next_parsed) > base_errors {
            // Find the culprits one at a time and keep the rest.
            let mut keep = Vec::new();
            for candidate in chosen {
                let (alone, _) = splice(current, &[candidate]);
                if error_count(&parse(&alone)) > base_errors {
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
            (next, placed) = splice(current, &chosen);
            next_parsed = parse(&next);
            if error_count(&next_parsed) > base_errors {
                chosen.truncate(1);
                (next, placed) = splice(current, &chosen);
                next_parsed = parse(&next);
            }
        }
        if chosen.is_empty() || next == current {
            converged = chosen.is_empty();
            break;
        }
        // Move what earlier rounds placed to the new text's coordinates.
        let shifter = Shifter::new(
            chosen.iter().flat_map(|c| c.fix.edits.iter()).zip(placed.iter().flatten().copied()).collect(),
        );
        for fix in &mut applied {
            for range in &mut fix.output_ranges {
                let start = shifter.shift(range.start);
                let end = shifter.shift(range.end).max(start);
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
        parsed = next_parsed;
        rounds = round;
    }
    FixOutcome { output: parsed.text().to_string(), applied, dropped, rounds, converged }
}

/// The isolation group of fixes that change the shape of the build (which stage is final).
/// Such a fix goes alone in its round: every other rule must see the new shape before it
/// decides anything, or the result would depend on which edits happen to touch.
pub const STRUCTURE: &str = "structure";

/// Picks the fixes of one round: a structural fix alone if there is one; otherwise, in source
/// order, every fix that does not conflict with one already picked or share its isolation
/// group. O(n log n): the picked edits are kept in a sorted set.
fn select(candidates: &[Candidate]) -> Vec<&Candidate> {
    if let Some(structural) = candidates.iter().find(|c| c.fix.isolation == Some(STRUCTURE) && !c.fix.edits.is_empty()) {
        return vec![structural];
    }
    let mut ordered: Vec<&Candidate> = candidates.iter().collect();
    ordered.sort_by_key(|c| (c.fix.span().start, c.fix.span().end, c.code));
    let mut chosen: Vec<&Candidate> = Vec::new();
    // The edits of the picked fixes by (start, end, after_others). They never overlap (picked
    // fixes do not even touch, and a fix's own edits do not overlap), so sorted by start their
    // ends are sorted too: the last one starting at or before a range's end reaches furthest.
    // The one exception to "do not touch": an insertion marked `after_others` and an unmarked
    // one at the same offset, whose order is settled.
    let mut taken: std::collections::BTreeSet<(usize, usize, bool)> = std::collections::BTreeSet::new();
    let mut groups: std::collections::HashSet<&'static str> = std::collections::HashSet::new();
    for candidate in ordered {
        if candidate.fix.edits.is_empty() {
            continue;
        }
        if candidate.fix.isolation.is_some_and(|g| groups.contains(g)) {
            continue;
        }
        let clash = candidate.fix.edits.iter().any(|b| {
            let mut before = taken.range(..=(b.range.end, usize::MAX, true)).rev();
            match before.next() {
                None => false,
                Some(&(start, end, marked))
                    if b.range.is_empty() && start == end && end == b.range.start && marked != b.after_others =>
                {
                    // Two insertions at one offset in a known order: fine unless something
                    // else touches the offset too.
                    before.next().is_some_and(|&(_, end, _)| end >= b.range.start)
                }
                Some(&(_, end, _)) => end >= b.range.start,
            }
        });
        if !clash {
            taken.extend(candidate.fix.edits.iter().map(|e| (e.range.start, e.range.end, e.after_others)));
            groups.extend(candidate.fix.isolation);
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
    // At one offset, an insertion marked `after_others` comes last.
    edits.sort_by_key(|(_, e)| (e.range.start, e.range.end, e.after_others));
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
        let e2 = Edit::insert(6, "ab");
        let e3 = Edit::delete(TextRange::new(8, 10));
        let shifter = Shifter::new(vec![
            (&e3, TextRange::new(12, 12)),
            (&e1, TextRange::new(2, 8)),
            (&e2, TextRange::new(10, 12)),
        ]);
        assert_eq!(shifter.shift(1), 1);
        assert_eq!(shifter.shift(2), 2);
        assert_eq!(shifter.shift(3), 8);
        assert_eq!(shifter.shift(4), 8);
        assert_eq!(shifter.shift(5), 9);
        // An insertion at the position comes after it.
        assert_eq!(shifter.shift(6), 10);
        assert_eq!(shifter.shift(7), 13);
        assert_eq!(shifter.shift(8), 14);
        assert_eq!(shifter.shift(9), 12);
        assert_eq!(shifter.shift(10), 14);
        assert_eq!(shifter.shift(11), 15);
    }

    #[test]
    fn selects_fixes_that_do_not_touch() {
        use crate::fix::Fix;
        use crate::rules::Category;
        let candidate = |code: &'static str, edits: Vec<Edit>, group: Option<&'static str>| {
            let mut fix = Fix::safe("t", edits);
            fix.isolation = group;
            Candidate { code, name: "n", category: Category::Hygiene, message: String::new(), fix }
        };
        let r = |a, b| TextRange::new(a, b);
        let candidates = [
            candidate("A", vec![Edit::replace(r(0, 2), "x"), Edit::replace(r(20, 22), "x")], None),
            candidate("B", vec![Edit::insert(2, "y")], None), // touches A
            candidate("C", vec![Edit::replace(r(5, 6), "z")], Some("g")),
            candidate("D", vec![Edit::replace(r(8, 9), "z")], Some("g")), // same group as C
            candidate("E", vec![Edit::replace(r(10, 12), "w")], None),
            candidate("F", vec![Edit::replace(r(21, 21), "v")], None), // inside A's second edit
            candidate("G", vec![Edit::replace(r(12, 13), "v")], None), // touches E
            candidate("H", vec![Edit::replace(r(14, 15), "v")], None),
        ];
        let codes: Vec<&str> = select(&candidates).iter().map(|c| c.code).collect();
        assert_eq!(codes, ["A", "C", "E", "H"]);
    }
}
