//! The text area the Dockerfile is typed or pasted into.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: String,
    pub on_edit: Callback<String>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            on_edit.emit(area.value());
        })
    };
    html! {
        <section class="pane editor">
            <label for="source">{ "Dockerfile" }</label>
            <textarea id="source" spellcheck="false" value={props.value.clone()} {oninput} />
        </section>
    }
}
