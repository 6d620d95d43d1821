//! BuildKit's AST dump format (`Node.Dump`), as in BuildKit's `testfiles/*/result`.
//!
//! Used to check the parser against BuildKit's own expected parses, and by
//! `dfharden parse --format buildkit`.

use super::compat::go_quote;
use super::tree::{Arguments, Instruction, Parse};

/// The whole file, one `(instruction ...)` per line, as the current BuildKit prints it
/// (ENV and LABEL pairs carry their `=` or empty separator).
pub fn buildkit_dump(parse: &Parse) -> String {
    let mut out = String::new();
    for instruction in parse.instructions() {
        out.push('(');
        out.push_str(&dump_node(parse.text(), instruction));
        out.push_str(")\n");
    }
    out.trim().to_string()
}

fn dump_node(text: &str, instruction: &Instruction) -> String {
    let mut out = instruction.keyword_range.slice(text).to_lowercase();
    if !instruction.flags.is_empty() {
        let flags: Vec<String> = instruction.flags.iter().map(|f| go_quote(&f.text)).collect();
        out.push_str(&format!(" [{}]", flags.join(" ")));
    }
    dump_arguments(text, &instruction.arguments, &mut out);
    out.trim().to_string()
}

fn dump_arguments(text: &str, arguments: &Arguments, out: &mut String) {
    let mut value = |s: &str| {
        out.push(' ');
        out.push_str(&go_quote(s));
    };
    match arguments {
        Arguments::Pairs(pairs) => {
            for kv in pairs {
                value(&kv.key.text);
                value(&kv.value.text);
                value(if kv.equals { "=" } else { "" });
            }
        }
        Arguments::Healthcheck { kind, command } => {
            value(&kind.text);
            dump_arguments(text, command, out);
        }
        Arguments::Onbuild(inner) => {
            out.push_str(" (");
            out.push_str(&dump_node(text, inner));
            out.push(')');
        }
        other => other.buildkit_values().iter().for_each(|v| value(v)),
    }
}
