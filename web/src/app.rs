//! The root component: the editor and what the core makes of its text.

use yew::prelude::*;

use crate::components::editor::Editor;
use crate::components::parse_view::ParseView;

const EXAMPLE: &str = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD /app\n";

#[component]
pub fn App() -> Html {
    let source = use_state(|| EXAMPLE.to_string());
    let on_edit = {
        let source = source.clone();
        Callback::from(move |text: String| source.set(text))
    };
    html! {
        <main class="app">
            <header><h1>{ "dfharden" }</h1><p>{ "Paste a Dockerfile. Nothing leaves your browser." }</p></header>
            <div class="panes">
                <Editor value={(*source).clone()} on_edit={on_edit} />
                <ParseView source={(*source).clone()} />
            </div>
        </main>
    }
}
