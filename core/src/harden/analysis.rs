//! Reading a build stage that also runs the application: which ecosystem it is, what the build
//! produces and where, and how the application starts. Every "no" comes with a reason a person
//! can act on, because declining is also an answer the tool must explain.

use serde::Serialize;

use crate::knowledge::{final_image, Runtime};
use crate::model::base::{facts_for_image, Distro};
use crate::model::shell::{split, SimpleCommand};
use crate::model::{form_of, join_path, Base, Dockerfile, Form, Stage};
use crate::rules::Context;
use crate::syntax::{Arguments, Instruction, Keyword, TextRange};

/// The languages dfharden knows how to move onto a minimal final image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Go,
    Rust,
    Node,
    Python,
    Java,
    Dotnet,
}

impl Ecosystem {
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Go => "Go",
            Ecosystem::Rust => "Rust",
            Ecosystem::Node => "Node.js",
            Ecosystem::Python => "Python",
            Ecosystem::Java => "Java",
            Ecosystem::Dotnet => ".NET",
        }
    }
}

/// What the final stage receives from the build stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Carry {
    pub from: String,
    pub to: String,
}

/// A change inside the build stage that the rewrite needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BuildChange {
    pub at: usize,
    /// How many bytes at `at` the insertion replaces (0: a pure insertion).
    pub replaces: usize,
    pub insert: String,
    pub why: &'static str,
}

/// A plan for a distroless final stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppPlan {
    pub ecosystem: Ecosystem,
    pub runtime: Runtime,
    /// Paths copied from the build stage.
    pub carry: Vec<Carry>,
    /// The final stage's WORKDIR, when the command is relative to one.
    pub workdir: Option<String>,
    /// Extra `ENV` lines for the final stage (`PYTHONPATH=...`).
    pub env: Vec<String>,
    /// ENTRYPOINT for the final stage, if it needs its own (binaries, .NET).
    pub entrypoint: Option<Vec<String>>,
    /// CMD for the final stage (arguments after the image's entrypoint).
    pub cmd: Option<Vec<String>>,
    /// Edits inside the build stage (e.g. `CGO_ENABLED=0`).
    pub build_changes: Vec<BuildChange>,
    /// A build step to append to the build stage (e.g. compile what `go run` compiled).
    pub extra_build_step: Option<String>,
    /// What the rewrite does that a reader would not guess from the diff (how `npm start` is
    /// replaced, why a venv's packages go on PYTHONPATH), for the finding's message.
    pub notes: Vec<String>,
}

/// A plan to change only the final stage's base image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RebasePlan {
    pub ecosystem: Ecosystem,
    pub runtime: Runtime,
    /// The stage the application's binary is built in.
    pub build_stage: usize,
    /// Whether the final stage needs a `USER` added (it has none), or its named USER replaced
    /// (the name would not exist in the new base).
    pub user: UserChange,
    /// A new CMD replacing the stage's CMD/ENTRYPOINT, when the new image's own entrypoint
    /// changes what the command must say (`java -jar app.jar` → `CMD ["app.jar"]`).
    pub cmd: Option<Vec<String>>,
    /// A new ENTRYPOINT replacing the stage's CMD/ENTRYPOINT, when the start does not fit the
    /// new image's own entrypoint (`java -cp app:app/lib/* Main` on distroless/java, whose
    /// entrypoint is `java -jar`).
    pub entrypoint: Option<Vec<String>>,
    /// RUN instructions that only install what the new image already contains (CA
    /// certificates, tzdata, glibc, OpenSSL's libraries...) or only create a user: dropped.
    pub dropped: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserChange {
    Keep,
    Add,
    /// Replace the USER instruction with this index.
    Replace(usize),
}

/// The outcome of the analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Move the application onto a minimal final image.
    Restructure(AppPlan),
    /// Move an already separate final stage onto a minimal image (its FROM changes).
    Rebase(RebasePlan),
    /// Keep the final image; harden it in place. The reason is for people; the kind groups
    /// reasons for reports.
    Decline {
        ecosystem: Option<Ecosystem>,
        kind: DeclineKind,
        reason: String,
    },
    /// The final stage is already minimal, or there is nothing to decide.
    NotApplicable,
}

fn decline(ecosystem: Option<Ecosystem>, reason: impl Into<String>) -> Decision {
    let reason = reason.into();
    Decision::Decline {
        ecosystem,
        kind: DeclineKind::of(&reason),
        reason,
    }
}

/// Why a final image was kept, grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclineKind {
    /// Nothing is built in the final stage, by any ecosystem we know.
    NoKnownBuild,
    /// The entrypoint is a shell script, or the start command needs a shell.
    NeedsShell,
    /// The final stage runs commands (RUN, SHELL, ONBUILD, ADD).
    RunsCommands,
    /// What the build produces, or where, is not known.
    ArtifactUnknown,
    /// No minimal image for this language version, or the build's libc (musl) does not match.
    NoMatchingImage,
    /// The start command is a tool a minimal image lacks (npm, go, a JVM with options...).
    StartTool,
    /// A Windows image.
    Windows,
    /// The base image is chosen by a build argument or cannot be read.
    UnknownBase,
    /// The final stage has no CMD or ENTRYPOINT.
    NoStartCommand,
    /// The image runs as root, and the non-root user of the minimal image would lose its data
    /// or its port (see [`super::user_switch`]).
    UserSwitch,
    /// The build installs a distribution package the app may use at run time (see
    /// [`super::system_packages`]).
    RuntimePackage,
}

impl DeclineKind {
    /// Classifies one of this module's own reasons (a unit test keeps them all classified).
    fn of(reason: &str) -> DeclineKind {
        let has = |needle: &str| reason.contains(needle);
        if has("Windows") {
            DeclineKind::Windows
        } else if has("switch to a non-root user") {
            DeclineKind::UserSwitch
        } else if has("no CMD or ENTRYPOINT") {
            DeclineKind::NoStartCommand
        } else if has("the build installs `") {
            DeclineKind::RuntimePackage
        } else if has("shell script")
            || has("shell features")
            || has("needs a shell")
            || has("HEALTHCHECK")
        {
            DeclineKind::NeedsShell
        } else if has("runs commands") || has("the final stage installs") || has("--chown") || has("uses ADD") || has("cannot honour") {
            DeclineKind::RunsCommands
        } else if has("base image is") {
            DeclineKind::UnknownBase
        } else if has("Alpine")
            || has("musl")
            || has("no distroless")
            || has("no minimal image")
            || has("distroless Python image has")
            || has("the distroless image has Python")
            || has("end of life")
            || has("version of tag")
            || has("Java version of")
        {
            DeclineKind::NoMatchingImage
        } else if has("no known build") || has("no build step of a known ecosystem") {
            DeclineKind::NoKnownBuild
        } else if has("starts with") || has("runs the Go tool") || has("`go run` with") {
            DeclineKind::StartTool
        } else {
            DeclineKind::ArtifactUnknown
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            DeclineKind::NoKnownBuild => "no build of a known ecosystem in the final stage",
            DeclineKind::NeedsShell => "the start command or health check needs a shell",
            DeclineKind::RunsCommands => "the final stage runs commands",
            DeclineKind::ArtifactUnknown => "what the build produces, or where, is not known",
            DeclineKind::NoMatchingImage => "no minimal image matches the language version or libc",
            DeclineKind::StartTool => "the app starts with a tool the minimal image lacks",
            DeclineKind::Windows => "a Windows image",
            DeclineKind::UnknownBase => "the base image is a build argument or unreadable",
            DeclineKind::NoStartCommand => "no CMD or ENTRYPOINT",
            DeclineKind::UserSwitch => "a non-root user would lose the data or port it has as root",
            DeclineKind::RuntimePackage => "the build installs a package the app may use at run time",
        }
    }
}

/// The start command of the final stage as argv: ENTRYPOINT (exec form) followed by CMD.
struct StartCommand {
    argv: Vec<String>,
}

/// Reads the final stage: is it a build image that also runs the app?
pub fn analyse(ctx: &Context<'_>) -> Decision {
    let model = ctx.model;
    let Some(stage) = model.final_stage() else {
        return Decision::NotApplicable;
    };
    let image = match &stage.base.base {
        Base::Image { image } => image,
        Base::Stage { .. } | Base::Scratch => return Decision::NotApplicable,
        Base::Unknown { reason } => {
            return decline(None, format!("the final base image is unknown ({reason})"))
        }
    };
    let facts = facts_for_image(image);
    match facts.distro {
        Distro::Distroless | Distro::Chainguard | Distro::Chiseled | Distro::Scratch => {
            return Decision::NotApplicable
        }
        Distro::Windows => {
            return decline(None, "a Windows image: distroless images are Linux only")
        }
        _ => {}
    }
    let repo = image.repository.rsplit('/').next().unwrap_or_default();
    let tag = image
        .tag
        .as_deref()
        .unwrap_or("latest")
        .to_ascii_lowercase();
    let commands = stage_commands(ctx, stage);
    let ecosystem = detect(repo, &image.repository, &commands);
    if let Some(server) = server_image(image).filter(|_| ecosystem.is_none()) {
        return decline(
            None,
            format!("the image is `{server}` itself, started by the image's own entrypoint and CMD, and no distroless image ships {server}"),
        );
    }
    if ecosystem.is_none() && copies_from_stages(ctx, stage) {
        return match rebase(ctx, stage) {
            Decision::Rebase(plan) => match user_switch_blocked(ctx, stage) {
                Some(reason) => decline(Some(plan.ecosystem), reason),
                None => Decision::Rebase(plan),
            },
            other => other,
        };
    }
    let Some(ecosystem) = ecosystem else {
        if let Err(reason) = start_command(ctx, model, stage) {
            return decline(None, reason);
        }
        return if is_builder_repository(repo) {
            decline(
                None,
                format!(
                    "`{}` builds something, but no known build command was found",
                    image.familiar_name()
                ),
            )
        } else {
            decline(None, "no build step of a known ecosystem (Go, Rust, Node.js, Python, Java, .NET) in the final stage")
        };
    };
    let start = match start_command(ctx, model, stage) {
        Ok(start) => start,
        Err(reason) => return decline(Some(ecosystem), reason),
    };
    if let Some(reason) = healthcheck_problem(ctx, stage) {
        return decline(Some(ecosystem), reason);
    }
    let workdir = final_workdir(ctx, stage);
    let result = match ecosystem {
        Ecosystem::Go => go(ctx, stage, &commands, &start, workdir.as_deref()),
        Ecosystem::Rust => rust(&commands, &start, workdir.as_deref()),
        Ecosystem::Node => node(ctx, stage, &tag, &start, workdir.as_deref()),
        Ecosystem::Python => python(ctx, stage, &tag, &commands, &start, workdir.as_deref()),
        Ecosystem::Java => java(&tag, &start, workdir.as_deref()),
        Ecosystem::Dotnet => dotnet(&tag, &commands, &start, workdir.as_deref()),
    }
    .and_then(|plan| {
        // A current minimal image for the runtime, and no package the app may use at run time
        // left behind in the build stage.
        let image = final_image(plan.runtime, ctx.settings.today()).map_err(|no| no.describe(plan.runtime))?;
        match super::system_packages::runtime_package(commands.iter().map(|c| c.command), &image) {
            Some((package, manager)) => Err(super::system_packages::reason(&package, &manager, &image)),
            None => Ok(plan),
        }
    })
    .map(|mut plan| {
        plan.build_changes
            .extend(same_debian_release(stage, plan.runtime, ctx));
        if matches!(ecosystem, Ecosystem::Go | Ecosystem::Rust) {
            carry_runtime_files(ctx, stage, &mut plan);
        }
        plan
    })
    .and_then(|mut plan| {
        if matches!(ecosystem, Ecosystem::Node | Ecosystem::Python) {
            carry_copied_files(ctx, stage, &mut plan)?;
        }
        Ok(plan)
    });
    match result {
        Ok(plan) => match user_switch_blocked(ctx, stage) {
            Some(reason) => decline(Some(ecosystem), reason),
            None => Decision::Restructure(plan),
        },
        Err(reason) => decline(Some(ecosystem), reason),
    }
}

/// Sources of a compiled app: a COPY of only these brings what the build reads, not what the
/// app reads at run time.
fn is_build_input(name: &str) -> bool {
    const INPUTS: &[&str] = &[
        "go.mod", "go.sum", "go.work", "go.work.sum", "vendor", "cmd", "internal", "pkg", "Cargo.toml", "Cargo.lock",
        "src", "build.rs", "crates", "benches", "examples", "tests", ".cargo", "Makefile", "rust-toolchain.toml",
    ];
    INPUTS.contains(&name) || name.ends_with(".go") || name.ends_with(".rs")
}

/// Files a compiled app may read at run time that the build stage copies from the context
/// beside its sources (`COPY templates ./templates`, `COPY config.yaml /etc/app/`): the final
/// stage gets them with the binary, in the same places, and the same WORKDIR when they are
/// relative to it. When the whole context is copied, what the app reads cannot be told apart
/// from its sources: the plan says so.
fn carry_runtime_files(ctx: &Context<'_>, stage: &Stage, plan: &mut AppPlan) {
    let mut workdir: Option<String> = None;
    let mut whole_context: Option<String> = None;
    let mut carried_under_workdir = false;
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        if instruction.keyword == Keyword::Workdir {
            if let Arguments::Text(word) = &instruction.arguments {
                workdir = Some(join_path(workdir.as_deref(), &word.text));
            }
        }
        if instruction.keyword != Keyword::Copy || instruction.flag("from").is_some() {
            continue;
        }
        let (Arguments::List(all) | Arguments::Exec(all)) = &instruction.arguments else { continue };
        let Some(dest) = all.last() else { continue };
        let sources = crate::rules::helpers::copy_sources(instruction);
        let dest_path = join_path(workdir.as_deref(), dest.text.trim_matches('"'));
        let into_dir = dest.text.ends_with('/') || sources.len() > 1 || matches!(dest.text.as_str(), "." | "./");
        for source in sources {
            let text = source.text.trim_matches('"');
            let name = text.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            if matches!(text, "." | "./") {
                whole_context = Some(dest_path.clone());
                continue;
            }
            if name.is_empty() || is_build_input(name) || text.contains(['*', '?', '$']) || dest_path.contains('$') {
                continue;
            }
            // A directory (`templates/`, or a name without an extension) copies its contents.
            let directory = text.ends_with('/') || !name.contains('.');
            let placed = if into_dir && !directory { join_path(Some(&dest_path), name) } else { dest_path.clone() };
            if placed == "/" || plan.carry.iter().any(|c| c.to == placed) {
                continue;
            }
            if let Some(dir) = &workdir {
                carried_under_workdir |= placed.starts_with(&format!("{}/", dir.trim_end_matches('/')));
            }
            plan.carry.push(Carry { from: placed.clone(), to: placed });
        }
    }
    if carried_under_workdir && plan.workdir.is_none() {
        plan.workdir = workdir;
    }
    if let Some(dir) = whole_context {
        let also = if plan.carry.len() > 1 { " and the files copied in by name are" } else { " is" };
        plan.notes.push(format!("the build context is copied whole into `{dir}`; only the binary{also} carried, so copy any other file the app reads from there at run time (templates, static files)"));
    }
}

/// A COPY or ADD into a stage: where it puts files, and the stage they come from.
struct CopyIn {
    /// The destination as an absolute path (the WORKDIR in force applied).
    dest: String,
    from_stage: Option<usize>,
    /// `COPY --from=<image>`: the image, when it is not a stage.
    from_image: Option<String>,
    /// The sources as written (relative to the context, or absolute in `from_stage`).
    sources: Vec<String>,
}

/// Every COPY and ADD of `stage`, in order.
fn copies_into(ctx: &Context<'_>, stage: &Stage) -> Vec<CopyIn> {
    let mut workdir: Option<String> = None;
    let mut out = Vec::new();
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        if instruction.keyword == Keyword::Workdir {
            if let Arguments::Text(word) = &instruction.arguments {
                workdir = Some(join_path(workdir.as_deref(), &word.text));
            }
        }
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let (Arguments::List(all) | Arguments::Exec(all)) = &instruction.arguments else { continue };
        let Some(dest) = all.last() else { continue };
        let from = instruction.flag("from").and_then(|f| f.value());
        let from_stage = from.and_then(|r| ctx.model.stage_by_reference(r, stage.index));
        out.push(CopyIn {
            from_image: from.filter(|_| from_stage.is_none()).map(str::to_string),
            // `/` stays `/` (join_path gives no other trailing slash).
            dest: join_path(workdir.as_deref(), dest.text.trim_matches('"')),
            from_stage,
            sources: crate::rules::helpers::copy_sources(instruction).iter().map(|w| w.text.trim_matches('"').to_string()).collect(),
        });
    }
    out
}

/// The base image a stage is built on at the root of its chain (`FROM deps` → `deps`'s image).
fn root_image_of<'m>(ctx: &Context<'m>, stage: usize) -> Option<&'m crate::model::ImageRef> {
    let first = *crate::rules::helpers::stage_chain(ctx.model, stage).first()?;
    match &ctx.model.stages[first].base.base {
        Base::Image { image } => Some(image),
        _ => None,
    }
}

/// Package managers and build tools that Dockerfiles copy from their own images.
const BUILD_TOOL_FILES: &[&str] = &["uv", "uvx", "poetry", "pdm", "pip", "npm", "npx", "yarn", "pnpm", "bun", "corepack"];

/// For an interpreted app (Node.js, Python), whose directory is carried whole: files the stage
/// copies in elsewhere (`COPY settings.yaml /etc/app/`, a venv from another stage) are carried
/// to the same place too, and files built in another stage must have been built for glibc.
fn carry_copied_files(ctx: &Context<'_>, stage: &Stage, plan: &mut AppPlan) -> Result<(), String> {
    let inside = crate::model::is_within;
    for copy in copies_into(ctx, stage) {
        if let Some(from) = copy.from_stage {
            let image = root_image_of(ctx, from);
            if image.is_some_and(|i| i.tag.as_deref().unwrap_or_default().contains("alpine") || i.repository.ends_with("alpine")) {
                let name = ctx.model.stages[from].name.clone().unwrap_or_else(|| from.to_string());
                return Err(format!("files copied from stage `{name}` are built on Alpine (musl): compiled modules among them would not load on the distroless (glibc) image"));
            }
        }
        if copy.dest.contains('$') {
            return Err(format!("a COPY puts files at `{}`, a path made of variables, so what to carry is not known", copy.dest));
        }
        if copy.dest == "/" {
            return Err("a COPY puts files into `/`, so what to carry is not known".into());
        }
        if plan.carry.iter().any(|c| inside(&copy.dest, &c.to)) {
            continue;
        }
        // Build tools copied from their images (`COPY --from=ghcr.io/astral-sh/uv /uv /bin/`)
        // are not the app's.
        let tool = |path: &str| BUILD_TOOL_FILES.contains(&path.rsplit('/').next().unwrap_or_default());
        if copy.from_image.is_some() && (tool(&copy.dest) || copy.sources.iter().all(|s| tool(s))) {
            continue;
        }
        // Into a directory, or a file at the destination itself: carrying the destination
        // carries both, and whatever was carried from inside it (a venv's site-packages).
        plan.carry.retain(|c| !inside(&c.to, &copy.dest));
        plan.carry.push(Carry { from: copy.dest.clone(), to: copy.dest.clone() });
        let origin = match (copy.from_stage, &copy.from_image) {
            (Some(from), _) => format!("from stage `{}`", ctx.model.stages[from].name.clone().unwrap_or_else(|| from.to_string())),
            (None, Some(image)) => format!("from the image `{image}`"),
            (None, None) => format!("`{}` from the build context", copy.sources.join(" ")),
        };
        plan.notes.push(format!("`{}`, copied in {origin} outside the app's directory, is carried to the same place", copy.dest));
    }
    Ok(())
}

/// Why the move to a minimal image, whose user is not root, must not be made for an image
/// that runs as root today (its volumes, data directories or low ports); `None` when nothing
/// stands in the way or the user forces the switch.
fn user_switch_blocked(ctx: &Context<'_>, stage: &Stage) -> Option<String> {
    use crate::rules::privilege::final_stage_runs_as_root::{end_user, EndUser};
    if ctx.settings.user.force || !matches!(end_user(ctx.model, stage.index), EndUser::Root(_)) {
        return None;
    }
    let blocker = super::user_switch::blocker(ctx, stage.index)?;
    Some(format!("the minimal image would switch to a non-root user, and {blocker}"))
}

/// Whether the stage receives files from earlier stages (`COPY --from=<stage>`).
fn copies_from_stages(ctx: &Context<'_>, stage: &Stage) -> bool {
    stage.body.iter().any(|&i| {
        let instruction = ctx.model.instructions[i];
        instruction.keyword == Keyword::Copy
            && instruction
                .flag("from")
                .and_then(|f| f.value())
                .is_some_and(|r| ctx.model.stage_by_reference(r, stage.index).is_some())
    })
}

/// An already separate final stage on a full distribution: can its base become minimal?
fn rebase(ctx: &Context<'_>, stage: &Stage) -> Decision {
    let model = ctx.model;
    if stage.base.written.contains('$') {
        return decline(None, "the final base image is chosen by a build argument");
    }
    let mut user = UserChange::Add;
    let mut runs = Vec::new();
    for &index in &stage.body {
        let instruction = model.instructions[index];
        match instruction.keyword {
            Keyword::Copy | Keyword::Add
                if instruction
                    .flag("chown")
                    .and_then(|f| f.value())
                    .is_some_and(|owner| owner.split(':').any(|part| !part.chars().all(|c| c.is_ascii_digit()) && part != "nonroot")) =>
            {
                return decline(None, "a COPY --chown in the final stage names a user or group that a distroless image does not have");
            }
            Keyword::Run => {
                if !only_provisions(ctx, index) {
                    return decline(None, "the final stage runs commands (RUN), which need a shell and tools a distroless image does not have");
                }
                runs.push(index);
            }
            Keyword::Shell | Keyword::Onbuild => {
                return decline(
                    None,
                    format!(
                        "the final stage uses {}, which a distroless image cannot honour",
                        instruction.keyword.as_str()
                    ),
                );
            }
            Keyword::Add => {
                return decline(
                    None,
                    "the final stage uses ADD, which may unpack archives or download files",
                )
            }
            Keyword::User => {
                user = match crate::rules::helpers::user_of(instruction) {
                    Some(u) if u.chars().all(|c| c.is_ascii_digit()) && u != "0" => {
                        UserChange::Keep
                    }
                    Some("nonroot") => UserChange::Keep,
                    _ => UserChange::Replace(index),
                };
            }
            _ => {}
        }
    }
    if let Some(reason) = healthcheck_problem(ctx, stage) {
        return decline(None, reason);
    }
    let start = match start_command(ctx, model, stage) {
        Ok(start) => start,
        Err(reason) => return decline(None, reason),
    };
    let workdir = final_workdir(ctx, stage);
    if start.argv[0].rsplit('/').next() == Some("java") {
        // Only DH103's strip step and user creation (DH101's) may go with a JVM final stage:
        // distroless has no setuid files and has its `nonroot` user.
        if runs.iter().any(|&index| !is_strip_step(ctx, index) && !creates_users_only(ctx, index)) {
            return decline(Some(Ecosystem::Java), "the final stage runs commands (RUN), which need a shell and tools a distroless image does not have");
        }
        return match rebase_java(ctx, stage, &start, workdir.as_deref(), user) {
            Decision::Rebase(plan) => Decision::Rebase(RebasePlan { dropped: runs, ..plan }),
            other => other,
        };
    }
    // Which COPY --from brought the program?
    let program = &start.argv[0];
    let mut source: Option<(usize, String)> = None;
    for &index in &stage.body {
        let instruction = model.instructions[index];
        let Some(from) = instruction.flag("from").and_then(|f| f.value()) else {
            continue;
        };
        let Some(from_stage) = model.stage_by_reference(from, stage.index) else {
            continue;
        };
        let words = crate::rules::helpers::copy_sources(instruction);
        let (Arguments::List(all) | Arguments::Exec(all)) = &instruction.arguments else {
            continue;
        };
        let Some(dest) = all.last() else { continue };
        let dest_dir = dest.text.ends_with('/') || words.len() > 1 || matches!(dest.text.as_str(), "." | "./");
        for src in words {
            // A directory (`/app`, `/out/`) copies its contents: the program may be inside.
            let src_name = src.text.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            if src.text.ends_with('/') || !src_name.contains('.') {
                let into = join_path(workdir.as_deref(), dest.text.trim_end_matches('/'));
                let program_path = join_path(workdir.as_deref(), program);
                if let Some(rest) = program_path.strip_prefix(&format!("{}/", into.trim_end_matches('/'))) {
                    source = Some((from_stage, format!("{}/{rest}", src.text.trim_end_matches('/'))));
                    continue;
                }
            }
            let name = src.text.rsplit('/').next().unwrap_or_default();
            let target = if dest_dir {
                join_path(
                    workdir.as_deref(),
                    &format!("{}/{name}", dest.text.trim_end_matches('/')),
                )
            } else {
                join_path(workdir.as_deref(), &dest.text)
            };
            if resolve_program(
                program,
                workdir.as_deref(),
                &target,
                &["/usr/local/bin", "/usr/bin", "/bin"],
            ) {
                source = Some((from_stage, src.text.clone()));
            }
        }
    }
    if let Some(plan) = standalone_python(ctx, stage, &start, workdir.as_deref(), user) {
        return match droppable(ctx, &runs, plan.runtime) {
            Ok(()) => Decision::Rebase(RebasePlan { dropped: runs, ..plan }),
            Err(reason) => decline(Some(Ecosystem::Python), reason),
        };
    }
    let Some((build_stage, built_path)) = source else {
        return decline(None, format!("the program `{program}` is not a file copied from a build stage, so what it needs at run time is not known"));
    };
    let built = &model.stages[build_stage];
    let built_commands = stage_commands(ctx, built);
    let (repo, tag) = match &built.base.base {
        Base::Image { image } => (
            image
                .repository
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            image.tag.clone().unwrap_or_default(),
        ),
        _ => (String::new(), String::new()),
    };
    let alpine = tag.contains("alpine");
    let ecosystem = detect(&repo, "", &built_commands);
    let runtime = match ecosystem {
        Some(Ecosystem::Go) => {
            let build = built_commands.iter().rev().find(|c| {
                c.command.program() == Some("go")
                    && c.command.subcommand().is_some_and(|s| s.text == "build")
            });
            let inline = build.and_then(|b| {
                b.command
                    .words
                    .iter()
                    .find_map(|w| w.text.strip_prefix("CGO_ENABLED=").map(str::to_string))
            });
            match inline.or_else(|| stage_env(ctx, built, "CGO_ENABLED")).as_deref() {
                Some("0") => Runtime::StaticBinary,
                _ if alpine => return decline(Some(Ecosystem::Go), "the Go binary is built on Alpine with cgo: it needs musl, which distroless images do not have"),
                _ => Runtime::DynamicBinary,
            }
        }
        Some(Ecosystem::Rust) => {
            let musl = built_commands
                .iter()
                .any(|c| flag_value(&c.command, &["--target"]).is_some_and(|t| t.contains("musl")));
            if musl {
                Runtime::StaticBinary
            } else if alpine {
                return decline(Some(Ecosystem::Rust), "the Rust binary is built on Alpine: it needs musl, which distroless images do not have");
            } else {
                Runtime::DynamicBinary
            }
        }
        Some(other) => {
            return decline(Some(other), format!("the final stage runs a {} app copied from another stage, not a binary or `java -jar`; only those are moved onto a new base", other.name()));
        }
        None => {
            return decline(None, format!("`{built_path}` comes from stage {} without a known build command, so whether it needs a C library is not known", built.name.clone().unwrap_or_else(|| built.index.to_string())));
        }
    };
    let ecosystem = ecosystem.expect("matched above");
    if let Err(reason) = available(runtime, ctx) {
        return decline(Some(ecosystem), reason);
    }
    if let Err(reason) = droppable(ctx, &runs, runtime) {
        return decline(Some(ecosystem), reason);
    }
    Decision::Rebase(RebasePlan {
        ecosystem,
        runtime,
        build_stage,
        user,
        cmd: None,
        entrypoint: None,
        dropped: runs,
    })
}

/// Commands a final stage may run that only provision what a distroless image already has:
/// refreshing and cleaning the package index, installing packages (checked against the
/// image by [`droppable`]), refreshing CA certificates, and creating users and groups.
fn only_provisions(ctx: &Context<'_>, index: usize) -> bool {
    let instruction = ctx.model.instructions[index];
    if !instruction.flags.is_empty() {
        return false;
    }
    let scripts = &ctx.scripts[index];
    !scripts.is_empty()
        && scripts.iter().all(|script| {
            script.origin != crate::model::shell::ScriptOrigin::ExecForm
                && script.commands.iter().all(|command| {
                    let Some(program) = command.program() else { return false };
                    match program {
                        "apt-get" | "apt" | "apk" => crate::rules::helpers::package_command(command).is_some_and(|p| {
                            p.is(&["update", "install", "add", "clean", "autoclean", "upgrade", "dist-upgrade", "autoremove"])
                        }),
                        "update-ca-certificates" | "true" => true,
                        user if USER_CREATION.contains(&user) => true,
                        // DH103's strip step: a distroless image has no setuid files to strip.
                        "find" => is_strip_step(ctx, index),
                        "rm" => command.args().iter().all(|w| {
                            w.text.starts_with('-')
                                || ["/var/lib/apt/lists", "/var/cache/apk", "/var/cache/apt", "/tmp/"].iter().any(|d| w.text.starts_with(d))
                        }),
                        _ => false,
                    }
                })
        })
}

/// The programs that create users and groups (DH101's step): a distroless image has its own
/// `nonroot`, so a RUN of only these may go.
const USER_CREATION: &[&str] = &["groupadd", "useradd", "addgroup", "adduser"];

/// Whether the RUN at `index` only creates users and groups (DH101's step).
fn creates_users_only(ctx: &Context<'_>, index: usize) -> bool {
    let scripts = &ctx.scripts[index];
    !scripts.is_empty()
        && scripts.iter().all(|script| {
            script.commands.iter().all(|command| {
                command.program().is_some_and(|program| program == "true" || USER_CREATION.contains(&program))
            })
        })
}

/// Whether the RUN at `index` is only DH103's step that strips setuid and setgid bits.
fn is_strip_step(ctx: &Context<'_>, index: usize) -> bool {
    let scripts = &ctx.scripts[index];
    !scripts.is_empty()
        && scripts.iter().all(|script| {
            script.commands.iter().all(|command| match command.program() {
                Some("find") => {
                    let words: Vec<&str> = command.args().iter().map(|w| w.text.as_str()).collect();
                    words.contains(&"/6000") && words.windows(2).any(|w| w == ["chmod", "a-s"])
                }
                Some("true") => true,
                _ => false,
            })
        })
}

/// The RUN lines of `runs` may go when every package they install is in the final image.
fn droppable(ctx: &Context<'_>, runs: &[usize], runtime: Runtime) -> Result<(), String> {
    let image = final_image(runtime, ctx.settings.today()).map_err(|no| no.describe(runtime))?;
    for &index in runs {
        for script in &ctx.scripts[index] {
            for command in &script.commands {
                let Some(package) = crate::rules::helpers::package_command(command) else { continue };
                if package.verb() != crate::rules::helpers::Verb::Install {
                    continue;
                }
                for name in package.operands() {
                    let name = crate::rules::helpers::package_name(&name.text);
                    if !image.contains.contains(&name) {
                        return Err(format!(
                            "the final stage installs `{name}`, which `{}` does not have",
                            image.reference
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Where a path copied into the stage came from: the stage it was copied from.
fn copied_from_stage(
    ctx: &Context<'_>,
    stage: &Stage,
    path: &str,
    workdir: Option<&str>,
) -> Option<usize> {
    let model = ctx.model;
    let mut found = None;
    for &index in &stage.body {
        let instruction = model.instructions[index];
        let Some(from) = instruction.flag("from").and_then(|f| f.value()) else {
            continue;
        };
        let Some(from_stage) = model.stage_by_reference(from, stage.index) else {
            continue;
        };
        let sources = crate::rules::helpers::copy_sources(instruction);
        let (Arguments::List(all) | Arguments::Exec(all)) = &instruction.arguments else {
            continue;
        };
        let Some(dest) = all.last() else { continue };
        let into_dir = dest.text.ends_with('/') || sources.len() > 1;
        for src in sources {
            let name = src.text.rsplit('/').next().unwrap_or_default();
            let target = if into_dir {
                join_path(
                    workdir,
                    &format!("{}/{name}", dest.text.trim_end_matches('/')),
                )
            } else {
                join_path(workdir, &dest.text)
            };
            if target == join_path(workdir, path) {
                found = Some(from_stage);
            }
        }
    }
    found
}

/// A JRE final stage running `java -jar` on a jar copied from a build stage.
fn rebase_java(
    ctx: &Context<'_>,
    stage: &Stage,
    start: &StartCommand,
    workdir: Option<&str>,
    user: UserChange,
) -> Decision {
    let argv = &start.argv;
    if argv.get(1).map(String::as_str) != Some("-jar") {
        return rebase_java_command(ctx, stage, start, user);
    }
    let Some(jar) = argv.get(2).filter(|j| !j.contains(['*', '?', '$'])) else {
        return decline(
            Some(Ecosystem::Java),
            "`java -jar` does not name one jar file",
        );
    };
    let Some(build_stage) = copied_from_stage(ctx, stage, jar, workdir) else {
        return decline(
            Some(Ecosystem::Java),
            format!(
                "the jar `{jar}` is not copied from a build stage, so what it needs is not known"
            ),
        );
    };
    let Some(version) = final_java_version(stage) else {
        return decline(
            Some(Ecosystem::Java),
            format!("the Java version of `{}` is not known", stage.base.written),
        );
    };
    if let Err(reason) = available(Runtime::Java { version }, ctx) {
        return decline(Some(Ecosystem::Java), reason);
    }
    let jar_path = join_path(workdir, jar);
    let cmd = std::iter::once(jar_path)
        .chain(argv[3..].iter().cloned())
        .collect();
    Decision::Rebase(RebasePlan {
        ecosystem: Ecosystem::Java,
        runtime: Runtime::Java { version },
        build_stage,
        user,
        cmd: Some(cmd),
        entrypoint: None,
        dropped: Vec::new(),
    })
}

/// A Python app that brings its own interpreter: uv's managed Python (python-build-standalone,
/// which links only glibc) installed into `UV_PYTHON_INSTALL_DIR` in a build stage and copied
/// to the same path in the final stage, with the program run from a copied directory (a venv's
/// `bin` on PATH, or the interpreter's). Such an app runs on distroless/cc unchanged: its venv
/// links to the interpreter by that absolute path, and the console scripts' `#!` lines are
/// read by the kernel, not a shell.
fn standalone_python(
    ctx: &Context<'_>,
    stage: &Stage,
    start: &StartCommand,
    workdir: Option<&str>,
    user: UserChange,
) -> Option<RebasePlan> {
    let copies = copies_into(ctx, stage);
    // The stage the interpreter comes from.
    let build_stage = copies.iter().find_map(|copy| {
        let from = copy.from_stage?;
        let dir = stage_env(ctx, &ctx.model.stages[from], "UV_PYTHON_INSTALL_DIR")?;
        let dir = dir.trim_end_matches('/');
        let uses_uv = stage_commands(ctx, &ctx.model.stages[from]).iter().any(|c| c.command.program() == Some("uv"));
        (uses_uv && copy.sources.len() == 1 && copy.sources[0].trim_end_matches('/') == dir && copy.dest == dir).then_some(from)
    })?;
    // Where the program is: a path, or a name found on the stage's PATH, inside a directory
    // copied from a stage.
    let program = &start.argv[0];
    let path = stage_env(ctx, stage, "PATH").unwrap_or_default();
    let candidates: Vec<String> = if program.contains('/') {
        vec![join_path(workdir, program)]
    } else {
        path.split(':').filter(|d| d.starts_with('/')).map(|d| format!("{}/{program}", d.trim_end_matches('/'))).collect()
    };
    let under = |path: &str, dir: &str| path != dir && crate::model::is_within(path, dir);
    let found = candidates.iter().any(|c| copies.iter().any(|copy| copy.from_stage.is_some() && under(c, &copy.dest)));
    if !found || start.argv.iter().any(|a| a.contains('$')) {
        return None;
    }
    Some(RebasePlan {
        ecosystem: Ecosystem::Python,
        runtime: Runtime::DynamicBinary,
        build_stage,
        user,
        cmd: None,
        entrypoint: None,
        dropped: Vec::new(),
    })
}

/// The Java version a JRE final stage's base image names (`eclipse-temurin:17-jre`).
fn final_java_version(stage: &Stage) -> Option<u32> {
    match &stage.base.base {
        Base::Image { image } => java_version(&image.tag.clone().unwrap_or_default().to_ascii_lowercase()),
        _ => None,
    }
}

/// A JRE final stage started by `java` with options or a class path (`java -cp
/// app:app/lib/* com.example.Main`, Spring Boot's unpacked layout): distroless/java's own
/// entrypoint is `java -jar`, so the same command becomes the stage's ENTRYPOINT, with the
/// image's `java`. Java expands a class path's `*` itself, so no shell is needed.
fn rebase_java_command(ctx: &Context<'_>, stage: &Stage, start: &StartCommand, user: UserChange) -> Decision {
    let argv = &start.argv;
    if argv.iter().any(|a| a.contains('$')) {
        return decline(Some(Ecosystem::Java), format!("the app starts with `{}`, whose variables need a shell to expand; distroless/java has none", argv.join(" ")));
    }
    let Some(build_stage) = copies_into(ctx, stage).into_iter().find_map(|c| c.from_stage) else {
        return decline(Some(Ecosystem::Java), format!("the app starts with `{}`, but nothing is copied from a build stage, so what it runs is not known", argv.join(" ")));
    };
    let Some(version) = final_java_version(stage) else {
        return decline(Some(Ecosystem::Java), format!("the Java version of `{}` is not known", stage.base.written));
    };
    if let Err(reason) = available(Runtime::Java { version }, ctx) {
        return decline(Some(Ecosystem::Java), reason);
    }
    let entrypoint = std::iter::once("/usr/bin/java".to_string()).chain(argv[1..].iter().cloned()).collect();
    Decision::Rebase(RebasePlan {
        ecosystem: Ecosystem::Java,
        runtime: Runtime::Java { version },
        build_stage,
        user,
        cmd: None,
        entrypoint: Some(entrypoint),
        dropped: Vec::new(),
    })
}

/// Python packages with compiled parts link against the build stage's glibc: a build stage on
/// an older Debian release than the final image is moved to the final image's release (the
/// official Python images publish `-trixie` variants of every supported version).
fn same_debian_release(stage: &Stage, runtime: Runtime, ctx: &Context<'_>) -> Option<BuildChange> {
    let Runtime::Python { .. } = runtime else {
        return None;
    };
    let release = final_image(runtime, ctx.settings.today()).ok()?.debian?;
    if release != 13 {
        return None;
    }
    let why = "the build stage is pinned to Debian 13 like the distroless Python image, so that compiled packages find the same glibc";
    let written = ctx.text(stage.base.range);
    if written.contains("trixie") || written.contains('$') {
        return None;
    }
    if let Some((at, old)) = ["bookworm", "bullseye", "buster"]
        .iter()
        .find_map(|c| written.find(&format!("-{c}")).map(|at| (at + 1, *c)))
    {
        return Some(BuildChange {
            at: stage.base.range.start + at,
            replaces: old.len(),
            insert: "trixie".into(),
            why,
        });
    }
    // No release in the tag: it follows the image's default, which moves with each Debian
    // release; name the one the final image is built on.
    let (_, tag) = written.split('@').next()?.rsplit_once(':')?;
    let end = stage.base.range.start + written.split('@').next()?.len();
    (!tag.contains('/')).then(|| BuildChange {
        at: end,
        replaces: 0,
        insert: "-trixie".into(),
        why,
    })
}

/// Whether a current minimal image exists for `runtime` (never one past its end of life).
fn available(runtime: Runtime, ctx: &Context<'_>) -> Result<(), String> {
    final_image(runtime, ctx.settings.today())
        .map(|_| ())
        .map_err(|no| no.describe(runtime))
}

/// A command of the stage with the WORKDIR in force and the instruction it belongs to.
pub struct StageCommand<'c> {
    pub command: &'c SimpleCommand,
    /// Shared by the commands of one WORKDIR: most stages have a few WORKDIRs and many commands.
    pub workdir: Option<std::rc::Rc<str>>,
    pub instruction: usize,
    /// Whether positions inside the command are exact (not inside a JSON string).
    pub exact: bool,
}

fn stage_commands<'c>(ctx: &'c Context<'_>, stage: &Stage) -> Vec<StageCommand<'c>> {
    let mut workdir: Option<std::rc::Rc<str>> = None;
    let mut out = Vec::new();
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        if instruction.keyword == Keyword::Workdir {
            if let Arguments::Text(word) = &instruction.arguments {
                workdir = Some(join_path(workdir.as_deref(), &word.text).into());
            }
        }
        for script in &ctx.scripts[index] {
            for command in &script.commands {
                out.push(StageCommand {
                    command,
                    workdir: workdir.clone(),
                    instruction: index,
                    exact: script.origin != crate::model::shell::ScriptOrigin::ExecForm,
                });
            }
        }
    }
    out
}

fn final_workdir(ctx: &Context<'_>, stage: &Stage) -> Option<String> {
    let mut workdir: Option<String> = None;
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        if instruction.keyword == Keyword::Workdir {
            if let Arguments::Text(word) = &instruction.arguments {
                workdir = Some(join_path(workdir.as_deref(), &word.text));
            }
        }
    }
    workdir
}

fn is_builder_repository(repo: &str) -> bool {
    matches!(
        repo,
        "golang"
            | "rust"
            | "node"
            | "python"
            | "maven"
            | "gradle"
            | "sdk"
            | "openjdk"
            | "eclipse-temurin"
            | "amazoncorretto"
    )
}

fn detect(repo: &str, repository: &str, commands: &[StageCommand]) -> Option<Ecosystem> {
    let has = |program: &str, subs: &[&str]| {
        commands.iter().any(|c| {
            c.command.program() == Some(program)
                && (subs.is_empty()
                    || c.command
                        .subcommand()
                        .is_some_and(|s| subs.contains(&s.text.as_str())))
        })
    };
    if has("go", &["build", "install"]) || repo == "golang" {
        return Some(Ecosystem::Go);
    }
    if has("cargo", &["build", "install"]) {
        return Some(Ecosystem::Rust);
    }
    if repository.contains("dotnet/sdk") || has("dotnet", &["publish"]) {
        return Some(Ecosystem::Dotnet);
    }
    if has("mvn", &[])
        || has("javac", &[])
        || has("gradle", &[])
        || has("gradlew", &[])
        || matches!(repo, "maven" | "gradle")
    {
        return Some(Ecosystem::Java);
    }
    if repo == "node" || has("npm", &["ci", "install", "i"]) || has("yarn", &[]) || has("pnpm", &[])
    {
        return Some(Ecosystem::Node);
    }
    if repo == "python" || has("pip", &["install"]) || has("pip3", &["install"]) {
        return Some(Ecosystem::Python);
    }
    None
}

/// The server an official image is (nginx, postgres, php...), which a stage that builds
/// nothing of its own configures and serves with; NGINX's unprivileged build counts too.
fn server_image(image: &crate::model::ImageRef) -> Option<&'static str> {
    if image.registry == crate::model::DOCKER_HUB && image.repository == "nginxinc/nginx-unprivileged" {
        return Some("nginx");
    }
    crate::knowledge::official::official_image(&image.repository, &image.registry).map(|official| official.name)
}

/// The effective ENTRYPOINT + CMD of the final stage, as argv. Fails with a reason when the
/// command needs a shell.
fn start_command(
    ctx: &Context<'_>,
    model: &Dockerfile<'_>,
    stage: &Stage,
) -> Result<StartCommand, String> {
    let last = |keyword: Keyword| {
        stage
            .body
            .iter()
            .rev()
            .map(|&i| model.instructions[i])
            .find(|i| i.keyword == keyword)
    };
    let mut argv = Vec::new();
    for instruction in [last(Keyword::Entrypoint), last(Keyword::Cmd)]
        .into_iter()
        .flatten()
    {
        argv.extend(argv_of(ctx, instruction)?);
    }
    if argv.is_empty() {
        return Err("the final stage has no CMD or ENTRYPOINT, so what runs is not known".into());
    }
    let program = argv[0].rsplit('/').next().unwrap_or_default();
    if program.ends_with(".sh") || matches!(program, "sh" | "bash" | "ash" | "dash" | "zsh") {
        return Err(format!(
            "the entrypoint `{}` is a shell script: a distroless image has no shell",
            argv[0]
        ));
    }
    Ok(StartCommand { argv })
}

fn argv_of(ctx: &Context<'_>, instruction: &Instruction) -> Result<Vec<String>, String> {
    match (&instruction.arguments, form_of(instruction)) {
        (Arguments::Exec(words), _) => Ok(words.iter().map(|w| w.text.clone()).collect()),
        (Arguments::Text(word), Form::Shell) => {
            let text = word.text.trim();
            if text.contains([
                '$', '|', '&', ';', '<', '>', '*', '?', '`', '(', ')', '\'', '"', '\\', '~',
            ]) {
                return Err(format!(
                    "the start command `{text}` uses shell features: a distroless image has no shell to run it"
                ));
            }
            let commands = split(text, 0, &|a, b| TextRange::new(a, b));
            Ok(commands
                .first()
                .map(|c| c.words.iter().map(|w| w.text.to_string()).collect())
                .unwrap_or_default())
        }
        _ => Err(format!(
            "`{}` has no command",
            ctx.text(instruction.code_range())
        )),
    }
}

/// A HEALTHCHECK the final image could not run.
fn healthcheck_problem(ctx: &Context<'_>, stage: &Stage) -> Option<String> {
    let check = stage
        .body
        .iter()
        .rev()
        .map(|&i| ctx.model.instructions[i])
        .find(|i| i.keyword == Keyword::Healthcheck)?;
    match form_of(check) {
        Form::None => None,
        Form::Exec => {
            let Arguments::Healthcheck { command, .. } = &check.arguments else { return None };
            let Arguments::Exec(words) = command.as_ref() else { return None };
            let program = words.first().map(|w| w.text.as_str()).unwrap_or_default();
            matches!(program.rsplit('/').next(), Some("curl" | "wget" | "sh" | "bash" | "nc"))
                .then(|| format!("the HEALTHCHECK runs `{program}`, which a distroless image does not have"))
        }
        _ => Some("the HEALTHCHECK is in shell form and needs a shell, which a distroless image does not have".into()),
    }
}

/// Where a program named in the start command lives: an absolute path as is, a relative one
/// under the WORKDIR, a bare name on one of `path_dirs`.
fn resolve_program(
    program: &str,
    workdir: Option<&str>,
    artifact: &str,
    path_dirs: &[&str],
) -> bool {
    if program.contains('/') {
        return join_path(workdir, program) == artifact;
    }
    path_dirs
        .iter()
        .any(|dir| format!("{dir}/{program}") == artifact)
}

fn flag_value(command: &SimpleCommand, names: &[&str]) -> Option<String> {
    let args = command.args();
    for (i, word) in args.iter().enumerate() {
        for name in names {
            if word.text == *name {
                return args.get(i + 1).map(|w| w.text.to_string());
            }
            if let Some(value) = word.text.strip_prefix(&format!("{name}=")) {
                return Some(value.to_string());
            }
        }
    }
    None
}

fn go(
    ctx: &Context<'_>,
    stage: &Stage,
    commands: &[StageCommand],
    start: &StartCommand,
    workdir: Option<&str>,
) -> Result<AppPlan, String> {
    let cgo_env = stage_env(ctx, stage, "CGO_ENABLED");
    // `go run PKG`: build the same package instead, and run the binary.
    if start.argv.first().map(String::as_str) == Some("go") {
        if start.argv.get(1).map(String::as_str) != Some("run") {
            return Err(format!(
                "the start command `{}` runs the Go tool itself",
                start.argv.join(" ")
            ));
        }
        let rest = &start.argv[2..];
        let package = rest
            .first()
            .filter(|p| !p.starts_with('-'))
            .cloned()
            .unwrap_or_else(|| ".".into());
        if rest.iter().skip(1).any(|a| a.starts_with('-'))
            && rest.first().is_some_and(|p| p.starts_with('-'))
        {
            return Err("`go run` with build flags: name the binary with `go build -o` to allow the rewrite".into());
        }
        let artifact = "/usr/local/bin/app".to_string();
        let static_build = cgo_env.as_deref() != Some("1");
        let prefix = if static_build && cgo_env.as_deref() != Some("0") {
            "CGO_ENABLED=0 "
        } else {
            ""
        };
        return Ok(AppPlan {
            ecosystem: Ecosystem::Go,
            runtime: if static_build {
                Runtime::StaticBinary
            } else {
                Runtime::DynamicBinary
            },
            carry: vec![Carry {
                from: artifact.clone(),
                to: artifact.clone(),
            }],
            workdir: None,
            env: Vec::new(),
            entrypoint: Some(
                std::iter::once(artifact.clone())
                    .chain(rest.iter().skip(1).cloned())
                    .collect(),
            ),
            cmd: None,
            build_changes: Vec::new(),
            extra_build_step: Some(format!("{prefix}go build -o {artifact} {package}")),
            notes: Vec::new(),
        });
    }
    let builds: Vec<&StageCommand> = commands
        .iter()
        .filter(|c| {
            c.command.program() == Some("go")
                && c.command.subcommand().is_some_and(|s| s.text == "build")
        })
        .collect();
    let Some(build) = builds.last() else {
        return Err("the Go build uses `go install`; name the binary with `go build -o` to allow the rewrite".into());
    };
    let Some(output) = flag_value(&build.command, &["-o"]) else {
        return Err("`go build` has no `-o`: the binary's name and place are not known".into());
    };
    if output.ends_with('/') || output.contains('$') {
        return Err(format!("`go build -o {output}` does not name one binary"));
    }
    let artifact = join_path(build.workdir.as_deref(), &output);
    let program = &start.argv[0];
    if !resolve_program(
        program,
        workdir,
        &artifact,
        &["/usr/local/bin", "/usr/bin", "/go/bin", "/usr/local/go/bin"],
    ) {
        return Err(format!(
            "the start command `{program}` is not the binary `go build` writes ({artifact})"
        ));
    }
    let inline_cgo = build
        .command
        .words
        .iter()
        .find_map(|w| w.text.strip_prefix("CGO_ENABLED=").map(str::to_string));
    let cgo = inline_cgo.or(cgo_env);
    let mut build_changes = Vec::new();
    let runtime = match cgo.as_deref() {
        Some("1") => Runtime::DynamicBinary,
        Some("0") => Runtime::StaticBinary,
        _ => {
            if !build.exact {
                return Err(
                    "the `go build` is in an exec-form RUN, where `CGO_ENABLED=0` cannot be added"
                        .into(),
                );
            }
            let go_word = &build.command.words[build.command.program_index().unwrap_or(0)];
            build_changes.push(BuildChange {
                at: go_word.range.start,
                replaces: 0,
                insert: "CGO_ENABLED=0 ".into(),
                why: "a static binary runs on distroless/static, which has no C library",
            });
            Runtime::StaticBinary
        }
    };
    Ok(AppPlan {
        ecosystem: Ecosystem::Go,
        runtime,
        carry: vec![Carry {
            from: artifact.clone(),
            to: artifact.clone(),
        }],
        workdir: None,
        env: Vec::new(),
        entrypoint: Some(
            std::iter::once(artifact)
                .chain(start.argv[1..].iter().cloned())
                .collect(),
        ),
        cmd: None,
        build_changes,
        extra_build_step: None,
        notes: Vec::new(),
    })
}

/// The value of `name` set by ENV in the stage, if any.
fn stage_env(ctx: &Context<'_>, stage: &Stage, name: &str) -> Option<String> {
    let mut value = None;
    for &index in &stage.body {
        if let Arguments::Pairs(pairs) = &ctx.model.instructions[index].arguments {
            if ctx.model.instructions[index].keyword == Keyword::Env {
                for kv in pairs.iter().filter(|kv| kv.key.text == name) {
                    value = Some(crate::model::unquote(&kv.value.text));
                }
            }
        }
    }
    value
}

fn rust(
    commands: &[StageCommand],
    start: &StartCommand,
    workdir: Option<&str>,
) -> Result<AppPlan, String> {
    let program = &start.argv[0];
    let name = program.rsplit('/').next().unwrap_or(program).to_string();
    let mut candidates = Vec::new();
    let mut musl = false;
    for c in commands
        .iter()
        .filter(|c| c.command.program() == Some("cargo"))
    {
        let target = flag_value(&c.command, &["--target"]);
        musl |= target.as_deref().is_some_and(|t| t.contains("musl"));
        match c.command.subcommand().map(|s| s.text.as_str()) {
            Some("install") => {
                let root = flag_value(&c.command, &["--root"])
                    .unwrap_or_else(|| "/usr/local/cargo".into());
                candidates.push(join_path(
                    c.workdir.as_deref(),
                    &format!("{root}/bin/{name}"),
                ));
            }
            Some("build") => {
                let profile = if c.command.has_flag(&["--release", "-r"]) {
                    "release"
                } else {
                    "debug"
                };
                let dir = match &target {
                    Some(t) => format!("target/{t}/{profile}"),
                    None => format!("target/{profile}"),
                };
                candidates.push(join_path(c.workdir.as_deref(), &format!("{dir}/{name}")));
            }
            _ => {}
        }
    }
    let artifact = candidates
        .into_iter()
        .find(|a| resolve_program(program, workdir, a, &["/usr/local/cargo/bin", "/usr/local/bin"]))
        .ok_or_else(|| format!("the start command `{program}` is not a binary `cargo build` or `cargo install` writes"))?;
    Ok(AppPlan {
        ecosystem: Ecosystem::Rust,
        runtime: if musl {
            Runtime::StaticBinary
        } else {
            Runtime::DynamicBinary
        },
        carry: vec![Carry {
            from: artifact.clone(),
            to: artifact.clone(),
        }],
        workdir: None,
        env: Vec::new(),
        entrypoint: Some(
            std::iter::once(artifact)
                .chain(start.argv[1..].iter().cloned())
                .collect(),
        ),
        cmd: None,
        build_changes: Vec::new(),
        extra_build_step: None,
        notes: Vec::new(),
    })
}

/// The first number in a tag (`20-bookworm-slim` → 20).
fn leading_number(tag: &str) -> Option<u32> {
    let digits: String = tag.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Whether `argv` runs the package's start script: `npm start`, `npm run start`, `yarn start`,
/// `pnpm start` (npm's `run-script` spelled out too).
pub(crate) fn runs_start_script(argv: &[String]) -> bool {
    let program = argv.first().map(|p| p.rsplit('/').next().unwrap_or_default());
    let rest: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    matches!(program, Some("npm" | "yarn" | "pnpm"))
        && matches!(rest.as_slice(), ["start"] | ["run" | "run-script", "start"])
}

/// The `node ...` command a package's start script runs, read from its package.json in the
/// build context; the reason it cannot be run without npm otherwise.
fn start_script_command(ctx: &Context<'_>, stage: &Stage, argv: &[String]) -> Result<Vec<String>, String> {
    let how = argv.join(" ");
    let Some(path) = crate::harden::start::copied_from_context(ctx, stage.index, "./package.json") else {
        return Err(format!("the app starts with `{how}`; the distroless Node.js image has only `node`, and the package.json whose start script it runs is not copied from the build context"));
    };
    let Some(text) = ctx.settings.context.files.get(&path) else {
        return Err(format!("the app starts with `{how}`; the distroless Node.js image has only `node`: add `{path}` to the build context so its start script can be read"));
    };
    let scripts = crate::syntax::object_member_strings(text, "scripts")
        .ok_or_else(|| format!("the app starts with `{how}`, but `{path}` is not valid JSON"))?;
    let script = |name: &str| scripts.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if let Some(hook) = ["prestart", "poststart"].into_iter().find(|h| script(h).is_some()) {
        return Err(format!("the app starts with `{how}`, and `{path}` has a `{hook}` script that npm runs too; the distroless Node.js image has only `node`"));
    }
    let start = script("start").ok_or_else(|| format!("the app starts with `{how}`, but `{path}` has no start script (npm would guess `node server.js`)"))?;
    let words: Vec<String> = start.split_whitespace().map(str::to_string).collect();
    let plain = |w: &String| !w.contains(['$', '&', '|', ';', '<', '>', '(', ')', '`', '\'', '"', '\\', '*', '?', '=']);
    if words.first().map(String::as_str) != Some("node") || words.len() < 2 || !words.iter().all(plain) {
        return Err(format!("the app starts with `{how}`, whose start script is `{start}`, not a plain `node <file>`; the distroless Node.js image has only `node`"));
    }
    Ok(words)
}

fn node(ctx: &Context<'_>, stage: &Stage, tag: &str, start: &StartCommand, workdir: Option<&str>) -> Result<AppPlan, String> {
    if tag.contains("alpine") {
        return Err("the Node.js build runs on Alpine (musl): native modules it builds would not load on the distroless (glibc) image".into());
    }
    let version = leading_number(tag)
        .ok_or_else(|| format!("the Node.js version of tag `{tag}` is not a number"))?;
    let mut notes = Vec::new();
    let argv = if runs_start_script(&start.argv) {
        let command = start_script_command(ctx, stage, &start.argv)?;
        notes.push(format!("`{}` runs the start script `{}`, which the image's `node` runs directly", start.argv.join(" "), command.join(" ")));
        command
    } else {
        start.argv.clone()
    };
    let program = argv[0].rsplit('/').next().unwrap_or_default();
    if program != "node" {
        return Err(format!("the app starts with `{}`; the distroless Node.js image has only `node` (no npm, yarn or shell)", argv.join(" ")));
    }
    let workdir = workdir.ok_or("the app has no WORKDIR, so what to copy is not known")?;
    if workdir == "/" {
        return Err(
            "the app lives in `/`: copying the whole filesystem is not a minimal image".into(),
        );
    }
    Ok(AppPlan {
        ecosystem: Ecosystem::Node,
        runtime: Runtime::Node { version },
        carry: vec![Carry {
            from: workdir.to_string(),
            to: workdir.to_string(),
        }],
        workdir: Some(workdir.to_string()),
        env: Vec::new(),
        entrypoint: None,
        cmd: Some(argv[1..].to_vec()),
        build_changes: Vec::new(),
        extra_build_step: None,
        notes,
    })
}

/// Where a virtual environment the build makes lives: `python -m venv DIR`, `virtualenv DIR`,
/// `uv venv [DIR]` (uv's default is `.venv`), relative to the command's WORKDIR.
struct Venv {
    dir: String,
    /// `--system-site-packages`: the venv also sees the system's packages.
    system_site: bool,
}

/// Where `poetry install` puts the packages: its settings come from `poetry config` commands
/// or `POETRY_VIRTUALENVS_*` variables of the stage (https://python-poetry.org/docs/configuration/).
#[derive(Clone, Copy, PartialEq, Eq)]
enum PoetryEnvironment {
    /// `virtualenvs.create false`: the interpreter's own site-packages.
    System,
    /// `virtualenvs.in-project true`: `.venv` in the directory of `poetry install`.
    InProject,
    /// The default: a venv in poetry's cache directory, named by a hash of the project path.
    Cache,
}

fn poetry_environment(ctx: &Context<'_>, stage: &Stage, commands: &[StageCommand]) -> PoetryEnvironment {
    let setting = |key: &str, variable: &str| -> Option<bool> {
        let configured = commands.iter().rev().find_map(|c| {
            let args = c.command.args();
            (c.command.program() == Some("poetry") && args.len() >= 3 && args[0].text == "config" && args[1].text == key)
                .then(|| args[2].text.to_ascii_lowercase().to_string())
        });
        configured
            .or_else(|| stage_env(ctx, stage, variable).map(|v| v.to_ascii_lowercase()))
            .map(|v| matches!(v.as_str(), "true" | "1"))
    };
    if setting("virtualenvs.create", "POETRY_VIRTUALENVS_CREATE") == Some(false) {
        PoetryEnvironment::System
    } else if setting("virtualenvs.in-project", "POETRY_VIRTUALENVS_IN_PROJECT") == Some(true) {
        PoetryEnvironment::InProject
    } else {
        PoetryEnvironment::Cache
    }
}

fn venv_created(c: &StageCommand, poetry: PoetryEnvironment) -> Option<Venv> {
    let program = c.command.program().unwrap_or_default();
    let args = c.command.args();
    if program == "poetry" {
        let installs = c.command.subcommand().is_some_and(|s| matches!(s.text.as_str(), "install" | "sync"));
        return (installs && poetry == PoetryEnvironment::InProject).then(|| Venv {
            dir: join_path(c.workdir.as_deref(), ".venv"),
            system_site: false,
        });
    }
    let after = if program.starts_with("python") {
        let at = args.windows(2).position(|w| w[0].text == "-m" && w[1].text == "venv")?;
        &args[at + 2..]
    } else if program == "virtualenv" {
        args
    } else if program == "uv" && c.command.subcommand().is_some_and(|s| s.text == "venv") {
        let at = args.iter().position(|w| w.text == "venv")?;
        &args[at + 1..]
    } else {
        return None;
    };
    // Options that take a value, so the value is not read as the directory.
    const VALUED: &[&str] = &["--prompt", "-p", "--python", "--seed", "--index-url", "--activators"];
    let mut positional = None;
    let mut skip = false;
    for word in after {
        if skip {
            skip = false;
        } else if word.text.starts_with('-') {
            skip = VALUED.contains(&word.text.as_str());
        } else {
            positional = Some(word.text.as_str());
        }
    }
    let dir = positional.or((program == "uv").then_some(".venv"))?;
    Some(Venv {
        dir: join_path(c.workdir.as_deref(), dir).trim_end_matches('/').to_string(),
        system_site: c.command.has_flag(&["--system-site-packages"]),
    })
}

/// Where the Python packages the app imports are, given how it was built and how it starts.
/// `Ok(None)` is the system site-packages.
fn python_venv(
    ctx: &Context<'_>,
    stage: &Stage,
    commands: &[StageCommand],
    start: &StartCommand,
) -> Result<Option<Venv>, String> {
    let poetry = poetry_environment(ctx, stage, commands);
    let Some(venv) = commands.iter().filter_map(|c| venv_created(c, poetry)).last() else {
        return copied_venv(ctx, stage, start);
    };
    if venv.system_site {
        return Err(format!("the virtual environment `{}` also uses the system's packages (--system-site-packages); only one place of packages is carried", venv.dir));
    }
    let bin = format!("{}/bin", venv.dir);
    let on_path = stage_env(ctx, stage, "PATH")
        .is_some_and(|path| path.split(':').any(|p| p.trim_end_matches('/') == bin));
    let runs_from_it = start.argv[0].starts_with(&format!("{bin}/"));
    if !on_path && !runs_from_it {
        return Err(format!("the build makes the virtual environment `{}`, but the start command does not run from it (neither `{bin}` on PATH nor a program in it)", venv.dir));
    }
    Ok(Some(venv))
}

/// A virtual environment built in another stage and copied in (`COPY --from=build /opt/venv
/// /opt/venv`), found as a copied directory whose `bin` is on PATH or runs the app. Its
/// packages are for the Python of the stage that built it, which must be 3.13 on glibc.
fn copied_venv(ctx: &Context<'_>, stage: &Stage, start: &StartCommand) -> Result<Option<Venv>, String> {
    let path = stage_env(ctx, stage, "PATH").unwrap_or_default();
    for copy in copies_into(ctx, stage).into_iter().rev() {
        let Some(from) = copy.from_stage else { continue };
        let bin = format!("{}/bin", copy.dest);
        let used = path.split(':').any(|p| p.trim_end_matches('/') == bin) || start.argv[0].starts_with(&format!("{bin}/"));
        if !used {
            continue;
        }
        let name = ctx.model.stages[from].name.clone().unwrap_or_else(|| from.to_string());
        let tag = root_image_of(ctx, from)
            .filter(|image| image.repository.rsplit('/').next() == Some("python"))
            .and_then(|image| image.tag.clone())
            .unwrap_or_default();
        if tag.strip_prefix("3.").and_then(leading_number) != Some(13) || tag.contains("alpine") {
            return Err(format!("the virtual environment `{}` is built in stage `{name}`, which is not seen to run Python 3.13 on glibc (an official `python:3.13` image) like the distroless image", copy.dest));
        }
        return Ok(Some(Venv { dir: copy.dest, system_site: false }));
    }
    Ok(None)
}

fn python(
    ctx: &Context<'_>,
    stage: &Stage,
    tag: &str,
    commands: &[StageCommand],
    start: &StartCommand,
    workdir: Option<&str>,
) -> Result<AppPlan, String> {
    if tag.contains("alpine") {
        return Err("the Python build runs on Alpine (musl): compiled packages would not load on the distroless (glibc) image".into());
    }
    let minor = tag.strip_prefix("3.").and_then(leading_number).ok_or_else(|| {
        format!("the Python version of tag `{tag}` is not known; the distroless image has Python 3.13")
    })?;
    if minor != 13 {
        return Err(format!("the build uses Python 3.{minor}; the distroless Python image has 3.13, and installed packages must match it"));
    }
    for c in commands {
        let program = c.command.program().unwrap_or_default();
        let is_pip = program.starts_with("pip")
            || (program.starts_with("python") && c.command.args().iter().any(|w| w.text == "pip"));
        if is_pip
            && (c
                .command
                .has_flag(&["--user", "--target", "-t", "--prefix"]))
        {
            return Err(
                "pip installs outside the system site-packages (--user, --target or --prefix)"
                    .into(),
            );
        }
        let subcommand = c.command.subcommand().map(|s| s.text.as_str());
        match (program, subcommand) {
            ("uv", Some("venv" | "pip")) => {}
            ("uv", _) => return Err("the build runs `uv sync` or `uv run`, which install the project itself as an editable package (a .pth file the distroless interpreter would not read from PYTHONPATH); `uv pip install` into a venv or the system is moved".into()),
            ("poetry", Some("install" | "sync")) => match poetry_environment(ctx, stage, commands) {
                PoetryEnvironment::System | PoetryEnvironment::InProject => {}
                PoetryEnvironment::Cache => return Err("`poetry install` puts its environment in poetry's cache directory under a hashed name; set `virtualenvs.in-project true` (or `POETRY_VIRTUALENVS_IN_PROJECT=1`) or `virtualenvs.create false` so the packages can be carried".into()),
            },
            ("pipenv" | "conda", _) => return Err(format!("the build installs with `{program}`, whose environment lives in a cache directory named by a hash; pip, `uv pip` and poetry installs into a venv or the system site-packages are moved")),
            _ => {}
        }
    }
    let venv = python_venv(ctx, stage, commands, start)?;
    let argv = &start.argv;
    let program = argv[0].rsplit('/').next().unwrap_or_default();
    let cmd: Vec<String> = match program {
        "python" | "python3" | "python3.13" => argv[1..].to_vec(),
        "gunicorn" | "uvicorn" | "hypercorn" | "waitress-serve" | "celery" | "flask" => {
            let module = if program == "waitress-serve" { "waitress" } else { program };
            ["-m".to_string(), module.to_string()].into_iter().chain(argv[1..].iter().cloned()).collect()
        }
        other => return Err(format!("the app starts with `{other}`, which is not a Python module the interpreter can run with -m")),
    };
    let workdir = workdir.ok_or("the app has no WORKDIR, so what to copy is not known")?;
    if workdir == "/" {
        return Err(
            "the app lives in `/`: copying the whole filesystem is not a minimal image".into(),
        );
    }
    // The venv's own `bin/python` links to the build image's interpreter, which the distroless
    // image does not have at that path: its site-packages go on PYTHONPATH instead, read by
    // the distroless interpreter (the same Python 3.13).
    let site = match &venv {
        Some(venv) => format!("{}/lib/python3.13/site-packages", venv.dir),
        None => "/usr/local/lib/python3.13/site-packages".to_string(),
    };
    let mut carry = vec![Carry {
        from: site.clone(),
        to: site.clone(),
    }];
    if !venv.as_ref().is_some_and(|v| v.dir.starts_with(&format!("{workdir}/"))) {
        carry.push(Carry {
            from: workdir.to_string(),
            to: workdir.to_string(),
        });
    } else {
        // The venv is inside the app's directory: the app's files are carried whole, venv included.
        carry = vec![Carry {
            from: workdir.to_string(),
            to: workdir.to_string(),
        }];
    }
    Ok(AppPlan {
        ecosystem: Ecosystem::Python,
        runtime: Runtime::Python { minor },
        carry,
        workdir: Some(workdir.to_string()),
        env: vec![format!("PYTHONPATH={site}")],
        entrypoint: None,
        cmd: Some(cmd),
        build_changes: Vec::new(),
        extra_build_step: None,
        notes: venv
            .iter()
            .map(|v| format!("the virtual environment `{}` is carried as its site-packages on PYTHONPATH, since its `bin/python` links to the build image's interpreter", v.dir))
            .collect(),
    })
}

fn java_version(tag: &str) -> Option<u32> {
    for marker in ["temurin-", "jdk-", "jdk", "openjdk-", "corretto-", "java"] {
        if let Some(at) = tag.find(marker) {
            if let Some(v) = leading_number(&tag[at + marker.len()..]) {
                return Some(v);
            }
        }
    }
    leading_number(tag)
}

fn java(tag: &str, start: &StartCommand, workdir: Option<&str>) -> Result<AppPlan, String> {
    let version =
        java_version(tag).ok_or_else(|| format!("the Java version of tag `{tag}` is not known"))?;
    let argv = &start.argv;
    if argv[0].rsplit('/').next() != Some("java") || argv.get(1).map(String::as_str) != Some("-jar")
    {
        return Err(format!("the app starts with `{}`; the distroless Java image runs `java -jar APP.jar` (JVM options go in JAVA_TOOL_OPTIONS)", argv.join(" ")));
    }
    let jar = argv.get(2).ok_or("`java -jar` names no jar")?;
    if jar.contains(['*', '?', '$']) {
        return Err(format!("the jar `{jar}` is a pattern, not a file"));
    }
    let from = join_path(workdir, jar);
    let name = from.rsplit('/').next().unwrap_or("app.jar").to_string();
    let to = format!("/app/{name}");
    Ok(AppPlan {
        ecosystem: Ecosystem::Java,
        runtime: Runtime::Java { version },
        carry: vec![Carry {
            from,
            to: to.clone(),
        }],
        workdir: None,
        env: Vec::new(),
        entrypoint: None,
        cmd: Some(
            std::iter::once(to)
                .chain(argv[3..].iter().cloned())
                .collect(),
        ),
        build_changes: Vec::new(),
        extra_build_step: None,
        notes: Vec::new(),
    })
}

fn dotnet(
    tag: &str,
    commands: &[StageCommand],
    start: &StartCommand,
    workdir: Option<&str>,
) -> Result<AppPlan, String> {
    let version = leading_number(tag)
        .ok_or_else(|| format!("the .NET version of tag `{tag}` is not known"))?;
    let publish = commands
        .iter()
        .rev()
        .find(|c| {
            c.command.program() == Some("dotnet")
                && c.command.subcommand().is_some_and(|s| s.text == "publish")
        })
        .ok_or("the .NET build does not `dotnet publish`")?;
    let output = flag_value(&publish.command, &["-o", "--output"])
        .ok_or("`dotnet publish` has no `-o`: the output folder is not known")?;
    let out_dir = join_path(publish.workdir.as_deref(), &output);
    let argv = &start.argv;
    if argv[0].rsplit('/').next() != Some("dotnet") || argv.len() < 2 || !argv[1].ends_with(".dll")
    {
        return Err(format!(
            "the app starts with `{}`, not `dotnet APP.dll`",
            argv.join(" ")
        ));
    }
    let dll = join_path(workdir, &argv[1]);
    let Some(relative) = dll.strip_prefix(&format!("{}/", out_dir.trim_end_matches('/'))) else {
        return Err(format!(
            "the app `{dll}` is not in the publish folder `{out_dir}`"
        ));
    };
    Ok(AppPlan {
        ecosystem: Ecosystem::Dotnet,
        runtime: Runtime::Dotnet { version },
        carry: vec![Carry {
            from: out_dir,
            to: "/app".into(),
        }],
        workdir: Some("/app".into()),
        env: Vec::new(),
        entrypoint: Some(
            ["dotnet".to_string(), relative.to_string()]
                .into_iter()
                .chain(argv[2..].iter().cloned())
                .collect(),
        ),
        cmd: None,
        build_changes: Vec::new(),
        extra_build_step: None,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(join_path(Some("/src"), "bin/app"), "/src/bin/app");
        assert_eq!(join_path(Some("/src"), "/out/app"), "/out/app");
        assert_eq!(join_path(None, "./app"), "/app");
        assert_eq!(join_path(Some("/a/b"), "../c"), "/a/c");
    }

    #[test]
    fn every_reason_is_classified() {
        let cases = [
            ("a Windows image: distroless images are Linux only", DeclineKind::Windows),
            ("the entrypoint `/e.sh` is a shell script: a distroless image has no shell", DeclineKind::NeedsShell),
            ("the build uses Python 3.12; the distroless Python image has 3.13, and installed packages must match it", DeclineKind::NoMatchingImage),
            ("no minimal image exists for Node.js 20 (22, 24 and 26 have one)", DeclineKind::NoMatchingImage),
            ("the minimal image for .NET 8 (`x`) reached its end of life on 2026-11-10", DeclineKind::NoMatchingImage),
            ("the app starts with `npm start`; the distroless Node.js image has only `node`", DeclineKind::StartTool),
            ("`go build` has no `-o`: the binary's name and place are not known", DeclineKind::ArtifactUnknown),
            ("the final stage runs commands (RUN), which need a shell", DeclineKind::RunsCommands),
            ("no build step of a known ecosystem (Go, Rust, Node.js, Python, Java, .NET) in the final stage", DeclineKind::NoKnownBuild),
            ("the final stage has no CMD or ENTRYPOINT, so what runs is not known", DeclineKind::NoStartCommand),
            ("the build installs `libpq5` with apt-get, which `x` does not have: if the app uses it at run time it would be missing", DeclineKind::RuntimePackage),
            ("the image is `nginx` itself, started by the image's own entrypoint and CMD, and no distroless image ships nginx", DeclineKind::NoMatchingImage),
        ];
        for (reason, kind) in cases {
            assert_eq!(DeclineKind::of(reason), kind, "{reason}");
        }
    }

    #[test]
    fn versions_from_tags() {
        assert_eq!(java_version("3.9-eclipse-temurin-17"), Some(17));
        assert_eq!(java_version("21-jdk"), Some(21));
        assert_eq!(java_version("8-jdk21"), Some(21));
        assert_eq!(leading_number("20-bookworm-slim"), Some(20));
    }
}
