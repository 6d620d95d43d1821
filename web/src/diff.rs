//! The rewrite as rows to display: unchanged runs and changed blocks with word-level
//! emphasis. Pure functions over strings, tested natively.

use dfharden_core::render::AttributedHunk;
use similar::{ChangeTag, DiffTag, TextDiff};

/// A piece of a line; `emphasized` pieces are the words that changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub emphasized: bool,
}

/// One line of one side, with its 1-based number on that side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub segments: Vec<Segment>,
}

impl Line {
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }
}

/// A run of lines the rewrite kept, or a block it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Unchanged lines: (old number, new number, text).
    Same(Vec<(usize, usize, String)>),
    /// Changed lines: what was removed and what was added; `rows` lays them side by side
    /// (a removed line beside the added line that rewrites it, indexes into `old` and `new`);
    /// `hunk` is the attributed hunk (index into the hunks given to [`blocks`]) behind them.
    Changed { old: Vec<Line>, new: Vec<Line>, rows: Vec<(Option<usize>, Option<usize>)>, hunk: Option<usize> },
}

fn strip_newline(text: &str) -> &str {
    text.strip_suffix("\r\n").or_else(|| text.strip_suffix('\n')).or_else(|| text.strip_suffix('\r')).unwrap_or(text)
}

/// Lines at least this similar (by words, as `similar` counts) are shown as one line
/// rewritten, with the changed words marked; others as a line removed and a line added.
const MIN_RATIO: f32 = 0.5;

/// The word diff of two lines: each side's segments, and how similar the lines are.
fn word_diff(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>, f32) {
    let diff = TextDiff::from_words(old, new);
    let (mut left, mut right) = (Vec::new(), Vec::new());
    fn push(side: &mut Vec<Segment>, text: &str, emphasized: bool) {
        match side.last_mut() {
            Some(last) if last.emphasized == emphasized => last.text.push_str(text),
            _ => side.push(Segment { text: text.to_string(), emphasized }),
        }
    }
    for change in diff.iter_all_changes() {
        let text = change.value();
        // Whitespace alone is not worth marking.
        let emphasized = !text.trim().is_empty();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut left, text, false);
                push(&mut right, text, false);
            }
            ChangeTag::Delete => push(&mut left, text, emphasized),
            ChangeTag::Insert => push(&mut right, text, emphasized),
        }
    }
    (left, right, diff.ratio())
}

/// Pairs the removed and added lines of a block: each removed line with the most similar
/// added line after the previous pair, if similar enough. Returns the rows in order and the
/// word-level segments of the paired lines.
fn pair_lines(old: &mut [Line], new: &mut [Line]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut rows = Vec::new();
    let mut next_new = 0;
    for (i, old_line) in old.iter_mut().enumerate() {
        let old_text = old_line.text();
        let mut best: Option<(usize, f32, Vec<Segment>, Vec<Segment>)> = None;
        for (j, candidate) in new.iter().enumerate().skip(next_new) {
            let (left, right, ratio) = word_diff(&old_text, &candidate.text());
            if ratio >= MIN_RATIO && best.as_ref().is_none_or(|b| ratio > b.1) {
                best = Some((j, ratio, left, right));
            }
        }
        match best {
            Some((j, _, left, right)) => {
                rows.extend((next_new..j).map(|k| (None, Some(k))));
                rows.push((Some(i), Some(j)));
                old_line.segments = left;
                new[j].segments = right;
                next_new = j + 1;
            }
            None => rows.push((Some(i), None)),
        }
    }
    rows.extend((next_new..new.len()).map(|k| (None, Some(k))));
    // Side by side, an unpaired removed line and an unpaired added line share a row.
    let mut packed: Vec<(Option<usize>, Option<usize>)> = Vec::with_capacity(rows.len());
    for row in rows {
        match (packed.last_mut(), row) {
            (Some((Some(_), right @ None)), (None, Some(k))) => *right = Some(k),
            _ => packed.push(row),
        }
    }
    packed
}

fn plain(number: usize, text: &str) -> Line {
    Line { number, segments: vec![Segment { text: strip_newline(text).to_string(), emphasized: false }] }
}

/// The diff from `before` to `after` as blocks, each changed block matched to the attributed
/// hunk with the same position (hunks come from `attributed_hunks`, which splits the same line
/// diff at every unchanged line, as here).
pub fn blocks(before: &str, after: &str, hunks: &[AttributedHunk]) -> Vec<Block> {
    let diff = TextDiff::from_lines(before, after);
    let old_lines: Vec<&str> = diff.iter_old_slices().collect();
    let new_lines: Vec<&str> = diff.iter_new_slices().collect();
    let mut out: Vec<Block> = Vec::new();
    for op in diff.ops() {
        if op.tag() == DiffTag::Equal {
            let (old, new) = (op.old_range(), op.new_range());
            let lines = old
                .clone()
                .zip(new)
                .map(|(o, n)| (o + 1, n + 1, strip_newline(old_lines[o]).to_string()))
                .collect();
            out.push(Block::Same(lines));
            continue;
        }
        if !matches!(out.last(), Some(Block::Changed { .. })) {
            let old_start = op.old_range().start + 1;
            let new_start = op.new_range().start + 1;
            let hunk = hunks.iter().position(|h| h.old_start == old_start && h.new_start == new_start);
            out.push(Block::Changed { old: Vec::new(), new: Vec::new(), rows: Vec::new(), hunk });
        }
        let Some(Block::Changed { old, new, .. }) = out.last_mut() else { unreachable!() };
        old.extend(op.old_range().map(|i| plain(i + 1, old_lines[i])));
        new.extend(op.new_range().map(|i| plain(i + 1, new_lines[i])));
    }
    for block in &mut out {
        if let Block::Changed { old, new, rows, .. } = block {
            *rows = pair_lines(old, new);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dfharden_core::render::attributed_hunks;
    use dfharden_core::{fix, Settings};

    #[test]
    fn blocks_mark_changed_words_and_match_hunks() {
        let before = "FROM alpine:3.22\nRUN apk add curl\nCMD x\n";
        let outcome = fix(before, &Settings::default());
        let hunks = attributed_hunks(before, &outcome);
        let blocks = blocks(before, &outcome.output, &hunks);
        let changed: Vec<_> = blocks.iter().filter(|b| matches!(b, Block::Changed { .. })).collect();
        assert_eq!(changed.len(), hunks.len());
        let Some(Block::Changed { old, new, hunk, .. }) = blocks.iter().find(|b| {
            matches!(b, Block::Changed { new, .. } if new.iter().any(|l| l.text().contains("--no-cache")))
        }) else {
            panic!("no block adds --no-cache: {blocks:?}")
        };
        assert!(hunk.is_some());
        assert_eq!(old[0].text(), "RUN apk add curl");
        let emphasized: String = new.iter().find(|l| l.text().contains("--no-cache")).unwrap().segments.iter().filter(|s| s.emphasized).map(|s| s.text.as_str()).collect();
        assert!(emphasized.contains("--no-cache"), "{new:?}");
        assert!(!emphasized.contains("apk"), "{new:?}");
    }
}
