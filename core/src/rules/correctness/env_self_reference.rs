use crate::model::variable_names;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword};

rule! {
    /// ## What it does
    /// Flags an `ENV` that uses a variable it sets itself in the same instruction
    /// (`ENV A=1 B=$A`).
    ///
    /// ## Why is this bad?
    /// All the values of one `ENV` are expanded before any of them is set, so `$A` in
    /// `ENV A=1 B=$A` is the value `A` had before the line (usually empty), not `1`. Two `ENV`
    /// lines say what was meant.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV APP_HOME=/srv/app PATH=$APP_HOME/bin:$PATH
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENV APP_HOME=/srv/app
    /// ENV PATH=$APP_HOME/bin:$PATH
    /// ```
    ///
    /// ## References
    /// - hadolint DL3044
    pub struct EnvSelfReference {
        code: "DH713",
        name: "env-self-reference",
        category: Correctness,
        severity: Warning,
        fix: None,
        summary: "An `ENV` uses a variable it sets on the same line, which still has its old value",
        aliases: [(Hadolint, "DL3044")],
    }
}

/// DH713
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for instruction in ctx.model.instructions.iter().filter(|i| i.keyword == Keyword::Env) {
        let Arguments::Pairs(pairs) = &instruction.arguments else { continue };
        // The keys set so far on this line: a line may hold thousands of pairs.
        let mut set_before = std::collections::HashSet::new();
        for pair in pairs {
            let used = variable_names(&pair.value.text);
            let earlier = used.iter().find(|name| set_before.contains(name.as_str()));
            set_before.insert(pair.key.text.as_str());
            // A variable the pair uses that an earlier pair of the same line sets.
            let Some(name) = earlier else { continue };
            findings.push(ctx.finding(
                &EnvSelfReference::META,
                pair.value.range,
                format!("`${name}` here is the value `{name}` had before this line, not the one set on it: set `{name}` in an `ENV` of its own first"),
            ));
        }
    }
}
