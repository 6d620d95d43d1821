use crate::fix::{Applicability, Edit, Fix};
use crate::rules::helpers::keyword_like;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags `ADD` of local files that are not archives, where `COPY` does the same job.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it downloads URLs and unpacks local tar archives. Using it for
    /// plain files hides that behaviour from readers, and a file that happens to be a tar archive
    /// gets unpacked by surprise. `COPY` says exactly what happens.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD requirements.txt /app/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY requirements.txt /app/
    /// ```
    ///
    /// ## Fix safety
    /// Safe when every source names a file or directory without an archive extension: `ADD`
    /// and `COPY` then produce the same layer. Unsafe when a source is a wildcard, which could
    /// match an archive that `ADD` would have unpacked. Not offered for URLs (see DH204) or
    /// archives, where `ADD` is doing real work.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.9 "Ensure that COPY is used instead of ADD"
    /// - hadolint DL3020, Trivy DS005, Checkov CKV_DOCKER_4
    pub struct AddInsteadOfCopy {
        code: "DH308",
        name: "add-instead-of-copy",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`ADD` used for local files where `COPY` is clearer",
        aliases: [(Hadolint, "DL3020"), (Trivy, "DS005"), (Checkov, "CKV_DOCKER_4"), (Cis, "4.9")],
    }
}

const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
    ".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma",
];

pub fn is_url(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("git@")
}

/// DH308
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in &ctx.model.instructions {
        let add = instruction.effective();
        if add.keyword != Keyword::Add || add.flags.iter().any(|f| matches!(f.name(), "checksum" | "keep-git-dir")) {
            continue;
        }
        // Docker removes quotes from each word before it reads the source (`ADD "https://..."`
        // downloads, `ADD "app.tgz"` unpacks): read them as Docker does.
        let sources: Vec<String> = match &add.arguments {
            Arguments::List(words) => words[..words.len().saturating_sub(1)].iter().map(|w| crate::model::unquote(&w.text)).collect(),
            Arguments::Exec(words) => words[..words.len().saturating_sub(1)].iter().map(|w| w.text.to_string()).collect(),
            _ => continue,
        };
        if sources.is_empty() {
            continue;
        }
        let from_heredoc = |s: &str| s.starts_with("<<");
        if sources.iter().any(|s| is_url(s)) {
            continue;
        }
        if sources.iter().any(|s| {
            let lower = s.to_ascii_lowercase();
            !from_heredoc(s) && ARCHIVE_SUFFIXES.iter().any(|suffix| lower.ends_with(suffix))
        }) {
            continue;
        }
        let wildcard = sources.iter().any(|s| s.contains(['*', '?', '[']));
        let applicability = if wildcard { Applicability::Unsafe } else { Applicability::Safe };
        let mut finding = ctx.finding(
            &AddInsteadOfCopy::META,
            add.keyword_range,
            "`ADD` of local files: `COPY` does the same without unpacking or downloading",
        );
        finding.fix = Some(Fix::new(
            "Replace `ADD` with `COPY`",
            applicability,
            vec![Edit::replace(add.keyword_range, keyword_like(ctx, add, "COPY"))],
        ));
        findings.push(finding);
    }
}
