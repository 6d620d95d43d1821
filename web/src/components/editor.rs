//! The text area the Dockerfile is typed or pasted into, with line numbers beside it.
//! A plain `<textarea>` (no editor library): the gutter is a `<pre>` that scrolls with it.

use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The editor's line height in pixels (style.css sets the same), to scroll to a line.
pub const LINE_HEIGHT_PX: i32 = 20;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: AttrValue,
    pub on_edit: Callback<String>,
    /// The text area, so findings can select a line in it.
    pub area: NodeRef,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let gutter = use_node_ref();
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            on_edit.emit(area.value());
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |event: Event| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            if let Some(gutter) = gutter.cast::<HtmlElement>() {
                gutter.set_scroll_top(area.scroll_top());
            }
        })
    };
    let lines = props.value.split('\n').count();
    let mut numbers = String::with_capacity(lines * 4);
    for n in 1..=lines {
        numbers.push_str(&n.to_string());
        numbers.push('\n');
    }
    html! {
        <section class="editor" aria-labelledby="source-label">
            <h2 class="pane-title"><label id="source-label" for="source">{ "Your Dockerfile" }</label></h2>
            <div class="editor-box">
                <pre class="gutter" ref={gutter} aria-hidden="true">{ numbers }</pre>
                <textarea id="source" ref={props.area.clone()} spellcheck="false" autocomplete="off"
                    autocapitalize="off" wrap="off" aria-describedby="source-help"
                    value={props.value.clone()} {oninput} {onscroll} />
            </div>
            <p id="source-help" class="help">{ "Paste or type; the result follows as you type. Nothing leaves your browser." }</p>
        </section>
    }
}

/// Selects `start..end` (UTF-16 offsets) in the text area, scrolls line `line` (1-based)
/// into view and focuses it.
pub fn select_range(area: &NodeRef, start: u32, end: u32, line: usize) {
    let Some(area) = area.cast::<HtmlTextAreaElement>() else { return };
    let _ = area.focus();
    let _ = area.set_selection_range(start, end);
    let top = (line.saturating_sub(1) as i32) * LINE_HEIGHT_PX;
    let view = area.client_height();
    area.set_scroll_top((top - view / 3).max(0));
}
