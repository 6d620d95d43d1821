use crate::rules::helpers::{commands, package_command, program_args, Manager, Verb};
use crate::rules::{rule, Context, Finding};
use crate::syntax::TextRange;

rule! {
    /// ## What it does
    /// Flags a command that installs packages without a version (once per command, at the
    /// first such package): `apt-get install curl` (not `curl=8.14.1-2`),
    /// `apk add curl` (not `curl=8.14.1-r1`), `pip install flask` (not `flask==3.1.1`),
    /// `npm install express` (not `express@5.1.0`), `gem install rails` (not `-v 8.0.2`),
    /// `yum`/`dnf`/`microdnf`/`zypper install curl` (not `curl-8.14.1`) and `go install
    /// example.com/tool` (not `@v1.2.3`).
    ///
    /// ## Why is this bad?
    /// Without versions, two builds of the same file can install different software: a rebuild
    /// next month gets whatever the repositories hold then, for better (security updates) and
    /// worse (changed behaviour). Exact versions make a build repeatable.
    ///
    /// Off by default, on purpose: distribution repositories drop old versions as soon as a
    /// new one is published, so a pinned `apt-get install curl=8.14.1-2` stops building the
    /// day Debian ships a security update, and teams answer by not updating. A digest-pinned
    /// base image (DH202) plus a lock file for application dependencies (`requirements.txt`
    /// with hashes, `package-lock.json`) gives repeatable builds without that cost. Turn this
    /// category on (`extend-select = ["pinning"]`) where every build must be reproducible and
    /// someone owns the updates.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// RUN pip install --no-cache-dir flask
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl=8.14.1-r1
    /// RUN pip install --no-cache-dir flask==3.1.1
    /// ```
    ///
    /// ## References
    /// - hadolint DL3008 (apt), DL3018 (apk), DL3013 (pip), DL3016 (npm), DL3028 (gem),
    ///   DL3033 (yum), DL3041 (dnf), DL3037 (zypper), DL3062 (go install)
    pub struct PackageVersionUnpinned {
        code: "DH901",
        name: "package-version-unpinned",
        category: Pinning,
        severity: Info,
        fix: None,
        summary: "A package is installed without a version",
        aliases: [
            (Hadolint, "DL3008"), (Hadolint, "DL3018"), (Hadolint, "DL3013"), (Hadolint, "DL3016"), (Hadolint, "DL3028"),
            (Hadolint, "DL3033"), (Hadolint, "DL3041"), (Hadolint, "DL3037"), (Hadolint, "DL3062"),
        ],
    }
}

/// DH901
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        for (_, command) in commands(ctx, index) {
            // One finding per command, as hadolint reports one per instruction: a line that
            // installs forty packages is one thing to fix, not forty.
            let unpinned = unpinned(command);
            let Some(&(first, how)) = unpinned.first() else { continue };
            let named: Vec<String> = unpinned.iter().take(3).map(|(w, _)| format!("`{}`", w.text)).collect();
            let packages = match unpinned.len() {
                1 => format!("{} is", named[0]),
                n if n <= 3 => format!("{} and {} are", named[..n - 1].join(", "), named[n - 1]),
                n => format!("{} and {} more are", named.join(", "), n - 3),
            };
            findings.push(ctx.finding(
                &PackageVersionUnpinned::META,
                first.range,
                format!("{packages} installed without a version ({how})"),
            ));
        }
    }
}

/// The package words of one command that name no version, each with how to write one.
fn unpinned(command: &crate::model::shell::SimpleCommand) -> Vec<(&crate::model::shell::ShellWord, &'static str)> {
    if let Some(package) = package_command(command).filter(|p| p.verb() == Verb::Install) {
        let operands = package.operands();
        let (pinned, how): (fn(&str) -> bool, &str) = match package.manager {
            Manager::Apt => (|p| p.contains('=') || p.ends_with(".deb") || p.contains('/'), "`name=version`"),
            Manager::Apk => (|p| p.contains(['=', '<', '>', '~']), "`name=version`"),
            Manager::Pip => (
                |p| p.contains(['=', '<', '>', '~', '@', '/']) || p.ends_with(".whl") || p.ends_with(".tar.gz") || p == ".",
                "`name==version`",
            ),
            Manager::Yum | Manager::Dnf | Manager::Microdnf | Manager::Zypper => (
                |p| p.ends_with(".rpm") || p.contains(['/', '=', '<', '>']) || p.split('-').skip(1).any(|part| part.starts_with(|c: char| c.is_ascii_digit())),
                "`name-version`",
            ),
        };
        // pip's `-r requirements.txt` and `-e .` name files, not packages (found in one pass:
        // a command may list thousands of packages).
        let files: std::collections::HashSet<TextRange> = match package.manager {
            Manager::Pip => package
                .args
                .windows(2)
                .filter(|w| matches!(w[0].text.as_str(), "-r" | "--requirement" | "-c" | "--constraint" | "-e" | "--editable"))
                .map(|w| w[1].range)
                .collect(),
            _ => Default::default(),
        };
        return operands
            .into_iter()
            .filter(|w| !files.contains(&w.range) && !pinned(&w.text) && !w.text.contains('$'))
            .map(|w| (w, how))
            .collect();
    }
    let Some(program) = command.runs_name() else { return Vec::new() };
    let args = program_args(command);
    let operands = |from: usize| args[from..].iter().filter(|w| !w.text.starts_with('-') && !w.text.contains('$'));
    let sub = args.iter().position(|w| !w.text.starts_with('-'));
    match (program, sub.map(|i| args[i].text.as_str())) {
        ("npm", Some("install" | "i" | "add")) => operands(sub.unwrap() + 1)
            .filter(|w| {
                let text = w.text.as_str();
                // A path, a URL or a tarball names its own version.
                let local = text.starts_with(['.', '/']) || text.contains(':') || text.ends_with(".tgz");
                // `@scope/name@1.2.3`: the version's `@` comes after the first character.
                !local && !text[1..].contains('@')
            })
            .map(|w| (w, "`name@version`"))
            .collect(),
        ("gem", Some("install")) if !args.iter().any(|w| w.text == "-v" || w.text == "--version" || w.text.starts_with("--version=")) => {
            operands(sub.unwrap() + 1).filter(|w| !w.text.contains(':') && !w.text.ends_with(".gem")).map(|w| (w, "`-v version` or `name:version`")).collect()
        }
        ("go", Some("install")) => operands(sub.unwrap() + 1).filter(|w| !w.text.contains('@')).map(|w| (w, "`path@version`")).collect(),
        _ => Vec::new(),
    }
}
