//! What `check` finds in the text, each with a button that selects the place in the editor,
//! then what the rewrite left in the hardened file ([`NotDone`]).

use std::rc::Rc;

use dfharden_core::render::Location;
use dfharden_core::syntax::{LineIndex, Severity as SyntaxSeverity, TextRange};
use yew::prelude::*;

use crate::components::not_done::NotDone;
use crate::components::rule_panel::applicability_label;
use crate::markdown;
use crate::state::{severity_name, Analysis};

/// Where to jump: UTF-16 offsets into the editor's text (what a text area counts) and the
/// 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jump {
    pub start: u32,
    pub end: u32,
    pub line: usize,
}

fn utf16_offset(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].encode_utf16().count() as u32
}

pub fn jump_to(text: &str, index: &LineIndex, range: TextRange) -> (Jump, Location) {
    let location = Location::of(text, index, range);
    let jump = Jump { start: utf16_offset(text, range.start), end: utf16_offset(text, range.end), line: location.line };
    (jump, location)
}

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub analysis: Rc<Analysis>,
    pub on_jump: Callback<Jump>,
}

#[component]
pub fn Findings(props: &FindingsProps) -> Html {
    let analysis = &props.analysis;
    let text = analysis.source.as_str();
    let index = LineIndex::new(text);
    let jump_button = |range: TextRange, label: String| {
        let (jump, location) = jump_to(text, &index, range);
        let on_jump = props.on_jump.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_jump.emit(jump));
        let title = format!("Select line {} in the editor", location.line);
        (location, html! { <button type="button" class="jump" data-line={location.line.to_string()} {title} {onclick}>{ label }</button> })
    };
    let errors = analysis.report.syntax_errors.iter().map(|e| {
        let at = Location::of(text, &index, e.range);
        let label = format!("{}:{}: {}", at.line, at.column, e.message);
        let (_, button) = jump_button(e.range, label);
        let class = if e.severity == SyntaxSeverity::Error { "error" } else { "warning" };
        html! { <li {class}>{ button }</li> }
    });
    let findings = analysis.report.findings.iter().map(|f| {
        let location = Location::of(text, &index, f.range);
        let (_, button) = jump_button(f.range, format!("line {}", location.line));
        let fix = match &f.fix {
            Some(fix) => format!("fix: {}", applicability_label(fix.applicability)),
            None => "no automatic fix".to_string(),
        };
        html! {
            <li class={classes!("finding", severity_name(f.severity))} data-code={f.code}>
                { button }
                <span class={classes!("severity", severity_name(f.severity))}>{ severity_name(f.severity) }</span>
                <span class="chip">{ f.code }</span>
                <span class="name">{ f.name }</span>
                <span class="message">{ markdown::inline(&f.message) }</span>
                <span class="fix-kind">{ fix }</span>
            </li>
        }
    });
    let count = analysis.report.findings.len();
    html! {
        <section class="findings" aria-labelledby="findings-title">
            <h2 id="findings-title" class="visually-hidden">{ "Findings" }</h2>
            if !analysis.report.syntax_errors.is_empty() {
                <h3>{ "Syntax" }</h3>
                <ul id="errors">{ for errors }</ul>
            }
            <p class="count">{ match count {
                0 => "No findings.".to_string(),
                1 => "1 finding in the text as it is:".to_string(),
                n => format!("{n} findings in the text as it is:"),
            } }</p>
            <ol id="findings-list">{ for findings }</ol>
            <NotDone analysis={analysis.clone()} />
        </section>
    }
}
