//! Copying text with the asynchronous Clipboard API.

use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Copies `text`; `done` gets whether it worked (the API needs a secure context such as
/// localhost or https, and the user's permission).
pub fn copy(text: String, done: impl FnOnce(bool) + 'static) {
    let Some(window) = web_sys::window() else { return done(false) };
    let promise = window.navigator().clipboard().write_text(&text);
    spawn_local(async move {
        done(JsFuture::from(promise).await.is_ok());
    });
}
