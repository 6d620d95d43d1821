//! Typed views over the syntax tree: build stages, their base images, which stage is final,
//! which stages feed which, and the form each instruction is written in.
//!
//! The model borrows the [`Parse`] and never copies text it can point at: every view keeps
//! the index of the instruction it came from, so a rule can always get back to byte ranges.

pub mod base;
mod expand;
mod image;
pub mod shell;

use std::collections::HashMap;

use serde::Serialize;

use crate::syntax::{Arguments, Instruction, Keyword, Parse, TextRange};

pub use expand::{expand, has_variables, variable_names, Expanded};
pub use image::{is_digest, ImageRef, ImageRefError, DOCKER_HUB};

/// How a command is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// `RUN apt-get update`: run by the image's shell (`/bin/sh -c`).
    Shell,
    /// `CMD ["nginx", "-g", "daemon off;"]`: run directly, no shell.
    Exec,
    /// `RUN <<EOF ... EOF`: a script in a heredoc, run by the shell.
    Heredoc,
    /// The instruction has no command.
    None,
}

/// The form of a RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK instruction.
pub fn form_of(instruction: &Instruction) -> Form {
    let instruction = instruction.effective();
    let arguments = match &instruction.arguments {
        Arguments::Healthcheck { command, .. } => command.as_ref(),
        other => other,
    };
    match arguments {
        Arguments::Exec(_) => Form::Exec,
        _ if !instruction.heredocs.is_empty() => Form::Heredoc,
        Arguments::Text(_) => Form::Shell,
        _ => Form::None,
    }
}

/// What a stage is built on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Base {
    /// An image from a registry.
    Image { image: ImageRef },
    /// An earlier stage of this file.
    Stage { index: usize },
    /// `FROM scratch`: an empty filesystem.
    Scratch,
    /// The reference could not be read (unknown build argument, invalid syntax).
    Unknown { reason: String },
}

/// The `FROM` line of a stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BaseRef {
    /// The reference as written (`golang:${GO_VERSION}`).
    pub written: String,
    /// Where it is written.
    pub range: TextRange,
    /// After substituting build arguments declared before the first FROM.
    pub expanded: String,
    /// Build arguments the reference uses that have no default value.
    pub unresolved: Vec<String>,
    pub base: Base,
}

/// A build stage: a FROM and the instructions up to the next FROM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit compares it.
    pub name: Option<String>,
    /// Index (in [`Dockerfile::instructions`]) of the FROM instruction.
    pub from: usize,
    pub base: BaseRef,
    /// `--platform=...` on the FROM line.
    pub platform: Option<String>,
    /// Indexes of the stage's instructions after FROM, in order.
    pub body: Vec<usize>,
    /// Stages this stage copies from, mounts, or is built on.
    pub depends_on: Vec<usize>,
}

/// An `ARG` declared before the first FROM: usable in FROM lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GlobalArg {
    pub name: String,
    pub default: Option<String>,
    pub instruction: usize,
}

/// The typed view of a whole Dockerfile.
#[derive(Debug)]
pub struct Dockerfile<'p> {
    pub parse: &'p Parse,
    pub instructions: Vec<&'p Instruction>,
    pub global_args: Vec<GlobalArg>,
    pub stages: Vec<Stage>,
}

impl<'p> Dockerfile<'p> {
    pub fn new(parse: &'p Parse) -> Self {
        let instructions: Vec<&Instruction> = parse.instructions().collect();
        let mut global_args = Vec::new();
        let mut stages: Vec<Stage> = Vec::new();
        // Global ARGs end at the first FROM: their values are gathered once, there.
        let mut vars: Option<HashMap<String, String>> = None;
        let mut names = StageNames::default();
        for (index, instruction) in instructions.iter().enumerate() {
            match instruction.keyword {
                Keyword::From => {
                    let vars = vars.get_or_insert_with(|| global_values(&global_args));
                    let stage = read_stage(stages.len(), index, instruction, vars, &names);
                    names.push(&stage);
                    stages.push(stage);
                }
                Keyword::Arg if stages.is_empty() => {
                    global_args.extend(declarations(instruction).into_iter().map(
                        |(name, default)| GlobalArg {
                            name,
                            default,
                            instruction: index,
                        },
                    ));
                }
                _ => {
                    if let Some(stage) = stages.last_mut() {
                        stage.body.push(index);
                    }
                }
            }
        }
        let mut model = Dockerfile {
            parse,
            instructions,
            global_args,
            stages,
        };
        model.link_stages();
        model
    }

    /// The stage whose image is the build's result (the last one, unless a target is named).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Finds a stage by the name or number used in `COPY --from` / `FROM`.
    pub fn stage_by_reference(&self, reference: &str, before: usize) -> Option<usize> {
        find_stage(&self.stages[..before.min(self.stages.len())], reference)
    }

    /// The stage an instruction belongs to.
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        // Stages are in source order.
        let after = self.stages.partition_point(|s| s.from <= instruction);
        after.checked_sub(1).map(|i| &self.stages[i])
    }

    /// Stages the final stage needs, directly or through others (itself included).
    pub fn stages_needed_by_final(&self) -> Vec<usize> {
        let Some(last) = self.stages.last() else {
            return Vec::new();
        };
        let mut seen = vec![false; self.stages.len()];
        seen[last.index] = true;
        let mut needed = vec![last.index];
        let mut i = 0;
        while i < needed.len() {
            for &dep in &self.stages[needed[i]].depends_on {
                if !std::mem::replace(&mut seen[dep], true) {
                    needed.push(dep);
                }
            }
            i += 1;
        }
        needed.sort_unstable();
        needed
    }

    /// Stages whose files end up in the final image: the final stage and the stages it is
    /// built on (`FROM <stage>`), not the ones it only copies from. A package-manager cache
    /// left in a stage outside this set never ships.
    pub fn stages_shipped(&self) -> Vec<usize> {
        let mut shipped = Vec::new();
        let mut next = self.stages.last().map(|s| s.index);
        while let Some(index) = next {
            if shipped.contains(&index) {
                break;
            }
            shipped.push(index);
            next = match self.stages[index].base.base {
                Base::Stage { index: base } => Some(base),
                _ => None,
            };
        }
        shipped.sort_unstable();
        shipped
    }

    fn link_stages(&mut self) {
        let mut names = StageNames::default();
        // `added[d] == s`: stage `d` is already a dependency of stage `s`.
        let mut added = vec![usize::MAX; self.stages.len()];
        for s in 0..self.stages.len() {
            let mut deps = Vec::new();
            if let Base::Stage { index } = self.stages[s].base.base {
                deps.push(index);
                added[index] = s;
            }
            for &i in &self.stages[s].body {
                let instruction = self.instructions[i].effective();
                for reference in stage_references(instruction) {
                    if let Some(dep) = names.find(&reference) {
                        if std::mem::replace(&mut added[dep], s) != s {
                            deps.push(dep);
                        }
                    }
                }
            }
            self.stages[s].depends_on = deps;
            names.push(&self.stages[s]);
        }
    }
}

/// The stages seen so far, for looking up `FROM <stage>` and `--from=<stage>` in constant
/// time (a file with thousands of stages stays linear).
#[derive(Default)]
struct StageNames {
    /// Lower-cased name to the index of the last stage with that name.
    by_name: HashMap<String, usize>,
    count: usize,
}

impl StageNames {
    fn push(&mut self, stage: &Stage) {
        if let Some(name) = &stage.name {
            self.by_name.insert(name.clone(), stage.index);
        }
        self.count += 1;
    }

    fn find(&self, reference: &str) -> Option<usize> {
        self.by_name
            .get(&reference.to_ascii_lowercase())
            .copied()
            .or_else(|| reference.parse::<usize>().ok().filter(|&n| n < self.count))
    }
}

fn global_values(global_args: &[GlobalArg]) -> HashMap<String, String> {
    global_args
        .iter()
        .filter_map(|a| a.default.clone().map(|d| (a.name.clone(), d)))
        .collect()
}

/// The `AS` keyword and the stage name of a FROM line, as written (`FROM img AS Build`).
pub fn stage_name_words(instruction: &Instruction) -> Option<(&crate::syntax::Word, &crate::syntax::Word)> {
    match &instruction.arguments {
        Arguments::List(words) => match words.as_slice() {
            [_, as_kw, name, ..] if as_kw.text.eq_ignore_ascii_case("as") => Some((as_kw, name)),
            _ => None,
        },
        _ => None,
    }
}

/// The names a COPY/ADD `--from` or a `RUN --mount=from=` refers to.
pub fn stage_references(instruction: &Instruction) -> Vec<String> {
    let mut out = Vec::new();
    match instruction.keyword {
        Keyword::Copy | Keyword::Add => {
            if let Some(from) = instruction.flag("from").and_then(|f| f.value()) {
                out.push(from.to_string());
            }
        }
        Keyword::Run => {
            for flag in instruction.flags.iter().filter(|f| f.name() == "mount") {
                let value = flag.value().unwrap_or_default();
                for option in value.split(',') {
                    if let Some(from) = option.strip_prefix("from=") {
                        out.push(from.to_string());
                    }
                }
            }
        }
        _ => {}
    }
    out
}

fn find_stage(stages: &[Stage], reference: &str) -> Option<usize> {
    let lowered = reference.to_ascii_lowercase();
    if let Some(stage) = stages
        .iter()
        .rev()
        .find(|s| s.name.as_deref() == Some(lowered.as_str()))
    {
        return Some(stage.index);
    }
    reference
        .parse::<usize>()
        .ok()
        .filter(|&n| n < stages.len())
}

/// ARG declarations: `(name, default)` with quotes removed from the default.
pub fn declarations(instruction: &Instruction) -> Vec<(String, Option<String>)> {
    let Arguments::Declarations(words) = &instruction.arguments else {
        return Vec::new();
    };
    words
        .iter()
        .map(|w| match w.text.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(unquote(value))),
            None => (w.text.clone(), None),
        })
        .collect()
}

/// Removes one layer of shell-style quotes and backslash escapes (`"a b"` → `a b`).
pub fn unquote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

fn read_stage(
    index: usize,
    instruction_index: usize,
    instruction: &Instruction,
    vars: &HashMap<String, String>,
    earlier: &StageNames,
) -> Stage {
    let words: &[crate::syntax::Word] = match &instruction.arguments {
        Arguments::List(words) => words,
        _ => &[],
    };
    let name = match words {
        [_, as_kw, name, ..] if as_kw.text.eq_ignore_ascii_case("as") => {
            Some(name.text.to_ascii_lowercase())
        }
        _ => None,
    };
    let platform = instruction
        .flag("platform")
        .and_then(|f| f.value())
        .map(str::to_string);
    let base = match words.first() {
        None => BaseRef {
            written: String::new(),
            range: instruction.keyword_range,
            expanded: String::new(),
            unresolved: Vec::new(),
            base: Base::Unknown {
                reason: "FROM names no image".to_string(),
            },
        },
        Some(word) => {
            let expanded = expand(&word.text, vars);
            let base = if !expanded.unresolved.is_empty() {
                Base::Unknown {
                    reason: format!(
                        "build argument {} has no default",
                        expanded.unresolved.join(", ")
                    ),
                }
            } else if expanded.text.eq_ignore_ascii_case("scratch") {
                Base::Scratch
            } else if let Some(stage) = earlier
                .find(&expanded.text)
                .filter(|_| !expanded.text.chars().all(|c| c.is_ascii_digit()))
            {
                Base::Stage { index: stage }
            } else {
                match ImageRef::parse(&expanded.text) {
                    Ok(image) => Base::Image { image },
                    Err(e) => Base::Unknown { reason: e.0 },
                }
            };
            BaseRef {
                written: word.text.clone(),
                range: word.range,
                expanded: expanded.text,
                unresolved: expanded.unresolved,
                base,
            }
        }
    };
    Stage {
        index,
        name,
        from: instruction_index,
        base,
        platform,
        body: Vec::new(),
        depends_on: Vec::new(),
    }
}

/// Whether the absolute `path` is `dir` or lies under it (trailing slashes do not count;
/// everything is within `/`).
pub fn is_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path.trim_end_matches('/') == dir || path.starts_with(&format!("{dir}/"))
}

/// `base` joined with `path` unless `path` is absolute.
pub fn join_path(base: Option<&str>, path: &str) -> String {
    let path = path.trim_matches('"');
    if path.starts_with('/') {
        return normalize(path);
    }
    normalize(&format!(
        "{}/{}",
        base.unwrap_or("/").trim_end_matches('/'),
        path
    ))
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_a_directory() {
        assert!(is_within("/data", "/data") && is_within("/data/", "/data") && is_within("/data/x", "/data/"));
        assert!(!is_within("/database", "/data") && !is_within("/", "/data"));
        assert!(is_within("/anything", "/") && is_within("/", "/"));
    }
    use crate::syntax::parse;

    #[test]
    fn reads_stages_and_dependencies() {
        let parse = parse(
            "ARG GO=1.22\nFROM golang:${GO} AS build\nRUN go build -o /app\n\
             FROM build AS test\nRUN go test\n\
             FROM --platform=linux/amd64 gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n",
        );
        let model = Dockerfile::new(&parse);
        assert_eq!(model.stages.len(), 3);
        assert_eq!(model.stages[0].base.expanded, "golang:1.22");
        assert_eq!(model.stages[1].base.base, Base::Stage { index: 0 });
        assert_eq!(model.stages[2].platform.as_deref(), Some("linux/amd64"));
        assert_eq!(model.stages[2].depends_on, [0]);
        assert_eq!(model.stages_needed_by_final(), [0, 2]);
        assert_eq!(model.final_stage().unwrap().body.len(), 1);
    }

    #[test]
    fn forms() {
        let parse =
            parse("FROM a\nRUN echo\nCMD [\"a\"]\nRUN <<EOF\necho\nEOF\nHEALTHCHECK NONE\n");
        let forms: Vec<Form> = parse.instructions().map(form_of).collect();
        assert_eq!(
            forms,
            [
                Form::None,
                Form::Shell,
                Form::Exec,
                Form::Heredoc,
                Form::None
            ]
        );
    }

    #[test]
    fn unresolved_arguments_are_unknown_bases() {
        let parse = parse("ARG IMAGE\nFROM $IMAGE\n");
        let model = Dockerfile::new(&parse);
        assert!(matches!(model.stages[0].base.base, Base::Unknown { .. }));
        assert_eq!(model.stages[0].base.unresolved, ["IMAGE"]);
    }
}
