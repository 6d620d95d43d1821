//! Unified diffs (`git apply` accepts them) and the rules behind each hunk.

use serde::Serialize;
use similar::TextDiff;

use crate::fix::FixOutcome;
use crate::syntax::LineIndex;

/// A unified diff from `before` to `after` with `a/` and `b/` headers for `path`.
/// Empty when the texts are equal.
pub fn unified_diff(before: &str, after: &str, path: &str) -> String {
    if before == after {
        return String::new();
    }
    let diff = TextDiff::from_lines(before, after);
    let mut out = String::new();
    out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&hunk.to_string());
    }
    out
}

/// One hunk of the rewrite and the fixes that produced it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttributedHunk {
    /// 1-based first line and line count on each side (as in `@@ -a,b +c,d @@`).
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
    /// The hunk in unified format (header included).
    pub text: String,
    /// Rule codes whose fixes touched the hunk, in order of first appearance.
    pub codes: Vec<&'static str>,
    /// Indexes into `FixOutcome::applied` of those fixes.
    pub fixes: Vec<usize>,
}

/// The hunks of the rewrite from `original` to `outcome.output`, each with the fixes behind
/// it. Every hunk has at least one fix: a change without a reason is a bug (invariant 4).
pub fn attributed_hunks(original: &str, outcome: &FixOutcome) -> Vec<AttributedHunk> {
    let output = &outcome.output;
    let index = LineIndex::new(output);
    let diff = TextDiff::from_lines(original, output.as_str());
    let mut hunks = Vec::new();
    for hunk in diff.unified_diff().context_radius(0).iter_hunks() {
        let ops = hunk.ops();
        let (Some(first), Some(last)) = (ops.first(), ops.last()) else { continue };
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        // The hunk's extent in the output, in bytes (an empty span at its position when it
        // only deletes lines).
        let line_start = |line: usize| {
            if line >= index.line_count() { output.len() } else { index.line_start(line) }
        };
        let span_start = line_start(new.start);
        let span_end = line_start(new.end);
        let mut fixes = Vec::new();
        for (i, applied) in outcome.applied.iter().enumerate() {
            let touches = applied.output_ranges.iter().any(|r| {
                if new.is_empty() || r.is_empty() {
                    r.start >= span_start && r.start <= span_end
                } else {
                    r.start < span_end && span_start < r.end
                }
            });
            if touches {
                fixes.push(i);
            }
        }
        // A line diff may pair an edited line with an identical neighbour (`ENV a b` fixed to
        // `ENV a=b` right above an `ENV a=b`): the hunk then only deletes or only inserts, next
        // to the line the fix wrote. Its fixes are those on the lines beside it.
        if fixes.is_empty() && (new.is_empty() || old.is_empty()) {
            let around_start = line_start(new.start.saturating_sub(1));
            let around_end = line_start(new.end + 1);
            for (i, applied) in outcome.applied.iter().enumerate() {
                if applied.output_ranges.iter().any(|r| r.start >= around_start && r.start < around_end.max(around_start + 1)) {
                    fixes.push(i);
                }
            }
        }
        let mut codes: Vec<&'static str> = Vec::new();
        for &i in &fixes {
            if !codes.contains(&outcome.applied[i].code) {
                codes.push(outcome.applied[i].code);
            }
        }
        hunks.push(AttributedHunk {
            old_start: old.start + 1,
            old_lines: old.len(),
            new_start: new.start + 1,
            new_lines: new.len(),
            text: hunk.to_string(),
            codes,
            fixes,
        });
    }
    hunks
}
