//! The structural decision over every `real` file of the corpus: how many were restructured
//! onto a minimal image, how many final stages were moved to distroless, how many were hardened
//! in place and why (a figure per reason), and how many were already minimal. Every rewrite
//! that chose a distroless image must have a final stage without RUN and with exec-form
//! CMD/ENTRYPOINT only; the parse of every rewrite by the official parser is checked in
//! fix_corpus.rs.

use std::collections::BTreeMap;

use dfharden_core::harden::{analyse, Decision};
use dfharden_core::model::{form_of, Dockerfile, Form};
use dfharden_core::rules::Context;
use dfharden_core::syntax::{parse, Keyword};
use dfharden_core::{fix, Settings};
use dfharden_tests::corpus_of_kind;

#[test]
fn structural_decisions_over_the_corpus() {
    let settings = Settings::default();
    let files = corpus_of_kind("real");
    let mut restructured = 0;
    let mut rebased = 0;
    let mut minimal = 0;
    let mut declined: BTreeMap<&'static str, usize> = BTreeMap::new();
    for file in &files {
        let text = String::from_utf8(file.bytes()).unwrap();
        let parsed = parse(&text);
        if parsed.has_errors() {
            continue;
        }
        let model = Dockerfile::new(&parsed);
        let decision = analyse(&Context::new(&parsed, &model, &settings));
        match &decision {
            Decision::Restructure(_) => restructured += 1,
            Decision::Rebase(_) => rebased += 1,
            Decision::Decline { kind, .. } => *declined.entry(kind.describe()).or_default() += 1,
            Decision::NotApplicable => minimal += 1,
        }
        if matches!(decision, Decision::Restructure(_) | Decision::Rebase(_)) {
            let output = fix(&text, &settings).output;
            let out_parse = parse(&output);
            let out_model = Dockerfile::new(&out_parse);
            let stage = out_model.final_stage().expect("a final stage");
            assert!(
                stage.base.written.contains("distroless") || stage.base.written.contains("chiseled"),
                "{}: the rewrite did not choose a minimal image:\n{output}",
                file.path
            );
            for &i in &stage.body {
                let instruction = out_model.instructions[i];
                assert_ne!(instruction.keyword, Keyword::Run, "{}: RUN in the distroless stage", file.path);
                if matches!(instruction.keyword, Keyword::Cmd | Keyword::Entrypoint) {
                    assert_eq!(form_of(instruction), Form::Exec, "{}: shell form in the distroless stage", file.path);
                }
            }
        }
    }
    let total = files.len();
    println!("structure over {total} real corpus files:");
    println!("  restructured onto a minimal image: {restructured}");
    println!("  final stage moved to distroless:   {rebased}");
    println!("  already minimal (distroless, scratch, stage-based): {minimal}");
    let kept: usize = declined.values().sum();
    println!("  hardened in place: {kept}");
    for (reason, count) in &declined {
        println!("    {count:>4}  {reason}");
    }
    assert_eq!(restructured + rebased + minimal + kept, total - files.iter().filter(|f| parse(&String::from_utf8(f.bytes()).unwrap()).has_errors()).count());
    assert!(restructured + rebased > 0, "the corpus has single-stage builds to restructure");
}

/// What DH101 decides for every `real` file that runs as root, with no build context (so start
/// scripts are unseen): how many get a `USER` (or the nginx move) and, for the others, the
/// first reason it gives. Every finding without a fix must give one of the known reasons.
#[test]
fn user_decisions_over_the_corpus() {
    let settings = Settings::default();
    let files = corpus_of_kind("real");
    let mut tally: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut root = 0;
    for file in &files {
        let text = String::from_utf8(file.bytes()).unwrap();
        let report = dfharden_core::check(&text, &settings);
        let Some(finding) = report.findings.iter().find(|f| f.code == "DH101") else { continue };
        root += 1;
        let reason = if finding.fix.is_some() {
            "a USER added (or the nginx move)"
        } else {
            let Some((_, after)) = finding.message.split_once("no USER is added, because ") else {
                panic!("{}: DH101 with neither a fix nor a reason: {}", file.path, finding.message)
            };
            if after.starts_with("the image declares `VOLUME") {
                "a VOLUME whose files root owns"
            } else if after.starts_with("the app listens on port") {
                "a port below 1024"
            } else if after.starts_with("the app keeps its data") {
                "a data directory the image creates as root"
            } else if after.starts_with("the official") {
                "an official image that steps down or needs a root master"
            } else if after.contains("no CMD or ENTRYPOINT") {
                "no CMD or ENTRYPOINT (maybe a base image)"
            } else if after.contains("which needs root") || after.contains("s6-overlay") {
                "the start steps down from root itself"
            } else if after.starts_with("dfharden does not know how to create a user") {
                "a base image on which dfharden cannot create a user"
            } else if after.contains("is not known") || after.contains("start command is empty") {
                "the start cannot be seen (a script not read)"
            } else {
                panic!("{}: DH101 gives a reason this tally does not know: {after}", file.path)
            }
        };
        *tally.entry(reason).or_default() += 1;
    }
    println!("DH101 over {} real corpus files: {root} final stages run as root", files.len());
    for (reason, count) in &tally {
        println!("  {count:>4}  {reason}");
    }
    assert_eq!(tally.values().sum::<usize>(), root);
    assert!(tally.get("a USER added (or the nginx move)").copied().unwrap_or(0) > 0);
}
