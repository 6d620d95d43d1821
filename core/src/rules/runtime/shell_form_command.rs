use crate::fix::{Applicability, Edit, Fix};
use crate::model::base::{facts_for_stage, Distro};
use crate::model::{form_of, Base, Dockerfile, Form, DOCKER_HUB};
use crate::rules::helpers::{chain_instructions, exec_form, has_comment_within, stage_chain, start_commands};
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags a `CMD` or `ENTRYPOINT` of the final image written in shell form
    /// (`CMD python app.py`) instead of exec form (`CMD ["python", "app.py"]`).
    ///
    /// ## Why is this bad?
    /// In shell form, Docker runs the command as `/bin/sh -c "python app.py"`. The shell is
    /// the container's main process (PID 1), and depending on the shell the application is
    /// its child. `docker stop` sends SIGTERM to PID 1 only; a shell does not pass it on, so
    /// the application never hears it, cannot shut down cleanly (finish requests, flush
    /// data), and is killed ten seconds later. Exec form starts the program itself as PID 1,
    /// so it gets the signal.
    ///
    /// A shell-form `ENTRYPOINT` has a second problem: the shell ignores the arguments that
    /// follow it, so `CMD` and the arguments of `docker run` are silently dropped.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD python /app/app.py --port 8080
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py", "--port", "8080"]
    /// ```
    ///
    /// When the command needs the shell (variables, `&&`, pipes, redirections), keep the shell
    /// but start the program with `exec` so it replaces the shell:
    /// `CMD ["/bin/sh", "-c", "exec python /app/app.py --port \"$PORT\""]`.
    ///
    /// ## Fix safety
    /// A command without any shell syntax is split on spaces into exec form. For `CMD` this is
    /// safe when nothing else in the image sees the command differently: no `ENTRYPOINT` (it
    /// would now get the words as arguments instead of `/bin/sh -c "..."`), no `SHELL`, and a
    /// base image known not to set an `ENTRYPOINT` of its own (`scratch`, the official
    /// distribution images and `python`, `golang`, `ruby`, `rust`...); otherwise it is unsafe.
    /// For `ENTRYPOINT` it is always unsafe: `CMD` and `docker run` arguments, ignored until
    /// now, are passed to the program.
    ///
    /// A command that uses shell syntax is written as the exact exec form Docker stores for it:
    /// `["/bin/sh", "-c", "<command>"]`, or the stage's `SHELL` followed by the command. The
    /// image is then identical, which is safe when the shell is known (a `SHELL` instruction,
    /// or one of the base images above) and unsafe otherwise, as a base image may set its own
    /// `SHELL`. This fix makes the shell visible; adding `exec` is left to you. No fix is
    /// offered for Windows images, or when a comment line sits inside the command.
    ///
    /// ## References
    /// - hadolint DL3025, BuildKit check JSONArgsRecommended
    /// - Dockerfile reference: "Shell and exec form", and how `CMD` and `ENTRYPOINT` interact
    pub struct ShellFormCommand {
        code: "DH501",
        name: "shell-form-command",
        category: Runtime,
        severity: Warning,
        fix: Sometimes,
        summary: "`CMD` or `ENTRYPOINT` in shell form runs the process under a shell",
        aliases: [(Hadolint, "DL3025"), (Buildkit, "JSONArgsRecommended")],
    }
}

/// Official Docker Hub images that set neither `ENTRYPOINT` nor `SHELL`: a shell-form command
/// on them means exactly `/bin/sh -c "<command>"`.
const PLAIN_OFFICIAL_IMAGES: &[&str] = &[
    "alpine",
    "almalinux",
    "amazonlinux",
    "buildpack-deps",
    "busybox",
    "centos",
    "debian",
    "fedora",
    "gcc",
    "golang",
    "httpd",
    "oraclelinux",
    "perl",
    "pypy",
    "python",
    "rockylinux",
    "ruby",
    "rust",
    "tomcat",
    "ubuntu",
];

/// Characters that make the shell do more than split words.
const SHELL_SYNTAX: &[char] =
    &['$', '|', '&', ';', '<', '>', '*', '?', '(', ')', '{', '}', '[', ']', '~', '\\', '\'', '"', '`', '#', '\n', '\r'];

/// Shell keywords and built-ins: as a first word they are not programs one can exec.
const SHELL_WORDS: &[&str] = &[
    "!", ".", ":", "alias", "case", "cd", "do", "done", "elif", "else", "esac", "eval", "exit", "export", "fi", "for",
    "function", "if", "local", "read", "readonly", "return", "select", "set", "shift", "source", "then", "time",
    "trap", "ulimit", "umask", "unset", "until", "wait", "while",
];

/// DH501
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = ctx.model.final_stage() else { return };
    let start = start_commands(ctx.model, stage.index);
    for index in [start.entrypoint, start.cmd].into_iter().flatten() {
        let instruction = ctx.model.instructions[index];
        let Arguments::Text(command) = &instruction.arguments else { continue };
        if form_of(instruction) != Form::Shell {
            continue;
        }
        let shell = shell_in_effect(ctx, stage.index, index).join(" ");
        let keyword = instruction.keyword.as_str();
        let consequence = match instruction.keyword {
            Keyword::Entrypoint => "`CMD` and `docker run` arguments are ignored and stop signals may not reach the process",
            _ => "stop signals may not reach the process",
        };
        let message = format!("`{keyword}` in shell form runs under `{shell}`: {consequence}");
        let mut finding = ctx.finding(&ShellFormCommand::META, instruction.code_range(), message);
        finding.fix = fix(ctx, stage.index, index, &command.text);
        findings.push(finding);
    }
}

/// The shell a shell-form command at `index` runs under: the last `SHELL` before it, or
/// Docker's default.
pub(crate) fn shell_in_effect(ctx: &Context<'_>, stage: usize, index: usize) -> Vec<String> {
    explicit_shell(ctx, stage, index).unwrap_or_else(|| {
        let default: &[&str] = if facts_for_stage(ctx.model, stage).distro == Distro::Windows {
            &["cmd", "/S", "/C"]
        } else {
            &["/bin/sh", "-c"]
        };
        default.iter().map(|s| s.to_string()).collect()
    })
}

/// The exec-form `SHELL` in force at `index`, if the Dockerfile sets one.
pub(crate) fn explicit_shell(ctx: &Context<'_>, stage: usize, index: usize) -> Option<Vec<String>> {
    let chain = chain_instructions(ctx.model, stage);
    let shell = chain
        .iter()
        .take_while(|&&i| i != index)
        .map(|&i| ctx.model.instructions[i])
        .filter(|i| i.keyword == Keyword::Shell)
        .last()?;
    match &shell.arguments {
        Arguments::Exec(words) => Some(words.iter().map(|w| w.text.clone()).collect()),
        _ => None,
    }
}

fn fix(ctx: &Context<'_>, stage: usize, index: usize, command: &str) -> Option<Fix> {
    let instruction = ctx.model.instructions[index];
    if facts_for_stage(ctx.model, stage).distro == Distro::Windows
        || has_comment_within(instruction, instruction.arguments_range)
    {
        return None;
    }
    let chain = chain_instructions(ctx.model, stage);
    let has = |keyword: Keyword| chain.iter().any(|&i| ctx.model.instructions[i].keyword == keyword);
    let plain_base = has_plain_base(ctx.model, stage);
    let keyword = instruction.keyword.as_str();
    let (words, applicability, title) = match plain_words(command) {
        Some(words) => {
            let safe =
                instruction.keyword == Keyword::Cmd && plain_base && !has(Keyword::Entrypoint) && !has(Keyword::Shell);
            (
                words,
                if safe { Applicability::Safe } else { Applicability::Unsafe },
                format!("Write `{keyword}` in exec form"),
            )
        }
        None => {
            // No `SHELL` before the command means the base image's shell.
            let safe = explicit_shell(ctx, stage, index).is_some() || plain_base;
            let mut words = shell_in_effect(ctx, stage, index);
            words.push(command.to_string());
            let applicability = if safe { Applicability::Safe } else { Applicability::Unsafe };
            (words, applicability, format!("Write `{keyword}` in exec form, with its shell spelled out"))
        }
    };
    let json = exec_form(&words);
    Some(Fix::new(title, applicability, vec![Edit::replace(instruction.arguments_range, json)]))
}

/// The words of a command with no shell syntax, split as the shell would split them; `None`
/// when the shell does more (variables, quotes, operators, keywords, assignments).
fn plain_words(command: &str) -> Option<Vec<String>> {
    if command.contains(SHELL_SYNTAX) {
        return None;
    }
    let mut words: Vec<&str> = command.split_whitespace().collect();
    // `exec prog` only replaces the shell with `prog`: exec form does that already.
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let first = *words.first()?;
    if SHELL_WORDS.contains(&first) || first.contains('=') || first.starts_with('-') {
        return None;
    }
    Some(words.into_iter().map(str::to_string).collect())
}

/// Whether the image is built on `scratch` or on an official image known to set neither
/// `ENTRYPOINT` nor `SHELL`.
fn has_plain_base(model: &Dockerfile<'_>, stage: usize) -> bool {
    let root = stage_chain(model, stage)[0];
    match &model.stages[root].base.base {
        Base::Scratch => true,
        Base::Image { image } => {
            image.registry == DOCKER_HUB
                && image.repository.strip_prefix("library/").is_some_and(|name| PLAIN_OFFICIAL_IMAGES.contains(&name))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_json() {
        assert_eq!(crate::rules::helpers::json_string("a \"b\" \\ c\td\u{1}"), r#""a \"b\" \\ c\td\u0001""#);
    }

    #[test]
    fn splits_only_plain_commands() {
        assert_eq!(plain_words("exec  nginx -g off").unwrap(), ["nginx", "-g", "off"]);
        assert!(plain_words("PORT=1 app").is_none());
        assert!(plain_words("cd /app").is_none());
        assert!(plain_words("app > log").is_none());
    }
}
