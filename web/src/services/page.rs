//! The page around the app: the URL fragment, the theme attribute, the system colour scheme.

use crate::state::Theme;

/// The URL's fragment, `#` included (empty when there is none).
pub fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The page's URL with `fragment` instead of its own.
pub fn url_with_fragment(fragment: &str) -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}{fragment}")
}

/// Drops the fragment from the address bar without reloading (after reading a share link,
/// so that editing does not leave a stale link there).
pub fn clear_fragment() {
    if let Some(window) = web_sys::window() {
        let url = url_with_fragment("");
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// Sets `data-theme` on `<html>` (`None` removes it, so CSS follows the system).
pub fn apply_theme(theme: Option<Theme>) {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else {
        return;
    };
    let _ = match theme {
        Some(theme) => root.set_attribute("data-theme", theme.name()),
        None => root.remove_attribute("data-theme"),
    };
}

/// Whether the system asks for dark colours.
pub fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Moves the keyboard focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}
