use crate::model::shell::{ShellWord, SimpleCommand};
use crate::rules::helpers::{chmod_of, commands, numeric_mode, symbolic_mode};
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword, TextRange};

rule! {
    /// ## What it does
    /// Flags modes that let every user write: `chmod 777`, `chmod 666`, `chmod o+w`,
    /// `chmod a+w`, `mkdir -m 777`, `install -m 666`, `COPY --chmod=777`. The one exception is
    /// `/tmp` and `/var/tmp` with the sticky bit (`1777`), which is how shared temporary
    /// directories are meant to be.
    ///
    /// ## Why is this bad?
    /// "Others" are every user of the container other than the owner and group, including
    /// whatever account an attacker gets. A world-writable program, script or configuration
    /// file can be replaced by any of them, and the next time the application (perhaps
    /// running as another user) starts it or reads it, it runs the attacker's code. `chmod
    /// 777` is usually a shortcut to fix a "permission denied"; the real fix is to give the
    /// files to the user that needs them (`COPY --chown`, `chown`) and keep the mode tight.
    ///
    /// Modes without a "who" (`chmod +w`) are not reported: they leave out the bits of the
    /// umask, which is `022` in builds, so they never grant write to others.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// RUN chmod -R 777 /app
    /// USER 65532
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY --chown=65532:65532 . /app
    /// USER 65532
    /// ```
    ///
    /// Only the stages the final image needs are checked (the final stage, the stages it is
    /// built `FROM` and those it copies from): modes travel with `COPY --from`.
    ///
    /// ## References
    /// - Dockerfile reference: the `--chown` and `--chmod` options of `COPY` and `ADD`
    /// - chmod(1): symbolic modes, the sticky bit, and how the umask applies when no "who" is
    ///   given
    /// - No direct equivalent in hadolint, Trivy, Checkov or the CIS Docker Benchmark; it
    ///   supports CIS 4.1 (a non-root user only helps if it cannot rewrite what others run)
    pub struct WorldWritablePermissions {
        code: "DH105",
        name: "world-writable-permissions",
        category: Privilege,
        severity: Warning,
        fix: None,
        summary: "Files or directories are made writable by every user",
        aliases: [],
    }
}

/// A mode given to some files, and where it is written.
struct ModeUse<'a> {
    /// How the mode was given, for the message (`chmod -R 777`, `--chmod=666`).
    how: String,
    mode: &'a str,
    range: TextRange,
    targets: Vec<&'a str>,
    recursive: bool,
    /// `COPY --chmod`: the mode applies to the copied files, not to the destination.
    copied: bool,
}

/// DH105
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for stage in ctx.model.stages_needed_by_final() {
        for &index in &ctx.model.stages[stage].body {
            for mode_use in mode_uses(ctx, index) {
                if let Some(message) = judge(&mode_use) {
                    findings.push(ctx.finding(&WorldWritablePermissions::META, mode_use.range, message));
                }
            }
        }
    }
}

/// Every mode instruction `index` gives to files.
fn mode_uses<'a>(ctx: &'a Context<'_>, index: usize) -> Vec<ModeUse<'a>> {
    let instruction = ctx.model.instructions[index].effective();
    if matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
        let Some(flag) = instruction.flag("chmod") else { return Vec::new() };
        let destination = match &instruction.arguments {
            Arguments::List(words) | Arguments::Exec(words) => words.last().map(|w| w.text.as_str()),
            _ => None,
        };
        return vec![ModeUse {
            how: format!("--chmod={}", flag.value().unwrap_or_default()),
            mode: flag.value().unwrap_or_default(),
            range: flag.range,
            targets: destination.into_iter().collect(),
            recursive: false,
            copied: true,
        }];
    }
    commands(ctx, index).filter_map(|(_, command)| command_mode(command)).collect()
}

/// The mode a shell command gives: `chmod`, `mkdir -m`, `install -m`.
fn command_mode(command: &SimpleCommand) -> Option<ModeUse<'_>> {
    if let Some(chmod) = chmod_of(command) {
        let recursive = if chmod.recursive { " -R" } else { "" };
        return Some(ModeUse {
            how: format!("chmod{recursive} {}", chmod.mode.text),
            mode: &chmod.mode.text,
            range: chmod.mode.range,
            targets: chmod.targets.iter().map(|w| w.text.as_str()).collect(),
            recursive: chmod.recursive,
            copied: false,
        });
    }
    let program = command.program()?;
    if !matches!(program, "mkdir" | "install") {
        return None;
    }
    let (option, mode, range, value_index) = mode_option(command.args())?;
    let targets: Vec<&str> = command
        .args()
        .iter()
        .enumerate()
        .filter(|&(i, w)| Some(i) != value_index && !w.text.starts_with('-'))
        .map(|(_, w)| w.text.as_str())
        .collect();
    // `install SRC... DEST`: only the destination gets the mode in the end.
    let targets = if program == "install" { targets.last().copied().into_iter().collect() } else { targets };
    Some(ModeUse { how: format!("{program} {option}"), mode, range, targets, recursive: false, copied: false })
}

/// `-m 777`, `-m777`, `--mode=777`: the option as written, the mode, where the mode is, and
/// the index of a separate value word.
fn mode_option(args: &[ShellWord]) -> Option<(String, &str, TextRange, Option<usize>)> {
    for (i, word) in args.iter().enumerate() {
        if let Some(mode) = word.text.strip_prefix("--mode=") {
            return Some((word.text.to_string(), mode, word.range, None));
        }
        if word.text == "-m" || word.text == "--mode" {
            let value = args.get(i + 1)?;
            return Some((format!("{} {}", word.text, value.text), &value.text, value.range, Some(i + 1)));
        }
        if let Some(mode) = word.text.strip_prefix("-m").filter(|m| !m.is_empty() && !word.text.starts_with("--")) {
            return Some((word.text.to_string(), mode, word.range, None));
        }
    }
    None
}

/// What is wrong with a mode, if anything.
fn judge(mode_use: &ModeUse<'_>) -> Option<String> {
    let (others_write, sticky) = others_write_and_sticky(mode_use.mode)?;
    if !others_write {
        return None;
    }
    let shared_tmp = !mode_use.copied
        && !mode_use.targets.is_empty()
        && mode_use.targets.iter().all(|t| matches!(t.trim_end_matches('/'), "/tmp" | "/var/tmp"));
    if shared_tmp && sticky && !mode_use.recursive {
        return None;
    }
    let how = &mode_use.how;
    let message = match mode_use.targets.as_slice() {
        _ if shared_tmp && !sticky => {
            format!(
                "`{how}` lets any user write to `{}`, and delete other users' files: use `1777`",
                mode_use.targets[0]
            )
        }
        [target, ..] if mode_use.copied => format!("`{how}` lets any user write to the files copied to `{target}`"),
        [target, ..] if !target.contains("{}") && mode_use.recursive => {
            format!("`{how}` lets any user write to `{target}` and everything under it")
        }
        [target, ..] if !target.contains("{}") => format!("`{how}` lets any user write to `{target}`"),
        _ => format!("`{how}` lets any user write to the files it changes"),
    };
    Some(message)
}

/// Whether a mode gives write to others, and whether it sets the sticky bit; `None` if it
/// cannot be read (a variable).
fn others_write_and_sticky(mode: &str) -> Option<(bool, bool)> {
    if let Some(bits) = numeric_mode(mode) {
        return Some((bits & 0o002 != 0, bits & 0o1000 != 0));
    }
    let clauses = symbolic_mode(mode)?;
    let mut others_write = false;
    let mut sticky = false;
    // Clauses apply in order: `o+w,o-w` ends without the write bit.
    for clause in &clauses {
        // Without a "who", the umask (022 in builds) keeps others' write bit off.
        let others = clause.who.contains(['o', 'a']);
        for &(op, letters) in &clause.actions {
            if others {
                match op {
                    '+' if letters.contains('w') => others_write = true,
                    '-' if letters.contains('w') => others_write = false,
                    '=' => others_write = letters.contains('w'),
                    _ => {}
                }
            }
            if letters.contains('t') {
                sticky = op != '-';
            }
        }
    }
    Some((others_write, sticky))
}
