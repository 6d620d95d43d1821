//! How to run the hardened image: `docker run` flags, a compose service and a Kubernetes
//! security context, from core's `advise` (what `dfharden runtime` prints).

use std::rc::Rc;

use dfharden_core::harden::advise;
use dfharden_core::syntax::parse;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::markdown;
use crate::state::Analysis;

/// A note reads `what: why`; when the what is a flag (`--read-only ...`) it is shown as code.
fn note(text: &str) -> Html {
    match text.split_once(": ").filter(|(what, _)| what.starts_with("--")) {
        Some((what, why)) => html! { <li><code>{ what.to_string() }</code>{ ": " }{ markdown::inline(why) }</li> },
        None => html! { <li>{ markdown::inline(text) }</li> },
    }
}

#[derive(Properties, PartialEq)]
pub struct RuntimeTabProps {
    pub analysis: Rc<Analysis>,
    /// Copies a snippet (the root owns the clipboard and the status line).
    pub on_copy: Callback<(String, &'static str)>,
}

#[component]
pub fn RuntimeTab(props: &RuntimeTabProps) -> Html {
    let image = use_state(|| "app:latest".to_string());
    let output = props.analysis.outcome.output.clone();
    let settings = props.analysis.settings.clone();
    let advice = use_memo((output, (*image).clone(), settings), |(output, image, settings)| advise(&parse(output), image, settings));
    let on_image = {
        let image = image.clone();
        Callback::from(move |e: InputEvent| image.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let snippet = |id: &'static str, title: &'static str, text: &str| {
        let on_copy = props.on_copy.clone();
        let copied = text.to_string();
        let onclick = Callback::from(move |_: MouseEvent| on_copy.emit((copied.clone(), title)));
        html! {
            <section class="snippet" aria-labelledby={format!("{id}-title")}>
                <div class="snippet-head">
                    <h3 id={format!("{id}-title")}>{ title }</h3>
                    <button type="button" class="small" {onclick}>{ format!("Copy {title}") }</button>
                </div>
                <pre class="code" {id}>{ text.to_string() }</pre>
            </section>
        }
    };
    html! {
        <section class="runtime" aria-labelledby="runtime-heading">
            <h2 id="runtime-heading" class="visually-hidden">{ "Runtime advice" }</h2>
            <p>{ "A Dockerfile cannot say how its container is run. These settings, derived from the hardened file (its user, ports, volumes and health check), are the other half of the hardening." }</p>
            <div class="field inline">
                <label for="image-name">{ "Image name" }</label>
                <input id="image-name" type="text" spellcheck="false" value={(*image).clone()} oninput={on_image} />
            </div>
            <ul class="notes">{ for advice.notes.iter().map(|n| note(n)) }</ul>
            { snippet("docker-run", "docker run", &advice.docker_run) }
            { snippet("compose", "compose.yaml", &advice.compose) }
            { snippet("kubernetes", "Kubernetes", &advice.kubernetes) }
        </section>
    }
}
