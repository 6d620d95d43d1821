use crate::fix::{Applicability, Fix};
use crate::harden::{final_image, rewrite, Decision};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags an image that is built and run in the same stage, so that the compiler, the
    /// package manager, the shell and the build's own leftovers all ship with the application,
    /// when the application could run on a minimal (distroless) image instead.
    ///
    /// ## Why is this bad?
    /// Everything in an image is something an attacker can use and something a scanner will
    /// report. A Go, Rust, Java, Node.js, Python or .NET application needs its runtime and its
    /// own files, not `gcc`, `apt`, `curl` or `/bin/sh`. A multi-stage build keeps the tools in
    /// a build stage and copies only the result into a final stage on a distroless image: no
    /// shell to spawn, no package manager to install tools with, far fewer packages to patch,
    /// and a non-root user by default.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// WORKDIR /src
    /// COPY . .
    /// RUN go build -o /usr/local/bin/app .
    /// CMD ["/usr/local/bin/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
    ///
    /// FROM gcr.io/distroless/static-debian12:nonroot
    /// COPY --from=build /usr/local/bin/app /usr/local/bin/app
    /// USER 65532:65532
    /// ENTRYPOINT ["/usr/local/bin/app"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the application then runs without a shell, a package manager or root, from a
    /// different base image. The rewrite is only offered when the tool can tell what the
    /// application needs at run time: the artifact the build writes (`go build -o`, `cargo
    /// install`, `java -jar target/app.jar`, `dotnet publish -o`), a start command that needs
    /// no shell, and a language version a minimal image exists for. Go builds get
    /// `CGO_ENABLED=0` so the binary runs without a C library. Otherwise DH602 says why the
    /// image was kept and the other rules harden it in place.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.3 "Ensure that unnecessary packages are not installed in the container"
    /// - Docker documentation, "Multi-stage builds"
    /// - GoogleContainerTools/distroless: images with only the application and its runtime
    pub struct ToolchainInFinalImage {
        code: "DH601",
        name: "toolchain-in-final-image",
        category: Structure,
        severity: Warning,
        fix: Always,
        summary: "The app ships with its build toolchain instead of on a minimal image",
        aliases: [(Cis, "4.3")],
    }
}

/// DH601
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Decision::Restructure(plan) = ctx.structure().clone() else { return };
    let Ok(image) = final_image(plan.runtime, ctx.settings.today()) else { return };
    let Some(stage) = ctx.model.final_stage() else { return };
    let from = ctx.model.instructions[stage.from];
    let mut message = format!(
        "the {} app is built and run in `{}`: move it to `{}` ({})",
        plan.ecosystem.name(),
        stage.base.written,
        image.reference,
        image.why
    );
    for note in &plan.notes {
        message.push_str("; ");
        message.push_str(note);
    }
    let mut finding = ctx.finding(&ToolchainInFinalImage::META, from.keyword_range.cover(stage.base.range), message);
    finding.fix = Some(
        Fix::new(
            std::iter::once(format!("Build in stage `{}`, run on `{}`", rewrite::build_stage_name(ctx, stage), image.reference))
                .chain(plan.notes.iter().cloned())
                .collect::<Vec<_>>()
                .join("; "),
            Applicability::Unsafe,
            rewrite::edits(ctx, stage, &plan, &image),
        )
        .isolated(crate::fix::STRUCTURE),
    );
    findings.push(finding);
}
