use crate::harden::Decision;
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Reports that the final image keeps a full distribution (with a shell and a package
    /// manager) because dfharden could not tell that a minimal image would still run the
    /// application, and says why.
    ///
    /// ## Why is this bad?
    /// It is not bad in itself: it is the honest answer when a rewrite could break the image.
    /// A shell-script entrypoint needs a shell; a web server may read configuration files from
    /// the image; a Windows image has no distroless counterpart; a language version may have
    /// no minimal image. The image is then hardened in place by the other rules (a non-root
    /// user, no setuid/setgid bits, no package caches), and the message names what would have
    /// to change to allow the rewrite.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// RUN pip install -r /app/requirements.txt
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # Python 3.11 matches distroless/python3-debian12; dfharden can then move the app.
    /// FROM python:3.11-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// CMD ["python", "main.py"]
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.3 "Ensure that unnecessary packages are not installed in the container"
    /// - Docker documentation, "Multi-stage builds"
    pub struct RestructureDeclined {
        code: "DH602",
        name: "restructure-declined",
        category: Structure,
        severity: Info,
        fix: None,
        summary: "The final image was kept (not moved to a minimal image), and why",
        aliases: [],
    }
}

/// DH602
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Decision::Decline { ecosystem, reason, .. } = ctx.structure().clone() else { return };
    let Some(stage) = ctx.model.final_stage() else { return };
    let from = ctx.model.instructions[stage.from];
    let what = ecosystem.map_or(String::new(), |e| format!("{} ", e.name()));
    let message = format!("kept `{}` as the final {what}image: {reason}; hardened in place instead", stage.base.written);
    findings.push(ctx.finding(&RestructureDeclined::META, from.keyword_range.cover(stage.base.range), message));
}
