//! `dfharden rule CODE` and `dfharden rules`: the catalogue, for people and for tools.

use std::io::Write;

use anyhow::{bail, Result};
use dfharden_core::render::{rule_markdown, rules_table};
use dfharden_core::rules::{rule_by_code, Rule};
use dfharden_core::ALL_RULES;
use serde_json::json;

use crate::args::{RuleArgs, RulesArgs, RulesFormat};
use crate::Outcome;

fn find(rule: &str) -> Option<&'static Rule> {
    rule_by_code(rule).or_else(|| ALL_RULES.iter().find(|r| r.meta.name.eq_ignore_ascii_case(rule.trim())))
}

pub fn rule(args: &RuleArgs) -> Result<Outcome> {
    let Some(rule) = find(&args.rule) else {
        bail!("no rule `{}` (see `dfharden rules`)", args.rule);
    };
    let mut out = anstream::stdout().lock();
    out.write_all(rule_markdown(rule).as_bytes())?;
    Ok(Outcome::Clean)
}

pub fn list(args: &RulesArgs) -> Result<Outcome> {
    let mut out = anstream::stdout().lock();
    match args.format {
        RulesFormat::Markdown => out.write_all(rules_table(ALL_RULES).as_bytes())?,
        RulesFormat::Json => {
            let rules: Vec<_> = ALL_RULES
                .iter()
                .map(|r| {
                    let m = r.meta;
                    json!({
                        "code": m.code,
                        "name": m.name,
                        "category": m.category,
                        "severity": m.severity,
                        "fix": m.fix,
                        "status": m.status,
                        "summary": m.summary,
                        "aliases": m.aliases,
                        "explanation": m.explanation(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json!({ "version": 1, "rules": rules }))?;
            writeln!(out)?;
        }
        RulesFormat::Text => {
            for r in ALL_RULES {
                let m = r.meta;
                let fix = match m.fix {
                    dfharden_core::rules::FixAvailability::None => " ",
                    _ => "*",
                };
                writeln!(out, "{} {fix} {:<40} {}", m.code, m.name, m.summary)?;
            }
            writeln!(out, "\n* can be fixed by `dfharden fix`. Details: `dfharden rule CODE`.")?;
        }
    }
    Ok(Outcome::Clean)
}
