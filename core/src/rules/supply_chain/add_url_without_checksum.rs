use crate::rules::helpers::copy_sources;
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags `ADD` of an `http://` or `https://` URL without `--checksum`, and `ADD` of a git
    /// repository that is not pinned to a commit.
    ///
    /// ## Why is this bad?
    /// `ADD <url>` downloads the file at build time and puts it in the image unchecked. Whatever
    /// the server returns that day is what you ship: a new release, a truncated file, or, if the
    /// server or the network path is compromised (always possible over plain `http://`),
    /// someone else's code. The Dockerfile gives no way to tell which file went in.
    ///
    /// `ADD --checksum=sha256:<hex> <url> <dest>` (Dockerfile syntax 1.6 and later) makes the
    /// build compute the file's SHA-256 and fail if it differs, so only the file you reviewed
    /// can get in. Take the checksum from the publisher's release notes or compute it once
    /// with `sha256sum`.
    ///
    /// A git source (`https://host/org/repo.git#ref`, `git@host:org/repo.git#ref`) is checked
    /// out at the given ref. Branches and tags can be moved; a full commit hash cannot. Pin the
    /// commit (`#<40 hex digits>`).
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD https://example.com/tool-1.4.2-linux-amd64.tar.gz /tmp/tool.tar.gz
    /// ADD https://github.com/example/lib.git#main /src/lib
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ADD --checksum=sha256:<sha256 of the release file> https://example.com/tool-1.4.2-linux-amd64.tar.gz /tmp/tool.tar.gz
    /// ADD https://github.com/example/lib.git#<commit hash> /src/lib
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.11 "Ensure only verified packages are installed" (4.9, "COPY
    ///   instead of ADD", is related)
    /// - hadolint DL3020 is related: it asks for `COPY` instead of `ADD` for local files (DH308)
    /// - Dockerfile reference, `ADD --checksum`
    pub struct AddUrlWithoutChecksum {
        code: "DH204",
        name: "add-url-without-checksum",
        category: SupplyChain,
        severity: Warning,
        fix: None,
        summary: "`ADD` downloads a file or repository that is not verified",
        aliases: [(Cis, "4.11")],
    }
}

/// What a source of `ADD` fetches.
#[derive(Debug, PartialEq, Eq)]
pub enum Remote<'a> {
    /// An HTTP(S) download.
    Http { plain: bool },
    /// A git repository, with the ref it is checked out at (`None`: the default branch).
    Git { reference: Option<&'a str> },
}

/// Reads an `ADD` source: a URL or a git repository, or `None` for local files.
pub fn remote(source: &str) -> Option<Remote<'_>> {
    let lower = source.to_ascii_lowercase();
    let git_scheme = ["git@", "git://", "ssh://"].iter().any(|p| lower.starts_with(p));
    let http = lower.starts_with("http://") || lower.starts_with("https://");
    if !git_scheme && !http {
        return None;
    }
    let (location, fragment) = match source.split_once('#') {
        Some((location, fragment)) => (location, Some(fragment)),
        None => (source, None),
    };
    let (path, query) = location.split_once('?').unwrap_or((location, ""));
    let git = git_scheme || fragment.is_some() || path.to_ascii_lowercase().ends_with(".git");
    if !git {
        return Some(Remote::Http { plain: lower.starts_with("http://") });
    }
    // `#ref:subdir`, or the newer query form `?ref=...&commit=...`.
    let query_value =
        |key: &str| query.split('&').filter_map(|pair| pair.split_once('=')).find(|(k, _)| *k == key).map(|(_, v)| v);
    let from_fragment = fragment.map(|f| f.split_once(':').map_or(f, |(r, _)| r));
    let reference = query_value("commit").or_else(|| query_value("ref")).or(from_fragment).filter(|r| !r.is_empty());
    Some(Remote::Git { reference })
}

/// A full commit hash (SHA-1 or SHA-256 object names).
pub fn is_commit(reference: &str) -> bool {
    matches!(reference.len(), 40 | 64) && reference.chars().all(|c| c.is_ascii_hexdigit())
}

/// DH204
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in &ctx.model.instructions {
        let add = instruction.effective();
        if add.keyword != Keyword::Add || add.flag("checksum").is_some() {
            continue;
        }
        for source in copy_sources(add) {
            // Quotes are removed before Docker reads the source.
            let unquoted = crate::model::unquote(&source.text);
            let url = unquoted.as_str();
            let message = match remote(url) {
                None => continue,
                Some(Remote::Http { plain }) => format!(
                    "`ADD` downloads `{url}`{} without `--checksum`: its content is not verified",
                    if plain { " over plain HTTP" } else { "" }
                ),
                Some(Remote::Git { reference: Some(reference) }) if is_commit(reference) => continue,
                Some(Remote::Git { reference: Some(reference) }) => format!(
                    "`ADD` checks out `{url}` at `{reference}`, which can be moved: pin a commit hash instead"
                ),
                Some(Remote::Git { reference: None }) => format!(
                    "`ADD` checks out `{url}` at its default branch: pin a commit hash (`#<commit>`)"
                ),
            };
            findings.push(ctx.finding(&AddUrlWithoutChecksum::META, source.range, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sources() {
        let commit = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(remote("app.py"), None);
        assert_eq!(remote("HTTP://x/y"), Some(Remote::Http { plain: true }));
        assert_eq!(remote("https://x/y.tar.gz"), Some(Remote::Http { plain: false }));
        assert_eq!(remote("https://x/r.git"), Some(Remote::Git { reference: None }));
        assert_eq!(remote("https://x/r#v1:sub"), Some(Remote::Git { reference: Some("v1") }));
        let query = format!("https://x/r.git?ref=main&commit={commit}");
        assert_eq!(remote(&query), Some(Remote::Git { reference: Some(commit) }));
        assert_eq!(remote("git@x:o/r.git#"), Some(Remote::Git { reference: None }));
        assert!(is_commit(commit) && !is_commit("v1.2.0"));
    }
}
