//! Beside a changed hunk: the fixes behind it and, per rule, why it matters (the rule's own
//! explanation from core, the same text `dfharden rule` prints).

use dfharden_core::fix::AppliedFix;
use dfharden_core::rules::rule_by_code;
use dfharden_core::Applicability;
use yew::prelude::*;

use crate::markdown;

#[derive(Properties, PartialEq)]
pub struct RulePanelProps {
    /// 1-based number of the change and how many there are.
    pub number: usize,
    pub total: usize,
    /// The fixes behind the hunk.
    pub fixes: Vec<AppliedFix>,
}

pub fn applicability_label(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "suggestion",
    }
}

/// The rule codes of some fixes, each once, in order.
pub fn codes(fixes: &[AppliedFix]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    for fix in fixes {
        if !codes.contains(&fix.code) {
            codes.push(fix.code);
        }
    }
    codes
}

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub code: AttrValue,
    /// Whether the full explanation starts unfolded.
    #[prop_or_default]
    pub open: bool,
}

/// What a rule is about, and (folded unless opened) its whole explanation: what it does, why
/// it matters, an example, how safe the fix is. The explanation is only rendered while it is
/// open: a long rewrite has dozens of hunks, each with its rules.
#[component]
pub fn Lesson(props: &LessonProps) -> Html {
    let open = use_state(|| props.open);
    let Some(rule) = rule_by_code(&props.code) else { return html! {} };
    let meta = rule.meta;
    let ontoggle = {
        let open = open.clone();
        // The summary's click (also Enter and Space on it) is handled here, so that the
        // element's open state and what is rendered inside never disagree.
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            open.set(!*open);
        })
    };
    html! {
        <div class="lesson" data-code={meta.code}>
            <h4><span class="chip">{ meta.code }</span>{ " " }{ meta.name }</h4>
            <p class="summary">{ markdown::inline(meta.summary) }</p>
            <details open={*open}>
                <summary onclick={ontoggle}>{ "Why it matters, with an example" }</summary>
                if *open { { markdown::render(&meta.explanation(), 5) } }
            </details>
        </div>
    }
}

#[component]
pub fn RulePanel(props: &RulePanelProps) -> Html {
    let items = props.fixes.iter().map(|fix| {
        html! {
            <li class="fix">
                <span class="chip" data-code={fix.code}>{ fix.code }</span>
                { " " }{ markdown::inline(&fix.title) }
                <span class={classes!("applicability", applicability_label(fix.applicability))}>
                    { applicability_label(fix.applicability) }
                </span>
            </li>
        }
    });
    let codes = codes(&props.fixes);
    html! {
        <aside class="rule-panel" data-codes={codes.join(" ")} aria-label={format!("Why change {} was made", props.number)}>
            <p class="change-title">{ format!("Change {} of {}", props.number, props.total) }</p>
            <ul class="fixes">{ for items }</ul>
            { for codes.iter().map(|code| html! { <Lesson key={*code} code={*code} /> }) }
        </aside>
    }
}
