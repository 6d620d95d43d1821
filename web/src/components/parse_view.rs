//! The parsed instructions of the current text, with the parse errors.

use dfharden_core::syntax::{parse, Severity};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParseViewProps {
    pub source: String,
}

#[component]
pub fn ParseView(props: &ParseViewProps) -> Html {
    let parsed = parse(&props.source);
    let text = parsed.text();
    let rows = parsed.instructions().map(|instruction| {
        let values = instruction.effective().arguments.buildkit_values().join(" ");
        let flags: Vec<&str> = instruction.flags.iter().map(|f| f.text.as_str()).collect();
        html! {
            <tr class="instruction">
                <td class="lines">{ format!("{}-{}", instruction.start_line, instruction.end_line) }</td>
                <td class="keyword">{ instruction.keyword_range.slice(text) }</td>
                <td class="flags">{ flags.join(" ") }</td>
                <td class="value">{ values }</td>
            </tr>
        }
    });
    let errors = parsed.errors.iter().map(|e| {
        let at = parsed.line_col(e.range.start);
        let class = if e.severity == Severity::Error { "error" } else { "warning" };
        html! { <li class={class}>{ format!("{}:{}: {}", at.line, at.column, e.message) }</li> }
    });
    html! {
        <section class="pane parse">
            <h2>{ "Instructions" }</h2>
            <table id="instructions">{ for rows }</table>
            <ul id="errors">{ for errors }</ul>
        </section>
    }
}
