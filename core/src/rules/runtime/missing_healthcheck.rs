use crate::rules::helpers::final_chain_instructions;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags a final image that exposes a port, so runs a service, but has no `HEALTHCHECK`.
    ///
    /// ## Why is this bad?
    /// A container is "running" as long as its main process exists, even when the service in
    /// it is stuck, deadlocked or has lost its database. A `HEALTHCHECK` tells Docker how to
    /// ask the service itself; the container is then marked `unhealthy` when it stops
    /// answering, so Swarm can replace it, Compose can hold back what `depends_on` it, and
    /// people can see the problem in `docker ps`. Without one, a broken service keeps
    /// receiving traffic.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// EXPOSE 8080
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// EXPOSE 8080
    /// HEALTHCHECK --interval=30s --timeout=3s \
    ///   CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8080/health')"]
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// The check should use a program the image already has: a tiny client in the
    /// application's own language, or `curl`/`wget` if they are installed anyway. Images run
    /// only by Kubernetes, which ignores `HEALTHCHECK` in favour of its own probes, can say so
    /// with `HEALTHCHECK NONE`, which this rule accepts. A check the base image defines cannot
    /// be seen from the Dockerfile.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.6 "Ensure that HEALTHCHECK instructions have been added to
    ///   container images"
    /// - Trivy DS026, Checkov CKV_DOCKER_2, hadolint DL3057 (off by default in hadolint)
    pub struct MissingHealthcheck {
        code: "DH502",
        name: "missing-healthcheck",
        category: Runtime,
        severity: Info,
        fix: None,
        summary: "A service image has no `HEALTHCHECK`",
        aliases: [(Trivy, "DS026"), (Checkov, "CKV_DOCKER_2"), (Cis, "4.6"), (Hadolint, "DL3057")],
    }
}

/// DH502
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = ctx.model.final_stage() else { return };
    let instructions: Vec<_> =
        final_chain_instructions(ctx.model).into_iter().map(|i| ctx.model.instructions[i]).collect();
    if instructions.iter().any(|i| i.keyword == Keyword::Healthcheck) {
        return;
    }
    let ports: Vec<&str> = instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Expose)
        .flat_map(|i| match &i.arguments {
            Arguments::List(words) => words.iter().map(|w| w.text.as_str()).collect(),
            _ => Vec::new(),
        })
        .collect();
    if ports.is_empty() {
        return;
    }
    let from = ctx.model.instructions[stage.from];
    let listed = ports.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
    let exposes = if ports.len() == 1 { format!("port {listed}") } else { format!("ports {listed}") };
    findings.push(ctx.finding(
        &MissingHealthcheck::META,
        from.keyword_range.cover(stage.base.range),
        format!("the final image exposes {exposes} but has no `HEALTHCHECK`"),
    ));
}
