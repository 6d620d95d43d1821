//! Small helpers shared by rules: where to insert a line, how to spell a keyword the way the
//! file spells keywords, what the current user is, which package manager a command runs, and
//! how to append a command to a RUN.

use crate::fix::Edit;
use crate::model::shell::{
    basename, is_redirection, Connector, Script, ScriptOrigin, ShellWord, SimpleCommand, RESERVED_WORDS,
};
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

/// An edit that inserts `line` as a new line before `instruction` and the comment lines right
/// above it, which describe it (`# user nobody` or `# hadolint ignore=DL3002` over a `USER`).
pub fn insert_line_before(ctx: &Context<'_>, instruction: &Instruction, line: &str) -> Edit {
    let indent = indentation(ctx, instruction);
    let at = start_of_leading_comments(ctx.text(TextRange::new(0, instruction.range.start)));
    Edit::insert(at, format!("{indent}{line}{}", ctx.newline()))
}

/// The offset in `before` (the text up to an instruction, which starts a line) where the
/// comment lines directly above it begin. A comment under a line continued with `\` or
/// `` ` `` belongs to that instruction, so the walk stops below it.
fn start_of_leading_comments(before: &str) -> usize {
    let mut at = before.len();
    while at > 0 {
        let line_start = before[..at - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &before[line_start..at];
        if !line.trim_start().starts_with('#') {
            break;
        }
        let above = before[..line_start].trim_end_matches(['\n', '\r']);
        if above.ends_with(['\\', '`']) {
            break;
        }
        at = line_start;
    }
    at
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
        .position(|w| w.text.ends_with("chmod") && basename(&w.text) == "chmod")
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

// Shell commands, package managers and RUN scripts: what the hygiene rules share.

/// The index of the word that names the program a command runs, past reserved words and
/// wrappers (see [`SimpleCommand::runs_index`]).
pub fn program_index(command: &SimpleCommand) -> Option<usize> {
    command.runs_index()
}

/// The word that names the program a command runs (`/usr/bin/apt` in `sudo /usr/bin/apt ...`).
pub fn program_word(command: &SimpleCommand) -> Option<&ShellWord> {
    program_index(command).map(|i| &command.words[i])
}

/// The program a command runs, without its path or a subshell's `(`: `apt-get`, `cd`.
pub fn program_name(command: &SimpleCommand) -> Option<&str> {
    command.runs_name()
}

/// The words after the program.
pub fn program_args(command: &SimpleCommand) -> &[ShellWord] {
    program_index(command).map_or(&[], |i| &command.words[i + 1..])
}

/// Where a command is written, without the reserved words before it (`then`, `do`, `!`): what a
/// finding about the command points at.
pub fn command_range(command: &SimpleCommand) -> TextRange {
    let first = command.words.iter().find(|w| {
        let text = w.text.trim_start_matches('(');
        !text.is_empty() && !RESERVED_WORDS.contains(&text)
    });
    first.map_or(command.range, |w| TextRange::new(w.range.start, command.range.end.max(w.range.start)))
}

/// Whether a word of `words` is one of `options`, including inside combined short options
/// (`-qy` has `-y`) and with a value (`--option=x` for `--option`).
pub fn has_option(words: &[ShellWord], options: &[&str]) -> bool {
    words.iter().any(|w| {
        let text = w.text.as_str();
        options.iter().any(|&option| {
            text == option
                || (option.starts_with("--") && text.strip_prefix(option).is_some_and(|rest| rest.starts_with('=')))
                || (option.len() == 2
                    && option.starts_with('-')
                    && option != "--"
                    && text.starts_with('-')
                    && !text.starts_with("--")
                    && !text.contains('=')
                    && text[1..].contains(&option[1..]))
        })
    })
}

/// The first word of `words` that is not an option nor the value of one of `value_options`,
/// with its index.
pub fn first_operand<'w>(words: &'w [ShellWord], value_options: &[&str]) -> Option<(usize, &'w ShellWord)> {
    let mut i = 0;
    while i < words.len() {
        let text = words[i].text.as_str();
        if !text.starts_with('-') || text == "-" {
            return Some((i, &words[i]));
        }
        i += if value_options.contains(&text) { 2 } else { 1 };
    }
    None
}

/// A package manager that rules know the options of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manager {
    /// `apt-get` and `apt`.
    Apt,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    /// `pip`, `pip3`, `pip3.12`, `python3 -m pip`.
    Pip,
}

impl Manager {
    fn from_program(program: &str) -> Option<Manager> {
        let manager = match program {
            "apt-get" | "apt" => Manager::Apt,
            "apk" => Manager::Apk,
            "yum" => Manager::Yum,
            "dnf" | "dnf5" => Manager::Dnf,
            "microdnf" => Manager::Microdnf,
            "zypper" => Manager::Zypper,
            _ if is_pip(program) => Manager::Pip,
            _ => return None,
        };
        Some(manager)
    }

    /// Options written before the subcommand that take the next word as their value.
    fn value_options(self) -> &'static [&'static str] {
        match self {
            Manager::Apt => &[
                "-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release", "-a",
                "--host-architecture", "-P", "--build-profiles",
            ],
            Manager::Apk => &[
                "-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file",
                "--timeout",
            ],
            Manager::Yum | Manager::Dnf | Manager::Microdnf => &[
                "-c", "--config", "-d", "--debuglevel", "-e", "--errorlevel", "-R", "--randomwait", "-x", "--exclude",
                "--installroot", "--releasever", "--enablerepo", "--disablerepo", "--repo", "--repoid", "--setopt",
                "--forcearch", "--downloaddir", "--destdir",
            ],
            Manager::Zypper => &[
                "-R", "--root", "-c", "--config", "-D", "--reposd-dir", "-C", "--cache-dir", "--raw-cache-dir",
                "--solv-cache-dir", "--pkg-cache-dir",
            ],
            Manager::Pip => &[
                "--python", "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--trusted-host",
                "--cert", "--client-cert", "--cache-dir", "--use-feature", "--use-deprecated", "--keyring-provider",
            ],
        }
    }

    /// Whether this is one of the RPM-based managers, which keep their caches under `/var/cache`.
    pub fn is_rpm(self) -> bool {
        matches!(self, Manager::Yum | Manager::Dnf | Manager::Microdnf)
    }
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(program: &str) -> bool {
    program
        .strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.') && !v.starts_with('.'))
}

/// `python`, `python3`, `python3.12`.
fn is_python(program: &str) -> bool {
    program
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.') && !v.starts_with('.'))
}

/// A package-manager command: `apt-get -y install curl`.
#[derive(Debug)]
pub struct PackageCommand<'c> {
    pub manager: Manager,
    /// The program as a message names it: `apt-get`, `pip3`, `python3 -m pip`.
    pub name: String,
    /// The words after the program (after `-m pip` for `python -m pip`).
    pub args: &'c [ShellWord],
    /// The subcommand (`install`) and its index in `args`.
    pub subcommand: &'c ShellWord,
    pub subcommand_index: usize,
}

/// What a package-manager subcommand does, whatever the manager calls it (`dnf in`, `zypper
/// up`, `yum update`): the one reading of subcommands that every rule shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// Installs packages (`apt-get install`, `apk add`, `dnf in`, `dnf reinstall`, `pip install`).
    Install,
    /// Upgrades installed packages (`apt-get upgrade`, `apk upgrade`, `yum update`, `dnf up`,
    /// `dnf distro-sync`, `zypper dup`).
    Upgrade,
    /// Only refreshes the package index (`apt-get update`, `apk update`, `dnf makecache`,
    /// `zypper refresh`).
    RefreshIndex,
    /// Cleans the package cache (`apt-get clean`, `dnf clean`, `zypper cc`).
    Clean,
    Other,
}

impl<'c> PackageCommand<'c> {
    /// Whether the subcommand is one of `names`, as written.
    pub fn is(&self, names: &[&str]) -> bool {
        names.contains(&self.subcommand.text.as_str())
    }

    /// What the subcommand does (its aliases are the manager's own: `update` upgrades with
    /// yum and dnf but only refreshes the index with apt and apk).
    pub fn verb(&self) -> Verb {
        let sub = self.subcommand.text.as_str();
        match self.manager {
            Manager::Apt => match sub {
                "install" | "reinstall" => Verb::Install,
                "upgrade" | "dist-upgrade" | "full-upgrade" => Verb::Upgrade,
                "update" => Verb::RefreshIndex,
                "clean" | "autoclean" | "auto-clean" | "dist-clean" | "distclean" => Verb::Clean,
                _ => Verb::Other,
            },
            Manager::Apk => match sub {
                "add" => Verb::Install,
                "upgrade" => Verb::Upgrade,
                "update" => Verb::RefreshIndex,
                _ => Verb::Other,
            },
            // dnf's aliases (`in`, `up`, `dsync`, `mc`) are in `dnf --help`; yum and microdnf
            // take the long names.
            Manager::Yum | Manager::Dnf | Manager::Microdnf => match sub {
                "install" | "in" | "reinstall" | "rei" | "localinstall" => Verb::Install,
                "update" | "upgrade" | "up" | "distro-sync" | "distrosync" | "dsync" | "upgrade-minimal"
                | "update-minimal" | "up-min" => Verb::Upgrade,
                "makecache" | "mc" => Verb::RefreshIndex,
                "clean" => Verb::Clean,
                _ => Verb::Other,
            },
            Manager::Zypper => match sub {
                "install" | "in" => Verb::Install,
                "update" | "up" | "dist-upgrade" | "dup" | "patch" => Verb::Upgrade,
                "refresh" | "ref" => Verb::RefreshIndex,
                "clean" | "cc" => Verb::Clean,
                _ => Verb::Other,
            },
            Manager::Pip => match sub {
                "install" => Verb::Install,
                _ => Verb::Other,
            },
        }
    }

    /// The words after the subcommand that are not options nor option values: package names.
    pub fn operands(&self) -> Vec<&'c ShellWord> {
        let mut rest = &self.args[self.subcommand_index + 1..];
        let mut out = Vec::new();
        while let Some((i, word)) = first_operand(rest, self.manager.value_options()) {
            if !is_redirection(&word.text) {
                out.push(word);
            }
            rest = &rest[i + 1..];
        }
        out
    }

    /// `apt-get install` (`apt install`).
    pub fn is_apt_install(&self) -> bool {
        self.manager == Manager::Apt && self.verb() == Verb::Install
    }
}

/// Reads `command` as a package-manager command, if it is one with a subcommand.
pub fn package_command(command: &SimpleCommand) -> Option<PackageCommand<'_>> {
    let program = program_name(command)?;
    let mut args = program_args(command);
    let (manager, name) = if is_python(program) {
        // `python3 -m pip install ...`; `-mpip` is the same.
        // Only interpreter options may come before `-m` (`python3 -u -m pip`), not a script.
        let at = args.iter().position(|w| w.text == "-m" || w.text == "-mpip" || !w.text.starts_with('-'))?;
        if !args[at].text.starts_with("-m") {
            return None;
        }
        let skip = if args[at].text == "-m" { 2 } else { 1 };
        if skip == 2 && args.get(at + 1).is_none_or(|w| w.text != "pip") {
            return None;
        }
        args = &args[at + skip..];
        (Manager::Pip, format!("{program} -m pip"))
    } else {
        (Manager::from_program(program)?, program.to_string())
    };
    let (subcommand_index, subcommand) = first_operand(args, manager.value_options())?;
    Some(PackageCommand { manager, name, args, subcommand, subcommand_index })
}

/// The value an apt configuration text gives `key` (`APT::Install-Recommends`), read from an
/// option (`-o APT::Install-Recommends=false`) or a configuration line
/// (`APT::Install-Recommends "0";`). Keys are compared without case, as apt does.
pub fn apt_setting(text: &str, key: &str) -> Option<bool> {
    let lower = text.to_ascii_lowercase();
    let key = key.to_ascii_lowercase();
    let mut found = None;
    let mut from = 0;
    while let Some(at) = lower[from..].find(&key) {
        let rest = lower[from + at + key.len()..]
            .trim_start_matches(|c: char| c == '=' || c == '"' || c == '\'' || c.is_whitespace());
        let value: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        match value.as_str() {
            "1" | "true" | "yes" | "on" | "with" | "enable" => found = Some(true),
            "0" | "false" | "no" | "off" | "without" | "disable" => found = Some(false),
            _ => {}
        }
        from += at + key.len();
    }
    found
}

/// The value apt configuration written earlier gives `key`: by a command before `before` in
/// the same RUN (`echo 'APT::Get::Assume-Yes "true";' > /etc/apt/apt.conf.d/90yes`), by earlier
/// instructions of the stage and the stages it is built on, or by a COPY heredoc. Options of
/// other apt commands do not count: they only apply to that command.
pub fn apt_configuration(ctx: &Context<'_>, index: usize, before: usize, key: &str) -> Option<bool> {
    let mut found = None;
    let mut read = |text: &str| {
        if let Some(value) = apt_setting(text, key) {
            found = Some(value);
        }
    };
    let history = stage_history(ctx, index);
    for &i in history.iter().chain(std::iter::once(&index)) {
        let instruction = ctx.model.instructions[i].effective();
        for (_, command) in commands(ctx, i) {
            if (i == index && command.range.start >= before)
                || package_command(command).is_some_and(|p| p.manager == Manager::Apt)
            {
                continue;
            }
            read(&command.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "));
        }
        // Heredocs that are files (COPY, or fed to a command) rather than scripts.
        for heredoc in &instruction.heredocs {
            if !ctx.scripts[i].iter().any(|s| s.range == heredoc.body) {
                read(heredoc.content(ctx.source));
            }
        }
    }
    found
}

/// The instructions before `index` in its stage, preceded by the instructions of the stages it
/// is built on (`FROM build`), oldest first: everything whose ENV, SHELL or files it inherits.
pub fn stage_history(ctx: &Context<'_>, index: usize) -> Vec<usize> {
    let Some(stage) = ctx.model.stage_of(index) else { return Vec::new() };
    let mut parents = Vec::new();
    let mut current = stage.index;
    while let Base::Stage { index: parent } = ctx.model.stages[current].base.base {
        if parent >= current || parents.contains(&parent) {
            break;
        }
        parents.push(parent);
        current = parent;
    }
    let mut out = Vec::new();
    for &parent in parents.iter().rev() {
        out.extend(&ctx.model.stages[parent].body);
    }
    out.extend(stage.body.iter().copied().filter(|&i| i < index));
    out
}

/// The targets of the cache and tmpfs mounts of a RUN (`--mount=type=cache,target=/var/cache/apt`):
/// what is written there never reaches the layer.
pub fn cache_mount_targets(instruction: &Instruction) -> Vec<String> {
    let mut targets = Vec::new();
    for flag in instruction.effective().flags.iter().filter(|f| f.name() == "mount") {
        let value = flag.value().unwrap_or_default();
        let mut kind = "bind";
        let mut target = None;
        for option in value.split(',') {
            match option.split_once('=') {
                Some(("type", v)) => kind = v,
                Some(("target" | "dst" | "destination", v)) => target = Some(v.trim_end_matches('/')),
                _ => {}
            }
        }
        if let (true, Some(target)) = (matches!(kind, "cache" | "tmpfs"), target) {
            targets.push(if target.is_empty() { "/".to_string() } else { target.to_string() });
        }
    }
    targets
}

/// Whether a cache or tmpfs mount of the RUN covers `path` (is it, or a directory above it).
pub fn mounts_cache_over(instruction: &Instruction, path: &str) -> bool {
    cache_mount_targets(instruction)
        .iter()
        .any(|t| crate::model::is_within(path, t))
}

/// The paths a recursive `rm` (`rm -rf`, `rm -r`, `rm -fR`...) removes, without a trailing `/`
/// or `/*`, each with whether it was a quoted glob (`"dir/*"`): the shell does not expand a
/// quoted `*`, so that one removes nothing.
fn recursive_rm_paths<'c>(ctx: &Context<'_>, script: &Script, command: &'c SimpleCommand) -> Vec<(&'c str, bool)> {
    let args = program_args(command);
    if program_name(command) != Some("rm") || !has_option(args, &["-r", "-R", "--recursive"]) {
        return Vec::new();
    }
    args.iter()
        .filter(|w| !w.text.starts_with('-'))
        .map(|w| match w.text.strip_suffix("/*") {
            Some(parent) => {
                let raw = ctx.text(w.range);
                let quoted = exact_positions(script) && (raw.ends_with("*\"") || raw.ends_with("*'"));
                (parent.trim_end_matches('/'), quoted)
            }
            None => (w.text.trim_end_matches('/'), false),
        })
        .filter(|(path, _)| !path.is_empty())
        .collect()
}

fn covers(path: &str, dir: &str) -> bool {
    dir == path || dir.strip_prefix(path).is_some_and(|rest| rest.starts_with('/'))
}

/// Whether `command` is a recursive `rm` of `dir`, of a directory above it, or of their
/// contents (`dir/*`).
pub fn removes_dir(ctx: &Context<'_>, script: &Script, command: &SimpleCommand, dir: &str) -> bool {
    recursive_rm_paths(ctx, script, command).iter().any(|&(path, quoted)| !quoted && covers(path, dir))
}

/// Whether `command` tries to remove the contents of `dir` with a quoted glob (`rm -rf "dir/*"`).
pub fn removes_dir_with_quoted_glob(ctx: &Context<'_>, script: &Script, command: &SimpleCommand, dir: &str) -> bool {
    recursive_rm_paths(ctx, script, command).iter().any(|&(path, quoted)| quoted && covers(path, dir))
}

/// An edit that runs one more command at the end of a RUN, and what it changes.
pub struct Appended {
    pub edit: Edit,
    /// Whether a failure of the script's former last command still fails the build: false for a
    /// heredoc script without `set -e`, whose exit status becomes the new command's.
    pub keeps_failures: bool,
}

/// Appends `command` to RUN `index`: ` && command` after the last command of a shell-form
/// script, or a new line at the end of a heredoc script. `None` for exec form, a shell that is
/// not POSIX (`SHELL ["powershell", ...]`), a heredoc with a non-shell `#!` line, or an
/// unterminated heredoc.
pub fn append_command(ctx: &Context<'_>, index: usize, command: &str) -> Option<Appended> {
    if !posix_shell(ctx, index) {
        return None;
    }
    let scripts = &ctx.scripts[index];
    let run = ctx.model.instructions[index].effective();
    if let Some(script) = scripts.iter().rev().find(|s| s.origin == ScriptOrigin::Heredoc) {
        let heredoc = run.heredocs.iter().find(|h| h.body == script.range)?;
        if heredoc.terminator.is_empty() {
            return None;
        }
        let body = ctx.text(script.range);
        let shebang = body.lines().next().and_then(|l| l.strip_prefix("#!"));
        if shebang.is_some_and(|line| !shebang_is_shell(line)) {
            return None;
        }
        let last = script.commands.last()?;
        let line_start = ctx.source[..last.range.start].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = ctx.source[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        let errexit = shebang.is_some_and(|line| {
            line.split_whitespace().skip(1).any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('e'))
        }) || script.commands.iter().any(sets_errexit)
            || heredoc_shell_has_errexit(ctx, index);
        let line = format!("{indent}{command}{}", ctx.newline());
        if !reads_back_as_last_command(&format!("{body}{line}"), command) {
            return None;
        }
        return Some(Appended { edit: Edit::insert(script.range.end, line), keeps_failures: errexit });
    }
    let script = scripts.iter().find(|s| s.origin == ScriptOrigin::ShellForm)?;
    let instruction = ctx.model.instructions[index];
    // Inside an open quote the new command would be quoted text, never a command.
    if crate::model::shell::ends_inside_quote(crate::model::shell::logical_text(instruction, script.range)?) {
        return None;
    }
    // After `cmd &` the new command would join the background job.
    let last = script.commands.last().filter(|c| c.connector != Connector::Background)?;
    let appended = format!(" && {command}");
    let before = crate::model::shell::logical_text(instruction, TextRange::new(script.range.start, last.range.end))?;
    if !reads_back_as_last_command(&format!("{before}{appended}"), command) {
        return None;
    }
    Some(Appended { edit: Edit::insert(last.range.end, appended), keeps_failures: true })
}

/// Whether `script`, which ends with the appended `command`, reads back with that command as
/// its last one. An unbalanced `$(` or quote earlier in the script (which BuildKit accepts;
/// the shell fails on it later) would make the new text part of a word: the fix would change
/// nothing the rules can see and be proposed again, round after round.
fn reads_back_as_last_command(script: &str, command: &str) -> bool {
    let commands = crate::model::shell::split(script, 0, &|a, b| TextRange::new(a, b));
    commands.last().is_some_and(|last| last.words.iter().map(|w| w.text.as_str()).eq(command.split_whitespace()))
}

/// `set -e`, `set -eux`, `set -o errexit`.
fn sets_errexit(command: &SimpleCommand) -> bool {
    let args = program_args(command);
    program_name(command) == Some("set")
        && (args
            .iter()
            .any(|w| w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('e') && w.text != "-o")
            || args.windows(2).any(|p| p[0].text == "-o" && p[1].text == "errexit"))
}

/// Whether the shell that runs a RUN's heredoc was started with `-e`: `RUN bash -e <<EOF`, or a
/// bare `RUN <<EOF` under `SHELL ["/bin/bash", "-e", "-c"]`.
fn heredoc_shell_has_errexit(ctx: &Context<'_>, index: usize) -> bool {
    let has_e = |words: &[&str]| {
        words
            .iter()
            .any(|w| (w.starts_with('-') && !w.starts_with("--") && w.contains('e') && *w != "-o") || *w == "errexit")
    };
    let first =
        ctx.scripts[index].iter().find(|s| s.origin == ScriptOrigin::ShellForm).and_then(|s| s.commands.first());
    match first.and_then(program_name) {
        Some(_) => {
            let words: Vec<&str> =
                first.map_or(Vec::new(), |c| program_args(c).iter().map(|w| w.text.as_str()).collect());
            has_e(&words)
        }
        None => match last_shell(ctx, index) {
            Some(words) => has_e(&words.iter().skip(1).map(String::as_str).collect::<Vec<_>>()),
            None => false,
        },
    }
}

/// The words of the SHELL instruction in force at instruction `index`, if any.
fn last_shell(ctx: &Context<'_>, index: usize) -> Option<Vec<String>> {
    stage_history(ctx, index).into_iter().rev().find_map(|i| {
        let instruction = ctx.model.instructions[i];
        match (&instruction.keyword, &instruction.arguments) {
            (Keyword::Shell, Arguments::Exec(words)) => Some(words.iter().map(|w| w.text.clone()).collect()),
            _ => None,
        }
    })
}

/// The commands of RUN `index` in the order they run: a heredoc script runs when the command
/// that reads it, the first one of the `RUN` line (`RUN <<EOF`, `RUN bash <<EOF && ...`), runs.
pub fn commands_in_order<'c>(ctx: &'c Context<'_>, index: usize) -> Vec<(&'c Script, &'c SimpleCommand)> {
    let scripts = &ctx.scripts[index];
    let of = |heredoc: bool| {
        scripts
            .iter()
            .filter(move |s| (s.origin == ScriptOrigin::Heredoc) == heredoc)
            .flat_map(|s| s.commands.iter().map(move |c| (s, c)))
    };
    let mut line = of(false);
    let mut ordered: Vec<_> = line.next().into_iter().collect();
    ordered.extend(of(true));
    ordered.extend(line);
    ordered
}

/// Whether RUN `index` runs under a POSIX shell (the default, or a SHELL naming `sh`, `bash`...),
/// where `&&` and `set -e` mean what the fixes expect.
pub fn posix_shell(ctx: &Context<'_>, index: usize) -> bool {
    last_shell(ctx, index).is_none_or(|words| words.first().is_some_and(|w| is_shell_program(basename(w))))
}

fn is_shell_program(program: &str) -> bool {
    matches!(program, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh")
}

/// Whether a `#!` line names a shell: `/bin/sh -e`, `/usr/bin/env bash`.
fn shebang_is_shell(line: &str) -> bool {
    let mut words = line.split_whitespace();
    match words.next().map(basename) {
        Some("env") => words.find(|w| !w.starts_with('-')).is_some_and(|w| is_shell_program(basename(w))),
        Some(program) => is_shell_program(program),
        None => false,
    }
}

/// The words' values joined by spaces, to search for an option or setting.
pub fn joined(words: &[ShellWord]) -> String {
    words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Arguments written as an exec-form JSON array: `["a", "b"]`.
pub fn exec_form(args: &[String]) -> String {
    format!("[{}]", args.iter().map(|a| json_string(a)).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::start_of_leading_comments;

    #[test]
    fn leading_comments_stay_with_their_instruction() {
        let before = "RUN a\n# about the USER\n  # more\n";
        assert_eq!(start_of_leading_comments(before), "RUN a\n".len());
        assert_eq!(start_of_leading_comments("RUN a\n\n"), "RUN a\n\n".len(), "a blank line ends the block");
        assert_eq!(start_of_leading_comments("# only\n"), 0);
        // A comment inside a continued RUN belongs to the RUN.
        let before = "RUN a \\\n# inside\n  && b\n# above\n";
        assert_eq!(start_of_leading_comments(before), before.len() - "# above\n".len());
        let before = "RUN a \\\r\n# inside\r\n";
        assert_eq!(start_of_leading_comments(before), before.len());
    }
}
