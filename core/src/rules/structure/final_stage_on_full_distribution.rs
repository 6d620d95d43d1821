use crate::fix::{Applicability, Edit, Fix};
use crate::harden::analysis::UserChange;
use crate::harden::{final_image, Decision};
use crate::syntax::Keyword;
use crate::rules::helpers::{delete_instruction, exec_form, insert_line_after, keyword_like, last_build_step};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a multi-stage build whose final stage only receives a compiled binary from a
    /// build stage but still sits on a full distribution (Debian, Ubuntu, Alpine...), when a
    /// distroless image would run the binary just as well.
    ///
    /// ## Why is this bad?
    /// The build stage already keeps the compiler out of the image, but the final base still
    /// brings a shell, a package manager and a few hundred packages the binary never uses:
    /// each is attack surface and a stream of vulnerability reports. A static binary needs
    /// nothing but CA certificates and time zones (`distroless/static`); a glibc binary needs
    /// libc and libgcc (`distroless/cc`).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN CGO_ENABLED=0 go build -o /out/server .
    ///
    /// FROM debian:bookworm-slim
    /// COPY --from=build /out/server /usr/local/bin/server
    /// CMD ["server"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN CGO_ENABLED=0 go build -o /out/server .
    ///
    /// FROM gcr.io/distroless/static-debian12:nonroot
    /// COPY --from=build /out/server /usr/local/bin/server
    /// USER 65532:65532
    /// CMD ["server"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the final image changes. A stage without a WORKDIR gets `WORKDIR /`: distroless
    /// `:nonroot` images work in `/home/nonroot`, and relative paths must keep their meaning. It is only offered when the final stage runs no
    /// commands (no RUN), starts without a shell, and starts either a binary copied from a
    /// stage whose build is known (Go or Rust), so that whether it needs a C library is known,
    /// or `java -jar` on a copied jar (Java 17, 21 or 25; the start becomes the distroless
    /// image's own `java -jar`), or `java` with options or a class path on files copied from a
    /// build stage (`java -cp app:app/lib/* Main`: the command becomes the stage's ENTRYPOINT,
    /// with the image's `/usr/bin/java`). A binary built on Alpine with a C library is left alone: distroless
    /// images have glibc, not musl.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.3 "Ensure that unnecessary packages are not installed in the container"
    /// - GoogleContainerTools/distroless
    pub struct FinalStageOnFullDistribution {
        code: "DH603",
        name: "final-stage-on-full-distribution",
        category: Structure,
        severity: Warning,
        fix: Always,
        summary: "A copied binary runs on a full distribution where a distroless image would do",
        aliases: [(Cis, "4.3")],
    }
}

/// DH603
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Decision::Rebase(plan) = ctx.structure().clone() else { return };
    let Ok(image) = final_image(plan.runtime, ctx.settings.today()) else { return };
    let Some(stage) = ctx.model.final_stage() else { return };
    let from = ctx.model.instructions[stage.from];
    let dropped = if plan.dropped.is_empty() {
        String::new()
    } else {
        "; its RUN lines only install what that image already has, or create a user it replaces, and go".to_string()
    };
    let message = format!(
        "the final stage only runs the {} app built in stage {}: `{}` would do instead of `{}` ({}){dropped}",
        plan.ecosystem.name(),
        ctx.model.stages[plan.build_stage].name.clone().unwrap_or_else(|| plan.build_stage.to_string()),
        image.reference,
        stage.base.written,
        image.why
    );
    let mut edits = vec![Edit::replace(stage.base.range, image.reference)];
    let user_line = format!("{} {}", keyword_like(ctx, from, "USER"), image.user);
    // RUN lines that only installed what the new image has go; the USER takes the place of the
    // last one when that is where it would be inserted (an insertion there would touch the deletion).
    let last = last_build_step(ctx, stage);
    let mut user_placed = false;
    for &index in &plan.dropped {
        let instruction = ctx.model.instructions[index];
        if plan.user == UserChange::Add && std::ptr::eq(instruction, last) {
            edits.push(Edit::replace(instruction.code_range(), user_line.clone()));
            user_placed = true;
        } else {
            edits.push(delete_instruction(ctx, instruction));
        }
    }
    // distroless `:nonroot` images work in /home/nonroot; the old base worked in `/` (it set no
    // WORKDIR, nor did the stage), so relative COPY destinations and start paths keep their
    // meaning only with `WORKDIR /`.
    let has_workdir = stage.body.iter().any(|&i| ctx.model.instructions[i].keyword == Keyword::Workdir);
    let workdir_line = format!("{} /", keyword_like(ctx, from, "WORKDIR"));
    let user_after_from = plan.user == UserChange::Add && !user_placed && std::ptr::eq(last, from);
    if !has_workdir && !user_after_from {
        edits.push(insert_line_after(ctx, from, &workdir_line));
    }
    match plan.user {
        UserChange::Keep => {}
        UserChange::Add if user_placed => {}
        UserChange::Add if user_after_from && !has_workdir => {
            edits.push(insert_line_after(ctx, last, &format!("{workdir_line}{}{user_line}", ctx.newline())))
        }
        UserChange::Add => edits.push(insert_line_after(ctx, last, &user_line)),
        UserChange::Replace(index) => {
            edits.push(Edit::replace(ctx.model.instructions[index].code_range(), user_line));
        }
    }
    // The new image's entrypoint runs the app (a CMD of its arguments), or the start stays the
    // stage's own (an ENTRYPOINT of the whole command): either way the stage's start lines
    // become that one line.
    let start = match (&plan.cmd, &plan.entrypoint) {
        (Some(cmd), _) => Some(("CMD", cmd)),
        (None, Some(entrypoint)) => Some(("ENTRYPOINT", entrypoint)),
        (None, None) => None,
    };
    if let Some((keyword, argv)) = start {
        let starts: Vec<usize> = stage
            .body
            .iter()
            .copied()
            .filter(|&i| matches!(ctx.model.instructions[i].keyword, Keyword::Cmd | Keyword::Entrypoint))
            .collect();
        let json = exec_form(argv);
        for (n, &index) in starts.iter().enumerate() {
            let instruction = ctx.model.instructions[index];
            if n == 0 {
                edits.push(Edit::replace(instruction.code_range(), format!("{} {json}", keyword_like(ctx, instruction, keyword))));
            } else {
                edits.push(Edit::delete(instruction.range));
            }
        }
    }
    let mut finding = ctx.finding(&FinalStageOnFullDistribution::META, from.keyword_range.cover(stage.base.range), message);
    finding.fix = Some(
        Fix::new(format!("Run the app on `{}`", image.reference), Applicability::Unsafe, edits).isolated(crate::fix::STRUCTURE),
    );
    findings.push(finding);
}
