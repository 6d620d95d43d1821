//! The build-context files the rewrite would like to read: the start script a `COPY` brings in
//! and `ENTRYPOINT`/`CMD` runs. The CLI reads them from the directory it builds from; the page
//! cannot, so it names each one and lets the user paste it or drop it here. Without them the
//! findings say what could not be seen, and no `USER` is added on a guess.

use std::collections::BTreeMap;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, HtmlTextAreaElement};
use yew::prelude::*;

use crate::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct ContextFilesProps {
    /// The paths core asks for (`dfharden_core::context_files_wanted`), for the analysed text.
    pub wanted: Vec<String>,
    /// What the user has added so far.
    pub files: BTreeMap<String, String>,
    pub dispatch: UseReducerDispatcher<State>,
}

/// An element id from a path: `ctx-` and the path with anything but letters and digits as `-`.
fn field_id(path: &str) -> String {
    let safe: String = path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("ctx-{safe}")
}

#[component]
pub fn ContextFiles(props: &ContextFilesProps) -> Html {
    if props.wanted.is_empty() {
        return html! {};
    }
    let fields = props.wanted.iter().map(|path| {
        let id = field_id(path);
        let value = props.files.get(path).cloned().unwrap_or_default();
        let oninput = {
            let (d, path) = (props.dispatch.clone(), path.clone());
            Callback::from(move |e: InputEvent| {
                d.dispatch(Action::SetContextFile(path.clone(), e.target_unchecked_into::<HtmlTextAreaElement>().value()))
            })
        };
        // A dropped file is read as text; without this the browser would open it instead.
        let ondrop = {
            let (d, path) = (props.dispatch.clone(), path.clone());
            Callback::from(move |e: DragEvent| {
                let Some(file) = e.data_transfer().and_then(|t| t.files()).and_then(|files| files.get(0)) else {
                    return;
                };
                e.prevent_default();
                let (d, path) = (d.clone(), path.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(text) = JsFuture::from(file.text()).await {
                        if let Some(text) = text.dyn_ref::<js_sys::JsString>() {
                            d.dispatch(Action::SetContextFile(path, String::from(text)));
                        }
                    }
                });
            })
        };
        let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
        let state = if value.trim().is_empty() { "not added: its start is not seen" } else { "added" };
        html! {
            <div class="field">
                <label for={id.clone()}><code>{ path.clone() }</code>{ format!(" ({state})") }</label>
                <textarea id={id} class="context-file" data-path={path.clone()} rows="5" spellcheck="false"
                    placeholder="Paste the file here, or drop it" value={value} {oninput} {ondrop} {ondragover} />
            </div>
        }
    });
    html! {
        <details class="settings context" id="context-files" open=true>
            <summary><h2>{ "Build context" }</h2></summary>
            <div class="settings-body">
                <p class="help">{ "The image starts with a script from the build context. The command line reads it from the \
                    directory it builds from; here, paste or drop it so dfharden can see whether the script needs root \
                    (to chown, or to step down with gosu or su-exec) before it adds a USER. Nothing leaves the browser." }</p>
                { for fields }
            </div>
        </details>
    }
}
