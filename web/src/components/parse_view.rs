//! The parsed instructions of the current text: what dfharden reads, line by line.

use dfharden_core::syntax::parse;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParseViewProps {
    pub source: AttrValue,
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
    html! {
        <section class="parse" aria-labelledby="parse-heading">
            <h2 id="parse-heading" class="visually-hidden">{ "Instructions" }</h2>
            <p>{ "The instructions as dfharden (and BuildKit) read them: lines, keyword, flags, arguments." }</p>
            <table id="instructions">
                <thead><tr><th scope="col">{ "Lines" }</th><th scope="col">{ "Keyword" }</th><th scope="col">{ "Flags" }</th><th scope="col">{ "Arguments" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}
