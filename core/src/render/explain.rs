//! Rule explanations as Markdown, for `dfharden rule`, the web page and generated docs.

use crate::rules::{Rule, Tool};

fn tool_name(tool: Tool) -> &'static str {
    match tool {
        Tool::Hadolint => "hadolint",
        Tool::Trivy => "Trivy",
        Tool::Checkov => "Checkov",
        Tool::Buildkit => "BuildKit check",
        Tool::Cis => "CIS Docker Benchmark",
    }
}

/// A rule's full explanation with a title line and its metadata.
pub fn rule_markdown(rule: &Rule) -> String {
    let meta = rule.meta;
    let mut out = format!("# {} ({})\n\n", meta.name, meta.code);
    out.push_str(&format!(
        "Category: {}. Default severity: {:?}. Fix: {}.\n",
        meta.category.name(),
        meta.severity,
        match meta.fix {
            crate::rules::FixAvailability::None => "none",
            crate::rules::FixAvailability::Sometimes => "sometimes",
            crate::rules::FixAvailability::Always => "always",
        }
    ));
    if !meta.aliases.is_empty() {
        let aliases: Vec<String> = meta.aliases.iter().map(|a| format!("{} {}", tool_name(a.tool), a.id)).collect();
        out.push_str(&format!("Same as: {}.\n", aliases.join(", ")));
    }
    out.push('\n');
    out.push_str(&meta.explanation());
    out.push('\n');
    out
}

/// A Markdown table of rules: code, name, category, severity, fix, summary.
pub fn rules_table(rules: &[Rule]) -> String {
    let mut out = String::from("| code | name | category | severity | fix | summary |\n|---|---|---|---|---|---|\n");
    for rule in rules {
        let m = rule.meta;
        out.push_str(&format!(
            "| {} | {} | {} | {:?} | {:?} | {} |\n",
            m.code,
            m.name,
            m.category.name(),
            m.severity,
            m.fix,
            m.summary.replace('|', "\\|")
        ));
    }
    out
}
