//! How the final image starts, as far as dfharden can see it: whether its start command runs
//! the application directly, or starts as root and steps down itself (an entrypoint script
//! with `gosu`, an official database image, supervisord), or cannot be seen at all (a script
//! that was not handed to core, no CMD or ENTRYPOINT). DH101 adds a `USER` only in the first
//! case: in the others a `USER` breaks the start or the images built on this one.
//!
//! Start scripts come from the build context, which core cannot read: the caller passes the
//! files [`context_files_wanted`] asks for in [`crate::settings::BuildContext`].

use std::collections::{BTreeMap, HashMap};

use crate::knowledge::official::{official_image, OfficialImage, StartAs};
use crate::model::{form_of, join_path, unquote, Base, Dockerfile, Form};
use crate::rules::helpers::{copy_sources, stage_chain, start_commands};
use crate::rules::Context;
use crate::syntax::{Arguments, Instruction, Keyword};

/// Programs that switch to another user (a start that uses them needs root at first).
const SWITCH_TOOLS: &[&str] = &[
    "gosu",
    "su-exec",
    "setpriv",
    "s6-setuidgid",
    "s6-applyuidgid",
    "chpst",
    "runuser",
    "su",
    "sudo",
    "setuidgid",
];

/// Service managers and daemons that run as root and start their services or jobs as other
/// users.
const SERVICE_TOOLS: &[&str] = &["supervisord", "s6-svscan", "runsvdir", "crond", "cron"];

/// Programs that need root for what they do (ownership, accounts, mounts, kernel settings).
const ROOT_TOOLS: &[&str] = &[
    "chown",
    "usermod",
    "useradd",
    "adduser",
    "groupmod",
    "addgroup",
    "chroot",
    "mount",
    "sysctl",
    "setcap",
    "update-ca-certificates",
];

/// Why a start needs root, as [`step_down_in`] and the start command show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootNeed {
    /// It runs a program of [`SWITCH_TOOLS`], [`SERVICE_TOOLS`] or [`ROOT_TOOLS`].
    Tool(&'static str),
    /// It writes system configuration under `/etc` (`envsubst < t > /etc/nginx/nginx.conf`).
    WritesEtc,
}

impl RootNeed {
    fn tool(name: &str) -> Option<RootNeed> {
        SWITCH_TOOLS
            .iter()
            .chain(SERVICE_TOOLS)
            .chain(ROOT_TOOLS)
            .find(|t| **t == name)
            .map(|t| RootNeed::Tool(t))
    }

    /// What the start does: "runs `gosu`", "writes to /etc".
    pub fn action(self) -> String {
        match self {
            RootNeed::Tool(tool) => format!("runs `{tool}`"),
            RootNeed::WritesEtc => "writes to /etc".to_string(),
        }
    }

    /// Why that needs root, as a clause that follows the action.
    pub fn why(self) -> &'static str {
        match self {
            RootNeed::Tool(tool) if SWITCH_TOOLS.contains(&tool) => "which needs root to switch users",
            RootNeed::Tool(tool) if SERVICE_TOOLS.contains(&tool) => {
                "which runs as root and starts its services or jobs as their own users"
            }
            RootNeed::Tool(_) => "which needs root",
            RootNeed::WritesEtc => "which needs root (the files there belong to root)",
        }
    }
}

/// Programs that only start another program (`tini -- app`): the start is what follows.
const INIT_WRAPPERS: &[&str] = &["tini", "dumb-init", "catatonit", "tini-static"];

/// What the start shows about the user it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartUser {
    /// The command runs the application directly: a `USER` is safe.
    Direct {
        /// The start script that was read and found to need no root, if any.
        script_read: Option<String>,
    },
    /// The start steps down from root itself: `what` says where and how.
    StepsDown { what: String },
    /// The base image is an official image whose own start needs root.
    Official(&'static OfficialImage),
    /// What runs cannot be seen: `what` says what to check.
    Unseen { what: String },
}

/// Reads how stage `stage` starts.
pub fn start_user(ctx: &Context<'_>, stage: usize) -> StartUser {
    let model = ctx.model;
    let start = start_commands(model, stage);
    let official = root_image(model, stage)
        .and_then(|(repository, registry)| official_image(repository, registry));
    let official_start =
        official.filter(|o| matches!(o.start, StartAs::StepsDown { .. } | StartAs::RootMaster));
    let Some(argv_at) = start.entrypoint.or(start.cmd) else {
        if let Some(official) = official_start {
            return StartUser::Official(official);
        }
        return StartUser::Unseen {
            what: "the final stage has no CMD or ENTRYPOINT: it starts the way its base image does, or it is a base image that other Dockerfiles build on, whose RUN steps a USER here would break".into(),
        };
    };
    // Only a CMD: the official image's own entrypoint still runs first.
    if start.entrypoint.is_none() {
        if let Some(official) = official_start {
            return StartUser::Official(official);
        }
    }
    let mut argv = argv_of(model.instructions[argv_at]);
    if start.entrypoint.is_some() {
        if let Some(cmd) = start.cmd {
            argv.extend(argv_of(model.instructions[cmd]));
        }
    }
    // Skip init wrappers and their `--`.
    while let Some(first) = argv.first() {
        if INIT_WRAPPERS.contains(&basename(first)) {
            argv.remove(0);
            while argv.first().is_some_and(|a| a.starts_with('-')) {
                argv.remove(0);
            }
        } else {
            break;
        }
    }
    let Some(program) = argv.first().cloned() else {
        return StartUser::Unseen {
            what: "the start command is empty".into(),
        };
    };
    let name = basename(&program);
    // The official image's own server or entrypoint, started directly: the same needs.
    if let Some(official) = official_start.filter(|o| o.programs.iter().any(|p| *p == name || *p == program)) {
        return StartUser::Official(official);
    }
    if program == "/init" {
        return StartUser::StepsDown {
            what: "the start command is s6-overlay's `/init`, which starts as root and runs services as their own users".into(),
        };
    }
    if let Some(need) = RootNeed::tool(name) {
        return StartUser::StepsDown {
            what: format!("the start command {}, {}", need.action(), need.why()),
        };
    }
    // `sh -c '...'`: the script is right there.
    if is_shell(name) {
        match argv.get(1).map(String::as_str) {
            Some("-c") => {
                let script = argv.get(2).cloned().unwrap_or_default();
                return match step_down_in(&script) {
                    Some((line, need)) => StartUser::StepsDown {
                        what: format!(
                            "the start command's shell script {} (line {line}), {}",
                            need.action(),
                            need.why()
                        ),
                    },
                    None => StartUser::Direct { script_read: None },
                };
            }
            Some(script) => return script_start(ctx, stage, script),
            None => return StartUser::Direct { script_read: None },
        }
    }
    if looks_like_script(name) || matches!(origin(ctx, stage, &program, true), Some(Origin::Context { .. })) {
        return script_start(ctx, stage, &program);
    }
    StartUser::Direct { script_read: None }
}

/// A start script: read from the build context if the caller handed it over.
fn script_start(ctx: &Context<'_>, stage: usize, program: &str) -> StartUser {
    let script = looks_like_script(basename(program));
    let unseen = |what: String| if script { StartUser::Unseen { what } } else { StartUser::Direct { script_read: None } };
    let (candidates, source) = match origin(ctx, stage, program, true) {
        None => {
            return unseen(format!("the start script `{program}` is not copied from the build context (it comes from the base image or a RUN step), so whether it needs root is not known"));
        }
        Some(Origin::Stage { stage: from, path }) => {
            return unseen(format!("the start script `{program}` is copied from stage `{from}` (its `{path}`), which does not take it from the build context (it comes from that stage's base image or a RUN step), so whether it needs root is not known"));
        }
        Some(Origin::Image { image, path }) => {
            return unseen(format!("the start script `{program}` is copied from the image `{image}` (its `{path}`), so whether it needs root is not known"));
        }
        Some(Origin::Context { candidates, source }) => (candidates, source),
    };
    let context = &ctx.settings.context;
    let read = candidates
        .iter()
        .find(|c| context.files.contains_key(&c.path) || context.binaries.contains(&c.path));
    let Some(read) = read else {
        if let [only] = candidates.as_slice() {
            if only.workdir.is_none() {
                return StartUser::Unseen {
                    what: format!(
                        "the start script `{}` was not read ({}), so whether it needs root (chown, gosu, su-exec) is not known",
                        only.path,
                        if context.read { "it is not in the build context" } else { "no build context was given" }
                    ),
                };
            }
        }
        let paths = candidates.iter().map(|c| format!("`{}`", c.path)).collect::<Vec<_>>().join(", ");
        return StartUser::Unseen {
            what: if context.read {
                format!("the start script `{program}` may come from `{source}`, copied from the build context into the WORKDIR the base image sets (not seen), but none of the files it could be ({paths}) is in the build context, so whether it needs root is not known")
            } else {
                format!("the start script `{program}` comes from `{source}`, copied from the build context into the WORKDIR the base image sets (not seen); the files it could be ({paths}) were not read (no build context was given), so whether it needs root is not known")
            },
        };
    };
    // A file found only by assuming the base image's WORKDIR is a guess: it may show that the
    // start needs root, never that it does not.
    let guessed = read.workdir.as_ref().map(|w| format!(" (copied to `{program}` if the base image's WORKDIR is `{w}`, which is not seen)"));
    if context.binaries.contains(&read.path) {
        return match guessed {
            None => StartUser::Direct { script_read: None },
            Some(guess) => unseen(format!("the start program may be `{}`{guess}, so whether it needs root is not known", read.path)),
        };
    }
    let text = &context.files[&read.path];
    match (step_down_in(text), guessed) {
        (Some((line, need)), guessed) => StartUser::StepsDown {
            what: format!(
                "the start script `{}`{} {} on line {line}, {}",
                read.path,
                guessed.unwrap_or_default(),
                need.action(),
                need.why()
            ),
        },
        (None, None) => StartUser::Direct { script_read: Some(read.path.clone()) },
        (None, Some(guess)) => StartUser::Unseen {
            what: format!("the start script may be `{}`{guess}: that file shows no need for root, but it is only a guess, so whether the start needs root is not known", read.path),
        },
    }
}

/// The line of a script that switches users (the first), else the first that changes
/// ownership, needs root otherwise or writes to `/etc`, with what it does.
pub fn step_down_in(script: &str) -> Option<(usize, RootNeed)> {
    // The switch to another user is what the script is for (`setcap` and `chown` usually
    // prepare it), so it is the one named; otherwise the first thing that needs root.
    let mut first = None;
    for (n, line) in script.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line).trim();
        if code.starts_with('#') {
            continue;
        }
        let words = code.split(|c: char| {
            c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '`' | '"' | '\'')
        });
        for word in words {
            if let Some(need) = RootNeed::tool(basename(word)) {
                if matches!(need, RootNeed::Tool(tool) if SWITCH_TOOLS.contains(&tool)) {
                    return Some((n + 1, need));
                }
                first = first.or(Some((n + 1, need)));
            }
        }
        // Writing system configuration at start (`envsubst < t > /etc/nginx/nginx.conf`,
        // `sed -i ... /etc/hosts`, `echo ... >> /etc/passwd`) needs root too.
        let writes = code.contains('>') || code.contains("sed -i") || code.contains("tee ");
        if writes && (code.contains(" /etc/") || code.contains(">/etc/")) {
            first = first.or(Some((n + 1, RootNeed::WritesEtc)));
        }
    }
    first
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh")
}

fn looks_like_script(name: &str) -> bool {
    name.ends_with(".sh")
        || name.ends_with(".bash")
        || name.starts_with("docker-entrypoint")
        || name == "entrypoint"
        || name == "start"
        || name == "run"
}

/// The start command as words (shell form: the first command's words).
pub(crate) fn argv_of(instruction: &Instruction) -> Vec<String> {
    match (&instruction.arguments, form_of(instruction)) {
        (Arguments::Exec(words), _) => words.iter().map(|w| w.text.clone()).collect(),
        (Arguments::Text(word), Form::Shell) => {
            let text = word.text.trim().trim_start_matches("exec ");
            text.split_whitespace()
                .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The repository and registry of the image the stage chain starts from.
fn root_image<'m>(model: &'m Dockerfile<'_>, stage: usize) -> Option<(&'m str, &'m str)> {
    let first = *stage_chain(model, stage).first()?;
    match &model.stages[first].base.base {
        Base::Image { image } => Some((image.repository.as_str(), image.registry.as_str())),
        _ => None,
    }
}

/// The variables in force at a point of a stage chain, for the paths COPY and WORKDIR name:
/// ENV values (inherited by the stages built on this one) and the current stage's ARG
/// defaults (an `ARG NAME` without one takes the global default). Only `$NAME` and `${NAME}`
/// with a known value are expanded; anything else is left as written.
struct Scope<'m> {
    model: &'m Dockerfile<'m>,
    env: HashMap<String, String>,
    args: HashMap<String, String>,
}

impl<'m> Scope<'m> {
    fn new(model: &'m Dockerfile<'m>) -> Self {
        Scope { model, env: HashMap::new(), args: HashMap::new() }
    }

    /// A new stage of the chain: ARGs do not carry over, ENV does.
    fn enter_stage(&mut self) {
        self.args.clear();
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.env.get(name).or_else(|| self.args.get(name)).map(String::as_str)
    }

    fn expand(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            let escaped = rest[..at].ends_with('\\');
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let braced = after.strip_prefix('{');
            let name_of = |s: &str| -> usize {
                let mut chars = s.char_indices();
                match chars.next() {
                    Some((_, c)) if c.is_ascii_alphabetic() || c == '_' => {}
                    _ => return 0,
                }
                chars.find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_')).map_or(s.len(), |(i, _)| i)
            };
            let (name, consumed) = match braced {
                Some(inner) => {
                    let len = name_of(inner);
                    if len > 0 && inner[len..].starts_with('}') { (&inner[..len], len + 2) } else { ("", 0) }
                }
                None => {
                    let len = name_of(after);
                    (&after[..len], len)
                }
            };
            match self.value(name).filter(|_| !escaped && !name.is_empty()) {
                Some(value) => {
                    out.push_str(value);
                    rest = &after[consumed..];
                }
                None => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Takes in what an ENV or ARG sets.
    fn apply(&mut self, instruction: &Instruction) {
        match (instruction.keyword, &instruction.arguments) {
            (Keyword::Env, Arguments::Pairs(pairs)) => {
                // Every value of one ENV sees the variables as they were before it.
                let values: Vec<(String, String)> =
                    pairs.iter().map(|kv| (kv.key.text.clone(), unquote(&self.expand(&kv.value.text)))).collect();
                self.env.extend(values);
            }
            (Keyword::Arg, Arguments::Declarations(words)) => {
                for word in words {
                    let (name, value) = match word.text.split_once('=') {
                        Some((name, default)) => (name.to_string(), Some(unquote(&self.expand(default)))),
                        None => {
                            let global = self.model.global_args.iter().rev().find(|a| a.name == word.text);
                            (word.text.clone(), global.and_then(|a| a.default.clone()))
                        }
                    };
                    match value {
                        Some(value) => {
                            self.args.insert(name, value);
                        }
                        None => {
                            self.args.remove(&name);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The WORKDIR after `instruction`, given the one before it.
    fn workdir(&self, instruction: &Instruction, before: Option<String>) -> Option<String> {
        match (instruction.keyword, &instruction.arguments) {
            (Keyword::Workdir, Arguments::Text(word)) => Some(join_path(before.as_deref(), &self.expand(&word.text))),
            _ => before,
        }
    }
}

/// Where a file of the image came from, as far as the Dockerfile shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    /// A COPY or ADD from the build context. Usually one candidate; several only when the
    /// destination is relative to a WORKDIR the base image sets, which is not seen (the
    /// first one assumes `/`).
    Context { candidates: Vec<Candidate>, source: String },
    /// A `COPY --from` a stage that does not take it from the build context (as far as one
    /// step back shows).
    Stage { stage: String, path: String },
    /// A `COPY --from` an image.
    Image { image: String, path: String },
}

/// A build-context path the file may come from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Candidate {
    path: String,
    /// The base image's WORKDIR this candidate assumes, when it is not `/`.
    workdir: Option<String>,
}

/// What [`origin`] does at each instruction of a chain: stage, instruction, the variables and
/// the WORKDIR in force before it.
type Visit<'v> = dyn FnMut(usize, usize, &Scope<'_>, &Option<String>) + 'v;

/// Where the file at `program` in the image of stage `stage` came from: the last COPY or ADD
/// that put it there. With `follow`, a `COPY --from=<stage>` is followed one step back, to
/// that stage's own COPY from the build context.
fn origin(ctx: &Context<'_>, stage: usize, program: &str, follow: bool) -> Option<Origin> {
    let model = ctx.model;
    let chain = stage_chain(model, stage);
    let walk = |visit: &mut Visit<'_>| {
        let mut scope = Scope::new(model);
        let mut workdir: Option<String> = None;
        for &s in &chain {
            scope.enter_stage();
            for &index in &model.stages[s].body {
                let instruction = model.instructions[index];
                visit(s, index, &scope, &workdir);
                scope.apply(instruction);
                workdir = scope.workdir(instruction, workdir);
            }
        }
        workdir
    };
    let final_workdir = walk(&mut |_, _, _, _| {});
    let bare = !program.contains('/');
    let target = if bare { String::new() } else { join_path(final_workdir.as_deref(), program) };
    // Without a WORKDIR of its own the stage works in its base image's, which is not seen
    // (`/` unless the image sets one); `scratch` has none.
    let workdir_seen = matches!(model.stages[chain[0]].base.base, Base::Scratch);
    // A file found through a directory copied whole (`COPY . /src`) in the stage followed to
    // may be one a RUN built there: only a script is taken to be the copied one.
    let inside_ok = follow || looks_like_script(basename(program));
    // The last COPY that names the file (`COPY start.sh /`), else the last that may hold it
    // in a directory copied whole: where it came from, or the stage to follow. A COPY that
    // names the file surely put it there; a later directory copy only may have replaced it
    // (`COPY --from=build /app/target/release/server .` is more likely a binary than a
    // directory with the start script in it).
    let mut found: Option<Result<(usize, String), Origin>> = None;
    let mut found_inside: Option<Result<(usize, String), Origin>> = None;
    walk(&mut |s, index, scope, workdir| {
        let instruction = model.instructions[index];
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            return;
        }
        let (Arguments::List(all) | Arguments::Exec(all)) = &instruction.arguments else { return };
        let Some(dest) = all.last() else { return };
        let dest = scope.expand(dest.text.trim_matches('"'));
        let sources: Vec<String> =
            copy_sources(instruction).iter().map(|w| scope.expand(w.text.trim_matches('"'))).collect();
        let into_dir = dest.ends_with('/') || sources.len() > 1;
        // The WORKDIRs the destination may be relative to, each with what it assumes.
        let mut workdirs = vec![(workdir.clone(), None)];
        if workdir.is_none() && !workdir_seen && !dest.starts_with('/') && program.starts_with('/') {
            let mut prefix = String::new();
            let dirs: Vec<&str> = target.trim_start_matches('/').split('/').collect();
            for dir in &dirs[..dirs.len().saturating_sub(1)] {
                prefix = format!("{prefix}/{dir}");
                workdirs.push((Some(prefix.clone()), Some(prefix.clone())));
            }
        }
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut named = false;
        for (base, assumed) in workdirs {
            let dest_path = join_path(base.as_deref(), &dest);
            if let Some((path, exact)) = placed_from(&sources, &dest_path, into_dir, program, &target, inside_ok) {
                if !candidates.iter().any(|c| c.path == path) {
                    named |= exact && candidates.is_empty();
                    candidates.push(Candidate { path, workdir: assumed });
                }
            }
        }
        let Some(first) = candidates.first() else { return };
        let slot = if named { &mut found } else { &mut found_inside };
        let Some(from) = instruction.flag("from").and_then(|f| f.value()) else {
            *slot = Some(Err(Origin::Context { candidates, source: sources.join(" ") }));
            return;
        };
        let path = format!("/{}", first.path);
        *slot = Some(match model.stage_by_reference(from, s) {
            Some(from_stage) => Ok((from_stage, path)),
            None => Err(Origin::Image { image: from.to_string(), path }),
        });
    });
    // Only one COPY counts, so only its stage is followed (the cost stays linear).
    match found.or(found_inside)? {
        Err(origin) => Some(origin),
        Ok((from_stage, path)) => match follow.then(|| origin(ctx, from_stage, &path, false)).flatten() {
            Some(context @ Origin::Context { .. }) => Some(context),
            _ => Some(Origin::Stage {
                stage: model.stages[from_stage].name.clone().unwrap_or_else(|| from_stage.to_string()),
                path,
            }),
        },
    }
}

/// The source (relative to the build context, or to the root of the `--from` stage, without
/// a leading `/`) that a COPY of `sources` to `dest_path` puts at `program`, the last one
/// that does, and whether the COPY names it (`false`: it is inside a directory copied whole).
fn placed_from(
    sources: &[String],
    dest_path: &str,
    into_dir: bool,
    program: &str,
    target: &str,
    inside_ok: bool,
) -> Option<(String, bool)> {
    let mut found = None;
    let bare = !program.contains('/');
    for src_text in sources {
        if src_text.contains('$') {
            continue;
        }
        // `COPY *.sh /`: the program is the file of its name that the pattern matches.
        if src_text.contains(['*', '?']) {
            let (dir, pattern) = src_text.rsplit_once('/').unwrap_or(("", src_text));
            let program_name = basename(program);
            let dest_dir = dest_path.trim_end_matches('/');
            let lands = if !bare {
                target.rsplit_once('/').map(|(d, _)| d).unwrap_or("") == dest_dir
            } else {
                is_on_path(&format!("{dest_dir}/{program_name}"))
            };
            if lands && glob_matches(pattern, program_name) && !dir.contains(['*', '?']) {
                let dir = join_path(None, dir).trim_start_matches('/').to_string();
                found = Some((if dir.is_empty() { program_name.to_string() } else { format!("{dir}/{program_name}") }, true));
            }
            continue;
        }
        let src_rel = join_path(None, src_text).trim_start_matches('/').to_string();
        let name = basename(&src_rel);
        let placed = if into_dir { format!("{}/{name}", dest_path.trim_end_matches('/')) } else { dest_path.to_string() };
        if (!bare && placed == target) || (bare && name == program && is_on_path(&placed)) {
            found = Some((src_rel.clone(), true));
            continue;
        }
        // A directory copied whole (`COPY . /app`): the program may be inside it.
        let inside = if bare { None } else { target.strip_prefix(&format!("{}/", dest_path.trim_end_matches('/'))) };
        if let Some(rest) = inside
            .filter(|_| inside_ok && (src_rel.is_empty() || src_text.ends_with('/') || !name.contains('.')))
        {
            found = Some((if src_rel.is_empty() { rest.to_string() } else { format!("{src_rel}/{rest}") }, false));
        }
    }
    found
}

/// The build-context path (relative, as `.dockerignore` writes them) of the file a COPY or
/// ADD from the context put at `program` (through one `COPY --from=<stage>` too), the last
/// one that did. When the COPY's destination is relative to a WORKDIR the base image sets
/// and several files could be the one, the first that was read, if any.
pub fn copied_from_context(ctx: &Context<'_>, stage: usize, program: &str) -> Option<String> {
    let Some(Origin::Context { candidates, .. }) = origin(ctx, stage, program, true) else {
        return None;
    };
    let context = &ctx.settings.context;
    if let Some(read) =
        candidates.iter().find(|c| context.files.contains_key(&c.path) || context.binaries.contains(&c.path))
    {
        return Some(read.path.clone());
    }
    match candidates.as_slice() {
        [only] if only.workdir.is_none() => Some(only.path.clone()),
        _ => None,
    }
}

/// Every build-context path the file at `program` may come from (the caller reads those
/// that exist).
fn context_candidates(ctx: &Context<'_>, stage: usize, program: &str) -> Vec<String> {
    match origin(ctx, stage, program, true) {
        Some(Origin::Context { candidates, .. }) => candidates.into_iter().map(|c| c.path).collect(),
        _ => Vec::new(),
    }
}

/// A shell glob with `*` and `?` (no classes), as COPY sources use them.
fn glob_matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

fn is_on_path(path: &str) -> bool {
    [
        "/usr/local/bin/",
        "/usr/bin/",
        "/bin/",
        "/usr/local/sbin/",
        "/usr/sbin/",
        "/sbin/",
    ]
    .iter()
    .any(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|rest| !rest.contains('/'))
    })
}

/// The files of the build context that would let core see how the final image starts: the
/// start script, when one is copied in. The CLI reads them and passes them back.
pub fn context_files_wanted(ctx: &Context<'_>) -> Vec<String> {
    let Some(stage) = ctx.model.final_stage() else {
        return Vec::new();
    };
    let start = start_commands(ctx.model, stage.index);
    let mut argv: Vec<String> = start
        .entrypoint
        .or(start.cmd)
        .map(|i| argv_of(ctx.model.instructions[i]))
        .unwrap_or_default();
    while argv
        .first()
        .is_some_and(|a| INIT_WRAPPERS.contains(&basename(a)) || a.starts_with('-'))
    {
        argv.remove(0);
    }
    if argv.first().is_some_and(|a| is_shell(basename(a))) {
        argv.remove(0);
    }
    let mut wanted: BTreeMap<String, ()> = BTreeMap::new();
    if let Some(program) = argv.first() {
        for source in context_candidates(ctx, stage.index, program) {
            wanted.insert(source, ());
        }
    }
    // `npm start` becomes `node <file>` only when package.json's start script is seen.
    if crate::harden::analysis::runs_start_script(&argv) {
        if let Some(source) = copied_from_context(ctx, stage.index, "./package.json") {
            wanted.insert(source, ());
        }
    }
    // The official nginx image moves to the unprivileged one only when its server blocks are
    // seen to listen above 1023.
    if let StartUser::Official(image) = start_user(ctx, stage.index) {
        if image.name == "nginx" {
            for path in crate::rules::privilege::nginx_unprivileged::configuration_wanted(ctx, stage.index) {
                wanted.insert(path, ());
            }
        }
    }
    wanted.into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_step_downs() {
        assert_eq!(
            step_down_in("#!/bin/sh\nchown -R app /data\nexec su-exec app \"$@\"\n"),
            Some((3, RootNeed::Tool("su-exec"))),
            "the switch is named, not what prepares it"
        );
        assert_eq!(
            step_down_in("setcap -r \"$1\" || true\nchown app /data\n"),
            Some((1, RootNeed::Tool("setcap")))
        );
        assert_eq!(
            step_down_in("#!/bin/sh\n# gosu is not used here\nexec /app/server\n"),
            None
        );
        assert_eq!(
            step_down_in("set -e\nif [ \"$(id -u)\" = 0 ]; then exec gosu app \"$0\"; fi"),
            Some((2, RootNeed::Tool("gosu")))
        );
        assert_eq!(
            step_down_in("exec /usr/bin/supervisord -c /etc/supervisor.conf"),
            Some((1, RootNeed::Tool("supervisord")))
        );
        assert_eq!(step_down_in("exec node server.js"), None);
        assert_eq!(step_down_in("envsubst < /t > /etc/nginx/nginx.conf\nexec nginx"), Some((1, RootNeed::WritesEtc)));
        assert_eq!(step_down_in("echo \"app:x:$(id -u):0::/app:/sbin/nologin\" >> /etc/passwd"), Some((1, RootNeed::WritesEtc)));
        assert!(glob_matches("*.sh", "entrypoint.sh") && !glob_matches("*.sh", "entrypoint.py") && glob_matches("run?", "run1"));
    }
}

#[cfg(test)]
mod origin_tests {
    use super::*;
    use crate::settings::{BuildContext, Settings};
    use crate::syntax::parse;

    fn start(dockerfile: &str, files: &[(&str, &str)]) -> (StartUser, Vec<String>) {
        let parsed = parse(dockerfile);
        let model = Dockerfile::new(&parsed);
        let settings = Settings {
            context: BuildContext {
                files: files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect(),
                binaries: Default::default(),
                read: true,
            },
            ..Settings::default()
        };
        let ctx = Context::new(&parsed, &model, &settings);
        let wanted = crate::context_files_wanted(dockerfile);
        (start_user(&ctx, model.final_stage().unwrap().index), wanted)
    }

    #[test]
    fn expands_env_and_arg_in_copy_destinations() {
        let dockerfile = "FROM python:3.12-slim AS base\nENV HOME_DIR=\"/app\"\nFROM base\nARG BIN=/usr/local/bin\nCOPY ./docker/entry.sh $HOME_DIR/run.sh\nCOPY tool.sh ${BIN}/tool.sh\nENTRYPOINT [\"/app/run.sh\"]\n";
        let (user, wanted) = start(dockerfile, &[("docker/entry.sh", "exec gosu app \"$@\"\n")]);
        assert_eq!(wanted, vec!["docker/entry.sh".to_string()]);
        assert!(matches!(&user, StartUser::StepsDown { what } if what.contains("`docker/entry.sh` runs `gosu` on line 1")), "{user:?}");
        // An ARG of the parent stage does not reach the child; an unknown name stays as written.
        let dockerfile = "FROM alpine AS base\nARG DIR=/app\nFROM base\nCOPY run.sh $DIR/run.sh\nCOPY run.sh ${NOPE}/run.sh\nENTRYPOINT [\"/app/run.sh\"]\n";
        assert!(start(dockerfile, &[]).1.is_empty());
    }

    #[test]
    fn follows_copy_from_a_stage_to_the_build_context() {
        let dockerfile = "FROM golang:1.25 AS backend\nWORKDIR /build\nCOPY . .\nRUN go build -o server .\nFROM alpine:3.22\nCOPY --from=backend /build/server /usr/local/bin/server\nCOPY --from=backend /build/scripts/entrypoint.sh /usr/local/bin/entrypoint.sh\nENTRYPOINT [\"/usr/local/bin/entrypoint.sh\", \"/usr/local/bin/server\"]\n";
        let (user, wanted) = start(dockerfile, &[("scripts/entrypoint.sh", "chown -R app /data\nexec su-exec app \"$@\"\n")]);
        assert_eq!(wanted, vec!["scripts/entrypoint.sh".to_string()]);
        assert!(matches!(&user, StartUser::StepsDown { what } if what.contains("`scripts/entrypoint.sh` runs `su-exec` on line 2, which needs root to switch users")), "{user:?}");
        // A binary the build stage made from a directory copied whole is not a context file.
        let dockerfile = "FROM golang:1.25 AS backend\nWORKDIR /build\nCOPY . .\nRUN go build -o server .\nFROM alpine:3.22\nCOPY --from=backend /build/server /usr/local/bin/server\nENTRYPOINT [\"/usr/local/bin/server\"]\n";
        let (user, wanted) = start(dockerfile, &[]);
        assert!(wanted.is_empty());
        assert_eq!(user, StartUser::Direct { script_read: None });
    }

    #[test]
    fn a_copy_that_names_the_script_beats_a_later_copy_that_may_hold_it() {
        // vaultwarden's layout: the binary copied into `/` after the start script.
        let dockerfile = "FROM rust:1.91 AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nFROM debian:trixie-slim\nWORKDIR /\nCOPY docker/healthcheck.sh docker/start.sh /\nCOPY --from=build /app/target/final/vaultwarden .\nCMD [\"/start.sh\"]\n";
        let (user, wanted) = start(dockerfile, &[("docker/start.sh", "exec /vaultwarden \"$@\"\n")]);
        assert_eq!(wanted, vec!["docker/start.sh".to_string()]);
        assert_eq!(user, StartUser::Direct { script_read: Some("docker/start.sh".into()) });
        // With no COPY that names it, the directory copied whole is still where it may be.
        let dockerfile = "FROM debian:trixie-slim\nCOPY rootfs /\nCMD [\"/start.sh\"]\n";
        assert_eq!(start(dockerfile, &[]).1, vec!["rootfs/start.sh".to_string()]);
    }

    #[test]
    fn says_which_stage_a_script_comes_from() {
        let dockerfile = "FROM alpine:3.22 AS build\nRUN printf 'exec app' > /entrypoint.sh\nFROM alpine:3.22\nCOPY --from=build /entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n";
        let (user, _) = start(dockerfile, &[]);
        assert!(matches!(&user, StartUser::Unseen { what } if what.contains("is copied from stage `build` (its `/entrypoint.sh`)")), "{user:?}");
    }

    #[test]
    fn a_relative_destination_under_an_unseen_workdir_invents_no_path() {
        let dockerfile = "FROM example.com/base:1\nCOPY ./container/ ./\nENTRYPOINT [\"/usr/local/app/entrypoint.sh\"]\n";
        let (user, wanted) = start(dockerfile, &[("container/entrypoint.sh", "chown -R app /data\n")]);
        assert_eq!(
            wanted,
            ["container/app/entrypoint.sh", "container/entrypoint.sh", "container/local/app/entrypoint.sh", "container/usr/local/app/entrypoint.sh"]
        );
        assert!(matches!(&user, StartUser::StepsDown { what } if what.contains("`container/entrypoint.sh` (copied to `/usr/local/app/entrypoint.sh` if the base image's WORKDIR is `/usr/local/app`")), "{user:?}");
        // The guessed file switching no users proves nothing.
        let (user, _) = start(dockerfile, &[("container/entrypoint.sh", "exec app\n")]);
        assert!(matches!(user, StartUser::Unseen { .. }), "{user:?}");
        let (user, _) = start(dockerfile, &[]);
        assert_eq!(
            user,
            StartUser::Unseen { what: "the start script `/usr/local/app/entrypoint.sh` may come from `./container/`, copied from the build context into the WORKDIR the base image sets (not seen), but none of the files it could be (`container/usr/local/app/entrypoint.sh`, `container/local/app/entrypoint.sh`, `container/app/entrypoint.sh`, `container/entrypoint.sh`) is in the build context, so whether it needs root is not known".into() }
        );
    }

    #[test]
    fn says_what_a_write_to_etc_needs() {
        let dockerfile = "FROM debian:13-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n";
        let (user, _) = start(dockerfile, &[("entrypoint.sh", "#!/bin/sh\necho \"$TZ\" >/etc/timezone\nexec apache2 -DFOREGROUND\n")]);
        assert_eq!(
            user,
            StartUser::StepsDown { what: "the start script `entrypoint.sh` writes to /etc on line 2, which needs root (the files there belong to root)".into() }
        );
    }
}
