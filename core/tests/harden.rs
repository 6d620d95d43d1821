//! Golden tests of the structural rewrite over the example apps in `examples/`: the hardened
//! Dockerfile, the structural decision, and every changed hunk with the rules behind it.

use std::fmt::Write;

use dfharden_core::harden::{analyse, Decision};
use dfharden_core::model::{form_of, Dockerfile, Form};
use dfharden_core::render::attributed_hunks;
use dfharden_core::rules::{rule_by_code, Context};
use dfharden_core::syntax::{parse, Keyword};
use dfharden_core::{fix, Settings};

fn decision(text: &str, settings: &Settings) -> String {
    let parsed = parse(text);
    let model = Dockerfile::new(&parsed);
    let ctx = Context::new(&parsed, &model, settings);
    match analyse(&ctx) {
        Decision::Restructure(plan) => format!("restructure: {} -> {:?}", plan.ecosystem.name(), plan.runtime),
        Decision::Rebase(plan) => format!("rebase final stage: {} -> {:?}", plan.ecosystem.name(), plan.runtime),
        Decision::Decline { reason, .. } => format!("hardened in place: {reason}"),
        Decision::NotApplicable => "already minimal".to_string(),
    }
}

/// A distroless final stage must have no RUN and only exec-form CMD/ENTRYPOINT.
fn assert_distroless_final_stage_is_shell_free(name: &str, text: &str) {
    let parsed = parse(text);
    let model = Dockerfile::new(&parsed);
    let Some(stage) = model.final_stage() else { return };
    if !stage.base.written.contains("distroless") && !stage.base.written.contains("chiseled") {
        return;
    }
    for &i in &stage.body {
        let instruction = model.instructions[i];
        assert_ne!(instruction.keyword, Keyword::Run, "{name}: RUN in a distroless final stage");
        if matches!(instruction.keyword, Keyword::Cmd | Keyword::Entrypoint) {
            assert_eq!(form_of(instruction), Form::Exec, "{name}: shell-form start in a distroless stage");
        }
    }
}

#[test]
fn examples_are_hardened_and_explained() {
    let settings = Settings::default();
    insta::glob!("../../examples", "*/Dockerfile", |path| {
        let name = path.parent().unwrap().file_name().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let outcome = fix(&text, &settings);
        assert!(outcome.converged, "{name}: did not converge");
        assert!(!parse(&outcome.output).has_errors(), "{name}: output has parse errors");
        assert_eq!(fix(&outcome.output, &settings).output, outcome.output, "{name}: not a fixed point");
        assert_distroless_final_stage_is_shell_free(name, &outcome.output);
        let mut snapshot = format!("decision: {}\n\n{}\n", decision(&text, &settings), outcome.output);
        for (n, hunk) in attributed_hunks(&text, &outcome).iter().enumerate() {
            assert!(!hunk.codes.is_empty(), "{name}: hunk without a rule:\n{}", hunk.text);
            writeln!(snapshot, "---- change {}: {}", n + 1, hunk.codes.join(", ")).unwrap();
            snapshot.push_str(&hunk.text);
            for &i in &hunk.fixes {
                let applied = &outcome.applied[i];
                let why = rule_by_code(applied.code).and_then(|r| r.meta.section("Why is this bad?")).unwrap_or_default();
                let first_sentence = why.split(". ").next().unwrap_or_default().replace('\n', " ");
                writeln!(snapshot, "  {} {}: {}\n    why: {first_sentence}.", applied.code, applied.name, applied.title).unwrap();
            }
        }
        insta::assert_snapshot!(snapshot);
    });
}

/// With digests known, pinning edits touch the restructure's `AS build` insert; the result must
/// not depend on that: the restructure goes first, then every other rule sees two stages.
#[test]
fn structure_goes_first_whatever_else_is_fixable() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/go-web/Dockerfile")).unwrap();
    let plain = fix(&text, &Settings::default()).output;
    let mut settings = Settings::default();
    settings.digests.insert("golang:1.19", &format!("sha256:{}", "1".repeat(64))).unwrap();
    settings.digests.insert("gcr.io/distroless/static-debian12:nonroot", &format!("sha256:{}", "2".repeat(64))).unwrap();
    let pinned = fix(&text, &settings).output;
    let unpinned = pinned.replace(&format!("@sha256:{}", "1".repeat(64)), "").replace(&format!("@sha256:{}", "2".repeat(64)), "");
    assert_eq!(unpinned, plain, "pinning changed more than the digests");
    assert!(!pinned.contains("useradd"), "the build stage was hardened as if it were final:\n{pinned}");
}
