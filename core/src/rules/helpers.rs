//! Small helpers shared by rules: where to insert a line, how to spell a keyword the way the
//! file spells keywords, what the current user is.

use crate::fix::Edit;
use crate::model::shell::{Script, ScriptOrigin, ShellWord, SimpleCommand};
use crate::model::{Base, BaseRef, Dockerfile, ImageRef, Stage};
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

/// The stages whose instructions make up the image of `stage`, oldest first and ending with
/// `stage` itself: `FROM base` builds on everything `base` did.
pub fn stage_chain(model: &Dockerfile<'_>, stage: usize) -> Vec<usize> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Base::Stage { index } = model.stages[current].base.base {
        // A stage can only be built on an earlier one; the check keeps a malformed model from
        // looping (and, unlike a search of the chain, costs nothing on thousands of stages).
        if index >= current {
            break;
        }
        chain.push(index);
        current = index;
    }
    chain.reverse();
    chain
}

/// The instructions after FROM of `stage` and of the stages it is built on, in build order.
pub fn chain_instructions(model: &Dockerfile<'_>, stage: usize) -> Vec<usize> {
    stage_chain(model, stage).into_iter().flat_map(|s| model.stages[s].body.iter().copied()).collect()
}

/// The instructions that end up in the final image, in build order (empty without a stage).
pub fn final_chain_instructions(model: &Dockerfile<'_>) -> Vec<usize> {
    model.final_stage().map_or_else(Vec::new, |stage| chain_instructions(model, stage.index))
}

/// The packages named by a package manager's install command (`apt-get install -y curl git`,
/// `apk add --no-cache curl`, `dnf install sudo`), as written. Empty for any other command.
pub fn installed_packages(command: &SimpleCommand) -> Vec<&ShellWord> {
    let verbs: &[&str] = match command.program() {
        Some("apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "tdnf") => &["install"],
        Some("apk") => &["add"],
        Some("zypper") => &["install", "in"],
        _ => return Vec::new(),
    };
    let args = command.args();
    // Options may come before the verb (`apt-get -o X=Y install`): look for the verb itself.
    let Some(verb) = args.iter().position(|w| verbs.contains(&w.text.as_str())) else { return Vec::new() };
    args[verb + 1..].iter().filter(|w| !w.text.starts_with('-')).collect()
}

/// A package name without the version or architecture written after it (`sudo=1.9.13-3`,
/// `sudo>1.9`, `sudo:amd64` → `sudo`).
pub fn package_name(written: &str) -> &str {
    written.split(['=', '<', '>', '~', ':']).next().unwrap_or_default()
}

/// An edit that deletes a whole instruction but keeps the comment lines written inside its
/// continuation lines, which are usually notes about something else.
pub fn delete_instruction(ctx: &Context<'_>, instruction: &Instruction) -> Edit {
    let comments: String = instruction
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| format!("{}{}", ctx.text(t.range), ctx.newline()))
        .collect();
    Edit::replace(instruction.range, comments)
}

/// Whether a comment line sits inside `range` of the instruction: an edit that replaces the
/// range would delete it.
pub fn has_comment_within(instruction: &Instruction, range: TextRange) -> bool {
    instruction.tokens.iter().any(|t| t.kind == TokenKind::Comment && range.contains_range(t.range))
}

/// A `chmod` a command runs, directly or through `find -exec`, `xargs` or `sudo`.
pub struct Chmod<'c> {
    pub mode: &'c ShellWord,
    /// The files it changes, as written (`{}` under `find -exec`).
    pub targets: &'c [ShellWord],
    /// `-R`: the mode also applies to everything under each target.
    pub recursive: bool,
}

/// The `chmod` this command runs, if any.
pub fn chmod_of(command: &SimpleCommand) -> Option<Chmod<'_>> {
    let start = command.program_index()?;
    let words = &command.words[start..];
    let runs_others = matches!(command.program(), Some("find" | "xargs" | "sudo" | "doas" | "busybox" | "env"));
    let at = words
        .iter()
        .position(|w| w.text.rsplit('/').next() == Some("chmod"))
        .filter(|&at| at == 0 || runs_others)?;
    let mut recursive = false;
    let mut rest = &words[at + 1..];
    while let Some(option) = rest.first().filter(|w| is_chmod_option(&w.text)) {
        if option.text.starts_with("--reference") {
            return None;
        }
        recursive |= option.text == "--recursive" || (!option.text.starts_with("--") && option.text.contains('R'));
        rest = &rest[1..];
    }
    let (mode, after) = rest.split_first()?;
    // Under `find -exec chmod MODE {} +`, the files end where the `-exec` does.
    let end = after.iter().position(|w| matches!(w.text.as_str(), ";" | "+")).unwrap_or(after.len());
    Some(Chmod { mode, targets: &after[..end], recursive })
}

/// `-R`, `-v`, `--recursive`: options of chmod. (`-w` or `-x` are modes, not options.)
fn is_chmod_option(word: &str) -> bool {
    let short_options = |letters: &str| !letters.is_empty() && letters.chars().all(|c| "cfvRHLPh".contains(c));
    word.starts_with("--") || word.strip_prefix('-').is_some_and(short_options)
}

/// One clause of a symbolic mode: `go+rw-x` has who `go` and actions `+rw`, `-x`.
pub struct ModeClause<'m> {
    /// `u`, `g`, `o`, `a` letters; empty means "all, minus the umask".
    pub who: &'m str,
    /// Each operator (`+`, `-`, `=`) with the permission letters after it.
    pub actions: Vec<(char, &'m str)>,
}

/// The clauses of a symbolic mode (`u+x,go-w`), or `None` if `mode` is not one.
pub fn symbolic_mode(mode: &str) -> Option<Vec<ModeClause<'_>>> {
    if mode.is_empty() || !mode.chars().all(|c| "ugoa+-=rwxXst,".contains(c)) {
        return None;
    }
    mode.split(',')
        .map(|clause| {
            let who_end = clause.find(['+', '-', '=']).filter(|&i| clause[..i].chars().all(|c| "ugoa".contains(c)))?;
            let mut actions = Vec::new();
            let mut rest = &clause[who_end..];
            while let Some(op) = rest.chars().next() {
                let end = rest[1..].find(['+', '-', '=']).map_or(rest.len(), |i| i + 1);
                actions.push((op, &rest[1..end]));
                rest = &rest[end..];
            }
            Some(ModeClause { who: &clause[..who_end], actions })
        })
        .collect()
}

/// A numeric mode (`755`, `1777`, `0644`), or `None` if `mode` is not one.
pub fn numeric_mode(mode: &str) -> Option<u32> {
    if mode.is_empty() || mode.len() > 5 {
        return None;
    }
    u32::from_str_radix(mode, 8).ok().filter(|_| mode.chars().all(|c| c.is_digit(8)))
}

/// The `CMD` and `ENTRYPOINT` instructions (indexes) an image starts with.
#[derive(Debug, Default)]
pub struct StartCommands {
    pub cmd: Option<usize>,
    pub entrypoint: Option<usize>,
}

/// The `CMD` and `ENTRYPOINT` in force at the end of `stage`, following `FROM <stage>` chains:
/// the last of each, except that an `ENTRYPOINT` drops a `CMD` inherited from an earlier stage
/// (BuildKit resets `CMD` when a stage sets `ENTRYPOINT` before its own `CMD`).
pub fn start_commands(model: &Dockerfile<'_>, stage: usize) -> StartCommands {
    let mut start = StartCommands::default();
    for s in stage_chain(model, stage) {
        let mut cmd_set = false;
        for &index in &model.stages[s].body {
            match model.instructions[index].keyword {
                Keyword::Cmd => {
                    start.cmd = Some(index);
                    cmd_set = true;
                }
                Keyword::Entrypoint => {
                    start.entrypoint = Some(index);
                    if !cmd_set {
                        start.cmd = None;
                    }
                }
                _ => {}
            }
        }
    }
    start
}
