use crate::model::{declarations, unquote};
use crate::rules::{rule, Context, Finding, Severity};
use crate::syntax::{Arguments, Instruction, Keyword};

rule! {
    /// ## What it does
    /// Flags secrets set with `ENV` or `ARG`:
    /// - an `ENV` or `ARG` whose name says it holds a secret (`DB_PASSWORD`, `NPM_TOKEN`,
    ///   `AWS_SECRET_ACCESS_KEY`, `API_KEY`...) and that is given a literal value, or an `ENV`
    ///   that copies a build argument into such a name;
    /// - an `ARG` with such a name and no default: its value will come from `--build-arg`;
    /// - any `ENV`, `ARG` or `LABEL` value shaped like a known credential, whatever its name:
    ///   AWS access key ids, GitHub, GitLab, Slack, npm and Stripe tokens, Google API keys,
    ///   private keys, JSON Web Tokens, and URLs with a password in them.
    ///
    /// Names ending in `_FILE`, `_PATH`, `_DIR`, `_URL`, `_HOST`, `_USER`, `_ENABLED`, `_MODE`,
    /// `_LENGTH` and the like name where or how a secret is used, not the secret, and are not
    /// flagged by name. Empty values, `true`/`false`-style switches and values that only refer to
    /// another variable (`$VAR`, `${VAR}`) are not secrets either.
    ///
    /// ## Why is this bad?
    /// `ENV` and `LABEL` values are stored in the image configuration: anyone who can pull the
    /// image reads them with `docker inspect`, and every container started from it has the
    /// `ENV` ones in its environment. An `ARG` default is written in the Dockerfile, and build
    /// arguments used by a `RUN` are recorded in the image history (`docker history`) and can
    /// end up in the build's provenance attestation, even when they were passed with
    /// `--build-arg`. Removing the value in a later instruction does not help: earlier layers
    /// and the history keep it.
    ///
    /// A secret that a build step needs belongs in a secret mount:
    /// `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` exposes it to that one `RUN`
    /// only (as a file under `/run/secrets/`, or with `env=` as a variable), and it is never
    /// written to a layer, the history or the image configuration. Build with
    /// `docker build --secret id=npm_token,env=NPM_TOKEN .`. A secret the running application
    /// needs is given when the container starts (an orchestrator secret, a mounted file, or
    /// `docker run -e`), never baked into the image. A credential that was already committed or
    /// pushed in an image should be revoked.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// ENV DATABASE_PASSWORD=hunter2
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    ///     echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
    /// # DATABASE_PASSWORD is given to the container when it starts.
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10 "Ensure secrets are not stored in Dockerfiles"
    /// - BuildKit check SecretsUsedInArgOrEnv, hadolint DL3064, Trivy DS031
    /// - Docker documentation, "Build secrets"
    pub struct SecretInEnvOrArg {
        code: "DH401",
        name: "secret-in-env-or-arg",
        category: Secrets,
        severity: Error,
        fix: None,
        summary: "A secret is set with `ENV` or `ARG`, where the image keeps it",
        aliases: [(Buildkit, "SecretsUsedInArgOrEnv"), (Hadolint, "DL3064"), (Trivy, "DS031"), (Cis, "4.10")],
    }
}

/// Name parts that mean "this holds a secret".
const SECRET_WORDS: &[&str] = &[
    "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "APIKEY",
    "ACCESSKEY", "PRIVATEKEY", "CREDENTIAL", "CREDENTIALS", "CREDS", "AUTH",
];

/// Name parts that mean a secret when glued to another word (`DBPASSWORD`, `GHTOKEN`).
const SECRET_ENDINGS: &[&str] = &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "ACCESSKEY", "PRIVATEKEY"];

/// `<word>_KEY` names that are secrets (a plain `GPG_KEY` is a public fingerprint).
const SECRET_KEY_KINDS: &[&str] = &["API", "ACCESS", "PRIVATE", "SECRET", "SIGNING", "ENCRYPTION", "MASTER", "SESSION"];

/// Last name parts that say the variable is about a secret, not the secret itself.
const NOT_SECRET_ENDINGS: &[&str] = &[
    "FILE", "FILES", "PATH", "DIR", "URL", "URI", "HOST", "HOSTNAME", "PORT", "USER", "USERNAME", "NAME", "TYPE",
    "METHOD", "MODE", "LENGTH", "LEN", "SIZE", "TTL", "TIMEOUT", "EXPIRY", "EXPIRATION", "EXPIRES", "ENABLED",
    "ENABLE", "DISABLED", "DISABLE", "REQUIRED", "PROVIDER", "HEADER", "ENDPOINT", "ID",
];

/// Whether a variable name says it holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let parts: Vec<&str> = upper.split(['_', '-', '.']).filter(|p| !p.is_empty()).collect();
    let Some(&last) = parts.last() else { return false };
    // A Vault AppRole `SECRET_ID` is a secret; other `*_ID`s are identifiers.
    let secret_id = last == "ID" && parts.len() >= 2 && parts[parts.len() - 2] == "SECRET";
    if NOT_SECRET_ENDINGS.contains(&last) && !secret_id {
        return false;
    }
    parts.windows(2).any(|w| w[1] == "KEY" && SECRET_KEY_KINDS.contains(&w[0]))
        || parts.iter().any(|p| {
            SECRET_WORDS.contains(p) || SECRET_ENDINGS.iter().any(|e| p.len() > e.len() && p.ends_with(e))
        })
}

/// The variables a value refers to (`$A`, `${B:-x}`).
fn referenced_variables(value: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == b'$' {
            let start = i + 1 + usize::from(bytes.get(i + 1) == Some(&b'{'));
            let len = bytes[start.min(bytes.len())..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
            if len > 0 {
                names.push(&value[start..start + len]);
            }
            i = start + len;
            continue;
        }
        i += 1;
    }
    names
}

/// Whether a value is a literal that could be a secret: not empty, not a switch, and not
/// made from other variables.
fn is_literal_secret_value(value: &str) -> bool {
    let value = value.trim();
    let switch = ["true", "false", "yes", "no", "on", "off", "0", "1"].iter().any(|s| value.eq_ignore_ascii_case(s));
    !value.is_empty() && !switch && referenced_variables(value).is_empty()
}

fn run(s: &str, from: usize, allowed: fn(u8) -> bool) -> usize {
    s.as_bytes()[from.min(s.len())..].iter().take_while(|b| allowed(**b)).count()
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn upper_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A token format: its prefix, the bytes that may follow it, and how many.
struct TokenShape {
    prefix: &'static str,
    allowed: fn(u8) -> bool,
    min: usize,
    max: usize,
    kind: &'static str,
}

const fn shape(prefix: &'static str, allowed: fn(u8) -> bool, min: usize, max: usize, kind: &'static str) -> TokenShape {
    TokenShape { prefix, allowed, min, max, kind }
}

/// The token formats, the first listed winning when a value holds several.
const TOKEN_SHAPES: &[TokenShape] = &[
    shape("AKIA", upper_alnum, 16, 16, "an AWS access key id"),
    shape("ASIA", upper_alnum, 16, 16, "an AWS access key id"),
    shape("ghp_", alnum, 30, 255, "a GitHub token"),
    shape("gho_", alnum, 30, 255, "a GitHub token"),
    shape("ghu_", alnum, 30, 255, "a GitHub token"),
    shape("ghs_", alnum, 30, 255, "a GitHub token"),
    shape("ghr_", alnum, 30, 255, "a GitHub token"),
    shape("github_pat_", base64url, 22, 255, "a GitHub token"),
    shape("glpat-", base64url, 20, 255, "a GitLab token"),
    shape("xoxa-", base64url, 10, 255, "a Slack token"),
    shape("xoxb-", base64url, 10, 255, "a Slack token"),
    shape("xoxp-", base64url, 10, 255, "a Slack token"),
    shape("xoxo-", base64url, 10, 255, "a Slack token"),
    shape("xoxs-", base64url, 10, 255, "a Slack token"),
    shape("xoxr-", base64url, 10, 255, "a Slack token"),
    shape("AIza", base64url, 35, 35, "a Google API key"),
    shape("sk_live_", alnum, 16, 255, "a Stripe live key"),
    shape("rk_live_", alnum, 16, 255, "a Stripe live key"),
    shape("npm_", alnum, 36, 36, "an npm token"),
];

/// Offsets where a token can start: the start of the value, or after a byte that cannot be
/// part of one. One pass over the value serves every format.
fn token_starts(value: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = value.as_bytes();
    (0..bytes.len()).filter(move |&i| i == 0 || !base64url(bytes[i - 1]))
}

/// What kind of credential a value looks like, if any.
pub fn secret_shape(value: &str) -> Option<&'static str> {
    let mut best: Option<usize> = None;
    let mut jwt = false;
    for i in token_starts(value) {
        // Every format starts with one of these (ASCII) letters, so `i` is a character
        // boundary past this test.
        if !matches!(value.as_bytes()[i], b'A' | b'g' | b'x' | b's' | b'r' | b'n' | b'e') {
            continue;
        }
        let rest = &value[i..];
        let limit = best.unwrap_or(TOKEN_SHAPES.len());
        for (rank, shape) in TOKEN_SHAPES[..limit].iter().enumerate() {
            if rest.starts_with(shape.prefix) && (shape.min..=shape.max).contains(&run(rest, shape.prefix.len(), shape.allowed)) {
                best = Some(rank);
                break;
            }
        }
        jwt |= best.is_none() && rest.starts_with("eyJ") && is_jwt(rest);
    }
    if let Some(rank) = best {
        return Some(TOKEN_SHAPES[rank].kind);
    }
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if jwt {
        return Some("a JSON Web Token");
    }
    if has_url_password(value) {
        return Some("a URL with a password");
    }
    None
}

/// `header.payload.signature`, each part base64url, the header a JSON object (`eyJ`).
fn is_jwt(text: &str) -> bool {
    let mut parts = text.splitn(3, '.');
    let (Some(header), Some(payload), Some(rest)) = (parts.next(), parts.next(), parts.next()) else { return false };
    let signature = &rest[..run(rest, 0, base64url)];
    [header, payload, signature].iter().all(|p| p.len() >= 10 && p.bytes().all(base64url))
}

/// `scheme://user:password@host`, with a password that is not a variable.
fn has_url_password(value: &str) -> bool {
    value.match_indices("://").any(|(i, _)| {
        let rest = &value[i + 3..];
        let authority = &rest[..rest.find(['/', '?', '#', ' ', '"', '\'']).unwrap_or(rest.len())];
        let Some((userinfo, _host)) = authority.rsplit_once('@') else { return false };
        userinfo.split_once(':').is_some_and(|(_, password)| is_literal_secret_value(password))
    })
}

/// What one declaration or pair leaks.
enum Leak<'a> {
    /// A credential-shaped value.
    Shape(&'static str),
    /// A secret-looking name given a literal value.
    Literal,
    /// An `ENV` with a secret name set from build arguments.
    CopiesArgument(&'a str),
    /// An `ARG` with a secret name and no default.
    BuildArgument,
}

fn secret_mount(name: &str) -> String {
    format!("`RUN --mount=type=secret,id={}`", name.to_ascii_lowercase())
}

/// Build arguments declared in the stage of instruction `index`, before it.
fn stage_arguments(ctx: &Context<'_>, index: usize) -> Vec<String> {
    let Some(stage) = ctx.model.stage_of(index) else { return Vec::new() };
    stage
        .body
        .iter()
        .take_while(|&&i| i < index)
        .map(|&i| ctx.model.instructions[i].effective())
        .filter(|i| i.keyword == Keyword::Arg)
        .flat_map(|i| declarations(i).into_iter().map(|(name, _)| name))
        .collect()
}

/// For an `ENV` or `LABEL` in a stage the final image is not built on: where the value still
/// is (that stage's configuration, so the build cache and any image built with `--target`),
/// since the shipped image's configuration does not hold it.
fn not_shipped(ctx: &Context<'_>, index: usize) -> String {
    let Some(stage) = ctx.model.stage_of(index) else { return String::new() };
    if ctx.model.stages.len() < 2 || ctx.model.stages_shipped().contains(&stage.index) {
        return String::new();
    }
    let name = stage.name.clone().unwrap_or_else(|| stage.index.to_string());
    format!(" (stage `{name}` is not part of the final image: the value is in that stage's configuration, the build cache and any image built with `--target {name}`, not in the shipped image)")
}

/// DH401
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, outer) in ctx.model.instructions.iter().enumerate() {
        let instruction: &Instruction = outer.effective();
        match (&instruction.arguments, instruction.keyword) {
            (Arguments::Pairs(pairs), Keyword::Env | Keyword::Label) => {
                let env = instruction.keyword == Keyword::Env;
                for pair in pairs {
                    let name = pair.key.text.as_str();
                    let value = unquote(&pair.value.text);
                    let leak = match secret_shape(&value) {
                        Some(kind) => Leak::Shape(kind),
                        None if !env || !is_secret_name(name) => continue,
                        None if is_literal_secret_value(&value) => Leak::Literal,
                        None => {
                            let arguments = stage_arguments(ctx, index);
                            match referenced_variables(&value).into_iter().find(|v| arguments.iter().any(|a| a == v)) {
                                Some(argument) => Leak::CopiesArgument(argument),
                                None => continue,
                            }
                        }
                    };
                    let keyword = if env { "ENV" } else { "LABEL" };
                    let message = match leak {
                        Leak::Shape(kind) if env => format!(
                            "`ENV {name}` holds what looks like {kind}, readable in the image configuration: use {} instead",
                            secret_mount(name)
                        ),
                        Leak::Shape(kind) => format!(
                            "`{keyword} {name}` holds what looks like {kind}, readable in the image configuration: remove it and revoke the credential"
                        ),
                        Leak::CopiesArgument(argument) => format!(
                            "`ENV {name}` copies the build argument `{argument}` into the image configuration: use {} instead",
                            secret_mount(name)
                        ),
                        _ => format!(
                            "`ENV {name}` puts a secret in the image configuration: use {} for build steps, or set it when the container starts",
                            secret_mount(name)
                        ),
                    };
                    let message = format!("{message}{}", not_shipped(ctx, index));
                    findings.push(ctx.finding(&SecretInEnvOrArg::META, pair.key.range.cover(pair.value.range), message));
                }
            }
            (Arguments::Declarations(words), Keyword::Arg) => {
                for (word, (name, default)) in words.iter().zip(declarations(instruction)) {
                    let default = default.unwrap_or_default();
                    let leak = match secret_shape(&default) {
                        Some(kind) => Leak::Shape(kind),
                        None if !is_secret_name(&name) => continue,
                        None if is_literal_secret_value(&default) => Leak::Literal,
                        None if default.trim().is_empty() || !referenced_variables(&default).is_empty() => Leak::BuildArgument,
                        None => continue,
                    };
                    let mount = secret_mount(&name);
                    let (message, severity) = match leak {
                        Leak::Shape(kind) => (
                            format!("`ARG {name}` has a default that looks like {kind}, kept in the Dockerfile and the image history: use {mount} instead"),
                            Severity::Error,
                        ),
                        Leak::Literal => (
                            format!("`ARG {name}` has a secret default, kept in the Dockerfile and the image history: use {mount} instead"),
                            Severity::Error,
                        ),
                        _ => (
                            format!("`ARG {name}` looks like a secret: a value given with `--build-arg` is recorded in the image history; use {mount} instead"),
                            Severity::Warning,
                        ),
                    };
                    let mut finding = ctx.finding(&SecretInEnvOrArg::META, word.range, message);
                    finding.severity = severity;
                    findings.push(finding);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, Settings};

    #[test]
    fn secret_names() {
        for name in ["DB_PASSWORD", "npm_token", "AWS_SECRET_ACCESS_KEY", "apiKey", "GH-TOKEN", "VAULT_SECRET_ID", "SIGNING_KEY", "PASS"] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["PASSWORD_FILE", "TOKEN_URL", "GPG_KEY", "TOKENIZERS_PARALLELISM", "AUTH_ENABLED", "PASSPORT", "CLIENT_ID", "KEY"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn secret_shapes() {
        assert_eq!(secret_shape("AKIAIOSFODNN7EXAMPLE"), Some("an AWS access key id"));
        assert_eq!(secret_shape("AKIAIOSFODNN7EXAMPLEX"), None, "17 characters");
        assert_eq!(secret_shape("XAKIAIOSFODNN7EXAMPLE"), None, "inside a word");
        assert_eq!(secret_shape("https://proxy:3128/"), None);
        assert_eq!(secret_shape("https://u:${P}@host/"), None);
        assert_eq!(secret_shape("https://u:p@host/"), Some("a URL with a password"));
        assert_eq!(secret_shape("eyJhbGciOiJIUzI1NiJ9"), None, "a header alone");
        assert_eq!(secret_shape("3.12-slim"), None);
    }

    #[test]
    fn an_argument_without_default_is_a_warning() {
        let settings = Settings { select: vec!["DH401".into()], ..Settings::default() };
        let findings = check("FROM a\nARG NPM_TOKEN\nARG DB_PASSWORD=x\n", &settings).findings;
        let severities: Vec<_> = findings.iter().map(|f| f.severity).collect();
        assert_eq!(severities, [Severity::Warning, Severity::Error]);
    }
}
