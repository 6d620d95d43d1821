//! The gallery: the before-Dockerfiles of `examples/`, compiled in, one click each.

use yew::prelude::*;

pub struct Example {
    /// The folder name under `examples/`.
    pub id: &'static str,
    pub label: &'static str,
    pub text: &'static str,
}

macro_rules! examples {
    ($(($id:literal, $label:literal)),* $(,)?) => {
        pub const EXAMPLES: &[Example] = &[
            $(Example { id: $id, label: $label, text: include_str!(concat!("../../../examples/", $id, "/Dockerfile")) }),*
        ];
    };
}

examples! {
    ("go-web", "Go"),
    ("rust-cli", "Rust"),
    ("node-express", "Node.js"),
    ("python-flask", "Python"),
    ("java-jar", "Java"),
    ("dotnet-api", ".NET"),
    ("alpine-script", "Alpine script"),
    ("multistage-go", "Multi-stage"),
    ("heredoc-cache", "Heredoc & cache"),
    ("debian-service", "Debian service"),
    ("windows-iis", "Windows"),
}

#[derive(Properties, PartialEq)]
pub struct ExamplesProps {
    /// The text currently in the editor, to mark the example it is.
    pub current: AttrValue,
    pub on_load: Callback<&'static str>,
}

#[component]
pub fn Examples(props: &ExamplesProps) -> Html {
    let buttons = EXAMPLES.iter().map(|example| {
        let on_load = props.on_load.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_load.emit(example.text));
        let pressed = if props.current == example.text { "true" } else { "false" };
        html! {
            <li>
                <button type="button" class="example" data-example={example.id} aria-pressed={pressed} {onclick}>
                    { example.label }
                </button>
            </li>
        }
    });
    html! {
        <nav class="examples" aria-labelledby="examples-title">
            <h2 id="examples-title">{ "Examples" }</h2>
            <ul>{ for buttons }</ul>
        </nav>
    }
}
