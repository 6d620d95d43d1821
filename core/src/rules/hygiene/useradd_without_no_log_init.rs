use crate::fix::{Edit, Fix};
use crate::rules::helpers::{commands, exact_positions, program_args, program_word};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags `useradd` with a large uid (six digits or more) and without `-l`
    /// (`--no-log-init`).
    ///
    /// ## Why is this bad?
    /// `useradd` records every new user in `/var/log/lastlog` and `/var/log/faillog`, files
    /// indexed by uid. For uid 1000000 that is a sparse file of hundreds of megabytes, which
    /// image layers store in full: the image grows by that much, and builds can run out of
    /// disk. `-l` skips the logs, which a container never reads.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN useradd -u 1000001 app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN useradd -l -u 1000001 app
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix adds `-l`; the account is the same.
    ///
    /// ## References
    /// - hadolint DL3046
    pub struct UseraddWithoutNoLogInit {
        code: "DH313",
        name: "useradd-without-no-log-init",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`useradd` with a large uid and without `-l` writes huge log files into the image",
        aliases: [(Hadolint, "DL3046")],
    }
}

/// DH313
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        for (script, command) in commands(ctx, index) {
            if command.runs_name() != Some("useradd") {
                continue;
            }
            let args: Vec<&str> = program_args(command).iter().map(|w| w.text.as_str()).collect();
            let no_log_init = args.iter().any(|a| *a == "-l" || *a == "--no-log-init" || (a.starts_with('-') && !a.starts_with("--") && a.contains('l')));
            let uid = args.iter().enumerate().find_map(|(i, a)| match *a {
                "-u" | "--uid" => args.get(i + 1).copied(),
                _ => a.strip_prefix("--uid=").or_else(|| a.strip_prefix("-u").filter(|v| !v.is_empty())),
            });
            let Some(uid) = uid.filter(|u| u.len() >= 6 && u.chars().all(|c| c.is_ascii_digit())) else { continue };
            if no_log_init {
                continue;
            }
            let Some(word) = program_word(command) else { continue };
            let mut finding = ctx.finding(
                &UseraddWithoutNoLogInit::META,
                word.range,
                format!("`useradd` for uid {uid} without `-l` writes lastlog and faillog files of hundreds of megabytes into the layer"),
            );
            if exact_positions(script) {
                finding.fix = Some(Fix::safe("Add `-l` (`--no-log-init`)", vec![Edit::insert(word.range.end, " -l")]));
            }
            findings.push(finding);
        }
    }
}
