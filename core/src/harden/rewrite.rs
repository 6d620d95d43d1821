//! Turning an [`AppPlan`] into edits: the stage that built and ran the app becomes the build
//! stage, and a new final stage on a minimal image receives only what the app needs.
//!
//! The existing text is never re-printed: the build stage gets `AS build` and the planned build
//! changes spliced in; runtime metadata (EXPOSE, LABEL, STOPSIGNAL, HEALTHCHECK, CMD, ENTRYPOINT)
//! moves to the final stage, copied byte for byte where it stays valid; ENV lines are copied.

use super::analysis::AppPlan;
use crate::knowledge::FinalImage;
use crate::fix::Edit;
use crate::rules::helpers::exec_form;
use crate::model::Stage;
use crate::rules::Context;
use crate::syntax::{Arguments, Instruction, Keyword, TokenKind};

/// Keywords whose instructions leave the build stage for the final stage.
fn moves_to_final(keyword: Keyword) -> bool {
    matches!(keyword, Keyword::Expose | Keyword::Label | Keyword::Stopsignal | Keyword::Healthcheck | Keyword::Cmd | Keyword::Entrypoint)
}

/// The name for the build stage: its own name, or `build` (`build-stage` if taken).
pub fn build_stage_name(ctx: &Context<'_>, stage: &Stage) -> String {
    if let Some(name) = &stage.name {
        return name.clone();
    }
    let taken = |n: &str| ctx.model.stages.iter().any(|s| s.name.as_deref() == Some(n));
    if taken("build") { "build-stage".to_string() } else { "build".to_string() }
}

/// Writes a keyword like the file writes them.
fn kw(ctx: &Context<'_>, like: &Instruction, keyword: &str) -> String {
    crate::rules::helpers::keyword_like(ctx, like, keyword)
}

/// The edits of the restructure.
pub fn edits(ctx: &Context<'_>, stage: &Stage, plan: &AppPlan, image: &FinalImage) -> Vec<Edit> {
    let newline = ctx.newline();
    let from = ctx.model.instructions[stage.from];
    let name = build_stage_name(ctx, stage);
    let mut edits = Vec::new();

    // 1. Build changes (`CGO_ENABLED=0`, a tag suffix): first, so that a change at the end
    // of the base reference stays in front of the stage name inserted there too.
    for change in &plan.build_changes {
        edits.push(Edit::replace(crate::syntax::TextRange::new(change.at, change.at + change.replaces), change.insert.clone()));
    }
    // 2. Name the build stage.
    if stage.name.is_none() {
        let as_kw = if ctx.text(from.keyword_range).chars().all(|c| c.is_ascii_lowercase()) { "as" } else { "AS" };
        edits.push(Edit::insert(stage.base.range.end, format!(" {as_kw} {name}")));
    }
    // 3. Move runtime metadata out of the build stage; remember what to re-emit.
    let mut carried_text: Vec<String> = Vec::new();
    let mut env_lines: Vec<String> = Vec::new();
    let mut last_kept: &Instruction = from;
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        if moves_to_final(instruction.keyword) {
            edits.push(Edit::delete(instruction.range));
            if matches!(instruction.keyword, Keyword::Expose | Keyword::Label | Keyword::Stopsignal | Keyword::Healthcheck) {
                carried_text.push(ctx.text(instruction.code_range()).to_string());
            }
        } else {
            last_kept = instruction;
            if instruction.keyword == Keyword::Env && !instruction.tokens.iter().any(|t| t.kind == TokenKind::Continuation) {
                if let Arguments::Pairs(_) = &instruction.arguments {
                    env_lines.push(ctx.text(instruction.code_range()).to_string());
                }
            }
        }
    }
    // 4. An extra build step (e.g. compiling what `go run` compiled at start-up).
    let mut tail = String::new();
    if let Some(step) = &plan.extra_build_step {
        tail.push_str(&format!("{} {step}{newline}", kw(ctx, from, "RUN")));
    }
    // 5. The final stage.
    let mut final_stage = vec![String::new(), format!("{} {}", kw(ctx, from, "FROM"), image.reference)];
    let moved: Vec<&str> = env_lines.iter().chain(&carried_text).map(String::as_str).collect();
    for declaration in args_used(ctx, stage, &moved) {
        final_stage.push(format!("{} {declaration}", kw(ctx, from, "ARG")));
    }
    if let Some(workdir) = &plan.workdir {
        final_stage.push(format!("{} {workdir}", kw(ctx, from, "WORKDIR")));
    }
    final_stage.extend(env_lines);
    for env in &plan.env {
        final_stage.push(format!("{} {env}", kw(ctx, from, "ENV")));
    }
    for carry in &plan.carry {
        final_stage.push(format!("{} --from={name} {} {}", kw(ctx, from, "COPY"), carry.from, carry.to));
    }
    final_stage.extend(carried_text);
    final_stage.push(format!("{} {}", kw(ctx, from, "USER"), image.user));
    if let Some(entrypoint) = &plan.entrypoint {
        final_stage.push(format!("{} {}", kw(ctx, from, "ENTRYPOINT"), exec_form(entrypoint)));
    }
    if let Some(cmd) = &plan.cmd {
        final_stage.push(format!("{} {}", kw(ctx, from, "CMD"), exec_form(cmd)));
    }
    let appended = final_stage.join(newline);
    // Append after the last instruction kept in the build stage (deleted ones may follow).
    let end = last_kept.range.end;
    let starts_line = ctx.source[..end].ends_with('\n');
    let mut text = String::new();
    if !starts_line {
        text.push_str(newline);
    }
    text.push_str(&tail);
    text.push_str(&appended);
    if starts_line {
        text.push_str(newline);
    }
    // A dangling continuation at the end of the file would swallow the next line.
    if let Some(dangling) = crate::rules::helpers::dangling_continuation(last_kept) {
        edits.push(Edit::delete(dangling));
    }
    edits.push(Edit::insert(end, text));
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    merge_adjacent(edits)
}

/// The build arguments the lines moved to the final stage use (`ENV VERSION=$VERSION`,
/// `LABEL org.opencontainers.image.version=${VERSION}`): a new stage sees none of the build
/// stage's, so each is declared again, with the build stage's default, or bare for a global
/// one (which a bare declaration brings into scope with its global default).
fn args_used(ctx: &Context<'_>, stage: &Stage, moved: &[&str]) -> Vec<String> {
    let mentions = |name: &str| moved.iter().any(|text| mentions(text, name));
    let mut out: Vec<(String, String)> = Vec::new();
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        if instruction.keyword != Keyword::Arg {
            continue;
        }
        for (name, default) in crate::model::declarations(instruction) {
            if mentions(&name) {
                let declaration = match default {
                    Some(default) if !default.contains(char::is_whitespace) => format!("{name}={default}"),
                    _ => name.clone(),
                };
                out.retain(|(n, _)| *n != name);
                out.push((name, declaration));
            }
        }
    }
    for arg in &ctx.model.global_args {
        if mentions(&arg.name) && !out.iter().any(|(n, _)| *n == arg.name) {
            out.push((arg.name.clone(), arg.name.clone()));
        }
    }
    out.into_iter().map(|(_, declaration)| declaration).collect()
}

/// Whether `text` refers to the variable `name` (`$name` or `${name...}`, not `$names`).
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices('$').any(|(at, _)| {
        let rest = &text[at + 1..];
        match rest.strip_prefix('{') {
            Some(braced) => braced.strip_prefix(name).is_some_and(|tail| tail.starts_with(['}', ':'])),
            None => rest.strip_prefix(name).is_some_and(|tail| !tail.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')),
        }
    })
}

/// Deleting an instruction that ends where the final stage is inserted gives two edits at the
/// same offset; fold such pairs into one so the edit list stays non-overlapping and ordered.
fn merge_adjacent(edits: Vec<Edit>) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits {
        if let Some(last) = out.last_mut() {
            if last.range.end == edit.range.start && (edit.range.is_empty() || last.range.is_empty()) {
                last.range = last.range.cover(edit.range);
                last.content.push_str(&edit.content);
                continue;
            }
        }
        out.push(edit);
    }
    out
}
