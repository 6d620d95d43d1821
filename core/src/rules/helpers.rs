//! Small helpers shared by rules: where to insert a line, how to spell a keyword the way the
//! file spells keywords, what the current user is.

use crate::fix::Edit;
use crate::model::shell::{Script, ScriptOrigin, SimpleCommand};
use crate::model::{Base, BaseRef, ImageRef, Stage};
use crate::syntax::{Arguments, Instruction, Keyword, TextRange, TokenKind, Word};

use super::Context;

/// An edit that inserts `line` (without line ending) as a new line after `instruction`,
/// using the file's line ending and the instruction's indentation.
///
/// When the instruction runs into the end of the file with a trailing escape character (a
/// continuation that never continues), the new line would join it; the edit then also removes
/// that escape, which changes nothing for BuildKit since the end of the file ends the line.
pub fn insert_line_after(ctx: &Context<'_>, instruction: &Instruction, line: &str) -> Edit {
    let newline = ctx.newline();
    let end = instruction.range.end;
    let indent = indentation(ctx, instruction);
    if let Some(dangling) = dangling_continuation(instruction) {
        let between = &ctx.source[dangling.end..end];
        let ending = if between.is_empty() { newline } else { between };
        let trailing = if between.is_empty() { "" } else { newline };
        return Edit::replace(TextRange::new(dangling.start, end), format!("{ending}{indent}{line}{trailing}"));
    }
    if ctx.source[..end].ends_with('\n') {
        Edit::insert(end, format!("{indent}{line}{newline}"))
    } else {
        // The file ends without a newline: start one, and keep the file's own ending style.
        Edit::insert(end, format!("{newline}{indent}{line}"))
    }
}

/// An edit that inserts `line` as a new line before `instruction`.
pub fn insert_line_before(ctx: &Context<'_>, instruction: &Instruction, line: &str) -> Edit {
    let indent = indentation(ctx, instruction);
    Edit::insert(instruction.range.start, format!("{indent}{line}{}", ctx.newline()))
}

fn indentation<'a>(ctx: &Context<'a>, instruction: &Instruction) -> &'a str {
    instruction
        .tokens
        .first()
        .filter(|t| t.kind == TokenKind::Indent)
        .map_or("", |t| ctx.text(t.range))
}

/// `keyword` spelled like the file spells its keywords (all lower case if this one is).
pub fn keyword_like(ctx: &Context<'_>, instruction: &Instruction, keyword: &str) -> String {
    let written = ctx.text(instruction.keyword_range);
    if written.chars().all(|c| c.is_ascii_lowercase()) {
        keyword.to_ascii_lowercase()
    } else {
        keyword.to_ascii_uppercase()
    }
}

/// The commands of every script of instruction `index`, with the script they belong to.
pub fn commands<'c>(ctx: &'c Context<'_>, index: usize) -> impl Iterator<Item = (&'c Script, &'c SimpleCommand)> {
    ctx.scripts[index].iter().flat_map(|s| s.commands.iter().map(move |c| (s, c)))
}

/// Whether edits at word positions of this script are exact (not inside a JSON string).
pub fn exact_positions(script: &Script) -> bool {
    script.origin != ScriptOrigin::ExecForm
}

/// The user named by a USER instruction (`app` in `USER app:app`), if written literally.
pub fn user_of(instruction: &Instruction) -> Option<&str> {
    if instruction.keyword != Keyword::User {
        return None;
    }
    match &instruction.arguments {
        Arguments::Text(word) => Some(word.text.split(':').next().unwrap_or_default().trim()),
        _ => None,
    }
}

/// Whether a USER value means root.
pub fn is_root_user(user: &str) -> bool {
    matches!(user, "root" | "0")
}

/// Instructions that only set image metadata: where they sit in a stage changes nothing.
pub fn is_metadata(instruction: &Instruction) -> bool {
    matches!(
        instruction.keyword,
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Expose | Keyword::Healthcheck | Keyword::Label | Keyword::Stopsignal
    )
}

/// The instruction of a stage after which new build steps (a user, a `USER`) belong: the last
/// one before the trailing block of metadata instructions (CMD, ENTRYPOINT, EXPOSE...), so the
/// stage still reads build steps first, then how the image runs.
pub fn last_build_step<'a>(ctx: &Context<'a>, stage: &crate::model::Stage) -> &'a Instruction {
    let mut last = ctx.model.instructions[stage.from];
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        if !is_metadata(instruction) {
            last = instruction;
        }
    }
    last
}

/// The escape character (and blanks) ending an instruction's last line when the instruction
/// runs into the end of the file: a line appended after it would join the instruction.
pub fn dangling_continuation(instruction: &Instruction) -> Option<TextRange> {
    let last = instruction.tokens.iter().rev().find(|t| matches!(t.kind, TokenKind::Code | TokenKind::Continuation | TokenKind::HeredocTerminator | TokenKind::HeredocBody))?;
    (last.kind == TokenKind::Continuation).then_some(last.range)
}

/// The registry image a stage is built on; `None` for stage references, `scratch`, and
/// references that could not be read (such as a build argument without a default).
pub fn base_image(stage: &Stage) -> Option<&ImageRef> {
    match &stage.base.base {
        Base::Image { image } => Some(image),
        _ => None,
    }
}

/// A base reference for a message: as written, and what it expands to when it uses build
/// arguments (`` `golang:${GO}` (`golang:1.22`) ``).
pub fn describe_base(base: &BaseRef) -> String {
    if base.written == base.expanded {
        format!("`{}`", base.written)
    } else {
        format!("`{}` (`{}`)", base.written, base.expanded)
    }
}

/// The sources of a COPY/ADD (every word but the destination), exec form included.
pub fn copy_sources(instruction: &Instruction) -> &[Word] {
    match &instruction.arguments {
        Arguments::List(words) | Arguments::Exec(words) if words.len() >= 2 => &words[..words.len() - 1],
        _ => &[],
    }
}
