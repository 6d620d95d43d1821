//! `dfharden rule CODE` and `dfharden rules`: the catalogue, for people and for tools.

use std::io::Write;

use anyhow::{bail, Result};
use dfharden_core::render::{rule_markdown, rules_table, JsonRules};
use dfharden_core::rules::find_rule;
use dfharden_core::ALL_RULES;

use crate::args::{RuleArgs, RulesArgs, RulesFormat};
use crate::Outcome;

pub fn rule(args: &RuleArgs) -> Result<Outcome> {
    let Some(rule) = find_rule(&args.rule) else {
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
            serde_json::to_writer_pretty(&mut out, &JsonRules::of(ALL_RULES))?;
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
