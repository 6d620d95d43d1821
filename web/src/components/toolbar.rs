//! The result's actions: copy, download the file or the patch, share a link, switch theme.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub on_copy: Callback<()>,
    pub on_download: Callback<()>,
    pub on_download_patch: Callback<()>,
    pub on_share: Callback<()>,
    /// Whether the patch is empty (nothing changed).
    pub unchanged: bool,
    /// The last share link made, shown so it can be copied by hand too.
    pub share_url: Option<AttrValue>,
    pub dark: bool,
    pub on_toggle_theme: Callback<()>,
}

#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    html! {
        <div class="toolbar" role="toolbar" aria-label="Result">
            <button type="button" id="copy-output" onclick={click(&props.on_copy)}>{ "Copy result" }</button>
            <button type="button" id="download-output" onclick={click(&props.on_download)}>{ "Download Dockerfile" }</button>
            <button type="button" id="download-patch" disabled={props.unchanged} onclick={click(&props.on_download_patch)}>{ "Download patch" }</button>
            <button type="button" id="share" onclick={click(&props.on_share)}>{ "Share link" }</button>
            <button type="button" id="theme-toggle" aria-pressed={if props.dark { "true" } else { "false" }}
                onclick={click(&props.on_toggle_theme)}>{ "Dark theme" }</button>
            if let Some(url) = &props.share_url {
                <div class="share-url">
                    <label for="share-url">{ "Link to this text and these settings" }</label>
                    <input id="share-url" type="text" readonly=true value={url.clone()} />
                </div>
            }
        </div>
    }
}
