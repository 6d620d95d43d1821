//! Workshop mode: from the original to the hardened file one rule at a time, each change
//! with its lesson (the rule's explanation).

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::diff_view::render_blocks;
use crate::components::rule_panel::{applicability_label, Lesson};
use crate::diff::blocks;
use crate::markdown;
use crate::state::DiffMode;
use crate::steps::Step;

#[derive(Properties, PartialEq)]
pub struct WorkshopProps {
    pub original: AttrValue,
    pub steps: Rc<Vec<Step>>,
    /// 0: the original; `n`: the first `n` changes applied.
    pub step: usize,
    pub on_step: Callback<usize>,
}

#[component]
pub fn Workshop(props: &WorkshopProps) -> Html {
    let steps = &props.steps;
    let total = steps.len();
    let step = props.step.min(total);
    let go = |to: usize| {
        let on_step = props.on_step.clone();
        Callback::from(move |_: MouseEvent| on_step.emit(to))
    };
    let text = if step == 0 { props.original.to_string() } else { steps[step - 1].after.clone() };
    let body = if total == 0 {
        html! { <p class="notice-box">{ "Nothing to change in this file, so there is nothing to step through." }</p> }
    } else if step == 0 {
        let codes: Vec<&str> = steps.iter().map(|s| s.code).collect();
        html! {
            <div class="step-intro">
                <h3>{ "The original file" }</h3>
                <p>{ format!(
                    "{total} rule{} change{} this file ({}). Press “Next change” to apply them one at a time, see what each one changes and read why.",
                    if total == 1 { "" } else { "s" },
                    if total == 1 { "s" } else { "" },
                    codes.join(", "),
                ) }</p>
            </div>
        }
    } else {
        let current = &steps[step - 1];
        let rule_name = current.fixes.first().map_or("", |f| f.name);
        let blocks = blocks(&current.before, &current.after, &[]);
        html! {
            <div class="step" data-code={current.code}>
                <h3 id="ws-title">{ format!("Change {step} of {total}: {} {rule_name}", current.code) }</h3>
                <ul class="fixes">
                    { for current.fixes.iter().map(|f| html! {
                        <li><span class="chip">{ f.code }</span>{ " " }{ markdown::inline(&f.title) }
                            <span class={classes!("applicability", applicability_label(f.applicability))}>{ applicability_label(f.applicability) }</span></li>
                    }) }
                </ul>
                { render_blocks(&blocks, DiffMode::Unified, &HashSet::new(), None, &|_, _| html! {}) }
                <h4 class="lesson-title">{ "The lesson" }</h4>
                <Lesson key={current.code} code={current.code} open=true />
            </div>
        }
    };
    html! {
        <section class="workshop" aria-labelledby="ws-heading">
            <h2 id="ws-heading" class="visually-hidden">{ "Workshop" }</h2>
            <div class="workshop-nav">
                <button type="button" id="ws-first" disabled={step == 0} onclick={go(0)}>{ "Start over" }</button>
                <button type="button" id="ws-prev" disabled={step == 0} onclick={go(step.saturating_sub(1))}>{ "← Previous change" }</button>
                <span id="ws-position" aria-live="polite">{ format!("Step {step} of {total}") }</span>
                <button type="button" id="ws-next" disabled={step >= total} onclick={go(step + 1)}>{ "Next change →" }</button>
                <button type="button" id="ws-last" disabled={step >= total} onclick={go(total)}>{ "Show the result" }</button>
            </div>
            { body }
            <details class="so-far">
                <summary>{ if step == total && total > 0 { "The hardened file" } else { "The file so far" } }</summary>
                <pre id="ws-text" class="code">{ text }</pre>
            </details>
        </section>
    }
}
