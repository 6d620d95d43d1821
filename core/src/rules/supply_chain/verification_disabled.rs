use crate::model::unquote;
use crate::rules::helpers::commands;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags downloads and package installs that switch off verification: TLS certificate
    /// checks (`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `git -c
    /// http.sslVerify=false`, `npm config set strict-ssl false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`,
    /// `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`) or package signatures (`apk
    /// --allow-untrusted`, `apt-get --allow-unauthenticated`, `yum --nogpgcheck`, `rpm
    /// --nosignature`).
    ///
    /// ## Why is this bad?
    /// Verification is what tells a download from the real server apart from one served by
    /// whoever sits on the network path, and a signed package from a tampered one. Without it,
    /// anything on the path during the build can put its own code into the image, and the image
    /// then ships it everywhere. Set in `ENV`, the switch also stays on in the running
    /// container, for every connection the application makes.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -k https://example.com/tool.tar.gz | tar xz
    /// ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # Trust the certificate authority you need, and keep verification on.
    /// COPY corporate-ca.crt /usr/local/share/ca-certificates/
    /// RUN update-ca-certificates && curl -fsSL https://example.com/tool.tar.gz | tar xz
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.11 "Ensure only verified packages are installed"
    /// - Checkov CKV2_DOCKER_2 (curl) and CKV2_DOCKER_3 (wget), and its related checks for pip,
    ///   npm, git, apk, apt, yum and rpm
    pub struct VerificationDisabled {
        code: "DH206",
        name: "verification-disabled",
        category: SupplyChain,
        severity: Error,
        fix: None,
        summary: "TLS certificate or package signature checks are switched off",
        aliases: [(Checkov, "CKV2_DOCKER_2"), (Checkov, "CKV2_DOCKER_3"), (Cis, "4.11")],
    }
}

/// Options that switch verification off, by program.
const INSECURE_OPTIONS: &[(&str, &[&str])] = &[
    ("curl", &["-k", "--insecure"]),
    ("wget", &["--no-check-certificate"]),
    ("pip", &["--trusted-host"]),
    ("pip3", &["--trusted-host"]),
    ("apk", &["--allow-untrusted"]),
    ("apt-get", &["--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"]),
    ("apt", &["--allow-unauthenticated", "--allow-insecure-repositories"]),
    ("yum", &["--nogpgcheck"]),
    ("dnf", &["--nogpgcheck"]),
    ("microdnf", &["--nogpgcheck"]),
    ("zypper", &["--no-gpg-checks"]),
    ("rpm", &["--nosignature", "--nodigest"]),
];

/// Environment variables that turn verification off, and the values that do it.
fn insecure_env(name: &str, value: &str) -> bool {
    // The value is unquoted and lower-cased only for the names that matter.
    let value = || unquote(value).trim().to_ascii_lowercase();
    match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" => value() == "0",
        "GIT_SSL_NO_VERIFY" => !matches!(value().as_str(), "" | "0" | "false"),
        "NPM_CONFIG_STRICT_SSL" | "npm_config_strict_ssl" => value() == "false",
        "CURL_INSECURE" => matches!(value().as_str(), "1" | "true"),
        _ => false,
    }
}

/// DH206
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, instruction) in ctx.model.instructions.iter().enumerate() {
        let effective = instruction.effective();
        if effective.keyword == Keyword::Env {
            if let Arguments::Pairs(pairs) = &effective.arguments {
                for kv in pairs.iter().filter(|kv| insecure_env(&kv.key.text, &kv.value.text)) {
                    findings.push(ctx.finding(
                        &VerificationDisabled::META,
                        kv.key.range.cover(kv.value.range),
                        format!("`{}={}` turns certificate checks off, during the build and in the running container", kv.key.text, unquote(&kv.value.text)),
                    ));
                }
            }
        }
        for (_, command) in commands(ctx, index) {
            let Some(program) = command.program() else { continue };
            // A configuration setting names the problem more precisely than an option: it wins.
            let reason = insecure_setting(program, command.args().iter().map(|w| w.text.as_str().to_ascii_lowercase()))
                .or_else(|| insecure_option(program, command.args().iter().map(|w| w.text.as_str())));
            if let Some(reason) = reason {
                findings.push(ctx.finding(&VerificationDisabled::META, command.range, reason));
            }
        }
    }
}

/// A command-line option of `program` that skips verification (`curl -k`).
fn insecure_option<'w>(program: &str, mut words: impl Iterator<Item = &'w str>) -> Option<String> {
    let (_, options) = INSECURE_OPTIONS.iter().find(|(p, _)| *p == program)?;
    let option = words.find(|w| {
        options.iter().any(|o| w == o || w.strip_prefix(o).is_some_and(|rest| rest.starts_with('=')))
    })?;
    Some(format!("`{program} {option}` skips verification"))
}

/// A configuration command that turns verification off (`git config http.sslVerify false`).
/// Only the programs that have such settings get their words lower-cased.
fn insecure_setting(program: &str, words: impl Iterator<Item = String>) -> Option<String> {
    if !matches!(program, "git" | "npm" | "yarn" | "pnpm" | "pip" | "pip3") {
        return None;
    }
    let lowered: Vec<String> = words.collect();
    let mut reason = None;
    if program == "git" && lowered.iter().any(|w| w.contains("http.sslverify=false") || w.contains("sslverify false")) {
        reason = Some("`git` with `http.sslVerify` false skips certificate checks".into());
    }
    if program == "git" && lowered.windows(2).any(|w| w[0].ends_with("http.sslverify") && w[1] == "false") {
        reason = Some("`git config http.sslVerify false` skips certificate checks".into());
    }
    if matches!(program, "npm" | "yarn" | "pnpm") && lowered.windows(2).any(|w| w[0] == "strict-ssl" && w[1] == "false") {
        reason = Some(format!("`{program} config set strict-ssl false` skips certificate checks"));
    }
    if matches!(program, "pip" | "pip3") && lowered.iter().any(|w| w.starts_with("global.trusted-host")) {
        reason = Some("pip is configured to trust a host without certificate checks".into());
    }
    reason
}
