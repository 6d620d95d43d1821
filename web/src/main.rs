//! The dfharden web page: `dfharden-core` compiled to WebAssembly, in a yew app.
//! Nothing leaves the browser: the page makes no network requests after it has loaded.

mod app;
mod components;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
