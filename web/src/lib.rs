//! The dfharden web page: `dfharden-core` compiled to WebAssembly, in a yew app.
//! Nothing leaves the browser: the page makes no network requests after it has loaded.
//!
//! `state` holds the data and the reducer (which calls the core), `components` the views,
//! `services` the browser IO; `diff`, `steps` and `markdown` are pure helpers for the views.

pub mod app;
pub mod components;
pub mod diff;
pub mod markdown;
pub mod services;
pub mod state;
pub mod steps;

/// Mounts the page on `<body>`.
pub fn run() {
    yew::Renderer::<app::App>::new().render();
}
