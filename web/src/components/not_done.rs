//! The end of the findings tab: what is still wrong in the hardened file, and why dfharden
//! declined what it did not do, listed as `dfharden fix --explain` lists it under "not done"
//! (computed once per analysis: `Analysis::not_done`), with each rule's explanation below.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::rule_panel::Lesson;
use crate::markdown;
use crate::state::{severity_name, Analysis, Remaining};

#[derive(Properties, PartialEq)]
pub struct NotDoneProps {
    pub analysis: Rc<Analysis>,
}

/// The rule codes of the remaining findings, each once, in list order.
fn codes(remaining: &[Remaining]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    for r in remaining {
        if !codes.contains(&r.code) {
            codes.push(r.code);
        }
    }
    codes
}

#[component]
pub fn NotDone(props: &NotDoneProps) -> Html {
    // A refused rewrite has no hardened file to re-check; the CLI lists nothing either.
    let Some(remaining) = props.analysis.not_done.as_ref() else { return html! {} };
    let body = if remaining.is_empty() {
        html! { <p id="not-done-none" class="intro">{ "Nothing left to do: no finding remains in the hardened file." }</p> }
    } else {
        let items = remaining.iter().map(|r| {
            let severity = severity_name(r.severity);
            let at = format!("{}:{}", r.line, r.column);
            html! {
                <li class={classes!("finding", "remaining", severity)} data-code={r.code} data-at={at.clone()} data-severity={severity}>
                    <span class="at" title={format!("Line {} column {} of the hardened file", r.line, r.column)}>{ at }</span>
                    <span class={classes!("severity", severity)}>{ severity }</span>
                    <span class="chip">{ r.code }</span>
                    <span class="name">{ r.name }</span>
                    <span class="message">{ markdown::inline(&r.message) }</span>
                </li>
            }
        });
        let codes = codes(remaining);
        html! {
            <>
                <ol id="not-done-list">{ for items }</ol>
                <div class="not-done-rules">
                    { for codes.iter().map(|code| html! { <Lesson key={*code} code={*code} /> }) }
                </div>
            </>
        }
    };
    let intro = match remaining.len() {
        0 => None,
        n => Some(format!(
            "{} remain{} after the rewrite, most severe first, at line:column of the hardened file (a change dfharden declined says why); each rule's explanation follows the list.",
            if n == 1 { "1 finding".to_string() } else { format!("{n} findings") },
            if n == 1 { "s" } else { "" },
        )),
    };
    html! {
        <section class="not-done" id="not-done" aria-labelledby="not-done-title">
            <h3 id="not-done-title">{ "Not done in the hardened file" }</h3>
            if let Some(intro) = intro { <p class="intro">{ intro }</p> }
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dfharden_core::rules::Severity;

    #[test]
    fn each_rule_is_explained_once_in_list_order() {
        let r = |code: &'static str| Remaining { line: 1, column: 1, code, name: "", severity: Severity::Info, message: String::new() };
        assert_eq!(codes(&[r("DH101"), r("DH202"), r("DH101"), r("DH602")]), ["DH101", "DH202", "DH602"]);
    }
}
