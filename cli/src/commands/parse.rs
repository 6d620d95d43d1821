//! `dfharden parse`: show the parse, for comparing with other parsers from outside.

use std::io::{self, Write};

use anyhow::Result;
use dfharden_core::syntax::{buildkit_dump, parse, Arguments, Instruction, Parse, Severity};
use serde_json::{json, Value};

use crate::args::{ParseArgs, ParseFormat};
use crate::input::read_source;
use crate::Outcome;

/// Version of the `parse --format json` document.
const PARSE_JSON_VERSION: u32 = 1;

pub fn run(args: &ParseArgs) -> Result<Outcome> {
    let source = read_source(&args.file)?;
    let parsed = parse(&source.text);
    let format = if args.json { ParseFormat::Json } else { args.format };
    let mut out = io::stdout().lock();
    match format {
        ParseFormat::Buildkit => writeln!(out, "{}", buildkit_dump(&parsed))?,
        ParseFormat::Json => {
            let document = json!({
                "version": PARSE_JSON_VERSION,
                "path": source.name.display().to_string(),
                "escape": parsed.escape.to_string(),
                "directives": parsed.directives().map(|d| json!({"name": d.name, "value": d.value})).collect::<Vec<_>>(),
                "instructions": parsed.instructions().map(|i| instruction_json(&parsed, i)).collect::<Vec<_>>(),
                "errors": errors_json(&parsed),
            });
            serde_json::to_writer_pretty(&mut out, &document)?;
            writeln!(out)?;
        }
        ParseFormat::Text => {
            for instruction in parsed.instructions() {
                writeln!(out, "{}", instruction_line(&parsed, instruction))?;
            }
        }
    }
    out.flush()?;
    let mut err = io::stderr().lock();
    for e in &parsed.errors {
        let at = parsed.line_col(e.range.start);
        let severity = match e.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(err, "{}:{}:{}: {severity}: {}", source.name.display(), at.line, at.column, e.message)?;
    }
    Ok(if parsed.has_errors() { Outcome::Reported } else { Outcome::Clean })
}

fn instruction_line(parsed: &Parse, instruction: &Instruction) -> String {
    let text = parsed.text();
    let mut line = format!(
        "{}-{} {}",
        instruction.start_line,
        instruction.end_line,
        instruction.keyword_range.slice(text)
    );
    for flag in &instruction.flags {
        line.push(' ');
        line.push_str(&flag.text);
    }
    let inner = instruction.effective();
    if let Arguments::Onbuild(_) = &instruction.arguments {
        line.push(' ');
        line.push_str(inner.keyword_range.slice(text));
        for flag in &inner.flags {
            line.push(' ');
            line.push_str(&flag.text);
        }
    }
    let values = inner.arguments.buildkit_values();
    let form = if inner.arguments.is_exec() { "exec" } else { "" };
    if !form.is_empty() {
        line.push_str(" (exec)");
    }
    line.push_str(&format!(" {values:?}"));
    for heredoc in &instruction.heredocs {
        line.push_str(&format!(" <<{} ({} bytes)", heredoc.name, heredoc.body.len()));
    }
    line
}

fn instruction_json(parsed: &Parse, instruction: &Instruction) -> Value {
    let text = parsed.text();
    let inner = instruction.effective();
    let sub = match &instruction.arguments {
        Arguments::Onbuild(inner) => json!({
            "cmd": inner.keyword_range.slice(text),
            "flags": inner.flags.iter().map(|f| &f.text).collect::<Vec<_>>(),
        }),
        _ => Value::Null,
    };
    let start = parsed.line_col(instruction.range.start);
    json!({
        "cmd": instruction.keyword_range.slice(text),
        "keyword": instruction.keyword.as_str(),
        "start_line": instruction.start_line,
        "end_line": instruction.end_line,
        "offset": instruction.range.start,
        "column": start.column,
        "flags": instruction.flags.iter().map(|f| &f.text).collect::<Vec<_>>(),
        "sub": sub,
        "json": inner.arguments.is_exec(),
        "value": inner.arguments.buildkit_values(),
        "heredocs": instruction.heredocs.iter().map(|h| json!({
            "name": h.name,
            "fd": h.fd,
            "chomp": h.chomp,
            "expand": h.expand,
            "content": h.content(text),
        })).collect::<Vec<_>>(),
    })
}

fn errors_json(parsed: &Parse) -> Vec<Value> {
    parsed
        .errors
        .iter()
        .map(|e| {
            let start = parsed.line_col(e.range.start);
            let end = parsed.line_col(e.range.end);
            json!({
                "severity": e.severity,
                "message": e.message,
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
            })
        })
        .collect()
}
