use crate::rules::helpers::copy_sources;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags `COPY` and `ADD` of files that usually hold credentials, by their name:
    /// - environment files: `.env`, `.env.production` (not `.env.example`, `.env.sample`,
    ///   `.env.template`);
    /// - SSH private keys (`id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519`) and the `.ssh`,
    ///   `.aws` and `.gnupg` directories;
    /// - tool credentials: `.npmrc`, `.pypirc`, `.netrc`, `.pgpass`, `.git-credentials`,
    ///   `.htpasswd`, `.aws/credentials`, `.docker/config.json`;
    /// - keys, certificates with their keys, and password stores: `*.pem`, `*.key`, `*.p12`,
    ///   `*.pfx`, `*.kdbx`. Certificates and public keys, told by their name or their
    ///   directory (`ca.pem`, `fullchain.pem`, `certs/*.pem`, `*.pub.key`, `*.gpg.key`), are
    ///   left alone.
    ///
    /// Copies from another stage or image (`COPY --from=...`) and downloads are not checked.
    ///
    /// ## Why is this bad?
    /// Every file copied into an image is in one of its layers for good: anyone who can pull the
    /// image can extract it, even if a later `RUN rm` hides it from the final filesystem. A key or
    /// token that ends up in an image pushed to a registry has to be considered leaked. In a
    /// build stage that the final image does not copy from, the file still sits in the build
    /// cache and in any image built with `--target` for that stage.
    ///
    /// When a build step needs the credential, mount it for that step only:
    /// `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` (or
    /// `RUN --mount=type=ssh git clone ...` for SSH keys, which uses your SSH agent without
    /// copying any key). It is never written to a layer. When the application needs it at run
    /// time, mount it when the container starts. List such files in `.dockerignore` too, so a
    /// broad `COPY . .` cannot pick them up.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY .npmrc /app/
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10 "Ensure secrets are not stored in Dockerfiles"
    /// - Trivy DS031
    /// - Docker documentation, "Build secrets" and "SSH mounts"
    pub struct SecretFileCopied {
        code: "DH402",
        name: "secret-file-copied",
        category: Secrets,
        severity: Error,
        fix: None,
        summary: "A file that usually holds credentials is copied into the image",
        aliases: [(Trivy, "DS031"), (Cis, "4.10")],
    }
}

/// Name parts of certificates and public keys (`ca.pem`, `nodesource.gpg.key`, `certs/`).
const PUBLIC_WORDS: &[&str] =
    &["ca", "cacert", "certificate", "certificates", "fullchain", "bundle", "pub", "public", "pubkey", "gpg", "trust"];

/// Why a source path looks like a credential file, if it does.
pub fn secret_file(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    let mut components = path.rsplit('/');
    let name = components.next().unwrap_or_default();
    let parent = components.next().unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let lower = lower.as_str();
    let ends = |suffix: &str| lower.len() > suffix.len() && lower.ends_with(suffix);
    match lower {
        ".env" => return Some("an environment file, which usually holds credentials"),
        ".env.example" | ".env.sample" | ".env.template" => return None,
        _ if lower.starts_with(".env.") || lower.starts_with(".env*") => {
            return Some("an environment file, which usually holds credentials")
        }
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => return Some("an SSH private key"),
        ".ssh" => return Some("an SSH directory, with private keys"),
        ".gnupg" => return Some("a GnuPG directory, with private keys"),
        ".aws" => return Some("AWS credentials"),
        ".npmrc" => return Some("npm configuration, which usually holds a registry token"),
        ".pypirc" => return Some("PyPI configuration, which usually holds an upload token"),
        ".netrc" => return Some("a `.netrc`, which holds logins and passwords"),
        ".pgpass" => return Some("a PostgreSQL password file"),
        ".git-credentials" => return Some("stored git credentials"),
        ".htpasswd" => return Some("a password file"),
        "credentials" if parent == ".aws" => return Some("AWS credentials"),
        "config.json" if parent == ".docker" => return Some("Docker registry credentials"),
        _ => {}
    }
    if ends(".kdbx") {
        return Some("a password database");
    }
    if ends(".p12") || ends(".pfx") {
        return Some("a certificate bundle with its private key");
    }
    // Certificates, CA bundles and public keys share these extensions with private keys. A
    // `.pem` in a certificate directory (`certs/`) is a certificate; a `.key` is a key anywhere;
    // a name that says `key` or `private` (`ca-key.pem`, `privkey.pem`) is a private key.
    let stem = lower.rsplit_once('.').map_or(lower, |(stem, _)| stem);
    let parent = parent.to_ascii_lowercase();
    let public = |text: &str| {
        text.split(['.', '-', '_']).any(|part| {
            PUBLIC_WORDS.contains(&part) || part.ends_with("cert") || part.ends_with("certs") || part.ends_with("chain")
        })
    };
    let private = stem.split(['.', '-', '_']).any(|part| matches!(part, "key" | "privkey" | "private" | "priv"));
    if ends(".pem") && (private || !public(stem) && !public(&parent)) {
        return Some("a private key");
    }
    if ends(".key") && (private || !public(stem)) {
        return Some("a private key");
    }
    None
}

/// DH402
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in &ctx.model.instructions {
        let copy = instruction.effective();
        if !matches!(copy.keyword, Keyword::Copy | Keyword::Add) || copy.flag("from").is_some() {
            continue;
        }
        for source in copy_sources(copy) {
            let path = source.text.as_str();
            if path.starts_with("<<") || path.contains("://") || path.starts_with("git@") {
                continue;
            }
            let Some(why) = secret_file(path) else { continue };
            let keyword = copy.keyword.as_str();
            let mount = if why.contains("SSH") { "RUN --mount=type=ssh" } else { "RUN --mount=type=secret" };
            findings.push(ctx.finding(
                &SecretFileCopied::META,
                source.range,
                format!("`{keyword}` puts `{path}` into a layer: it looks like {why}; use `{mount}` instead"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_files() {
        for path in [".env", "./.env.local", ".env*", "id_rsa", "home/.ssh/", ".aws/credentials", "tls.key", "ca-key.pem", "x.PFX"] {
            assert!(secret_file(path).is_some(), "{path}");
        }
        for path in [".env.example", "id_rsa.pub", "credentials", "config.json", "ca.pem", "certs/site.pem", "repo.gpg.key", "env", ".envrc"] {
            assert!(secret_file(path).is_none(), "{path}");
        }
    }
}
