//! The rules: what dfharden looks for, why it matters, and how to fix it.
//!
//! Each rule is one file: a unit struct whose doc comment is the rule's explanation (the only
//! copy of it: `dfharden rule`, the web page and SARIF all read [`RuleMeta::explanation`]),
//! declared with [`rule!`] together with its code, name, category, severity and fix
//! availability, and a `check` function right below it. Codes are registered once, in
//! [`registry`], and are never reused.

pub(crate) mod helpers;
mod registry;
mod suppression;

pub mod correctness;
pub mod hygiene;
pub mod pinning;
pub mod privilege;
pub mod runtime;
pub mod secrets;
pub mod structure;
pub mod style;
pub mod supply_chain;

use serde::Serialize;

use crate::fix::Fix;
use crate::model::shell::{run_scripts, Script};
use crate::model::Dockerfile;
use crate::settings::Settings;
use crate::syntax::{Instruction, Parse, TextRange};

pub use registry::{find_rule, rule_by_code, Rule, ALL_RULES};
pub use suppression::Suppressions;

/// What a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Who the container runs as and what it may do.
    Privilege,
    /// Where base images come from and whether they can be verified.
    SupplyChain,
    /// Build steps that leave caches, tools or surprises in the image.
    Hygiene,
    /// Credentials that end up in the image or its history.
    Secrets,
    /// How the container starts and is watched.
    Runtime,
    /// The shape of the build: stages and the final image.
    Structure,
    /// Mistakes that make a build do other than what it says, or fail where another builder
    /// would not (BuildKit's build checks and hadolint's rules of this kind): on by default.
    Correctness,
    /// Consistency and legacy syntax (instruction casing, `ENV key value`): nothing about the
    /// image changes, so these are off by default, as ruff keeps its stylistic rules; turn
    /// them on with `extend-select = ["style"]`.
    Style,
    /// Exact versions for every installed package: off by default (its rule says why).
    Pinning,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Privilege,
        Category::SupplyChain,
        Category::Hygiene,
        Category::Secrets,
        Category::Runtime,
        Category::Structure,
        Category::Correctness,
        Category::Style,
        Category::Pinning,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Privilege => "privilege",
            Category::SupplyChain => "supply-chain",
            Category::Hygiene => "hygiene",
            Category::Secrets => "secrets",
            Category::Runtime => "runtime",
            Category::Structure => "structure",
            Category::Correctness => "correctness",
            Category::Style => "style",
            Category::Pinning => "pinning",
        }
    }

    /// Whether the category's rules run when nothing is selected. Only rules that change
    /// nothing about the image are off: a hardening tool that buries its findings under casing
    /// advice gets ignored.
    pub fn on_by_default(self) -> bool {
        !matches!(self, Category::Style | Category::Pinning)
    }

    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// Whether the rule can fix what it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// A rule's lifecycle. Removed rules keep their code so it is never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Stable,
    /// Runs only when selected explicitly.
    Preview,
    /// No longer runs; the code stays reserved.
    Removed,
}

/// A checker or benchmark that has an equivalent of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tool {
    Hadolint,
    Trivy,
    Checkov,
    Buildkit,
    /// The CIS Docker Benchmark, section 4.
    Cis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Alias {
    pub tool: Tool,
    pub id: &'static str,
}

/// Everything known about a rule without running it.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// `DH` and three digits; never reused.
    pub code: &'static str,
    /// Kebab-case name of the pattern flagged (`final-stage-runs-as-root`).
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub status: Status,
    /// One sentence: what the rule flags.
    pub summary: &'static str,
    /// Equivalent checks in other tools.
    pub aliases: &'static [Alias],
    /// The doc comment of the rule's struct, raw.
    #[serde(skip)]
    pub doc: &'static str,
}

impl RuleMeta {
    /// The rule's explanation in Markdown: What it does / Why is this bad? / Example /
    /// Use instead / Fix safety / References.
    pub fn explanation(&self) -> String {
        self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n").trim().to_string()
    }

    /// One section of the explanation (`"Why is this bad?"`), without its heading.
    pub fn section(&self, heading: &str) -> Option<String> {
        let explanation = self.explanation();
        let marker = format!("## {heading}");
        let start = explanation.find(&marker)? + marker.len();
        let rest = &explanation[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    }

    /// Whether the rule runs when nothing selects it: stable, and in a category that is on by
    /// default. The settings and the page's rule boxes both ask here.
    pub fn on_by_default(&self) -> bool {
        self.status == Status::Stable && self.category.on_by_default()
    }

    /// The hadolint code of this rule, if it has one.
    pub fn alias(&self, tool: Tool) -> impl Iterator<Item = &'static str> + '_ {
        self.aliases.iter().filter(move |a| a.tool == tool).map(|a| a.id)
    }
}

/// Declares a rule: its doc comment becomes its explanation.
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            category: $category:ident,
            severity: $severity:ident,
            fix: $fix:ident,
            summary: $summary:literal,
            aliases: [$(($tool:ident, $id:literal)),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $rule_name,
                category: $crate::rules::Category::$category,
                severity: $crate::rules::Severity::$severity,
                fix: $crate::rules::FixAvailability::$fix,
                status: $crate::rules::Status::Stable,
                summary: $summary,
                aliases: &[$($crate::rules::Alias { tool: $crate::rules::Tool::$tool, id: $id }),*],
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use rule;

/// One problem found by a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub category: Category,
    /// What is wrong here, specifically.
    pub message: String,
    pub range: TextRange,
    pub fix: Option<Fix>,
}

/// What rules get to look at.
pub struct Context<'a> {
    pub source: &'a str,
    pub parse: &'a Parse,
    pub model: &'a Dockerfile<'a>,
    pub settings: &'a Settings,
    /// The shell scripts of each instruction (empty for non-RUN), by instruction index.
    pub scripts: Vec<Vec<Script>>,
    /// The structural analysis, computed once for the three structure rules that read it.
    structure: std::cell::OnceCell<crate::harden::Decision>,
}

impl<'a> Context<'a> {
    pub fn new(parse: &'a Parse, model: &'a Dockerfile<'a>, settings: &'a Settings) -> Self {
        let source = parse.text();
        let scripts = model.instructions.iter().map(|i| run_scripts(i, source)).collect();
        Context { source, parse, model, settings, scripts, structure: std::cell::OnceCell::new() }
    }

    /// The structural decision for this file (see `harden::analyse`), computed once.
    pub fn structure(&self) -> &crate::harden::Decision {
        self.structure.get_or_init(|| crate::harden::analyse(self))
    }

    /// A finding of `meta` at `range`.
    pub fn finding(&self, meta: &RuleMeta, range: TextRange, message: impl Into<String>) -> Finding {
        Finding {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            category: meta.category,
            message: message.into(),
            range,
            fix: None,
        }
    }

    pub fn text(&self, range: TextRange) -> &'a str {
        range.slice(self.source)
    }

    /// The instructions of the final stage (FROM included), with their indexes.
    pub fn final_stage_instructions(&self) -> Vec<(usize, &'a Instruction)> {
        match self.model.final_stage() {
            Some(stage) => std::iter::once(stage.from)
                .chain(stage.body.iter().copied())
                .map(|i| (i, self.model.instructions[i]))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The line ending this file uses (`\r\n` if its first line ending is one).
    pub fn newline(&self) -> &'static str {
        match self.source.find('\n') {
            Some(i) if i > 0 && self.source.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }
}

/// Runs every enabled rule and returns the findings that are not suppressed, in source order.
pub fn run_rules(context: &Context<'_>) -> Vec<Finding> {
    let suppressions = Suppressions::read(context.parse, context.model);
    let mut findings = Vec::new();
    for rule in ALL_RULES {
        if rule.meta.status == Status::Removed || !context.settings.is_enabled(rule.meta) {
            continue;
        }
        let before = findings.len();
        (rule.check)(context, &mut findings);
        debug_assert!(findings[before..].iter().all(|f| f.code == rule.meta.code));
        // `# check=error=true`: the rules that claim a BuildKit check report errors.
        if suppressions.buildkit_checks_are_errors && rule.meta.alias(Tool::Buildkit).next().is_some() {
            findings[before..].iter_mut().for_each(|f| f.severity = Severity::Error);
        }
    }
    findings.retain(|f| !suppressions.suppresses(f));
    withhold_fixes_outside_shipped_image(context, &mut findings);
    findings.sort_by(|a, b| (a.range.start, a.code).cmp(&(b.range.start, b.code)));
    findings
}

/// Package-manager hygiene whose only benefit is a smaller or leaner shipped image. In a stage
/// the final image is not built on (a build stage it copies artifacts from), these edits save
/// nothing, and `--no-install-recommends` can remove packages the build needs (compilers pulled
/// in as recommendations). Their findings stay, for information; their fixes are withheld.
const FIXES_ONLY_WHERE_SHIPPED: &[&str] = &["DH301", "DH302", "DH305", "DH306", "DH307"];

fn withhold_fixes_outside_shipped_image(context: &Context<'_>, findings: &mut [Finding]) {
    let model = context.model;
    if model.stages.len() < 2 {
        return;
    }
    let shipped = model.stages_shipped();
    for finding in findings.iter_mut() {
        if finding.fix.is_none() || !FIXES_ONLY_WHERE_SHIPPED.contains(&finding.code) {
            continue;
        }
        let instruction = model
            .instructions
            .partition_point(|i| i.range.start <= finding.range.start)
            .checked_sub(1);
        let Some(stage) = instruction.and_then(|i| model.stage_of(i)) else {
            continue;
        };
        if shipped.contains(&stage.index) {
            continue;
        }
        let name = match &stage.name {
            Some(name) => format!("stage `{name}`"),
            None => format!("stage {}", stage.index),
        };
        finding.fix = None;
        let risk = if finding.code == "DH301" { ", and the build may rely on the recommended packages" } else { "" };
        finding.message.push_str(&format!(
            " (not fixed: {name} is not part of the final image, so the change would not make the shipped image smaller{risk})"
        ));
    }
}
