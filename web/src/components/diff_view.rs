//! The rewrite as a diff, side by side or unified, with the changed words marked and, beside
//! each changed hunk, the rules behind it.

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::rule_panel::RulePanel;
use crate::diff::{blocks, Block, Line, Segment};
use crate::state::{Analysis, DiffMode};

/// Unchanged lines shown around each change; longer runs fold.
pub const CONTEXT: usize = 3;

fn segments(segments: &[Segment]) -> Html {
    html! {
        { for segments.iter().map(|s| if s.emphasized {
            html! { <mark class="word">{ s.text.clone() }</mark> }
        } else {
            html! { { s.text.clone() } }
        }) }
    }
}

fn number(n: Option<usize>) -> Html {
    match n {
        Some(n) => html! { <span class="ln" data-n={n.to_string()}></span> },
        None => html! { <span class="ln"></span> },
    }
}

fn same_row(mode: DiffMode, (old, new, text): &(usize, usize, String)) -> Html {
    match mode {
        DiffMode::SideBySide => html! {
            <div class="row same">
                { number(Some(*old)) }<span class="code">{ text.clone() }</span>
                { number(Some(*new)) }<span class="code">{ text.clone() }</span>
            </div>
        },
        DiffMode::Unified => html! {
            <div class="row same">
                { number(Some(*old)) }{ number(Some(*new)) }<span class="sign" aria-hidden="true">{ " " }</span>
                <span class="code">{ text.clone() }</span>
            </div>
        },
    }
}

fn deleted(line: &Line) -> Html {
    html! { <del class="code">{ segments(&line.segments) }</del> }
}

fn inserted(line: &Line) -> Html {
    html! { <ins class="code">{ segments(&line.segments) }</ins> }
}

fn changed_rows(mode: DiffMode, old: &[Line], new: &[Line], rows: &[(Option<usize>, Option<usize>)]) -> Html {
    match mode {
        DiffMode::SideBySide => {
            let rows = rows.iter().map(|&(left, right)| {
                let (left, right) = (left.and_then(|i| old.get(i)), right.and_then(|i| new.get(i)));
                html! {
                    <div class="row changed">
                        { number(left.map(|l| l.number)) }
                        { left.map_or_else(|| html! { <span class="code empty"></span> }, deleted) }
                        { number(right.map(|l| l.number)) }
                        { right.map_or_else(|| html! { <span class="code empty"></span> }, inserted) }
                    </div>
                }
            });
            html! { <>{ for rows }</> }
        }
        DiffMode::Unified => html! {
            <>
                { for old.iter().map(|l| html! {
                    <div class="row del">{ number(Some(l.number)) }{ number(None) }
                        <span class="sign" aria-hidden="true">{ "-" }</span>{ deleted(l) }</div>
                }) }
                { for new.iter().map(|l| html! {
                    <div class="row ins">{ number(None) }{ number(Some(l.number)) }
                        <span class="sign" aria-hidden="true">{ "+" }</span>{ inserted(l) }</div>
                }) }
            </>
        },
    }
}

/// Renders blocks; `aside(hunk, number)` gives what goes beside changed block `number`
/// (1-based) whose attributed hunk is `hunk`. Folds long unchanged runs; `on_expand` (if
/// any) unfolds block `i`.
pub fn render_blocks(
    blocks: &[Block],
    mode: DiffMode,
    expanded: &HashSet<usize>,
    on_expand: Option<&Callback<usize>>,
    aside: &dyn Fn(Option<usize>, usize) -> Html,
) -> Html {
    let total = blocks.iter().filter(|b| matches!(b, Block::Changed { .. })).count();
    let mut number = 0;
    let last = blocks.len().saturating_sub(1);
    let items = blocks.iter().enumerate().map(|(i, block)| match block {
        Block::Same(lines) => {
            let (head, tail) = match (i == 0, i == last) {
                _ if expanded.contains(&i) => (lines.len(), 0),
                (true, true) => (lines.len(), 0),
                (true, false) => (0, CONTEXT),
                (false, true) => (CONTEXT, 0),
                (false, false) => (CONTEXT, CONTEXT),
            };
            let (head, tail) = if head + tail + 1 >= lines.len() { (lines.len(), 0) } else { (head, tail) };
            let hidden = lines.len() - head - tail;
            let fold = if hidden == 0 {
                html! {}
            } else {
                let label = format!("{hidden} unchanged line{}", if hidden == 1 { "" } else { "s" });
                match on_expand {
                    Some(on_expand) => {
                        let on_expand = on_expand.clone();
                        let onclick = Callback::from(move |_: MouseEvent| on_expand.emit(i));
                        html! { <button type="button" class="fold" {onclick}>{ format!("Show {label}") }</button> }
                    }
                    None => html! { <div class="fold">{ label }</div> },
                }
            };
            html! {
                <div class="block same-block">
                    <div class="lines">
                        { for lines[..head].iter().map(|l| same_row(mode, l)) }
                        { fold }
                        { for lines[lines.len() - tail..].iter().map(|l| same_row(mode, l)) }
                    </div>
                </div>
            }
        }
        Block::Changed { old, new, rows, hunk } => {
            number += 1;
            html! {
                <div class="block hunk" id={format!("change-{number}")} data-number={number.to_string()}>
                    <div class="lines" role="group" aria-label={format!("Change {number} of {total}")}>
                        { changed_rows(mode, old, new, rows) }
                    </div>
                    { aside(*hunk, number) }
                </div>
            }
        }
    });
    let class = match mode {
        DiffMode::SideBySide => "diff side-by-side",
        DiffMode::Unified => "diff unified",
    };
    html! { <div {class}>{ for items }</div> }
}

#[derive(Properties, PartialEq)]
pub struct DiffViewProps {
    pub analysis: Rc<Analysis>,
    pub generation: u64,
    pub mode: DiffMode,
}

#[component]
pub fn DiffView(props: &DiffViewProps) -> Html {
    let analysis = props.analysis.clone();
    let blocks = use_memo(props.generation, move |_| blocks(&analysis.source, &analysis.outcome.output, &analysis.hunks));
    // The folds opened, for the analysis they were opened in (a new one starts folded).
    let opened = use_state(|| (props.generation, HashSet::<usize>::new()));
    let expanded = if opened.0 == props.generation { opened.1.clone() } else { HashSet::new() };
    let on_expand = {
        let opened = opened.clone();
        let (generation, expanded) = (props.generation, expanded.clone());
        Callback::from(move |i: usize| {
            let mut next = expanded.clone();
            next.insert(i);
            opened.set((generation, next));
        })
    };
    let analysis = &props.analysis;
    if analysis.refused {
        return html! {
            <p class="notice-box" id="refused">
                { "Not rewritten: the file has syntax errors, so BuildKit would refuse it (see Findings). \
                   Fix them, or switch on “Rewrite despite syntax errors” in the settings." }
            </p>
        };
    }
    if !analysis.changed() {
        return html! { <p class="notice-box" id="no-changes">{ "Nothing to change: no rule has a fix to apply here." }</p> };
    }
    let total = analysis.hunks.len();
    let aside = |hunk: Option<usize>, number: usize| -> Html {
        let Some(hunk) = hunk.and_then(|h| analysis.hunks.get(h)) else { return html! {} };
        let fixes: Vec<_> = hunk.fixes.iter().filter_map(|&i| analysis.outcome.applied.get(i).cloned()).collect();
        html! { <RulePanel {number} {total} {fixes} /> }
    };
    let codes_attr = |hunk: &dfharden_core::render::AttributedHunk| hunk.codes.join(" ");
    let summary: Vec<String> = analysis.hunks.iter().map(codes_attr).collect();
    html! {
        <div id="diff" data-hunks={total.to_string()} data-codes={summary.join(",")}>
            { render_blocks(&blocks, props.mode, &expanded, Some(&on_expand), &aside) }
        </div>
    }
}
