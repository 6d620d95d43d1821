//! The settings panel: profile, unsafe fixes, rules on and off, the non-root user, and a
//! pasted digest table. Every field maps onto one field of core's `Settings`.

use dfharden_core::rules::Category;
use dfharden_core::{Profile, ALL_RULES};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::markdown;
use crate::state::{Action, Form, FormProblems, State};

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub form: Form,
    pub problems: FormProblems,
    /// Digests the table holds.
    pub digest_count: usize,
    pub dispatch: UseReducerDispatcher<State>,
}

/// `supply-chain` as `Supply chain`.
fn category_label(name: &str) -> String {
    let spaced = name.replace('-', " ");
    let mut chars = spaced.chars();
    // ASCII only: `char::to_uppercase` would pull Unicode case tables (13 KB) into the wasm.
    chars.next().map(|c| std::iter::once(c.to_ascii_uppercase()).chain(chars).collect()).unwrap_or_default()
}

fn input_value(event: &Event) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

#[component]
pub fn SettingsPanel(props: &SettingsProps) -> Html {
    let form = &props.form;
    let d = &props.dispatch;
    let profile_radio = |profile: Profile, id: &'static str, label: &'static str, help: &'static str| {
        let d = d.clone();
        let onchange = Callback::from(move |_: Event| d.dispatch(Action::SetProfile(profile)));
        html! {
            <div class="choice">
                <input type="radio" name="profile" {id} value={id} checked={form.profile == profile} {onchange} />
                <label for={id}>{ label }<span class="help">{ help }</span></label>
            </div>
        }
    };
    let on_unsafe = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let choice = match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "on" => Some(true),
                "off" => Some(false),
                _ => None,
            };
            d.dispatch(Action::SetUnsafeFixes(choice));
        })
    };
    let unsafe_value = match form.unsafe_fixes {
        None => "auto",
        Some(true) => "on",
        Some(false) => "off",
    };
    let on_user = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| d.dispatch(Action::SetUserName(input_value(&e))))
    };
    let on_uid = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| d.dispatch(Action::SetUid(input_value(&e))))
    };
    let on_force = {
        let d = d.clone();
        Callback::from(move |e: Event| d.dispatch(Action::SetForce(e.target_unchecked_into::<HtmlInputElement>().checked())))
    };
    let on_digests = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            d.dispatch(Action::SetDigests(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
        })
    };
    let on_reset = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ResetSettings))
    };
    let categories = Category::ALL.iter().map(|&category| {
        let rules: Vec<_> = ALL_RULES.iter().filter(|r| r.meta.category == category).collect();
        let all_on = rules.iter().all(|r| form.rule_on(r.meta));
        let name = category.name();
        let on_all = {
            let d = d.clone();
            Callback::from(move |e: Event| {
                d.dispatch(Action::SetCategory(name, e.target_unchecked_into::<HtmlInputElement>().checked()))
            })
        };
        let boxes = rules.iter().map(|rule| {
            let meta = rule.meta;
            let id = format!("rule-{}", meta.code);
            let d = d.clone();
            let onchange = Callback::from(move |e: Event| {
                d.dispatch(Action::SetRule(meta.code.to_string(), e.target_unchecked_into::<HtmlInputElement>().checked()))
            });
            html! {
                <li>
                    <input type="checkbox" id={id.clone()} data-code={meta.code} checked={form.rule_on(meta)} {onchange} />
                    <label for={id}><span class="chip">{ meta.code }</span>{ " " }{ meta.name }
                        <span class="help">{ markdown::inline(meta.summary) }</span></label>
                </li>
            }
        });
        let all_id = format!("category-{name}");
        html! {
            <fieldset class="category">
                <legend>
                    <input type="checkbox" id={all_id.clone()} checked={all_on} onchange={on_all} />
                    <label for={all_id}>{ category_label(name) }</label>
                </legend>
                <ul>{ for boxes }</ul>
            </fieldset>
        }
    });
    let problem = |p: &Option<String>, id: &'static str| match p {
        Some(text) => html! { <p class="problem" {id} role="alert">{ markdown::inline(text) }</p> },
        None => html! {},
    };
    let digest_problems = props.problems.digests.iter().map(|(line, message)| {
        html! { <li>{ format!("line {line}: ") }{ markdown::inline(message) }</li> }
    });
    html! {
        <div class="settings-body">
            <fieldset>
                <legend>{ "Profile" }</legend>
                { profile_radio(Profile::Strict, "strict", "Strict", " — the full hardening, unsafe fixes and restructuring included (the CLI's default)") }
                { profile_radio(Profile::Basic, "basic", "Basic", " — safe fixes only: nothing that changes what the image does") }
            </fieldset>
            <div class="field">
                <label for="unsafe-fixes">{ "Unsafe fixes" }</label>
                <select id="unsafe-fixes" onchange={on_unsafe}>
                    <option value="auto" selected={unsafe_value == "auto"}>{ "As the profile says" }</option>
                    <option value="on" selected={unsafe_value == "on"}>{ "On (--unsafe-fixes)" }</option>
                    <option value="off" selected={unsafe_value == "off"}>{ "Off (--no-unsafe-fixes)" }</option>
                </select>
            </div>
            <fieldset>
                <legend>{ "Non-root user the image runs as" }</legend>
                <div class="field">
                    <label for="user-name">{ "Name" }</label>
                    <input id="user-name" type="text" spellcheck="false" autocomplete="off" value={form.user_name.clone()} oninput={on_user} />
                    { problem(&props.problems.user_name, "user-name-problem") }
                </div>
                <div class="field">
                    <label for="user-uid">{ "uid and gid" }</label>
                    <input id="user-uid" type="text" inputmode="numeric" autocomplete="off" value={form.uid.clone()} oninput={on_uid} />
                    { problem(&props.problems.uid, "uid-problem") }
                </div>
            </fieldset>
            <div class="field check">
                <input type="checkbox" id="force" checked={form.force} onchange={on_force} />
                <label for="force">{ "Rewrite despite syntax errors (--force)" }</label>
            </div>
            <fieldset class="rules">
                <legend>{ "Rules" }</legend>
                { for categories }
            </fieldset>
            <div class="field">
                <label for="digests">{ "Digest table" }</label>
                <p class="help" id="digests-help">{ "One image per line: " }<code>{ "python:3.12 sha256:…" }</code>
                    { ". Base images found here are pinned to these digests; nothing is looked up over the network." }</p>
                <textarea id="digests" rows="4" spellcheck="false" aria-describedby="digests-help"
                    placeholder="python:3.12 sha256:0123…" value={form.digests.clone()} oninput={on_digests} />
                <p class="help" id="digest-count">{ match props.digest_count {
                    1 => "1 digest known.".to_string(),
                    n => format!("{n} digests known."),
                } }</p>
                if !props.problems.digests.is_empty() {
                    <ul class="problem" id="digest-problems" role="alert">{ for digest_problems }</ul>
                }
            </div>
            <button type="button" id="reset-settings" onclick={on_reset}>{ "Reset settings to the defaults" }</button>
        </div>
    }
}
