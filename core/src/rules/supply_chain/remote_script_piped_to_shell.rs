use crate::model::shell::{is_assignment, split, Connector, ShellWord, SimpleCommand};
use crate::rules::{rule, Context, Finding};
use crate::syntax::TextRange;

rule! {
    /// ## What it does
    /// Flags a `RUN` that downloads a script with `curl` or `wget` and runs it straight away:
    /// piped into a shell or interpreter (`curl -fsSL https://... | sh`, `wget -qO- ... | sudo
    /// bash`, `... | python3`), or run through a command substitution (`bash -c "$(curl ...)"`,
    /// `eval "$(curl ...)"`) or a process substitution (`sh <(curl ...)`).
    ///
    /// ## Why is this bad?
    /// The script is code you have never seen, fetched at build time and run as whoever runs
    /// the build step (usually root), with no check that it is the script you meant. If the
    /// server, the project's account or the network path is compromised, the attacker's code
    /// ends up in your image, and nothing in the Dockerfile shows it. The script can also
    /// change between two builds, so the same Dockerfile builds different images. A download
    /// that breaks off half-way can even run a truncated script.
    ///
    /// Prefer, in this order: the distribution's package manager (packages are signed); the
    /// project's signed release or its published checksum; or at least a download into a
    /// file whose SHA-256 you check before running it. Pinning the URL to a release tag or
    /// commit keeps the checksum meaningful.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://example.com/install.sh | sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG INSTALL_SH_SHA256=<sha256 of the reviewed script>
    /// RUN curl -fsSLo /tmp/install.sh https://example.com/v1.4.2/install.sh \
    ///  && echo "${INSTALL_SH_SHA256}  /tmp/install.sh" | sha256sum -c - \
    ///  && sh /tmp/install.sh && rm /tmp/install.sh
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.11 "Ensure only verified packages are installed"
    pub struct RemoteScriptPipedToShell {
        code: "DH205",
        name: "remote-script-piped-to-shell",
        category: SupplyChain,
        severity: Error,
        fix: None,
        summary: "A script downloaded at build time is run without being verified",
        aliases: [(Cis, "4.11")],
    }
}

const FETCHERS: &[&str] = &["curl", "wget"];
const SHELLS: &[&str] = &["sh", "bash", "zsh", "ash", "dash", "ksh"];

/// The name of a program word without its directory.
fn base_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or_default()
}

fn is_python(name: &str) -> bool {
    name.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_interpreter(name: &str) -> bool {
    SHELLS.contains(&name) || is_python(name) || name == "perl"
}

/// The program a command really runs, past `sudo`, `doas` and `env` (with their options
/// and assignments), and the words after it.
fn effective_program(command: &SimpleCommand) -> Option<(&str, &[ShellWord])> {
    let words = &command.words;
    let mut i = command.program_index()?;
    loop {
        let name = base_name(&words.get(i)?.text);
        match name {
            "sudo" | "doas" | "env" => {
                i += 1;
                while let Some(word) = words.get(i) {
                    let text = word.text.as_str();
                    let takes_value = matches!((name, text), ("sudo" | "doas", "-u" | "-g" | "-C" | "-h" | "-p") | ("env", "-u" | "-C"));
                    if takes_value {
                        i += 2;
                    } else if text.starts_with('-') || is_assignment(text) {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            _ => return Some((name, &words[i + 1..])),
        }
    }
}


/// Whether `name` with `args` takes its program from standard input.
fn reads_program_from_stdin(name: &str, args: &[ShellWord]) -> bool {
    let (inline, stdin_flag, with_value): (&[char], &[char], &[&str]) = if SHELLS.contains(&name) {
        (&['c'], &['s'], &["-o", "+o"])
    } else if is_python(name) {
        (&['c', 'm'], &[], &["-W", "-X", "-Q"])
    } else if name == "perl" {
        (&['e', 'E'], &[], &["-I", "-M", "-m"])
    } else {
        return false;
    };
    let mut words = args.iter().map(|w| w.text.as_str());
    while let Some(word) = words.next() {
        if word == "--" {
            return words.next().is_none_or(|w| matches!(w, "-" | "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0"));
        }
        if with_value.contains(&word) {
            words.next();
            continue;
        }
        if let Some(options) = word.strip_prefix('-').filter(|o| !o.is_empty() && !o.starts_with('-')) {
            if options.chars().any(|c| inline.contains(&c)) {
                return false;
            }
            if options.chars().any(|c| stdin_flag.contains(&c)) {
                return true;
            }
            continue;
        }
        if word.starts_with("--") || word.starts_with('+') {
            continue;
        }
        // The first operand is the script: `-` or `/dev/stdin` means standard input.
        return matches!(word, "-" | "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0");
    }
    true
}

/// The fetcher (`curl`, `wget`) a command substitution or process substitution at the start
/// of `text` runs: `$(curl ...)`, `` `wget ...` ``, `<(curl ...)`.
fn substituted_fetcher(text: &str) -> Option<&'static str> {
    let rest = ["$(", "`", "<("].iter().find_map(|open| text.trim_start().strip_prefix(open))?;
    let first = rest.split_whitespace().next()?;
    FETCHERS.iter().copied().find(|f| base_name(first) == *f)
}

/// The fetcher an argument list runs through a substitution used as a program: a `-c`/`-e`
/// script made of `$(curl ...)`, a script file `<(curl ...)`, or `eval "$(curl ...)"`.
fn inline_fetch(name: &str, args: &[ShellWord]) -> Option<&'static str> {
    let takes_code = is_interpreter(name) || matches!(name, "eval" | "source" | ".");
    if !takes_code {
        return None;
    }
    args.iter().enumerate().find_map(|(i, word)| {
        let text = word.text.as_str();
        if text == "<(" || text == "$(" {
            let next = args.get(i + 1)?;
            return FETCHERS.iter().copied().find(|f| base_name(&next.text) == *f);
        }
        substituted_fetcher(text)
    })
}

/// The `-c` script of a shell command, if any.
fn shell_script(name: &str, args: &[ShellWord]) -> Option<String> {
    if !SHELLS.contains(&name) {
        return None;
    }
    let position = args.iter().position(|w| {
        w.text.strip_prefix('-').is_some_and(|o| !o.starts_with('-') && o.contains('c'))
    })?;
    args.get(position + 1).map(|w| w.text.to_string())
}

/// Finds the pattern in a list of commands: `(fetcher, runner, range)`.
fn find(commands: &[SimpleCommand], depth: usize, out: &mut Vec<(String, String, TextRange)>) {
    for (i, command) in commands.iter().enumerate() {
        let Some((name, args)) = effective_program(command) else { continue };
        // `curl ... | sh`: anywhere later in the same pipeline.
        if FETCHERS.contains(&name) && command.connector == Connector::Pipe {
            let mut j = i + 1;
            while let Some(next) = commands.get(j) {
                if let Some((runner, runner_args)) = effective_program(next) {
                    if reads_program_from_stdin(runner, runner_args) {
                        out.push((name.to_string(), runner.to_string(), command.range.cover(next.range)));
                        break;
                    }
                }
                if next.connector != Connector::Pipe {
                    break;
                }
                j += 1;
            }
        }
        // `$(curl ...)` run as a command.
        if let Some(fetcher) = substituted_fetcher(&command.words[command.program_index().unwrap_or(0)].text) {
            out.push((fetcher.to_string(), "the shell".to_string(), command.range));
            continue;
        }
        if let Some(fetcher) = inline_fetch(name, args) {
            out.push((fetcher.to_string(), name.to_string(), command.range));
            continue;
        }
        // `sh -c "curl ... | sh"`: read the inner script once more.
        if depth < 2 {
            if let Some(script) = shell_script(name, args) {
                let range = command.range;
                let inner = split(&script, 0, &|_, _| range);
                find(&inner, depth + 1, out);
            }
        }
    }
}

/// DH205
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for scripts in &ctx.scripts {
        for script in scripts {
            let mut found = Vec::new();
            find(&script.commands, 0, &mut found);
            for (fetcher, runner, range) in found {
                let runner = if runner == "the shell" { runner } else { format!("`{runner}`") };
                findings.push(ctx.finding(
                    &RemoteScriptPipedToShell::META,
                    range,
                    format!("a script downloaded by `{fetcher}` is run by {runner} without being verified"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<ShellWord> {
        split(text, 0, &|a, b| TextRange::new(a, b)).remove(0).words
    }

    #[test]
    fn who_reads_a_program_from_standard_input() {
        for (text, expected) in [
            ("sh", true),
            ("bash -ex", true),
            ("bash -o pipefail -s x", true),
            ("sh -c 'echo'", false),
            ("bash install.sh", false),
            ("bash -- -", true),
            ("python3 -", true),
            ("python3 -m json.tool", false),
            ("perl -ne 'print'", false),
            ("tar -xz", false),
        ] {
            let w = words(text);
            let name = base_name(&w[0].text);
            assert_eq!(reads_program_from_stdin(name, &w[1..]), expected, "{text}");
        }
    }

    #[test]
    fn sees_through_sudo_and_env() {
        let command = &split("sudo -u root env A=1 -i /bin/bash -", 0, &|a, b| TextRange::new(a, b))[0];
        let (name, args) = effective_program(command).unwrap();
        assert_eq!((name, args.len()), ("bash", 1));
    }
}
