//! The root component: the editor and the settings on the left, the result on the right, the
//! examples above. It owns the state (one reducer) and does the IO the views ask for.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use dfharden_core::knowledge::{staleness, DATA_CHECKED};
use yew::prelude::*;

use crate::components::context_files::ContextFiles;
use crate::components::diff_view::DiffView;
use crate::components::editor::{select_range, Editor};
use crate::components::examples::Examples;
use crate::components::findings::{Findings, Jump};
use crate::components::parse_view::ParseView;
use crate::components::runtime_tab::RuntimeTab;
use crate::components::settings::SettingsPanel;
use crate::components::toolbar::Toolbar;
use crate::components::workshop::Workshop;
use crate::services::{clipboard, download, page, share, storage};
use crate::state::{Action, Analysis, DiffMode, Session, State, Tab, Theme, FILE_NAME};

/// How long typing must pause before the core runs again.
pub const DEBOUNCE_MS: u32 = 250;

/// The session to start with: a share link in the URL wins over the saved session; a broken
/// link is reported and ignored.
fn initial_state() -> State {
    let fragment = page::fragment();
    let mut notice = None;
    let mut session = None;
    if fragment.starts_with(share::FRAGMENT_PREFIX) {
        match share::from_fragment(&fragment) {
            Ok(shared) => session = Some(shared),
            Err(e) => notice = Some(format!("The share link could not be read: {e}")),
        }
        page::clear_fragment();
    }
    let session = session.or_else(storage::load_session);
    let mut state = State::new(session);
    state.theme = storage::load_theme();
    state.notice = notice;
    state
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let editor = use_node_ref();
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let share_url = use_state(|| None::<AttrValue>);
    let dispatcher = state.dispatcher();

    // Keep the last session, and apply and keep the theme.
    {
        let analyzed = state.analysis.source.clone();
        use_effect_with((analyzed, state.form.clone()), |(source, form)| {
            storage::save_session(&Session { source: source.clone(), form: form.clone() });
        });
    }
    use_effect_with(state.theme, |theme| {
        page::apply_theme(*theme);
        storage::save_theme(*theme);
    });
    // A shown share link is for the text and settings it was made from: drop it when they change.
    {
        let share_url = share_url.clone();
        use_effect_with((state.source.clone(), state.form.clone()), move |_| share_url.set(None));
    }
    // The status line clears itself after a while.
    {
        let dispatcher = dispatcher.clone();
        use_effect_with(state.notice.clone(), move |notice| {
            let timeout = notice
                .is_some()
                .then(|| Timeout::new(6_000, move || dispatcher.dispatch(Action::Notice(None))));
            move || drop(timeout)
        });
    }
    // A share link pasted into the address bar of an open page changes only the fragment.
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn FnMut()>::new(move || {
                let fragment = page::fragment();
                if fragment.starts_with(share::FRAGMENT_PREFIX) {
                    match share::from_fragment(&fragment) {
                        Ok(session) => dispatcher.dispatch(Action::Restore(session)),
                        Err(e) => dispatcher.dispatch(Action::Notice(Some(format!("The share link could not be read: {e}")))),
                    }
                    page::clear_fragment();
                }
            });
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }

    let on_edit = {
        let dispatcher = dispatcher.clone();
        let timer = timer.clone();
        Callback::from(move |text: String| {
            dispatcher.dispatch(Action::Edit(text));
            let dispatcher = dispatcher.clone();
            // Replacing the handle cancels the previous timeout.
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || dispatcher.dispatch(Action::Analyze)));
        })
    };
    let on_load = {
        let dispatcher = dispatcher.clone();
        let timer = timer.clone();
        Callback::from(move |text: &'static str| {
            timer.borrow_mut().take();
            dispatcher.dispatch(Action::Load(text.to_string()));
        })
    };
    let on_jump = {
        let editor = editor.clone();
        Callback::from(move |jump: Jump| select_range(&editor, jump.start, jump.end, jump.line))
    };
    let notify = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |text: String| dispatcher.dispatch(Action::Notice(Some(text))))
    };
    let copy_text = {
        let notify = notify.clone();
        Callback::from(move |(text, what): (String, &'static str)| {
            let notify = notify.clone();
            clipboard::copy(text, move |ok| {
                notify.emit(if ok {
                    format!("Copied {what} to the clipboard.")
                } else {
                    format!("Could not copy {what}: the browser refused access to the clipboard.")
                })
            });
        })
    };
    // What the toolbar acts on: the analysis of the text as it is now. If the debounce is still
    // running (a click right after typing), the core runs at once rather than act on the old text.
    let current: Rc<dyn Fn() -> Rc<Analysis>> = {
        let (analysis, pending) = (state.analysis.clone(), state.pending());
        let (source, form) = (state.source.clone(), state.form.clone());
        let dispatcher = dispatcher.clone();
        let timer = timer.clone();
        Rc::new(move || {
            if !pending {
                return analysis.clone();
            }
            timer.borrow_mut().take();
            dispatcher.dispatch(Action::Analyze);
            Rc::new(Analysis::run(&source, &form))
        })
    };
    let on_copy = {
        let copy_text = copy_text.clone();
        let current = current.clone();
        Callback::from(move |()| copy_text.emit((current().outcome.output.clone(), "the hardened Dockerfile")))
    };
    let on_download = {
        let notify = notify.clone();
        let current = current.clone();
        Callback::from(move |()| match download::download(FILE_NAME, "text/plain;charset=utf-8", &current().outcome.output) {
            Ok(()) => notify.emit(format!("Saved the hardened file as {FILE_NAME}.")),
            Err(e) => notify.emit(e),
        })
    };
    let on_download_patch = {
        let notify = notify.clone();
        let current = current.clone();
        Callback::from(move |()| match download::download("Dockerfile.patch", "text/x-diff;charset=utf-8", &current().patch) {
            Ok(()) => notify.emit("Saved the changes as Dockerfile.patch (apply it with git apply).".to_string()),
            Err(e) => notify.emit(e),
        })
    };
    let on_share = {
        let session = state.session();
        let share_url = share_url.clone();
        let copy_text = copy_text.clone();
        Callback::from(move |()| {
            let url = page::url_with_fragment(&share::to_fragment(&session));
            share_url.set(Some(url.clone().into()));
            copy_text.emit((url, "the share link"));
        })
    };
    let dark = state.theme.map_or_else(page::system_prefers_dark, |t| t == Theme::Dark);
    let on_toggle_theme = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |()| dispatcher.dispatch(Action::SetTheme(Some(if dark { Theme::Light } else { Theme::Dark }))))
    };

    let analysis = state.analysis.clone();
    let tabs = Tab::ALL.iter().enumerate().map(|(index, &tab)| {
        let onclick = {
            let dispatcher = dispatcher.clone();
            Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::SetTab(tab)))
        };
        // The tab pattern's keys: arrows, Home and End move to another tab and show it.
        let onkeydown = {
            let dispatcher = dispatcher.clone();
            Callback::from(move |event: KeyboardEvent| {
                let n = Tab::ALL.len();
                let to = match event.key().as_str() {
                    "ArrowRight" => (index + 1) % n,
                    "ArrowLeft" => (index + n - 1) % n,
                    "Home" => 0,
                    "End" => n - 1,
                    _ => return,
                };
                event.prevent_default();
                dispatcher.dispatch(Action::SetTab(Tab::ALL[to]));
                page::focus(&format!("tab-{}", Tab::ALL[to].id()));
            })
        };
        let selected = state.tab == tab;
        let badge = match tab {
            Tab::Changes => Some(analysis.hunks.len()),
            Tab::Findings => Some(analysis.report.findings.len() + analysis.report.syntax_errors.len()),
            _ => None,
        };
        html! {
            <button type="button" role="tab" id={format!("tab-{}", tab.id())} aria-controls="panel"
                aria-selected={if selected { "true" } else { "false" }} class={classes!("tab", selected.then_some("selected"))} {onclick} {onkeydown}>
                { tab.label() }
                if let Some(n) = badge { <span class="badge">{ n }</span> }
            </button>
        }
    });
    let mode_button = |mode: DiffMode, id: &'static str, label: &'static str| {
        let dispatcher = dispatcher.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::SetDiffMode(mode)));
        html! {
            <button type="button" {id} class="small" aria-pressed={if state.diff_mode == mode { "true" } else { "false" }} {onclick}>{ label }</button>
        }
    };
    let summary = {
        let applied = analysis.outcome.applied.len();
        let mut codes: Vec<&str> = analysis.outcome.applied.iter().map(|a| a.code).collect();
        codes.sort_unstable();
        codes.dedup();
        if analysis.refused || applied == 0 {
            html! {}
        } else {
            html! {
                <p class="summary-line">{ format!(
                    "{} change{}, {applied} fix{} from {} rule{} ({}), in {} round{}.",
                    analysis.hunks.len(), if analysis.hunks.len() == 1 { "" } else { "s" },
                    if applied == 1 { "" } else { "es" },
                    codes.len(), if codes.len() == 1 { "" } else { "s" }, codes.join(", "),
                    analysis.outcome.rounds, if analysis.outcome.rounds == 1 { "" } else { "s" },
                ) }</p>
            }
        }
    };
    let warnings = analysis.outcome.dropped.iter().map(|d| {
        html! { <p class="problem">{ format!("{} fix “{}” not applied: {}", d.code, d.title, d.reason) }</p> }
    });
    let not_converged = (!analysis.outcome.converged).then(|| {
        html! { <p class="problem">{ format!("The fixes did not settle after {} rounds; please report this file.", analysis.outcome.rounds) }</p> }
    });
    let panel = match state.tab {
        Tab::Changes => html! {
            <>
                <div class="view-switch" role="group" aria-label="Diff layout">
                    { mode_button(DiffMode::SideBySide, "mode-side-by-side", "Side by side") }
                    { mode_button(DiffMode::Unified, "mode-unified", "Unified") }
                </div>
                { summary }
                { for warnings }
                { for not_converged }
                <DiffView analysis={analysis.clone()} generation={state.generation} mode={state.diff_mode} />
            </>
        },
        Tab::Output => html! {
            <pre id="output-text" class="code output" tabindex="0" aria-label="The hardened Dockerfile">{ analysis.outcome.output.clone() }</pre>
        },
        Tab::Findings => html! { <Findings analysis={analysis.clone()} on_jump={on_jump.clone()} /> },
        Tab::Workshop => {
            let dispatcher = dispatcher.clone();
            let on_step = Callback::from(move |step: usize| dispatcher.dispatch(Action::WorkshopTo(step)));
            let steps = state.steps.clone().unwrap_or_default();
            html! { <Workshop original={AttrValue::from(analysis.source.clone())} {steps} step={state.workshop_step} {on_step} /> }
        }
        Tab::Runtime => html! { <RuntimeTab analysis={analysis.clone()} on_copy={copy_text.clone()} /> },
        Tab::Instructions => html! { <ParseView source={AttrValue::from(analysis.source.clone())} /> },
    };
    let pending = state.pending();
    let source_len = analysis.source.encode_utf16().count().to_string();
    html! {
        <div class="app">
            <header class="top">
                <div class="brand">
                    <h1>{ "dfharden" }</h1>
                    <p>{ "Paste a Dockerfile, get a hardened one, and learn why each line changed. Everything runs in your browser." }</p>
                    <p class="data-date" id="data-date">{ format!("Image data checked {DATA_CHECKED} against the publishers' sources.") }
                        if let Some(notice) = analysis.settings.today.and_then(staleness) { <strong class="problem">{ format!(" {notice}") }</strong> }
                    </p>
                </div>
                <Toolbar on_copy={on_copy} on_download={on_download} on_download_patch={on_download_patch}
                    on_share={on_share} unchanged={!analysis.changed()} share_url={(*share_url).clone()}
                    {dark} {on_toggle_theme} />
            </header>
            <Examples current={AttrValue::from(state.source.clone())} on_load={on_load} />
            <main class="workspace">
                <div class="left">
                    <Editor value={AttrValue::from(state.source.clone())} {on_edit} area={editor.clone()} />
                    <ContextFiles wanted={analysis.wanted.clone()} files={state.form.context.clone()} dispatch={dispatcher.clone()} />
                    <details class="settings" id="settings">
                        <summary><h2>{ "Settings" }</h2></summary>
                        <SettingsPanel form={state.form.clone()} problems={analysis.problems.clone()}
                            digest_count={analysis.settings.digests.len()} dispatch={dispatcher.clone()} />
                    </details>
                </div>
                <section class="results" id="results" aria-labelledby="results-title"
                    data-pending={if pending { "true" } else { "false" }} data-source-length={source_len}
                    data-generation={state.generation.to_string()} aria-busy={if pending { "true" } else { "false" }}>
                    <h2 id="results-title" class="visually-hidden">{ "Result" }</h2>
                    <div class="tabs" role="tablist" aria-label="Result views">{ for tabs }</div>
                    <div id="panel" role="tabpanel" aria-labelledby={format!("tab-{}", state.tab.id())} class={classes!("panel", pending.then_some("stale"))}>
                        { panel }
                    </div>
                </section>
            </main>
            <p class="status" role="status" aria-live="polite" id="status">{ state.notice.clone().unwrap_or_default() }</p>
        </div>
    }
}
